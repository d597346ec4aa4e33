# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-mp-pack contributors
"""Faults and bad input that need a running group: each answer is one clear line.

One test per case of the bad-input report (issue 16); the cases that need no
running process are in test_bad_input.py.
"""
# Every DPDK process here gets --no-pci and its own --file-prefix from mpharness.Group.

import re
import signal

import l2fwd_fork_helpers as lf

PROMPT = 'simple_mp > '
WAIT = 60
NULL_PORTS = ['net_null0', 'net_null1']
SMP_ARGS = ['-p', '3', '--num-procs', '2', '--proc-id']


def app_lines(out, app):
    """The lines an app printed itself ('<app>: ...' or 'dpdk-<app>: ...')."""
    return [ln for ln in out.splitlines() if re.match(r'(dpdk-)?%s: ' % app, ln)]


def one_line(r, app, pattern):
    """r failed with exactly one line of its own, matching pattern."""
    assert r.returncode == 1, r.stdout
    lines = app_lines(r.stdout, app)
    assert len(lines) == 1, r.stdout
    assert re.search(pattern, lines[0]), lines[0]
    return lines[0]


def simple_pair(mp):
    mp.timeout = WAIT
    a = mp.start('simple_mp', lcores='0@0,1@1', proc_type='primary', prompt=PROMPT, name='a')
    b = mp.start('simple_mp', lcores='2@0,3@1', proc_type='secondary', prompt=PROMPT, name='b')
    return a, b


def symmetric(mp, i, proc_type):
    p = mp.start('symmetric_mp', lcores='%d@%d' % (i, i % 2), proc_type=proc_type,
                 vdevs=NULL_PORTS, app_args=SMP_ARGS + [str(i)], name='smp%d' % i)
    p.expect(r'process %d of 2 \(%s, pid \d+\) forwarding' % (i, proc_type), timeout=WAIT)
    return p


def test_new_primary_refused_over_orphaned_secondary(mp):
    """Case 1: a new primary over the live secondary of a primary that left it the group
    is refused, and the secondary exits cleanly (DPDK 22.11 crashed it with SIGFPE in
    rte_eal_cleanup())."""
    p0 = symmetric(mp, 0, 'primary')
    p1 = symmetric(mp, 1, 'secondary')
    assert p0.stop() == 0
    r = mp.run('symmetric_mp', lcores='0@0', proc_type='primary', vdevs=NULL_PORTS,
               app_args=SMP_ARGS + ['0'], timeout=WAIT)
    one_line(r, 'symmetric_mp', r'the primary process of --file-prefix %s has exited but its '
             r'secondary processes still run \(pid %d\)' % (mp.prefix, p1.pid))
    assert 'memzone' not in r.stdout, r.stdout
    assert p1.stop(10) == 0
    assert re.search(r'Process 1 \(pid %d, secondary\) statistics' % p1.pid, p1.output())


def test_second_primary_and_lonely_secondary_named(mp):
    """Case 2: a second primary, and a secondary with no primary, say so, not 'Success'."""
    a = mp.start('simple_mp', lcores='0@0,1@1', proc_type='primary', prompt=PROMPT, name='a',
                 timeout=WAIT)
    for app, extra in (('simple_mp', []), ('symmetric_mp', SMP_ARGS + ['0'])):
        r = mp.run(app, lcores='2@0,3@1', proc_type='primary', vdevs=NULL_PORTS,
                   app_args=extra, timeout=WAIT)
        one_line(r, app, r'a primary process already runs with --file-prefix %s \(pid %d\)'
                 % (mp.prefix, a.pid))
        assert 'Success' not in r.stdout
    assert a.alive()


def test_simple_mp_secondary_on_primary_lcores_refused(mp):
    """Case 3: simple_mp refuses a secondary on the primary's lcores, as the others do."""
    a = mp.start('simple_mp', lcores='0@0,1@1', proc_type='primary', prompt=PROMPT, name='a',
                 timeout=WAIT)
    r = mp.run('simple_mp', lcores='0@0,1@1', proc_type='secondary', timeout=WAIT)
    one_line(r, 'simple_mp', r'lcore 0 .*pid %d' % a.pid)
    # The primary is undisturbed: a proper secondary still gets its messages.
    b = mp.start('simple_mp', lcores='2@0,3@1', proc_type='secondary', prompt=PROMPT,
                 name='b', timeout=WAIT)
    a.sendline('send still_one')
    b.expect_exact("core 3: Received 'still_one'", timeout=WAIT)


