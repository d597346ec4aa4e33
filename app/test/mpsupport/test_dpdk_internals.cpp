/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/*
 * The DPDK internals lib/mpsupport relies on (mps_dpdk.cpp), one test per
 * assumption, run against every DPDK release the pack supports: each fails
 * on a release where its assumption no longer holds. The last test checks
 * that the library refuses what depends on an assumption it cannot make.
 * Linked with the static library, to reach its internal functions.
 */

/* Every DPDK process here gets --no-pci from mps_test_env.h. */
#include <sys/wait.h>

#include <thread>
#include <vector>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_dev.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_ring.h>
#include <rte_ring_peek.h>
#include <rte_version.h>

#include <rte_mpsupport.h>
#include "mps_dpdk.h"
#include "mps_test_env.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

using namespace mpstest;
using namespace mps;

static constexpr unsigned int CACHE = 8;

static struct rte_mempool *
plain_pool(const char *name, unsigned int cache_size)
{
	return rte_mempool_create(name, 255, 64, cache_size, 0, nullptr, nullptr, nullptr,
			nullptr, SOCKET_ID_ANY, 0);
}

/* rte_lcore_id() reads the per-thread variable the library writes. */
static void
test_lcore_id_is_a_thread_variable(void **)
{
	unsigned int before = rte_lcore_id();

	assert_int_equal(dpdk_lcore_id(), before);
	dpdk_set_lcore_id(RTE_MAX_LCORE - 3);
	assert_int_equal(rte_lcore_id(), RTE_MAX_LCORE - 3);
	unsigned int other = 0;
	std::thread([&other] { other = rte_lcore_id(); }).join();
	assert_int_equal(other, LCORE_ID_ANY);
	dpdk_set_lcore_id(before);
	assert_int_equal(rte_lcore_id(), before);
}

/* An lcore's cache is local_cache[lcore], objects at objs[0 .. len). */
static void
test_cache_layout(void **)
{
	struct rte_mempool *mp = plain_pool("mps_ti_cache", 32);
	struct rte_mempool *none = plain_pool("mps_ti_nocache", 0);
	void *objs[10];
	unsigned int lcore = rte_lcore_id();

	assert_non_null(mp);
	assert_non_null(none);
	assert_null(dpdk_cache(none, lcore));
	struct rte_mempool_cache *c = dpdk_cache(mp, lcore);
	assert_ptr_equal(c, rte_mempool_default_cache(mp, lcore));
	assert_int_equal(dpdk_cache_len(c), 0);
	assert_int_equal(rte_mempool_generic_get(mp, objs, 10, nullptr), 0);
	rte_mempool_put_bulk(mp, objs, 10);
	assert_int_equal(dpdk_cache_len(c), 10);
	for (unsigned int i = 0; i < 10; i++)
		assert_ptr_equal(dpdk_cache_objs(c)[i], objs[i]);
	/* The most recently put comes out first. */
	void *o;
	assert_int_equal(rte_mempool_get(mp, &o), 0);
	assert_ptr_equal(o, objs[9]);
	assert_int_equal(dpdk_cache_len(c), 9);
	rte_mempool_put(mp, o);
	/* A length the library sets is the one DPDK goes by. */
	dpdk_cache_set_len(c, 4);
	assert_int_equal(rte_mempool_avail_count(mp), 255 - 10 + 4);
	dpdk_cache_set_len(c, 10);
	rte_mempool_cache_flush(c, mp);
	assert_int_equal(dpdk_cache_len(c), 0);
	assert_int_equal(rte_mempool_avail_count(mp), 255);
	rte_mempool_free(mp);
	rte_mempool_free(none);
}

/* Slots follow struct rte_ring; consumable objects lie between the tails. */
static void
ring_layout(unsigned int flags, const char *name)
{
	struct rte_ring *r = rte_ring_create(name, 16, SOCKET_ID_ANY, flags);
	void *in[12];
	void *out[12];
	std::vector<void *> seen;

	assert_non_null(r);
	for (uintptr_t i = 0; i < 12; i++)
		in[i] = (void *)(0x1000 + i * 8);
	/* Move the indexes on so that the next objects wrap round the mask. */
	assert_int_equal(rte_ring_enqueue_bulk(r, in, 12, nullptr), 12);
	assert_int_equal(rte_ring_dequeue_bulk(r, out, 12, nullptr), 12);
	assert_int_equal(rte_ring_enqueue_bulk(r, in, 10, nullptr), 10);
	dpdk_ring_objs(r, seen);
	assert_int_equal(seen.size(), 10);
	for (unsigned int i = 0; i < 10; i++)
		assert_ptr_equal(seen[i], in[i]);
	assert_int_equal(rte_ring_dequeue_bulk(r, out, 3, nullptr), 3);
	seen.clear();
	dpdk_ring_objs(r, seen);
	assert_int_equal(seen.size(), 7);
	assert_ptr_equal(seen[0], in[3]);
	assert_ptr_equal(seen[6], in[9]);
	rte_ring_free(r);
}

