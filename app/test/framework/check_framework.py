#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-mp-pack contributors

"""Check what a cmocka-API test program reports, test by test.

"passing" runs a program whose tests must all pass and checks that every
test listed in its source ran and passed, on the console and in the XML
report. "failing" runs test_framework_failures and checks that each test
fails (or skips, or passes) as the table below says, with the expected
words in its failure message. Works on both test frameworks: GoogleTest
through the cmocka layer, and libcmocka.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

TIMEOUT = 30

# name: (status, words the GoogleTest message must hold, words it must not)
FAILING = {
    'fails_assert_true': ('failed', ['assert_true(x == 2)', 'is false']),
    'fails_assert_false': ('failed', ['assert_false(x == 1)', 'is true']),
    'fails_assert_non_null': ('failed', ['assert_non_null(p)', 'is NULL']),
    'fails_assert_null': ('failed', ['assert_null(p)', 'is not NULL']),
    'fails_assert_ptr_equal': ('failed', ['assert_ptr_equal(&a[0], &a[1])',
                                          '0x', ' != 0x']),
    'fails_assert_ptr_not_equal': ('failed', ['assert_ptr_not_equal(&a, &a)',
                                              'both are 0x']),
    'fails_assert_int_equal': ('failed', ['assert_int_equal(got, 4343)',
                                          '4242 (0x1092) != 4343 (0x10f7)']),
    'fails_assert_int_equal_negative': ('failed', ['-17 != 17']),
    'fails_assert_int_not_equal': ('failed', ['both are 9876']),
    'fails_assert_float_equal': ('failed', ['assert_float_equal(1.25f, 1.5f)',
                                            '1.25 != 1.5']),
    'fails_assert_float_not_equal': ('failed', ['2 == 2.04']),
    'fails_assert_string_equal': ('failed', ['"net_null0" != "net_ring0"']),
    'fails_assert_string_equal_null': ('failed', ['NULL != "net_ring0"']),
    'fails_assert_string_not_equal': ('failed', ['both are "port7"']),
    'fails_assert_memory_equal': ('failed', ['1 of 4 bytes differ',
                                             'offset 2: 0x03 != 0x33']),
    'fails_assert_memory_not_equal': ('failed', ['all 4 bytes are equal']),
    'fails_assert_in_range': ('failed', ['1234 (0x4d2) is not within [1, 1000']),
    'fails_assert_not_in_range': ('failed', ['555 (0x22b) is within [500']),
    'fails_assert_in_set': ('failed', ['12 (0xc) is not in {11 (0xb), 13']),
    'fails_assert_not_in_set': ('failed', ['13 (0xd) is in {']),
    'fails_assert_return_code': ('failed', ['assert_return_code(rc)',
                                            '-22 < 0, errno 22',
                                            'Invalid argument']),
    'fails_fail': ('failed', ['fail() called']),
    'fails_fail_msg': ('failed', ['port 3 is gone']),
    'fails_in_helper': ('failed', ['assert_int_equal(v, 31337)',
                                   '1 != 31337']),
    'fails_will_return_unused': ('failed', ['read_counter() has a value',
                                            'never returned']),
    'fails_will_return_always_unused': ('failed', ['read_counter() has a value',
                                                   'never returned']),
    'fails_will_return_behind_always': ('failed', ['read_counter() has a value',
                                                   'never returned']),
    'fails_mock_without_value': ('failed', ['mock() in read_counter()',
                                            'no value queued']),
    'fails_expect_value': ('failed', ['parameter port of read_counter(): '
                                      '4 != 3', 'expectation declared at']),
    'fails_expect_not_value': ('failed', ['port of read_counter(): 3 == 3']),
    'fails_expect_in_set': ('failed', ['3 is not in {1, 2}']),
    'fails_expect_not_in_set': ('failed', ['2 is in {1, 2}']),
    'fails_expect_in_range': ('failed', ['8 is not within [0, 7]']),
    'fails_expect_not_in_range': ('failed', ['7 is within [0, 7]']),
    'fails_expect_string': ('failed', ['parameter text of log_text()',
                                       '"link down" != "link up"']),
    'fails_expect_not_string': ('failed', ['"link up" == "link up"']),
    'fails_expect_memory': ('failed', ['parameter data of log_text()',
                                       'differ from the expected']),
    'fails_expect_not_memory': ('failed', ['equal the expected']),
    'fails_expect_check': ('failed', ['3 is odd', 'check function rejected 3']),
    'fails_expectation_unchecked': ('failed', ['parameter port of '
                                               'read_counter() was expected '
                                               'here but never checked']),
    'fails_check_without_expectation': ('failed', ['check_expected(port) in '
                                                   'read_counter()',
                                                   'no expectation queued']),
    'fails_function_call_missing': ('failed', ['call to stop_port() expected '
                                               'here was not made']),
    'fails_function_call_order': ('failed', ['stop_port() called where a call '
                                             'to start_port() was expected']),
    'fails_function_call_unexpected': ('failed', ['start_port() called but no '
                                                  'call to it was expected']),
    'fails_test_malloc_leak': ('failed', ['block of 24 bytes',
                                          'still allocated']),
    'fails_test_malloc_overrun': ('failed', ['block of 8 bytes',
                                             'written out of bounds']),
    'fails_test_free_twice': ('failed', ['not a block from test_malloc(), '
                                         'or freed twice']),
    'fails_will_return_count_zero': ('failed', ['will_return_count('
                                                'read_counter, ..., 0)',
                                                'count must be positive']),
    'fails_expect_assert_failure': ('failed', ['expect_assert_failure('
                                               'checked_divide(4, 2, &out))',
                                               'no mock_assert() failed']),
    'fails_mock_assert': ('failed', ['mock_assert(b != 0) failed']),
    'fails_cxx_exception': ('failed', ['uncaught C++ exception: '
                                       'port table full']),
    'fails_setup': ('failed', ['setup of test fails_setup returned -1'],
                    ['test body ran']),
    'fails_setup_leftover': ('failed', ['read_counter() has a value',
                                        'never returned'], ['test body ran']),
    'fails_teardown': ('failed', ['teardown of test fails_teardown '
                                  'returned -1']),
    'fails_then_teardown': ('failed', ['failing before the teardown']),
    'skips_skip': ('skipped', ['skip() at']),
    'passes_control': ('passed', []),
    'passes_after_abort': ('passed', []),
}

GROUP_SETUP_TEST = 'passes_unless_group_setup_failed'
GROUP_TEARDOWN_TEST = 'passes_before_group_teardown'


class CheckError(Exception):
    pass


def source_tests(path):
    """Test function names listed in the source's CMUnitTest arrays."""
    with open(path, encoding='utf-8') as f:
        text = f.read()
    return re.findall(r'cmocka_unit_test\w*\(\s*(\w+)', text)


