/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/*
 * Unit tests of the kill-safe TX helpers of librte_mpsupport
 * (rte_mps_tx.h), on real ports: net_null, which takes and frees every
 * packet, and net_ring, whose ring the tests fill so that it refuses them.
 * A TX callback on the port records each call of the driver.
 */

/* Every DPDK process here gets --no-pci from mps_test_env.h. */
#include <rte_ethdev.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#include <rte_mps_res.h>
#include <rte_mps_tx.h>
#include <rte_mps_worker.h>
#include "mps_test_env.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

using namespace mpstest;

/* The ring net_ring0 transmits into (and receives from). */
static constexpr char RING_PORT_RING[] = "ETH_RXTX0_net_ring0";
static constexpr unsigned int NB_MBUFS = 255;
static constexpr unsigned int MAX_CALLS = 16;

static uint16_t tx_errors;

static void
count_tx_error(struct rte_mbuf **pkts, uint16_t unsent, void *)
{
	tx_errors += unsent;
	rte_pktmbuf_free_bulk(pkts, unsent);
}

/* Unsent packets as the error callback received them, then freed. */
static struct rte_mbuf *unsent_pkts[16];
static uint16_t nb_unsent;

static void
record_tx_error(struct rte_mbuf **pkts, uint16_t unsent, void *)
{
	for (uint16_t i = 0; i < unsent && nb_unsent < RTE_DIM(unsent_pkts); i++)
		unsent_pkts[nb_unsent++] = pkts[i];
	rte_pktmbuf_free_bulk(pkts, unsent);
}

/* Configure and start a port with one queue each way. */
static uint16_t
port_start(const char *name, struct rte_mempool *mp)
{
	uint16_t port;
	struct rte_eth_conf conf = {};

	assert_int_equal(rte_eth_dev_get_port_by_name(name, &port), 0);
	assert_int_equal(rte_eth_dev_configure(port, 1, 1, &conf), 0);
	assert_int_equal(rte_eth_rx_queue_setup(port, 0, 64, SOCKET_ID_ANY, nullptr, mp), 0);
	assert_int_equal(rte_eth_tx_queue_setup(port, 0, 64, SOCKET_ID_ANY, nullptr), 0);
	assert_int_equal(rte_eth_dev_start(port), 0);
	return port;
}

/* An mbuf pool without caches: its available count is exact. */
static struct rte_mempool *
mbuf_pool(const char *name)
{
	struct rte_mempool *mp = rte_pktmbuf_pool_create(name, NB_MBUFS, 0, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);

	assert_non_null(mp);
	return mp;
}

/* What the driver was given, call by call, and what was listed then. */
struct tx_watch {
	unsigned int calls;
	struct rte_mbuf **pkts[MAX_CALLS];
	uint16_t nb_pkts[MAX_CALLS];
	uint16_t buffer_length[MAX_CALLS];
	unsigned int in_hand[MAX_CALLS];    /* non-NULL entries of burst */
	/* Optional: audited at each call (the most unaccounted is kept). */
	struct rte_mempool *mp;
	uint32_t unaccounted;
	struct rte_eth_dev_tx_buffer *txb;
	struct rte_mps_burst *burst;
	/* Optional: emptied (mbufs freed) before the driver runs call drain_at. */
	struct rte_ring *drain;
	unsigned int drain_at;
};

static char filler;

/* Empty a net_ring ring: free its mbufs, drop the fillers. Returns the
 * number of mbufs, stored in got (up to n). */
static unsigned int
drain_ring(struct rte_ring *r, struct rte_mbuf **got, unsigned int n)
{
	unsigned int k = 0;
	void *o;

	while (rte_ring_dequeue(r, &o) == 0) {
		if (o == &filler)
			continue;
		if (k < n)
			got[k] = static_cast<struct rte_mbuf *>(o);
		k++;
		rte_pktmbuf_free(static_cast<struct rte_mbuf *>(o));
	}
	return k;
}

/* Fill an empty ring with fillers, leaving room for that many packets. */
static void
ring_leave_room(struct rte_ring *r, unsigned int room)
{
	assert_int_equal(rte_ring_count(r), 0);
	while (rte_ring_free_count(r) > room)
		assert_int_equal(rte_ring_enqueue(r, &filler), 0);
	assert_int_equal(rte_ring_free_count(r), room);
}

