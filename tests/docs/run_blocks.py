#!/usr/bin/env python3
"""Runs the shell blocks of README.md and docs/*.md as a newcomer pastes them, and fails when
one does not run or answers otherwise than its page shows (as rustdoc and cram run theirs).

    run_blocks.py [SOURCE_ROOT] [PAGE...]     (KEYLESS_EMULATOR_BIN: the binary to run;
                                               DOCS_VERBOSE=1 shows every command's answer)

What runs
  Every ```sh block, in page order. A block whose info string is `sh no-run` is shown but not
  run: only for what cannot run here (make run / make test themselves, docker, a benchmark, a
  client's own test command). A ```bash, ```shell or ```console block is an error: write sh.

Against what
  The real binary, started per session as `--fixtures fixtures/demo.json --db :memory: --port 0
  --ready-file F` (what `make run` serves, on a free port): every `http://127.0.0.1:8080` in a
  block is replaced by its base URL. Commands run in a scratch directory holding `fixtures/`
  and `build/keyless-emulator` (links to the real ones), so files a block writes
  (`system.json`) stay there.

Sessions
  README.md runs first, alone, in one bash session. Then each docs page runs in a session of
  its own, against a fresh emulator on which README.md's blocks were first replayed (the
  newcomer who did the walkthrough, then opens that page). A page session starts with exactly
  these variables of README.md, and the README's files in its directory:
      BASE SYSTEM_ID API_KEY USER_ID ACCESS_KEY ACCEPT TOKEN    the Sandbox system it creates
      C SYSTEM                                                  the demo system's control URLs
  Each session is `set -euo pipefail` with `inherit_errexit`, and `curl` is a shell function
  around the real one that also writes each answer's HTTP status to standard error (taken out
  again before anything is shown).

A command fails when
  - it exits non-zero (an unset variable ends the session);
  - any HTTP answer it got is 400 or more, unless the command's expected answer (below) starts
    with that status;
  - it outlasts 60 s. A command starting `curl -N` (or `-sN`: a stream that never ends) runs
    with `--max-time 3` added, and its exit 28 (the time was up) counts as success.
  The first failure ends that page; the other pages still run.

Expected answers, compared where a page shows one
  - a comment `# {...}` or `# [...]`, on the line after a command or at the end of its last
    line, is the answer of that command; comment lines right below it that start `#  ` (two
    spaces) continue it;
  - `# → [STATUS] [ANSWER]` says the same explicitly, optionally with the HTTP status first
    (`# → 201 {"id": …}`, `# → 204`); a non-JSON ANSWER is text that must appear in the
    output, fragments between `…` (or `...`) in order;
  - a ```json (or plain ```) block right after a ```sh block, with only blank lines between,
    is the answer of the block's last command.
  A JSON answer is compared by its member names, which must all occur in the output, and by
  its literal `true`, `false` and `null` members, which must occur as shown; ids, times,
  counts and strings vary between runs and are not compared.
"""
import os
import re
import select
import subprocess
import sys
import tempfile
import time

URL = 'http://127.0.0.1:8080'
README_VARS = ['BASE', 'SYSTEM_ID', 'API_KEY', 'USER_ID', 'ACCESS_KEY', 'ACCEPT', 'TOKEN', 'C',
               'SYSTEM']
COMMAND_TIMEOUT = 60
STREAM_SECONDS = 3
STATUS_MARK = re.compile(r'@@HTTP (\d{3})@@\n?')
PRELUDE = r'''
set -euo pipefail
shopt -s inherit_errexit
exec 3>&1
trap 'printf "@@EXIT %s@@\n" "$?" >&3' EXIT
curl() { command curl -w '%{stderr}@@HTTP %{http_code}@@\n' "$@"; }
'''


class Failure(Exception):
    pass


# ---- reading the pages ---------------------------------------------------------------------

