# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-mp-pack contributors
"""Finite, known traffic for the forwarding apps, and counting what comes out.

net_pcap works in a primary process only (a secondary fails to probe it), so
the apps under test get memif ports instead, and a peer dpdk-testpmd (a
separate primary, its own --file-prefix) bridges each memif port to a pcap
port: it reads generated pcap files into the apps and writes what the apps
send back into pcap files, one file per queue. Each packet carries
(input port, input queue, sequence number) in its payload, so the output
files tell exactly which packet came out where, and how many times.

Topology (testpmd's io forwarding pairs its ports 0<->1 and 2<->3):

  in_p0_q*.pcap -> peer 0 (pcap) -> peer 1 (memif) -> app port 0
  app port 1 -> peer 3 (memif) -> peer 2 (pcap) -> out_p1_q*.pcap
  and the same the other way round (in_p1 -> app port 1 -> app port 0 -> out_p0).

Every memif ring holds 1024 packets, and no input file holds more than
that, so nothing is dropped however slowly the processes get to run.
"""

import os
import re
import shutil
import struct
import time

import mpharness

ETHERTYPE = 0x88b5  # IEEE local experimental
PCAP_MAGIC = 0xa1b2c3d4
TESTPMD = '/usr/bin/dpdk-testpmd'
PROC_INFO = '/usr/bin/dpdk-proc-info'


def packet(port, queue, seq):
    """A 64-byte Ethernet frame tagged with its origin."""
    hdr = bytes([2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2]) + struct.pack('!H', ETHERTYPE)
    return hdr + struct.pack('!HHI', port, queue, seq) + bytes(42)


