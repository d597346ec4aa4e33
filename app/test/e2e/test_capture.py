# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-mp-pack contributors
"""Packet capture with DPDK's tools (dpdk-dumpcap, dpdk-pdump) on every app.

dpdk-dumpcap asks the primary for a capture of a port in both directions; the primary
hands the request on to every process that polls the port: mp_clients and symmetric_mp
secondaries by a thread of the library, l2fwd_fork's forked workers over their command
rings. The tests count the packets in the files the tools write (a pcapng reader below)
and tell the directions and queues apart by the options of each packet block, so that a
packet from a secondary or a forked worker is seen as such; counters are read from the
/mpsupport/capture telemetry command.

dpdk-dumpcap takes no EAL options but --file-prefix (it runs as a secondary of the
group, on the lcores of its CPU affinity); the library copies packets without any lcore
cache of the tool's pool, so its lcore ids may be the apps' own.
"""

import contextlib
import os
import shutil
import signal
import struct
import subprocess
import tempfile
import time

import pytest

import l2fwd_fork_helpers as h

DUMPCAP = shutil.which('dpdk-dumpcap')
PDUMP = shutil.which('dpdk-pdump')
INBOUND, OUTBOUND = 1, 2
TOOL_TIMEOUT = 30


def read_pcapng(path):
    """(direction, queue) for each enhanced packet block of a pcapng file; direction
    and queue are None when the block has no such option."""
    with open(path, 'rb') as f:
        data = f.read()
    pkts = []
    off = 0
    endian = '<'
    while off + 12 <= len(data):
        btype, blen = struct.unpack_from(endian + 'II', data, off)
        if btype == 0x0A0D0D0A:
            magic = data[off + 8:off + 12]
            endian = '<' if magic == b'\x4d\x3c\x2b\x1a' else '>'
            btype, blen = struct.unpack_from(endian + 'II', data, off)
        assert blen >= 12 and off + blen <= len(data), 'truncated block at %d' % off
        if btype == 6:
            caplen = struct.unpack_from(endian + 'I', data, off + 20)[0]
            opt = off + 28 + ((caplen + 3) & ~3)
            direction = queue = None
            while opt + 4 <= off + blen - 4:
                code, olen = struct.unpack_from(endian + 'HH', data, opt)
                if code == 0:
                    break
                if code == 2 and olen == 4:    # epb_flags: bits 0-1 direction
                    direction = struct.unpack_from(endian + 'I', data, opt + 4)[0] & 3
                elif code == 6 and olen == 4:  # epb_queue
                    queue = struct.unpack_from(endian + 'I', data, opt + 4)[0]
                opt += 4 + ((olen + 3) & ~3)
            pkts.append((direction, queue))
        off += blen
    return pkts


def count_pcap(path):
    """Packets in a libpcap file (what dpdk-pdump writes)."""
    with open(path, 'rb') as f:
        data = f.read()
    assert len(data) >= 24, '%s: no pcap header' % path
    endian = '<' if data[:4] == b'\xd4\xc3\xb2\xa1' or data[:4] == b'\x4d\x3c\xb2\xa1' else '>'
    n, off = 0, 24
    while off + 16 <= len(data):
        caplen = struct.unpack_from(endian + 'I', data, off + 8)[0]
        off += 16 + caplen
        n += 1
    return n


def need(tool, name):
    if tool is None:
        pytest.skip('%s not installed (Debian package dpdk)' % name)


def dumpcap(group, iface, count, out, timeout=TOOL_TIMEOUT):
    """Run dpdk-dumpcap until it captured count packets; return the packets.

    dpdk-dumpcap checks the count after each burst it writes (up to 32 packets):
    the file holds count to count + 31 packets."""
    need(DUMPCAP, 'dpdk-dumpcap')
    argv = [DUMPCAP, '--file-prefix=%s' % group.prefix, '-i', iface, '-c', str(count),
            '-w', str(out), '-q']
    r = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, errors='replace',
                       timeout=timeout)
    assert r.returncode == 0, '%s failed (%d):\n%s' % (argv, r.returncode, r.stdout)
    pkts = read_pcapng(str(out))
    assert count <= len(pkts) < count + 32, (len(pkts), count)
    return pkts


@contextlib.contextmanager
def running(argv):
    """A capture tool running for the block. When the block ends, SIGINT stops it as a
    user's Ctrl-C does, and its output is then in tool.text; if the block raised, or the
    tool does not exit, it is killed."""
    tool = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, errors='replace')
    try:
        yield tool
        tool.send_signal(signal.SIGINT)
        tool.text, _ = tool.communicate(timeout=TOOL_TIMEOUT)
    finally:
        if tool.poll() is None:
            tool.kill()
            tool.wait()


def capture_info(tel):
    return tel.query('/mpsupport/capture')


