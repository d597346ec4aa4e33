/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/*
 * Set-up of dpdk-l2fwd_fork, all done before the first fork: the options,
 * the port pairs and the workers that serve them, one mbuf pool per group
 * of paired workers, the shared state, and the ports.
 */

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <new>
#include <string>
#include <vector>

#include <rte_cycles.h>
#include <rte_dev.h>
#include <rte_devargs.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mpsupport.h>

#include "mp_common.h"
#include "l2fwd_fork.h"

namespace l2fwd_fork {

options opts;
port_table ports;
pool_set pools;
worker_table workers;
shared_state *shared;
requests req;

namespace {

constexpr unsigned int mempool_cache_size = 256;
constexpr unsigned int min_mbufs = 8192;

/* A port's devargs value of key ("name="), or "" when not given. */
const char *
devarg(const struct rte_eth_dev_info &info, const char *key)
{
	const struct rte_devargs *da = rte_dev_devargs(info.device);
	const char *arg = da != nullptr && da->args != nullptr ? strstr(da->args, key) : nullptr;

	return arg == nullptr ? "" : arg + strlen(key);
}

/*
 * Whether a port's driver holds none of its pool's mbufs between bursts:
 * net_null, net_pcap unless it replays its file from mbufs it keeps
 * (infinite_rx), and net_memif in copy mode (it copies into and out of its
 * shared rings).
 */
bool
driver_keeps_no_mbufs(const struct rte_eth_dev_info &info)
{
	if (strcmp(info.driver_name, "net_null") == 0)
		return true;
	if (strcmp(info.driver_name, "net_memif") == 0)
		return strncmp(devarg(info, "zero-copy="), "yes", 3) != 0;
	if (strcmp(info.driver_name, "net_pcap") != 0)
		return false;
	return atoi(devarg(info, "infinite_rx=")) == 0;
}

/*
 * Whether what a port's driver holds can be read by the library in a
 * recovery, so that a rebuild of the pool leaves it to the driver: net_ring,
 * whose queues are rings.
 */
bool
driver_mbufs_readable(const struct rte_eth_dev_info &info)
{
	return strcmp(info.driver_name, "net_ring") == 0;
}

bool
port_keeps_no_mbufs(uint16_t port)
{
	struct rte_eth_dev_info info;

	return rte_eth_dev_info_get(port, &info) == 0 && driver_keeps_no_mbufs(info);
}

/* Pool of the group whose worker receives on port. */
struct rte_mempool *
port_pool(uint16_t port)
{
	for (unsigned int i = 0; i < workers.count; i++)
		for (unsigned int p = 0; p < workers.w[i].n_rx_port; p++)
			if (workers.w[i].rx_port[p] == port)
				return pools.pool[workers.w[i].group];
	return pools.pool[0];
}

/* One RX and one TX queue per port, and the addresses its packets get. */
void
port_init(uint16_t port, struct rte_mempool *pool)
{
	std::string err;
	int ret;

	if (mpc::port_init(port, pool, 1, 1, err) < 0)
		fail("%s", err.c_str());
	ret = rte_eth_macaddr_get(port, &ports.mac[port]);
	if (ret < 0)
		fail("port %u: cannot get MAC address: %s", port, strerror(-ret));
	printf("Port %u, MAC address: " RTE_ETHER_ADDR_PRT_FMT "\n", port,
	       RTE_ETHER_ADDR_BYTES(&ports.mac[port]));
	ports.tx_addrs[port].dst = {};
	ports.tx_addrs[port].dst.addr_bytes[0] = 0x02;
	ports.tx_addrs[port].dst.addr_bytes[5] = static_cast<uint8_t>(port);
	rte_ether_addr_copy(&ports.mac[port], &ports.tx_addrs[port].src);
}

} /* namespace */

/* Ports of the mask, paired in order: 0 <-> 1, 2 <-> 3, ... */
unsigned int
pair_ports()
{
	std::vector<uint16_t> list;
	std::string err;
	size_t n;

	if (mpc::ports_from_mask(opts.port_mask, list, err) < 0)
		fail("%s", err.c_str());
	n = list.size();
	for (size_t i = 0; i + 1 < n; i += 2) {
		ports.dst[list[i]] = list[i + 1];
		ports.dst[list[i + 1]] = list[i];
	}
	if (n % 2) {
		/* like l2fwd: the odd one out sends back on itself */
		printf("Notice: odd number of ports in portmask; port %u forwards to itself\n",
		       list[n - 1]);
		ports.dst[list[n - 1]] = list[n - 1];
	}
	return static_cast<unsigned int>(n);
}

/* Spread the ports over the worker lcores, NQ each, and pair the workers. */
void
assign_workers(unsigned int nb_ports)
{
	const unsigned int per_lcore = opts.rx_ports_per_lcore;
	unsigned int need = (nb_ports + per_lcore - 1) / per_lcore;
	unsigned int lcore_id;
	unsigned int n = 0;
	worker *w = nullptr;

	if (need > rte_lcore_count() - 1)
		fail("%u ports at %u per lcore need %u worker lcores, only %u given",
		     nb_ports, per_lcore, need, rte_lcore_count() - 1);
	if (need > RTE_MPS_MAX_WORKERS)
		fail("%u workers exceed the tracker's maximum of %d", need,
		     RTE_MPS_MAX_WORKERS);

	lcore_id = rte_get_next_lcore(-1, 1, 0);
	for (uint16_t port = 0; port < 64; port++) {
		if (!port_enabled(port))
			continue;
		if (w == nullptr || w->n_rx_port == per_lcore) {
			w = &workers.w[n];
			w->index = n;
			w->lcore_id = lcore_id;
			n++;
			lcore_id = rte_get_next_lcore(lcore_id, 1, 0);
		}
		w->rx_port[w->n_rx_port++] = port;
	}
	workers.count = n;

	for (unsigned int i = 0; i < workers.count; i++)
		if (rte_mps_worker_add(i) < 0)
			fail("cannot declare worker %u: %s", i, rte_mps_strerror());
	/* the worker receiving on a port depends on the one sending to it */
	for (unsigned int i = 0; i < workers.count; i++) {
		worker &a = workers.w[i];

		a.pair_mask |= UINT64_C(1) << i;
		for (unsigned int p = 0; p < a.n_rx_port; p++) {
			uint16_t dst = ports.dst[a.rx_port[p]];

			for (unsigned int j = 0; j < workers.count; j++) {
				worker &b = workers.w[j];

				for (unsigned int q = 0; q < b.n_rx_port; q++) {
					if (b.rx_port[q] != dst || j == i ||
					    (a.pair_mask & (UINT64_C(1) << j)))
						continue;
					if (rte_mps_worker_pair(i, j) < 0)
						fail("cannot pair workers %u and %u: %s",
						     i, j, rte_mps_strerror());
					a.pair_mask |= UINT64_C(1) << j;
					b.pair_mask |= UINT64_C(1) << i;
				}
			}
		}
		printf("l2fwd_fork: worker %u on lcore %u receives on port(s)",
		       i, a.lcore_id);
		for (unsigned int p = 0; p < a.n_rx_port; p++)
			printf(" %u->%u", a.rx_port[p], ports.dst[a.rx_port[p]]);
		printf("\n");
	}
}

/*
 * Workers stopped together (a worker and its pair, transitively) form a
 * group, and each group has its own mbuf pool: the packets a group receives
 * are only ever sent by that group, so a pool is used by one group alone.
 * A crash then touches one pool, which the recovery of that group can
 * rebuild whole: mbufs lost or freed twice by a worker killed inside a
 * mempool operation cannot outlive the recovery, and a pool left half
 * updated by a dead worker never stalls the other groups.
 */
void
setup_pools()
{
	uint64_t assigned = 0;

	for (unsigned int i = 0; i < workers.count; i++) {
		uint64_t set = UINT64_C(1) << i, prev = 0;

		if (assigned & set)
			continue;
		while (set != prev) {
			prev = set;
			for (unsigned int j = 0; j < workers.count; j++)
				if (prev & (UINT64_C(1) << j))
					set |= workers.w[j].pair_mask;
		}
		for (unsigned int j = 0; j < workers.count; j++)
			if (set & (UINT64_C(1) << j))
				workers.w[j].group = pools.count;
		assigned |= set;
		pools.count++;
	}

	/*
	 * A rebuild puts back every mbuf of the pool but for what the drivers of
	 * the group's queues are read to hold, so the ports must keep none of
	 * their own while the group is stopped, or keep them where the library
	 * reads them: true of net_null, net_pcap, memif in copy mode and
	 * net_ring, not of drivers that fill RX descriptors in advance.
	 */
	pools.rebuilt_in_recovery = true;
	for (uint16_t port = 0; port < RTE_MAX_ETHPORTS; port++) {
		struct rte_eth_dev_info info;
		bool known;

		if (!port_enabled(port))
			continue;
		known = rte_eth_dev_info_get(port, &info) == 0;
		if (known && (driver_keeps_no_mbufs(info) || driver_mbufs_readable(info)))
			continue;
		printf("Notice: port %u (%s) may keep mbufs in its queues: a recovery "
		       "gives back the workers' mbufs one by one, pools are not rebuilt\n",
		       port, known ? info.driver_name : "unknown driver");
		pools.rebuilt_in_recovery = false;
	}

	for (unsigned int g = 0; g < pools.count; g++) {
		unsigned int nb_ports = 0, nb_members = 0, nb_mbufs;
		char name[RTE_MEMPOOL_NAMESIZE];

		for (unsigned int i = 0; i < workers.count; i++) {
			if (workers.w[i].group != g)
				continue;
			nb_ports += workers.w[i].n_rx_port;
			nb_members++;
		}
		/* descriptors, bursts and TX buffers, and the lcore caches */
		nb_mbufs = RTE_MAX(nb_ports * (nb_rxd + nb_txd + 2 * max_pkt_burst) +
				   (2 * nb_members + 1) * (mempool_cache_size * 3 / 2),
				   min_mbufs);
		snprintf(name, sizeof(name), "mbuf_pool_%u", g);
		pools.pool[g] = rte_pktmbuf_pool_create(name, nb_mbufs, mempool_cache_size,
							0, RTE_MBUF_DEFAULT_BUF_SIZE,
							rte_socket_id());
		if (pools.pool[g] == nullptr)
			fail("cannot create mbuf pool of %u mbufs: %s", nb_mbufs,
			     rte_strerror(rte_errno));
	}
	for (unsigned int i = 0; i < workers.count && pools.rebuilt_in_recovery; i++)
		if (rte_mps_res_mempool(i, pools.pool[workers.w[i].group]) < 0)
			fail("cannot list the mbuf pool of worker %u: %s", i,
			     rte_mps_strerror());
	printf("l2fwd_fork: %u mbuf pool(s), one per group of paired workers%s\n",
	       pools.count, pools.rebuilt_in_recovery ? ", rebuilt in each recovery" : "");
}

/* The life lock of a worker: robust, shared between processes. */
void
init_life_lock(pthread_mutex_t &m)
{
	pthread_mutexattr_t attr;

	if (pthread_mutexattr_init(&attr) != 0 ||
	    pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED) != 0 ||
	    pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST) != 0 ||
	    pthread_mutex_init(&m, &attr) != 0)
		fail("cannot initialise a robust process-shared mutex");
	pthread_mutexattr_destroy(&attr);
}

