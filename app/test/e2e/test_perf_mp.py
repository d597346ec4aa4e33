# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-mp-pack contributors
"""Throughput of dpdk-symmetric_mp and dpdk-mp_server/dpdk-mp_client beside
DPDK's upstream examples and dpdk-testpmd, on two net_null ports.

A benchmark: it prints figures and never fails on them. Throughput is read
from outside the apps: the primary's port counters (sum of TX packets of
both ports) through its telemetry socket, twice, over a fixed interval. The
VM is noisy, so the two binaries run interleaved (ours, upstream, ours, ...)
and the figure that counts is the median of the per-pair ratios.

The upstream examples are built from Debian's dpdk-doc sources
(/usr/share/dpdk/examples/multi_process) with their own Makefiles, into a
cache under the build directory; their code is never part of this tree.

Environment: MP_PERF_PAIRS (default 5), MP_PERF_SECONDS (default 2).
"""

import json
import os
import shutil
import socket
import statistics
import subprocess
import time

import pytest

import mpharness

UPSTREAM_SRC = '/usr/share/dpdk/examples/multi_process'
TESTPMD = '/usr/bin/dpdk-testpmd'
PORTS = ['net_null0', 'net_null1']
PAIRS = int(os.environ.get('MP_PERF_PAIRS', '5'))
SECONDS = float(os.environ.get('MP_PERF_SECONDS', '2'))
WARMUP = 1.0


def upstream_dir():
    return os.path.join(mpharness.build_dir(), 'upstream-mp')


def build_upstream():
    """Build (once) the upstream examples; return {name: binary} or a reason string."""
    if not os.path.isdir(UPSTREAM_SRC):
        return 'dpdk-doc examples not installed (%s)' % UPSTREAM_SRC
    if shutil.which('make') is None:
        return 'make not installed'
    top = upstream_dir()
    bins = {
        'symmetric_mp': os.path.join(top, 'symmetric_mp', 'build', 'symmetric_mp'),
        'mp_server': os.path.join(top, 'client_server_mp', 'mp_server', 'build', 'mp_server'),
        'mp_client': os.path.join(top, 'client_server_mp', 'mp_client', 'build', 'mp_client'),
    }
    if all(os.access(b, os.X_OK) for b in bins.values()):
        return bins
    os.makedirs(top, exist_ok=True)
    for d in ('symmetric_mp', 'client_server_mp'):
        dst = os.path.join(top, d)
        shutil.rmtree(dst, ignore_errors=True)
        shutil.copytree(os.path.join(UPSTREAM_SRC, d), dst)
        r = subprocess.run(['nice', 'make', '-j2', '-C', dst], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, timeout=600)
        if r.returncode != 0:
            return 'building upstream %s failed:\n%s' % (d, r.stdout[-2000:])
    return bins


class Telemetry:
    """Client of a primary's telemetry socket (dpdk_telemetry.v2)."""

    def __init__(self, prefix, timeout=20):
        path = os.path.join(mpharness.RUNTIME_DIR, prefix, 'dpdk_telemetry.v2')
        deadline = time.time() + timeout
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
                self.sock.connect(path)
                break
            except OSError:
                self.sock.close()
                if time.time() > deadline:
                    raise
                time.sleep(0.1)
        json.loads(self.sock.recv(65536).decode())

    def query(self, cmd):
        self.sock.send(cmd.encode())
        return json.loads(self.sock.recv(1 << 20).decode())

    def tx_packets(self, ports=(0, 1)):
        total = 0
        for p in ports:
            total += self.query('/ethdev/stats,%d' % p)['/ethdev/stats']['opackets']
        return total

    def close(self):
        self.sock.close()


def measure(prefix):
    """Mpps forwarded (TX packets of both ports) over SECONDS, after a warm-up."""
    tel = Telemetry(prefix)
    try:
        time.sleep(WARMUP)
        t0, c0 = time.monotonic(), tel.tx_packets()
        time.sleep(SECONDS)
        t1, c1 = time.monotonic(), tel.tx_packets()
    finally:
        tel.close()
    return (c1 - c0) / (t1 - t0) / 1e6


