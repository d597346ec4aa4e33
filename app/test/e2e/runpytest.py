#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-mp-pack contributors
"""Run one pytest file for Meson; exit 77 (skip) when every test in it skipped.

Each skipped case is named on a line "SKIPPED <case>: <reason>", which
devtools/testlog.py reads: a case that skips is never hidden by its file's
pass. Output is not captured (-s), so that the figures benchmarks print
reach the test log.
"""

import sys

import pytest


class Outcomes:
    def __init__(self):
        self.passed = self.failed = self.skipped = 0
        self.reasons = []
        self.cases = []

    def pytest_runtest_logreport(self, report):
        if report.when == 'call' and report.passed:
            self.passed += 1
        elif report.failed:
            self.failed += 1
        elif report.skipped:
            self.skipped += 1
            if hasattr(report, 'wasxfail'):
                why = 'expected failure: ' + report.wasxfail
            else:
                why = str(report.longrepr[-1]) if report.longrepr else ''
            self.reasons.append(why)
            self.cases.append((report.nodeid.rsplit('::', 1)[-1], why.replace('\n', ' ')))


def main(argv):
    o = Outcomes()
    rc = pytest.main(['-p', 'no:cacheprovider', '-s', '-rfEsxX', '-v'] + argv, plugins=[o])
    for case, why in o.cases:
        print('SKIPPED %s: %s' % (case, why or 'no reason given'))
    if rc == 0 and o.passed == 0 and o.skipped > 0:
        print('SKIP: ' + '; '.join(sorted(set(o.reasons))))
        return 77
    if rc == 5:
        print('no test collected')
        return 1
    return int(rc)


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