def write_pcap(path, frames):
    with open(path, 'wb') as f:
        f.write(struct.pack('<IHHiIII', PCAP_MAGIC, 2, 4, 0, 0, 65535, 1))
        for i, fr in enumerate(frames):
            f.write(struct.pack('<IIII', i // 1000000, i % 1000000, len(fr), len(fr)) + fr)


def read_pcap(path):
    """Return the list of (port, queue, seq) tags of the frames in a pcap file."""
    tags = []
    if not os.path.exists(path):
        return tags
    with open(path, 'rb') as f:
        data = f.read()
    if len(data) < 24:
        return tags
    magic = struct.unpack('<I', data[:4])[0]
    endian = '<' if magic in (0xa1b2c3d4, 0xa1b23c4d) else '>'
    off = 24
    while off + 16 <= len(data):
        _, _, incl, _ = struct.unpack(endian + 'IIII', data[off:off + 16])
        fr = data[off + 16:off + 16 + incl]
        off += 16 + incl
        if len(fr) >= 22 and struct.unpack('!H', fr[12:14])[0] == ETHERTYPE:
            tags.append(struct.unpack('!HHI', fr[14:22]))
    return tags


class Peer:
    """dpdk-testpmd bridging pcap files and the memif ports of the apps."""

    def __init__(self, workdir, nb_queues, counts, app_role='server', lcores='0@0,1@1'):
        """counts[(port, queue)] = number of packets fed into app port `port`
        on memif queue `queue`; ports 0 and 1.

        app_role is the memif role of the apps' ports. The memif client
        decides the ring counts: the apps are the client when their RX and TX
        queue counts differ (mp_server: 1 RX, N TX); then launch() the peer
        before the apps, as a memif client needs its server listening."""
        self.app_role = app_role
        self.base = 0
        self.dir = workdir
        self.nbq = nb_queues
        self.counts = counts
        self.lcores = lcores
        self.group = mpharness.Group('peer')
        self.proc = None
        self.sockets = [os.path.join(workdir, 'memif%d.sock' % p) for p in range(2)]
        for p in range(2):
            for q in range(nb_queues):
                n = counts.get((p, q), 0)
                write_pcap(self.in_file(p, q), [packet(p, q, s) for s in range(n)])

    def in_file(self, port, queue):
        return os.path.join(self.dir, 'in_p%d_q%d.pcap' % (port, queue))

    def out_file(self, port, queue):
        """What the apps sent out of their port `port`, on queue `queue`."""
        return os.path.join(self.dir, 'out_p%d_q%d.pcap' % (port, queue))

    def app_vdevs(self):
        """--vdev arguments for the apps' primary: two memif ports."""
        return ['net_memif%d,role=%s,socket=%s' % (p, self.app_role, self.sockets[p])
                for p in range(2)]

    def launch(self, timeout=30):
        """Start testpmd (forwarding stopped)."""
        if self.proc is not None:
            return
        peer_role = 'client' if self.app_role == 'server' else 'server'
        vdevs = []
        for p in range(2):
            pcap = 'net_pcap%d' % p
            for q in range(self.nbq):
                pcap += ',rx_pcap=%s' % self.in_file(p, q)
            for q in range(self.nbq):
                pcap += ',tx_pcap=%s' % self.out_file(p, q)
            vdevs.append(pcap)
            vdevs.append('net_memif%d,role=%s,socket=%s' % (p, peer_role, self.sockets[p]))
        self.proc = self.group.start(
            TESTPMD, lcores=self.lcores, vdevs=vdevs, eal_extra=['-m', '256'],
            app_args=['-i', '--rxq=%d' % self.nbq, '--txq=%d' % self.nbq, '--nb-cores=1',
                      '--forward-mode=io', '--no-flush-rx', '--total-num-mbufs=16384'],
            prompt='testpmd> ', timeout=timeout, name='testpmd')

    def start(self, timeout=30, app_group=None):
        """Wait for the memif links (both ends: the apps' too when app_group is
        given), then forward the pcap files."""
        self.launch(timeout)
        if app_group is not None:
            if not wait_for(lambda: app_links_up(app_group), timeout):
                raise AssertionError('memif links of the apps did not come up')
        # Packets sent before a memif link is up would be lost: wait for both.
        deadline = time.time() + timeout
        while not all(self.link_up(p) for p in (1, 3)):
            if time.time() > deadline:
                raise AssertionError('memif links of the peer testpmd did not come up')
            time.sleep(0.2)
        self.proc.cmd('set fwd io retry')
        # A memif ring stays full while the app's busy pollers wait for a CPU
        # (more of them than CPUs): retry for up to 100 ms, not testpmd's
        # default 64 us, before a burst is dropped.
        out = self.proc.cmd('set burst tx delay 50 retry 2000')
        assert not re.search(r'Bad arguments|not found|error', out, re.I), out
        self.proc.cmd('start')

    def link_up(self, port):
        out = self.proc.cmd('show port info %d' % port)
        return re.search(r'Link status:\s*up', out) is not None

    def port_stats(self, port):
        out = self.proc.cmd('show port stats %d' % port)
        rx = int(re.search(r'RX-packets:\s*(\d+)', out).group(1))
        tx = int(re.search(r'TX-packets:\s*(\d+)', out).group(1))
        return rx, tx

    def wait_output(self, expected, timeout=30):
        """Wait until testpmd's pcap ports (0 and 2) sent `expected` packets in total."""
        deadline = time.time() + timeout
        total = -1
        while time.time() < deadline:
            total = self.port_stats(0)[1] + self.port_stats(2)[1] - self.base
            if total >= expected:
                return total
            time.sleep(0.2)
        return total

    def fwd_stats(self):
        """testpmd's forwarding statistics (drops included), for failure messages."""
        return self.proc.cmd('show fwd stats all')

    def pause(self):
        """Stop forwarding. Do this before the apps stop: a memif port that
        is polled while its peer disconnects can crash (a known memif race)."""
        self.proc.cmd('stop')

    def finish(self):
        """Stop forwarding and quit so that the pcap files are complete."""
        if self.proc is not None and self.proc.alive():
            self.proc.cmd('stop')
            self.proc.sendline('quit')
            self.proc.wait_exit(20)

    def replay(self):
        """Feed the input files again.

        Stops forwarding, stops the pcap ports (closing the output files),
        returns what the output files hold, then restarts the pcap ports
        (the input files are read again from the start, the output files
        begin empty) and forwarding."""
        self.proc.cmd('stop')
        for p in (0, 2):
            self.proc.cmd('port stop %d' % p)
        outs = self.outputs()
        # Port counters run on: wait_output() counts from here.
        self.base = self.port_stats(0)[1] + self.port_stats(2)[1]
        for p in (0, 2):
            self.proc.cmd('port start %d' % p)
        self.proc.cmd('start')
        return outs

    def close(self):
        """Stop testpmd and remove the work directory (pcap files, sockets)."""
        self.group.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def outputs(self):
        """{(app out port, queue): [tags]}"""
        return {(p, q): read_pcap(self.out_file(p, q))
                for p in range(2) for q in range(self.nbq)}


def check_conservation(peer, expect_queue_map=True, outs=None, lost=0):
    """Every fed packet came out exactly once, of the other app port; `lost`
    packets may be missing (counted elsewhere by the caller).

    Returns the outputs for further checks."""
    if outs is None:
        outs = peer.outputs()
    seen = {}
    for (op, oq), tags in outs.items():
        for t in tags:
            ip, iq, _ = t
            assert ip == 1 - op, 'packet %s fed into port %d left by port %d' % (t, ip, op)
            if expect_queue_map:
                assert iq == oq, 'packet %s of queue %d left on queue %d' % (t, iq, oq)
            seen[t] = seen.get(t, 0) + 1
    dup = [t for t, n in seen.items() if n > 1]
    assert not dup, 'packets seen more than once: %s' % dup[:10]
    expected = {(p, q, s) for (p, q), n in peer.counts.items() for s in range(n)}
    missing = expected - set(seen)
    assert len(missing) == lost, '%d packets lost (%d expected), e.g. %s' % (
        len(missing), lost, sorted(missing)[:10])
    extra = set(seen) - expected
    assert not extra, 'unknown packets: %s' % sorted(extra)[:10]
    return outs


def proc_info_stats(group, timeout=20, vdevs=()):
    """Port counters of a running group as read by dpdk-proc-info: {port: (rx, tx)}.

    vdevs: the group's --vdev arguments, needed only when the primary is gone
    (a secondary otherwise gets the device list from the primary)."""
    argv = [PROC_INFO, '--no-pci', '--file-prefix', group.prefix, '--log-level', 'lib.eal:notice']
    for v in vdevs:
        argv += ['--vdev', v]
    r = group.tool(argv + ['--', '--stats'], timeout=timeout)
    stats = {}
    for m in re.finditer(r'statistics for port (\d+).*?RX-packets:\s*(\d+).*?TX-packets:\s*(\d+)',
                         r.stdout, re.S):
        stats[int(m.group(1))] = (int(m.group(2)), int(m.group(3)))
    return stats, r


def proc_info_xstats(group, timeout=20):
    """Extended port counters of a running group, read by dpdk-proc-info: {port: {name: n}}.

    Per-queue counters (rx_q<N>_packets, ...) are here on every DPDK release; the basic
    statistics lost them in DPDK 25.11."""
    r = group.tool([PROC_INFO, '--no-pci', '--file-prefix', group.prefix,
                    '--log-level', 'lib.eal:notice', '--', '--xstats'], timeout=timeout)
    stats = {}
    for part in re.split(r'NIC extended statistics for port (\d+)', r.stdout)[1:]:
        if part.isdigit():
            port = stats.setdefault(int(part), {})
            continue
        port.update((n, int(v)) for n, v in re.findall(r'^(\w+): (\d+)$', part, re.M))
    return stats


def app_links_up(group, ports=(0, 1)):
    """True when dpdk-proc-info sees the group's ports with link up."""
    r = group.tool([PROC_INFO, '--no-pci', '--file-prefix', group.prefix,
                    '--log-level', 'lib.eal:notice', '--', '--show-port'])
    up = set(int(m.group(1)) for m in
             re.finditer(r'===== Port (\d+) =====(?:(?!=====).)*?Link up', r.stdout, re.S))
    return all(p in up for p in ports)


def wait_for(cond, timeout=30, period=0.2):
    """Poll cond() until it returns a true value or the bound passes; return its last value."""
    deadline = time.time() + timeout
    while True:
        v = cond()
        if v or time.time() > deadline:
            return v
        time.sleep(period)