def wait_capture(tel, done, what, timeout=20, tool=None):
    """Read /mpsupport/capture every 50 ms until done(info) holds; return info.
    A tool (a running() process) that exits meanwhile fails the wait with its output."""
    deadline = time.monotonic() + timeout
    while True:
        info = capture_info(tel)
        if done(info):
            return info
        if tool is not None:
            assert tool.poll() is None, tool.communicate()[0]
        assert time.monotonic() < deadline, '%s: %s' % (what, info)
        time.sleep(0.05)


def packet_written(path):
    """Whether the pcapng file holds one whole packet block yet. It reads the file's
    first blocks only: at line rate, the file grows by hundreds of megabytes a second."""
    try:
        with open(path, 'rb') as f:
            data = f.read(1 << 20)
    except OSError:
        return False
    off = 0
    endian = '<'
    while off + 12 <= len(data):
        btype, blen = struct.unpack_from(endian + 'II', data, off)
        if btype == 0x0A0D0D0A:
            endian = '<' if data[off + 8:off + 12] == b'\x4d\x3c\x2b\x1a' else '>'
            btype, blen = struct.unpack_from(endian + 'II', data, off)
        if blen < 12 or off + blen > len(data):
            return False
        if btype == 6:
            return True
        off += blen
    return False


def wait_written(path, tool, what, timeout=20):
    """Wait until a running() tool wrote a packet into its pcapng file. The library's
    counters say what was handed to the tool, not what it wrote: a tool stopped right
    after they move can leave the file without a packet."""
    deadline = time.monotonic() + timeout
    while not packet_written(path):
        assert tool.poll() is None, tool.communicate()[0]
        assert time.monotonic() < deadline, '%s: none in %s' % (what, path)
        time.sleep(0.05)


def capture_until(group, tel, iface, pids, out, keys=(), timeout=20):
    """Run dpdk-dumpcap until the callbacks of every process in pids saw packets
    (the library's per-process counter) and each capture entry in keys (port0_rx...)
    handed packets to the tool; return the counters and the packets of the file."""
    need(DUMPCAP, 'dpdk-dumpcap')
    argv = [DUMPCAP, '--file-prefix=%s' % group.prefix, '-i', iface, '-s', '96',
            '-w', str(out), '-q']
    base = capture_info(tel).get('seen', {})
    with running(argv) as cap:
        info = wait_capture(
            tel, lambda i: all(i.get('seen', {}).get(str(p), 0) > base.get(str(p), 0)
                               for p in pids) and
            all(i.get(k, {}).get('packets', 0) > 0 for k in keys),
            'want packets seen by %s' % list(pids), timeout, cap)
        wait_written(out, cap, 'want a packet written', timeout)
    assert cap.returncode == 0, cap.text
    pkts = read_pcapng(str(out))
    assert pkts
    return info.get('seen', {}), pkts


def wait_capture_off(tel, key, timeout=10):
    """The tool's disable reached the primary: the entry is off again."""
    return wait_capture(tel, lambda i: not i.get(key, {}).get('on', 0), 'capture still on',
                        timeout)


def wait_processes(tel, n):
    """n processes of the group take part in captures."""
    wait_capture(tel, lambda i: i.get('processes', 0) >= n, 'want %d processes' % n)


def test_l2fwd_fork_workers(mp, tmp_path):
    """Both directions of port 0 come from the forked workers (the main polls no port):
    worker 0 receives on it, worker 1 sends on it. The capture is released when
    dumpcap exits, and capturing again works."""
    app = h.L2fwdFork(mp, nports=2)
    pids = app.wait_all_forwarding()
    tel = mp.telemetry()
    for run in range(2):
        pkts = dumpcap(mp, 'net_null0', 300, tmp_path / ('fork%d.pcapng' % run))
        assert {d for d, _ in pkts} <= {INBOUND, OUTBOUND}, run
        info = wait_capture_off(tel, 'port0_rx')
        assert info['lagging'] == 0, info
        # main and two workers took part
        assert info['processes'] == 3, info
    capture_until(mp, tel, 'net_null0', pids.values(), tmp_path / 'all.pcapng',
                  keys=('port0_rx', 'port0_tx'))
    info = wait_capture_off(tel, 'port0_rx')
    assert info['relay'] and info['lagging'] == 0, info
    tel.close()
    code, out, diag = app.stop()
    h.assert_clean_exit(code, out, diag)