static void
test_ring_layout(void **)
{
	ring_layout(0, "mps_ti_ring");
	ring_layout(RING_F_SP_ENQ | RING_F_SC_DEQ, "mps_ti_ring_s");
	ring_layout(RING_F_MP_RTS_ENQ | RING_F_MC_RTS_DEQ, "mps_ti_ring_rts");
	ring_layout(RING_F_MP_HTS_ENQ | RING_F_MC_HTS_DEQ, "mps_ti_ring_hts");
}

/* A mempool driver of the test's own that keeps objects in a plain array. */
struct array_store {
	unsigned int n;
	void *objs[];
};

static int
array_alloc(struct rte_mempool *mp)
{
	auto *a = static_cast<array_store *>(rte_zmalloc(nullptr,
			sizeof(array_store) + mp->size * sizeof(void *), 0));

	mp->pool_data = a;
	return a == nullptr ? -ENOMEM : 0;
}

static void
array_free(struct rte_mempool *mp)
{
	rte_free(mp->pool_data);
}

static int
array_enqueue(struct rte_mempool *mp, void * const *objs, unsigned int n)
{
	auto *a = static_cast<array_store *>(mp->pool_data);

	for (unsigned int i = 0; i < n; i++)
		a->objs[a->n++] = objs[i];
	return 0;
}

static int
array_dequeue(struct rte_mempool *mp, void **objs, unsigned int n)
{
	auto *a = static_cast<array_store *>(mp->pool_data);

	if (a->n < n)
		return -ENOBUFS;
	for (unsigned int i = 0; i < n; i++)
		objs[i] = a->objs[--a->n];
	return 0;
}

static unsigned int
array_count(const struct rte_mempool *mp)
{
	return static_cast<const array_store *>(mp->pool_data)->n;
}

static struct rte_mempool_ops array_ops = {
	.name = "mps_test_array",
	.alloc = array_alloc,
	.free = array_free,
	.enqueue = array_enqueue,
	.dequeue = array_dequeue,
	.get_count = array_count,
};
RTE_MEMPOOL_REGISTER_OPS(array_ops);

/* The ring_* drivers keep a pool's free objects in the ring at pool_data;
 * another driver is not taken for one. */
static void
test_pool_ring_by_ops_name(void **)
{
	struct rte_mempool *mp = rte_pktmbuf_pool_create("mps_ti_mbuf", 255, 0, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);

	assert_non_null(mp);
	struct rte_ring *r = dpdk_pool_ring(mp);
	assert_non_null(r);
	assert_int_equal(rte_ring_count(r), rte_mempool_avail_count(mp));
	std::vector<void *> objs;
	dpdk_ring_objs(r, objs);
	assert_int_equal(objs.size(), 255);
	for (void *o : objs)
		assert_ptr_equal(static_cast<struct rte_mbuf *>(o)->pool, mp);
	rte_mempool_free(mp);

	mp = rte_mempool_create_empty("mps_ti_array", 255, 64, 0, 0, SOCKET_ID_ANY, 0);
	assert_non_null(mp);
	assert_int_equal(rte_mempool_set_ops_byname(mp, "mps_test_array", nullptr), 0);
	assert_true(rte_mempool_populate_default(mp) > 0);
	assert_null(dpdk_pool_ring(mp));
	rte_mempool_free(mp);
}

/* A started net_ring port's queues are read in place, as the ring they
 * are; a stopped port's, or another driver's, are not read. */