def fenced_blocks(path):
    """[(info, first line number, lines)] of every fenced block, indented ones included, and
    for each whether only blank lines separate it from the previous block."""
    blocks, lines = [], open(path, encoding='utf-8').read().split('\n')
    i, last_end = 0, -10
    while i < len(lines):
        m = re.match(r'^(\s*)(`{3,})(.*)$', lines[i])
        if not m:
            i += 1
            continue
        indent, fence, info = len(m.group(1)), m.group(2), m.group(3).strip()
        body, j = [], i + 1
        while j < len(lines) and not re.match(r'^\s*' + fence + r'\s*$', lines[j]):
            body.append(lines[j][indent:] if lines[j][:indent].strip() == '' else lines[j])
            j += 1
        adjacent = all(not l.strip() for l in lines[last_end + 1:i]) if last_end >= 0 else False
        blocks.append({'info': info, 'line': i + 1, 'lines': body, 'adjacent': adjacent})
        last_end, i = j, j + 1
    return blocks


def parses(text):
    return subprocess.run(['bash', '-n'], input=text, text=True,
                          capture_output=True).returncode == 0


EXPECT = re.compile(r'^→\s*(?:(\d{3})\b)?\s*(.*)$|^([\[{].*)$')


def expectation(comment):
    """(status or None, answer text) when a comment's text is an expected answer, else None."""
    m = EXPECT.match(comment.strip())
    if not m:
        return None
    if m.group(3) is not None:
        return None, m.group(3), False
    return m.group(1), m.group(2), not m.group(2).startswith(('{', '['))


def commands(block, path):
    """The block's commands, each {'text', 'line', 'expect': [(status, answer)]}."""
    out, lines, i, continues = [], block['lines'], 0, False
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        if line.lstrip().startswith('#'):
            exp = expectation(line.lstrip()[1:])
            if exp and out:
                out[-1]['expect'].append(exp)
            elif continues and re.match(r'^\s*#\s{2,}\S', line):
                status, answer, text = out[-1]['expect'][-1]  # an answer's next line
                out[-1]['expect'][-1] = (status, answer + '\n' + line.lstrip()[1:], text)
            continues = bool(exp and out) or (continues and re.match(r'^\s*#\s{2,}', line))
            i += 1
            continue
        continues = False
        start, text = i, line
        while (text.endswith('\\') or not parses(text)) and i + 1 < len(lines):
            i += 1
            text += '\n' + lines[i]
        if not parses(text):
            raise Failure(f'{path}:{block["line"] + 1 + start}: not a complete shell command')
        cmd = {'text': text, 'line': block['line'] + 1 + start, 'expect': []}
        m = re.search(r'\s#\s*(.*)$', text.split('\n')[-1])
        if m and expectation(m.group(1)):
            cmd['expect'].append(expectation(m.group(1)))
        out.append(cmd)
        i += 1
    return out


def page_commands(path):
    """Every command to run of a page, in order, with the answers the page shows."""
    result, blocks = [], fenced_blocks(path)
    for n, b in enumerate(blocks):
        words = b['info'].split()
        kind = words[0] if words else ''
        if kind in ('bash', 'shell', 'console', 'shell-session'):
            raise Failure(f'{path}:{b["line"]}: ```{kind} block: write ```sh (or ```sh no-run)')
        if kind != 'sh' or 'no-run' in words[1:]:
            continue
        cmds = commands(b, path)
        following = blocks[n + 1] if n + 1 < len(blocks) else None
        if cmds and following and following['adjacent'] and following['info'] in ('', 'json'):
            cmds[-1]['expect'].append((None, '\n'.join(following['lines']), False))
        result += cmds
    return result


# ---- comparing answers ---------------------------------------------------------------------

MEMBER = re.compile(r'"([A-Za-z_$][\w.-]*)"\s*:')
LITERAL = re.compile(r'"([A-Za-z_$][\w.-]*)"\s*:\s*(true|false|null)\b')