def test_l2fwd_fork_worker_killed(mp, tmp_path):
    """kill -9 of a worker during a capture: the new instance captures from its start,
    and the audit finds every mbuf of the app."""
    need(DUMPCAP, 'dpdk-dumpcap')
    app = h.L2fwdFork(mp, nports=2)
    pids = app.wait_all_forwarding()
    out = tmp_path / 'kill.pcapng'
    argv = [DUMPCAP, '--file-prefix=%s' % mp.prefix, '-i', 'net_null0', '-w', str(out),
            '-q']
    with running(argv) as cap:
        app.wait_diag('/mpsupport/capture',
                      lambda c: c.get('port0_rx', {}).get('packets', 0) > 0, 20,
                      'packets captured')
        # worker 0 polls port 0
        victim = pids[0]
        app.kill(victim)
        new = app.wait_new_instance(0, victim)
        assert new != victim
        base = app.query('/mpsupport/capture')['port0_rx']['packets']
        # only the new instance receives on port 0: it captures
        app.wait_diag('/mpsupport/capture',
                      lambda c: c['port0_rx']['packets'] > base + 1000, 20,
                      'packets captured by the new worker')
    assert cap.returncode == 0, cap.text
    pkts = read_pcapng(str(out))
    assert len(pkts) > base, (len(pkts), base)
    app.wait_diag('/mpsupport/capture', lambda c: not c['port0_rx']['on'] and
                  c['lagging'] == 0, 10, 'capture off everywhere')
    code, output, diag = app.stop()
    h.assert_clean_exit(code, output, diag)


def test_client_server(mp, tmp_path):
    """mp_server receives (inbound), its client sends (outbound): a capture of one port
    holds both, so the client, a secondary, installed the callbacks."""
    server = mp.start('mp_server', lcores='0', vdevs=h.null_vdevs(2),
                      app_args=['-p', '3', '-n', '1'])
    server.expect(r'mp_server: 1 clients')
    client = mp.start('mp_client', lcores='1', proc_type='secondary', app_args=['-n', '0'])
    tel = mp.telemetry()
    wait_processes(tel, 2)
    dumpcap(mp, 'net_null1', 200, tmp_path / 'cs.pcapng')
    wait_capture_off(tel, 'port1_tx')
    capture_until(mp, tel, 'net_null1', [server.pid, client.pid], tmp_path / 'cs_all.pcapng',
                  keys=('port1_rx', 'port1_tx'))
    wait_capture_off(tel, 'port1_tx')
    tel.close()


def test_symmetric_mp(mp, tmp_path):
    """Each process of symmetric_mp receives on its own queue: a capture holds
    packets of both queues, so the secondary installed the callbacks."""
    args = ['-p', '3', '--num-procs', '2']
    prim = mp.start('symmetric_mp', lcores='0', vdevs=h.null_vdevs(2),
                    app_args=args + ['--proc-id', '0'])
    prim.expect(r'process 0 of 2 \(primary, pid \d+\) forwarding')
    tel = mp.telemetry()
    sec = mp.start('symmetric_mp', lcores='1', proc_type='secondary',
                   app_args=args + ['--proc-id', '1'])
    wait_processes(tel, 2)
    pkts = dumpcap(mp, 'net_null0', 400, tmp_path / 'sym.pcapng')
    assert {q for _, q in pkts} <= {0, 1}
    wait_capture_off(tel, 'port0_rx')
    capture_until(mp, tel, 'net_null0', [prim.pid, sec.pid], tmp_path / 'sym_all.pcapng')
    wait_capture_off(tel, 'port0_rx')
    tel.close()


def test_pdump_rx_tx(mp):
    """dpdk-pdump, DPDK's other tool, writes RX and TX of an mp_server port into two
    pcap files; both fill while mp_server and its client forward."""
    need(PDUMP, 'dpdk-pdump')
    server = mp.start('mp_server', lcores='0', vdevs=h.null_vdevs(2),
                      app_args=['-p', '3', '-n', '1'])
    server.expect(r'mp_server: 1 clients')
    mp.start('mp_client', lcores='1', proc_type='secondary', app_args=['-n', '0'])
    tel = mp.telemetry()
    wait_processes(tel, 2)
    # dpdk-pdump cuts a device path at 63 characters (and writes to the
    # cut name): pytest's tmp_path can be longer, so the files go to a
    # short directory of their own.
    short = tempfile.mkdtemp(prefix='pdump', dir='/tmp')
    rx, tx = os.path.join(short, 'rx.pcap'), os.path.join(short, 'tx.pcap')
    argv = [PDUMP, '--no-pci', '--file-prefix=%s' % mp.prefix, '-l', '1', '--',
            '--pdump', 'port=0,queue=*,rx-dev=%s,tx-dev=%s' % (rx, tx)]
    with running(argv) as p:
        wait_capture(tel, lambda i: i.get('port0_rx', {}).get('packets', 0) > 500 and
                     i.get('port0_tx', {}).get('packets', 0) > 500,
                     'want 500 packets each way', tool=p)
    try:
        assert p.returncode == 0, p.text
        assert count_pcap(rx) > 0 and count_pcap(tx) > 0, p.text
    finally:
        shutil.rmtree(short)
    wait_capture_off(tel, 'port0_rx')
    tel.close()
