/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/*
 * The server's diagnostics in telemetry: its view of each client and of the
 * mbuf pool, under /mp_server/ (diagnostics.cpp).
 */

#ifndef CS_DIAGNOSTICS_H
#define CS_DIAGNOSTICS_H

#include <stdint.h>

#include <rte_mempool.h>
#include <rte_ring.h>

#include "cs_shared.h"

namespace client_server {

/*
 * Register the /mp_server/ telemetry commands (primary only), once the
 * memzone, the pool and the client rings exist.
 */
void register_telemetry(const server_info *info, struct rte_mempool *pool,
			struct rte_ring *const *rings);

/*
 * Count the free mbufs of the pool one by one: distinct ones, and copies of
 * one found already (mbufs freed twice). Only while no other lcore or
 * process uses the pool.
 */
void count_free_mbufs(struct rte_mempool *pool, uint64_t &distinct, uint64_t &duplicates);

/*
 * On the main lcore, between bursts: answer a pending /mp_server/mbufs
 * query, counting every free mbuf one by one when idle (no client holds an
 * id, so that no other lcore uses the pool).
 */
void serve_pool_check(struct rte_mempool *pool, bool idle);

} /* namespace client_server */

#endif /* CS_DIAGNOSTICS_H */
