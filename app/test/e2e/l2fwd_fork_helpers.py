# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-mp-pack contributors
"""Helpers shared by the dpdk-l2fwd_fork end-to-end tests, stress run and benchmark.

The app's one-line messages (worker started, killed, failed) are read from its output as
they come; its diagnostics (audits, pool checks, leaked lcore ids, recovery times, first
packet forwarded by each instance, port counters) are read from its telemetry commands
under /l2fwd_fork/.
"""

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
# the app's burst size
MAX_PKT_BURST = 32

RE_STARTED = re.compile(r'worker (\d+) \(lcore (\d+)\) started, pid (\d+)')
RE_FAILED = re.compile(r'worker (\d+) \(lcore \d+\) failed: ')
RE_LAUNCHED = re.compile(r'(\d+) workers launched')
RE_AUDIT = re.compile(r'audit \((\w+)\): mbufs (\d+) in pool (\d+) in caches (\d+) '
                      r'in lists (\d+) unaccounted (\d+) surplus (\d+); lcore ids leaked (\d+)')
RE_POOL_CHECK = re.compile(r'pool check: (\d+) distinct mbufs of (\d+), (\d+) duplicates')
# the printed table, kept for people; tests compare it with telemetry
RE_PORT_STATS = re.compile(r'Statistics for port (\d+) -+\s+Packets sent:\s+(\d+)\s+'
                           r'Packets received:\s+(\d+)\s+Packets dropped:\s+(\d+)')
RE_MAC = re.compile(r'Port (\d+), MAC address: ([0-9A-Fa-f:]{17})')


def null_vdevs(n):
    return ['net_null%d' % i for i in range(n)]


class L2fwdFork:
    """One dpdk-l2fwd_fork main process and what it printed about its workers."""

    def __init__(self, group, nports=2, lcores=LCORES_1PAIR, app_args=(), vdevs=None,
                 floating=False, timeout=30):
        # No periodic statistics unless the test asks for them (an option given
        # twice is refused).
        period = [] if '-T' in app_args else ['-T', '0']
        args = ['-p', '%x' % ((1 << nports) - 1)] + period + list(app_args)
        if floating:
            args.append('-f')
        self.group = group
        self.proc = group.start(APP, lcores=lcores, vdevs=vdevs or null_vdevs(nports),
                                eal_extra=EAL_MEM, app_args=args, timeout=timeout)
        self.tel = None
        self.polled = 0.0
        self.pids = {}       # worker index -> current pid
        self.forwarding = {}  # pid -> (worker, lcore id, first packet ns), from telemetry
        self.killed = {}     # pid -> signal, from telemetry
        self.failed = set()
        self.started = []    # (worker, pid) in order
        self.nworkers = None
        self.wait_until(lambda: self.nworkers is not None, timeout, 'workers launched')

    def query(self, cmd):
        """Reply of one telemetry command of the main process."""
        if self.tel is None:
            self.tel = self.group.telemetry()
        return self.tel.query(cmd)

    def poll_workers(self):
        """Read /l2fwd_fork/workers: first packets forwarded and last exits."""
        workers = self.query('/l2fwd_fork/workers')
        self.polled = time.monotonic()
        for key, w in workers.items():
            if not isinstance(w, dict):
                continue
            if w['pid'] > 0 and w['first_fwd_ns'] != 0:
                self.forwarding[w['pid']] = (int(key), w['lcore_id'], w['first_fwd_ns'])
            if w['exit_pid'] > 0 and w['exit_signal'] != 0:
                self.killed[w['exit_pid']] = w['exit_signal']
        return workers

    def _pump(self, timeout):
        """Read one event line, then the workers' telemetry; False on time-out."""
        try:
            i = self.proc.expect([RE_STARTED, RE_FAILED, RE_LAUNCHED], timeout=timeout)
        except pexpect.TIMEOUT:
            i = None
        if i is not None:
            m = self.proc.match
            if i == 0:
                w, pid = int(m.group(1)), int(m.group(3))
                self.pids[w] = pid
                self.started.append((w, pid))
            elif i == 1:
                self.failed.add(int(m.group(1)))
            else:
                self.nworkers = int(m.group(1))
        # between lines of a burst, telemetry is read at most every 50 ms, so that
        # a burst of lines is read at once
        if self.nworkers is not None and self.proc.alive() and \
                (i is None or time.monotonic() - self.polled > 0.05):
            self.poll_workers()
        return i is not None

    def wait_until(self, cond, timeout, what):
        """Read events until cond() holds; fail after timeout seconds."""
        deadline = time.monotonic() + timeout
        while not cond():
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError('timed out after %ss waiting for %s; output:\n%s'
                                     % (timeout, what, self.proc.output()[-3000:]))
            self._pump(min(left, 0.1))

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

    def wait_diag(self, cmd, cond, timeout, what):
        """Query cmd until cond(reply) holds; return the reply."""
        deadline = time.monotonic() + timeout
        while True:
            reply = self.query(cmd)
            if cond(reply):
                return reply
            if time.monotonic() > deadline:
                raise AssertionError('timed out after %ss waiting for %s: %s; output:\n%s'
                                     % (timeout, what, reply, self.proc.output()[-3000:]))
            time.sleep(0.05)

    def stop_workers(self, timeout=20):
        """SIGUSR2: the main stops every worker and checks its pools, and stays up.
        Return what telemetry then says (audit, pool check, leaked lcore ids, port
        counters, workers, recoveries)."""
        audit = self.query('/l2fwd_fork/audit')
        checks = self.query('/l2fwd_fork/pool_check')['runs']
        audits = audit['runs']
        if audit['when'] == 'stopped':
            # stopped already: what was found then still holds
            audits -= 1
            checks -= 1
        else:
            self.proc.signal(signal.SIGUSR2)
        diag = {
            'audit': self.wait_diag('/l2fwd_fork/audit',
                                    lambda a: a['runs'] > audits and a['when'] == 'stopped',
                                    timeout, 'audit of the stopped workers'),
            'pool_check': self.wait_diag('/l2fwd_fork/pool_check',
                                         lambda c: c['runs'] > checks and
                                         c['when'] == 'stopped',
                                         timeout, 'pool check of the stopped workers'),
        }
        for name in ('leaked_lcores', 'stats', 'workers', 'recovery'):
            diag[name] = self.query('/l2fwd_fork/' + name)
        return diag

    def stop(self, timeout=30):
        """Stop the workers and read the diagnostics through telemetry, then SIGINT;
        return (exit code, full output, diagnostics)."""
        diag = self.stop_workers()
        self.tel.close()
        self.tel = None
        self.proc.signal(signal.SIGINT)
        code = self.proc.wait_exit(timeout)
        return code, self.proc.output(), diag


