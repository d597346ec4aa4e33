# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-mp-pack contributors
"""Forwarding rate of dpdk-l2fwd_fork beside DPDK's own l2fwd, in the same run.

DPDK's l2fwd is built from Debian's dpdk-doc sources (/usr/share/dpdk/examples/l2fwd)
in a cache directory under the build directory; its code is never part of the pack.
Both run on the same net_null ports and the same two CPUs, one forwarding loop per CPU:
  l2fwd:       -l 0-1 (the main lcore forwards too)
  l2fwd_fork:  --lcores 0@0,1@0,2@1 (the main only supervises; workers on CPU 0 and 1)
Rates are read from outside, through each process's telemetry socket (/ethdev/stats,
sampled twice). Runs alternate A, B, A, B, ...; the figure is the median of the ratios
of each pair. A second test runs both at once on the same CPUs and compares their rates
over the same windows, which other load on the machine disturbs much less.
Figures are printed; the tests fail only when something does not run.
"""

import json
import os
import shutil
import statistics
import subprocess
import time

import pytest

import l2fwd_fork_helpers as h
import mpharness

PAIRS = int(os.environ.get('L2FWD_FORK_PERF_PAIRS', '7'))
WARMUP_S = 1.0
SAMPLE_S = 2.0
UPSTREAM_SRC = '/usr/share/dpdk/examples/l2fwd'


def build_upstream():
    cache = os.path.join(mpharness.build_dir(), 'perf-cache', 'l2fwd-upstream')
    binary = os.path.join(cache, 'build', 'l2fwd')
    if os.access(binary, os.X_OK):
        return binary
    if not os.path.isfile(os.path.join(UPSTREAM_SRC, 'main.c')):
        pytest.skip('%s missing (Debian package dpdk-doc)' % UPSTREAM_SRC)
    shutil.rmtree(cache, ignore_errors=True)
    shutil.copytree(UPSTREAM_SRC, cache)
    r = subprocess.run(['make', '-C', cache], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, timeout=600)
    assert r.returncode == 0 and os.access(binary, os.X_OK), r.stdout[-3000:]
    return binary


def opackets(tel, ports):
    return sum(tel.query('/ethdev/stats,%d' % p)['opackets'] for p in ports)


def measure(proc, prefix, ports):
    with mpharness.Telemetry(prefix) as tel:
        time.sleep(WARMUP_S)
        t0, p0 = time.monotonic(), opackets(tel, ports)
        time.sleep(SAMPLE_S)
        t1, p1 = time.monotonic(), opackets(tel, ports)
    assert proc.alive(), proc.output()[-2000:]
    return (p1 - p0) / (t1 - t0) / 1e6


def run_upstream(binary):
    with mpharness.Group('perfl2fwd') as g:
        p = g.start(binary, lcores='0-1', vdevs=h.null_vdevs(2), eal_extra=h.EAL_MEM,
                    app_args=['-p', '3', '-q', '1', '-T', '0'], timeout=30)
        p.expect(r'Checking link status.*done', timeout=30)
        return measure(p, g.prefix, [0, 1])


def run_fork():
    with mpharness.Group('perffork') as g:
        app = h.L2fwdFork(g, lcores='0@0,1@0,2@1')
        app.wait_all_forwarding(timeout=30)
        mpps = measure(app.proc, g.prefix, [0, 1])
        h.assert_clean_exit(*app.stop())
        return mpps


def buildtype():
    try:
        with open(os.path.join(mpharness.build_dir(), 'meson-info',
                               'intro-buildoptions.json')) as f:
            return next(o['value'] for o in json.load(f) if o['name'] == 'buildtype')
    except (OSError, ValueError, StopIteration):
        return 'unknown'


def cpu_seconds(pids):
    """CPU time (user + system) used so far by every thread of the given processes."""
    ticks = 0
    for pid in pids:
        task_dir = '/proc/%d/task' % pid
        for tid in os.listdir(task_dir):
            try:
                with open(os.path.join(task_dir, tid, 'stat')) as f:
                    fields = f.read().rsplit(')', 1)[1].split()
            except OSError:
                continue
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf('SC_CLK_TCK')


