# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-mp-pack contributors
"""dpdk-l2fwd_fork end to end: forwarding, crash recovery, floating workers, bad input.

Forwarding correctness uses finite input (net_pcap files written here); recovery uses
net_null ports, which receive without end. Every check is on counts and audits, read
from the app's telemetry (and compared with the lines it prints for people), never on
how long something took; every wait has a bound.
"""

import os
import signal
import time

import pytest

import l2fwd_fork_helpers as h

FLOAT = [pytest.param(False, id='pinned'), pytest.param(True, id='floating')]


def test_forwarding_conserves_packets(mp, tmp_path):
    """Every packet read from a port's pcap comes out of the paired port, rewritten."""
    counts = {0: 700, 1: 450}
    vdevs = []
    for port, n in counts.items():
        h.write_pcap(str(tmp_path / ('in%d.pcap' % port)),
                     [h.make_frame(port, i) for i in range(n)])
        vdevs.append('net_pcap%d,rx_pcap=%s,tx_pcap=%s' % (
            port, tmp_path / ('in%d.pcap' % port), tmp_path / ('out%d.pcap' % port)))
    app = h.L2fwdFork(mp, nports=2, vdevs=vdevs, app_args=['-T', '1'])
    macs = {int(m.group(1)): bytes.fromhex(m.group(2).replace(':', ''))
            for m in h.RE_MAC.finditer(app.proc.output())}
    assert sorted(macs) == [0, 1]

    def out_count(port):
        try:
            return len(h.read_pcap(str(tmp_path / ('out%d.pcap' % port))))
        except (AssertionError, OSError):
            return -1
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and (out_count(1) < counts[0] or out_count(0) < counts[1]):
        app._pump(0.2)
    code, out, diag = app.stop()
    h.assert_clean_exit(code, out, diag)

    stats = h.telemetry_port_stats(diag['stats'])
    # the table printed at exit says the same
    assert h.last_port_stats(out) == stats, (h.last_port_stats(out), stats)
    for port, n in counts.items():
        dst = port ^ 1
        sent, _, dropped = stats[dst]
        _, received, _ = stats[port]
        assert received == n, (port, stats)
        assert sent + dropped == n, (dst, stats)
        frames = h.read_pcap(str(tmp_path / ('out%d.pcap' % dst)))
        assert len(frames) == sent
        seqs = sorted(int.from_bytes(f[16:20], 'big') for f in frames
                      if int.from_bytes(f[14:16], 'big') == port)
        assert seqs == list(range(n)), 'port %d -> %d: lost or duplicated packets' % (port, dst)
        for f in frames:
            assert f[0:6] == bytes([2, 0, 0, 0, 0, dst]), f[:12].hex()
            assert f[6:12] == macs[dst], f[:12].hex()