def run(binary, env_extra, args=()):
    env = dict(os.environ)
    for var in ('GTEST_FILTER', 'GTEST_OUTPUT', 'CMOCKA_MESSAGE_OUTPUT',
                'CMOCKA_XML_FILE', 'FRAMEWORK_FAILURES_GROUP'):
        env.pop(var, None)
    env.update(env_extra)
    p = subprocess.run([binary] + list(args), env=env, timeout=TIMEOUT,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       check=False)
    out = p.stdout.decode(errors='replace')
    return p.returncode, out


def console_results(out):
    """name -> status from '[ RUN ]' and the status line that follows."""
    results = {}
    running = None
    for line in out.splitlines():
        m = re.match(r'^\[\s*(RUN|OK|FAILED|SKIPPED|ERROR)\s*\] (\S+)', line)
        if not m:
            continue
        tag, name = m.group(1), m.group(2).split('.')[-1]
        if tag == 'RUN':
            running = name
        elif name == running:
            results[name] = {'OK': 'passed', 'SKIPPED': 'skipped'}.get(
                tag, 'failed')
            running = None
    return results


def gtest_xml(path):
    """name -> (status, message) from a GoogleTest XML report."""
    results = {}
    for case in ET.parse(path).iter('testcase'):
        failures = [f.get('message', '') for f in case.iter('failure')]
        if failures:
            status = 'failed'
        elif case.get('result') == 'skipped' or case.find('skipped') is not None:
            status = 'skipped'
            failures = [s.get('message', '') for s in case.iter('skipped')]
        else:
            status = 'passed'
        results[case.get('name')] = (status, '\n'.join(failures))
    return results


