# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-mp-pack contributors
"""Recovery time of dpdk-l2fwd_fork: kill -9 to the first packet forwarded again.

Over KILLS kills of worker 0 (L2FWD_FORK_RECOVERY_KILLS, default 200), with and without
--standby, on pinned and floating workers (one pair, on two CPUs). Each time is split
with the timestamps the app publishes in telemetry (CLOCK_MONOTONIC, as the kill's):
  detection   kill -> the first of the two signals of the death (below)
  stop+reset  -> the pair stopped and its pool rebuilt (last_ready_ns of /recovery),
              itself split with the tracker's steps (/mpsupport/recovery):
    .wake       -> the tracker woken (last_wake_ns)
    .gone       -> STOP sent to the partner and every process of the pair gone
    .reset      -> the reset done: pool rebuilt, lcore ids reclaimed
    .ready      -> the main thread took the group in (exit reports included)
  ready->run  -> the main woke the standby or the lcore thread forked (launch_ns)
  run->fwd    -> the new instance's first packet sent (first_fwd_ns)
The two signals of a death are also printed apart:
  robust      kill -> the death watcher woken by EOWNERDEAD on the worker's life
              lock (robust_ns: the kernel walks the robust list in exit_mm())
  pidfd       kill -> the library's pidfd readable (exit_seen_ns, end of do_exit())
With --standby, each kill waits until both standbys are parked again, so that every
recovery measured is a warm one. --young-ms 0: no back-off however quick the kills.
Figures are printed with the load average; the test fails only when a recovery does
not complete or the audit at the end finds a problem.
"""

import os
import time

import pytest

import l2fwd_fork_helpers as h

KILLS = int(os.environ.get('L2FWD_FORK_RECOVERY_KILLS', '200'))
POLL_S = 0.002


def percentile(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100.0 * (len(s) - 1))))]


def workers(app):
    return {int(k): w for k, w in app.query('/l2fwd_fork/workers').items()
            if isinstance(w, dict)}


def drain(app):
    """Read what the app printed, so that its output never blocks it."""
    try:
        app.proc.child.read_nonblocking(1 << 20, timeout=0)
    except Exception:  # pexpect.TIMEOUT when there is nothing, EOF when it exited
        pass


def wait_state(app, cond, what, timeout=30):
    deadline = time.monotonic() + timeout
    while True:
        state = workers(app)
        if cond(state):
            return state
        if time.monotonic() > deadline:
            raise AssertionError('timed out waiting for %s: %s\n%s'
                                 % (what, state, app.proc.output()[-3000:]))
        drain(app)
        time.sleep(POLL_S)


def recovered(before, standby):
    def cond(state):
        return all(w['pid'] > 0 and w['pid'] != before.get(i) and w['first_fwd_ns'] != 0
                   and (not standby or w['standby_state'] == 'parked')
                   for i, w in state.items())
    return cond


def summary(name, values):
    return '%-11s p50 %7.3f  p99 %7.3f  max %7.3f ms' % (
        name, percentile(values, 50), percentile(values, 99), max(values))


@pytest.mark.parametrize('standby', [pytest.param(False, id='fork'),
                                     pytest.param(True, id='standby')])
@pytest.mark.parametrize('floating', [pytest.param(False, id='pinned'),
                                      pytest.param(True, id='floating')])
