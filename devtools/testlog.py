#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-mp-pack contributors

"""Read Meson's test log (meson-logs/testlog.json) for devtools/test.sh.

  results [--strict] TESTLOG [PREFIX]
                            one line per test, tab-separated: "pass|fail|skip",
                            PREFIXname, what happened. OK and EXPECTEDFAIL pass,
                            SKIP skips, the rest fail. A test that passed but
                            skipped some of its cases (pytest files, gtest
                            binaries) gives one more "skip" line per case.
                            With --strict, a skip whose reason is not one of the
                            environment limits of devtools/allowed-skips.txt
                            is a "fail".
  retry RESULTS             the failed multi-process tests (mp, stress and
                            dpdk-tree suites) of a "results" file, which
                            devtools/test.sh runs once more, alone
  rerun RESULTS TESTLOG     the "results" file again, each retried test's
                            failure now saying how its rerun went (TESTLOG is
                            the rerun's log). The rerun is a diagnosis: the
                            test stays failed either way
  figures TESTLOG           the lines of perf-tests and stress-tests output that
                            carry figures (rates, times, ratios, recoveries)
"""

import argparse
import json
import os
import re
import sys

PASS = ('OK', 'EXPECTEDFAIL')
FIGURE = re.compile(r'Mpps|[0-9] ?[nmu]s\b|µs|ratio|unaccounted|mbufs missing|half done|recoveries|'
                    r'side by side|interleaved')
FIGURE_SUITES = re.compile(r':(perf|stress)-tests / ')


def tests(path):
    with open(path, encoding='utf-8') as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


ALLOWED_SKIPS = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'allowed-skips.txt')
# How a test says why it skipped: "SKIP: why" (ours, whole test), "SKIPPED
# case: why" (runpytest.py, one case) or "[  SKIPPED ] case" (GoogleTest).
WHOLE_SKIP = re.compile(r'^SKIP[:\s]\s*(.*)$')
CASE_SKIP = re.compile(r'^(?:SKIPPED (.+?): (.*)|\[  SKIPPED \] (\w+\.\S+).*)$')


def allowed_skips():
    with open(ALLOWED_SKIPS, encoding='utf-8') as f:
        return [re.compile(ln.strip()) for ln in f
                if ln.strip() and not ln.lstrip().startswith('#')]


def skip_line(name, why, allowed):
    why = why or 'no reason given'
    if allowed is not None and not any(a.search(why) for a in allowed):
        return 'fail\t%s\tSKIP, not an allowed environment limit: %s' % (name, why)
    return 'skip\t%s\tSKIP: %s' % (name, why)


def results(path, prefix, strict):
    allowed = allowed_skips() if strict else None
    for t in tests(path):
        r = t['result']
        name = prefix + t['name']
        out = (t.get('stdout') or '').splitlines()
        if r == 'SKIP':
            why = next((m.group(1) for m in map(WHOLE_SKIP.match, out) if m), '')
            print(skip_line(name, why, allowed))
            continue
        print('%s\t%s\t%s' % ('pass' if r in PASS else 'fail', name, r))
        if r in PASS:
            seen = set()
            for m in filter(None, map(CASE_SKIP.match, out)):
                case = m.group(1) or m.group(3)
                if case not in seen:
                    seen.add(case)
                    print(skip_line('%s::%s' % (name, case), m.group(2) or 'skip() called',
                                    allowed))


RETRIED_SUITES = re.compile(r':(mp|stress|dpdk-tree)-tests / ')


def result_lines(path):
    with open(path, encoding='utf-8') as f:
        for line in f:
            kind, name, what = line.rstrip('\n').split('\t', 2)
            yield kind, name, what


def retried(kind, name, what):
    """The Meson name of a failed test to run again, or None."""
    if kind != 'fail' or what.startswith('SKIP') or not RETRIED_SUITES.search(name):
        return None
    return name.rsplit(' / ', 1)[1]


def retry(path):
    for line in result_lines(path):
        name = retried(*line)
        if name:
            print(name)


def rerun(path, testlog):
    again = {t['name'].rsplit(' / ', 1)[-1]: t['result'] for t in tests(testlog)}
    for kind, name, what in result_lines(path):
        short = retried(kind, name, what)
        if short in again:
            if again[short] in PASS:
                what += ' in the full run, then OK alone: it needs load to fail'
            else:
                what += ' in the full run, and %s alone' % again[short]
        print('%s\t%s\t%s' % (kind, name, what))


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
    p.add_argument('--strict', action='store_true',
                   help='a skip not listed in allowed-skips.txt is a failure')
    p.add_argument('testlog')
    p.add_argument('prefix', nargs='?', default='', help='put before each test name')
    p = sub.add_parser('retry', help='failed multi-process tests to run again')
    p.add_argument('results')
    p = sub.add_parser('rerun', help='results amended with how each rerun went')
    p.add_argument('results')
    p.add_argument('testlog')
    p = sub.add_parser('figures', help='figures printed by perf-tests and stress-tests')
    p.add_argument('testlog')
    args = ap.parse_args()
    try:
        if args.command == 'results':
            results(args.testlog, args.prefix, args.strict)
        elif args.command == 'retry':
            retry(args.results)
        elif args.command == 'rerun':
            rerun(args.results, args.testlog)
        else:
            figures(args.testlog)
    except (OSError, ValueError, KeyError) as e:
        print('%s: %s' % (ap.prog, e), file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