/* Shared statistics, TX buffers and burst arrays, and the resource lists. */
void
setup_shared_state()
{
	void *mem = rte_malloc("l2fwd_fork_shared", sizeof(shared_state),
			       RTE_CACHE_LINE_SIZE);

	if (mem == nullptr)
		fail("cannot allocate shared state (%zu bytes)", sizeof(shared_state));
	shared = new (mem) shared_state();

	for (unsigned int i = 0; i < opts.n_kill; i++) {
		if (static_cast<unsigned int>(opts.kill[i].worker) >= workers.count)
			fail("--kill-point: no worker %d (%u workers)", opts.kill[i].worker,
			     workers.count);
		for (unsigned int j = 0; j < i; j++)
			if (opts.kill[j].worker == opts.kill[i].worker)
				fail("--kill-point: worker %d given twice", opts.kill[i].worker);
		shared->kill[i] = opts.kill[i];
	}

	for (uint16_t port = 0; port < RTE_MAX_ETHPORTS; port++) {
		struct rte_eth_dev_tx_buffer *buf;

		if (!port_enabled(port))
			continue;
		buf = static_cast<struct rte_eth_dev_tx_buffer *>(rte_zmalloc_socket(
			"l2fwd_fork_tx_buffer", RTE_ETH_TX_BUFFER_SIZE(max_pkt_burst),
			0, rte_eth_dev_socket_id(port)));
		if (buf == nullptr)
			fail("cannot allocate TX buffer for port %u", port);
		rte_eth_tx_buffer_init(buf, max_pkt_burst);
		if (rte_eth_tx_buffer_set_err_callback(buf, count_tx_drops,
				&shared->port[port].dropped) < 0)
			fail("cannot set TX buffer callback for port %u", port);
		ports.tx_buffer[port] = buf;
	}

	for (unsigned int i = 0; i < workers.count; i++) {
		const worker &w = workers.w[i];
		worker_report &report = shared->worker[w.lcore_id];
		struct rte_mps_burst *burst;

		burst = static_cast<struct rte_mps_burst *>(rte_zmalloc("l2fwd_fork_burst",
			sizeof(*burst) + max_pkt_burst * sizeof(burst->objs[0]),
			RTE_CACHE_LINE_SIZE));
		if (burst == nullptr)
			fail("cannot allocate burst array of worker %u", i);
		burst->size = max_pkt_burst;
		report.burst = burst;
		init_life_lock(report.life);
		if (rte_mps_res_burst(i, burst) < 0)
			fail("cannot register burst array of worker %u: %s", i,
			     rte_mps_strerror());
		for (unsigned int p = 0; p < w.n_rx_port; p++) {
			uint16_t dst = ports.dst[w.rx_port[p]];

			if (rte_mps_res_tx_buffer(i, ports.tx_buffer[dst]) < 0)
				fail("cannot register TX buffer of worker %u: %s", i,
				     rte_mps_strerror());
			/*
			 * Stopped in a recovery, what the driver holds staying its
			 * own; a driver that holds nothing is left running (memif
			 * would disconnect from its peer).
			 */
			if ((!port_keeps_no_mbufs(w.rx_port[p]) &&
			     rte_mps_res_rx_queue(i, w.rx_port[p], 0) < 0) ||
			    (!port_keeps_no_mbufs(dst) && rte_mps_res_tx_queue(i, dst, 0) < 0))
				fail("cannot register the queues of worker %u: %s", i,
				     rte_mps_strerror());
		}
		if (!opts.floating && rte_mps_res_lcore_cache(i, w.lcore_id) < 0)
			fail("cannot register lcore %u cache of worker %u: %s",
			     w.lcore_id, i, rte_mps_strerror());
	}
}