def run_setup(starts):
    """Start the processes of one setup (list of (binary, lcores, proc_type, app_args)),
    measure, stop them. Returns Mpps."""
    with mpharness.Group('perf') as g:
        for i, (binary, lcores, proc_type, app_args) in enumerate(starts):
            primary = i == 0
            p = g.start(binary, lcores=lcores, proc_type=proc_type,
                        vdevs=PORTS if primary else (),
                        eal_extra=['-m', '512'] if primary else (),
                        app_args=app_args, name='p%d' % i)
            # Each process is up once its port or ring lookup is done; the
            # counters tell the rest.
            if primary:
                Telemetry(g.prefix).close()
            else:
                time.sleep(0.5)
            if not p.alive():
                raise AssertionError('%s exited:\n%s' % (binary, p.output()[-2000:]))
        return measure(g.prefix)


def setups(up):
    ours = {n: mpharness.binary(n) for n in ('symmetric_mp', 'mp_server', 'mp_client')}

    def cs(b):
        return [(b['mp_server'], '0', None, ['-p', '3', '-n', '1']),
                (b['mp_client'], '1', 'secondary', ['-n', '0'])]

    def sym(b):
        return [(b['symmetric_mp'], '0', None, ['-p', '3', '--num-procs', '2', '--proc-id', '0']),
                (b['symmetric_mp'], '1', 'secondary',
                 ['-p', '3', '--num-procs', '2', '--proc-id', '1'])]

    return {
        'client_server': (cs(ours), cs(up), 1.2),
        'symmetric': (sym(ours), sym(up), 1.1),
    }


def report(lines):
    path = os.path.join(mpharness.build_dir(), 'meson-logs', 'perf_mp.txt')
    with open(path, 'a') as f:
        f.write('\n'.join(lines) + '\n')


@pytest.fixture(scope='module')
def upstream():
    b = build_upstream()
    if isinstance(b, str):
        pytest.skip(b)
    return b


def test_testpmd_ceiling(capsys):
    """dpdk-testpmd io forwarding on one core: the per-core ceiling."""
    with mpharness.Group('perftestpmd') as g:
        p = g.start(TESTPMD, lcores='0-1', vdevs=PORTS, eal_extra=['-m', '512'],
                    app_args=['-i', '--forward-mode=io', '--nb-cores=1'], prompt='testpmd> ',
                    name='testpmd')
        p.cmd('start')
        figures = [measure(g.prefix) for _ in range(3)]
        p.cmd('stop')
    line = 'testpmd io, 1 forwarding core: %.2f Mpps (median of %d)' % (
        statistics.median(figures), len(figures))
    with capsys.disabled():
        print('\n' + line)
    report([line])


@pytest.mark.parametrize('name', ['client_server', 'symmetric'])
def test_versus_upstream(upstream, name, capsys):
    ours, theirs, target = setups(upstream)[name]
    ratios, a_fig, b_fig = [], [], []
    for _ in range(PAIRS):
        a = run_setup(ours)
        b = run_setup(theirs)
        a_fig.append(a)
        b_fig.append(b)
        ratios.append(a / b if b > 0 else float('inf'))
    med = statistics.median(ratios)
    lines = ['%s: ours %s Mpps' % (name, ' '.join('%.2f' % x for x in a_fig)),
             '%s: upstream %s Mpps' % (name, ' '.join('%.2f' % x for x in b_fig)),
             '%s: pair ratios %s; median %.2fx (target %.1fx: %s)' % (
                 name, ' '.join('%.2f' % r for r in ratios), med, target,
                 'met' if med >= target else 'NOT met')]
    with capsys.disabled():
        print('\n' + '\n'.join(lines))
    report(lines)
    # A benchmark never fails on its figures; it fails only when it could not measure.
    assert all(x > 0 for x in a_fig + b_fig), lines
