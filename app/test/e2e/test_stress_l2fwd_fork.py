# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-mp-pack contributors
"""Chaos run for dpdk-l2fwd_fork: random kill -9 of random workers under traffic.

Traffic is endless (net_null ports). Each round kills one worker, chosen at random, at a
random moment, and waits (with a bound) until its replacement forwards. Recovery time is
from the kill to the first packet the new instance forwarded (both CLOCK_MONOTONIC; the
latter read from /l2fwd_fork/workers in telemetry). At the end the workers are stopped
and the main's audit and pool check (read from telemetry) must account for every mbuf
and show no lcore id held by a dead process. Times are printed, never asserted.
"""

import os
import random
import time

import pytest

import l2fwd_fork_helpers as h

ROUNDS = int(os.environ.get('L2FWD_FORK_CHAOS_ROUNDS', '200'))
# Pause after a recovery: longer than the app's "young death" bound (100 ms), so that
# the chaos is not mistaken for a crash loop.
PAUSE = (0.11, 0.2)


def percentile(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100.0 * (len(s) - 1))))]


@pytest.mark.parametrize('floating', [pytest.param(False, id='pinned'),
                                      pytest.param(True, id='floating')])
def test_chaos(mp, floating):
    rng = random.Random(int(os.environ.get('L2FWD_FORK_CHAOS_SEED', '1')))
    rounds = ROUNDS if not floating else max(1, ROUNDS // 2)
    app = h.L2fwdFork(mp, floating=floating, timeout=60)
    app.wait_all_forwarding(timeout=60)
    times_ms = []
    gone = 0
    stuck = None
    t_start = time.monotonic()
    for _ in range(rounds):
        w = rng.randrange(app.nworkers)
        before = dict(app.pids)
        time.sleep(rng.uniform(*PAUSE))
        t_kill = app.kill(before[w], missing_ok=True)
        try:
            # one pair: the killed worker and its pair both run new instances
            for other in before:
                app.wait_new_instance(other, before[other], timeout=30)
        except AssertionError as e:
            stuck = str(e)[:2000]
            break
        if t_kill is None:
            # restarted by the main although nobody killed it: counted, not timed
            gone += 1
            continue
        new = app.pids[w]
        times_ms.append((app.forwarding[new][2] - t_kill) / 1e6)
    elapsed = time.monotonic() - t_start
    main_alive = app.proc.alive()
    recovery = app.query('/l2fwd_fork/recovery') if main_alive else {}
    recoveries = recovery.get('recoveries')
    code, out, diag = app.stop(timeout=60)
    audit, check = diag['audit'], diag['pool_check']
    print('\nl2fwd_fork chaos (%s): kills %d in %.1f s, recoveries done %s, '
          'load average %s' % ('floating' if floating else 'pinned', len(times_ms), elapsed,
                               recoveries, open('/proc/loadavg').read().split()[0]))
    if times_ms:
        print('recovery time kill -> first forwarded packet: p50 %.3f ms, p99 %.3f ms, '
              'max %.3f ms (target p99 < 20 ms)'
              % (percentile(times_ms, 50), percentile(times_ms, 99), max(times_ms)))
    if recovery.get('recoveries'):
        print('reset after the last exit seen: mean %.3f ms, max %.3f ms'
              % (recovery['total_reset_ns'] / recovery['recoveries'] / 1e6,
                 recovery['max_reset_ns'] / 1e6))
    print('mbufs unaccounted %s of %s, freed twice %s, lcore ids leaked %s, main alive %s, '
          'exit code %s' % (audit['unaccounted'], audit['size'], check['duplicates'],
                            audit['leaked_lcores'], main_alive, code))
    print('workers found already restarted when about to be killed: %d' % gone)
    assert main_alive
    problems = []
    if stuck is not None:
        problems.append('recovery did not complete: ' + stuck)
    if len(times_ms) + gone != rounds:
        problems.append('kills done %d of %d' % (len(times_ms) + gone, rounds))
    if gone != 0:
        problems.append('workers restarted without an exit: %d' % gone)
    assert not problems, '; '.join(problems)
    h.assert_clean_exit(code, out, diag)