static void
test_net_ring_queue_held(void **)
{
	struct rte_mempool *mp = rte_pktmbuf_pool_create("mps_ti_ethpool", 255, 0, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	struct rte_eth_conf conf = {};
	struct rte_mbuf *m[3];
	std::vector<void *> held;
	uint16_t p;

	assert_non_null(mp);
	/* the PMD as the e2e tests use it, with no link-time dependency */
	assert_int_equal(rte_dev_probe("net_ring_ti0"), 0);
	assert_int_equal(rte_eth_dev_get_port_by_name("net_ring_ti0", &p), 0);
	assert_int_equal(rte_eth_dev_configure(p, 1, 1, &conf), 0);
	assert_int_equal(rte_eth_rx_queue_setup(p, 0, 64, SOCKET_ID_ANY, nullptr, mp), 0);
	assert_int_equal(rte_eth_tx_queue_setup(p, 0, 64, SOCKET_ID_ANY, nullptr), 0);
	assert_false(dpdk_queue_held(p, 0, true, held));    /* not started */
	assert_int_equal(rte_eth_dev_start(p), 0);
	assert_int_equal(rte_pktmbuf_alloc_bulk(mp, m, 3), 0);
	assert_int_equal(rte_eth_tx_burst(p, 0, m, 3), 3);
	assert_true(dpdk_queue_held(p, 0, true, held));
	assert_true(dpdk_queue_held(p, 0, false, held));    /* the same ring */
	assert_int_equal(held.size(), 6);
	for (unsigned int i = 0; i < 3; i++) {
		assert_ptr_equal(held[i], m[i]);
		assert_ptr_equal(held[3 + i], m[i]);
	}
	held.clear();
	assert_false(dpdk_queue_held(p, 1, true, held));    /* no such queue */
	assert_int_equal(rte_eth_rx_burst(p, 0, m, 3), 3);    /* read, not taken */
	rte_pktmbuf_free_bulk(m, 3);
	assert_int_equal(rte_eth_dev_stop(p), 0);
	assert_false(dpdk_queue_held(p, 0, true, held));
	assert_true(held.empty());
	rte_eth_dev_close(p);
	rte_mempool_free(mp);
}

/* The driver enqueue leaves every cache alone. */
static void
test_pool_enqueue_skips_caches(void **)
{
	struct rte_mempool *mp = plain_pool("mps_ti_enq", 32);
	void *objs[8];

	assert_non_null(mp);
	struct rte_mempool_cache *c = dpdk_cache(mp, rte_lcore_id());
	assert_int_equal(rte_mempool_generic_get(mp, objs, 8, nullptr), 0);
	unsigned int before = rte_ring_count(dpdk_pool_ring(mp));
	assert_int_equal(dpdk_pool_enqueue(mp, objs, 8), 0);
	assert_int_equal(rte_ring_count(dpdk_pool_ring(mp)), before + 8);
	assert_int_equal(dpdk_cache_len(c), 0);
	rte_mempool_free(mp);
}

/* The driver's count goes past the size when an object is put twice. */
static void
test_pool_count_not_capped(void **)
{
	struct rte_mempool *mp = rte_mempool_create("mps_ti_count", 200, 64, 0, 0, nullptr,
			nullptr, nullptr, nullptr, SOCKET_ID_ANY, 0);
	void *obj;

	assert_non_null(mp);
	assert_int_equal(dpdk_pool_count(mp), 200);
	assert_int_equal(rte_mempool_generic_get(mp, &obj, 1, nullptr), 0);
	assert_int_equal(dpdk_pool_count(mp), 199);
	assert_int_equal(dpdk_pool_enqueue(mp, &obj, 1), 0);
	assert_int_equal(dpdk_pool_enqueue(mp, &obj, 1), 0);
	assert_int_equal(dpdk_pool_count(mp), 201);
	rte_mempool_free(mp);
}

/* The put model of each release, found by the probe. */
static void
test_put_model_of_this_release(void **)
{
	bool before_26_07 = RTE_VERSION < RTE_VERSION_NUM(26, 7, 0, 0);
	put_model want = before_26_07 ? PUT_MODEL_FLUSH_ALL : PUT_MODEL_FLUSH_HALF;

	printf("%s: put model %s (expected %s)\n", rte_version(),
			dpdk_put_model_name(dpdk_probe_put_model()), dpdk_put_model_name(want));
	assert_int_equal(dpdk_probe_put_model(), want);
	assert_int_equal(dpdk_put_model(), want);    /* set by rte_mps_init() */
}

/* An lcore cache follows the model the probe found on a user cache. */
static void
test_put_model_holds_for_lcore_caches(void **)
{
	struct rte_mempool *mp = plain_pool("mps_ti_model", CACHE);
	void *objs[16];

	assert_non_null(mp);
	struct rte_mempool_cache *c = dpdk_cache(mp, rte_lcore_id());
	assert_int_equal(rte_mempool_generic_get(mp, objs, 16, nullptr), 0);
	unsigned int flushed_at = 0;
	uint32_t len_after = 0;
	for (unsigned int i = 0; i < 16 && flushed_at == 0; i++) {
		uint32_t len = dpdk_cache_len(c);
		rte_mempool_put(mp, objs[i]);
		if (dpdk_cache_len(c) != len + 1) {
			flushed_at = i + 1;
			len_after = dpdk_cache_len(c);
			/* The object just put is on top either way. */
			assert_ptr_equal(dpdk_cache_objs(c)[len_after - 1], objs[i]);
		}
	}
	if (dpdk_probe_put_model() == PUT_MODEL_FLUSH_ALL) {
		assert_int_equal(flushed_at, CACHE * 3 / 2 + 1);
		assert_int_equal(len_after, 1);
	} else {
		assert_int_equal(flushed_at, CACHE + 1);
		assert_int_equal(len_after, CACHE / 2 + 1);
		assert_ptr_equal(dpdk_cache_objs(c)[0], objs[CACHE / 2]);
	}
	rte_mempool_cache_flush(c, mp);
	rte_mempool_free(mp);
}

/*
 * Under a put model the library does not know, the cache of a dead lcore
 * owner is left alone (and the id kept) instead of being salvaged; under a
 * known one, the same cache is flushed.
 */
static void
dead_owner_cache(struct rte_mempool *mp, bool expect_flushed)
{
	int fds[2];

	assert_int_equal(pipe(fds), 0);
	pid_t pid = rte_mps_fork(RTE_MPS_NO_WORKER);
	assert_true(pid >= 0);
	if (pid == 0) {
		void *objs[4];
		int id = rte_mps_lcore_claim();
		if (id >= 0 && rte_mempool_get_bulk(mp, objs, 4) == 0)
			rte_mempool_put_bulk(mp, objs, 4);
		if (write(fds[1], &id, sizeof(id)) != sizeof(id))
			_exit(1);
		for (;;)
			pause();
	}
	int id = -1;
	ssize_t got = read(fds[0], &id, sizeof(id));
	close(fds[0]);
	close(fds[1]);
	struct rte_mempool_cache *c = id >= 0 ? dpdk_cache(mp, (unsigned int)id) : nullptr;
	uint32_t held = c != nullptr ? dpdk_cache_len(c) : 0;
	kill(pid, SIGKILL);
	assert_int_equal(wait_exit(pid, 5000) & 0x7f, SIGKILL);
	assert_int_equal(got, (ssize_t)sizeof(id));
	assert_non_null(c);
	assert_true(held >= 4);
	/* The notification thread reclaims on its own; this call waits for
	 * any reclaim in progress and does one more. */
	wait_for([&] { return rte_mps_lcore_reclaim() >= 0 && dpdk_cache_len(c) != held; },
			expect_flushed ? 5000 : 500);
	if (expect_flushed) {
		assert_int_equal(dpdk_cache_len(c), 0);
		assert_int_equal(rte_mps_lcore_owner((unsigned int)id, nullptr), 0);
	} else {
		assert_int_equal(dpdk_cache_len(c), held);
		assert_int_not_equal(rte_mps_lcore_owner((unsigned int)id, nullptr), 0);
	}
}

/* Floating lcore ids taken in the group. */
static unsigned int
held_ids()
{
	unsigned int n = 0;

	for (unsigned int l = 0; l < RTE_MAX_LCORE; l++)
		n += rte_mps_lcore_owner(l, nullptr) == 2;
	return n;
}

/* A live thread releases its floating id whatever the put model. */
static void
test_unknown_put_model_live_release(void **)
{
	struct rte_mempool *mp = plain_pool("mps_ti_live", 32);
	put_model known = dpdk_put_model();
	void *objs[4];

	assert_non_null(mp);
	dpdk_set_put_model(PUT_MODEL_UNKNOWN, "made unknown by the test");
	int id = rte_mps_lcore_claim();
	assert_true(id >= 0);
	assert_int_equal(rte_mempool_get_bulk(mp, objs, 4), 0);
	rte_mempool_put_bulk(mp, objs, 4);
	assert_true(dpdk_cache_len(dpdk_cache(mp, (unsigned int)id)) >= 4);
	assert_int_equal(rte_mps_lcore_release(1), 0);
	dpdk_set_put_model(known);
	assert_int_equal(rte_mps_lcore_owner((unsigned int)id, nullptr), 0);
	assert_int_equal(dpdk_cache_len(dpdk_cache(mp, (unsigned int)id)), 0);
	assert_int_equal(rte_mempool_avail_count(mp), 255);
	rte_mempool_free(mp);
}

static void
test_unknown_put_model_refuses_salvage(void **)
{
	struct rte_mempool *mp = plain_pool("mps_ti_salvage", 32);
	put_model known = dpdk_put_model();

	assert_non_null(mp);
	assert_int_not_equal(known, PUT_MODEL_UNKNOWN);
	dpdk_set_put_model(PUT_MODEL_UNKNOWN, "made unknown by the test");
	dead_owner_cache(mp, false);
	dpdk_set_put_model(known);
	/* The id stayed taken: a reclaim under the known model now frees it
	 * (this one, or one of the notification thread's). */
	rte_mps_lcore_reclaim();
	assert_true(wait_for([&] { return rte_mps_lcore_reclaim() >= 0 && held_ids() == 0; },
			5000));
	dead_owner_cache(mp, true);
	assert_int_equal(rte_mempool_avail_count(mp), 255);
	rte_mempool_free(mp);
}

/* A started net_null port with one RX and one TX queue. */
static uint16_t
null_port(struct rte_mempool *mp)
{
	struct rte_eth_conf conf = {};
	uint16_t port;

	assert_int_equal(rte_eal_hotplug_add("vdev", "net_null_ti", ""), 0);
	assert_int_equal(rte_eth_dev_get_port_by_name("net_null_ti", &port), 0);
	assert_int_equal(rte_eth_dev_configure(port, 1, 1, &conf), 0);
	assert_int_equal(rte_eth_rx_queue_setup(port, 0, 64, SOCKET_ID_ANY, nullptr, mp), 0);
	assert_int_equal(rte_eth_tx_queue_setup(port, 0, 64, SOCKET_ID_ANY, nullptr), 0);
	assert_int_equal(rte_eth_dev_start(port), 0);
	return port;
}

static unsigned int rx_calls[2];
static unsigned int tx_calls[2];

static uint16_t
count_rx(uint16_t, uint16_t, struct rte_mbuf **, uint16_t nb, uint16_t, void *arg)
{
	rx_calls[*static_cast<int *>(arg)]++;
	return nb;
}

static uint16_t
count_tx(uint16_t, uint16_t, struct rte_mbuf **, uint16_t nb, void *arg)
{
	tx_calls[*static_cast<int *>(arg)]++;
	return nb;
}

/*
 * A queue's callbacks are { next, fn, param } nodes headed by
 * rte_eth_fp_ops[port].rxq.clbk[queue] (txq for TX): a node the library
 * links without allocating runs in the burst functions along with one
 * that ethdev added, and ethdev's remove functions take it off.
 */
static void
test_callback_list_layout(void **)
{
	struct rte_mempool *mp = rte_pktmbuf_pool_create("ti_cb", 511, 0, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	assert_non_null(mp);
	uint16_t port = null_port(mp);
	static int id0 = 0, id1 = 1;
	struct rte_mbuf *pkts[4];

	const struct rte_eth_rxtx_callback *rx0 =
		rte_eth_add_first_rx_callback(port, 0, count_rx, &id0);
	const struct rte_eth_rxtx_callback *tx0 = rte_eth_add_tx_callback(port, 0, count_tx, &id0);
	assert_non_null(rx0);
	assert_non_null(tx0);
	/* ethdev's own nodes read as the library's layout */
	auto *head = static_cast<dpdk_callback *>(rte_eth_fp_ops[port].rxq.clbk[0]);
	assert_ptr_equal(head, rx0);
	assert_ptr_equal(reinterpret_cast<void *>(head->fn.rx),
			reinterpret_cast<void *>(count_rx));
	assert_ptr_equal(head->param, &id0);
	head = static_cast<dpdk_callback *>(rte_eth_fp_ops[port].txq.clbk[0]);
	assert_ptr_equal(head, tx0);
	assert_ptr_equal(head->param, &id0);

	static dpdk_callback rx1, tx1;
	rx1.fn.rx = count_rx;
	rx1.param = &id1;
	tx1.fn.tx = count_tx;
	tx1.param = &id1;
	const struct rte_eth_rxtx_callback *rxh = dpdk_link_callback(port, 0, true, &rx1);
	const struct rte_eth_rxtx_callback *txh = dpdk_link_callback(port, 0, false, &tx1);
	uint16_t n = rte_eth_rx_burst(port, 0, pkts, 4);
	assert_int_equal(rte_eth_tx_burst(port, 0, pkts, n), n);
	assert_int_equal(rx_calls[0], 1);
	assert_int_equal(rx_calls[1], 1);
	assert_int_equal(tx_calls[0], 1);
	assert_int_equal(tx_calls[1], 1);

	assert_int_equal(rte_eth_remove_rx_callback(port, 0, rxh), 0);
	assert_int_equal(rte_eth_remove_tx_callback(port, 0, txh), 0);
	n = rte_eth_rx_burst(port, 0, pkts, 4);
	assert_int_equal(rte_eth_tx_burst(port, 0, pkts, n), n);
	assert_int_equal(rx_calls[1], 1);
	assert_int_equal(tx_calls[1], 1);
	assert_int_equal(rx_calls[0], 2);
	assert_int_equal(tx_calls[0], 2);

	rte_eth_remove_rx_callback(port, 0, rx0);
	rte_eth_remove_tx_callback(port, 0, tx0);
	rte_eth_dev_stop(port);
	rte_eth_dev_close(port);
	rte_eal_hotplug_remove("vdev", "net_null_ti");
	rte_mempool_free(mp);
}

/*
 * A single producer or consumer that stopped between its head and its tail
 * leaves the head ahead; putting it back to the tail drops its reservation
 * and leaves a ring that works on.
 */
static void
test_ring_abort_single(void **)
{
	struct rte_ring *r = rte_ring_create("ti_abort", 16, SOCKET_ID_ANY,
			RING_F_SP_ENQ | RING_F_SC_DEQ);
	void *objs[4] = { (void *)1, (void *)2, (void *)3, (void *)4 };
	void *out[4];

	assert_non_null(r);
	/* a producer reserves two slots and dies */
	assert_int_equal(rte_ring_enqueue_bulk_start(r, 2, nullptr), 2);
	assert_int_not_equal(r->prod.head, r->prod.tail);
	dpdk_ring_abort_sp(r);
	assert_int_equal(r->prod.head, r->prod.tail);
	assert_int_equal(rte_ring_enqueue_bulk(r, objs, 4, nullptr), 4);
	assert_int_equal(rte_ring_count(r), 4);
	/* a consumer takes one and dies */
	assert_int_equal(rte_ring_dequeue_bulk_start(r, out, 1, nullptr), 1);
	dpdk_ring_abort_sc(r);
	assert_int_equal(r->cons.head, r->cons.tail);
	assert_int_equal(rte_ring_dequeue_bulk(r, out, 4, nullptr), 4);
	for (unsigned int i = 0; i < 4; i++)
		assert_ptr_equal(out[i], objs[i]);
	rte_ring_free(r);
}

static int
group_setup(void **)
{
	return rte_mps_init() < 0 ? -1 : 0;
}

int
main(int argc, char **argv)
{
	(void)argc;
	std::string prefix = make_prefix("ti");
	start_janitor(prefix);
	if (eal_start(eal_args(argv[0], prefix, "0@0,1@1", false)) < 0) {
		printf("rte_eal_init failed: %s\n", rte_strerror(rte_errno));
		return 1;
	}

	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lcore_id_is_a_thread_variable),
		cmocka_unit_test(test_cache_layout),
		cmocka_unit_test(test_ring_layout),
		cmocka_unit_test(test_pool_ring_by_ops_name),
		cmocka_unit_test(test_net_ring_queue_held),
		cmocka_unit_test(test_pool_enqueue_skips_caches),
		cmocka_unit_test(test_pool_count_not_capped),
		cmocka_unit_test(test_put_model_of_this_release),
		cmocka_unit_test(test_put_model_holds_for_lcore_caches),
		cmocka_unit_test(test_unknown_put_model_live_release),
		cmocka_unit_test(test_unknown_put_model_refuses_salvage),
		cmocka_unit_test(test_callback_list_layout),
		cmocka_unit_test(test_ring_abort_single),
	};
	int ret = cmocka_run_group_tests(tests, group_setup, nullptr);
	rte_mps_fini();
	rte_eal_cleanup();
	return ret;
}
