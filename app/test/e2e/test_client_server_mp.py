# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-mp-pack contributors
"""dpdk-mp_server and dpdk-mp_client end to end: packet conservation for 1, 2
and 4 clients, a client killed and restarted (losses bounded and counted),
bad input, dpdk-proc-info on the running server."""
# Every DPDK process here gets --no-pci and its own --file-prefix from mpharness.Group.

import re
import signal
import tempfile

import pytest

import mp_traffic as mt

PKTS_PER_PORT = 1000
NULL_PORTS = ['net_null0', 'net_null1']
RING_CAPACITY = 8191
# A client holds at most one ring read (512) plus a TX buffer (64) per port.
CLIENT_IN_HAND = 512 + 2 * 64


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
        for i, c in enumerate(clients):
            assert c.stop() == 0
            assert re.search(r'Client %d \(pid %d\) statistics: rx %d tx %d drop 0' %
                             (i, c.pid, total // nclients, total // nclients), c.output())
        assert server.stop() == 0
        out = server.output()
        assert 'final statistics' in out
        assert re.search(r'mbufs: \d+ of \d+ free, 0 in use', out), out[-1000:]
        for i in range(nclients):
            assert re.search(r'client %d: enqueued %d dropped 0 drained 0' %
                             (i, total // nclients), out), out[-2000:]

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
        server.expect(r'client 1: enqueued %d dropped 0' % (total // 2), timeout=30)

        clients[1].signal(signal.SIGKILL)
        assert clients[1].wait_exit(10) == -signal.SIGKILL
        server.expect(r'client 1 \(pid %d\) exited; (\d+) packets in its ring freed' %
                      clients[1].pid, timeout=10)
        drained = int(server.match.group(1))
        assert drained == total // 2
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
        assert server.stop() == 0
        assert re.search(r'client 1: enqueued %d dropped 0 drained %d' %
                         (total, drained), server.output())
        # The killed client held nothing: every mbuf is back in the pool.
        assert re.search(r'mbufs: \d+ of \d+ free, 0 in use', server.output())

        peer.finish()
        outs = mt.check_conservation(peer, expect_queue_map=False)
        assert len(outs[(0, 1)]) + len(outs[(1, 1)]) == total // 2
    finally:
        peer.close()


def test_kill_client_under_load(mp):
    """Kill -9 a busy client: the server keeps receiving, frees at most a ring of
    packets, and a new client takes the id."""
    server = start_server(mp, 2, NULL_PORTS)
    clients = [start_client(mp, server, i) for i in range(2)]
    server.expect(r'client 1: enqueued \d+ dropped \d+ drained \d+ \| client rx [1-9]', timeout=30)

    clients[1].signal(signal.SIGKILL)
    clients[1].wait_exit(10)
    server.expect(r'client 1 \(pid %d\) exited; (\d+) packets in its ring freed' %
                  clients[1].pid, timeout=30)
    assert int(server.match.group(1)) <= RING_CAPACITY

    # The server still receives: port counters read twice from outside.
    first = mt.wait_for(lambda: mt.proc_info_stats(mp)[0])
    assert first
    assert mt.wait_for(lambda: (lambda s: s and s[0][0] > first[0][0])(mt.proc_info_stats(mp)[0]))

    # The new client 1 forwards: its counter in the server's statistics grows.
    again = start_client(mp, server, 1, name='client1b')

    row = r'client 1: .*\| client rx (\d+) .*\| pid %d' % again.pid
    server.expect(row, timeout=30)
    rx1 = int(server.match.group(1))
    server.expect(row, timeout=30)
    assert int(server.match.group(1)) > rx1
    for c in (again, clients[0]):
        assert c.stop() == 0
    assert server.stop() == 0
    # Only what the killed client had in hand (one read and its TX buffers) is lost.
    m = re.search(r'mbufs: \d+ of \d+ free, (\d+) in use', server.output())
    assert m and int(m.group(1)) <= CLIENT_IN_HAND, server.output()[-1000:]


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
    assert c0.stop() == 0
    assert server.stop() == 0


def test_client_without_server(mp):
    """With no server, --proc-type=auto makes the client a primary: refused, cleanly."""
    r = mp.run('mp_client', lcores='0', proc_type='auto', app_args=['-n', '0'], timeout=30)
    one_error(r, r'mp_client must run as a secondary')


def test_clients_leave_when_server_dies(mp):
    """Clients watch the server (mpsupport exit notification) and stop cleanly when it dies."""
    server = start_server(mp, 2, NULL_PORTS)
    clients = [start_client(mp, server, i) for i in range(2)]
    server.signal(signal.SIGKILL)
    assert server.wait_exit(10) == -signal.SIGKILL
    for i, c in enumerate(clients):
        assert c.wait_exit(20) == 0
        assert re.search(r'Client %d \(pid %d\) statistics: rx [1-9]\d* tx [1-9]\d* drop 0' %
                         (i, c.pid), c.output())


def test_server_stops_first(mp):
    """On SIGINT the server lets its clients leave before it closes the ports."""
    server = start_server(mp, 2, NULL_PORTS)
    clients = [start_client(mp, server, i) for i in range(2)]
    assert server.stop() == 0
    for c in clients:
        assert c.wait_exit(20) == 0
    out = server.output()
    for i, c in enumerate(clients):
        m = re.search(r'Client %d \(pid %d\) statistics: rx (\d+) tx (\d+) drop 0' % (i, c.pid),
                      c.output())
        assert m and m.group(1) == m.group(2), c.output()[-500:]
        # What the server handed out, the client sent: nothing left in the ring.
        assert re.search(r'client %d: enqueued %s dropped \d+ drained 0' % (i, m.group(1)), out)
    assert re.search(r'mbufs: \d+ of \d+ free, 0 in use', out), out[-1000:]