def _kill_and_recover(app, victims):
    """kill -9 the given workers; wait until each pair runs new forwarding instances."""
    before = app.wait_all_forwarding()
    for w in victims:
        app.kill(before[w])
    for w in range(app.nworkers):
        app.wait_new_instance(w, before[w])
    for w in victims:
        app.wait_until(lambda: before[w] in app.killed, 10, 'kill of pid %d reported' % before[w])
        assert app.killed[before[w]] == signal.SIGKILL
    for pid in before.values():
        deadline = time.monotonic() + 5
        while h.pid_exists(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not h.pid_exists(pid), 'old worker %d still alive' % pid
    return before


def _check_stopped_run(code, out, diag, restarts, traffic=True):
    """After app.stop(): a clean exit with every mbuf found once and no lcore id leaked
    (assert_clean_exit), every worker stopped, not failed, after exactly restarts[w]
    restarts (None: not checked), and with traffic, every port received and sent
    packets."""
    h.assert_clean_exit(code, out, diag)
    workers = {int(k): w for k, w in diag['workers'].items() if isinstance(w, dict)}
    assert sorted(workers) == sorted(restarts), diag['workers']
    for w, n in restarts.items():
        assert workers[w]['state'] == 'stopped', diag['workers']
        assert n is None or workers[w]['restarts'] == n, diag['workers']
    stats = h.telemetry_port_stats(diag['stats'])
    assert stats, diag['stats']
    assert all((sent > 0 and received > 0) == traffic for sent, received, _ in stats.values()), \
        diag['stats']


@pytest.mark.parametrize('floating', FLOAT)
def test_kill_one_worker(mp, floating):
    app = h.L2fwdFork(mp, floating=floating)
    _kill_and_recover(app, [0])
    _kill_and_recover(app, [1])
    # each kill restarts the pair
    _check_stopped_run(*app.stop(), restarts={0: 2, 1: 2})


@pytest.mark.parametrize('floating', FLOAT)
def test_kill_both_workers_of_a_pair(mp, floating):
    app = h.L2fwdFork(mp, floating=floating)
    _kill_and_recover(app, [0, 1])
    _check_stopped_run(*app.stop(), restarts={0: 1, 1: 1})


@pytest.mark.parametrize('floating', FLOAT)
def test_kill_worker_during_its_restart(mp, floating):
    app = h.L2fwdFork(mp, floating=floating)
    first = app.wait_all_forwarding()
    app.kill(first[0])
    # the replacement is killed as soon as it is announced, before it forwards
    app.wait_until(lambda: app.pids.get(0) != first[0], 10, 'worker 0 restarted')
    second = app.pids[0]
    try:
        os.kill(second, signal.SIGKILL)
    except ProcessLookupError:
        pass
    third = app.wait_new_instance(0, second)
    assert third not in (first[0], second)
    app.wait_new_instance(1, first[1])
    app.wait_all_forwarding()
    # worker 0 ran three instances; its pair may have been restarted once for both kills
    code, out, diag = app.stop()
    _check_stopped_run(code, out, diag, restarts={0: 2, 1: None})
    assert diag['workers']['1']['restarts'] in (1, 2), diag['workers']


def test_pairs_have_own_pools_and_recover_alone(mp):
    """Two pairs, one mbuf pool each: killing a worker of the first pair restarts
    that pair only, its pool is rebuilt, and the second pair keeps running."""
    app = h.L2fwdFork(mp, nports=4, lcores=h.LCORES_2PAIRS)
    assert app.nworkers == 4
    before = app.wait_all_forwarding()
    out = app.proc.output()
    assert '2 mbuf pool(s), one per group of paired workers, rebuilt in each recovery' \
        in out, out[-2000:]
    for _ in range(3):
        pids = app.wait_all_forwarding()
        app.kill(pids[1])
        app.wait_new_instance(0, pids[0])
        app.wait_new_instance(1, pids[1])
    after = app.wait_all_forwarding()
    assert after[2] == before[2] and after[3] == before[3], (before, after)
    code, out, diag = app.stop()
    audit = h.assert_clean_exit(code, out, diag)
    assert audit['size'] == 2 * 8192, audit
    # three recoveries of the first pair, none of the second
    assert diag['recovery']['recoveries'] == 3 and diag['recovery']['last_group'] == 0x3, \
        diag['recovery']
    assert diag['workers']['2']['restarts'] == 0 and diag['workers']['3']['restarts'] == 0, \
        diag['workers']


def test_ring_driver_rebuilt(mp):
    """net_ring keeps mbufs in its queues, where the library reads them: the pools are
    rebuilt but for what the rings hold, and recovery gives every mbuf back."""
    app = h.L2fwdFork(mp, vdevs=['net_ring0', 'net_ring1'])
    out = app.proc.output()
    assert 'may keep mbufs in its queues' not in out, out[-2000:]
    assert 'rebuilt in each recovery' in out, out[-2000:]
    app.wait_until(lambda: len(app.pids) == 2, 10, 'both workers started')
    pids = dict(app.pids)
    app.kill(pids[0])
    app.wait_until(lambda: app.pids.get(0) not in (None, pids[0]) and
                   app.pids.get(1) not in (None, pids[1]), 20, 'pair restarted')
    # nothing feeds a net_ring port here: no traffic
    _check_stopped_run(*app.stop(), restarts={0: 1, 1: 1}, traffic=False)


def test_pcap_replay_not_rebuilt(mp, tmp_path):
    """net_pcap with infinite_rx keeps the mbufs it replays from: not rebuilt either."""
    rx = str(tmp_path / 'in.pcap')
    h.write_pcap(rx, [h.make_frame(0, i) for i in range(64)])
    vdevs = ['net_pcap%d,rx_pcap=%s,tx_pcap=/dev/null,infinite_rx=1' % (i, rx)
             for i in range(2)]
    app = h.L2fwdFork(mp, vdevs=vdevs)
    before = app.wait_all_forwarding()
    out = app.proc.output()
    assert 'port 0 (net_pcap) may keep mbufs in its queues' in out, out[-2000:]
    assert 'rebuilt in each recovery' not in out
    app.kill(before[1])
    app.wait_new_instance(0, before[0])
    app.wait_new_instance(1, before[1])
    code, out, diag = app.stop()
    assert code == 0, out[-3000:]
    # The replayed mbufs (each port's 64 frames) stay with the driver until the port
    # is closed: exactly those are missing from the pool, every other mbuf is there once.
    held = 2 * 64
    audit, check = diag['audit'], diag['pool_check']
    assert (audit['failed'], audit['leaked_lcores'], audit['in_lists'], audit['unaccounted'],
            audit['surplus']) == (0, 0, 0, held, 0), audit
    assert audit['in_pool'] + audit['in_caches'] == audit['size'] - held, audit
    assert (check['distinct'], check['duplicates']) == (check['size'] - held, 0), check
    assert check['size'] == audit['size'], (check, audit)
    assert diag['leaked_lcores']['count'] == 0, diag['leaked_lcores']
    # the audit and pool check printed at exit, ports still open, find the same
    final = h.final_audit(out)
    assert final and (final['unaccounted'], final['surplus'], final['leaked']) == (held, 0, 0), \
        final
    assert h.RE_POOL_CHECK.findall(out)[-1] == (str(check['size'] - held), str(check['size']),
                                                 '0'), out[-3000:]
    workers = {int(k): w for k, w in diag['workers'].items() if isinstance(w, dict)}
    assert [(w['state'], w['restarts']) for _, w in sorted(workers.items())] == \
        [('stopped', 1), ('stopped', 1)], diag['workers']
    stats = h.telemetry_port_stats(diag['stats'])
    assert all(sent > 0 and received > 0 for sent, received, _ in stats.values()), stats


def test_floating_workers_take_unique_ids(mp):
    app = h.L2fwdFork(mp, floating=True)
    for _ in range(3):
        pids = app.wait_all_forwarding()
        ids = [app.forwarding[p][1] for p in pids.values()]
        assert len(set(ids)) == len(ids), ids
        assert all(i > 2 for i in ids), 'floating id overlaps an EAL lcore: %s' % ids
        app.kill(pids[1])
        # both workers of the pair run new instances
        for w in pids:
            app.wait_new_instance(w, pids[w])
    app.wait_all_forwarding()
    _check_stopped_run(*app.stop(), restarts={0: 3, 1: 3})


# Crash-loop bounds wide enough for any load: every death is young (within a minute
# of the launch) and the five young deaths that fail a pair fit in the window (an hour).
CRASH_LOOP_ARGS = ['--young-ms', '60000', '--restart-window', '3600']


def test_crash_loop_marks_pair_failed(mp):
    """A worker killed every time it starts: back-off, then its pair is failed; the
    other pair keeps forwarding and the main stays up."""
    app = h.L2fwdFork(mp, nports=4, lcores=h.LCORES_2PAIRS, app_args=CRASH_LOOP_ARGS)
    pids = app.wait_all_forwarding(timeout=60)
    victim = pids[0]
    killed = set()
    deadline = time.monotonic() + 60
    while 0 not in app.failed and time.monotonic() < deadline:
        pid = app.pids.get(0)
        if pid and pid not in killed:
            killed.add(pid)
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        app._pump(0.5)
    app.wait_until(lambda: {0, 1} <= app.failed, 10, 'pair 0/1 reported failed')
    assert 'back-off' in app.proc.output()
    assert victim in killed
    # the other pair is untouched and still forwarding
    assert app.pids[2] == pids[2] and app.pids[3] == pids[3]
    audits = app.query('/l2fwd_fork/audit')['runs']
    app.proc.signal(signal.SIGUSR1)
    audit = app.wait_diag('/l2fwd_fork/audit', lambda a: a['runs'] > audits, 10,
                          'audit after SIGUSR1')
    assert audit['when'] == 'running' and audit['failed'] == 0, audit
    assert audit['leaked_lcores'] == 0, audit
    workers = app.query('/l2fwd_fork/workers')
    assert workers['0']['state'] == workers['1']['state'] == 'failed', workers
    assert workers['2']['state'] == workers['3']['state'] == 'running', workers
    first = h.telemetry_port_stats(app.query('/l2fwd_fork/stats'))
    assert first[2][1] > 0 and first[3][1] > 0, first
    # the other pair still forwards: its counters move (waited for, with a bound)
    app.wait_diag('/l2fwd_fork/stats', lambda s: all(
        h.telemetry_port_stats(s)[p][1] > first[p][1] for p in (2, 3)), 30,
        'pair 2/3 to go on forwarding')
    code, out, diag = app.stop()
    h.assert_clean_exit(code, out, diag)
    assert diag['workers']['0']['state'] == diag['workers']['1']['state'] == 'failed', diag
    # failed after exactly five young deaths in a row (the restart limit), not before
    assert diag['workers']['0']['restarts'] == 4, diag['workers']


@pytest.mark.parametrize('args,message', [
    pytest.param(['--young-ms', '86400001'], "invalid --young-ms '86400001'", id='young-big'),
    pytest.param(['--young-ms', 'x'], "invalid --young-ms 'x'", id='young-garbage'),
    pytest.param(['--restart-window', '0'], "invalid --restart-window '0'", id='window-zero'),
    pytest.param(['--restart-window'], "option '--restart-window' needs a value",
                 id='window-missing'),
])
def test_bad_crash_loop_bounds(mp, args, message):
    r = mp.run(h.APP, lcores=h.LCORES_1PAIR, vdevs=h.null_vdevs(2), eal_extra=h.EAL_MEM,
               app_args=['-p', '3'] + args, timeout=60)
    assert r.returncode != 0, r.stdout
    errors = [line for line in r.stdout.splitlines() if 'l2fwd_fork: error:' in line]
    assert len(errors) == 1 and message in errors[0], r.stdout


def test_odd_port_count_forwards_to_itself(mp):
    app = h.L2fwdFork(mp, nports=3, app_args=['-q', '2'])
    assert 'odd number of ports' in app.proc.output()
    assert 'receives on port(s) 2->2' in app.proc.output()
    pids = app.wait_all_forwarding()
    assert app.nworkers == 2
    # worker 1 (port 2) depends on nobody else: only it restarts
    app.kill(pids[1])
    app.wait_new_instance(1, pids[1])
    assert app.pids[0] == pids[0]
    app.wait_all_forwarding()
    _check_stopped_run(*app.stop(), restarts={0: 0, 1: 1})


BAD = [
    pytest.param(['-p', '0'], "invalid portmask '0'", id='portmask-zero'),
    pytest.param(['-p', 'xyz'], "invalid portmask 'xyz'", id='portmask-garbage'),
    pytest.param(['-p', '4'], 'port 2 of portmask', id='portmask-missing-port'),
    pytest.param(['-p', '3', '-q', '0'], "ports per lcore '0'", id='q-zero'),
    pytest.param(['-p', '3', '-q', '17'], "ports per lcore '17'", id='q-too-big'),
    pytest.param(['-p', '3', '-T', '86401'], "statistics period '86401'", id='T-too-big'),
    pytest.param(['-p', '3', '-T', '-1'], "statistics period '-1'", id='T-negative'),
    pytest.param(['-p', '3', '-x'], "unknown option '-x'", id='unknown-option'),
    pytest.param(['-q', '1'], 'missing portmask', id='no-portmask'),
    pytest.param(['-p', 'f'], 'port 2 of portmask', id='more-ports-than-devices'),
]


@pytest.mark.parametrize('args,message', BAD)
def test_bad_options(mp, args, message):
    r = mp.run(h.APP, lcores=h.LCORES_1PAIR, vdevs=h.null_vdevs(2), eal_extra=h.EAL_MEM,
               app_args=args, timeout=60)
    assert r.returncode != 0, r.stdout
    errors = [line for line in r.stdout.splitlines() if 'l2fwd_fork: error:' in line]
    assert len(errors) == 1 and message in errors[0], r.stdout
    assert 'started, pid' not in r.stdout


def test_too_many_ports_for_lcores(mp):
    r = mp.run(h.APP, lcores=h.LCORES_1PAIR, vdevs=h.null_vdevs(4), eal_extra=h.EAL_MEM,
               app_args=['-p', 'f'], timeout=60)
    assert r.returncode != 0
    assert 'need 4 worker lcores, only 2 given' in r.stdout, r.stdout


def test_too_few_lcores(mp):
    r = mp.run(h.APP, lcores='0@0,1@1', vdevs=h.null_vdevs(2), eal_extra=h.EAL_MEM,
               app_args=['-p', '3'], timeout=60)
    assert r.returncode != 0
    assert 'l2fwd_fork: error: 2 lcores given, at least 3 needed' in r.stdout, r.stdout


def test_no_huge_refused(mp):
    r = mp.run(h.APP, lcores=h.LCORES_1PAIR, vdevs=h.null_vdevs(2),
               eal_extra=['--no-huge', '-m', '256'], app_args=['-p', '3'], timeout=60)
    assert r.returncode != 0
    assert 'l2fwd_fork: error: --no-huge is not supported' in r.stdout, r.stdout
    assert 'started, pid' not in r.stdout


def _wait_gone(pids, bound=5.0):
    deadline = time.monotonic() + bound
    while any(h.pid_exists(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    return [p for p in pids if h.pid_exists(p)]


def test_sigterm_stops_workers_then_cleans_up(mp):
    app = h.L2fwdFork(mp)
    pids = app.wait_all_forwarding()
    # what telemetry says just before: every worker running, no lcore id leaked
    workers = app.poll_workers()
    assert {int(k): w['pid'] for k, w in workers.items() if isinstance(w, dict)} == pids
    assert all(w['state'] == 'running' for w in workers.values() if isinstance(w, dict))
    assert app.query('/l2fwd_fork/leaked_lcores')['count'] == 0
    app.proc.signal(signal.SIGTERM)
    code = app.proc.wait_exit(30)
    out = app.proc.output()
    # the exit path with running workers: its audit is only printed, telemetry is gone
    h.assert_clean_exit(code, out)
    # the workers were stopped over their command rings, not killed
    for pid in pids.values():
        assert 'pid %d exited with code 0' % pid in out, out[-3000:]
    assert out.index('stopping workers') < out.index('audit (exit)')
    assert _wait_gone(list(pids.values())) == []


def test_stop_workers_keeps_main_up(mp):
    """SIGUSR2: the workers stop over their command rings, the pools are audited and
    checked with the main still up, and telemetry shows it all."""
    app = h.L2fwdFork(mp)
    _kill_and_recover(app, [1])
    pids = app.wait_all_forwarding()
    audits = app.query('/l2fwd_fork/audit')['runs']
    app.proc.signal(signal.SIGUSR2)
    audit = app.wait_diag('/l2fwd_fork/audit',
                          lambda a: a['runs'] > audits and a['when'] == 'stopped', 20,
                          'audit of the stopped workers')
    check = app.wait_diag('/l2fwd_fork/pool_check', lambda c: c['when'] == 'stopped', 20,
                          'pool check of the stopped workers')
    assert app.proc.alive()
    workers = app.query('/l2fwd_fork/workers')
    for w, pid in pids.items():
        entry = workers[str(w)]
        assert entry['state'] == 'stopped', workers
        # stopped over the command ring: exit code 0, no signal
        assert (entry['exit_pid'], entry['exit_signal'], entry['exit_code']) == (pid, 0, 0), \
            workers
        assert entry['restarts'] == 1, workers
    assert _wait_gone(list(pids.values())) == []
    recovery = app.query('/l2fwd_fork/recovery')
    assert recovery['recoveries'] == 1 and recovery['last_group'] == 0x3, recovery
    assert 0 < recovery['last_reset_ns'] <= recovery['max_reset_ns'], recovery
    # nothing forwards any more
    stats = app.query('/l2fwd_fork/stats')
    time.sleep(0.3)
    assert app.query('/l2fwd_fork/stats') == stats
    assert stats['total_rx'] > 0, stats
    diag = {'audit': audit, 'pool_check': check, 'workers': workers,
            'leaked_lcores': app.query('/l2fwd_fork/leaked_lcores')}
    assert h.check_diagnostics(diag) == []
    # a second SIGUSR2 changes nothing; SIGINT ends the main as usual
    app.proc.signal(signal.SIGUSR2)
    time.sleep(0.2)
    assert app.query('/l2fwd_fork/audit')['runs'] == audit['runs']
    code, out, final = app.stop()
    h.assert_clean_exit(code, out, final)
    assert out.count('stopping workers') == 2


@pytest.mark.parametrize('floating', [False, True], ids=['pinned', 'floating'])
def test_workers_die_with_the_main(mp, floating):
    """kill -9 of the main process: the workers, first and restarted instances alike, get
    their parent-death signal (the app promises 1 s, the test allows 10 s under load)."""
    app = h.L2fwdFork(mp, floating=floating)
    _kill_and_recover(app, [0])
    pids = app.wait_all_forwarding()
    os.kill(app.proc.pid, signal.SIGKILL)
    assert app.proc.wait_exit(10) == -signal.SIGKILL
    assert _wait_gone(list(pids.values()), bound=10.0) == [], 'orphaned workers'


def test_sigint_while_setting_up(mp):
    """SIGINT while the main sets up, before its workers are launched: it is not lost,
    the main stops what it launched and exits with status 0. The signal is sent at once
    to a main started with SIGINT blocked: it stays pending until the app's first
    handler is installed (and SIGINT unblocked), at the very start of the set-up."""
    r = mp.run(h.APP, lcores=h.LCORES_1PAIR, vdevs=h.null_vdevs(2), eal_extra=h.EAL_MEM,
               app_args=['-p', '3', '-T', '0'], timeout=30,
               preexec_fn=lambda: signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT}),
               on_start=lambda p: p.send_signal(signal.SIGINT))
    assert r.returncode == 0, r.stdout[-3000:]
    assert 'workers launched' in r.stdout and r.stdout.rstrip().endswith('Bye...'), \
        r.stdout[-3000:]
