/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/*
 * Diagnostics of dpdk-mp_server in telemetry, with typed fields, for tools
 * and tests: the lines the server prints stay for people.
 *
 * Telemetry handlers run on DPDK's telemetry threads: they load the shared
 * counters atomically and never take a lock the main lcore takes. Counting
 * the free mbufs exactly needs the whole pool, so the handler asks the main
 * lcore to do it and waits a little for the answer.
 */

#include <errno.h>
#include <stdio.h>

#include <algorithm>
#include <atomic>
#include <iterator>
#include <mutex>
#include <vector>

#include <rte_cycles.h>
#include <rte_mempool.h>
#include <rte_mpsupport.h>
#include <rte_ring.h>
#include <rte_telemetry.h>

#include "diagnostics.h"

namespace client_server {

namespace {

/* What the handlers read, set before they are registered. */
struct telemetry_sources {
	const server_info *info;
	struct rte_mempool *pool;
	struct rte_ring *rings[max_clients];
};

/* An exact count of the free mbufs, asked for by telemetry, done by the main lcore. */
struct pool_check {
	std::mutex query_lock;			/* one query at a time (telemetry threads) */
	std::atomic<uint64_t> requested{0};	/* query number asked for */
	std::atomic<uint64_t> answered{0};	/* query number answered */
	std::atomic<uint32_t> exact{0};		/* 0: clients ran, nothing counted */
	std::atomic<uint64_t> distinct{0};	/* free mbufs, each counted once */
	std::atomic<uint64_t> duplicates{0};	/* free mbufs found twice (freed twice) */
};

telemetry_sources sources;
pool_check check;

/* How long a query waits for the main lcore. */
constexpr unsigned int check_wait_ms = 500;

const char *
client_state(unsigned int c, uint64_t word)
{
	if (word == 0)
		return "free";
	if (!mpc::owner_slot::word_alive(word))
		return "exited";
	if (sources.info->ctl[c].leave.load(std::memory_order_acquire) != leave_none)
		return "leaving";
	return "running";
}

/* /mp_server/clients: per client id, the server's view of it and its counters. */
int
handle_clients(const char *, const char *, struct rte_tel_data *d)
{
	const server_info *info = sources.info;

	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_uint(d, "count", info->num_clients);
	for (unsigned int c = 0; c < info->num_clients; c++) {
		const server_client_stats &sc = info->server[c];
		const client_stats &cc = info->client[c];
		const uint64_t word = info->owner[c].word();
		struct rte_tel_data *e = mpc::telemetry_sub_dict(d, c);
		const uint32_t last_pid = sc.last_pid.load(std::memory_order_relaxed);

		if (e == nullptr)
			return -ENOMEM;
		rte_tel_data_add_dict_string(e, "state", client_state(c, word));
		rte_tel_data_add_dict_int(e, "pid", mpc::owner_slot::pid_of(word));
		rte_tel_data_add_dict_int(e, "last_pid", static_cast<int>(last_pid));
		rte_tel_data_add_dict_uint(e, "enqueued", mpc::counter_read(sc.enqueued));
		rte_tel_data_add_dict_uint(e, "dropped", mpc::counter_read(sc.dropped));
		rte_tel_data_add_dict_uint(e, "drained", mpc::counter_read(sc.drained));
		rte_tel_data_add_dict_uint(e, "exits", mpc::counter_read(sc.exits));
		rte_tel_data_add_dict_uint(e, "in_ring", rte_ring_count(sources.rings[c]));
		rte_tel_data_add_dict_uint(e, "rx", mpc::counter_read(cc.rx));
		rte_tel_data_add_dict_uint(e, "tx", mpc::counter_read(cc.tx));
		rte_tel_data_add_dict_uint(e, "drop", mpc::counter_read(cc.drop));
	}
	return 0;
}

/*
 * /mp_server/mbufs: the pool's size, DPDK's free and in-use counts (which
 * cannot go above the size, so they hide an mbuf freed twice) and, when no
 * client runs, the exact count of distinct free mbufs, of those missing and
 * of duplicates.
 */
int
handle_mbufs(const char *, const char *, struct rte_tel_data *d)
{
	std::lock_guard<std::mutex> guard(check.query_lock);
	struct rte_mempool *pool = sources.pool;
	const uint64_t query = check.requested.load(std::memory_order_relaxed) + 1;
	bool answered = false;

	check.requested.store(query, std::memory_order_release);
	for (unsigned int ms = 0; ms < check_wait_ms; ms++) {
		answered = check.answered.load(std::memory_order_acquire) == query;
		if (answered)
			break;
		rte_delay_us_sleep(1000);
	}
	const bool exact = answered && check.exact.load(std::memory_order_relaxed) != 0;

	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "name", pool->name);
	rte_tel_data_add_dict_uint(d, "size", pool->size);
	rte_tel_data_add_dict_uint(d, "free", rte_mempool_avail_count(pool));
	rte_tel_data_add_dict_uint(d, "in_use", rte_mempool_in_use_count(pool));
	rte_tel_data_add_dict_int(d, "exact", exact);
	const uint64_t distinct = exact ? check.distinct.load(std::memory_order_relaxed) : 0;
	rte_tel_data_add_dict_uint(d, "distinct_free", distinct);
	rte_tel_data_add_dict_uint(d, "missing", exact ? pool->size - distinct : 0);
	rte_tel_data_add_dict_uint(d, "duplicates",
				   exact ? check.duplicates.load(std::memory_order_relaxed) : 0);
	const pool_rebuild_stats &rs = sources.info->rebuild;
	rte_tel_data_add_dict_int(d, "rebuild_on", rs.on.load(std::memory_order_relaxed));
	rte_tel_data_add_dict_uint(d, "rebuilds", mpc::counter_read(rs.rebuilds));
	rte_tel_data_add_dict_uint(d, "given_back", mpc::counter_read(rs.given_back));
	rte_tel_data_add_dict_uint(d, "copies_dropped", mpc::counter_read(rs.copies));
	rte_tel_data_add_dict_uint(d, "rebuilds_deferred", mpc::counter_read(rs.deferred));
	rte_tel_data_add_dict_uint(d, "last_rebuild_us", rs.last_us.load(std::memory_order_relaxed));
	return 0;
}

} /* namespace */