static uint16_t
watch_tx(uint16_t, uint16_t, struct rte_mbuf **pkts, uint16_t nb_pkts, void *arg)
{
	auto *w = static_cast<tx_watch *>(arg);
	unsigned int c = w->calls++;

	if (c < MAX_CALLS) {
		w->pkts[c] = pkts;
		w->nb_pkts[c] = nb_pkts;
		w->buffer_length[c] = w->txb != nullptr ? w->txb->length : 0;
		w->in_hand[c] = 0;
		for (uint32_t i = 0; w->burst != nullptr && i < w->burst->size; i++)
			w->in_hand[c] += w->burst->objs[i] != nullptr;
	}
	if (w->mp != nullptr) {
		struct rte_mps_audit a;
		if (rte_mps_mempool_audit(w->mp, &a) != 0)
			w->unaccounted = UINT32_MAX;
		else
			w->unaccounted = RTE_MAX(w->unaccounted, a.unaccounted);
	}
	if (w->drain != nullptr && w->calls == w->drain_at)
		drain_ring(w->drain, nullptr, 0);
	return nb_pkts;
}

/* The kill-safe TX buffer helpers on a real port (net_null). */
static void
test_tx_buffer_helpers(void **)
{
	struct rte_mempool *mp = rte_pktmbuf_pool_create("mps_ut_mbuf3", 255, 0, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	assert_non_null(mp);
	uint16_t port = port_start("net_null0", mp);

	auto *txb = static_cast<struct rte_eth_dev_tx_buffer *>(
			rte_zmalloc("mps_ut_txb3", RTE_ETH_TX_BUFFER_SIZE(4), 0));
	assert_non_null(txb);
	rte_eth_tx_buffer_init(txb, 4);
	assert_int_equal(rte_eth_tx_buffer_set_err_callback(txb, count_tx_error, nullptr), 0);
	struct rte_mbuf *m[5];
	assert_int_equal(rte_pktmbuf_alloc_bulk(mp, m, 5), 0);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(rte_mps_tx_buffer(port, 0, txb, m[i]), 0);
		assert_int_equal(txb->length, i + 1);
		assert_ptr_equal(txb->pkts[i], m[i]);
	}
	assert_int_equal(rte_mps_tx_buffer(port, 0, txb, m[3]), 4);    /* full: sent */
	assert_int_equal(txb->length, 0);
	assert_int_equal(rte_mps_tx_buffer(port, 0, txb, m[4]), 0);
	assert_int_equal(rte_mps_tx_buffer_flush(port, 0, txb), 1);
	assert_int_equal(rte_mps_tx_buffer_flush(port, 0, txb), 0);
	assert_int_equal(tx_errors, 0);
	/* net_null frees what it sends: everything is back. */
	struct rte_mps_audit a;
	assert_int_equal(rte_mps_mempool_audit(mp, &a), 0);
	assert_int_equal(a.unaccounted, 0);
	assert_int_equal(a.in_pool + a.in_caches, 255);

	assert_int_equal(rte_eth_dev_stop(port), 0);
	rte_free(txb);
	rte_mempool_free(mp);
}

/* A TX buffer of 4 and an in-hand burst array of 4, listed by worker 3. */
struct tx_lists {
	struct rte_eth_dev_tx_buffer *txb;
	struct rte_mps_burst *burst;
	struct rte_mbuf **objs;
};

static tx_lists
lists_create(buffer_tx_error_fn on_error)
{
	tx_lists l;

	l.txb = static_cast<struct rte_eth_dev_tx_buffer *>(
			rte_zmalloc("mps_ut_txb4", RTE_ETH_TX_BUFFER_SIZE(4), 0));
	l.burst = static_cast<struct rte_mps_burst *>(
			rte_zmalloc("mps_ut_burst4", sizeof(rte_mps_burst) + 4 * sizeof(void *), 0));
	assert_non_null(l.txb);
	assert_non_null(l.burst);
	rte_eth_tx_buffer_init(l.txb, 4);
	assert_int_equal(rte_eth_tx_buffer_set_err_callback(l.txb, on_error, nullptr), 0);
	/* Kept at its full count: a NULL entry is an mbuf handed on. */
	l.burst->size = 4;
	l.burst->count = 4;
	l.objs = reinterpret_cast<struct rte_mbuf **>(l.burst->objs);
	assert_int_equal(rte_mps_worker_add(3), 0);
	assert_int_equal(rte_mps_res_tx_buffer(3, l.txb), 0);
	assert_int_equal(rte_mps_res_burst(3, l.burst), 0);
	return l;
}

static void
lists_free(tx_lists &l)
{
	assert_int_equal(rte_mps_worker_remove(3), 0);
	rte_free(l.txb);
	rte_free(l.burst);
}