def cmocka_xml(paths):
    """name -> (status, message) and the error count from cmocka reports."""
    results = {}
    errors = 0
    for path in paths:
        root = ET.parse(path).getroot()
        for suite in root.iter('testsuite'):
            errors += int(suite.get('errors', '0'))
        for case in root.iter('testcase'):
            bad = [c for c in case if c.tag in ('failure', 'error')]
            if bad:
                status = 'failed'
            elif case.find('skipped') is not None:
                status = 'skipped'
            else:
                status = 'passed'
            results[case.get('name')] = (status, '\n'.join(
                (c.text or '') for c in bad))
    return results, errors


def xml_env(framework, tmp, tag):
    if framework == 'gtest':
        path = os.path.join(tmp, tag + '.xml')
        return {'GTEST_OUTPUT': 'xml:' + path}, [path]
    pattern = os.path.join(tmp, tag + '_%g.xml')
    return ({'CMOCKA_MESSAGE_OUTPUT': 'xml', 'CMOCKA_XML_FILE': pattern},
            None)


def xml_results(framework, tmp, tag, paths):
    if framework == 'gtest':
        if not os.path.exists(paths[0]):
            raise CheckError('no XML report at ' + paths[0])
        return gtest_xml(paths[0]), 0
    found = sorted(os.path.join(tmp, f) for f in os.listdir(tmp)
                   if f.startswith(tag + '_') and f.endswith('.xml'))
    if not found:
        raise CheckError('no cmocka XML report in ' + tmp)
    return cmocka_xml(found)


def check_passing(args, tmp):
    names = source_tests(args.source)
    if len(names) < 2:
        raise CheckError('found only %d tests in %s' % (len(names),
                                                         args.source))
    rc, out = run(args.binary, {})
    if rc != 0:
        raise CheckError('exit code %d, expected 0:\n%s' % (rc, out))
    console = console_results(out)
    for name in names:
        if console.get(name) != 'passed':
            raise CheckError('%s: %s on the console, expected passed' %
                             (name, console.get(name, 'not run')))
    if len(console) != len(names):
        raise CheckError('console reports %d tests, source lists %d' %
                         (len(console), len(names)))
    env, paths = xml_env(args.framework, tmp, 'passing')
    rc, out = run(args.binary, env)
    if rc != 0:
        raise CheckError('with an XML report: exit code %d:\n%s' % (rc, out))
    xml, errors = xml_results(args.framework, tmp, 'passing', paths)
    if not xml or errors:
        raise CheckError('XML report: %d tests, %d errors' % (len(xml),
                                                              errors))
    for name, (status, msg) in xml.items():
        if name not in names or status != 'passed':
            raise CheckError('XML report: %s %s %s' % (name, status, msg))
    if sorted(xml) != sorted(names):
        raise CheckError('XML report lacks %s' % sorted(set(names) - set(xml)))
    print('%d tests passed on the console, %d in the XML report' %
          (len(console), len(xml)))

    if args.framework != 'gtest':
        return
    # GoogleTest's options reach a main(void) program from its command line
    # and from the environment.
    wanted = ['test_assert_scalars', 'test_prestate']
    pattern = ':'.join('tests.' + n for n in wanted)
    for how, env, argv in (('--gtest_filter', {}, ['--gtest_filter=' + pattern]),
                           ('GTEST_FILTER', {'GTEST_FILTER': pattern}, [])):
        rc, out = run(args.binary, env, argv)
        ran = console_results(out)
        if rc != 0 or sorted(ran) != sorted(wanted):
            raise CheckError('%s: exit code %d, ran %s, expected %s' %
                             (how, rc, sorted(ran), wanted))
        print('%s selects %s' % (how, ', '.join(sorted(ran))))
    # cmocka's XML switch selects GoogleTest's XML report, a file per group.
    path = os.path.join(tmp, 'mapped_%g.xml')
    rc, out = run(args.binary, {'CMOCKA_MESSAGE_OUTPUT': 'xml',
                                'CMOCKA_XML_FILE': path})
    found = sorted(f for f in os.listdir(tmp) if f.startswith('mapped_'))
    mapped = {}
    for f in found:
        mapped.update(gtest_xml(os.path.join(tmp, f)))
    if rc != 0 or len(found) < 2 or sorted(mapped) != sorted(names):
        raise CheckError('CMOCKA_XML_FILE: exit code %d, files %s, tests %s'
                         % (rc, found, sorted(mapped)))
    print('CMOCKA_MESSAGE_OUTPUT=xml wrote ' + ', '.join(found))


