/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/*
 * The library's only window on DPDK internals. Each function names the
 * layout or behaviour it relies on; test_dpdk_internals.cpp checks each
 * one on the DPDK it is built with.
 */

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <deque>

#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#include "rte_mps_compat.h"
#include "mps_dpdk.h"

namespace mps {

/*
 * Assumes: rte_lcore_id() returns the thread-local RTE_PER_LCORE(_lcore_id)
 * (an inline function in rte_lcore.h since DPDK 2.0), and writing that
 * variable is how a thread takes an lcore id; rte_thread_register() does
 * the same, but picks the id itself and only among this process's ids.
 */
unsigned int
dpdk_lcore_id()
{
	return RTE_PER_LCORE(_lcore_id);
}

void
dpdk_set_lcore_id(unsigned int id)
{
	RTE_PER_LCORE(_lcore_id) = id;
}

/*
 * Assumes: the callbacks of a queue are a singly linked list of
 * { next, fn, param } nodes (struct rte_eth_rxtx_callback, 17.02 to 25.11),
 * whose head rte_eth_fp_ops[port].rxq.clbk[queue] (or txq) points to in
 * this process; rte_eth_rx_burst() reads the head with acquire order and
 * the add functions publish a node with release order; removal unlinks by
 * comparing addresses and frees nothing. The list is this process's own:
 * in a forked worker, a change reaches no other process.
 */
const struct rte_eth_rxtx_callback *
dpdk_link_callback(uint16_t port, uint16_t queue, bool rx, dpdk_callback *cb)
{
	struct rte_eth_fp_ops *ops = &rte_eth_fp_ops[port];
	auto heads = rx ? ops->rxq.clbk : ops->txq.clbk;

	cb->next = static_cast<dpdk_callback *>(rte_atomic_load_explicit(&heads[queue],
			rte_memory_order_acquire));
	rte_atomic_store_explicit(&heads[queue], static_cast<void *>(cb),
			rte_memory_order_release);
	return reinterpret_cast<const struct rte_eth_rxtx_callback *>(cb);
}

/*
 * Assumes: a single-producer (single-consumer) ring moves its prod (cons)
 * head with a plain store, then copies the objects, then moves the tail to
 * the head (DPDK's default sync type, 2.0 to 25.11); the other side looks
 * only at this side's tail. A user killed between the two stores leaves
 * head ahead of tail, and the next user would publish the slots in
 * between: putting the head back to the tail drops that reservation.
 */
void
dpdk_ring_abort_sp(struct rte_ring *r)
{
	rte_atomic_store_explicit(&r->prod.head, r->prod.tail, rte_memory_order_release);
}

void
dpdk_ring_abort_sc(struct rte_ring *r)
{
	rte_atomic_store_explicit(&r->cons.head, r->cons.tail, rte_memory_order_release);
}

bool
dpdk_ring_is_sc(const struct rte_ring *r)
{
	return r->cons.sync_type == RTE_RING_SYNC_ST;
}

uint32_t
dpdk_ring_cons_reserved(const struct rte_ring *r)
{
	return rte_atomic_load_explicit(&r->cons.head, rte_memory_order_acquire) -
		rte_atomic_load_explicit(&r->cons.tail, rte_memory_order_acquire);
}

/*
 * Assumes: a pool with cache_size != 0 keeps RTE_MAX_LCORE per-lcore caches
 * in mp->local_cache, indexed by lcore id, in memory every process of the
 * group maps at the same address; cache->len counts the objects at
 * cache->objs[0 .. len), the most recently put last.
 */
struct rte_mempool_cache *
dpdk_cache(struct rte_mempool *mp, unsigned int lcore)
{
	if (mp->cache_size == 0 || mp->local_cache == nullptr || lcore >= RTE_MAX_LCORE)
		return nullptr;
	return &mp->local_cache[lcore];
}

uint32_t
dpdk_cache_len(const struct rte_mempool_cache *c)
{
	uint32_t len = rte_atomic_load_explicit(&c->len, rte_memory_order_acquire);

	return RTE_MIN(len, (uint32_t)RTE_DIM(c->objs));
}

void
dpdk_cache_set_len(struct rte_mempool_cache *c, uint32_t len)
{
	rte_atomic_store_explicit(&c->len, len, rte_memory_order_release);
}

void **
dpdk_cache_objs(struct rte_mempool_cache *c)
{
	return c->objs;
}

/*
 * Assumes: a ring made by rte_ring_create() or rte_ring_init() (8-byte
 * elements) keeps its slots right after struct rte_ring, slot i & mask
 * holding object i; the objects a consumer may take are those between
 * cons.tail and prod.tail (32-bit counters that wrap), for every sync
 * mode. An HTS or RTS ring keeps its tails in the same place.
 */
void
dpdk_ring_objs(const struct rte_ring *r, std::vector<void *> &out)
{
	void * const *slots = reinterpret_cast<void * const *>(&r[1]);
	uint32_t cons = rte_atomic_load_explicit(&r->cons.tail, rte_memory_order_acquire);
	uint32_t prod = rte_atomic_load_explicit(&r->prod.tail, rte_memory_order_acquire);

	for (uint32_t i = cons; i != prod && i - cons < r->capacity; i++)
		out.push_back(slots[i & r->mask]);
}

/*
 * Assumes: a net_ring queue is a struct whose first member is the struct
 * rte_ring * it reads from (RX) or writes to (TX) (struct ring_queue in
 * drivers/net/ring/rte_eth_ring.c), and rte_eth_fp_ops[port] (the fast
 * path's table, public in rte_ethdev_core.h) holds the queue pointers of a
 * started port in this process; a stopped port has NULL there. The ring is
 * checked by looking its name up.
 */
struct rte_ring *
dpdk_queue_ring(uint16_t port, uint16_t queue, bool tx)
{
	struct rte_eth_dev_info info;

	if (!rte_eth_dev_is_valid_port(port) || queue >= RTE_MAX_QUEUES_PER_PORT ||
			rte_eth_dev_info_get(port, &info) != 0 || info.driver_name == nullptr ||
			strcmp(info.driver_name, "net_ring") != 0)
		return nullptr;
	const struct rte_eth_fp_ops *ops = &rte_eth_fp_ops[port];
	void **qs = tx ? ops->txq.data : ops->rxq.data;
	void *q = qs != nullptr ? qs[queue] : nullptr;
	if (q == nullptr)
		return nullptr;
	struct rte_ring *r = *static_cast<struct rte_ring **>(q);
	if (r == nullptr || rte_ring_lookup(r->name) != r)
		return nullptr;
	return r;
}

bool
dpdk_queue_held(uint16_t port, uint16_t queue, bool tx, std::vector<void *> &out)
{
	const struct rte_ring *r = dpdk_queue_ring(port, queue, tx);

	if (r == nullptr)
		return false;
	dpdk_ring_objs(r, out);
	return true;
}

/*
 * Assumes: a ring in the single- or multi-thread sync modes (not HTS, not
 * RTS) moves a head first and its tail once the objects are copied; what a
 * consumer may take is between cons.tail and prod.tail whatever the heads
 * say, and rte_ring_reset() puts all four counters back to 0. An operation
 * cut off in between leaves a head ahead of its tail: for an enqueue, the
 * objects were not given to the consumer (the producer still has them);
 * for a dequeue, they are still in the ring.
 */
int
dpdk_ring_repair(struct rte_ring *r)
{
	if (r->prod.sync_type > RTE_RING_SYNC_ST || r->cons.sync_type > RTE_RING_SYNC_ST)
		return -1;
	bool moved = rte_atomic_load_explicit(&r->prod.head, rte_memory_order_acquire) !=
			rte_atomic_load_explicit(&r->prod.tail, rte_memory_order_acquire) ||
		rte_atomic_load_explicit(&r->cons.head, rte_memory_order_acquire) !=
			rte_atomic_load_explicit(&r->cons.tail, rte_memory_order_acquire);
	if (!moved)
		return 0;
	std::vector<void *> objs;
	dpdk_ring_objs(r, objs);
	rte_ring_reset(r);
	if (!objs.empty() && rte_ring_enqueue_bulk(r, objs.data(), (unsigned int)objs.size(),
			nullptr) != objs.size())
		return -1;
	return 1;
}

/*
 * Assumes: a multi-producer ring in the default sync mode (MT) enqueues by
 * moving prod.head from h to h + n with a compare-and-swap, writing the
 * slots h .. h + n in order, waiting for prod.tail to reach h, then
 * storing h + n in it (2.0 to 25.11); only the producer that reserved
 * from h ever moves the tail from h. A full-cache put of the FLUSH_ALL and
 * FLUSH_HALF models enqueues objs[0 .. n) of the cache before it changes
 * the cache's length.
 */
int
dpdk_ring_complete_put(struct rte_ring *r, void * const *objs, uint32_t n, unsigned int wait_ms)
{
	void **slots = reinterpret_cast<void **>(&r[1]);

	if (n == 0 || n > r->capacity || r->prod.sync_type != RTE_RING_SYNC_MT)
		return 0;
	uint32_t tail = rte_atomic_load_explicit(&r->prod.tail, rte_memory_order_acquire);
	uint32_t head = rte_atomic_load_explicit(&r->prod.head, rte_memory_order_acquire);
	uint32_t start = 0;
	bool found = false;
	/*
	 * The dead producer's reservation begins where objs[0] and objs[1]
	 * were written (one slot may hold an older copy of objs[0]).
	 */
	for (uint32_t i = tail; i != head && i - tail < r->capacity; i++) {
		if (slots[i & r->mask] == objs[0] && head - i >= n &&
				(n == 1 || slots[(i + 1) & r->mask] == objs[1])) {
			start = i;
			found = true;
			break;
		}
	}
	if (!found)
		return 0;
	for (uint32_t k = 1; k < n; k++)
		slots[(start + k) & r->mask] = objs[k];
	/* The producers before it are alive: they publish theirs. */
	for (unsigned int us = 0; rte_atomic_load_explicit(&r->prod.tail,
			rte_memory_order_acquire) != start; us += 10) {
		if (us >= wait_ms * 1000)
			return -1;
		usleep(10);
	}
	uint32_t expected = start;
	if (!rte_atomic_compare_exchange_strong_explicit(&r->prod.tail, &expected, start + n,
			rte_memory_order_release, rte_memory_order_relaxed))
		return -1;
	return 1;
}

/* Assumes, as dpdk_ring_complete_put(): the tail moves only by publishing. */
int
dpdk_ring_stuck_tail(struct rte_ring *r, unsigned int stall_ms, unsigned int wait_ms,
		     uint32_t *tail, uint32_t *head)
{
	using clock = std::chrono::steady_clock;

	if (r->prod.sync_type != RTE_RING_SYNC_MT)
		return 0;
	const auto start = clock::now();
	auto still_since = start;
	uint32_t last = rte_atomic_load_explicit(&r->prod.tail, rte_memory_order_acquire);
	for (;;) {
		const uint32_t t = rte_atomic_load_explicit(&r->prod.tail,
				rte_memory_order_acquire);
		const uint32_t h = rte_atomic_load_explicit(&r->prod.head,
				rte_memory_order_acquire);
		const auto now = clock::now();
		if (h == t)
			return 0;
		if (t != last) {
			last = t;
			still_since = now;
		} else if (now - still_since >= std::chrono::milliseconds(stall_ms)) {
			*tail = t;
			*head = h;
			return 1;
		}
		if (now - start >= std::chrono::milliseconds(wait_ms))
			return -1;
		usleep(100);
	}
}

bool
dpdk_ring_publish_stuck(struct rte_ring *r, uint32_t tail, void * const *objs, uint32_t n)
{
	void **slots = reinterpret_cast<void **>(&r[1]);

	if (n == 0 || rte_atomic_load_explicit(&r->prod.head, rte_memory_order_acquire) - tail < n)
		return false;
	for (uint32_t k = 0; k < n; k++)
		slots[(tail + k) & r->mask] = objs[k];
	return rte_atomic_compare_exchange_strong_explicit(&r->prod.tail, &tail, tail + n,
			rte_memory_order_release, rte_memory_order_relaxed);
}

void *
dpdk_ring_slot(const struct rte_ring *r, uint32_t pos)
{
	return reinterpret_cast<void * const *>(&r[1])[pos & r->mask];
}

/*
 * Assumes, as dpdk_ring_complete_put(): a producer moves prod.head with a
 * compare-and-swap, and publishes by moving prod.tail from where its
 * reservation starts. Reading prod.tail == h and then moving prod.head
 * from h means that every reservation before h is published: the tail
 * can be moved at once.
 */
bool
dpdk_ring_enqueue_idle(struct rte_ring *r, void * const *objs, uint32_t n, unsigned int wait_ms)
{
	void **slots = reinterpret_cast<void **>(&r[1]);

	if (r->prod.sync_type != RTE_RING_SYNC_MT)
		return false;
	for (unsigned int us = 0;; us += 10) {
		uint32_t h = rte_atomic_load_explicit(&r->prod.head, rte_memory_order_acquire);
		uint32_t t = rte_atomic_load_explicit(&r->prod.tail, rte_memory_order_acquire);
		uint32_t ct = rte_atomic_load_explicit(&r->cons.tail, rte_memory_order_acquire);
		bool idle = h == t && r->capacity + ct - h >= n;
		if (idle && rte_atomic_compare_exchange_strong_explicit(&r->prod.head, &h, h + n,
				rte_memory_order_acquire, rte_memory_order_relaxed)) {
			for (uint32_t k = 0; k < n; k++)
				slots[(h + k) & r->mask] = objs[k];
			rte_atomic_store_explicit(&r->prod.tail, h + n, rte_memory_order_release);
			return true;
		}
		if (us >= wait_ms * 1000)
			return false;
		usleep(10);
	}
}

/*
 * Assumes: the mempool drivers whose ops names start with "ring_" (ring_mp_mc,
 * ring_sp_sc, ring_mp_sc, ring_sp_mc, ring_mt_rts, ring_mt_hts) keep their
 * objects in the struct rte_ring at mp->pool_data; rte_mempool_get_ops()
 * (@internal) gives the ops of mp->ops_index in this process.
 */
struct rte_ring *
dpdk_pool_ring(const struct rte_mempool *mp)
{
	const struct rte_mempool_ops *ops = rte_mempool_get_ops(mp->ops_index);

	if (strncmp(ops->name, "ring_", 5) != 0 || mp->pool_data == nullptr)
		return nullptr;
	return static_cast<struct rte_ring *>(mp->pool_data);
}

/*
 * Assumes: the get_count op of the driver (rte_mempool_get_ops(), @internal;
 * DPDK's own wrapper is not exported by every release) returns the number
 * of objects in the common store, to which rte_mempool_avail_count() adds
 * the caches before it stops at the size (with caches).
 */
unsigned int
dpdk_pool_count(const struct rte_mempool *mp)
{
	return rte_mempool_get_ops(mp->ops_index)->get_count(mp);
}

/*
 * Assumes: rte_mempool_ops_enqueue_bulk() (@internal) hands objects to the
 * pool's driver without touching any lcore cache, all or none.
 */
int
dpdk_pool_enqueue(struct rte_mempool *mp, void * const *objs, unsigned int n)
{
	return rte_mempool_ops_enqueue_bulk(mp, objs, n);
}

namespace {

std::atomic<uint32_t> put_model_now{PUT_MODEL_UNKNOWN};
std::atomic<const char *> put_model_why{"not probed yet"};

constexpr unsigned int PROBE_CACHE = 8;
constexpr unsigned int PROBE_PUTS = 16;

/* The cache and the common store of a model after each one-object put. */
struct model_sim {
	put_model model;
	std::deque<void *> cache;
	unsigned int in_store;