static void
assert_all_null(struct rte_mbuf **objs, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		assert_null(objs[i]);
}

/*
 * rte_mps_tx_buffer_burst() on net_null: a full burst with the buffer
 * empty goes straight from the in-hand array; a partial one joins the
 * buffer, which is flushed when full. At every call of the driver, each
 * mbuf is listed (in the buffer or in hand): a kill loses nothing.
 */
static void
test_tx_buffer_burst(void **)
{
	struct rte_mempool *mp = mbuf_pool("mps_ut_mbuf_tb");
	uint16_t port = port_start("net_null0", mp);
	tx_lists l = lists_create(count_tx_error);
	tx_watch w = {};
	w.mp = mp;
	w.txb = l.txb;
	w.burst = l.burst;
	const struct rte_eth_rxtx_callback *cb = rte_eth_add_tx_callback(port, 0, watch_tx, &w);
	assert_non_null(cb);
	tx_errors = 0;

	/* A full burst, buffer empty: sent from the in-hand array. */
	assert_int_equal(rte_pktmbuf_alloc_bulk(mp, l.objs, 4), 0);
	assert_int_equal(rte_mps_tx_buffer_burst(port, 0, l.txb, l.objs, 4), 4);
	assert_int_equal(w.calls, 1);
	assert_ptr_equal(w.pkts[0], l.objs);
	assert_int_equal(w.nb_pkts[0], 4);
	assert_int_equal(w.buffer_length[0], 0);
	assert_int_equal(w.in_hand[0], 4);
	assert_all_null(l.objs, 4);
	assert_int_equal(l.txb->length, 0);

	/* A partial burst joins the buffer, listed there, and is not sent. */
	struct rte_mbuf *m[4];
	assert_int_equal(rte_pktmbuf_alloc_bulk(mp, l.objs, 3), 0);
	memcpy(m, l.objs, 3 * sizeof(m[0]));
	assert_int_equal(rte_mps_tx_buffer_burst(port, 0, l.txb, l.objs, 3), 0);
	assert_int_equal(w.calls, 1);
	assert_int_equal(l.txb->length, 3);
	for (int i = 0; i < 3; i++)
		assert_ptr_equal(l.txb->pkts[i], m[i]);
	assert_all_null(l.objs, 4);

	/* Three more: one fills the buffer, which is sent, while the other
	 * two are still in hand; then they join the buffer. */
	struct rte_mbuf *n[3];
	assert_int_equal(rte_pktmbuf_alloc_bulk(mp, l.objs, 3), 0);
	memcpy(n, l.objs, sizeof(n));
	assert_int_equal(rte_mps_tx_buffer_burst(port, 0, l.txb, l.objs, 3), 4);
	assert_int_equal(w.calls, 2);
	assert_ptr_equal(w.pkts[1], l.txb->pkts);
	assert_int_equal(w.nb_pkts[1], 4);
	assert_int_equal(w.buffer_length[1], 4 | RTE_MPS_TX_BUFFER_IN_FLIGHT);
	assert_int_equal(w.in_hand[1], 2);
	assert_int_equal(l.txb->length, 2);
	assert_ptr_equal(l.txb->pkts[0], n[1]);
	assert_ptr_equal(l.txb->pkts[1], n[2]);
	assert_all_null(l.objs, 4);

	/* A full burst with the buffer not empty goes through the buffer. */
	assert_int_equal(rte_pktmbuf_alloc_bulk(mp, l.objs, 4), 0);
	memcpy(m, l.objs, sizeof(m));
	assert_int_equal(rte_mps_tx_buffer_burst(port, 0, l.txb, l.objs, 4), 4);
	assert_int_equal(w.calls, 3);
	assert_ptr_equal(w.pkts[2], l.txb->pkts);
	assert_int_equal(w.in_hand[2], 2);
	assert_int_equal(l.txb->length, 2);
	assert_ptr_equal(l.txb->pkts[0], m[2]);
	assert_ptr_equal(l.txb->pkts[1], m[3]);
	assert_all_null(l.objs, 4);
	assert_int_equal(rte_mps_tx_buffer_flush(port, 0, l.txb), 2);
	assert_int_equal(w.calls, 4);
	assert_int_equal(rte_mps_tx_buffer_burst(port, 0, l.txb, l.objs, 0), 0);
	assert_int_equal(w.calls, 4);

	assert_int_equal(w.unaccounted, 0);
	assert_int_equal(tx_errors, 0);
	assert_int_equal(rte_mempool_avail_count(mp), NB_MBUFS);
	assert_int_equal(rte_eth_remove_tx_callback(port, 0, cb), 0);
	lists_free(l);
	assert_int_equal(rte_eth_dev_stop(port), 0);
	rte_mempool_free(mp);
}

