/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

#ifndef RTE_MPS_TX_H
#define RTE_MPS_TX_H

/**
 * @file
 * Multi-process support: transmission that a kill -9 cannot make lose mbufs.
 *
 * @warning
 * @b EXPERIMENTAL: all functions in this file may change without prior notice.
 *
 * The only header of the library that needs ethdev. Packets stay listed in a
 * TX buffer (rte_mps_res_tx_buffer()) or an in-hand burst array
 * (rte_mps_res_burst()) until the port has taken them, so that
 * rte_mps_res_reset() finds every one of them after the worker dies.
 */

#include <stdint.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_pause.h>

#include "rte_mps_compat.h"
#include "rte_mps_kill.h"
#include "rte_mps_res.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Flag in the length of a listed TX buffer while rte_mps_tx_buffer_flush()
 * hands its packets to the port.
 */
#define RTE_MPS_TX_BUFFER_IN_FLIGHT 0x8000

/**
 * List a port's RX queue that a worker receives from.
 *
 * When the worker is reset, the queue is stopped first
 * (rte_eth_dev_rx_queue_stop(), or rte_eth_dev_stop() on the port where
 * the driver cannot stop a queue) and started again after: a driver gives
 * back the mbufs of its descriptors when the queue stops. The mbufs that a
 * driver whose queues can be read (net_ring, whose queues are rings) holds
 * are the driver's: the reset does not free them even when the worker's
 * lists name them too, and rte_mps_mempool_audit() counts them in
 * in_driver.
 *
 * @param worker
 *   Worker index.
 * @param port_id
 *   Port.
 * @param queue_id
 *   RX queue.
 * @return
 *   0 on success, -ENOENT, -ENOSPC or -EINVAL (no such port).
 */
__rte_experimental
int
rte_mps_res_rx_queue(unsigned int worker, uint16_t port_id, uint16_t queue_id);

/**
 * List a port's TX queue that a worker sends on.
 *
 * As rte_mps_res_rx_queue(): stopped during the worker's reset, started
 * again after, and what its driver holds (a driver that keeps TX mbufs
 * until they are sent, or net_ring, whose TX queue is a ring another
 * worker reads) is the driver's, never freed by the reset.
 *
 * @param worker
 *   Worker index.
 * @param port_id
 *   Port.
 * @param queue_id
 *   TX queue.
 * @return
 *   0 on success, -ENOENT, -ENOSPC or -EINVAL (no such port).
 */
__rte_experimental
int
rte_mps_res_tx_queue(unsigned int worker, uint16_t port_id, uint16_t queue_id);

/**
 * Send the packets of a listed TX buffer, safely against kill -9.
 *
 * The same as rte_eth_tx_buffer_flush(), except that the packets stay
 * listed while they are handed to the port, marked in flight
 * (RTE_MPS_TX_BUFFER_IN_FLIGHT in the length), and the buffer is emptied
 * once the port has returned. A worker killed in between leaves them
 * listed: rte_mps_res_reset() then frees those that are not free already
 * (in a mempool cache or common ring, where the driver put them). Unsent
 * packets go to the buffer's error callback, as with DPDK's function.
 *
 * @param port_id
 *   Port to send on.
 * @param queue_id
 *   TX queue.
 * @param buffer
 *   The buffer, listed with rte_mps_res_tx_buffer().
 * @return
 *   Number of packets sent.
 */
static inline uint16_t
rte_mps_tx_buffer_flush(uint16_t port_id, uint16_t queue_id,
		struct rte_eth_dev_tx_buffer *buffer)
{
	uint16_t n = buffer->length;
	uint16_t sent;

	if (n == 0)
		return 0;
	rte_atomic_store_explicit(&buffer->length, (uint16_t)(n | RTE_MPS_TX_BUFFER_IN_FLIGHT),
			rte_memory_order_release);
	RTE_MPS_KILL_POINT("tx_flush_in_flight");
	sent = rte_eth_tx_burst(port_id, queue_id, buffer->pkts, n);
	RTE_MPS_KILL_POINT("tx_flush_sent");
	rte_atomic_store_explicit(&buffer->length, 0, rte_memory_order_release);
	if (unlikely(sent != n)) {
		RTE_MPS_KILL_POINT("tx_flush_unsent");
		if (buffer->error_callback != NULL) {
			buffer->error_callback(&buffer->pkts[sent], (uint16_t)(n - sent),
					buffer->error_userdata);
		} else {
			uint16_t i;

			for (i = sent; i < n; i++)
				rte_pktmbuf_free(buffer->pkts[i]);
		}
	}
	return sent;
}

/**
 * Buffer a packet for sending, safely against kill -9.
 *
 * The same as rte_eth_tx_buffer(), but the packet is listed in the buffer
 * before the count says so, and a full buffer is sent with
 * rte_mps_tx_buffer_flush().
 *
 * @param port_id
 *   Port to send on.
 * @param queue_id
 *   TX queue.
 * @param buffer
 *   The buffer, listed with rte_mps_res_tx_buffer().
 * @param tx_pkt
 *   The packet.
 * @return
 *   Number of packets sent (0 while the buffer is not full).
 */
