# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-mp-pack contributors
"""Chaos run for dpdk-mp_server and dpdk-mp_client: random kill -9 of clients under
traffic, each client started again right after its death, as a user would.

CS_CHAOS_ROUNDS kills (250 by default), seeded by CS_CHAOS_SEED. The server feeds
NCLIENTS clients from two net_null ports without end (its lcores and the clients' map
onto CPUs 0 and 1). Each client lives through a cycle: it forwards for a random short
moment, so that the kill lands anywhere in its fast path (in a ring dequeue, between
the dequeue and its TX buffers, inside a TX burst, inside a mempool put); it is killed
with SIGKILL; the server cleans up after it (its exit count goes up and its id is
free: its ring drained and counted, its lcore's cache given back); it is started
again (forked from the server's fork server, with the same command a user types); and
the new instance forwards (its rx counter in the server's view goes up). The clients
go through their cycles at once, each at its own pace, so that the run stays short.
Everything is read from the server's telemetry (/mp_server/clients, /mp_server/mbufs).

At the end the clients are stopped and the server must be alive, every kill must be
seen as one exit, the pool must be whole (no mbuf missing) and no mbuf freed twice.
After each death the server parks the running clients and rebuilds the pool
(rte_mps_mempool_rebuild()): what the killed client held in its private memory goes
back. /mp_server/mbufs counts the rebuilds and the mbufs given back. The ledger of the
clients (what the server gave them and they neither sent, nor counted as refused, nor
left in their rings to be drained) is printed, not checked: it holds what killed
clients held, given back by the rebuilds, and what they had sent and not yet counted.
The figures (kills, recoveries, kill -> the new instance forwarding p50/p99/max,
packets drained, mbufs given back, losses) are printed; no time is asserted.
"""
# Every DPDK process here gets --no-pci and its own --file-prefix from mpharness.Group.

import os
import random
import signal
import time

import pexpect

import mpharness
import test_client_server_mp as csm
import test_forked_mp as fmp

ROUNDS = int(os.environ.get('CS_CHAOS_ROUNDS', '250'))
SEED = int(os.environ.get('CS_CHAOS_SEED', '1'))
NCLIENTS = 3
# How long a client forwards before it is killed.
LIFE = (0.0, 0.05)
# Bound on each step of a client's cycle.
STEP_TIMEOUT = 15
# The steps from a kill to the new instance forwarding, each with its times (ms):
# the server recycles the id, the relaunched client appears running, the server
# sees it join, its first packet.
PHASES = {'killed': [], 'launched': [], 'starting': [], 'joined': []}


def percentile(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100.0 * (len(s) - 1))))]


def drain(p):
    """Read what a process printed so far (into its log), without waiting."""
    try:
        while True:
            p.child.read_nonblocking(65536, timeout=0)
    except (pexpect.TIMEOUT, pexpect.EOF):
        pass


def quick_close(p):
    """No pause when the launcher is reaped (pexpect sleeps 0.1 s by default): there
    are hundreds of them."""
    for o in (p.child, p.child.ptyproc):
        o.delayafterclose = 0
        o.delayafterterminate = 0


class Client:
    """One client id through its cycles: running -> killed -> free -> started ->
    joined -> running."""

    def __init__(self, mp, server, i):
        self.mp = mp
        self.server = server
        self.i = i
        self.launcher, self.pid = fmp.start_forked(mp, server, i)
        quick_close(self.launcher)
        self.state = 'starting'
        self.since = time.monotonic()
        self.kill_at = None
        self.t_kill = None
        self.exits = 0
        self.rx_at_join = None
        self.old = []       # launchers of killed instances, reaped at the end
        self.starts = 1

    def step(self, v, rng, now, times_ms):
        """Advance the cycle from the server's view v of this id; True once per kill."""
        if now - self.since > STEP_TIMEOUT:
            raise AssertionError('client %d stuck %s for %.0f s: %s\nserver:\n%s\n'
                                 'server threads:\n%s'
                                 % (self.i, self.state, now - self.since, v,
                                    self.server.output()[-3000:],
                                    mpharness.stacks(self.server.pid)))
        if self.state == 'starting':
            if v['pid'] == self.pid and v['state'] == 'running':
                self.rx_at_join = v['rx']
                self.set('joined', now)
        elif self.state == 'joined':
            if v['rx'] > self.rx_at_join:
                if self.t_kill is not None:
                    times_ms.append((now - self.t_kill) * 1e3)
                self.kill_at = now + rng.uniform(*LIFE)
                self.set('running', now)
        elif self.state == 'running':
            if now >= self.kill_at:
                self.exits = v['exits']
                self.t_kill = time.monotonic()
                os.kill(self.pid, signal.SIGKILL)
                self.set('killed', now)
                return True
        elif self.state == 'killed':
            if v['exits'] == self.exits + 1 and v['state'] == 'free':
                self.old.append(self.launcher)
                self.launcher = self.mp.start(
                    'mp_client', lcores='1', proc_type='secondary', eal_extra=['--forked'],
                    app_args=['-n', str(self.i)], name='c%d_%d' % (self.i, self.starts))
                quick_close(self.launcher)
                self.starts += 1
                self.pid = None
                self.set('launched', now)
        elif self.state == 'launched':
            # The forked instance's pid: the id's owner once it is not the old one.
            if v['pid'] not in (0, None) and v['state'] == 'running':
                self.pid = v['pid']
                self.set('starting', now)
        return False

    def set(self, state, now):
        # How long each step after a kill took, from the kill to the new instance
        # forwarding.
        if self.t_kill is not None and self.state in PHASES:
            PHASES[self.state].append((now - self.since) * 1e3)
        self.state = state
        self.since = now


