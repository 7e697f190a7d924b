#!/usr/bin/env python3
"""The house rules of DESIGN §2 that a compiler does not check, over src/:

- an #include of a layer above the file's own, unless ALLOWED names that edge;
- <microhttpd.h> outside src/http, <sqlite3.h> or store/sql.h outside src/store;
- a wall-clock read (time(), clock_gettime(), gettimeofday()) outside lib/wallclock.c;
- the banned calls (unbounded string writes).

Usage: check_layers.py SRC_DIR. Prints each violation and exits 1 when there is one."""
import os
import re
import sys

# Top to bottom: a file may include its own layer and those below it.
LAYERS = ['main', 'http', 'admin', 'control', 'sim', 'domain', 'events', 'store', 'lib']

# The sanctioned edges upwards, each with its reason: (from layer, header) pairs.
KIT = ['http/request.h', 'http/response.h', 'http/paging.h', 'http/router.h', 'http/sse.h']
ALLOWED = {
    # The handlers' kit: what every handler parses requests and renders answers with.
    **{('admin', h): 'handler kit' for h in KIT},
    **{('control', h): 'handler kit' for h in KIT},
    ('admin', 'http/token.h'): 'login issues the tokens the HTTP layer checks',
    ('control', 'http/token.h'): 'a restore forgets the token cache',
    ('control', 'http/ratelimit.h'): 'a restore forgets the rate limiters',
    ('control', 'http/auth.h'): 'the control session checks the control token',
    ('control', 'http/faults.h'): 'the faults endpoints configure the HTTP layer\'s injection',
    ('control', 'http/metrics.h'): 'the metrics endpoint writes the HTTP layer\'s counters',
    ('control', 'http/parking.h'): 'the metrics endpoint reports parked connections',
    # The documents built from both route tables are rendered in src/http, where the tables
    # meet; the control route table serves them.
    ('control', 'http/documents.h'): 'the control routes serve the parity list and OpenAPI',
}

INCLUDE = re.compile(r'^\s*#\s*include\s+[<"]([^">]+)[">]')
WALL_CLOCK = re.compile(r'\b(clock_gettime|gettimeofday)\s*\(|\btime\s*\(\s*(NULL|0|&)')
BANNED = re.compile(r'\b(strcpy|strcat|sprintf|vsprintf|gets)\s*\(')


def layer_of(rel):
    parts = rel.split('/')
    return 'main' if len(parts) == 1 else parts[0]


def check_file(root, rel, problems):
    own = layer_of(rel)
    with open(os.path.join(root, rel), encoding='utf-8') as f:
        for number, line in enumerate(f, 1):
            where = 'src/%s:%d' % (rel, number)
            m = INCLUDE.match(line)
            if m:
                header = m.group(1)
                target = header.split('/')[0] if '/' in header else None
                if target in LAYERS and target != own and \
                        LAYERS.index(target) < LAYERS.index(own) and (own, header) not in ALLOWED:
                    problems.append('%s: %s (%s) includes %s, a layer above it' %
                                    (where, rel, own, header))
                if header == 'microhttpd.h' and own != 'http':
                    problems.append('%s: <microhttpd.h> outside src/http' % where)
                if header in ('sqlite3.h', 'store/sql.h') and own != 'store':
                    problems.append('%s: <%s> outside src/store' % (where, header))
                continue
            code = line.split('//')[0]
            if WALL_CLOCK.search(code) and rel != 'lib/wallclock.c':
                problems.append('%s: reads the wall clock; use lib/wallclock.h' % where)
            if BANNED.search(code):
                problems.append('%s: banned call %s' % (where, BANNED.search(code).group(1)))


def main(argv):
    root = argv[1]
    problems = []
    for folder, _, files in sorted(os.walk(root)):
        for name in sorted(files):
            if name.endswith(('.c', '.h')):
                check_file(root, os.path.relpath(os.path.join(folder, name), root), problems)
    for p in problems:
        print(p)
    print('check_layers: %d problem(s)' % len(problems))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
