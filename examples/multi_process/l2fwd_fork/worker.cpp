/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/*
 * The worker process: what runs after fork(), the forwarding fast path.
 *
 * Forked workers follow the fork contract of rte_mpsupport.h: they only use
 * objects created before the fork, never reserve memory, never use IPC,
 * stdio or rte_log, and leave with _exit().
 */

#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <rte_branch_prediction.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_mpsupport.h>
#include <rte_prefetch.h>

#include "l2fwd_fork.h"

namespace l2fwd_fork {

namespace {

/* Packets whose headers are prefetched ahead of the one rewritten. */
constexpr uint16_t prefetch_ahead = 4;
constexpr uint64_t burst_tx_drain_us = 100;

inline void
rewrite_mac(struct rte_mbuf *m, uint16_t dst)
{
	/* destination 02:00:00:00:00:<dst>, source the output port's MAC */
	memcpy(rte_pktmbuf_mtod(m, void *), &ports.tx_addrs[dst],
	       sizeof(ports.tx_addrs[dst]));
}

inline uint16_t
flush_tx(const worker &w, port_counters *counters)
{
	uint16_t total = 0;

	for (unsigned int i = 0; i < w.n_rx_port; i++) {
		uint16_t dst = ports.dst[w.rx_port[i]];
		uint16_t sent = rte_mps_tx_buffer_flush(dst, 0, ports.tx_buffer[dst]);

		if (sent) {
			mpc::counter_add(counters[dst].tx, sent);
			total += sent;
		}
	}
	return total;
}

/*
 * In a build with kill points: whether a burst refilled the worker's cache
 * of its pool from the pool's ring, or flushed it to the ring, so that a
 * test can stop the worker right after either pool path. Empty otherwise.
 */
class cache_watch {
public:
#ifdef RTE_MPS_KILL_POINTS
	explicit cache_watch(const worker &w)
		: cache_(rte_mempool_default_cache(pools.pool[w.group], rte_lcore_id())),
		  before_(cache_ != nullptr ? cache_->len : 0)
	{
	}
	void refilled() const
	{
		if (cache_ != nullptr && cache_->len > before_)
			RTE_MPS_KILL_POINT("worker_rx_refill");
	}
	void flushed() const
	{
		if (cache_ != nullptr && cache_->len < before_)
			RTE_MPS_KILL_POINT("worker_tx_cache_flush");
	}

private:
	const struct rte_mempool_cache *cache_;
	uint32_t before_;
#else
	explicit cache_watch(const worker &)
	{
	}
	void refilled() const
	{
	}
	void flushed() const
	{
	}
#endif
};

/* What the main reacts to is not for a worker process, nor its priority. */
void
leave_main_behaviour()
{
	/* back to the default priority (see supervisor_nice) */
	setpriority(PRIO_PROCESS, 0, 0);

	/* Ctrl-C reaches the whole process group: only the main reacts. */
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	signal(SIGUSR1, SIG_IGN);
	signal(SIGUSR2, SIG_IGN);
}

/* Worker process: forwarding loop. 8< */
void
worker_loop(const worker &w, worker_report &report)
{
	const uint64_t drain_tsc = (rte_get_tsc_hz() + US_PER_S - 1) /
				   US_PER_S * burst_tx_drain_us;
	auto pkts = reinterpret_cast<struct rte_mbuf **>(report.burst->objs);
	port_counters *counters = shared->port;
	uint64_t prev_tsc = rte_rdtsc();
	bool forwarded = false;

	for (;;) {
		uint64_t cur_tsc = rte_rdtsc();
		uint16_t sent = 0;

		/*
		 * Every TX drain period: send what is buffered, then look for a
		 * command. STOP from the main: with everything handed on,
		 * acknowledge and leave.
		 */
		if (unlikely(cur_tsc - prev_tsc > drain_tsc)) {
			sent += flush_tx(w, counters);
			prev_tsc = cur_tsc;
			if (unlikely(rte_mps_cmd_poll(w.index) ==
				     static_cast<int>(RTE_MPS_CMD_STOP))) {
				rte_mps_cmd_ack(w.index, RTE_MPS_CMD_STOP);
				return;
			}
		}

		for (unsigned int i = 0; i < w.n_rx_port; i++) {
			uint16_t port = w.rx_port[i];
			uint16_t dst = ports.dst[port];
			cache_watch rx_watch(w);
			uint16_t nb_rx = rte_eth_rx_burst(port, 0, pkts, max_pkt_burst);
			uint16_t n;

			if (nb_rx == 0)
				continue;
			rx_watch.refilled();
			RTE_MPS_KILL_POINT("worker_rx");
			mpc::counter_add(counters[port].rx, nb_rx);
			for (uint16_t j = 0; j < RTE_MIN(nb_rx, prefetch_ahead); j++)
				rte_prefetch0(rte_pktmbuf_mtod(pkts[j], void *));
			for (uint16_t j = 0; j < nb_rx; j++) {
				if (j + prefetch_ahead < nb_rx)
					rte_prefetch0(rte_pktmbuf_mtod(pkts[j + prefetch_ahead],
								       void *));
				rewrite_mac(pkts[j], dst);
			}
			cache_watch tx_watch(w);
			n = rte_mps_tx_buffer_burst(dst, 0, ports.tx_buffer[dst], pkts, nb_rx);
			tx_watch.flushed();
			if (n) {
				mpc::counter_add(counters[dst].tx, n);
				sent += n;
			}
		}

		if (unlikely(!forwarded && sent != 0)) {
			report.first_fwd_ns.store(now_ns(), std::memory_order_release);
			forwarded = true;
		}
	}
}
/* >8 End of worker process: forwarding loop. */

} /* namespace */

/*
 * Take the life lock for the whole life of this process (see
 * worker_report), and wake the death watcher, which then blocks on it.
 * Without it (it cannot fail on a sound mutex) the pidfd alone tells of
 * this process's death.
 */
void
take_life_lock(worker_report &report)
{
	int ret = pthread_mutex_lock(&report.life);

	/* the watcher had not taken the death of the one before in yet */
	if (ret == EOWNERDEAD)
		ret = pthread_mutex_consistent(&report.life);
	if (ret != 0)
		return;
	report.life_pid.store(getpid(), std::memory_order_relaxed);
	report.life_gen.fetch_add(1, std::memory_order_release);
	syscall(SYS_futex, reinterpret_cast<uint32_t *>(&report.life_gen), FUTEX_WAKE,
		INT32_MAX, nullptr, nullptr, 0);
}

/* TX error callback: free the packets the port did not take, count them. */
void
count_tx_drops(struct rte_mbuf **pkts, uint16_t unsent, void *counter)
{
	for (uint16_t i = 0; i < unsent; i++) {
		rte_pktmbuf_free(pkts[i]);
		RTE_MPS_KILL_POINT("worker_drop_free");
	}
	mpc::counter_add(*static_cast<std::atomic<uint64_t> *>(counter), unsent);
}

/*
 * Standby process: entry after fork(). Sleeps in the kernel, taking no CPU,
 * until the main writes this process's pid in the futex word (it has then
 * attached it to the worker: return, and run as the worker) or
 * standby_quit (leave). The word is in hugepage memory shared with the
 * main, so the futex is a shared one (no FUTEX_PRIVATE_FLAG).
 */
/* Standby process: park until woken. 8< */
void
standby_park(const worker &w)
{
	worker_report &report = shared->worker[w.lcore_id];
	auto word = reinterpret_cast<uint32_t *>(&report.standby_go);
	const auto me = static_cast<uint32_t>(getpid());

	leave_main_behaviour();
	report.standby_pid.store(static_cast<int32_t>(me), std::memory_order_release);
	for (;;) {
		uint32_t go = report.standby_go.load(std::memory_order_acquire);

		if (go == me)
			return;
		if (go == standby_quit)
			rte_mps_child_exit(0);
		/* returns at once if the word is no longer go */
		syscall(SYS_futex, word, FUTEX_WAIT, go, nullptr, nullptr, 0);
	}
}
/* >8 End of standby process: park until woken. */

/* Worker process: entry after fork(). Never returns. */
void
worker_process(const worker &w)
{
	worker_report &report = shared->worker[w.lcore_id];
	int code = 0;

	leave_main_behaviour();

	/* Floating worker: leave the CPU and take an lcore id of its own. 8< */
	if (opts.floating) {
		rte_mps_lcore_unpin();
		/* rte_lcore_id() becomes an id no other process uses */
		if (rte_mps_lcore_claim() < 0)
			rte_mps_child_exit(2);
	}
	/* >8 End of floating worker: leave the CPU and take an lcore id of its own. */

	/* the reset gave the mbufs back but left the pointers */
	memset(report.burst->objs, 0, report.burst->size * sizeof(report.burst->objs[0]));
	rte_atomic_store_explicit(&report.burst->count, report.burst->size,
				  rte_memory_order_release);

	/* a point is armed once: the instances after the one stopped there run on */
	for (kill_point_slot &k : shared->kill)
		if (k.worker == static_cast<int32_t>(w.index) &&
		    rte_atomic_load_explicit(&k.point.parked_pid, rte_memory_order_acquire) == 0)
			rte_mps_kill_point_arm(&k.point);

	report.first_fwd_ns.store(0, std::memory_order_relaxed);
	report.lcore_id.store(rte_lcore_id(), std::memory_order_relaxed);
	report.start_ns.store(now_ns(), std::memory_order_relaxed);
	report.pid.store(getpid(), std::memory_order_release);
	take_life_lock(report);

	worker_loop(w, report);

	if (opts.floating && rte_mps_lcore_release(1) < 0)
		code = 3;
	/* a stop, not a death: the watcher takes the lock with no EOWNERDEAD */
	pthread_mutex_unlock(&report.life);
	rte_mps_child_exit(code);
}

} /* namespace l2fwd_fork */
