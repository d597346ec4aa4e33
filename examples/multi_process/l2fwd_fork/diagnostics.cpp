/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/*
 * Diagnostics of dpdk-l2fwd_fork: the statistics table, the audit of the
 * mbuf pools, the pool check, the lcore ids leaked by dead processes and
 * the recovery times.
 */

#include <inttypes.h>
#include <stdio.h>
#include <sys/types.h>

#include <algorithm>
#include <string>
#include <vector>

#include <rte_mempool.h>
#include <rte_mpsupport.h>

#include "l2fwd_fork.h"

namespace l2fwd_fork {

namespace {

inline uint64_t
read_counter(const std::atomic<uint64_t> &c)
{
	return c.load(std::memory_order_relaxed);
}

/* Lcore ids the allocator still gives to a process that is gone. */
std::vector<unsigned int>
leaked_lcore_ids(bool print)
{
	std::vector<unsigned int> leaked;

	for (unsigned int id = 0; id < RTE_MAX_LCORE; id++) {
		pid_t owner = 0;
		int kind = rte_mps_lcore_owner(id, &owner);
		uint64_t start;

		if (kind <= 0 || owner <= 0)
			continue;
		if (rte_mps_proc_start_time(owner, &start) < 0 ||
		    !rte_mps_proc_alive(owner, start)) {
			if (print)
				printf("l2fwd_fork: lcore id %u still held by dead pid %d\n",
				       id, static_cast<int>(owner));
			leaked.push_back(id);
		}
	}
	return leaked;
}

} /* namespace */

void
print_stats()
{
	uint64_t total_rx = 0, total_tx = 0, total_drop = 0;

	printf("\nPort statistics ====================================\n");
	for (uint16_t port = 0; port < RTE_MAX_ETHPORTS; port++) {
		const port_counters &c = shared->port[port];
		uint64_t rx = read_counter(c.rx), tx = read_counter(c.tx);
		uint64_t dropped = read_counter(c.dropped);

		if (!port_enabled(port))
			continue;
		printf("Statistics for port %u ---------------------------\n"
		       "Packets sent: %20" PRIu64 "\n"
		       "Packets received: %16" PRIu64 "\n"
		       "Packets dropped: %17" PRIu64 "\n",
		       port, tx, rx, dropped);
		total_rx += rx;
		total_tx += tx;
		total_drop += dropped;
	}
	printf("Aggregate statistics ===============================\n"
	       "Total packets sent: %14" PRIu64 "\n"
	       "Total packets received: %10" PRIu64 "\n"
	       "Total packets dropped: %11" PRIu64 "\n"
	       "====================================================\n",
	       total_tx, total_rx, total_drop);
	for (unsigned int i = 0; i < workers.count; i++)
		printf("Worker %u (lcore %u): %s, pid %d, restarts %u\n", i,
		       workers.w[i].lcore_id, worker_state(workers.w[i]),
		       static_cast<int>(workers.w[i].pid.load(std::memory_order_acquire)),
		       workers.w[i].restarts.load(std::memory_order_relaxed));
	fflush(stdout);
}

/*
 * Audit of every pool: each mbuf must be free in the pool, in a cache or
 * in a list the library knows about; and no lcore id held by a dead process.
 */
void
run_audit(const char *when)
{
	struct rte_mps_audit a = {};
	std::vector<unsigned int> leaked;
	bool failed = false;

	for (unsigned int g = 0; g < pools.count; g++) {
		struct rte_mps_audit one;

		if (rte_mps_mempool_audit(pools.pool[g], &one) < 0) {
			printf("l2fwd_fork: audit (%s): failed: %s\n", when,
			       rte_mps_strerror());
			failed = true;
			break;
		}
		a.size += one.size;
		a.in_pool += one.in_pool;
		a.in_caches += one.in_caches;
		a.in_lists += one.in_lists;
		a.unaccounted += one.unaccounted;
	}
	if (!failed) {
		leaked = leaked_lcore_ids(true);
		printf("l2fwd_fork: audit (%s): mbufs %u in pool %u in caches %u "
		       "in lists %u unaccounted %u; lcore ids leaked %zu\n",
		       when, a.size, a.in_pool, a.in_caches, a.in_lists, a.unaccounted,
		       leaked.size());
	}
	fflush(stdout);
}

/*
 * With every worker stopped: take every object out of the pool and count
 * distinct ones. An mbuf freed twice (a double free after a crash) shows
 * up as a duplicate, which rte_mempool_avail_count() cannot show. The
 * distinct objects go back; duplicates are not put back twice.
 */
void
run_pool_check()
{
	size_t distinct = 0, dups = 0;
	unsigned int size = 0;

	/* no worker is left: every lcore's cache can go back to the pool */
	for (unsigned int l = 0; l < RTE_MAX_LCORE; l++)
		rte_mps_lcore_cache_flush(l);
	for (unsigned int g = 0; g < pools.count; g++) {
		struct rte_mempool *mp = pools.pool[g];
		std::vector<void *> objs;
		void *obj;
		size_t n;

		objs.reserve(mp->size * 2);
		while (objs.size() < mp->size * 2 &&
		       rte_mempool_generic_get(mp, &obj, 1, nullptr) == 0)
			objs.push_back(obj);
		std::sort(objs.begin(), objs.end());
		n = std::unique(objs.begin(), objs.end()) - objs.begin();
		for (size_t i = 0; i < n; i++)
			rte_mempool_generic_put(mp, &objs[i], 1, nullptr);
		distinct += n;
		dups += objs.size() - n;
		size += mp->size;
	}
	printf("l2fwd_fork: pool check: %zu distinct mbufs of %u, %zu duplicates\n",
	       distinct, size, dups);
	fflush(stdout);
}

/* A group of workers was stopped and reset, ready_ns - seen_ns after its last exit. */
void
record_recovery(uint64_t group, uint64_t seen_ns, uint64_t ready_ns)
{
	uint64_t reset_ns = ready_ns - seen_ns;

	printf("l2fwd_fork: workers 0x%" PRIx64 " stopped and reset %.3f ms "
	       "after the last exit was seen (ready at %" PRIu64 " ns)\n", group,
	       static_cast<double>(reset_ns) / static_cast<double>(ns_per_ms), ready_ns);
}

} /* namespace l2fwd_fork */