def compare(answer, output, text):
    """What of the expected answer the output lacks, as a list of sentences: by member names
    and literals for JSON, by fragments in order for text."""
    answer = answer.strip()
    if not answer:
        return []
    if not text:
        have = set(MEMBER.findall(output))
        lacks = [f'member "{k}"' for k in dict.fromkeys(MEMBER.findall(answer)) if k not in have]
        literals = set(LITERAL.findall(output))
        lacks += [f'"{k}": {v}' for k, v in dict.fromkeys(LITERAL.findall(answer))
                  if (k, v) not in literals]
        return lacks
    at = 0
    for fragment in re.split(r'…|\.\.\.', answer):
        fragment = fragment.strip()
        if not fragment:
            continue
        found = output.find(fragment, at)
        if found < 0:
            return [f'the text {fragment!r}']
        at = found + len(fragment)
    return []


# ---- the emulator and the shell ------------------------------------------------------------

def start_emulator(work, name):
    ready = os.path.join(work, f'.{name}.ready')
    log = open(os.path.join(work, f'.{name}.log'), 'w')
    proc = subprocess.Popen([os.environ['KEYLESS_EMULATOR_BIN'], '--fixtures',
                             os.path.join(work, 'fixtures', 'demo.json'), '--db', ':memory:',
                             '--port', '0', '--ready-file', ready],
                            stdout=log, stderr=log, stdin=subprocess.DEVNULL)
    for _ in range(1000):
        if os.path.exists(ready) and open(ready).read().strip():
            return proc, open(ready).read().strip()
        if proc.poll() is not None:
            break
        time.sleep(0.01)
    proc.kill()
    raise Failure(f'the emulator did not start: {open(log.name).read()}')


def stop(proc):
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class Session:
    """One bash process fed command after command; each command's output lands in files."""

    def __init__(self, work, env_file=None):
        self.work, self.n, self.ended = work, 0, False
        self.bash = subprocess.Popen(['bash', '--noprofile', '--norc'], cwd=work, text=True,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, env=clean_env())
        self.send(PRELUDE + (f'source {env_file}\n' if env_file else ''))

    def send(self, text):
        self.bash.stdin.write(text)
        self.bash.stdin.flush()

    def run(self, text):
        """(exit status or None when the shell ended, stdout, stderr, [HTTP statuses])."""
        self.n += 1
        out, err = (os.path.join(self.work, f'.cmd{self.n}.{k}') for k in ('out', 'err'))
        stream = re.match(r'\s*curl\s+(-\S*N\b)', text) is not None
        if stream:
            text = re.sub(r'^(\s*curl\s+)', rf'\1--max-time {STREAM_SECONDS} ', text, count=1)
        body = f'{{ {text}\n}} </dev/null >{out} 2>{err}'
        if stream:
            body = f'{{ {body}; }} || [ $? -eq 28 ]'
        self.send(f'{body}\nprintf "@@DONE %s@@\\n" "$?" >&3\n')
        rc, deadline, buf = None, time.time() + COMMAND_TIMEOUT, ''
        while True:
            ready, _, _ = select.select([self.bash.stdout], [], [], max(0, deadline - time.time()))
            if not ready:
                self.close()
                raise Failure(f'no answer within {COMMAND_TIMEOUT} s')
            line = self.bash.stdout.readline()
            if not line:
                break
            m = re.match(r'@@(DONE|EXIT) (\d+)@@', line)
            if m:
                rc, self.ended = int(m.group(2)), m.group(1) == 'EXIT'
                break
            buf += line
        read = lambda p: open(p, errors='replace').read() if os.path.exists(p) else ''
        stderr = read(err)
        statuses = [s for s in STATUS_MARK.findall(stderr) if s != '000']
        return rc, read(out), STATUS_MARK.sub('', stderr) + buf, statuses

    def close(self):
        if self.bash.poll() is None:
            self.bash.stdin.close()
            try:
                self.bash.wait(10)
            except subprocess.TimeoutExpired:
                self.bash.kill()
                self.bash.wait()


def clean_env():
    env = {k: v for k, v in os.environ.items() if not k.startswith('KEYLESS_EMULATOR_')}
    env['LC_ALL'] = 'C.UTF-8'
    return env