static inline uint16_t
rte_mps_tx_buffer(uint16_t port_id, uint16_t queue_id,
		struct rte_eth_dev_tx_buffer *buffer, struct rte_mbuf *tx_pkt)
{
	uint16_t len = buffer->length;

	buffer->pkts[len] = tx_pkt;
	rte_atomic_store_explicit(&buffer->length, (uint16_t)(len + 1), rte_memory_order_release);
	if (len + 1 < buffer->size)
		return 0;
	return rte_mps_tx_buffer_flush(port_id, queue_id, buffer);
}

/**
 * Send an in-hand burst through a listed TX buffer, safely against kill -9.
 *
 * The burst form of rte_mps_tx_buffer(), for a worker that keeps its
 * received packets in an in-hand burst array (rte_mps_res_burst()) at its
 * full count. A full burst that finds the buffer empty goes to the port
 * straight from @p pkts, which lists it until the port has taken it.
 * Otherwise the packets join the buffer, listed there before its length
 * says so, and the buffer is sent with rte_mps_tx_buffer_flush() each time
 * it fills. Only then is each entry of @p pkts set to NULL: a worker killed
 * in between leaves a packet listed twice, which rte_mps_res_reset() frees
 * once. Unsent packets go to the buffer's error callback.
 *
 * @param port_id
 *   Port to send on.
 * @param queue_id
 *   TX queue.
 * @param buffer
 *   The buffer, listed with rte_mps_res_tx_buffer().
 * @param pkts
 *   The packets, in the objs array of a listed struct rte_mps_burst. Every
 *   entry below @p nb_pkts is NULL on return.
 * @param nb_pkts
 *   Number of packets.
 * @return
 *   Number of packets sent.
 */
static inline uint16_t
rte_mps_tx_buffer_burst(uint16_t port_id, uint16_t queue_id,
		struct rte_eth_dev_tx_buffer *buffer, struct rte_mbuf **pkts, uint16_t nb_pkts)
{
	uint16_t sent = 0;

	if (buffer->length == 0 && nb_pkts == buffer->size) {
		RTE_MPS_KILL_POINT("tx_burst_direct");
		sent = rte_eth_tx_burst(port_id, queue_id, pkts, nb_pkts);
		RTE_MPS_KILL_POINT("tx_burst_sent");
		if (unlikely(sent != nb_pkts)) {
			RTE_MPS_KILL_POINT("tx_burst_partial");
			if (buffer->error_callback != NULL)
				buffer->error_callback(&pkts[sent], (uint16_t)(nb_pkts - sent),
						buffer->error_userdata);
			else
				rte_pktmbuf_free_bulk(&pkts[sent], nb_pkts - sent);
		}
		rte_compiler_barrier();
		memset(pkts, 0, nb_pkts * sizeof(pkts[0]));
		return sent;
	}
	while (nb_pkts != 0) {
		uint16_t len = buffer->length;
		uint16_t k = RTE_MIN(nb_pkts, (uint16_t)(buffer->size - len));

		memcpy(&buffer->pkts[len], pkts, k * sizeof(pkts[0]));
		rte_atomic_store_explicit(&buffer->length, (uint16_t)(len + k),
				rte_memory_order_release);
		RTE_MPS_KILL_POINT("tx_burst_buffered");
		/* a release store orders the stores before it, not those after */
		rte_compiler_barrier();
		memset(pkts, 0, k * sizeof(pkts[0]));
		pkts += k;
		nb_pkts -= k;
		if (len + k == buffer->size)
			sent += rte_mps_tx_buffer_flush(port_id, queue_id, buffer);
	}
	return sent;
}

/**
 * Send a burst, trying again a bounded number of times, and free the rest.
 *
 * A TX ring that is full usually drains within a few polls: the burst is
 * offered again up to @p retries times, with a pause between tries. What
 * the port still refuses is freed, so the caller never holds a packet
 * after the call.
 *
 * @param port_id
 *   Port to send on.
 * @param queue_id
 *   TX queue.
 * @param pkts
 *   The packets.
 * @param nb_pkts
 *   Number of packets.
 * @param retries
 *   Further tries after the first partial send.
 * @return
 *   Number of packets sent; nb_pkts minus that were freed.
 */
static inline uint16_t
rte_mps_tx_burst_retry(uint16_t port_id, uint16_t queue_id, struct rte_mbuf **pkts,
		uint16_t nb_pkts, unsigned int retries)
{
	uint16_t sent = rte_eth_tx_burst(port_id, queue_id, pkts, nb_pkts);
	unsigned int t;

	for (t = 0; unlikely(sent < nb_pkts) && t < retries; t++) {
		RTE_MPS_KILL_POINT("tx_retry_partial");
		rte_pause();
		sent += rte_eth_tx_burst(port_id, queue_id, pkts + sent,
				(uint16_t)(nb_pkts - sent));
	}
	if (unlikely(sent < nb_pkts))
		rte_pktmbuf_free_bulk(pkts + sent, nb_pkts - sent);
	return sent;
}

#ifdef __cplusplus
}
#endif

#endif /* RTE_MPS_TX_H */