def check_failing(args, tmp):
    names = [n for n in source_tests(args.source)
             if n not in (GROUP_SETUP_TEST, GROUP_TEARDOWN_TEST)]
    if sorted(names) != sorted(FAILING):
        raise CheckError('source and table differ: %s' %
                         sorted(set(names) ^ set(FAILING)))
    rc, out = run(args.binary, {})
    if rc == 0:
        raise CheckError('exit code 0 from a program of failing tests')
    console = console_results(out)
    env, paths = xml_env(args.framework, tmp, 'failing')
    rc, _ = run(args.binary, env)
    if rc == 0:
        raise CheckError('exit code 0 with an XML report')
    xml, _ = xml_results(args.framework, tmp, 'failing', paths)
    problems = []
    for name in names:
        want = FAILING[name]
        status, msg = xml.get(name, ('not reported', ''))
        if status != want[0] or console.get(name) != want[0]:
            problems.append('%s: %s in XML, %s on the console, expected %s' %
                            (name, status, console.get(name, 'not run'),
                             want[0]))
            continue
        if args.framework != 'gtest' or want[0] == 'passed':
            continue
        if not re.search(r'test_framework_failures\.cpp:\d+', msg):
            problems.append('%s: no test source location in %r' % (name, msg))
        for word in want[1]:
            if word not in msg:
                problems.append('%s: %r not in %r' % (name, word, msg))
        for word in (want[2] if len(want) > 2 else []):
            if word in msg:
                problems.append('%s: %r in %r' % (name, word, msg))
    if problems:
        raise CheckError('\n'.join(problems))
    counts = {}
    for name in names:
        counts[FAILING[name][0]] = counts.get(FAILING[name][0], 0) + 1
    print('as expected: %s' % ', '.join('%d %s' % (n, s) for s, n in
                                         sorted(counts.items())))

    # A failed group setup: its tests do not run and the program fails.
    env, paths = xml_env(args.framework, tmp, 'group')
    env['FRAMEWORK_FAILURES_GROUP'] = 'group_setup'
    rc, out = run(args.binary, env)
    xml, errors = xml_results(args.framework, tmp, 'group', paths)
    status, msg = xml.get(GROUP_SETUP_TEST, ('not run', ''))
    if rc == 0 or status == 'passed':
        raise CheckError('group setup failure: exit code %d, test %s' %
                         (rc, status))
    if args.framework == 'gtest':
        for word in ('group setup of setup_failing_tests returned -1',
                     'not run'):
            if word not in msg:
                raise CheckError('group setup failure: %r not in %r' %
                                 (word, msg))
    elif errors == 0:
        raise CheckError('group setup failure: no error in the XML report')
    print('failed group setup: exit code %d, test %s' % (rc, status))

    # A failed group teardown: on GoogleTest it fails the group's last test;
    # libcmocka 1.1 prints it but exits with 0.
    if args.framework == 'gtest':
        env, paths = xml_env(args.framework, tmp, 'teardown')
        env['FRAMEWORK_FAILURES_GROUP'] = 'group_teardown'
        rc, out = run(args.binary, env)
        xml, _ = xml_results(args.framework, tmp, 'teardown', paths)
        status, msg = xml.get(GROUP_TEARDOWN_TEST, ('not run', ''))
        word = 'group teardown of teardown_failing_tests returned -1'
        if rc == 0 or status != 'failed' or word not in msg:
            raise CheckError('group teardown failure: exit code %d, test %s, '
                             'message %r' % (rc, status, msg))
    else:
        rc, out = run(args.binary, {'FRAMEWORK_FAILURES_GROUP':
                                    'group_teardown'})
        status = console_results(out).get(GROUP_TEARDOWN_TEST, 'not run')
        if 'GROUP TEARDOWN' not in out:
            raise CheckError('group teardown failure not reported:\n' + out)
    print('failed group teardown: exit code %d, test %s' % (rc, status))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--framework', choices=['gtest', 'cmocka'],
                        required=True)
    parser.add_argument('--source', required=True)
    parser.add_argument('--binary', required=True)
    parser.add_argument('mode', choices=['passing', 'failing'])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix='check-framework-') as tmp:
        try:
            if args.mode == 'passing':
                check_passing(args, tmp)
            else:
                check_failing(args, tmp)
        except (CheckError, subprocess.TimeoutExpired) as e:
            print('FAIL: %s' % e)
            return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
