# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-mp-pack contributors
"""Start-up of a client, forked versus classic: from launching dpdk-mp_client to the
line it prints right before its first burst (on net_null ports its ring is never empty,
so that is its first packet forwarded), median and p99 over 50 starts each."""
# Every DPDK process here gets --no-pci and its own --file-prefix from mpharness.Group.

import os
import time

import test_client_server_mp as csm
import test_forked_mp as tf

STARTS = int(os.environ.get('MP_PERF_STARTS', '50'))


def percentile(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))]


def time_starts(mp, server, forked):
    times = []
    for k in range(STARTS):
        t0 = time.monotonic()
        c = mp.start('mp_client', lcores='2@1', proc_type='secondary',
                     eal_extra=['--forked'] if forked else [], app_args=['-n', '0'],
                     name='%s%d' % ('forked' if forked else 'classic', k))
        c.expect(r'mp_client 0 \(pid (\d+)\) forwarding', timeout=60)
        times.append(time.monotonic() - t0)
        # Reading the server's lines keeps its terminal from filling up.
        server.expect(r'client 0 \(pid %s\) joined' % c.match.group(1), timeout=30)
        assert c.stop() == 0, c.output()
        mp.procs.remove(c)
    return times


def test_startup_forked_vs_classic(mp):
    server = tf.start_server(mp, 1, csm.NULL_PORTS)
    classic = time_starts(mp, server, False)
    forked = time_starts(mp, server, True)
    med_c, med_f = percentile(classic, 0.5), percentile(forked, 0.5)
    print('\nmp_client start to first burst over %d starts (ms):' % STARTS)
    for name, xs in (('classic', classic), ('forked ', forked)):
        print('  %s: min %.1f median %.1f p99 %.1f max %.1f' %
              (name, 1e3 * min(xs), 1e3 * percentile(xs, 0.5), 1e3 * percentile(xs, 0.99),
               1e3 * max(xs)))
    print('  classic / forked (median): %.1fx' % (med_c / med_f))
    # A figure, not a race: only say that forking is not slower.
    assert med_f < med_c
    csm.check_pool(mp)
    assert server.stop() == 0
