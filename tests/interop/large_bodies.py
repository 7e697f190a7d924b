#!/usr/bin/env python3
"""A 2 MiB body sent the way Python's urllib sends it (the whole body first, then read the
answer, no Expect: 100-continue) gets the emulator's 413 problem, not a broken pipe, on every
kind of route; and the server then still answers. Runs the real binary
($KEYLESS_EMULATOR_BIN) on a free port."""
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

BODY = b' ' * (2 * 1024 * 1024)
ROUTES = [
    ('POST', '/_emulator/v1/systems', 'application/json'),
    ('POST', '/_emulator/v1/fixtures', 'application/json'),
    ('POST', '/administration/login', 'application/json'),
    ('PATCH', '/administration/locking-device/00000000-0000-4000-8000-000000000000',
     'application/json-patch+json'),
]


def start(tmp):
    ready = os.path.join(tmp, 'ready')
    log = open(os.path.join(tmp, 'stderr.log'), 'w')
    proc = subprocess.Popen([os.environ['KEYLESS_EMULATOR_BIN'], '--port', '0', '--db',
                             ':memory:', '--ready-file', ready], stdout=log, stderr=log)
    for _ in range(500):
        if os.path.exists(ready) and open(ready).read().strip():
            return proc, open(ready).read().strip()
        time.sleep(0.01)
    proc.kill()
    sys.exit('the emulator did not become ready')


def send(base, method, path, content_type):
    req = urllib.request.Request(base + path, data=BODY, method=method,
                                 headers={'Content-Type': content_type,
                                          'Accept': 'application/vnd.assaabloy.keyless.'
                                                    'administration-2+json',
                                          'X-Api-Key': 'none'})
    try:
        with urllib.request.urlopen(req, timeout=30) as res:
            return res.status, res.headers.get('Content-Type'), res.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get('Content-Type'), e.read()


def main():
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        proc, base = start(tmp)
        try:
            for method, path, content_type in ROUTES:
                try:
                    status, kind, body = send(base, method, path, content_type)
                    problem = json.loads(body)
                    ok = (status == 413 and kind == 'application/problem+json' and
                          problem['status'] == 413 and problem['instance'] == path)
                    detail = f'{status} {kind} {problem.get("detail")}'
                except OSError as e:  # a broken pipe or a reset is what this test is about
                    ok, detail = False, repr(e)
                print(('ok' if ok else 'FAIL') + f': {method} {path}: {detail}')
                failures += not ok
            with urllib.request.urlopen(base + '/_emulator/v1/health', timeout=5) as res:
                print(f'ok: health answers {res.status} afterwards')
        finally:
            proc.terminate()
            failures += proc.wait(timeout=10) != 0
    sys.exit(1 if failures else 0)


if __name__ == '__main__':
    main()
