# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-mp-pack contributors
"""Chaos run for dpdk-l2fwd_fork: random kill -9 of random workers under traffic, in
each mode and on each kind of driver a recovery covers.

Modes (one run each, L2FWD_FORK_CHAOS_ROUNDS kills, 250 by default, seeded by
L2FWD_FORK_CHAOS_SEED):
- pinned: pinned workers on two net_null ports;
- floating: -f floating workers on two net_null ports;
- ring: pinned workers on net_null (port 0) and net_ring (port 1, its TX ring is its
  own RX ring): a driver that holds mbufs between bursts;
- memif: pinned workers on two memif ports in copy mode, fed without end by a peer
  dpdk-testpmd (io forwarding between net_null and memif, in a group of its own:
  mpharness gives it its own file prefix and --no-pci, as every process).

pinned and floating run again with --standby (a quarter of the rounds): in some rounds
the killed worker's parked standby is killed first ('parked'), or during its wake-up
('wake'): it is stopped (SIGSTOP) where it sleeps, the worker is killed, and once
telemetry names it as the worker's process (the main attached and woke it) it is killed
before it ran one instruction of its wake-up, so before it forwarded. The main must
then see a second death of the worker and recover again. A 'wake' round in which the
main forked rather than woke the standby is counted apart (missed). Those rounds are
not timed, and at the end every worker has a parked standby again.

Each round kills one worker, chosen at random, at a random moment, and waits (with a
bound) until the pair runs new instances that forward. Deaths are never "young"
(--young-ms 0): the chaos is not mistaken for a crash loop, so the pause between
kills is short. Recovery time is from the kill to the first packet the new instance
forwarded (both CLOCK_MONOTONIC; the latter read from /l2fwd_fork/workers in
telemetry). At the end the workers are stopped and the main's audit and pool check
(read from telemetry) must find the main alive, every kill recovered, no mbuf
unaccounted or freed twice, and no lcore id held by a dead process. What net_ring's
rings hold is the driver's: the library reads it in place, between the ring's tails,
and the audit counts it as in_driver. Times are printed, never asserted.
"""

import os
import random
import re
import signal
import time

import pytest

import l2fwd_fork_helpers as h
import mpharness

ROUNDS = int(os.environ.get('L2FWD_FORK_CHAOS_ROUNDS', '250'))
SEED = int(os.environ.get('L2FWD_FORK_CHAOS_SEED', '1'))
# Pause between the new instances forwarding and the next kill.
PAUSE = (0.0, 0.03)
TESTPMD = '/usr/bin/dpdk-testpmd'

MODES = ['pinned', 'floating', 'ring', 'memif']
# What a driver of each mode holds, and how it is counted.
DRIVER_NOTE = {
    'pinned': 'net_null holds no mbuf',
    'floating': 'net_null holds no mbuf',
    'ring': "net_ring's rings, read between their tails, counted in_driver",
    'memif': 'memif in copy mode holds no mbuf (it copies into its shared rings)',
}
# With --standby: the share of rounds that kill the standby parked, and as many woken.
STANDBY_KILLS = 0.2
# Modes that also run with --standby, a quarter of the rounds each.
STANDBY_MODES = ['pinned', 'floating']


def percentile(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100.0 * (len(s) - 1))))]


def kill_standby(app, rng, w):
    """With --standby, in some rounds: kill w's parked standby before w ('parked'), or
    during its wake-up ('wake', see kill_woken()). Returns (kind or None, its pid)."""
    r = rng.random()
    standby = h.parked_standbys(app).get(w)
    if standby is None or r >= 2 * STANDBY_KILLS:
        return None, standby
    return ('parked' if r < STANDBY_KILLS else 'wake'), standby


def stop_parked(app, spare):
    """SIGSTOP a parked standby: woken by the main, it stays stopped. False if it is
    gone already."""
    if app.kill(spare, signal.SIGSTOP, missing_ok=True) is None:
        return False
    app.wait_until(lambda: h.proc_state(spare) in ('T', None), 10,
                   'standby pid %d stopped' % spare)
    return h.proc_state(spare) == 'T'