def test_recovery_time(mp, floating, standby):
    args = ['--young-ms', '0'] + (['--standby'] if standby else [])
    app = h.L2fwdFork(mp, floating=floating, app_args=args, timeout=60)
    app.wait_all_forwarding(timeout=60)
    state = wait_state(app, recovered({}, standby), 'first instances')
    split = {k: [] for k in ('total', 'detection', 'stop+reset', '.wake', '.gone', '.reset',
                             '.ready', 'ready->run', 'run->fwd', 'robust', 'pidfd')}
    robust_first = 0
    woken = 0
    for _ in range(KILLS):
        before = {i: w['pid'] for i, w in state.items()}
        t_kill = app.kill(before[0])
        state = wait_state(app, recovered(before, standby), 'recovery of pid %d' % before[0])
        rec = app.query('/l2fwd_fork/recovery')
        w = state[0]
        woken += w['from_standby']
        split['total'].append((w['first_fwd_ns'] - t_kill) / 1e6)
        seen = w['exit_seen_ns']
        if w['robust_pid'] == before[0] and w['robust_ns'] > t_kill:
            split['robust'].append((w['robust_ns'] - t_kill) / 1e6)
            robust_first += w['robust_ns'] < seen
            seen = min(seen, w['robust_ns'])
        split['pidfd'].append((w['exit_seen_ns'] - t_kill) / 1e6)
        split['detection'].append((seen - t_kill) / 1e6)
        split['stop+reset'].append((rec['last_ready_ns'] - seen) / 1e6)
        trk = app.query('/mpsupport/recovery')
        split['.wake'].append((trk['last_wake_ns'] - seen) / 1e6)
        split['.gone'].append((trk['last_gone_ns'] - trk['last_wake_ns']) / 1e6)
        split['.reset'].append((trk['last_reset_ns'] - trk['last_gone_ns']) / 1e6)
        split['.ready'].append((rec['last_ready_ns'] - trk['last_reset_ns']) / 1e6)
        split['ready->run'].append((w['launch_ns'] - rec['last_ready_ns']) / 1e6)
        split['run->fwd'].append((w['first_fwd_ns'] - w['launch_ns']) / 1e6)
    code, out, diag = app.stop(timeout=60)
    print('\nl2fwd_fork recovery, %s, %s: %d kills, %d by standby, load average %s'
          % ('floating' if floating else 'pinned', 'standby' if standby else 'fork',
             KILLS, woken, open('/proc/loadavg').read().split()[0]))
    for name, values in split.items():
        if values:
            print(summary(name, values))
    print('robust lock first in %d of %d kills (%d robust wakes)'
          % (robust_first, KILLS, len(split['robust'])))
    h.assert_clean_exit(code, out, diag)
    assert woken == (KILLS if standby else 0)
    assert len(split['robust']) >= KILLS // 2, 'the robust lock missed most deaths'


def threads_named(pid, names):
    """Thread ids of process pid whose name is one of names."""
    tids = []
    for tid in os.listdir('/proc/%d/task' % pid):
        try:
            with open('/proc/%d/task/%s/comm' % (pid, tid)) as f:
                if f.read().strip() in names:
                    tids.append(int(tid))
        except OSError:
            pass
    return tids


SHARE_KILLS = int(os.environ.get('L2FWD_FORK_SHARE_KILLS', '100'))


@pytest.mark.parametrize('watch_cpu', [pytest.param(0, id='alone'),
                                       pytest.param(1, id='shared')])
def test_detection_cpu_sharing(mp, watch_cpu):
    """Detection latency when the waiting threads share a CPU with a busy worker.

    Both workers of the pair run on CPU 1 ('0@0,1@1,2@1'), so that CPU 0 has the main
    process alone. Worker 0 is killed; its death watcher ('l2fwd-watch-0', robust
    lock) and the library's pidfd waiter ('mps-notify') are pinned either to CPU 0
    (alone) or to CPU 1, where worker 1 keeps busy-polling (shared)."""
    app = h.L2fwdFork(mp, lcores='0@0,1@1,2@1', app_args=['--young-ms', '0'], timeout=60)
    app.wait_all_forwarding(timeout=60)
    tids = threads_named(app.proc.pid, ('l2fwd-watch-0', 'mps-notify'))
    assert len(tids) == 2, 'watcher and notify threads not found: %s' % tids
    for tid in tids:
        os.sched_setaffinity(tid, {watch_cpu})
    state = wait_state(app, recovered({}, False), 'first instances')
    robust, pidfd = [], []
    for _ in range(SHARE_KILLS):
        before = {i: w['pid'] for i, w in state.items()}
        t_kill = app.kill(before[0])
        state = wait_state(app, recovered(before, False), 'recovery of pid %d' % before[0])
        w = state[0]
        if w['robust_pid'] == before[0]:
            robust.append((w['robust_ns'] - t_kill) / 1e6)
        pidfd.append((w['exit_seen_ns'] - t_kill) / 1e6)
    code, out, diag = app.stop(timeout=60)
    print('\nl2fwd_fork detection, waiters on CPU %d (%s a busy worker): %d kills, '
          'load average %s' % (watch_cpu, 'with' if watch_cpu else 'without', SHARE_KILLS,
                               open('/proc/loadavg').read().split()[0]))
    print(summary('pidfd', pidfd))
    # A wake can in principle lose the race for the lock to the next instance (the
    # pidfd then recovers); a lock that never wakes is a defect.
    assert len(robust) >= SHARE_KILLS // 2, \
        'the robust lock told of %d deaths of %d' % (len(robust), SHARE_KILLS)
    print(summary('robust', robust))
    h.assert_clean_exit(code, out, diag)
