# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-mp-pack contributors
"""dpdk-l2fwd_fork kill points: a worker stopped at a chosen point of its TX or pool
path, then killed there, and nothing lost.

The app is started with --kill-point WORKER:NAME[:SKIP] (a build with -Dkill_points=true,
the build devtools/test.sh makes). The worker stops itself with SIGSTOP when it reaches
the point and writes its pid into shared memory; /l2fwd_fork/kill_points shows it. The
test checks that the pid is the worker's current instance and that it is stopped, kills
it with SIGKILL, waits until the pair runs new instances that forward, then stops the
workers and checks through telemetry that every mbuf is back exactly once: the audit
finds none unaccounted and the pool check finds every mbuf once, with no lcore id leaked.

A build without the kill points fails these tests (it refuses --kill-point, and its
telemetry says built_in 0); it never skips them.
"""

import signal

import pytest

import l2fwd_fork_helpers as h

# No death counts as young: a kill point can take its time to be reached.
APP_ARGS = ['--young-ms', '0']

# net_null returns full bursts and frees what it is sent at once: each worker allocates
# (a cache refill now and then) and frees as much as it allocates (never a cache flush),
# and sends each burst straight from its in-hand array.
NULL_POINTS = [
    'worker_rx',
    'worker_rx_refill',
    'tx_burst_direct',
    'tx_burst_sent',
]

def proc_state(pid):
    """The one-letter state of a process, from /proc/<pid>/stat."""
    with open('/proc/%d/stat' % pid) as f:
        return f.read().rsplit(')', 1)[1].split()[0]


def start(mp, point, worker=0, skip=0, more=(), **kw):
    args = APP_ARGS + ['--kill-point', '%d:%s:%d' % (worker, point, skip)]
    for p in more:
        args += ['--kill-point', p]
    app = h.L2fwdFork(mp, app_args=args + list(kw.pop('app_args', ())), **kw)
    assert app.query('/l2fwd_fork/kill_points')['built_in'] == 1
    return app


def wait_parked(app, point, worker=0, timeout=60, index=0):
    """Wait until the worker stopped at the point (kill point number index);
    return its pid."""
    found = {}

    def parked():
        kp = app.query('/l2fwd_fork/kill_points')
        e = kp[str(index)]
        assert (e['worker'], e['name']) == (worker, point), kp
        found.update(e)
        return e['parked_pid'] > 0 and app.pids.get(worker) == e['parked_pid']
    app.wait_until(parked, timeout, 'worker %d stopped at %s' % (worker, point))
    pid = found['parked_pid']
    assert found['passes'] == found['skip'] + 1, found
    # stopped by SIGSTOP at the point (the pid is written just before the
    # signal is raised), not gone
    app.wait_until(lambda: proc_state(pid) == 'T', 10,
                   'pid %d stopped at %s' % (pid, point))
    return pid


def kill_and_recover(app, pid, worker=0):
    """SIGKILL the stopped worker; wait until both workers run new forwarding instances."""
    # every worker's first instance known, the other one included
    app.wait_until(lambda: len(app.pids) == app.nworkers, 30, 'every worker started')
    before = dict(app.pids)
    assert before[worker] == pid
    app.kill(pid)
    for w in before:
        app.wait_new_instance(w, before[w], timeout=30)
    app.wait_until(lambda: pid in app.killed, 10, 'kill of pid %d reported' % pid)
    assert app.killed[pid] == signal.SIGKILL
    # the point is armed once: the new instances run on
    kp = app.query('/l2fwd_fork/kill_points')['0']
    assert kp['parked_pid'] == pid, kp


PCAP_FRAMES = 64


def pcap_ring_vdevs(tmp_path):
    """Port 0 replays a pcap file for ever (net_pcap infinite_rx, which keeps the file's
    frames in mbufs of its own) and writes what it is sent to /dev/null; port 1 is a
    net_ring port whose TX ring is its own RX ring. Worker 0 receives on port 0 and
    sends into the ring; worker 1 takes from the ring and sends to port 0, which frees.
    Neither driver lets the pool be rebuilt: the recovery frees, one by one, what the
    dead workers listed."""
    rx = str(tmp_path / 'in.pcap')
    h.write_pcap(rx, [h.make_frame(0, i) for i in range(PCAP_FRAMES)])
    return ['net_pcap0,rx_pcap=%s,tx_pcap=/dev/null,infinite_rx=1' % rx, 'net_ring0']


def assert_pcap_ring_clean(code, out, diag):
    """Every mbuf back once, but for the frames net_pcap keeps to replay."""
    assert code == 0, out[-3000:]
    audit, check = diag['audit'], diag['pool_check']
    problems = []
    if audit['failed'] != 0 or audit['leaked_lcores'] != 0:
        problems.append('audit failed or lcore ids leaked: %s' % audit)
    if audit['unaccounted'] != PCAP_FRAMES:
        problems.append('mbufs unaccounted other than the %d net_pcap replays: %s'
                        % (PCAP_FRAMES, audit))
    if check['duplicates'] != 0:
        problems.append('mbufs freed twice: %s' % check)
    if check['distinct'] != check['size'] - PCAP_FRAMES:
        problems.append('mbufs missing from the pool: %s' % check)
    assert not problems, '; '.join(problems)