def kill_woken(app, w, old, spare, timeout=30):
    """After w's process old was killed: wait until telemetry names a new process of w.
    If it is the standby spare (stopped by stop_parked()), the main attached it and woke
    it: kill it there, before it ran its wake-up. Returns 'wake', or 'missed' when the
    main forked a worker instead (spare is killed all the same, as a parked one)."""
    seen = {}

    def replaced():
        pid = app.poll_workers()[str(w)]['pid']
        seen['pid'] = pid
        return pid > 0 and pid != old
    app.wait_until(replaced, timeout, 'worker %d to replace pid %d' % (w, old))
    app.kill(spare, missing_ok=True)
    if seen['pid'] != spare:
        return 'missed'
    assert spare not in app.forwarding, 'standby pid %d forwarded while stopped' % spare
    return 'wake'


class MemifPeer:
    """dpdk-testpmd, in a group of its own, feeding the two memif ports of the app
    without end and taking what the app sends out of them. Its io forwarding pairs
    ports 0<->1 and 2<->3: net_null 0 -> memif 1 (app port 0) -> net_null 0, and
    net_null 3 -> memif 2 (app port 1) -> net_null 3. It is the memif server,
    started first: the app connects as a client when its ports start, and waits for
    its links before it forks."""

    def __init__(self, tmp_path):
        self.group = mpharness.Group('chaospeer')
        self.sockets = [str(tmp_path / ('memif%d.sock' % p)) for p in range(2)]
        self.proc = None

    def app_vdevs(self):
        return ['net_memif%d,role=client,socket=%s' % (p, s)
                for p, s in enumerate(self.sockets)]

    def launch(self, timeout=60):
        vdevs = ['net_null0',
                 'net_memif1,role=server,socket=%s' % self.sockets[0],
                 'net_memif2,role=server,socket=%s' % self.sockets[1],
                 'net_null3']
        self.proc = self.group.start(
            TESTPMD, lcores='0@0,1@1', vdevs=vdevs, eal_extra=['-m', '256'],
            app_args=['-i', '--nb-cores=1', '--forward-mode=io',
                      '--total-num-mbufs=16384'],
            prompt='testpmd> ', timeout=timeout, name='testpmd')

    def start(self, timeout=60):
        deadline = time.monotonic() + timeout
        while not all(re.search(r'Link status:\s*up', self.proc.cmd('show port info %d' % p))
                      for p in (1, 2)):
            assert time.monotonic() < deadline, 'memif links of the peer did not come up'
            time.sleep(0.2)
        self.proc.cmd('start')

    def stop(self):
        """Stop sending: a memif port polled while its peer disconnects can crash."""
        if self.proc is not None and self.proc.alive():
            self.proc.cmd('stop')

    def close(self):
        if self.proc is not None and self.proc.alive():
            self.proc.sendline('quit')
            self.proc.wait_exit(20)
        self.group.close()


def start_app(mp, mode, peer, standby):
    """The app of a mode, its traffic flowing; with a warm standby per worker."""
    vdevs = None
    if mode == 'ring':
        vdevs = ['net_null0', 'net_ring0']
    elif peer is not None:
        peer.launch()
        vdevs = peer.app_vdevs()
    app = h.L2fwdFork(mp, floating=mode == 'floating', vdevs=vdevs,
                      app_args=['--young-ms', '0'] + (['--standby'] if standby else []),
                      timeout=60)
    if peer is not None:
        peer.start()
    return app


@pytest.mark.parametrize('mode,standby',
                         [pytest.param(m, False, id=m) for m in MODES] +
                         [pytest.param(m, True, id=m + '-standby') for m in STANDBY_MODES])
