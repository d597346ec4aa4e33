# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-mp-pack contributors
"""Helpers shared by the dpdk-l2fwd_fork end-to-end tests, stress run and benchmark."""

import os
import re
import signal
import struct
import time

import pexpect

import mpharness

APP = 'l2fwd_fork'
# Main lcore 0 on CPU 0, one worker lcore on each CPU: two busy workers on 2 CPUs.
LCORES_1PAIR = '0@0,1@1,2@0'
# Two pairs: four busy workers on two CPUs (slower, still correct).
LCORES_2PAIRS = '0@0,1@1,2@0,3@1,4@0'
EAL_MEM = ['-m', '256']

RE_STARTED = re.compile(r'worker (\d+) \(lcore (\d+)\) started, pid (\d+)')
RE_FORWARDING = re.compile(r'worker (\d+) \(lcore (\d+) as lcore id (\d+)\) pid (\d+) '
                           r'forwarding: first packet at (\d+) ns')
RE_KILLED = re.compile(r'worker (\d+) \(lcore \d+\) pid (\d+) killed by signal (\d+)')
RE_FAILED = re.compile(r'worker (\d+) \(lcore \d+\) failed: ')
RE_LAUNCHED = re.compile(r'(\d+) workers launched')
RE_AUDIT = re.compile(r'audit \((\w+)\): mbufs (\d+) in pool (\d+) in caches (\d+) '
                      r'in lists (\d+) unaccounted (\d+); lcore ids leaked (\d+)')
RE_POOL_CHECK = re.compile(r'pool check: (\d+) distinct mbufs of (\d+), (\d+) duplicates')
RE_PORT_STATS = re.compile(r'Statistics for port (\d+) -+\s+Packets sent:\s+(\d+)\s+'
                           r'Packets received:\s+(\d+)\s+Packets dropped:\s+(\d+)')
RE_MAC = re.compile(r'Port (\d+), MAC address: ([0-9A-Fa-f:]{17})')


def null_vdevs(n):
    return ['net_null%d' % i for i in range(n)]


class L2fwdFork:
    """One dpdk-l2fwd_fork main process and what it printed about its workers."""

    def __init__(self, group, nports=2, lcores=LCORES_1PAIR, app_args=(), vdevs=None,
                 floating=False, timeout=30):
        args = ['-p', '%x' % ((1 << nports) - 1), '-T', '0'] + list(app_args)
        if floating:
            args.append('-f')
        self.proc = group.start(APP, lcores=lcores, vdevs=vdevs or null_vdevs(nports),
                                eal_extra=EAL_MEM, app_args=args, timeout=timeout)
        self.pids = {}       # worker index -> current pid
        self.forwarding = {}  # pid -> (worker, lcore id, first packet ns)
        self.killed = {}     # pid -> signal
        self.failed = set()
        self.started = []    # (worker, pid) in order
        self.nworkers = None
        self.wait_until(lambda: self.nworkers is not None, timeout, 'workers launched')

    def _pump(self, timeout):
        """Read one event line; return False on time-out."""
        try:
            i = self.proc.expect([RE_STARTED, RE_FORWARDING, RE_KILLED, RE_FAILED,
                                  RE_LAUNCHED], timeout=timeout)
        except pexpect.TIMEOUT:
            return False
        m = self.proc.match
        if i == 0:
            w, pid = int(m.group(1)), int(m.group(3))
            self.pids[w] = pid
            self.started.append((w, pid))
        elif i == 1:
            self.forwarding[int(m.group(4))] = (int(m.group(1)), int(m.group(3)),
                                                int(m.group(5)))
        elif i == 2:
            self.killed[int(m.group(2))] = int(m.group(3))
        elif i == 3:
            self.failed.add(int(m.group(1)))
        else:
            self.nworkers = int(m.group(1))
        return True

    def wait_until(self, cond, timeout, what):
        """Read events until cond() holds; fail after timeout seconds."""
        deadline = time.monotonic() + timeout
        while not cond():
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError('timed out after %ss waiting for %s; output:\n%s'
                                     % (timeout, what, self.proc.output()[-3000:]))
            self._pump(min(left, 1.0))

    def wait_all_forwarding(self, timeout=30):
        """Wait until every worker's current instance forwarded a packet."""
        self.wait_until(lambda: len(self.pids) == self.nworkers and
                        all(p in self.forwarding for p in self.pids.values()),
                        timeout, 'all workers forwarding')
        return dict(self.pids)

    def wait_new_instance(self, worker, old_pid, timeout=20):
        """Wait until worker runs under a pid other than old_pid and forwards."""
        self.wait_until(lambda: self.pids.get(worker) not in (None, old_pid) and
                        self.pids[worker] in self.forwarding,
                        timeout, 'worker %d to replace pid %d and forward' % (worker, old_pid))
        return self.pids[worker]

    def kill(self, pid, sig=signal.SIGKILL, missing_ok=False):
        """Send sig; return the CLOCK_MONOTONIC time just before it (None when
        missing_ok and the process was already gone)."""
        t = time.monotonic_ns()
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            if not missing_ok:
                raise
            return None
        return t

    def stop(self, timeout=30):
        """SIGINT; return (exit code, full output)."""
        self.proc.signal(signal.SIGINT)
        code = self.proc.wait_exit(timeout)
        return code, self.proc.output()