def test_kill_points_built_in(mp):
    """The build under test has the kill points: without them the other tests cannot
    run, and that is a failure, not a skip."""
    app = h.L2fwdFork(mp)
    kp = app.query('/l2fwd_fork/kill_points')
    assert kp['built_in'] == 1, \
        'this build has no kill points: configure it with meson -Dkill_points=true ' \
        '(devtools/test.sh does): %s' % kp
    assert kp['count'] == 0, kp
    h.assert_clean_exit(*app.stop())


@pytest.mark.parametrize('floating', [pytest.param(False, id='pinned'),
                                      pytest.param(True, id='floating')])
@pytest.mark.parametrize('point', NULL_POINTS)
def test_kill_at_point_net_null(mp, point, floating):
    """net_null: the pair's pool is rebuilt in the recovery."""
    app = start(mp, point, floating=floating)
    pid = wait_parked(app, point)
    kill_and_recover(app, pid)
    h.assert_clean_exit(*app.stop())


def test_pcap_ring_baseline(mp, tmp_path):
    """Without a kill, the pcap/ring pair ends with only net_pcap's replays out of the
    pool: what the kill-point tests on it compare with."""
    app = h.L2fwdFork(mp, vdevs=pcap_ring_vdevs(tmp_path), app_args=APP_ARGS)
    app.wait_all_forwarding()
    assert 'rebuilt in each recovery' not in app.proc.output()
    assert_pcap_ring_clean(*app.stop())


# Worker 0 allocates (net_pcap copies each replayed frame into a new mbuf) and sends full
# bursts into the ring. Its points after the port has taken packets are left out: what
# the ring holds is then listed too, and the reset frees it although the driver still
# has it (issue 15, H3). Worker 1 takes from the ring and sends to net_pcap, which frees
# at once: it never allocates, its cache fills and is flushed, and its bursts are of any
# size, so it also goes through the TX buffer.
PCAP_RING_POINTS = [
    pytest.param(0, 'worker_rx', id='w0-worker_rx'),
    pytest.param(0, 'worker_rx_refill', id='w0-worker_rx_refill'),
    pytest.param(0, 'tx_burst_direct', id='w0-tx_burst_direct'),
    pytest.param(1, 'worker_rx', id='w1-worker_rx'),
    pytest.param(1, 'tx_burst_direct', id='w1-tx_burst_direct'),
    pytest.param(1, 'tx_burst_sent', id='w1-tx_burst_sent'),
    pytest.param(1, 'tx_burst_buffered', id='w1-tx_burst_buffered'),
    pytest.param(1, 'tx_flush_in_flight', id='w1-tx_flush_in_flight'),
    pytest.param(1, 'tx_flush_sent', id='w1-tx_flush_sent'),
    pytest.param(1, 'worker_tx_cache_flush', id='w1-worker_tx_cache_flush'),
]


@pytest.mark.parametrize('worker,point', PCAP_RING_POINTS)
def test_kill_at_point_pcap_ring(mp, tmp_path, worker, point):
    """Drivers that keep mbufs: no rebuild, the reset frees what the workers listed."""
    app = start(mp, point, worker=worker, vdevs=pcap_ring_vdevs(tmp_path))
    pid = wait_parked(app, point, worker=worker)
    kill_and_recover(app, pid, worker=worker)
    assert_pcap_ring_clean(*app.stop())


def test_kill_pair_ring_holds_sent(mp, tmp_path):
    """Issue 15, H3: worker 0 is stopped right after net_ring took a full burst (its
    in-hand array still lists it), and worker 1, which receives from that ring, is
    stopped before it reads it. Both are killed: the burst is in the driver's queue and
    in worker 0's list at once. The recovery must leave it to the driver (the next
    worker 1 receives it), not free it as well: nothing freed twice."""
    app = start(mp, 'worker_rx', worker=1, more=['0:tx_burst_sent:1'],
                vdevs=pcap_ring_vdevs(tmp_path))
    pid1 = wait_parked(app, 'worker_rx', worker=1)
    pid0 = wait_parked(app, 'tx_burst_sent', worker=0, index=1)
    app.wait_until(lambda: len(app.pids) == app.nworkers, 30, 'every worker started')
    # both stopped, nothing moves: what the ring holds is the driver's, not lost
    runs = app.query('/l2fwd_fork/audit')['runs']
    app.proc.signal(signal.SIGUSR1)
    audit = app.wait_diag('/l2fwd_fork/audit', lambda a: a['runs'] > runs, 10,
                          'audit of the stopped pair')
    assert audit['in_driver'] >= h.MAX_PKT_BURST, audit
    assert (audit['unaccounted'], audit['surplus']) == (PCAP_FRAMES, 0), audit
    before = dict(app.pids)
    app.kill(pid0)
    app.kill(pid1)
    for w in before:
        app.wait_new_instance(w, before[w], timeout=30)
    app.wait_until(lambda: pid0 in app.killed and pid1 in app.killed, 10,
                   'kills reported')
    assert_pcap_ring_clean(*app.stop())
