/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/**
 * @file
 * Helpers shared by the multi-process examples (namespace mpc).
 *
 * Every example does the same chores around its packet loop; they live here
 * once so that each main.cpp shows only what is particular to its model.
 *
 * Start-up
 *   - mpc::eal_init(argc, argv): name the app after argv[0], catch SIGINT
 *     and SIGTERM, run rte_eal_init() (one error line and exit on failure);
 *     returns the number of EAL arguments to skip before the app's own.
 *
 * Errors
 *   - mpc::fail(fmt, ...): print "<app>: error: <message>" as one line on
 *     stderr, shut the EAL down (rte_eal_cleanup) and exit(EXIT_FAILURE).
 *     Use it for every bad argument or bad shared state after rte_eal_init().
 *   - mpc::set_app_name(argv[0]) once at start so messages name the binary.
 *
 * Parsing (return 0, or -EINVAL for anything that is not a whole number in
 * range; the caller names the bad value in its error)
 *   - mpc::parse_portmask("0x3", &mask): hexadecimal, with or without 0x,
 *     non-zero, at most 64 bits.
 *   - mpc::parse_uint("4", max, &v): decimal, 0 <= v <= max.
 *   - mpc::ports_from_mask(mask, ports, err): the port ids of the mask, in
 *     order; fails (message in err) when a bit names a port that does not
 *     exist in this process.
 *
 * Ports
 *   - mpc::port_init(port, pool, nb_rxq, nb_txq, err): configure with RSS
 *     over the IP fields when there are several RX queues and the device can
 *     hash, set up the queues with the device's preferred ring sizes, enable
 *     promiscuous mode (when supported) and start the port. Primary only.
 *   - mpc::paired_port(ports, i): the port that index i forwards to
 *     (0<->1, 2<->3, ...). Needs an even number of ports.
 *
 * Statistics
 *   - mpc::PortCounters: rx/tx/drop counters of one port for one lcore,
 *     alone on its cache line so that no two writers share a line.
 *   - mpc::print_port_table(out, ports): the ethdev counters of each port
 *     (ipackets, opackets, imissed, oerrors), read with rte_eth_stats_get.
 *
 * Buffered TX
 *   - mpc::TxBuffer: collects mbufs for one (port, queue) and sends them with
 *     rte_eth_tx_burst when the buffer fills or on flush(); whatever the
 *     device refuses after a few retries is freed and counted in dropped,
 *     so no mbuf is ever leaked.
 *
 * Ownership of a numbered role (a proc-id, a client id)
 *   - mpc::OwnerSlot: one 64-bit word in shared memory holding the pid and
 *     start time of the process playing the role. claim() takes it when it
 *     is free or its owner is dead (a recycled pid is told apart by its
 *     start time), and refuses with the live owner's pid otherwise.
 *
 * Signals
 *   - mpc::install_signal_handlers(): SIGINT and SIGTERM set a flag.
 *   - mpc::quit_requested(): true once one of them arrived; packet loops
 *     poll it and return so that main() can print statistics and clean up.
 */

#ifndef MP_COMMON_H
#define MP_COMMON_H

#include <stdint.h>
#include <stdio.h>

#include <atomic>
#include <string>
#include <vector>

#include <rte_common.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_pause.h>