/*
 * Wait (up to 9 s, as l2fwd does) for every link to come up before the
 * first fork: a driver that maps its peer's memory when the link comes up
 * (memif) does so in the main, and only workers forked afterwards have it.
 */
void
wait_links()
{
	constexpr unsigned int tries = 90;

	for (unsigned int t = 0; t <= tries; t++) {
		uint16_t down = RTE_MAX_ETHPORTS;

		for (uint16_t port = 0; port < RTE_MAX_ETHPORTS && down == RTE_MAX_ETHPORTS;
		     port++) {
			struct rte_eth_link link = {};

			if (port_enabled(port) &&
			    (rte_eth_link_get_nowait(port, &link) != 0 ||
			     link.link_status == RTE_ETH_LINK_DOWN))
				down = port;
		}
		if (down == RTE_MAX_ETHPORTS)
			return;
		if (t == tries)
			printf("l2fwd_fork: port %u: link still down, going on\n", down);
		else
			rte_delay_ms(100);
	}
}

void
init_ports()
{
	for (uint16_t port = 0; port < RTE_MAX_ETHPORTS; port++)
		if (port_enabled(port))
			port_init(port, port_pool(port));
	wait_links();
}

/* Give back what the ports still hold: received packets nobody read. */
void
drain_ports()
{
	struct rte_mbuf *pkts[max_pkt_burst];

	for (uint16_t port = 0; port < RTE_MAX_ETHPORTS; port++) {
		unsigned int budget = nb_rxd + max_pkt_burst;
		uint16_t n;

		if (!port_enabled(port))
			continue;
		do {
			n = rte_eth_rx_burst(port, 0, pkts, max_pkt_burst);
			rte_pktmbuf_free_bulk(pkts, n);
			budget -= RTE_MIN(budget, static_cast<unsigned int>(n));
		} while (n == max_pkt_burst && budget > 0);
		rte_mps_tx_buffer_flush(port, 0, ports.tx_buffer[port]);
	}
}

void
stop_ports()
{
	for (uint16_t port = 0; port < RTE_MAX_ETHPORTS; port++) {
		int ret;

		if (!port_enabled(port))
			continue;
		ret = rte_eth_dev_stop(port);
		if (ret != 0)
			printf("l2fwd_fork: port %u: stop failed: %s\n", port,
			       strerror(-ret));
	}
}

void
close_ports()
{
	for (uint16_t port = 0; port < RTE_MAX_ETHPORTS; port++)
		if (port_enabled(port))
			rte_eth_dev_close(port);
}

} /* namespace l2fwd_fork */