/*
 * rte_mps_tx_buffer_burst() on a port that takes only part of a burst:
 * the rest goes to the buffer's error callback, on both paths, and the
 * in-hand array is cleared all the same.
 */
static void
test_tx_buffer_burst_unsent(void **)
{
	struct rte_mempool *mp = mbuf_pool("mps_ut_mbuf_tu");
	uint16_t port = port_start("net_ring0", mp);
	struct rte_ring *r = rte_ring_lookup(RING_PORT_RING);
	assert_non_null(r);
	tx_lists l = lists_create(record_tx_error);
	nb_unsent = 0;

	/* Straight from the in-hand array: room for one. */
	ring_leave_room(r, 1);
	struct rte_mbuf *m[4];
	assert_int_equal(rte_pktmbuf_alloc_bulk(mp, l.objs, 4), 0);
	memcpy(m, l.objs, sizeof(m));
	assert_int_equal(rte_mps_tx_buffer_burst(port, 0, l.txb, l.objs, 4), 1);
	assert_all_null(l.objs, 4);
	assert_int_equal(nb_unsent, 3);
	for (int i = 0; i < 3; i++)
		assert_ptr_equal(unsent_pkts[i], m[i + 1]);
	struct rte_mbuf *got[4];
	assert_int_equal(drain_ring(r, got, 4), 1);
	assert_ptr_equal(got[0], m[0]);

	/* Through the buffer, filled by two halves: room for two. */
	nb_unsent = 0;
	ring_leave_room(r, 2);
	assert_int_equal(rte_pktmbuf_alloc_bulk(mp, l.objs, 2), 0);
	memcpy(m, l.objs, 2 * sizeof(m[0]));
	assert_int_equal(rte_mps_tx_buffer_burst(port, 0, l.txb, l.objs, 2), 0);
	assert_int_equal(rte_pktmbuf_alloc_bulk(mp, l.objs, 2), 0);
	memcpy(&m[2], l.objs, 2 * sizeof(m[0]));
	assert_int_equal(rte_mps_tx_buffer_burst(port, 0, l.txb, l.objs, 2), 2);
	assert_all_null(l.objs, 4);
	assert_int_equal(l.txb->length, 0);
	assert_int_equal(nb_unsent, 2);
	assert_ptr_equal(unsent_pkts[0], m[2]);
	assert_ptr_equal(unsent_pkts[1], m[3]);
	assert_int_equal(drain_ring(r, got, 4), 2);
	assert_ptr_equal(got[0], m[0]);
	assert_ptr_equal(got[1], m[1]);
	assert_int_equal(rte_mempool_avail_count(mp), NB_MBUFS);

	/* Without an error callback, unsent packets are freed, on both paths. */
	l.txb->error_callback = nullptr;
	ring_leave_room(r, 1);
	assert_int_equal(rte_pktmbuf_alloc_bulk(mp, l.objs, 4), 0);
	assert_int_equal(rte_mps_tx_buffer_burst(port, 0, l.txb, l.objs, 4), 1);
	assert_all_null(l.objs, 4);
	assert_int_equal(drain_ring(r, got, 4), 1);
	assert_int_equal(rte_mempool_avail_count(mp), NB_MBUFS);
	ring_leave_room(r, 1);
	assert_int_equal(rte_pktmbuf_alloc_bulk(mp, l.objs, 3), 0);
	assert_int_equal(rte_mps_tx_buffer_burst(port, 0, l.txb, l.objs, 3), 0);
	assert_int_equal(rte_mps_tx_buffer_flush(port, 0, l.txb), 1);
	assert_int_equal(l.txb->length, 0);
	assert_int_equal(drain_ring(r, got, 4), 1);
	assert_int_equal(rte_mempool_avail_count(mp), NB_MBUFS);
	assert_int_equal(nb_unsent, 2);
	lists_free(l);
	assert_int_equal(rte_eth_dev_stop(port), 0);
	rte_mempool_free(mp);
}