def test_bad_eal_option_blamed_with_primary_running(mp):
    """Case 5: with the primary running, a bad EAL option is blamed, not the primary."""
    mp.start('simple_mp', lcores='0@0,1@1', proc_type='primary', prompt=PROMPT, name='a',
             timeout=WAIT)
    r = mp.run('simple_mp', lcores='2@0,3@99', proc_type='secondary', timeout=WAIT)
    line = one_line(r, 'simple_mp', r'cannot initialise the EAL: core 99 unavailable')
    assert 'primary' not in line
    r = mp.run('simple_mp', lcores='2@0,3@1', proc_type='secondary', eal_extra=['--bogus-opt'],
               timeout=WAIT)
    line = one_line(r, 'simple_mp', r"cannot initialise the EAL: unrecognized option "
                    r"'--bogus-opt'")
    assert 'primary' not in line


def test_non_ascii_message_refused(mp):
    """Case 6: non-ASCII text is refused, not sent with its bytes dropped."""
    a, b = simple_pair(mp)
    a.sendline('send h\u00e9llo w\u00f6rld')
    a.expect(r'Error: the line holds non-ASCII bytes', timeout=WAIT)
    a.wait_prompt()
    a.sendline('send plain')
    b.expect_exact("core 3: Received 'plain'", timeout=WAIT)
    assert 'hllo' not in b.output()


def test_truncated_line_reported(mp):
    """Case 7: a 10 kB message is reported as a truncated line, not as 507 bytes."""
    a, b = simple_pair(mp)
    a.sendline('send ' + 'x' * 10000)
    a.expect(r'Error: the line is 10005 characters long and the prompt keeps 512: '
             r'it was truncated', timeout=WAIT)
    a.wait_prompt()
    assert 'message is 507 bytes' not in a.output()
    a.sendline('send after')
    b.expect_exact("core 3: Received 'after'", timeout=WAIT)
    assert 'xxx' not in b.output()


def test_l2fwd_fork_runs_only_as_primary(mp):
    """Case 8: l2fwd_fork as a secondary of a running main says it runs only as a primary."""
    main = lf.L2fwdFork(mp)
    for proc_type in ('secondary', 'auto'):
        r = mp.run('l2fwd_fork', lcores='3@0,4@1,5@0', proc_type=proc_type,
                   vdevs=lf.null_vdevs(2), app_args=['-p', '3'], timeout=WAIT)
        one_line(r, 'l2fwd_fork', r'l2fwd_fork runs only as a primary process')
        assert 'already declared' not in r.stdout
    assert main.proc.alive()
    code, out, diag = main.stop()
    lf.assert_clean_exit(code, out, diag)


def test_mp_client_id_range_with_server(mp):
    """mp_client -n -1 gives the range of ids."""
    server = mp.start('mp_server', lcores='0@0', vdevs=NULL_PORTS, eal_extra=['-m', '256'],
                      app_args=['-p', '3', '-n', '2'], name='server')
    server.expect(r'mp_server: 2 clients', timeout=WAIT)
    r = mp.run('mp_client', lcores='2@1', proc_type='secondary', app_args=['-n', '-1'],
               timeout=WAIT)
    one_line(r, 'mp_client', r"invalid client id '-1' \(0\.\.31")


def test_mp_server_signals(mp):
    """SIGUSR2 leaves mp_server running; SIGHUP stops it with its statistics."""
    server = mp.start('mp_server', lcores='0@0', vdevs=NULL_PORTS, eal_extra=['-m', '256'],
                      app_args=['-p', '3', '-n', '1'], name='server')
    server.expect(r'mp_server: 1 clients', timeout=WAIT)
    server.signal(signal.SIGUSR2)
    with mp.telemetry() as t:
        assert t.query('/mpsupport/info')['pid'] == server.pid
    assert server.alive()
    server.signal(signal.SIGHUP)
    assert server.wait_exit(20) == 0
    assert '== mp_server final statistics ==' in server.output()


def test_l2fwd_fork_sighup_stops_cleanly(mp):
    """SIGHUP stops l2fwd_fork as SIGTERM does: workers stopped, statistics printed."""
    main = lf.L2fwdFork(mp)
    main.wait_all_forwarding()
    main.proc.signal(signal.SIGHUP)
    code = main.proc.wait_exit(30)
    out = main.proc.output()
    assert code == 0, out[-2000:]
    assert 'l2fwd_fork: stopping workers' in out and 'Bye...' in out, out[-2000:]
