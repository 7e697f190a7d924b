#!/usr/bin/env python3
"""Fails when a test file is in no suite: `make test` would silently never run it.

Usage: check_tests.py TESTS_DIR SUITE=name,name... ...

Each SUITE is a folder of TESTS_DIR (unit, api, sim) and the names tests/meson.build lists
for it; every TESTS_DIR/SUITE/test_*.c must be one of them. (A listed name without its file
fails meson itself, at configure time.)"""
import os
import sys


def main(argv):
    root, suites = argv[1], argv[2:]
    unlisted = []
    for suite in suites:
        folder, _, names = suite.partition('=')
        listed = set(filter(None, names.split(',')))
        for file in sorted(os.listdir(os.path.join(root, folder))):
            if file.startswith('test_') and file.endswith('.c') and file[5:-2] not in listed:
                unlisted.append(os.path.join('tests', folder, file))
    for path in unlisted:
        print('%s: in no suite of tests/meson.build: add it to its list' % path)
    return 1 if unlisted else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
