/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/*
 * Unit tests of the res room of librte_mpsupport: resource lists reset and
 * audited, an mbuf freed twice, an mbuf listed twice, a listed mbuf pool
 * rebuilt whole, not while another live worker uses it, and reclaims that
 * wait for a rebuild.
 */

/* Every DPDK process here gets --no-pci from mps_test_env.h. */
#include <set>
#include <thread>

#include <rte_bus.h>
#include <rte_dev.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#include <rte_mps_fork.h>
#include <rte_mps_lcore.h>
#include <rte_mps_res.h>
#include <rte_mps_worker.h>
#include "mps_private.h"
#include "mps_test_env.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

using namespace mpstest;

static void
test_res_reset_and_audit(void **)
{
	struct rte_mempool *mp = rte_pktmbuf_pool_create("mps_ut_mbuf", 511, 32, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	assert_non_null(mp);
	assert_int_equal(rte_mps_worker_add(5), 0);

	auto *txb = static_cast<struct rte_eth_dev_tx_buffer *>(
			rte_zmalloc("mps_ut_txb", RTE_ETH_TX_BUFFER_SIZE(16), 0));
	auto *burst = static_cast<struct rte_mps_burst *>(
			rte_zmalloc("mps_ut_burst", sizeof(rte_mps_burst) + 16 * sizeof(void *),
				0));
	struct rte_ring *r = rte_ring_create("mps_ut_ring", 64, SOCKET_ID_ANY, 0);
	assert_non_null(txb);
	assert_non_null(burst);
	assert_non_null(r);
	rte_eth_tx_buffer_init(txb, 16);
	burst->size = 16;

	struct rte_mbuf *m[14];
	assert_int_equal(rte_pktmbuf_alloc_bulk(mp, m, 14), 0);
	for (int i = 0; i < 5; i++)
		txb->pkts[txb->length++] = m[i];
	for (int i = 5; i < 8; i++)
		burst->objs[burst->count++] = m[i];
	for (int i = 8; i < 12; i++)
		assert_int_equal(rte_ring_enqueue(r, m[i]), 0);
	/* m[12], m[13] stay in the test's hands. */

	assert_int_equal(rte_mps_res_tx_buffer(5, txb), 0);
	assert_int_equal(rte_mps_res_tx_buffer(5, txb), 0);    /* listed once */
	assert_int_equal(rte_mps_res_burst(5, burst), 0);
	assert_int_equal(rte_mps_res_ring(5, r), 0);
	assert_int_equal(rte_mps_res_lcore_cache(5, 9), 0);
	assert_int_equal(rte_mps_res_lcore_cache(5, RTE_MAX_LCORE), -EINVAL);
	assert_int_equal(rte_mps_res_ring(5, nullptr), -EINVAL);
	assert_int_equal(rte_mps_res_ring(6, r), -ENOENT);
	assert_int_equal(rte_mps_res_tx_buffer(5, nullptr), -EINVAL);
	assert_int_equal(rte_mps_res_tx_buffer(6, txb), -ENOENT);
	assert_int_equal(rte_mps_res_burst(5, nullptr), -EINVAL);
	assert_int_equal(rte_mps_res_burst(RTE_MPS_MAX_WORKERS, burst), -ENOENT);
	assert_int_equal(rte_mps_res_lcore_cache(6, 9), -ENOENT);

	struct rte_mps_audit a;
	assert_int_equal(rte_mps_mempool_audit(mp, &a), 0);
	assert_int_equal(a.size, 511);
	assert_int_equal(a.in_lists, 12);
	assert_int_equal(a.unaccounted, 2);
	assert_int_equal(a.in_pool + a.in_caches, 511 - 14);
	assert_int_equal(rte_mps_mempool_audit(nullptr, &a), -EINVAL);
	assert_int_equal(rte_mps_mempool_audit(mp, nullptr), -EINVAL);

	assert_int_equal(rte_mps_res_reset(5), 12);
	assert_int_equal(txb->length, 0);
	assert_int_equal(burst->count, 0);
	assert_int_equal(rte_ring_count(r), 0);
	rte_pktmbuf_free(m[12]);
	rte_pktmbuf_free(m[13]);
	assert_int_equal(rte_mps_mempool_audit(mp, &a), 0);
	assert_int_equal(a.in_lists, 0);
	assert_int_equal(a.unaccounted, 0);
	assert_int_equal(rte_mps_res_reset(5), 0);
	assert_int_equal(rte_mps_res_reset(6), -ENOENT);

	/* The list is bounded. */
	int ret = 0;
	for (unsigned int l = 10; l < 10 + RTE_MPS_MAX_RES && ret == 0; l++)
		ret = rte_mps_res_lcore_cache(5, l);
	assert_int_equal(ret, -ENOSPC);

	assert_int_equal(rte_mps_worker_remove(5), 0);
	rte_ring_free(r);
	rte_free(txb);
	rte_free(burst);
	rte_mempool_free(mp);
}

/* An mbuf freed twice is found twice: a surplus of one, never hidden by a
 * clamp, wherever the two copies are. */
static void
test_res_audit_double_free(void **)
{
	/* Not 2^n - 1 objects: the common ring has room for a copy. */
	struct rte_mempool *mp = rte_pktmbuf_pool_create("mps_ut_mbuf_df", 500, 32, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	struct rte_mempool_cache *cache = rte_mempool_default_cache(mp, rte_lcore_id());
	struct rte_mps_audit a;
	struct rte_mbuf *m[3];

	assert_non_null(mp);
	assert_non_null(cache);
	assert_int_equal(rte_pktmbuf_alloc_bulk(mp, m, 3), 0);
	assert_int_equal(rte_mps_mempool_audit(mp, &a), 0);
	assert_int_equal(a.unaccounted, 3);
	assert_int_equal(a.surplus, 0);

	rte_pktmbuf_free(m[0]);
	rte_mempool_put(mp, m[0]);                      /* the double free */
	assert_int_equal(rte_mps_mempool_audit(mp, &a), 0);
	assert_int_equal(a.unaccounted, 2);
	assert_int_equal(a.surplus, 1);
	rte_pktmbuf_free(m[1]);
	rte_pktmbuf_free(m[2]);
	assert_int_equal(rte_mps_mempool_audit(mp, &a), 0);
	assert_int_equal(a.size, 500);
	assert_int_equal(a.unaccounted, 0);
	assert_int_equal(a.surplus, 1);
	assert_int_equal(a.in_pool + a.in_caches, 501);

	/* Both copies in the common store. */
	rte_mempool_cache_flush(cache, mp);
	assert_int_equal(rte_mps_mempool_audit(mp, &a), 0);
	assert_int_equal(a.in_caches, 0);
	assert_int_equal(a.in_pool, 501);
	assert_int_equal(a.unaccounted, 0);
	assert_int_equal(a.surplus, 1);
	rte_mempool_free(mp);
}

/* A worker killed while moving an mbuf from its burst array to a TX buffer
 * leaves it in both: it is counted once and freed once. */
static void
test_res_listed_twice(void **)
{
	struct rte_mempool *mp = rte_pktmbuf_pool_create("mps_ut_mbuf2", 255, 0, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	assert_non_null(mp);
	assert_int_equal(rte_mps_worker_add(6), 0);
	auto *txb = static_cast<struct rte_eth_dev_tx_buffer *>(
			rte_zmalloc("mps_ut_txb2", RTE_ETH_TX_BUFFER_SIZE(8), 0));
	auto *burst = static_cast<struct rte_mps_burst *>(
			rte_zmalloc("mps_ut_burst2", sizeof(rte_mps_burst) + 8 * sizeof(void *),
				0));
	assert_non_null(txb);
	assert_non_null(burst);
	rte_eth_tx_buffer_init(txb, 8);
	burst->size = 8;
	burst->count = 8;
	assert_int_equal(rte_mps_res_tx_buffer(6, txb), 0);
	assert_int_equal(rte_mps_res_burst(6, burst), 0);

	struct rte_mbuf *m[3];
	assert_int_equal(rte_pktmbuf_alloc_bulk(mp, m, 3), 0);
	burst->objs[0] = m[0];
	burst->objs[1] = m[1];
	burst->objs[2] = m[2];
	txb->pkts[txb->length++] = m[1];    /* moved, not yet cleared */

	struct rte_mps_audit a;
	assert_int_equal(rte_mps_mempool_audit(mp, &a), 0);
	assert_int_equal(a.in_lists, 3);
	assert_int_equal(a.unaccounted, 0);
	assert_int_equal(a.surplus, 0);
	assert_int_equal(rte_mps_res_reset(6), 3);
	assert_null(burst->objs[1]);
	assert_int_equal(txb->length, 0);
	assert_int_equal(rte_mps_mempool_audit(mp, &a), 0);
	assert_int_equal(a.in_pool + a.in_caches, 255);
	assert_int_equal(a.unaccounted, 0);
	assert_int_equal(a.surplus, 0);
	/* Nothing was freed twice: exactly 255 distinct mbufs come out. */
	struct rte_mbuf *all[255];
	assert_int_equal(rte_pktmbuf_alloc_bulk(mp, all, 255), 0);
	std::set<void *> distinct(all, all + 255);
	assert_int_equal(distinct.size(), 255);
	assert_null(rte_pktmbuf_alloc(mp));
	rte_pktmbuf_free_bulk(all, 255);

	assert_int_equal(rte_mps_worker_remove(6), 0);
	rte_free(txb);
	rte_free(burst);
	rte_mempool_free(mp);
}

/* A driver frees what it sent while the TX buffer still lists it (a worker
 * killed inside rte_eth_tx_burst()): the reset frees only the rest. */
static void
test_res_driver_freed_not_freed_again(void **)
{
	/* No cache and not 2^n - 1 objects: a second free lands in the ring. */
	struct rte_mempool *mp = rte_pktmbuf_pool_create("mps_ut_mbuf3", 500, 0, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	auto *txb = static_cast<struct rte_eth_dev_tx_buffer *>(
			rte_zmalloc("mps_ut_txb3", RTE_ETH_TX_BUFFER_SIZE(8), 0));
	struct rte_mps_audit a;
	struct rte_mbuf *m[3];

	assert_non_null(mp);
	assert_non_null(txb);
	rte_eth_tx_buffer_init(txb, 8);
	assert_int_equal(rte_mps_worker_add(7), 0);
	assert_int_equal(rte_mps_res_tx_buffer(7, txb), 0);
	assert_int_equal(rte_pktmbuf_alloc_bulk(mp, m, 3), 0);
	for (struct rte_mbuf *x : m)
		txb->pkts[txb->length++] = x;
	rte_pktmbuf_free(m[1]);                 /* sent: the driver freed it */

	assert_int_equal(rte_mps_res_reset(7), 2);
	assert_int_equal(txb->length, 0);
	assert_int_equal(rte_mps_mempool_audit(mp, &a), 0);
	assert_int_equal(a.in_pool, 500);
	assert_int_equal(a.unaccounted, 0);
	assert_int_equal(a.surplus, 0);

	assert_int_equal(rte_mps_worker_remove(7), 0);
	rte_free(txb);
	rte_mempool_free(mp);
}

/*
 * A listed mbuf pool is rebuilt whole by the reset, whatever state a worker
 * killed at a random instruction left it in.
 */
static void
test_res_mempool_rebuild(void **)
{
	constexpr unsigned int N = 1023;
	struct rte_mempool *mp = rte_pktmbuf_pool_create("mps_ut_mbuf3", N, 32, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	assert_non_null(mp);
	assert_int_equal(rte_mps_worker_add(8), 0);
	assert_int_equal(rte_mps_worker_add(9), 0);

	/* Only fully populated, ring-based mbuf pools. */
	assert_int_equal(rte_mps_res_mempool(8, nullptr), -EINVAL);
	assert_int_equal(rte_mps_res_mempool(10, mp), -ENOENT);
	struct rte_mempool *plain = rte_mempool_create("mps_ut_plain", 63, 64, 0, 0,
			nullptr, nullptr, nullptr, nullptr, SOCKET_ID_ANY, 0);
	assert_non_null(plain);
	assert_int_equal(rte_mps_res_mempool(8, plain), -EINVAL);
	rte_mempool_free(plain);
	struct rte_mempool *empty = rte_mempool_create_empty("mps_ut_empty", 63,
			sizeof(struct rte_mbuf) + RTE_MBUF_DEFAULT_BUF_SIZE, 0,
			sizeof(struct rte_pktmbuf_pool_private), SOCKET_ID_ANY, 0);
	assert_non_null(empty);
	assert_int_equal(rte_mempool_set_ops_byname(empty, "ring_mp_mc", nullptr), 0);
	rte_pktmbuf_pool_init(empty, nullptr);
	assert_int_equal(rte_mps_res_mempool(8, empty), -EINVAL);
	rte_mempool_free(empty);

	auto *txb = static_cast<struct rte_eth_dev_tx_buffer *>(
			rte_zmalloc("mps_ut_txb3", RTE_ETH_TX_BUFFER_SIZE(16), 0));
	auto *burst = static_cast<struct rte_mps_burst *>(
			rte_zmalloc("mps_ut_burst3", sizeof(rte_mps_burst) + 16 * sizeof(void *),
				0));
	assert_non_null(txb);
	assert_non_null(burst);
	rte_eth_tx_buffer_init(txb, 16);
	burst->size = 16;
	assert_int_equal(rte_mps_res_mempool(8, mp), 0);
	assert_int_equal(rte_mps_res_mempool(8, mp), 0);    /* listed once */
	assert_int_equal(rte_mps_res_tx_buffer(8, txb), 0);
	assert_int_equal(rte_mps_res_burst(8, burst), 0);

	/* The mess a killed worker leaves. */
	struct rte_mbuf *m[20];
	assert_int_equal(rte_mempool_generic_get(mp, (void **)m, 20, nullptr), 0);
	for (int i = 0; i < 5; i++)
		txb->pkts[txb->length++] = m[i];        /* buffered */
	for (int i = 5; i < 8; i++)
		burst->objs[burst->count++] = m[i];     /* in hand */
	/* m[8..11]: taken from the pool and held nowhere (lost) */
	burst->objs[burst->count++] = m[12];            /* in hand and freed */
	rte_mempool_generic_put(mp, (void **)&m[12], 1, nullptr);
	struct rte_mempool_cache *c = &mp->local_cache[9];
	c->objs[0] = m[13];                             /* a cache holding */
	c->objs[1] = m[13];                             /* a copy twice */
	c->objs[2] = m[14];
	c->len = 3;
	m[15]->refcnt = 3;                              /* half freed */
	m[15]->next = m[16];
	txb->pkts[txb->length++] = m[15];
	/* m[16..19]: lost; and a producer killed inside an enqueue */
	auto *r = static_cast<struct rte_ring *>(mp->pool_data);
	r->prod.head += 2;

	/* m[8..11] and m[16..19] missing, m[13] found twice: neither hides
	 * the other. */
	struct rte_mps_audit a;
	assert_int_equal(rte_mps_mempool_audit(mp, &a), 0);
	assert_int_equal(a.unaccounted, 8);
	assert_int_equal(a.surplus, 1);
	assert_int_equal(a.in_lists, 9);
	assert_int_equal(a.in_pool + a.in_caches + a.in_lists + a.unaccounted - a.surplus,
			a.size);

	/* Another worker listing the pool keeps it from being rebuilt. */
	assert_int_equal(rte_mps_res_mempool(9, mp), 0);
	assert_int_equal(rte_mps_worker_remove(9), 0);

	assert_true(rte_mps_res_reset(8) >= 0);
	assert_int_equal(txb->length, 0);
	assert_int_equal(burst->count, 0);
	for (unsigned int i = 0; i < burst->size; i++)
		assert_null(burst->objs[i]);
	for (unsigned int l = 0; l < RTE_MAX_LCORE; l++)
		assert_int_equal(mp->local_cache[l].len, 0);
	assert_int_equal(rte_mps_mempool_audit(mp, &a), 0);
	assert_int_equal(a.size, N);
	assert_int_equal(a.in_pool, N);
	assert_int_equal(a.unaccounted, 0);

	/* Every mbuf exactly once, as new; and the ring works again. */
	struct rte_mbuf *all[N];
	assert_int_equal(rte_mempool_generic_get(mp, (void **)all, N, nullptr), 0);
	void *extra;
	assert_int_not_equal(rte_mempool_generic_get(mp, &extra, 1, nullptr), 0);
	std::set<void *> distinct(all, all + N);
	assert_int_equal(distinct.size(), N);
	for (unsigned int i = 0; i < N; i++) {
		assert_int_equal(rte_mbuf_refcnt_read(all[i]), 1);
		assert_null(all[i]->next);
		assert_int_equal(all[i]->nb_segs, 1);
		assert_ptr_equal(all[i]->pool, mp);
	}
	rte_mempool_generic_put(mp, (void **)all, N, nullptr);
	assert_int_equal(rte_mempool_avail_count(mp), N);

	assert_int_equal(rte_mps_worker_remove(8), 0);
	rte_free(txb);
	rte_free(burst);
	rte_mempool_free(mp);
}

/*
 * A pool shared by processes that list nothing (mp_server and its clients):
 * after a death, what is neither free nor held (queued in a ring between
 * processes) goes back once, copies are dropped, and the held objects stay
 * out of the pool.
 */
static void
test_mempool_rebuild_shared(void **)
{
	constexpr unsigned int N = 511;
	struct rte_mempool *mp = rte_pktmbuf_pool_create("mps_ut_mbuf6", N, 32, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	assert_non_null(mp);
	assert_int_equal(rte_mps_mempool_rebuild(nullptr, nullptr, 0, nullptr), -EINVAL);
	assert_int_equal(rte_mps_mempool_rebuild(mp, nullptr, 1, nullptr), -EINVAL);

	struct rte_mbuf *m[16];
	assert_int_equal(rte_mempool_generic_get(mp, (void **)m, 16, nullptr), 0);
	/* m[0..3]: queued for a live process; m[4..9]: a dead one held them */
	void *held[5] = { m[0], m[1], m[2], m[3], m[0] };
	/* the dead one's cache: m[10] put, m[11] twice, and a stale slot naming
	 * m[0], which is held (the length raised before the copy) */
	struct rte_mempool_cache *c = &mp->local_cache[7];
	c->objs[0] = m[10];
	c->objs[1] = m[11];
	c->objs[2] = m[11];
	c->objs[3] = m[0];
	c->len = 4;
	/* m[12..15] freed, one of them twice */
	rte_mempool_generic_put(mp, (void **)&m[12], 4, nullptr);
	rte_mempool_generic_put(mp, (void **)&m[12], 1, nullptr);
	/* and a put into the ring that a dead producer did not publish */
	auto *r = static_cast<struct rte_ring *>(mp->pool_data);
	r->prod.head += 3;

	struct rte_mps_audit a;
	assert_int_equal(rte_mps_mempool_rebuild(mp, held, 5, &a), (int)N - 4);
	assert_int_equal(a.size, N);
	assert_int_equal(a.in_lists, 3);      /* m[0], listed free by the stale slot */
	assert_int_equal(a.unaccounted, 6);   /* m[4..9] */
	assert_int_equal(a.surplus, 2);       /* m[11], m[12] */
	for (unsigned int l = 0; l < RTE_MAX_LCORE; l++)
		assert_int_equal(mp->local_cache[l].len, 0);

	/* Every mbuf but the held ones exactly once; the ring works. */
	struct rte_mbuf *all[N - 4];
	assert_int_equal(rte_mempool_generic_get(mp, (void **)all, N - 4, nullptr), 0);
	void *extra;
	assert_int_not_equal(rte_mempool_generic_get(mp, &extra, 1, nullptr), 0);
	std::set<void *> distinct(all, all + N - 4);
	assert_int_equal(distinct.size(), N - 4);
	for (unsigned int i = 0; i < 4; i++)
		assert_int_equal(distinct.count(m[i]), 0);
	rte_mempool_generic_put(mp, (void **)all, N - 4, nullptr);
	rte_mempool_generic_put(mp, (void **)m, 4, nullptr);
	assert_int_equal(rte_mps_mempool_audit(mp, &a), 0);
	assert_int_equal(a.unaccounted, 0);
	assert_int_equal(a.surplus, 0);
	rte_mempool_free(mp);
}

/*
 * A pool also listed by a worker with a live process is not rebuilt; once
 * that worker is stopped and reset, it is.
 */
static void
test_res_mempool_shared_not_rebuilt(void **)
{
	struct rte_mempool *mp = rte_pktmbuf_pool_create("mps_ut_mbuf4", 255, 0, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	assert_non_null(mp);
	assert_int_equal(rte_mps_tracker_set_timeout(2000), 0);
	assert_int_equal(rte_mps_worker_add(8), 0);
	assert_int_equal(rte_mps_worker_add(9), 0);
	auto *burst = static_cast<struct rte_mps_burst *>(
			rte_zmalloc("mps_ut_burst4", sizeof(rte_mps_burst) + 8 * sizeof(void *),
				0));
	assert_non_null(burst);
	burst->size = 8;
	assert_int_equal(rte_mps_res_mempool(8, mp), 0);
	assert_int_equal(rte_mps_res_mempool(9, mp), 0);
	assert_int_equal(rte_mps_res_burst(8, burst), 0);

	pid_t p9 = start_worker(9, OBEDIENT);
	assert_true(p9 > 0);
	struct rte_mbuf *m[5];
	assert_int_equal(rte_mempool_generic_get(mp, (void **)m, 5, nullptr), 0);
	burst->objs[0] = m[0];
	burst->objs[1] = m[1];
	burst->count = 2;
	/* m[2..4] may be worker 9's: its pool is not the reset's to rebuild */
	assert_int_equal(rte_mps_res_reset(8), 2);
	struct rte_mps_audit a;
	assert_int_equal(rte_mps_mempool_audit(mp, &a), 0);
	assert_int_equal(a.unaccounted, 3);

	/* Worker 9 stopped and reset, with 8 idle: the pool is rebuilt. */
	assert_int_equal(rte_mps_group_stop(1ull << 9), 0);
	assert_int_equal(collect_ready(1ull << 9, 10000), 1ull << 9);
	assert_true(WIFEXITED(wait_exit(p9, 5000)));
	assert_int_equal(rte_mps_mempool_audit(mp, &a), 0);
	assert_int_equal(a.unaccounted, 0);
	assert_int_equal(rte_mempool_generic_get(mp, (void **)m, 3, nullptr), 0);

	/* ... but a child forked for it, not attached yet, runs. */
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	pid_t c = rte_mps_fork(RTE_MPS_NO_WORKER);
	if (c == 0) {
		char ch;
		close(fds[1]);
		while (read(fds[0], &ch, 1) < 0 && errno == EINTR)
			;
		rte_mps_child_exit(0);
	}
	assert_true(c > 0);
	close(fds[0]);
	mps::shared *sh = shm();
	int slot = -1;
	for (int tries = 0; tries < 5000 && slot < 0; tries++) {
		for (unsigned int i = 0; i < RTE_MPS_MAX_PROCS; i++)
			if (mps::slot_state(mps::load(&sh->procs[i].state)) == mps::SLOT_LIVE &&
					sh->procs[i].pid == c)
				slot = (int)i;
		if (slot < 0)
			usleep(1000);
	}
	assert_true(slot >= 0);
	mps::store(&sh->procs[slot].worker, 9);
	assert_true(rte_mps_res_reset(8) >= 0);
	assert_int_equal(rte_mps_mempool_audit(mp, &a), 0);
	assert_int_equal(a.unaccounted, 3);
	close(fds[1]);
	assert_true(WIFEXITED(wait_exit(c, 5000)));

	/* Nothing else uses the pool now: the reset rebuilds it. */
	assert_true(rte_mps_res_reset(8) >= 0);
	assert_int_equal(rte_mps_mempool_audit(mp, &a), 0);
	assert_int_equal(a.unaccounted, 0);
	assert_int_equal(rte_mempool_avail_count(mp), 255);

	assert_int_equal(rte_mps_worker_remove(8), 0);
	assert_int_equal(rte_mps_worker_remove(9), 0);
	rte_free(burst);
	rte_mempool_free(mp);
}

/*
 * Lcore id L owned by a slot beyond the registry (a dead owner), with three
 * mbufs of mp in its cache: the owner word, and the cache.
 */
static uint64_t
dead_lcore_with_cache(mps::shared *sh, struct rte_mempool *mp, unsigned int L,
		struct rte_mempool_cache **cache)
{
	assert_int_equal(mps::load(&sh->lcore[L]), (uint64_t)mps::LC_FREE);
	const uint64_t owner = mps::lc_word(mps::LC_FLOAT, 63, 12345, 1);
	mps::store(&sh->lcore[L], owner);
	void *objs[3];
	assert_int_equal(rte_mempool_generic_get(mp, objs, 3, nullptr), 0);
	struct rte_mempool_cache *c = &mp->local_cache[L];
	memcpy(c->objs, objs, sizeof(objs));
	c->len = 3;
	*cache = c;
	return owner;
}

/*
 * The lcore cache a dead worker left in a pool that its reset will rebuild
 * is not flushed by a reclaim, and its lcore id is not freed, until then.
 */
static void
test_reclaim_waits_for_rebuild(void **)
{
	struct rte_mempool *mp = rte_pktmbuf_pool_create("mps_ut_mbuf5", 255, 32, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	assert_non_null(mp);
	assert_int_equal(rte_mps_worker_add(8), 0);
	assert_int_equal(rte_mps_res_mempool(8, mp), 0);

	/* Worker 8 ran as a process that is gone, and is not reset yet. */
	pid_t dead = fork();
	if (dead == 0)
		_exit(0);
	assert_true(WIFEXITED(wait_exit(dead, 5000)));
	mps::shared *sh = shm();
	mps::worker_slot *ws = &sh->workers[8];
	ws->start_time = 1;
	ws->pid = dead;
	mps::store(&ws->state, (uint32_t)mps::W_RUNNING);

	/* Its floating lcore id, owned by a slot that is gone, with mbufs of
	 * mp in its cache. */
	constexpr unsigned int L = RTE_MAX_LCORE - 2;
	struct rte_mempool_cache *c;
	const uint64_t owner = dead_lcore_with_cache(sh, mp, L, &c);

	rte_mps_lcore_reclaim();
	assert_int_equal(mps::load(&sh->lcore[L]), owner);
	assert_int_equal(c->len, 3);

	/* The reset rebuilds the pool; the next reclaim frees the id. */
	assert_true(rte_mps_res_reset(8) >= 0);
	assert_int_equal(c->len, 0);
	rte_mps_lcore_reclaim();
	assert_int_equal(mps::load(&sh->lcore[L]),
			(uint64_t)mps::LC_FREE);
	assert_int_equal(rte_mempool_avail_count(mp), 255);

	ws->pid = 0;
	mps::store(&ws->state, (uint32_t)mps::W_IDLE);
	assert_int_equal(rte_mps_worker_remove(8), 0);
	rte_mempool_free(mp);
}

/*
 * While a live process rebuilds a pool (marked in the registry), a reclaim
 * flushes no dead lcore's cache and leaves its id taken, and a second
 * rebuild is refused; the mark of a dead process stops nothing, a
 * rebuild ends its own mark (also when a reclaim does not end), and a
 * live owner's release waits for it.
 */
static void
test_reclaim_skips_during_pool_rebuild(void **)
{
	struct rte_mempool *mp = rte_pktmbuf_pool_create("mps_ut_mbuf7", 255, 32, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	assert_non_null(mp);
	mps::shared *sh = shm();
	constexpr unsigned int L = RTE_MAX_LCORE - 3;
	struct rte_mempool_cache *c;
	const uint64_t owner = dead_lcore_with_cache(sh, mp, L, &c);

	/* the mark of a live process: this one, found by its pid */
	uint64_t live = 0;
	for (unsigned int i = 0; i < RTE_MPS_MAX_PROCS && live == 0; i++) {
		uint64_t w = mps::load(&sh->procs[i].state);
		if (mps::slot_state(w) != mps::SLOT_FREE && mps::slot_pid(w) == getpid())
			live = mps::lc_word(mps::LC_RECLAIM, i, mps::slot_gen(w), 0);
	}
	assert_int_not_equal(live, 0);
	mps::store(&sh->rebuilding, live);
	rte_mps_lcore_reclaim();
	assert_int_equal(mps::load(&sh->lcore[L]), owner);
	assert_int_equal(c->len, 3);
	assert_int_equal(rte_mps_mempool_rebuild(mp, nullptr, 0, nullptr), -EBUSY);
	assert_int_equal(mps::load(&sh->rebuilding), live);

	mps::store(&sh->rebuilding, mps::lc_word(mps::LC_RECLAIM, 63, 12345, 0));
	assert_true(rte_mps_lcore_reclaim() >= 1);
	assert_int_equal(mps::load(&sh->lcore[L]), (uint64_t)mps::LC_FREE);
	assert_int_equal(c->len, 0);
	assert_int_equal(rte_mempool_avail_count(mp), 255);
	assert_int_equal(rte_mps_mempool_rebuild(mp, nullptr, 0, nullptr), 255);
	assert_int_equal(mps::load(&sh->rebuilding), 0);

	/* A reclaim by a live process that does not end: -EBUSY, mark cleared. */
	mps::store(&sh->lcore[L], live);
	assert_int_equal(rte_mps_mempool_rebuild(mp, nullptr, 0, nullptr), -EBUSY);
	assert_int_equal(mps::load(&sh->rebuilding), 0);
	assert_int_equal(mps::load(&sh->lcore[L]), live);
	mps::store(&sh->lcore[L], (uint64_t)mps::LC_FREE);

	/* A live owner's release waits for the end of the rebuild. */
	const int id = rte_mps_lcore_claim();
	assert_true(id >= 0);
	void *obj;
	assert_int_equal(rte_mempool_get(mp, &obj), 0);
	rte_mempool_put(mp, obj);    /* the claimed id's cache is in use */
	assert_true(mp->local_cache[id].len > 0);
	mps::store(&sh->rebuilding, live);
	const uint64_t mine = mps::load(&sh->lcore[id]);
	bool waited = false;
	std::thread end([sh, mp, id, mine, &waited] {
		usleep(50000);
		/* the release still waits: the id is the thread's, its cache full */
		waited = mps::load(&sh->lcore[id]) == mine && mp->local_cache[id].len > 0;
		mps::store(&sh->rebuilding, (uint64_t)0);
	});
	assert_int_equal(rte_mps_lcore_release(1), 0);
	end.join();
	assert_true(waited);
	assert_int_equal(mps::load(&sh->lcore[id]), (uint64_t)mps::LC_FREE);
	assert_int_equal(mp->local_cache[id].len, 0);
	rte_mempool_free(mp);
}

/*
 * Issue 15, H1/M1 on a driver that holds mbufs (net_ring), state built by
 * hand as a pair killed mid-burst leaves it: the reader took one mbuf from
 * the port's ring without moving the tail, the sender wrote two into it
 * without moving the tail, and five were taken from the pool's ring and
 * never counted in a cache. The reset repairs the ring from its tails (the
 * reader's mbuf is still the driver's, the sender's never left it) and
 * rebuilds the pool but for what the ring holds: nothing lost, nothing
 * freed twice, and the ring gives the three it held, in order.
 */
static void
test_res_ring_port_repaired(void **)
{
	struct rte_mempool *mp = rte_pktmbuf_pool_create("mps_ut_mbuf6", 255, 0, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	auto *burst = static_cast<struct rte_mps_burst *>(
			rte_zmalloc("mps_ut_burst6", sizeof(rte_mps_burst) + 8 * sizeof(void *),
				0));
	struct rte_eth_conf conf = {};
	struct rte_mbuf *m[5], *got[8];
	void *lost[5];
	uint16_t p;

	assert_non_null(mp);
	assert_non_null(burst);
	burst->size = 8;
	assert_int_equal(rte_dev_probe("net_ring_ut6"), 0);
	assert_int_equal(rte_eth_dev_get_port_by_name("net_ring_ut6", &p), 0);
	assert_int_equal(rte_eth_dev_configure(p, 1, 1, &conf), 0);
	assert_int_equal(rte_eth_rx_queue_setup(p, 0, 64, SOCKET_ID_ANY, nullptr, mp), 0);
	assert_int_equal(rte_eth_tx_queue_setup(p, 0, 64, SOCKET_ID_ANY, nullptr), 0);
	assert_int_equal(rte_eth_dev_start(p), 0);
	assert_int_equal(rte_mps_worker_add(10), 0);
	assert_int_equal(rte_mps_res_mempool(10, mp), 0);
	assert_int_equal(rte_mps_res_burst(10, burst), 0);
	assert_int_equal(rte_mps_res_rx_queue(10, p, 0), 0);
	assert_int_equal(rte_mps_res_tx_queue(10, p, 0), 0);

	assert_int_equal(rte_pktmbuf_alloc_bulk(mp, m, 5), 0);
	assert_int_equal(rte_eth_tx_burst(p, 0, m, 3), 3);
	struct rte_ring *r = rte_ring_lookup("ETH_RXTX0_net_ring_ut6");
	/* the port's one ring, its TX and its RX (named by net_ring) */
	assert_non_null(r);
	auto slots = reinterpret_cast<void **>(&r[1]);
	/* the reader: m[0] copied out, cons.head moved, not cons.tail */
	burst->objs[burst->count++] = m[0];
	r->cons.head = r->cons.tail + 1;
	/* the sender: m[3], m[4] written, prod.head moved, not prod.tail */
	slots[r->prod.head & r->mask] = m[3];
	slots[(r->prod.head + 1) & r->mask] = m[4];
	r->prod.head = r->prod.tail + 2;
	burst->objs[burst->count++] = m[3];
	burst->objs[burst->count++] = m[4];
	/* five taken from the pool's ring, in no cache, in no list */
	assert_int_equal(rte_mempool_generic_get(mp, lost, 5, nullptr), 0);

	assert_true(rte_mps_res_reset(10) >= 0);
	assert_int_equal(r->prod.head, r->prod.tail);
	assert_int_equal(r->cons.head, r->cons.tail);
	assert_int_equal(rte_ring_count(r), 3);
	struct rte_mps_audit a;
	assert_int_equal(rte_mps_mempool_audit(mp, &a), 0);
	assert_int_equal(a.in_driver, 3);
	assert_int_equal(a.unaccounted, 0);
	assert_int_equal(a.surplus, 0);
	assert_int_equal(rte_mempool_avail_count(mp), 255 - 3);

	/* the port goes on: it gives what it held, once, in order */
	assert_int_equal(rte_eth_rx_burst(p, 0, got, 8), 3);
	for (unsigned int i = 0; i < 3; i++)
		assert_ptr_equal(got[i], m[i]);
	rte_pktmbuf_free_bulk(got, 3);
	assert_int_equal(rte_mps_mempool_audit(mp, &a), 0);
	assert_int_equal(a.unaccounted + a.surplus + a.in_driver, 0);
	assert_int_equal(rte_mempool_avail_count(mp), 255);

	assert_int_equal(rte_mps_worker_remove(10), 0);
	assert_int_equal(rte_eth_dev_stop(p), 0);
	rte_eth_dev_close(p);
	rte_free(burst);
	rte_mempool_free(mp);
}

/*
 * A single consumer killed inside a dequeue: the consumer head moved, the
 * tail not. Without the reset, the next dequeue skips what was between;
 * with it, every object comes out once, and a live producer goes on.
 */
static void
test_ring_consumer_reset(void **)
{
	struct rte_ring *r = rte_ring_create("mps_ut_ring_sc", 64, SOCKET_ID_ANY,
			RING_F_SP_ENQ | RING_F_SC_DEQ);
	struct rte_ring *mc = rte_ring_create("mps_ut_ring_mc", 64, SOCKET_ID_ANY, 0);
	void *objs[10], *got[16];

	assert_non_null(r);
	assert_non_null(mc);
	for (uintptr_t i = 0; i < 10; i++)
		objs[i] = reinterpret_cast<void *>((i + 1) * 64);
	assert_int_equal(rte_ring_enqueue_bulk(r, objs, 10, nullptr), 10);
	/* nothing to give back */
	assert_int_equal(rte_mps_ring_consumer_reset(r), 0);
	/* the dead consumer: 4 objects reserved, copied out, not released */
	r->cons.head = r->cons.tail + 4;
	assert_int_equal(rte_mps_ring_consumer_reset(r), 4);
	assert_int_equal(r->cons.head, r->cons.tail);
	assert_int_equal(rte_ring_enqueue_bulk(r, objs, 2, nullptr), 2);
	assert_int_equal(rte_ring_dequeue_burst(r, got, 16, nullptr), 12);
	for (unsigned int i = 0; i < 10; i++)
		assert_ptr_equal(got[i], objs[i]);
	assert_ptr_equal(got[10], objs[0]);
	/* several consumers: refused */
	assert_int_equal(rte_mps_ring_consumer_reset(mc), -EINVAL);
	assert_int_equal(rte_mps_ring_consumer_reset(nullptr), -EINVAL);
	rte_ring_free(r);
	rte_ring_free(mc);
}

int
main(int, char **argv)
{
	int ret = start_test_eal(argv[0], "utres");

	if (ret != 0)
		return ret;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_res_reset_and_audit),
		cmocka_unit_test(test_res_audit_double_free),
		cmocka_unit_test(test_res_listed_twice),
		cmocka_unit_test(test_res_driver_freed_not_freed_again),
		cmocka_unit_test(test_res_mempool_rebuild),
		cmocka_unit_test(test_res_mempool_shared_not_rebuilt),
		cmocka_unit_test(test_mempool_rebuild_shared),
		cmocka_unit_test(test_reclaim_waits_for_rebuild),
		cmocka_unit_test(test_reclaim_skips_during_pool_rebuild),
		cmocka_unit_test(test_res_ring_port_repaired),
		cmocka_unit_test(test_ring_consumer_reset),
	};
	ret = cmocka_run_group_tests(tests, mps_group_setup, mps_group_teardown);
	stop_test_eal();
	return ret;
}
