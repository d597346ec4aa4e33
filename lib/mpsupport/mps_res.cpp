/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

#include <errno.h>
#include <pthread.h>

#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#include "mps_private.h"

namespace mps {

void worker_drain_cmd(unsigned int w);

namespace {

pthread_mutex_t res_lock = PTHREAD_MUTEX_INITIALIZER;

int
res_add(unsigned int worker, uint32_t type, uint32_t lcore, const void *addr)
{
	if (g.forked)
		return fail(EPERM, "resource lists are set up by the main process");
	if (g.sh == nullptr)
		return fail(EINVAL, "mpsupport is not initialised");
	if (worker >= RTE_MPS_MAX_WORKERS || load(&g.sh->workers[worker].state) == W_NONE)
		return fail(ENOENT, "unknown worker %u", worker);
	if (type != RES_LCORE && addr == nullptr)
		return fail(EINVAL, "null resource for worker %u", worker);
	if (type == RES_LCORE && lcore >= RTE_MAX_LCORE)
		return fail(EINVAL, "lcore %u out of range (max %u)", lcore, RTE_MAX_LCORE);

	pthread_mutex_lock(&res_lock);
	worker_slot *ws = &g.sh->workers[worker];
	res_entry *free_e = nullptr;
	for (res_entry &e : ws->res) {
		if (e.type == type && e.lcore == lcore && e.addr == (uint64_t)(uintptr_t)addr) {
			pthread_mutex_unlock(&res_lock);
			return 0;    /* already listed */
		}
		if (e.type == RES_NONE && free_e == nullptr)
			free_e = &e;
	}
	if (free_e == nullptr) {
		pthread_mutex_unlock(&res_lock);
		return fail(ENOSPC, "worker %u already has %u resources", worker, RTE_MPS_MAX_RES);
	}
	free_e->lcore = lcore;
	free_e->addr = (uint64_t)(uintptr_t)addr;
	store(&free_e->type, type);
	pthread_mutex_unlock(&res_lock);
	return 0;
}

int
free_mbufs(struct rte_mbuf **pkts, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (pkts[i] != nullptr)
			rte_pktmbuf_free(pkts[i]);
	return (int)n;
}

/* Objects of mp in a registered resource, counted in place. */
uint32_t
count_in(const res_entry &e, const struct rte_mempool *mp)
{
	uint32_t n = 0;
	auto mine = [mp](const void *o) {
		return o != nullptr && static_cast<const rte_mbuf *>(o)->pool == mp;
	};

	switch (load(&e.type)) {
	case RES_TXBUF: {
		auto *b = reinterpret_cast<const rte_eth_dev_tx_buffer *>((uintptr_t)e.addr);
		uint16_t len = RTE_MIN(b->length, b->size);
		for (uint16_t i = 0; i < len; i++)
			n += mine(b->pkts[i]);
		break;
	}
	case RES_BURST: {
		auto *b = reinterpret_cast<const rte_mps_burst *>((uintptr_t)e.addr);
		uint32_t cnt = RTE_MIN(load(&b->count), b->size);
		for (uint32_t i = 0; i < cnt; i++)
			n += mine(b->objs[i]);
		break;
	}
	case RES_RING: {
		auto *r = reinterpret_cast<const rte_ring *>((uintptr_t)e.addr);
		void * const *slots = reinterpret_cast<void * const *>(&r[1]);
		uint32_t cons = load(&r->cons.tail);
		uint32_t prod = load(&r->prod.tail);
		for (uint32_t i = cons; i != prod; i++)
			n += mine(slots[i & r->mask]);
		break;
	}
	default:
		break;
	}
	return n;
}

} /* namespace */

int
res_reset_worker(unsigned int worker)
{
	worker_slot *ws = &g.sh->workers[worker];
	int total = 0;

	for (res_entry &e : ws->res) {
		switch (load(&e.type)) {
		case RES_LCORE: {
			int k = rte_mps_lcore_cache_flush(e.lcore);
			total += k > 0 ? k : 0;
			break;
		}
		case RES_TXBUF: {
			auto *b = reinterpret_cast<rte_eth_dev_tx_buffer *>((uintptr_t)e.addr);
			total += free_mbufs(b->pkts, RTE_MIN(b->length, b->size));
			b->length = 0;
			break;
		}
		case RES_BURST: {
			auto *b = reinterpret_cast<rte_mps_burst *>((uintptr_t)e.addr);
			uint32_t cnt = RTE_MIN(load(&b->count), b->size);
			total += free_mbufs(reinterpret_cast<rte_mbuf **>(b->objs), cnt);
			store(&b->count, 0u);
			break;
		}
		case RES_RING: {
			auto *r = reinterpret_cast<rte_ring *>((uintptr_t)e.addr);
			void *objs[32];
			unsigned int k;
			while ((k = rte_ring_dequeue_burst(r, objs, RTE_DIM(objs), nullptr)) > 0)
				total += free_mbufs(reinterpret_cast<rte_mbuf **>(objs), k);
			break;
		}
		default:
			break;
		}
	}
	worker_drain_cmd(worker);
	return total;
}

} /* namespace mps */

