/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

#ifndef SIMPLE_MP_MESSAGING_H
#define SIMPLE_MP_MESSAGING_H

#include <cstddef>

#include <rte_mempool.h>
#include <rte_ring.h>

namespace simple_mp {

/* Names of the shared objects; both processes use the same three. */
constexpr const char *ring_primary_to_secondary = "simple_mp_p2s";
constexpr const char *ring_secondary_to_primary = "simple_mp_s2p";
constexpr const char *message_pool_name = "simple_mp_msgs";

/* Each message travels in one fixed-size pool element, NUL included. */
constexpr unsigned int message_size = 64;
constexpr unsigned int ring_size = 512;
constexpr unsigned int pool_size = 1023;
constexpr unsigned int pool_cache_size = 32;

/* The queues and pool as seen from one process. */
struct channel {
	struct rte_ring *send_ring;
	struct rte_ring *recv_ring;
	struct rte_mempool *pool;
};

/*
 * Outcome of sending one message; each failure leaves the pool as it was.
 */
enum class send_status {
	ok,
	too_long,  /* text does not fit in one buffer */
	pool_empty, /* no free buffer in the pool */
	ring_full, /* the peer is not draining its ring */
};

/* Send text (of length len) to the peer over c.send_ring. */
send_status send_message(const channel &c, const char *text, std::size_t len);

/*
 * Take at most one message off c.recv_ring and copy it into out (at least
 * message_size bytes), returning the buffer to the pool. Returns false when
 * the ring is empty.
 */
bool receive_message(const channel &c, char *out);

/* Create the objects (primary) or find them (secondary). */
int channel_create(channel &c, int socket_id);
int channel_lookup(channel &c, const char **missing);

} /* namespace simple_mp */

#endif /* SIMPLE_MP_MESSAGING_H */
