# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-mp-pack contributors
"""dpdk-mp_server and dpdk-mp_client end to end: packet conservation for 1, 2
and 4 clients, a client killed and restarted (exactly what was left in its ring is
freed, once), bad input, dpdk-proc-info on the running server.

The one-line messages (started, joined, exited) are read from the output as they come; the
counters, the clients' states and the mbuf counts are read from the server's telemetry
(/mp_server/clients and /mp_server/mbufs). The final tables the processes print are only
compared with what telemetry said, except where the server is gone (a secondary has no
telemetry socket in DPDK 22.11) and the printed lines are all there is."""
# Every DPDK process here gets --no-pci and its own --file-prefix from mpharness.Group.

import json
import os
import re
import signal
import tempfile

import pytest

import mp_traffic as mt

PKTS_PER_PORT = 1000
NULL_PORTS = ['net_null0', 'net_null1']
RING_CAPACITY = 8191


def client_lcore(i):
    """Server on lcores 0-1; client i on lcore i + 2, on CPU i % 2."""
    return '%d@%d' % (i + 2, i % 2)


def start_server(mp, nclients, vdevs, lcores='0@0,1@1'):
    s = mp.start('mp_server', lcores=lcores, vdevs=vdevs, eal_extra=['-m', '256'],
                 app_args=['-p', '3', '-n', str(nclients)], name='server')
    s.expect(r'mp_server: %d clients, 2 ports, client exits seen by mpsupport exit '
             r'notification' % nclients, timeout=30)
    return s


def start_client(mp, server, i, name=None):
    c = mp.start('mp_client', lcores=client_lcore(i), proc_type='secondary',
                 app_args=['-n', str(i)], name=name or 'client%d' % i)
    c.expect(r'mp_client %d \(pid %d\) forwarding' % (i, c.pid), timeout=30)
    # The server feeds a client once it has seen it join.
    server.expect(r'client %d \(pid %d\) joined' % (i, c.pid), timeout=30)
    return c


def query(mp, cmd):
    """The reply of one telemetry command of the server (the group's primary)."""
    with mp.telemetry() as tel:
        return tel.query(cmd)


def client_table(mp):
    """/mp_server/clients, by client id."""
    reply = query(mp, '/mp_server/clients')
    return {int(k): v for k, v in reply.items() if isinstance(v, dict)}


def wait_client(mp, i, cond, what, timeout=30):
    """Poll the server's view of client i until cond(view) holds; return the view."""
    view = mt.wait_for(lambda: (lambda v: v if cond(v) else None)(client_table(mp)[i]),
                       timeout)
    assert view, '%s: %s' % (what, client_table(mp)[i])
    return view


def check_fields(view, **want):
    got = {k: view[k] for k in want}
    assert got == want, view


def check_stopped(view, pid):
    """A client that left cleanly: everything handed to it went out or was counted."""
    check_fields(view, state='free', pid=0, last_pid=pid, in_ring=0)
    assert view['enqueued'] == view['rx'] + view['drained'], view
    assert view['rx'] == view['tx'] + view['drop'], view


def check_pool(mp):
    """With no client running: every mbuf free, each once (none missing, none freed twice)."""
    m = query(mp, '/mp_server/mbufs')
    assert m['exact'] == 1, m
    assert m['duplicates'] == 0, 'mbufs freed twice: %s' % m
    assert m['missing'] == 0 and m['distinct_free'] == m['size'], 'mbufs missing: %s' % m
    # DPDK's own count (capped at the size) agrees when nothing was freed twice.
    assert m['in_use'] == 0 and m['free'] == m['size'], m
    return m


def check_printed(out, table, mbufs):
    """The final lines printed for people say what telemetry said before the stop."""
    assert 'final statistics' in out
    final = out[out.rindex('final statistics'):]
    for i, v in table.items():
        line = (r'client %d: enqueued %d dropped %d drained %d \| client rx %d tx %d drop %d'
                % (i, v['enqueued'], v['dropped'], v['drained'], v['rx'], v['tx'], v['drop']))
        assert re.search(line, final), final
    assert re.search(r'mbufs: %d of %d free, %d missing, %d freed twice\n' %
                     (mbufs['distinct_free'], mbufs['size'], mbufs['missing'],
                      mbufs['duplicates']), final), final


