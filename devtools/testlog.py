#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-mp-pack contributors

"""Read Meson's test log (meson-logs/testlog.json) for devtools/test.sh.

  results TESTLOG [PREFIX]  one line per test: "pass|fail|skip PREFIXname RESULT"
                            (OK and EXPECTEDFAIL pass, SKIP skips, the rest fail)
  passed TESTLOG            the names of the tests that passed, one per line
  figures TESTLOG           the lines of perf-tests and stress-tests output that
                            carry figures (rates, times, ratios, recoveries)
"""

import argparse
import json
import re
import sys

PASS = ('OK', 'EXPECTEDFAIL')
FIGURE = re.compile(r'Mpps|[0-9] ?[nmu]s\b|µs|ratio|unaccounted|recoveries|'
                    r'side by side|interleaved')
FIGURE_SUITES = re.compile(r':(perf|stress)-tests / ')


def tests(path):
    with open(path, encoding='utf-8') as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def results(path, prefix):
    for t in tests(path):
        r = t['result']
        kind = 'pass' if r in PASS else 'skip' if r == 'SKIP' else 'fail'
        print(kind, prefix + t['name'], r)


def passed(path):
    for t in tests(path):
        if t['result'] in PASS:
            print(t['name'])


def figures(path):
    for t in tests(path):
        if not FIGURE_SUITES.search(t['name']):
            continue
        print('-- ' + t['name'])
        for ln in (t.get('stdout') or '').splitlines():
            if FIGURE.search(ln) and re.search(r'\d', ln) and 'PASSED' not in ln \
                    and 'XFAIL' not in ln:
                print('   ' + ln.strip())


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest='command', required=True)
    p = sub.add_parser('results', help='pass/fail/skip per test')
    p.add_argument('testlog')
    p.add_argument('prefix', nargs='?', default='', help='put before each test name')
    p = sub.add_parser('passed', help='names of the tests that passed')
    p.add_argument('testlog')
    p = sub.add_parser('figures', help='figures printed by perf-tests and stress-tests')
    p.add_argument('testlog')
    args = ap.parse_args()
    try:
        if args.command == 'results':
            results(args.testlog, args.prefix)
        elif args.command == 'passed':
            passed(args.testlog)
        else:
            figures(args.testlog)
    except (OSError, ValueError, KeyError) as e:
        print('%s: %s: %s' % (ap.prog, args.testlog, e), file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