	void put(void *o)
	{
		if (model == PUT_MODEL_FLUSH_ALL) {
			if (cache.size() + 1 > PROBE_CACHE * 3 / 2) {
				in_store += (unsigned int)cache.size();
				cache.clear();
			}
		} else if (cache.size() + 1 > PROBE_CACHE) {
			for (unsigned int i = 0; i < PROBE_CACHE / 2; i++)
				cache.pop_front();
			in_store += PROBE_CACHE / 2;
		}
		cache.push_back(o);
	}

	bool same(struct rte_mempool_cache *c, unsigned int store) const
	{
		if (dpdk_cache_len(c) != cache.size() || store != in_store)
			return false;
		for (size_t i = 0; i < cache.size(); i++)
			if (c->objs[i] != cache[i])
				return false;
		return true;
	}
};

} /* namespace */

/*
 * Put PROBE_PUTS objects one at a time through a user cache of PROBE_CACHE
 * objects (rte_mempool_cache_create(), the same put code as an lcore
 * cache) and keep the model whose cache and store match after every put.
 */
put_model
dpdk_probe_put_model(const char **why)
{
	static std::atomic<unsigned int> seq;
	char name[RTE_MEMPOOL_NAMESIZE];
	put_model found = PUT_MODEL_UNKNOWN;
	const char *unused;

	if (why == nullptr)
		why = &unused;
	*why = "";

	snprintf(name, sizeof(name), "mps_probe_%d_%u", (int)getpid(), seq++);
	struct rte_mempool *mp = rte_mempool_create_empty(name, 4 * PROBE_PUTS, 8, 0, 0,
			SOCKET_ID_ANY, 0);
	if (mp == nullptr) {
		*why = "no memory for the probe's pool";
		return found;
	}
	struct rte_mempool_cache *c = nullptr;
	void *objs[PROBE_PUTS];
	if (rte_mempool_set_ops_byname(mp, "ring_mp_mc", nullptr) != 0 ||
			rte_mempool_populate_default(mp) < 0 ||
			(c = rte_mempool_cache_create(PROBE_CACHE, SOCKET_ID_ANY)) == nullptr ||
			rte_mempool_generic_get(mp, objs, PROBE_PUTS, nullptr) != 0) {
		*why = "the probe's pool could not be set up";
		goto out;
	}
	{
		unsigned int base = rte_ring_count(dpdk_pool_ring(mp));
		model_sim sims[] = {
			{ PUT_MODEL_FLUSH_ALL, {}, base },
			{ PUT_MODEL_FLUSH_HALF, {}, base },
		};
		bool match[] = { true, true };
		for (void *o : objs) {
			rte_mempool_generic_put(mp, &o, 1, c);
			unsigned int store = rte_ring_count(dpdk_pool_ring(mp));
			for (size_t k = 0; k < RTE_DIM(sims); k++) {
				sims[k].put(o);
				match[k] = match[k] && sims[k].same(c, store);
			}
		}
		if (match[0] != match[1])
			found = match[0] ? sims[0].model : sims[1].model;
		else
			*why = "puts into a full cache match no known model";
	}
	rte_mempool_cache_flush(c, mp);
out:
	rte_mempool_cache_free(c);
	rte_mempool_free(mp);
	return found;
}

put_model
dpdk_put_model()
{
	return (put_model)put_model_now.load(std::memory_order_acquire);
}

void
dpdk_set_put_model(put_model m, const char *why)
{
	put_model_why.store(why, std::memory_order_relaxed);
	put_model_now.store(m, std::memory_order_release);
}

const char *
dpdk_put_model_why()
{
	return put_model_why;
}

const char *
dpdk_put_model_name(put_model m)
{
	switch (m) {
	case PUT_MODEL_FLUSH_ALL:
		return "flush_all";
	case PUT_MODEL_FLUSH_HALF:
		return "flush_half";
	default:
		return "unknown";
	}
}

} /* namespace mps */