def check_client_line(c, i, v):
    """A client's last line for people agrees with the server's view of it."""
    assert re.search(r'Client %d \(pid %d\) statistics: rx %d tx %d drop %d' %
                     (i, c.pid, v['rx'], v['tx'], v['drop']), c.output()), c.output()[-500:]


@pytest.mark.parametrize('nclients', [1, 2, 4])
def test_conservation(mp, nclients):
    """Every packet leaves the paired port once; each client gets an equal share."""
    workdir = tempfile.mkdtemp(prefix='cs')
    counts = {(0, 0): PKTS_PER_PORT, (1, 0): PKTS_PER_PORT}
    # The clients' TX queue i is the peer's RX queue i: one output file per client.
    peer = mt.Peer(workdir, nclients, counts, app_role='client')
    try:
        peer.launch()
        server = start_server(mp, nclients, peer.app_vdevs())
        clients = [start_client(mp, server, i) for i in range(nclients)]
        peer.start(app_group=mp)
        total = 2 * PKTS_PER_PORT
        assert peer.wait_output(total) == total

        stats = mt.wait_for(lambda: (lambda s: s if s.get(1, (0,))[0] >= PKTS_PER_PORT else None)(
            mt.proc_info_stats(mp)[0]))
        assert stats, 'dpdk-proc-info did not show the port counters'
        assert stats[0][0] == PKTS_PER_PORT and stats[1][0] == PKTS_PER_PORT, stats

        peer.pause()
        for c in clients:
            assert c.stop() == 0
        # The final state, from telemetry: the clients stopped, the server still runs.
        share = total // nclients
        table = client_table(mp)
        for i, c in enumerate(clients):
            check_stopped(table[i], c.pid)
            check_fields(table[i], enqueued=share, dropped=0, drained=0, exits=0,
                         rx=share, tx=share, drop=0)
        mbufs = check_pool(mp)
        assert server.stop() == 0
        check_printed(server.output(), table, mbufs)
        for i, c in enumerate(clients):
            check_client_line(c, i, table[i])

        peer.finish()
        outs = mt.check_conservation(peer, expect_queue_map=False)
        # Packet-by-packet round-robin: client i sent exactly total / n packets.
        per_client = [len(outs[(0, q)]) + len(outs[(1, q)]) for q in range(nclients)]
        assert per_client == [total // nclients] * nclients, per_client
    finally:
        peer.close()


def test_kill_and_restart_client(mp):
    """A killed client loses only what was in its ring, and the server says how much."""
    workdir = tempfile.mkdtemp(prefix='cs')
    counts = {(0, 0): PKTS_PER_PORT, (1, 0): PKTS_PER_PORT}
    peer = mt.Peer(workdir, 2, counts, app_role='client')
    total = 2 * PKTS_PER_PORT
    try:
        peer.launch()
        server = start_server(mp, 2, peer.app_vdevs())
        clients = [start_client(mp, server, i) for i in range(2)]

        # Client 1 hangs: its share piles up in its ring.
        clients[1].signal(signal.SIGSTOP)
        peer.start(app_group=mp)
        assert peer.wait_output(total // 2) == total // 2
        wait_client(mp, 1, lambda v: v['enqueued'] == total // 2, 'client 1 fed its share')
        check_fields(client_table(mp)[1], state='running', pid=clients[1].pid, dropped=0,
                     in_ring=total // 2, rx=0)

        clients[1].signal(signal.SIGKILL)
        assert clients[1].wait_exit(10) == -signal.SIGKILL
        dead = wait_client(mp, 1, lambda v: v['exits'] == 1 and v['state'] == 'free',
                           'client 1 cleaned up after', timeout=10)
        drained = dead['drained']
        # It never read its ring: exactly what was enqueued was freed.
        assert drained == dead['enqueued'] - dead['rx'] == total // 2, dead
        check_fields(dead, pid=0, last_pid=clients[1].pid, in_ring=0)
        server.expect(r'client 1 \(pid %d\) exited; %d packets in its ring freed' %
                      (clients[1].pid, drained), timeout=10)
        assert server.alive() and clients[0].alive()

        # Exactly the drained packets are missing; the rest came out once.
        outs = peer.replay()
        mt.check_conservation(peer, expect_queue_map=False, outs=outs, lost=drained)
        assert len(outs[(0, 1)]) + len(outs[(1, 1)]) == 0

        # The replayed input goes to client 0 alone until client 1 is back;
        # wait for it, then bring client 1 back and feed once more.
        assert peer.wait_output(total) == total
        again = start_client(mp, server, 1, name='client1b')
        outs = peer.replay()
        mt.check_conservation(peer, expect_queue_map=False, outs=outs)
        assert peer.wait_output(total) == total
        peer.pause()
        for c in (again, clients[0]):
            assert c.stop() == 0
        table = client_table(mp)
        check_stopped(table[1], again.pid)
        check_fields(table[1], enqueued=total, dropped=0, drained=drained, exits=1,
                     rx=total - drained, drop=0)
        # Client 0 got half of the first and last rounds and all of the replay.
        check_stopped(table[0], clients[0].pid)
        check_fields(table[0], enqueued=2 * total, dropped=0, drained=0, exits=0,
                     rx=2 * total, drop=0)
        # The killed client held nothing: every mbuf is back in the pool.
        mbufs = check_pool(mp)
        assert server.stop() == 0
        check_printed(server.output(), table, mbufs)
        check_client_line(again, 1, table[1])
        check_client_line(clients[0], 0, table[0])

        peer.finish()
        outs = mt.check_conservation(peer, expect_queue_map=False)
        assert len(outs[(0, 1)]) + len(outs[(1, 1)]) == total // 2
    finally:
        peer.close()


def proc_state(pid):
    """The state letter of a process in /proc (R, S, T for stopped, Z...)."""
    with open('/proc/%d/stat' % pid) as f:
        return f.read().rsplit(')', 1)[1].split()[0]


def test_kill_client_under_load(mp):
    """Kill -9 a client while the server keeps feeding it: exactly what the server
    enqueued and the client did not take is freed, once; a new client takes the id."""
    server = start_server(mp, 2, NULL_PORTS)
    clients = [start_client(mp, server, i) for i in range(2)]
    wait_client(mp, 1, lambda v: v['rx'] > 0 and v['pid'] == clients[1].pid,
                'client 1 forwards')

    # SIGUSR1: client 1 stops itself where it holds no packet, its counters
    # published; the server goes on filling its ring.
    clients[1].signal(signal.SIGUSR1)
    clients[1].expect(r'mp_client 1 \(pid %d\) holds no packet: stopping' % clients[1].pid,
                      timeout=30)
    assert mt.wait_for(lambda: proc_state(clients[1].pid) == 'T'), 'client 1 did not stop'
    full = wait_client(mp, 1, lambda v: v['in_ring'] == RING_CAPACITY,
                       'the server fills the ring of client 1')
    assert full['enqueued'] - full['rx'] == RING_CAPACITY, full

    clients[1].signal(signal.SIGKILL)
    assert clients[1].wait_exit(10) == -signal.SIGKILL
    dead = wait_client(mp, 1, lambda v: v['exits'] == 1 and v['state'] == 'free',
                       'client 1 cleaned up after')
    # Freed from the ring: all it was given and did not take, no more, no less.
    assert dead['drained'] == dead['enqueued'] - dead['rx'] == RING_CAPACITY, dead
    check_fields(dead, pid=0, last_pid=clients[1].pid, in_ring=0, rx=full['rx'],
                 tx=full['tx'], drop=0)
    server.expect(r'client 1 \(pid %d\) exited; %d packets in its ring freed' %
                  (clients[1].pid, dead['drained']), timeout=30)

    # The server still receives: port counters read twice from outside.
    first = mt.wait_for(lambda: mt.proc_info_stats(mp)[0])
    assert first
    assert mt.wait_for(lambda: (lambda s: s and s[0][0] > first[0][0])(mt.proc_info_stats(mp)[0]))

    # Once the other client stops too, every mbuf is back in the pool, once.
    assert clients[0].stop() == 0
    check_stopped(client_table(mp)[0], clients[0].pid)
    check_pool(mp)

    # A new client 1 forwards: its counter in the server's view grows.
    again = start_client(mp, server, 1, name='client1b')
    first = wait_client(mp, 1, lambda v: v['pid'] == again.pid and v['rx'] > dead['rx'],
                        'the new client 1 forwards')
    wait_client(mp, 1, lambda v: v['rx'] > first['rx'], 'the new client 1 goes on')
    assert again.stop() == 0
    table = client_table(mp)
    check_stopped(table[1], again.pid)
    check_fields(table[1], exits=1, drained=dead['drained'])
    mbufs = check_pool(mp)
    assert server.stop() == 0
    check_printed(server.output(), table, mbufs)


def test_killed_client_holdings_given_back(mp, monkeypatch):
    """Kill -9 clients that hold packets taken from their ring and in no TX buffer yet
    (stopped at the kill point client_in_hand): after each death the server parks the
    others and rebuilds the pool, so that what the dead one held goes back. A client
    stopped by SIGUSR1 counts as parked. With no client left, every mbuf is free, once."""
    opts = os.path.join(os.environ['MP_PACK_BUILD_DIR'], 'meson-info',
                        'intro-buildoptions.json')
    with open(opts) as f:
        assert [o['value'] for o in json.load(f) if o['name'] == 'kill_points'] == [True], \
            'this test needs a build with kill points (meson -Dkill_points=true)'
    server = start_server(mp, 3, NULL_PORTS)
    server.expect('the pool is rebuilt after each client exit', timeout=10)
    clients = [start_client(mp, server, i) for i in range(3)]
    # Client 2 is stopped where it holds nothing during the first kill.
    wait_client(mp, 2, lambda v: v['rx'] > 0 and v['pid'] == clients[2].pid,
                'client 2 forwards')
    clients[2].signal(signal.SIGUSR1)
    assert mt.wait_for(lambda: proc_state(clients[2].pid) == 'T'), 'client 2 did not stop'
    rounds = 4
    for k in range(rounds):
        if k == 1:
            clients[2].signal(signal.SIGCONT)
        i = k % 2
        assert clients[i].stop() == 0
        with monkeypatch.context() as env:
            env.setenv('MP_CLIENT_KILL_POINT', 'client_in_hand:%d' % (10 * k))
            victim = start_client(mp, server, i, name='c%d_%d' % (i, k))
        assert mt.wait_for(lambda: proc_state(victim.pid) == 'T'), \
            'client %d did not stop at its kill point' % i
        before = query(mp, '/mp_server/mbufs')
        exits = client_table(mp)[i]['exits']
        victim.signal(signal.SIGKILL)
        assert victim.wait_exit(10) == -signal.SIGKILL
        wait_client(mp, i, lambda v: v['exits'] == exits + 1 and v['state'] == 'free',
                    'client %d cleaned up after' % i)
        assert mt.wait_for(lambda: query(mp, '/mp_server/mbufs')['rebuilds'] >
                           before['rebuilds']), 'no rebuild after kill %d' % k
        after = query(mp, '/mp_server/mbufs')
        assert after['given_back'] > before['given_back'], (before, after)
        clients[i] = start_client(mp, server, i, name='c%d_%db' % (i, k))
    m = query(mp, '/mp_server/mbufs')
    assert m['rebuild_on'] == 1, m
    for c in clients:
        assert c.stop() == 0
    table = client_table(mp)
    for i in range(3):
        check_fields(table[i], state='free', pid=0, in_ring=0)
    check_pool(mp)
    assert server.stop() == 0


def test_no_rebuild_with_memif(mp):
    """A driver that may keep mbufs (memif): the server says it does not rebuild the pool."""
    workdir = tempfile.mkdtemp(prefix='cs')
    peer = mt.Peer(workdir, 2, {(0, 0): 1, (1, 0): 1}, app_role='client')
    try:
        peer.launch()
        server = start_server(mp, 1, peer.app_vdevs())
        server.expect(r'the pool is not rebuilt after a client exit \(net_memif\): what a '
                      r'killed client holds is lost', timeout=10)
        assert query(mp, '/mp_server/mbufs')['rebuild_on'] == 0
        assert server.stop() == 0
    finally:
        peer.close()


def one_error(r, pattern):
    assert r.returncode != 0, r.stdout
    errs = [ln for ln in r.stdout.splitlines() if re.search(r'error', ln, re.I)]
    assert len(errs) == 1, 'expected one error line:\n' + r.stdout
    # the library names the problem to the app, which says it once
    assert 'MPS:' not in r.stdout, r.stdout
    assert re.search(pattern, errs[0]), errs[0]


@pytest.mark.parametrize('args,pattern', [
    (['-p', 'zz', '-n', '2'], r"portmask 'zz'"),
    (['-p', '3', '-n', '0'], r"number of clients '0'"),
    (['-p', '3', '-n', '99'], r"number of clients '99'"),
    (['-p', '1', '-n', '1'], r'0x1 selects 1 ports; an even'),
    (['-p', 'f', '-n', '1'], r'port 2 of portmask 0xf does not exist'),
    (['-p', '3'], r'usage'),
    (['-p', '3', '-n', '1', 'extra'], r"unexpected argument 'extra'"),
])
def test_bad_server_args(mp, args, pattern):
    r = mp.run('mp_server', lcores='0', vdevs=NULL_PORTS, app_args=args, timeout=30)
    one_error(r, pattern)


def test_bad_clients(mp):
    server = start_server(mp, 2, NULL_PORTS)
    c0 = start_client(mp, server, 0)

    def run_client(args, lcores='5@1'):
        return mp.run('mp_client', lcores=lcores, proc_type='secondary', app_args=args,
                      timeout=30)

    one_error(run_client(['-n', '2']), r"client id 2 is not below the server's client count 2")
    one_error(run_client(['-n', 'one']), r"invalid client id 'one'")
    one_error(run_client([]), r'usage')
    one_error(run_client(['-n', '0']), r'client id 0 is already running \(pid %d\)' % c0.pid)
    # lcore 2 is client 0's, lcore 0 the server's.
    one_error(run_client(['-n', '1'], lcores='2@0'), r'lcore 2 .*pid %d' % c0.pid)
    one_error(run_client(['-n', '1'], lcores='0@0'), r'lcore 0 .*pid %d' % server.pid)
    # A second server in the same group.
    r = mp.run('mp_server', lcores='6@0', proc_type='secondary', app_args=['-p', '3', '-n', '2'],
               timeout=30)
    one_error(r, r'mp_server must be the primary')
    assert server.alive() and c0.alive()
    # No refused client took an id or left anything for the server to clean up.
    table = client_table(mp)
    check_fields(table[0], state='running', pid=c0.pid, last_pid=c0.pid, exits=0)
    check_fields(table[1], state='free', pid=0, last_pid=0, exits=0, enqueued=0)
    assert c0.stop() == 0
    check_stopped(client_table(mp)[0], c0.pid)
    check_pool(mp)
    assert server.stop() == 0


def test_client_without_server(mp):
    """With no server, --proc-type=auto makes the client a primary: refused, cleanly."""
    r = mp.run('mp_client', lcores='0', proc_type='auto', app_args=['-n', '0'], timeout=30)
    one_error(r, r'mp_client must run as a secondary')


def test_clients_leave_when_server_dies(mp):
    """kill -9 of the server: each client sees it (mpsupport exit notification) and exits
    with code 1 and one line; the app promises 1 s, the test allows 10 s under load."""
    server = start_server(mp, 2, NULL_PORTS)
    clients = [start_client(mp, server, i) for i in range(2)]
    for i, c in enumerate(clients):
        wait_client(mp, i, lambda v, pid=c.pid: v['state'] == 'running' and v['pid'] == pid
                    and v['tx'] > 0, 'client %d forwards' % i)
    marks = [c.mark() for c in clients]
    server.signal(signal.SIGKILL)
    assert server.wait_exit(10) == -signal.SIGKILL
    for c, mark in zip(clients, marks):
        assert c.wait_exit(10) == 1
        assert c.lines_since(mark) == [
            'dpdk-mp_client: error: the primary process (pid %d) has exited; a secondary cannot '
            'go on' % server.pid]


def test_server_stops_first(mp):
    """On SIGINT the server lets its clients leave before it closes the ports."""
    server = start_server(mp, 2, NULL_PORTS)
    clients = [start_client(mp, server, i) for i in range(2)]
    for i, c in enumerate(clients):
        wait_client(mp, i, lambda v, pid=c.pid: v['state'] == 'running' and v['pid'] == pid
                    and v['tx'] > 0, 'client %d forwards' % i)
    assert server.stop() == 0
    for c in clients:
        assert c.wait_exit(20) == 0
    # The clients stop because the server does: its final lines are all there is.
    out = server.output()
    for i, c in enumerate(clients):
        m = re.search(r'Client %d \(pid %d\) statistics: rx (\d+) tx (\d+) drop 0' % (i, c.pid),
                      c.output())
        assert m and m.group(1) == m.group(2), c.output()[-500:]
        # What the server handed out, the client sent: nothing left in the ring.
        assert re.search(r'client %d: enqueued %s dropped \d+ drained 0\b' % (i, m.group(1)),
                         out)
    # Counted one by one once the clients are gone: every mbuf is back, once.
    assert re.search(r'mbufs: (\d+) of \1 free, 0 missing, 0 freed twice\n', out), out[-1000:]