/*
 * Take every mbuf out of the pool's store, add those in the lcore caches
 * (left where they are: no other lcore uses the pool now) and count the
 * distinct ones. The distinct mbufs taken go back once.
 */
void
count_free_mbufs(struct rte_mempool *pool, uint64_t &distinct, uint64_t &duplicates)
{
	std::vector<void *> cached, taken;
	void *obj;

	for (unsigned int l = 0; l < RTE_MAX_LCORE; l++) {
		const struct rte_mempool_cache *c = rte_mempool_default_cache(pool, l);
		if (c != nullptr)
			cached.insert(cached.end(), &c->objs[0], &c->objs[0] + c->len);
	}
	taken.reserve(pool->size);
	while (taken.size() < 2 * pool->size &&
	       rte_mempool_generic_get(pool, &obj, 1, nullptr) == 0)
		taken.push_back(obj);

	std::vector<void *> all(cached);
	all.insert(all.end(), taken.begin(), taken.end());
	std::sort(all.begin(), all.end());
	distinct = static_cast<uint64_t>(std::unique(all.begin(), all.end()) - all.begin());
	duplicates = all.size() - distinct;

	std::sort(cached.begin(), cached.end());
	std::sort(taken.begin(), taken.end());
	taken.erase(std::unique(taken.begin(), taken.end()), taken.end());
	std::vector<void *> back;
	std::set_difference(taken.begin(), taken.end(), cached.begin(), cached.end(),
			    std::back_inserter(back));
	if (!back.empty())
		rte_mempool_generic_put(pool, back.data(), static_cast<unsigned int>(back.size()),
					nullptr);
}

void
serve_pool_check(struct rte_mempool *pool, bool idle)
{
	const uint64_t query = check.requested.load(std::memory_order_acquire);
	uint64_t distinct = 0, duplicates = 0;

	if (query == check.answered.load(std::memory_order_relaxed))
		return;
	if (idle)
		count_free_mbufs(pool, distinct, duplicates);
	check.exact.store(idle, std::memory_order_relaxed);
	check.distinct.store(distinct, std::memory_order_relaxed);
	check.duplicates.store(duplicates, std::memory_order_relaxed);
	check.answered.store(query, std::memory_order_release);
}

void
register_telemetry(const server_info *info, struct rte_mempool *pool,
		   struct rte_ring *const *rings)
{
	static const struct {
		const char *cmd;
		telemetry_cb fn;
		const char *help;
	} cmds[] = {
		{ "/mp_server/clients", handle_clients,
		  "State, pid and packet counters of each client id. Takes no parameters" },
		{ "/mp_server/mbufs", handle_mbufs,
		  "Free and in-use mbufs, counted exactly when no client runs. "
		  "Takes no parameters" },
	};

	sources.info = info;
	sources.pool = pool;
	std::copy(rings, rings + info->num_clients, sources.rings);
	for (const auto &c : cmds)
		if (rte_telemetry_register_cmd(c.cmd, c.fn, c.help) < 0)
			printf("mp_server: cannot register telemetry command %s\n", c.cmd);
}

} /* namespace client_server */