using namespace mps;

int
rte_mps_res_lcore_cache(unsigned int worker, unsigned int lcore_id)
{
	return res_add(worker, RES_LCORE, lcore_id, nullptr);
}

int
rte_mps_res_tx_buffer(unsigned int worker, struct rte_eth_dev_tx_buffer *buf)
{
	return res_add(worker, RES_TXBUF, 0, buf);
}

int
rte_mps_res_burst(unsigned int worker, struct rte_mps_burst *burst)
{
	return res_add(worker, RES_BURST, 0, burst);
}

int
rte_mps_res_ring(unsigned int worker, struct rte_ring *ring)
{
	return res_add(worker, RES_RING, 0, ring);
}

int
rte_mps_res_reset(unsigned int worker)
{
	if (g.forked)
		return fail(EPERM, "rte_mps_res_reset() is not available in a forked worker");
	if (g.sh == nullptr)
		return fail(EINVAL, "mpsupport is not initialised");
	if (worker >= RTE_MPS_MAX_WORKERS || load(&g.sh->workers[worker].state) == W_NONE)
		return fail(ENOENT, "unknown worker %u", worker);
	worker_slot *ws = &g.sh->workers[worker];
	uint32_t st = load(&ws->state);
	if ((st == W_RUNNING || st == W_STOPPING) && ws->pid > 0 &&
			rte_mps_proc_alive(ws->pid, ws->start_time))
		return fail(EBUSY, "worker %u is running (pid %d)", worker, ws->pid);
	return res_reset_worker(worker);
}

int
rte_mps_mempool_audit(struct rte_mempool *mp, struct rte_mps_audit *audit)
{
	if (mp == nullptr || audit == nullptr)
		return fail(EINVAL, "null mempool or audit");

	rte_mps_audit a = {};
	a.size = mp->size;
	if (mp->cache_size != 0 && mp->local_cache != nullptr)
		for (unsigned int l = 0; l < RTE_MAX_LCORE; l++)
			a.in_caches += mp->local_cache[l].len;
	/* The available count is the common store plus the caches. */
	unsigned int avail = rte_mempool_avail_count(mp);
	a.in_pool = avail > a.in_caches ? avail - a.in_caches : 0;
	if (g.sh != nullptr) {
		for (const worker_slot &ws : g.sh->workers) {
			if (load(&ws.state) == W_NONE)
				continue;
			for (const res_entry &e : ws.res)
				a.in_lists += count_in(e, mp);
		}
	}
	int64_t left = (int64_t)a.size - a.in_pool - a.in_caches - a.in_lists;
	a.unaccounted = left > 0 ? (uint32_t)left : 0;
	*audit = a;
	return 0;
}