def final_audit(output):
    """The audit printed at exit as a dict, or None."""
    found = [m for m in RE_AUDIT.finditer(output) if m.group(1) == 'exit']
    if not found:
        return None
    m = found[-1]
    keys = ('size', 'in_pool', 'in_caches', 'in_lists', 'unaccounted', 'leaked')
    return dict(zip(keys, (int(m.group(i)) for i in range(2, 8))))


def assert_clean_exit(code, output):
    assert code == 0, 'exit code %s; output:\n%s' % (code, output[-3000:])
    audit = final_audit(output)
    assert audit is not None, 'no audit at exit:\n' + output[-3000:]
    assert audit['leaked'] == 0, 'lcore ids leaked: %s' % audit
    check = RE_POOL_CHECK.search(output)
    assert check, 'no pool check at exit:\n' + output[-3000:]
    distinct, size, dups = (int(check.group(i)) for i in (1, 2, 3))
    problems = []
    if audit['unaccounted'] != 0:
        problems.append('mbufs unaccounted: %s' % audit)
    if audit['in_pool'] + audit['in_caches'] + audit['in_lists'] != audit['size']:
        problems.append('audit does not add up: %s' % audit)
    if dups != 0:
        problems.append('mbufs freed twice: %d (%d distinct of %d)' % (dups, distinct, size))
    if distinct != size:
        problems.append('mbufs missing from the pool: %d distinct of %d' % (distinct, size))
    assert not problems, '; '.join(problems)
    audit['duplicates'] = dups
    return audit


def last_port_stats(output):
    """{port: (sent, received, dropped)} from the last statistics table."""
    stats = {}
    for m in RE_PORT_STATS.finditer(output):
        stats[int(m.group(1))] = (int(m.group(2)), int(m.group(3)), int(m.group(4)))
    return stats


# pcap files written with struct: global header, then one record per packet.
PCAP_MAGIC = 0xa1b2c3d4
# net_pcap writes the nanosecond-resolution variant
PCAP_MAGICS = (PCAP_MAGIC, 0xa1b23c4d)


def write_pcap(path, frames):
    with open(path, 'wb') as f:
        f.write(struct.pack('<IHHiIII', PCAP_MAGIC, 2, 4, 0, 0, 65535, 1))
        for i, fr in enumerate(frames):
            f.write(struct.pack('<IIII', i // 1000000, i % 1000000, len(fr), len(fr)))
            f.write(fr)


def read_pcap(path):
    """Frames of a pcap file.

    net_pcap opens its TX dumper in the main process before the workers are
    forked, so the file header sits in the main's stdio buffer; when the main
    closes the port at exit, that copy of the header is appended once more.
    A trailing file header is therefore skipped (and nothing else is).
    """
    with open(path, 'rb') as f:
        data = f.read()
    hdr = struct.calcsize('<IHHiIII')
    assert len(data) >= hdr and struct.unpack_from('<I', data)[0] in PCAP_MAGICS, path
    frames, off = [], hdr
    while off < len(data):
        if len(data) - off == hdr and data[off:off + hdr] == data[:hdr]:
            break
        _, _, incl, _ = struct.unpack_from('<IIII', data, off)
        off += 16
        assert off + incl <= len(data), 'truncated record in %s at %d' % (path, off)
        frames.append(data[off:off + incl])
        off += incl
    return frames


def make_frame(src_port, seq, size=64):
    """An Ethernet frame whose payload names its input port and sequence number."""
    eth = bytes.fromhex('ffffffffffff' '020000000099') + struct.pack('>H', 0x88b5)
    payload = struct.pack('>HI', src_port, seq)
    return eth + payload + bytes(size - len(eth) - len(payload))


def pid_exists(pid):
    return mpharness.pid_alive(pid)