def test_chaos(mp, tmp_path, mode, standby):
    rng = random.Random('%d-%s%s' % (SEED, mode, '-standby' if standby else ''))
    rounds = max(1, ROUNDS // 4) if standby else ROUNDS
    kinds = {'parked': 0, 'wake': 0, 'missed': 0}
    t_start = time.monotonic()
    peer = MemifPeer(tmp_path) if mode == 'memif' else None
    try:
        app = start_app(mp, mode, peer, standby)
        app.wait_all_forwarding(timeout=60)
        times_ms = []
        killed = 0  # rounds with a standby killed too: not timed
        gone = 0
        stuck = None
        t_chaos = time.monotonic()
        for _ in range(rounds):
            w = rng.randrange(app.nworkers)
            before = dict(app.pids)
            time.sleep(rng.uniform(*PAUSE))
            kind, spare = kill_standby(app, rng, w) if standby else (None, None)
            if kind == 'parked':
                app.kill(spare, missing_ok=True)
            elif kind == 'wake' and not stop_parked(app, spare):
                kind = 'missed'
            t_kill = app.kill(before[w], missing_ok=True)
            if kind == 'wake':
                kind = kill_woken(app, w, before[w], spare)
            if kind is not None:
                kinds[kind] += 1
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
            if kind is None:
                times_ms.append((app.forwarding[new][2] - t_kill) / 1e6)
            else:
                killed += 1
        elapsed = time.monotonic() - t_chaos
        if standby and stuck is None:
            # every standby killed was replaced
            app.wait_until(lambda: len(h.parked_standbys(app)) == app.nworkers, 30,
                           'a parked standby for every worker')
        main_alive = app.proc.alive()
        recovery = app.query('/l2fwd_fork/recovery') if main_alive else {}
        if peer is not None:
            peer.stop()
        code, out, diag = app.stop(timeout=60)
    finally:
        if peer is not None:
            peer.close()
    audit, check = diag['audit'], diag['pool_check']
    recoveries = recovery.get('recoveries')
    label = mode + (', standby' if standby else '')
    print('\nl2fwd_fork chaos (%s, seed %d): kills %d in %.1f s, recoveries %s, '
          'wall time %.1f s, load average %s'
          % (label, SEED, len(times_ms) + killed, elapsed, recoveries,
             time.monotonic() - t_start, open('/proc/loadavg').read().split()[0]))
    if standby:
        print('standbys killed: %d parked, %d woken before their first instruction '
              '(%d missed: the main forked instead)'
              % (kinds['parked'], kinds['wake'], kinds['missed']))
    if times_ms:
        print('recovery time kill -> first forwarded packet (%s): p50 %.3f ms, '
              'p99 %.3f ms, max %.3f ms'
              % (label, percentile(times_ms, 50), percentile(times_ms, 99), max(times_ms)))
    print('losses (%s): main deaths %d, mbufs unaccounted %s of %s, freed twice %s, '
          'lcore ids leaked %s, held by the driver %s (%s), exit code %s'
          % (label, 0 if main_alive else 1, audit['unaccounted'], audit['size'],
             check['duplicates'], audit['leaked_lcores'], audit['in_driver'],
             DRIVER_NOTE[mode], code))
    assert main_alive, 'the main died: ' + out[-3000:]
    problems = []
    if stuck is not None:
        problems.append('recovery did not complete: ' + stuck)
    if len(times_ms) + killed + gone != rounds:
        problems.append('kills done %d of %d' % (len(times_ms) + killed + gone, rounds))
    if gone != 0:
        problems.append('workers restarted without an exit: %d' % gone)
    # a standby killed once woken is one more worker death; one missed, a parked one.
    # A standby killed as parked may have been attached a moment before (the main
    # woke it for a death it saw first): one more recovery at most, for each.
    deaths = len(times_ms) + killed + kinds['wake']
    extra = kinds['parked'] + kinds['missed']
    if recoveries is None or not deaths <= recoveries <= deaths + extra:
        problems.append('recoveries %s for %d worker deaths (and %d standbys killed '
                        'parked)' % (recoveries, deaths, extra))
    # with 40 rounds or more, no 'wake' round at all is a defect (odds below 1e-3)
    if standby and rounds >= 40 and kinds['wake'] == 0:
        problems.append('no standby killed during its wake-up')
    assert not problems, '; '.join(problems)
    h.assert_clean_exit(code, out, diag)