def final_audit(output):
    """The audit printed at exit (for people) as a dict, or None."""
    found = [m for m in RE_AUDIT.finditer(output) if m.group(1) == 'exit']
    if not found:
        return None
    m = found[-1]
    keys = ('size', 'in_pool', 'in_caches', 'in_lists', 'unaccounted', 'surplus', 'leaked')
    return dict(zip(keys, (int(m.group(i)) for i in range(2, 9))))


def check_diagnostics(diag):
    """Problems in the telemetry of a main whose workers are all stopped."""
    audit, check = diag['audit'], diag['pool_check']
    problems = []
    if audit['failed'] != 0:
        problems.append('audit failed: %s' % audit)
    if audit['leaked_lcores'] != 0 or audit['leaked_lcore_ids'] != []:
        problems.append('lcore ids leaked: %s' % audit)
    if diag['leaked_lcores']['count'] != 0 or diag['leaked_lcores']['ids'] != []:
        problems.append('lcore ids leaked: %s' % diag['leaked_lcores'])
    if audit['unaccounted'] != 0:
        problems.append('mbufs unaccounted: %s' % audit)
    if audit['surplus'] != 0:
        problems.append('mbufs found twice (freed twice): %s' % audit)
    if audit['in_pool'] + audit['in_caches'] + audit['in_lists'] + audit['in_driver'] != \
            audit['size']:
        problems.append('audit does not add up: %s' % audit)
    if check['duplicates'] != 0:
        problems.append('mbufs freed twice: %s' % check)
    if check['distinct'] != check['size'] or check['size'] != audit['size']:
        problems.append('mbufs missing from the pool: %s (audit %s)' % (check, audit))
    for key, w in diag['workers'].items():
        if isinstance(w, dict) and w['state'] not in ('stopped', 'failed'):
            problems.append('worker %s not stopped: %s' % (key, w))
    return problems


def assert_clean_exit(code, output, diag=None):
    """The main exited with 0. With diag (what stop() read in telemetry after
    stopping the workers), that nothing was lost, freed twice or leaked then;
    in every case, that the audit and pool check done at exit say the same."""
    assert code == 0, 'exit code %s; output:\n%s' % (code, output[-3000:])
    if diag is not None:
        problems = check_diagnostics(diag)
        assert not problems, '; '.join(problems)
    audit = final_audit(output)
    assert audit is not None, 'no audit at exit:\n' + output[-3000:]
    assert audit['leaked'] == 0, 'lcore ids leaked: %s' % audit
    check = RE_POOL_CHECK.search(output)
    assert check, 'no pool check at exit:\n' + output[-3000:]
    distinct, size, dups = (int(check.group(i)) for i in (1, 2, 3))
    problems = []
    if audit['unaccounted'] != 0:
        problems.append('mbufs unaccounted: %s' % audit)
    if audit['surplus'] != 0:
        problems.append('mbufs found twice (freed twice): %s' % audit)
    if audit['in_pool'] + audit['in_caches'] + audit['in_lists'] != audit['size']:
        problems.append('audit does not add up: %s' % audit)
    if dups != 0:
        problems.append('mbufs freed twice: %d (%d distinct of %d)' % (dups, distinct, size))
    if distinct != size:
        problems.append('mbufs missing from the pool: %d distinct of %d' % (distinct, size))
    assert not problems, '; '.join(problems)
    audit['duplicates'] = dups
    if diag is not None:
        # telemetry gives the figures the tests look at
        audit = dict(diag['audit'], leaked=diag['audit']['leaked_lcores'],
                     duplicates=diag['pool_check']['duplicates'])
    return audit


def telemetry_port_stats(stats):
    """{port: (sent, received, dropped)} from /l2fwd_fork/stats."""
    return {int(k): (v['tx'], v['rx'], v['dropped']) for k, v in stats.items()
            if isinstance(v, dict)}


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


def proc_state(pid):
    """The one-letter state of a process, from /proc/<pid>/stat; None once it is gone."""
    try:
        with open('/proc/%d/stat' % pid) as f:
            return f.read().rsplit(')', 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return None


def parked_standbys(app):
    """{worker: pid} of the standbys parked now (l2fwd_fork --standby), from telemetry."""
    return {int(k): w['standby_pid'] for k, w in app.poll_workers().items()
            if isinstance(w, dict) and w.get('standby_state') == 'parked'}