/* rte_mps_tx_burst_retry() on net_null: all sent at the first try. */
static void
test_tx_burst_retry(void **)
{
	struct rte_mempool *mp = mbuf_pool("mps_ut_mbuf_tr");
	uint16_t port = port_start("net_null0", mp);
	tx_watch w = {};
	const struct rte_eth_rxtx_callback *cb = rte_eth_add_tx_callback(port, 0, watch_tx, &w);
	assert_non_null(cb);

	struct rte_mbuf *m[8];
	assert_int_equal(rte_pktmbuf_alloc_bulk(mp, m, 8), 0);
	assert_int_equal(rte_mps_tx_burst_retry(port, 0, m, 8, 3), 8);
	assert_int_equal(w.calls, 1);
	assert_int_equal(w.nb_pkts[0], 8);
	assert_int_equal(rte_mempool_avail_count(mp), NB_MBUFS);

	assert_int_equal(rte_eth_remove_tx_callback(port, 0, cb), 0);
	assert_int_equal(rte_eth_dev_stop(port), 0);
	rte_mempool_free(mp);
}

/*
 * rte_mps_tx_burst_retry() on a port that refuses packets: it offers the
 * rest again exactly the number of times asked, then frees it; it stops
 * as soon as the port has taken everything.
 */
static void
test_tx_burst_retry_refused(void **)
{
	struct rte_mempool *mp = mbuf_pool("mps_ut_mbuf_tf");
	uint16_t port = port_start("net_ring0", mp);
	struct rte_ring *r = rte_ring_lookup(RING_PORT_RING);
	assert_non_null(r);
	tx_watch w = {};
	const struct rte_eth_rxtx_callback *cb = rte_eth_add_tx_callback(port, 0, watch_tx, &w);
	assert_non_null(cb);
	struct rte_mbuf *m[8], *got[8];

	/* Room for three: five more tries, then five freed. */
	ring_leave_room(r, 3);
	assert_int_equal(rte_pktmbuf_alloc_bulk(mp, m, 8), 0);
	assert_int_equal(rte_mps_tx_burst_retry(port, 0, m, 8, 5), 3);
	assert_int_equal(w.calls, 6);
	assert_int_equal(w.nb_pkts[0], 8);
	for (unsigned int c = 1; c < 6; c++) {
		assert_ptr_equal(w.pkts[c], &m[3]);
		assert_int_equal(w.nb_pkts[c], 5);
	}
	assert_int_equal(rte_mempool_avail_count(mp), NB_MBUFS - 3);
	assert_int_equal(drain_ring(r, got, 8), 3);
	for (int i = 0; i < 3; i++)
		assert_ptr_equal(got[i], m[i]);
	assert_int_equal(rte_mempool_avail_count(mp), NB_MBUFS);

	/* No retry asked: one try. */
	w.calls = 0;
	ring_leave_room(r, 3);
	assert_int_equal(rte_pktmbuf_alloc_bulk(mp, m, 8), 0);
	assert_int_equal(rte_mps_tx_burst_retry(port, 0, m, 8, 0), 3);
	assert_int_equal(w.calls, 1);
	assert_int_equal(drain_ring(r, got, 8), 3);
	assert_int_equal(rte_mempool_avail_count(mp), NB_MBUFS);

	/* The ring drains before the third try: everything goes, and the
	 * tries stop there. */
	w.calls = 0;
	w.drain = r;
	w.drain_at = 3;
	ring_leave_room(r, 2);
	assert_int_equal(rte_pktmbuf_alloc_bulk(mp, m, 8), 0);
	assert_int_equal(rte_mps_tx_burst_retry(port, 0, m, 8, 5), 8);
	assert_int_equal(w.calls, 3);
	assert_int_equal(w.nb_pkts[2], 6);
	assert_int_equal(drain_ring(r, got, 8), 6);
	for (int i = 0; i < 6; i++)
		assert_ptr_equal(got[i], m[i + 2]);
	assert_int_equal(rte_mempool_avail_count(mp), NB_MBUFS);

	assert_int_equal(rte_eth_remove_tx_callback(port, 0, cb), 0);
	assert_int_equal(rte_eth_dev_stop(port), 0);
	rte_mempool_free(mp);
}

int
main(int, char **argv)
{
	int ret = start_test_eal(argv[0], "uttx", { "--vdev=net_null0", "--vdev=net_ring0" });

	if (ret != 0)
		return ret;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tx_buffer_helpers),
		cmocka_unit_test(test_tx_buffer_burst),
		cmocka_unit_test(test_tx_buffer_burst_unsent),
		cmocka_unit_test(test_tx_burst_retry),
		cmocka_unit_test(test_tx_burst_retry_refused),
	};
	ret = cmocka_run_group_tests(tests, mps_group_setup, mps_group_teardown);
	stop_test_eal();
	return ret;
}