namespace mpc {

/**
 * Set the app up and initialise the EAL; exit with one error line if that fails.
 * @return the number of arguments rte_eal_init() consumed.
 */
int eal_init(int argc, char **argv);

/** Set the program name used in error messages (basename of argv0). */
void set_app_name(const char *argv0);

/** The program name set by set_app_name(). */
const char *app_name();

/**
 * Print one "<app>: error: ..." line on stderr, call rte_eal_cleanup() and
 * exit with EXIT_FAILURE. Safe to call before rte_eal_init() succeeded only
 * with eal_up set to false.
 */
[[noreturn]] void fail(const char *fmt, ...) __rte_format_printf(1, 2);

/** Tell fail() whether the EAL is initialised (and must be cleaned up). */
void set_eal_up(bool up);

/** Parse a hexadecimal, non-zero port mask. @return 0 or -EINVAL. */
int parse_portmask(const char *arg, uint64_t *mask);

/** Parse a decimal number in [0, max]. @return 0 or -EINVAL. */
int parse_uint(const char *arg, unsigned long max, unsigned long *value);

/**
 * Fill ports with the port ids set in mask, lowest first.
 * @return 0, or -ENODEV with err naming the first missing port.
 */
int ports_from_mask(uint64_t mask, std::vector<uint16_t> &ports, std::string &err);

/** Index of the port that ports[i] forwards to: i ^ 1. */
static inline unsigned
paired_index(unsigned i)
{
	return i ^ 1u;
}

/**
 * Configure and start one port with nb_rxq RX and nb_txq TX queues.
 * @return 0, or a negative errno with err saying which step failed.
 */
int port_init(uint16_t port, struct rte_mempool *pool, uint16_t nb_rxq,
	      uint16_t nb_txq, std::string &err);

/** Per-lcore, per-port packet counters, one cache line each. */
struct alignas(RTE_CACHE_LINE_SIZE) PortCounters {
	uint64_t rx = 0;
	uint64_t tx = 0;
	uint64_t drop = 0;
};

/** Print the ethdev counters of each port as a table. */
void print_port_table(FILE *out, const std::vector<uint16_t> &ports);

/**
 * Buffered transmission on one (port, queue).
 *
 * add() stores an mbuf and sends the whole buffer once it is full; flush()
 * sends what is there. Packets the device still refuses after a few tries
 * are freed and counted in dropped(): the caller never has to clean up.
 */
class TxBuffer {
public:
	static constexpr unsigned capacity = 64;
	/* Attempts after a partial send before the rest is dropped. */
	static constexpr unsigned retries = 64;

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
	inline unsigned flush()
	{
		if (count_ == 0)
			return 0;
		unsigned done = rte_eth_tx_burst(port_, queue_, pkts_, (uint16_t)count_);
		for (unsigned t = 0; unlikely(done < count_) && t < retries; t++) {
			rte_pause();
			done += rte_eth_tx_burst(port_, queue_, pkts_ + done,
						 (uint16_t)(count_ - done));
		}
		if (done < count_) {
			rte_pktmbuf_free_bulk(pkts_ + done, count_ - done);
			dropped_ += count_ - done;
		}
		sent_ += done;
		count_ = 0;
		return done;
	}

	/** Packets currently buffered (not yet sent). */
	unsigned pending() const { return count_; }
	uint64_t sent() const { return sent_; }
	uint64_t dropped() const { return dropped_; }
	uint16_t port() const { return port_; }

private:
	struct rte_mbuf *pkts_[capacity];
	unsigned count_ = 0;
	uint16_t port_ = 0;
	uint16_t queue_ = 0;
	uint64_t sent_ = 0;
	uint64_t dropped_ = 0;
};

/** Start time of a process in clock ticks since boot (0 if it is gone). */
uint64_t proc_start_time(int pid);

/** True when pid is running and started at start_time (not a recycled pid). */
bool proc_is(int pid, uint64_t start_time);

/**
 * Who plays a numbered role, in shared memory: (pid << 32) | low 32 bits of
 * its start time, or 0 when nobody does. One word, so that claiming it is a
 * single compare-and-swap even when the previous owner died mid-way.
 */
struct alignas(RTE_CACHE_LINE_SIZE) OwnerSlot {
	std::atomic<uint64_t> owner{0};

	static uint64_t make(int pid, uint64_t start_time)
	{
		return ((uint64_t)(uint32_t)pid << 32) | (uint32_t)start_time;
	}
	static int pid_of(uint64_t word) { return (int)(word >> 32); }

	/** True when the recorded owner is still running. */
	static bool word_alive(uint64_t word);

	/**
	 * Take the role for the calling process.
	 * @param take_dead
	 *   Also take it over from a dead owner (else -EAGAIN in that case,
	 *   for a role someone else must clean up first).
	 * @return 0, -EBUSY (live owner; *other gets its pid) or -EAGAIN.
	 */
	int claim(bool take_dead, int *other);

	/** Give the role up if the calling process holds it. */
	void release();
};

/** Make SIGINT and SIGTERM set the quit flag instead of killing us. */
void install_signal_handlers();

/** The flag set by the signal handlers. */
extern std::atomic<bool> quit_flag;

/** True once SIGINT or SIGTERM arrived. */
static inline bool
quit_requested()
{
	return quit_flag.load(std::memory_order_relaxed);
}

} /* namespace mpc */

#endif /* MP_COMMON_H */
