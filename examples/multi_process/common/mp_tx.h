/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/**
 * @file
 * Buffered transmission for the multi-process examples (namespace mpc),
 * on librte_mpsupport's TX helpers.
 */

#ifndef MP_TX_H
#define MP_TX_H

#include <stdint.h>

#include <rte_mbuf.h>
#include <rte_mps_tx.h>

namespace mpc {

/**
 * Buffered transmission on one (port, queue).
 *
 * add() stores an mbuf and sends the whole buffer once it is full; flush()
 * sends what is there. Packets the device still refuses after a few tries
 * are freed and counted in dropped(): the caller never has to clean up.
 */
class tx_buffer {
public:
	static constexpr unsigned int capacity = 64;
	/* Attempts after a partial send before the rest is dropped. */
	static constexpr unsigned int retries = 64;

	void init(uint16_t port, uint16_t queue)
	{
		port_ = port;
		queue_ = queue;
		count_ = 0;
	}

	/** Queue one packet; sends the buffer when it becomes full. */
	inline void add(struct rte_mbuf *m)
	{
		pkts_[count_++] = m;
		if (count_ == capacity)
			flush();
	}

	/** Send whatever is buffered. @return packets handed to the device. */
	inline unsigned int flush()
	{
		if (count_ == 0)
			return 0;
		unsigned int done = rte_mps_tx_burst_retry(port_, queue_, pkts_,
				static_cast<uint16_t>(count_), retries);
		dropped_ += count_ - done;
		sent_ += done;
		count_ = 0;
		return done;
	}

	/** Packets currently buffered (not yet sent). */
	unsigned int pending() const { return count_; }
	uint64_t sent() const { return sent_; }
	uint64_t dropped() const { return dropped_; }
	uint16_t port() const { return port_; }

private:
	struct rte_mbuf *pkts_[capacity];
	unsigned int count_ = 0;
	uint16_t port_ = 0;
	uint16_t queue_ = 0;
	uint64_t sent_ = 0;
	uint64_t dropped_ = 0;
};

} /* namespace mpc */

#endif /* MP_TX_H */