def test_chaos(mp):
    rng = random.Random('cs-%d' % SEED)
    server = fmp.start_server(mp, NCLIENTS, csm.NULL_PORTS)
    clients = [Client(mp, server, i) for i in range(NCLIENTS)]
    times_ms = []
    kills = 0
    t_chaos = time.monotonic()
    with mp.telemetry() as tel:
        while kills < ROUNDS or any(c.state != 'running' for c in clients):
            # Read what the processes print, so that no terminal fills up.
            for p in [server] + [c.launcher for c in clients]:
                drain(p)
            # Reap the launchers of killed instances as they end: each holds a
            # terminal, and a long run would run out of descriptors.
            for c in clients:
                for old in [o for o in c.old if not o.alive()]:
                    assert old.wait_exit(10) == 128 + signal.SIGKILL
                    c.old.remove(old)
            table = tel.query('/mp_server/clients')
            now = time.monotonic()
            for c in clients:
                if kills >= ROUNDS and c.state == 'running':
                    continue
                kills += c.step(table[str(c.i)], rng, now, times_ms)
            time.sleep(0.002)
    elapsed = time.monotonic() - t_chaos
    assert server.alive(), server.output()[-3000:]
    for c in clients:
        assert c.launcher.stop() == 0
        for old in c.old:
            assert old.wait_exit(10) == 128 + signal.SIGKILL
    table = csm.client_table(mp)
    m = csm.query(mp, '/mp_server/mbufs')
    exits = sum(v['exits'] for v in table.values())
    drained = sum(v['drained'] for v in table.values())
    # What the server gave a client and it neither sent, nor counted as refused, nor
    # left in its ring: what killed instances held.
    held = sum(v['enqueued'] - v['drained'] - v['tx'] - v['drop'] for v in table.values())
    print('\nclient/server chaos (seed %d): kills %d in %.1f s, recoveries %d, '
          'load average %s' % (SEED, kills, elapsed, exits,
                               open('/proc/loadavg').read().split()[0]))
    print('kill -> new client forwarding: p50 %.1f ms, p99 %.1f ms, max %.1f ms'
          % (percentile(times_ms, 50), percentile(times_ms, 99), max(times_ms)))
    print('of which, p50 / p99 ms: ' + ', '.join(
        '%s %.1f / %.1f' % (name, percentile(PHASES[step], 50), percentile(PHASES[step], 99))
        for step, name in (('killed', 'id recycled'), ('launched', 'relaunched and running'),
                           ('starting', 'joined'), ('joined', 'first packet'))
        if PHASES[step]))
    print('pool rebuilds %d (deferred %d, last %d us): mbufs given back %d, copies '
          'dropped %d' % (m['rebuilds'], m['rebuilds_deferred'], m['last_rebuild_us'],
                          m['given_back'], m['copies_dropped']))
    lc = csm.query(mp, '/mpsupport/lcores')
    print('puts killed clients left half done, completed by the server: %d (%d of them '
          'unwritten, known by the stuck tail)'
          % (lc['dead_puts_completed'], lc['dead_puts_unwritten']))
    print('losses: mbufs missing %d of %d, freed twice %d; packets drained from the '
          'rings %d, ledger of the killed clients %d'
          % (m['missing'], m['size'], m['duplicates'], drained, held))
    assert exits == kills, table
    assert m['rebuild_on'] == 1 and 1 <= m['rebuilds'] <= kills, m
    assert m['exact'] == 1 and m['duplicates'] == 0 and m['missing'] == 0, m
    for c in clients:
        csm.check_fields(table[c.i], state='free', pid=0, in_ring=0)
    csm.check_pool(mp)
    assert server.stop() == 0
    assert fmp.wait_gone(fmp.group_pids(mp.prefix))