def run_page(session, cmds, base, path, verbose):
    for cmd in cmds:
        text = cmd['text'].replace(URL, base)
        where = f'{path}:{cmd["line"]}'
        rc, out, err, statuses = session.run(text)
        expected_statuses = {s for s, _, _ in cmd['expect'] if s}
        problems = []
        if rc is None or session.ended:
            problems.append(f'the shell ended (exit status {rc}: a failing command, an unset '
                            'variable or exit)')
        elif rc != 0:
            problems.append(f'exit status {rc}')
        for s in statuses:
            if int(s) >= 400 and s not in expected_statuses:
                problems.append(f'HTTP {s}')
        for s in expected_statuses:
            if s not in statuses:
                problems.append(f'expected HTTP {s}, got {", ".join(statuses) or "none"}')
        for _, answer, text in cmd['expect']:
            problems += [f'the answer lacks {x}' for x in compare(answer, out, text)]
        if verbose or problems:
            print(f'--- {where}\n$ {cmd["text"]}')
            if out.strip():
                print(out.rstrip()[:3000])
            if err.strip():
                print('[stderr] ' + err.rstrip()[:3000])
        if problems:
            raise Failure(f'{where}: ' + '; '.join(problems))


def scratch(root, parent, name):
    work = os.path.join(parent, name)
    os.makedirs(os.path.join(work, 'build'))
    os.symlink(os.path.join(root, 'fixtures'), os.path.join(work, 'fixtures'))
    os.symlink(os.environ['KEYLESS_EMULATOR_BIN'], os.path.join(work, 'build', 'keyless-emulator'))
    return work


def run_readme(root, work, readme, verbose):
    """README.md's blocks on a fresh emulator; returns (emulator, base URL, variables file)."""
    proc, base = start_emulator(work, 'emulator')
    session = Session(work)
    try:
        run_page(session, readme, base, 'README.md', verbose)
        env_file = os.path.join(work, '.readme.env')
        rc, _, err, _ = session.run(f'declare -p {" ".join(README_VARS)} > {env_file}')
        if rc != 0:
            raise Failure(f'README.md does not define all of {" ".join(README_VARS)}: {err}')
        return proc, base, env_file
    except BaseException:
        stop(proc)
        raise
    finally:
        session.close()


def main():
    args = sys.argv[1:]
    root = os.path.abspath(args.pop(0) if args and os.path.isdir(args[0]) else
                           os.path.join(os.path.dirname(__file__), '..', '..'))
    verbose = os.environ.get('DOCS_VERBOSE') == '1'
    docs = sorted(os.path.join('docs', f) for f in os.listdir(os.path.join(root, 'docs'))
                  if f.endswith('.md'))
    pages = args or ['README.md'] + docs
    failures, ran = [], 0
    parsed = {}
    for page in ['README.md'] + docs:
        try:
            parsed[page] = page_commands(os.path.join(root, page))
        except Failure as e:
            failures.append(str(e))
    for f in failures:
        print('FAIL ' + f)
    if 'README.md' not in parsed:
        return 1
    with tempfile.TemporaryDirectory(prefix='docs-blocks-') as tmp:
        for n, page in enumerate(pages):
            if page not in parsed:
                continue
            cmds = parsed[page]
            if page != 'README.md' and not cmds:
                continue
            work = scratch(root, tmp, f'page{n}')
            proc = None
            try:
                proc, base, env_file = run_readme(root, work, parsed['README.md'],
                                                  verbose and page == 'README.md')
                if page != 'README.md':
                    session = Session(work, env_file)
                    try:
                        run_page(session, cmds, base, page, verbose)
                    finally:
                        session.close()
                ran += len(cmds)
                print(f'ok   {page}: {len(cmds)} commands')
            except Failure as e:
                failures.append(str(e))
                print(f'FAIL {e}')
                if page == 'README.md' or str(e).startswith('README.md:'):
                    break  # every page starts with the README's blocks
            finally:
                if proc:
                    stop(proc)
    print(f'{ran} commands ran; {len(failures)} page(s) failed')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
