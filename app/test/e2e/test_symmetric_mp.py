# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-mp-pack contributors
"""dpdk-symmetric_mp end to end: packet conservation for 1, 2 and 4 processes,
bad input, statistics on signals, secondaries leaving with a dead primary, and a primary
that stopped first restarted as a secondary."""
# Every DPDK process here gets --no-pci and its own --file-prefix from mpharness.Group.

import re
import signal
import tempfile

import pytest

import mp_traffic as mt

APP = 'symmetric_mp'
PKTS_PER_QUEUE = 300
NULL_PORTS = ['net_null0', 'net_null1']


def lcore_of(i):
    """Process i runs on lcore i, on CPU i % 2: more processes than CPUs."""
    return '%d@%d' % (i, i % 2)


def start_procs(mp, n, vdevs, first=0, proc_type=None):
    procs = []
    for i in range(first, n):
        primary = i == 0 and proc_type is None
        p = mp.start(APP, lcores=lcore_of(i),
                     proc_type='primary' if primary else (proc_type or 'secondary'),
                     vdevs=vdevs if primary else (),
                     eal_extra=['-m', '256'] if primary else (),
                     app_args=['-p', '3', '--num-procs', str(n), '--proc-id', str(i)],
                     name='smp%d' % i)
        p.expect(r'process %d of %d \((primary|secondary), pid \d+\) forwarding' % (i, n),
                 timeout=30)
        procs.append(p)
    return procs


def proc_stats(output):
    """Per-port rx/tx/drop printed by one process when it stops."""
    return {int(m.group(1)): tuple(int(x) for x in m.group(2, 3, 4))
            for m in re.finditer(r'port (\d+): rx (\d+) tx (\d+) drop (\d+)', output)}


