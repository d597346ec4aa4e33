# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-mp-pack contributors
"""Start-up of a client, forked versus classic: from launching dpdk-mp_client to the
line it prints right before its first burst (on net_null ports its ring is never empty,
so that is its first packet forwarded), min, median and p99 over 50 starts each.

The client is launched as a shell would, with a plain fork and exec (subprocess, its
output on a pipe read as it comes, no polling period), not through mpharness.Proc:
pexpect's pseudo-terminal spawn runs Python code between fork and exec and takes
50 to 120 ms on a loaded machine, the same for both kinds, which is the harness, not
the secondary."""
# Every DPDK process here gets --no-pci and its own --file-prefix from mpharness.Group.

import importlib.util
import os
import re
import select
import signal
import subprocess
import time

import mpharness
import test_client_server_mp as csm
import test_forked_mp as tf

STARTS = int(os.environ.get('MP_PERF_STARTS', '50'))
STOP_BOUND = 10.0


def figure_pattern():
    """The regex by which devtools/testlog.py keeps a line of figures for the run's summary."""
    path = os.path.join(mpharness.source_dir(), 'devtools', 'testlog.py')
    spec = importlib.util.spec_from_file_location('testlog', path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.FIGURE


def percentile(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))]


def wait_line(p, pattern, timeout):
    """Read p's output until pattern matches; return the match."""
    out = b''
    end = time.monotonic() + timeout
    while True:
        left = end - time.monotonic()
        ready, _, _ = select.select([p.stdout], [], [], max(0.0, left))
        if not ready:
            raise AssertionError('no %r within %.0f s: %r' % (pattern, timeout, out))
        data = os.read(p.stdout.fileno(), 65536)
        if not data:
            raise AssertionError('exited (%s) before %r: %r' % (p.poll(), pattern, out))
        out += data
        m = re.search(pattern, out)
        if m:
            return m


def stop(p):
    """SIGINT, then SIGKILL after a bound; the exit code."""
    p.send_signal(signal.SIGINT)
    try:
        p.communicate(timeout=STOP_BOUND)
    except subprocess.TimeoutExpired:
        p.kill()
        p.communicate()
    return p.returncode


def time_starts(mp, server, forked):
    times = []
    argv = [mpharness.binary('mp_client')] + mp.eal_args(
        '2@1', 'secondary', (), ['--forked'] if forked else [], 'mp_client') + ['--', '-n', '0']
    for _ in range(STARTS):
        t0 = time.monotonic()
        p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT)
        mp._extra_pids.append(p)    # killed by the group's teardown if still there
        m = wait_line(p, rb'mp_client 0 \(pid (\d+)\) forwarding', 60)
        times.append(time.monotonic() - t0)
        # Reading the server's lines keeps its terminal from filling up.
        server.expect(r'client 0 \(pid %s\) joined' % m.group(1).decode(), timeout=30)
        assert stop(p) == 0
    return times


def test_startup_forked_vs_classic(mp):
    server = tf.start_server(mp, 1, csm.NULL_PORTS)
    load0 = os.getloadavg()[0]
    classic = time_starts(mp, server, False)
    forked = time_starts(mp, server, True)
    load1 = os.getloadavg()[0]
    med_c, med_f = percentile(classic, 0.5), percentile(forked, 0.5)
    p99_c, p99_f = percentile(classic, 0.99), percentile(forked, 0.99)
    lines = []
    for name, xs in (('classic', classic), ('forked ', forked)):
        lines.append('  %s start: min %.1f ms, median %.1f ms, p99 %.1f ms, max %.1f ms' %
                     (name, 1e3 * min(xs), 1e3 * percentile(xs, 0.5),
                      1e3 * percentile(xs, 0.99), 1e3 * max(xs)))
    lines.append('  classic / forked ratio: min %.1fx, median %.1fx, p99 %.1fx' %
                 (min(classic) / min(forked), med_c / med_f, p99_c / p99_f))
    print('\nmp_client start to first burst over %d starts, load average %.1f -> %.1f:'
          % (STARTS, load0, load1))
    print('\n'.join(lines))
    # The run's summary (devtools/testlog.py figures) keeps only such lines.
    figure = figure_pattern()
    assert all(figure.search(ln) for ln in lines), lines
    # A figure, not a race: only say that forking is not slower.
    assert med_f < med_c
    csm.check_pool(mp)
    assert server.stop() == 0