def loadavg():
    with open('/proc/loadavg') as f:
        return f.read().split()[0]


def test_forwarding_rate_side_by_side():
    """Both applications at once on the same two CPUs: each gets about half of the CPU
    time, and load from outside the test hits both alike, so the ratio of the rates
    over the same windows compares their cost per packet."""
    upstream = build_upstream()
    ratios, ours, theirs = [], [], []
    per_cpu = []    # ratio of packets per CPU second
    with mpharness.Group('perfforkc') as ga, mpharness.Group('perfl2fwdc') as gb:
        app = h.L2fwdFork(ga, lcores='0@0,1@0,2@1')
        app.wait_all_forwarding(timeout=30)
        p = gb.start(upstream, lcores='0-1', vdevs=h.null_vdevs(2), eal_extra=h.EAL_MEM,
                     app_args=['-p', '3', '-q', '1', '-T', '0'], timeout=30)
        p.expect(r'Checking link status.*done', timeout=30)
        ta, tb = ga.telemetry(), gb.telemetry()
        pids_a = [app.proc.pid] + list(app.pids.values())
        try:
            time.sleep(WARMUP_S)
            for _ in range(PAIRS):
                ca0, cb0 = cpu_seconds(pids_a), cpu_seconds([p.pid])
                t0, a0, b0 = time.monotonic(), opackets(ta, [0, 1]), opackets(tb, [0, 1])
                time.sleep(SAMPLE_S)
                t1, a1, b1 = time.monotonic(), opackets(ta, [0, 1]), opackets(tb, [0, 1])
                ca1, cb1 = cpu_seconds(pids_a), cpu_seconds([p.pid])
                ours.append((a1 - a0) / (t1 - t0) / 1e6)
                theirs.append((b1 - b0) / (t1 - t0) / 1e6)
                ratios.append(ours[-1] / theirs[-1] if theirs[-1] > 0 else float('nan'))
                if ca1 > ca0 and cb1 > cb0 and b1 > b0:
                    per_cpu.append(((a1 - a0) / (ca1 - ca0)) / ((b1 - b0) / (cb1 - cb0)))
        finally:
            ta.close()
            tb.close()
        h.assert_clean_exit(*app.stop())
    print('\nside by side (both at once, same CPUs, %d windows of %.0f s, load average %s)'
          % (PAIRS, SAMPLE_S, loadavg()))
    print('l2fwd_fork Mpps: %s' % ' '.join('%.2f' % x for x in ours))
    print('l2fwd      Mpps: %s' % ' '.join('%.2f' % x for x in theirs))
    print('ratio l2fwd_fork / l2fwd: median %.3f (target >= 1.0)' % statistics.median(ratios))
    if per_cpu:
        # the scheduler need not split the CPUs evenly between the two groups of
        # processes: packets per CPU second compare what each packet costs
        print('ratio of packets per CPU second, l2fwd_fork / l2fwd: median %.3f'
              % statistics.median(per_cpu))
    assert all(x > 0 for x in ours + theirs)


def test_forwarding_rate_vs_upstream_l2fwd():
    upstream = build_upstream()
    ours, theirs, ratios = [], [], []
    for _ in range(PAIRS):
        a = run_fork()
        b = run_upstream(upstream)
        ours.append(a)
        theirs.append(b)
        ratios.append(a / b if b > 0 else float('nan'))
    print('\nl2fwd_fork (meson buildtype %s) vs DPDK l2fwd (its Makefile, -O3), '
          '2 net_null ports, 2 forwarding loops on 2 CPUs, %d interleaved pairs, '
          'load average %s' % (buildtype(), PAIRS, loadavg()))
    print('l2fwd_fork Mpps: %s (median %.2f)' % (' '.join('%.2f' % x for x in ours),
                                                  statistics.median(ours)))
    print('l2fwd      Mpps: %s (median %.2f)' % (' '.join('%.2f' % x for x in theirs),
                                                  statistics.median(theirs)))
    print('ratio l2fwd_fork / l2fwd: median %.3f (pairs: %s; target >= 1.0)'
          % (statistics.median(ratios), ' '.join('%.3f' % r for r in ratios)))
    assert all(x > 0 for x in ours + theirs)