@pytest.mark.parametrize('nprocs', [1, 2, 4])
def test_conservation(mp, nprocs):
    """Every packet fed into a port leaves the paired port once, on the same queue."""
    workdir = tempfile.mkdtemp(prefix='smp')
    counts = {(p, q): PKTS_PER_QUEUE for p in range(2) for q in range(nprocs)}
    # The apps are the memif clients: a client owns the buffers of the ring
    # it sends on, so the apps' TX never waits for testpmd to poll first
    # (a server's does, and drops a burst if testpmd is late).
    peer = mt.Peer(workdir, nprocs, counts, app_role='client')
    try:
        peer.launch()
        procs = start_procs(mp, nprocs, peer.app_vdevs())
        peer.start(app_group=mp)
        total = sum(counts.values())
        got = peer.wait_output(total)
        if got != total:
            details = peer.fwd_stats()
            peer.pause()
            for p in procs:
                p.stop()
                details += '\n' + p.output()[-1500:]
            raise AssertionError('peer got back %d of %d packets:\n%s' % (got, total, details))

        # dpdk-proc-info attaches to the running primary and reads the ports.
        stats = mt.wait_for(lambda: (lambda s: s if s.get(1, (0, 0))[1] >= total // 2 else None)(
            mt.proc_info_stats(mp)[0]))
        assert stats, 'dpdk-proc-info did not show the port counters'
        assert stats[0] == (total // 2, total // 2)
        assert stats[1] == (total // 2, total // 2)

        # Each process saw exactly its own queue's packets and dropped none.
        peer.pause()
        for i, p in enumerate(procs):
            assert p.stop() == 0
            st = proc_stats(p.output())
            assert st[0] == (PKTS_PER_QUEUE, PKTS_PER_QUEUE, 0), (i, st)
            assert st[1] == (PKTS_PER_QUEUE, PKTS_PER_QUEUE, 0), (i, st)

        peer.finish()
        mt.check_conservation(peer, expect_queue_map=True)
    finally:
        peer.close()


def expect_error(mp, argv_app, pattern, lcores='3@1', proc_type='secondary', vdevs=()):
    r = mp.run(APP, lcores=lcores, proc_type=proc_type, vdevs=vdevs, app_args=argv_app,
               timeout=30)
    assert r.returncode != 0, r.stdout
    errs = [ln for ln in r.stdout.splitlines() if re.search(r'error', ln, re.I)]
    assert len(errs) == 1, 'expected one error line:\n' + r.stdout
    # the library names the problem to the app, which says it once
    assert 'MPS:' not in r.stdout, r.stdout
    assert re.search(pattern, errs[0]), errs[0]
    return errs[0]


@pytest.mark.parametrize('args,pattern', [
    (['-p', 'xyz', '--num-procs', '2', '--proc-id', '0'], r"portmask 'xyz'"),
    (['-p', '0', '--num-procs', '2', '--proc-id', '0'], r"portmask '0'"),
    (['-p', '3', '--num-procs', '0', '--proc-id', '0'], r"--num-procs '0'"),
    (['-p', '3', '--num-procs', '2', '--proc-id', '2'], r'--proc-id 2 is not below --num-procs 2'),
    (['-p', '3', '--num-procs', '2', '--proc-id', 'x1'], r"--proc-id 'x1'"),
    (['-p', '3', '--num-procs', '2'], r'missing --proc-id'),
    (['-p', '1', '--num-procs', '1', '--proc-id', '0'], r'0x1 selects 1 ports; an even'),
    (['-p', 'c', '--num-procs', '1', '--proc-id', '0'], r'port 2 of portmask 0xc does not exist'),
    (['-p', '3', '--num-procs', '1', '--proc-id', '0', '--bogus'], r"unknown option '--bogus'"),
])
def test_bad_primary_args(mp, args, pattern):
    expect_error(mp, args, pattern, lcores='0', proc_type='primary', vdevs=NULL_PORTS)


def test_bad_secondaries(mp):
    """Secondaries that disagree with the running primary stop at once, naming the values."""
    procs = start_procs(mp, 2, NULL_PORTS)
    expect_error(mp, ['-p', '3', '--num-procs', '4', '--proc-id', '1'],
                 r'--num-procs 4 -p 0x3 differ from the primary.s --num-procs 2 -p 0x3')
    expect_error(mp, ['-p', '3', '--num-procs', '2', '--proc-id', '2'],
                 r'--proc-id 2 is not below --num-procs 2')
    # A proc-id that a live process runs.
    expect_error(mp, ['-p', '3', '--num-procs', '2', '--proc-id', '1'],
                 r'--proc-id 1 is already run by pid %d' % procs[1].pid)
    # An lcore that a live member runs on (lcore 1 is process 1's).
    expect_error(mp, ['-p', '3', '--num-procs', '2', '--proc-id', '1'],
                 r'lcore 1 .*pid %d' % procs[1].pid, lcores='1@1')
    # The group is undisturbed.
    for p in procs:
        assert p.alive()
    for p in procs:
        assert p.stop() == 0
        st = proc_stats(p.output())
        assert st[0][0] > 0 and st[0][2] == 0, st


def test_secondary_with_other_portmask(mp):
    """A secondary whose portmask differs from the primary's stops, naming both."""
    primary = mp.start(APP, lcores=lcore_of(0), proc_type='primary',
                       vdevs=NULL_PORTS + ['net_null2', 'net_null3'], eal_extra=['-m', '256'],
                       app_args=['-p', 'f', '--num-procs', '2', '--proc-id', '0'], name='smp0')
    primary.expect(r'process 0 of 2 \(primary, pid \d+\) forwarding', timeout=30)
    expect_error(mp, ['-p', '3', '--num-procs', '2', '--proc-id', '1'],
                 r'--num-procs 2 -p 0x3 differ from the primary.s --num-procs 2 -p 0xf')
    assert primary.alive()
    assert primary.stop() == 0


def queues_busy(mp, nprocs):
    """True when dpdk-proc-info shows packets received on queues 0..nprocs-1 of both ports."""
    ports = mt.proc_info_xstats(mp)
    return len(ports) >= 2 and all(
        all(x.get('rx_q%d_packets' % q, 0) > 0 for q in range(nprocs)) for x in ports.values())


@pytest.mark.parametrize('sig', [signal.SIGINT, signal.SIGTERM])
def test_signal_prints_stats(mp, sig):
    procs = start_procs(mp, 2, NULL_PORTS)
    # Signal only once every process has polled its queue of both ports.
    assert mt.wait_for(lambda: queues_busy(mp, 2)), 'the queues never received'
    for i in (1, 0):
        procs[i].signal(sig)
        assert procs[i].wait_exit(10) == 0
        out = procs[i].output()
        assert re.search(r'Process %d \(pid %d, %s\) statistics' %
                         (i, procs[i].pid, 'primary' if i == 0 else 'secondary'), out), out
        st = proc_stats(out)
        assert set(st) == {0, 1}
        assert st[0][0] > 0 and st[1][0] > 0


def test_secondaries_leave_when_primary_dies(mp):
    """kill -9 of the primary: every secondary exits with code 1 and one line (the app
    promises 1 s, the test allows 10 s under load)."""
    procs = start_procs(mp, 3, NULL_PORTS)
    marks = [p.mark() for p in procs]
    procs[0].signal(signal.SIGKILL)
    assert procs[0].wait_exit(10) == -signal.SIGKILL
    for p, mark in zip(procs[1:], marks[1:]):
        assert p.wait_exit(10) == 1
        assert p.lines_since(mark) == [
            'dpdk-symmetric_mp: error: the primary process (pid %d) has exited; a secondary '
            'cannot go on' % procs[0].pid]


def test_stopped_primary_restarts_as_secondary(mp):
    """A primary that stops first leaves the group to the others; process 0 comes back
    as a secondary and forwards again."""
    procs = start_procs(mp, 2, NULL_PORTS)
    assert procs[0].stop() == 0
    assert procs[1].alive()

    # Same command line, but as a secondary: the ports and pool are still there.
    # With no primary to ask for the device list, it needs the --vdev arguments.
    # (dpdk-proc-info refuses to run without a primary, so the processes' own
    # statistics tell whether they forward.)
    again = mp.start(APP, lcores=lcore_of(0), proc_type='secondary', vdevs=NULL_PORTS,
                     app_args=['-p', '3', '--num-procs', '2', '--proc-id', '0'], name='smp0b')
    again.expect(r'process 0 of 2 \(secondary, pid \d+\) forwarding', timeout=30)

    # A duplicate of the restarted proc-id is still refused.
    r = mp.run(APP, lcores='3@1', proc_type='secondary', vdevs=NULL_PORTS,
               app_args=['-p', '3', '--num-procs', '2', '--proc-id', '0'], timeout=30)
    assert r.returncode != 0 and ('already run by pid %d' % again.pid) in r.stdout, r.stdout

    for p in (again, procs[1]):
        assert p.stop() == 0
        st = proc_stats(p.output())
        assert st[0][0] > 0 and st[1][0] > 0 and st[0][2] == 0 and st[1][2] == 0, st


def test_primary_stops_first(mp):
    """A primary stopped while a secondary forwards leaves the ports to it."""
    procs = start_procs(mp, 2, NULL_PORTS)
    assert procs[0].stop() == 0
    assert re.search(r'1 other process\(es\) still forwarding: ports left up',
                     procs[0].output())
    assert procs[1].alive()
    assert procs[1].stop() == 0
    st = proc_stats(procs[1].output())
    assert st[0][0] > 0 and st[0][2] == 0 and st[1][2] == 0, st
