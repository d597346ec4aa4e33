/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/*
 * Unit tests of the kill-safe TX helpers of librte_mpsupport
 * (rte_mps_tx.h), on a real port: net_null, which takes and frees every
 * packet.
 */

/* Every DPDK process here gets --no-pci from mps_test_env.h. */
#include <rte_ethdev.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include <rte_mps_res.h>
#include <rte_mps_tx.h>
#include "mps_test_env.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

using namespace mpstest;

static uint16_t tx_errors;

static void
count_tx_error(struct rte_mbuf **pkts, uint16_t unsent, void *)
{
	tx_errors += unsent;
	rte_pktmbuf_free_bulk(pkts, unsent);
}

/* The kill-safe TX buffer helpers on a real port (net_null). */
static void
test_tx_buffer_helpers(void **)
{
	uint16_t port;
	struct rte_eth_conf conf = {};

	assert_int_equal(rte_eth_dev_get_port_by_name("net_null0", &port), 0);
	struct rte_mempool *mp = rte_pktmbuf_pool_create("mps_ut_mbuf3", 255, 0, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	assert_non_null(mp);
	assert_int_equal(rte_eth_dev_configure(port, 1, 1, &conf), 0);
	assert_int_equal(rte_eth_rx_queue_setup(port, 0, 64, SOCKET_ID_ANY, nullptr, mp), 0);
	assert_int_equal(rte_eth_tx_queue_setup(port, 0, 64, SOCKET_ID_ANY, nullptr), 0);
	assert_int_equal(rte_eth_dev_start(port), 0);

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

int
main(int, char **argv)
{
	int ret = start_test_eal(argv[0], "uttx", { "--vdev=net_null0" });

	if (ret != 0)
		return ret;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tx_buffer_helpers),
	};
	ret = cmocka_run_group_tests(tests, mps_group_setup, mps_group_teardown);
	stop_test_eal();
	return ret;
}
