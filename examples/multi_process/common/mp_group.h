/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/**
 * @file
 * Group membership helpers of the multi-process examples (namespace mpc),
 * built on librte_mpsupport's process registry.
 *
 *   - mpc::group_join(): rte_mps_init(), failing with the library's message;
 *     returns -ENOTSUP when the library is not available, so that the app
 *     can go on without it.
 *   - mpc::owner_slot: one 64-bit word in shared memory naming the process
 *     that plays a numbered role (a proc-id, a client id). claim() takes it
 *     when it is free or its owner is dead, and refuses with the live
 *     owner's pid otherwise. Whether an owner is alive is the library's
 *     answer (rte_mps_proc_alive()), so a recycled pid is told apart by its
 *     start time and a killed process counts as alive until its last thread
 *     is gone.
 *   - mpc::watch_primary(): a secondary learns that its primary died (the
 *     library's exit notification, or a look every 100 ms without it),
 *     and mpc::leave_if_orphaned() then ends it with one line.
 */

#ifndef MP_GROUP_H
#define MP_GROUP_H

#include <sys/types.h>

#include <atomic>
#include <cstdint>
#include <type_traits>

#include <rte_common.h>

namespace mpc {

/**
 * Join the group of processes with rte_mps_init(); fail() on an error.
 * @return 0, or -ENOTSUP when librte_mpsupport is not available.
 */
int group_join();

/**
 * Take part in packet capture (dpdk-dumpcap, dpdk-pdump): the primary
 * starts DPDK's capture server, and every process of the group, when
 * in_group (group_join() succeeded), takes part so that capture reaches
 * the ports it polls. Fails the app on error in the primary; a secondary
 * that cannot take part warns and goes on.
 */
void capture_join(bool in_group);

/** Stop taking part in capture, before rte_mps_fini(). */
void capture_leave(bool in_group);

/**
 * Secondary: watch the primary. When it dies, quit_requested() becomes
 * true at once and leave_if_orphaned() ends the process; the app's loops
 * poll quit_requested() already, so that it is gone within a second.
 * Nothing happens in a primary.
 * @param in_group
 *   group_join() succeeded: the library's exit notification tells; else
 *   a thread asks rte_eal_primary_proc_alive() every 100 ms.
 * @param left_on_purpose
 *   nullptr, or tells whether the primary, gone, had left the group to its
 *   secondaries on purpose (then they go on).
 */
void watch_primary(bool in_group, bool (*left_on_purpose)() = nullptr);

/**
 * If the primary died, print "<app>: error: the primary process (pid N)
 * has exited; a secondary cannot go on" and exit with
 * EXIT_FAILURE (as fail() does); else return.
 */
void leave_if_orphaned();

/**
 * The fork server of a primary with ports (rte_mps_forksrv.h). Forked
 * secondaries see the primary's process-local state as it was when the
 * fork server was forked, and a memif connection maps its regions in the
 * process that saw the link come up: the server is forked again whenever a
 * link comes up or goes down.
 */
struct fork_server_links {
	bool on = false;
	uint64_t links = 0;     /**< links up, one bit per port, when it was forked */
};

/** One bit per port of ports[0..n-1] whose link is up. */
uint64_t links_up(const uint16_t *ports, unsigned int n);

/**
 * Fork the fork server (again), and print one line: "<app>: fork server
 * (pid N) ready for forked <who>, links up U of n", or why there is none.
 */
void start_fork_server(fork_server_links &fs, const char *app, const char *who,
		       const uint16_t *ports, unsigned int n);

/** Fork it again if it runs and a link came up or went down since. */
void refresh_fork_server(fork_server_links &fs, const char *app, const char *who,
			 const uint16_t *ports, unsigned int n);

/**
 * Who plays a numbered role, in shared memory: (pid << 32) | low 32 bits of
 * its start time, or 0 when nobody does. One word, so that claiming it is a
 * single compare-and-swap even when the previous owner died mid-way.
 * Value-initialise it (it is then free); never memset over it.
 */
struct alignas(RTE_CACHE_LINE_SIZE) owner_slot {
	std::atomic<uint64_t> owner{0};

	static uint64_t make_word(pid_t pid, uint64_t start_time)
	{
		return (static_cast<uint64_t>(static_cast<uint32_t>(pid)) << 32) |
			static_cast<uint32_t>(start_time);
	}
	static pid_t pid_of(uint64_t word) { return static_cast<pid_t>(word >> 32); }

	/** True when the owner recorded in word is still alive. */
	static bool word_alive(uint64_t word);

	/** The owner word now (0 when free). */
	uint64_t word() const { return owner.load(std::memory_order_acquire); }

	/** True when a live process holds the role. */
	bool held() const { return word_alive(word()); }

	/**
	 * Take the role for the calling process.
	 * @param take_dead
	 *   Also take it over from a dead owner (else -EAGAIN in that case,
	 *   for a role someone else must clean up first).
	 * @return 0, -EBUSY (live owner; *other gets its pid), -EAGAIN, or
	 *   -ESRCH when the caller's own start time cannot be read.
	 */
	int claim(bool take_dead, pid_t *other);

	/** Give the role up if the calling process holds it. */
	void release();

	/** Free the role if word still names its owner (for whoever cleans up). */
	void release_word(uint64_t word);
};
static_assert(std::atomic<uint64_t>::is_always_lock_free, "owner_slot is shared memory");
static_assert(std::is_standard_layout<owner_slot>::value, "owner_slot is shared memory");

} /* namespace mpc */

#endif /* MP_GROUP_H */
