/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/*
 * The supervisor, in the main process: the lcore threads that fork the
 * workers and wait for them, and the main thread's loop that learns of
 * their exits, restarts them with back-off and stops them at the end.
 */

#include <errno.h>
#include <time.h>
#include <inttypes.h>
#include <linux/futex.h>
#include <poll.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_thread.h>
#include <rte_mpsupport.h>

#include "mp_common.h"
#include "l2fwd_fork.h"

namespace l2fwd_fork {

namespace {

/* Bound on the STOP handshake at shutdown; the tracker sends SIGKILL after it. */
constexpr unsigned int shutdown_stop_timeout_ms = 1000;
/* Bound on the whole shutdown of the workers. */
constexpr uint64_t shutdown_timeout_ms = 3000;
/* Bound on the wait for the exit reports of a stopped group. */
constexpr uint64_t exit_report_timeout_ms = 1000;
/* How long the main watches for a new worker's first forwarded packet. */
constexpr uint64_t first_fwd_watch_s = 5;

/* Written by the main thread, read by the telemetry thread too. */
struct supervisor_state {
	std::atomic<bool> quiesced{false}; /* workers stopped for good, the main stays */
	std::atomic<bool> watch_quit{false}; /* the death watchers leave */
};
supervisor_state sup;

inline uint64_t
bit(unsigned int i)
{
	return UINT64_C(1) << i;
}

/* A standby died while parked: replace it, no recovery. */
void
standby_exited(worker &w, const struct rte_mps_exit_info *info)
{
	w.standby.store(0, std::memory_order_relaxed);
	if (mpc::quit_requested() ||
	    sup.quiesced.load(std::memory_order_relaxed))
		return;
	w.standby_lost.fetch_add(1, std::memory_order_relaxed);
	w.standby_due = true;
	printf("l2fwd_fork: worker %u (lcore %u) standby pid %d died parked "
	       "(signal %d, code %d): replaced\n", w.index, w.lcore_id,
	       static_cast<int>(info->pid), static_cast<int>(info->signal),
	       static_cast<int>(info->exit_code));
}

/*
 * Exit callback, run on the main thread by rte_mps_exit_notify_poll(), for
 * worker processes and standbys alike: a standby woken to run the worker
 * has become its current process.
 */
void
worker_exited(const struct rte_mps_exit_info *info, void *arg)
{
	auto w = static_cast<worker *>(arg);

	if (info->pid == w->standby.load(std::memory_order_relaxed)) {
		standby_exited(*w, info);
		return;
	}
	if (info->pid != w->pid.load(std::memory_order_acquire))
		return;    /* a standby released at the end, or never woken */
	w->exit_ns = info->detect_ns;
	w->last_exit.signal.store(info->signal, std::memory_order_relaxed);
	w->last_exit.code.store(info->exit_code, std::memory_order_relaxed);
	w->last_exit.seen_ns.store(info->detect_ns, std::memory_order_relaxed);
	w->last_exit.pid.store(info->pid, std::memory_order_release);
	if (info->signal != 0)
		printf("l2fwd_fork: worker %u (lcore %u) pid %d killed by signal %d "
		       "(seen at %" PRIu64 " ns)\n", w->index, w->lcore_id,
		       static_cast<int>(info->pid), static_cast<int>(info->signal),
		       info->detect_ns);
	else
		printf("l2fwd_fork: worker %u (lcore %u) pid %d exited with code %d "
		       "(seen at %" PRIu64 " ns)\n", w->index, w->lcore_id,
		       static_cast<int>(info->pid), static_cast<int>(info->exit_code),
		       info->detect_ns);
}

/* Watch a child of this lcore thread; the library reaps it. */
bool
watch_child(worker &w, pid_t pid)
{
	if (rte_mps_exit_notify_register(pid, RTE_MPS_NOTIFY_DEFER |
			RTE_MPS_NOTIFY_ONESHOT | RTE_MPS_NOTIFY_REAP,
			worker_exited, &w) < 0) {
		while (waitpid(pid, nullptr, 0) < 0 && errno == EINTR)
			;
		return false;
	}
	return true;
}

/* Fork one worker process. */
void
fork_worker(worker &w)
{
	uint64_t launch_ns = now_ns();
	pid_t pid;

	w.launch_ns.store(launch_ns, std::memory_order_release);
	pid = rte_mps_fork(static_cast<int>(w.index));
	if (pid == 0)
		worker_process(w);
	if (pid < 0) {
		printf("l2fwd_fork: worker %u (lcore %u): fork failed: %s\n",
		       w.index, w.lcore_id, rte_mps_strerror());
		w.fork_failed.store(true, std::memory_order_release);
		return;
	}
	w.from_standby.store(false, std::memory_order_relaxed);
	w.pid.store(pid, std::memory_order_release);
	printf("l2fwd_fork: worker %u (lcore %u) started, pid %d (launched at %" PRIu64
	       " ns)\n", w.index, w.lcore_id, static_cast<int>(pid), launch_ns);
	/*
	 * The library reaps the child once it has read how it ended and queues
	 * the news for the main thread.
	 */
	watch_child(w, pid);
}

/*
 * Fork the standby of a worker: from the worker's lcore thread, so that it
 * has the worker's lcore id and CPU as a worker forked then would. It parks
 * at once; the main wakes it in place of a fork (wake_standby()).
 */
void
fork_standby(worker &w)
{
	pid_t pid;

	/*
	 * No reset of the futex word: it holds the pid of the previous standby,
	 * which may be reading it still, or standby_quit at the end.
	 */
	if (mpc::quit_requested() ||
	    sup.quiesced.load(std::memory_order_relaxed))
		return;
	pid = rte_mps_fork_standby(static_cast<int>(w.index));
	if (pid == 0) {
		standby_park(w);
		worker_process(w);
	}
	if (pid < 0) {
		printf("l2fwd_fork: worker %u (lcore %u): no standby, fork failed: %s\n",
		       w.index, w.lcore_id, rte_mps_strerror());
		return;
	}
	w.standby_forks.fetch_add(1, std::memory_order_relaxed);
	/* known before its exit can be reported, so that the report is not dropped */
	w.standby.store(pid, std::memory_order_release);
	if (!watch_child(w, pid))
		w.standby.store(0, std::memory_order_release);
}

/*
 * Lcore function of the main process, launched once per worker lcore: each
 * time the main thread says go, fork one worker process or one standby,
 * then stay parked. The tracker in librte_mpsupport watches the worker
 * with a pidfd and tells the main thread, which does the recovery; this
 * thread is woken by a semaphore rather than relaunched, so that a restart
 * costs one wake-up.
 */
/* Launch a worker process from an EAL lcore thread. 8< */
int
worker_launch(void *arg)
{
	auto w = static_cast<worker *>(arg);

	for (;;) {
		while (sem_wait(&w->go) < 0 && errno == EINTR)
			;
		if (w->quit.load(std::memory_order_acquire))
			return 0;
		if (w->want_worker.exchange(false, std::memory_order_acq_rel))
			fork_worker(*w);
		if (w->want_standby.exchange(false, std::memory_order_acq_rel))
			fork_standby(*w);
	}
}
/* >8 End of launch a worker process from an EAL lcore thread. */

/*
 * Run the worker's parked standby: attach it to the worker (the tracker
 * watches it from now on), then write its pid in the futex word and wake
 * it. It then claims the lcore id, queues and pool state as a freshly forked
 * worker does. False if there is none, or it died meanwhile.
 */
/* Wake a standby. 8< */
bool
wake_standby(worker &w)
{
	worker_report &report = shared->worker[w.lcore_id];
	int32_t pid = w.standby.exchange(0, std::memory_order_acq_rel);
	uint64_t launch_ns = now_ns();

	if (pid <= 0)
		return false;
	if (rte_mps_worker_attach(w.index, pid) < 0) {
		/* its exit report, when it comes, names no current process */
		w.standby_lost.fetch_add(1, std::memory_order_relaxed);
		printf("l2fwd_fork: worker %u (lcore %u) standby pid %d lost: %s\n",
		       w.index, w.lcore_id, static_cast<int>(pid), rte_mps_strerror());
		return false;
	}
	w.launch_ns.store(launch_ns, std::memory_order_release);
	w.from_standby.store(true, std::memory_order_relaxed);
	w.pid.store(pid, std::memory_order_release);
	report.standby_go.store(static_cast<uint32_t>(pid), std::memory_order_release);
	syscall(SYS_futex, reinterpret_cast<uint32_t *>(&report.standby_go), FUTEX_WAKE,
		1, nullptr, nullptr, 0);
	w.standby_wakes.fetch_add(1, std::memory_order_relaxed);
	printf("l2fwd_fork: worker %u (lcore %u) started, pid %d (standby woken at %"
	       PRIu64 " ns)\n", w.index, w.lcore_id, static_cast<int>(pid), launch_ns);
	return true;
}
/* >8 End of wake a standby. */

void
start_worker(worker &w)
{
	w.exit_ns = 0;
	w.fwd_reported = false;
	w.restart_at_ns = 0;
	w.running.store(true, std::memory_order_relaxed);
	w.standby_due = opts.standby;
	if (opts.standby && wake_standby(w))
		return;
	w.pid.store(0, std::memory_order_release);
	w.want_worker.store(true, std::memory_order_release);
	sem_post(&w.go);
}

/*
 * Fork the standbys that are due, off the critical path: once every running
 * worker of the group forwards (a fork on their CPUs would delay them), or
 * after the watch on the first packet ends.
 */
void
refill_standbys(uint64_t now)
{
	for (unsigned int i = 0; i < workers.count; i++) {
		worker &w = workers.w[i];
		bool group_forwards = true;

		if (!w.standby_due || sup.quiesced.load(std::memory_order_relaxed) ||
		    w.failed.load(std::memory_order_relaxed))
			continue;
		for (unsigned int k = 0; k < workers.count; k++) {
			const worker &o = workers.w[k];

			if ((w.pair_mask & bit(k)) != 0 &&
			    o.running.load(std::memory_order_relaxed) && !o.fwd_reported &&
			    now < o.launch_ns.load(std::memory_order_acquire) +
			    first_fwd_watch_s * ns_per_s)
				group_forwards = false;
		}
		if (!group_forwards || w.standby.load(std::memory_order_acquire) != 0)
			continue;
		w.standby_due = false;
		w.want_standby.store(true, std::memory_order_release);
		sem_post(&w.go);
	}
}

/*
 * Tell the parked standbys to leave, and take their exit reports in
 * (bounded): they hold nothing, and no new one is forked afterwards.
 */
void
release_standbys(uint64_t deadline_ns)
{
	struct pollfd pfd = {rte_mps_exit_notify_fd(), POLLIN, 0};
	bool any;

	for (unsigned int i = 0; i < workers.count; i++) {
		worker_report &report = shared->worker[workers.w[i].lcore_id];

		workers.w[i].standby_due = false;
		report.standby_go.store(standby_quit, std::memory_order_release);
		syscall(SYS_futex, reinterpret_cast<uint32_t *>(&report.standby_go),
			FUTEX_WAKE, 1, nullptr, nullptr, 0);
	}
	do {
		rte_mps_exit_notify_poll();
		any = false;
		for (unsigned int i = 0; i < workers.count; i++)
			if (workers.w[i].standby.load(std::memory_order_acquire) != 0)
				any = true;
		if (any && (pfd.fd < 0 || poll(&pfd, 1, 1) < 0))
			rte_delay_us_sleep(1000);
	} while (any && now_ns() < deadline_ns);
}

/*
 * A group can be ready before the exit of each of its workers has been
 * reported (the tracker and the exit notification watch apart): take the
 * reports in until each worker of the group that had a process has one,
 * waiting on the notification's eventfd, up to the deadline. Returns the
 * workers whose exit is still unreported.
 */
uint64_t
await_exit_reports(uint64_t group, uint64_t deadline_ns)
{
	struct pollfd pfd = {rte_mps_exit_notify_fd(), POLLIN, 0};

	for (;;) {
		uint64_t missing = 0;

		rte_mps_exit_notify_poll();
		for (unsigned int i = 0; i < workers.count; i++)
			if ((group & bit(i)) != 0 && workers.w[i].exit_ns == 0 &&
			    workers.w[i].pid.load(std::memory_order_acquire) != 0)
				missing |= bit(i);
		if (missing == 0 || now_ns() >= deadline_ns)
			return missing;
		if (pfd.fd < 0 || poll(&pfd, 1, 1) < 0)
			rte_delay_us_sleep(1000);
	}
}

/*
 * A group of workers stopped by the tracker (one exited, its pair was
 * stopped, their resources were given back): decide when to start them
 * again, with back-off for crash loops.
 */
/* Recover from a worker exit. 8< */
void
handle_ready(uint64_t ready, uint64_t now)
{
	uint64_t group = 0;
	uint64_t seen = 0;
	bool young = false;
	bool failed = false;

	for (unsigned int i = 0; i < workers.count; i++) {
		worker &w = workers.w[i];

		if ((ready & bit(i)) == 0)
			continue;
		group |= bit(i);
		seen = RTE_MAX(seen, w.exit_ns);
		w.running.store(false, std::memory_order_relaxed);
		/* the pair of a worker that failed fails with it */
		if (w.failed.load(std::memory_order_relaxed))
			failed = true;
		if (now - w.launch_ns.load(std::memory_order_acquire) <
		    opts.young_ms * ns_per_ms)
			young = true;
	}
	if (opts.floating)
		rte_mps_lcore_reclaim();
	if (seen != 0)
		record_recovery(group, seen, now);

	for (unsigned int i = 0; i < workers.count; i++) {
		worker &w = workers.w[i];
		unsigned int recent = 0;
		uint64_t delay_ms = 0;

		if ((group & bit(i)) == 0 || w.failed.load(std::memory_order_relaxed))
			continue;
		if (young) {
			w.young_ns[w.n_young++ % restart_limit] = now;
			w.quick++;
		} else {
			w.quick = 0;
		}
		for (unsigned int k = 0; k < RTE_MIN(w.n_young, restart_limit); k++)
			if (now - w.young_ns[k] < opts.restart_window_s * ns_per_s)
				recent++;
		if (recent >= restart_limit) {
			failed = true;
			continue;
		}
		if (w.quick > 1)
			delay_ms = RTE_MIN(backoff_base_ms << (w.quick - 2), backoff_max_ms);
		w.restart_at_ns = now + delay_ms * ns_per_ms;
		if (delay_ms)
			printf("l2fwd_fork: worker %u restarts in %" PRIu64
			       " ms (back-off)\n", i, delay_ms);
	}

	if (failed) {
		/* the whole group stays down, the other pairs keep running */
		for (unsigned int i = 0; i < workers.count; i++) {
			worker &w = workers.w[i];

			if ((group & bit(i)) == 0 || w.failed.load(std::memory_order_relaxed))
				continue;
			w.failed.store(true, std::memory_order_relaxed);
			w.restart_at_ns = 0;
			printf("l2fwd_fork: worker %u (lcore %u) failed: %u restarts "
			       "within %u s, not restarted\n", i, w.lcore_id,
			       restart_limit, opts.restart_window_s);
		}
	}
	fflush(stdout);
}
/* >8 End of recover from a worker exit. */

void
start_due_workers(uint64_t now)
{
	for (unsigned int i = 0; i < workers.count; i++) {
		worker &w = workers.w[i];

		if (sup.quiesced.load(std::memory_order_relaxed) ||
		    w.failed.load(std::memory_order_relaxed) ||
		    w.running.load(std::memory_order_relaxed) ||
		    w.restart_at_ns == 0 || w.restart_at_ns > now)
			continue;
		w.restarts.fetch_add(1, std::memory_order_relaxed);
		start_worker(w);
	}
}

/* A worker that could not even be forked fails, and its pair is stopped. */
void
check_fork_failures()
{
	for (unsigned int i = 0; i < workers.count; i++) {
		worker &w = workers.w[i];

		if (!w.fork_failed.exchange(false, std::memory_order_acq_rel))
			continue;
		printf("l2fwd_fork: worker %u (lcore %u) failed: cannot fork\n",
		       i, w.lcore_id);
		w.failed.store(true, std::memory_order_relaxed);
		w.running.store(false, std::memory_order_relaxed);
		if ((w.pair_mask & ~bit(i)) != 0)
			rte_mps_group_stop(w.pair_mask & ~bit(i));
	}
}

/* Report the first packet forwarded by each new worker instance. */
bool
check_first_forward()
{
	bool pending = false;

	for (unsigned int i = 0; i < workers.count; i++) {
		worker &w = workers.w[i];
		const worker_report &report = shared->worker[w.lcore_id];
		int32_t pid = w.pid.load(std::memory_order_acquire);
		uint64_t launch = w.launch_ns.load(std::memory_order_acquire);
		uint64_t first;

		if (!w.running.load(std::memory_order_relaxed) || w.fwd_reported ||
		    pid <= 0 || now_ns() - launch > first_fwd_watch_s * ns_per_s)
			continue;
		first = report.first_fwd_ns.load(std::memory_order_acquire);
		if (report.pid.load(std::memory_order_acquire) != pid || first == 0) {
			pending = true;
			continue;
		}
		w.fwd_reported = true;
		printf("l2fwd_fork: worker %u (lcore %u as lcore id %u) pid %d "
		       "forwarding: first packet at %" PRIu64 " ns, %.3f ms after launch\n",
		       i, w.lcore_id, report.lcore_id.load(std::memory_order_relaxed),
		       static_cast<int>(pid), first,
		       static_cast<double>(first - launch) / static_cast<double>(ns_per_ms));
	}
	fflush(stdout);
	return pending;
}

/* Stop every running worker, SIGKILL those that do not answer, reset them. */
void
stop_running_workers()
{
	uint64_t running = 0, stopped = 0;
	uint64_t deadline = now_ns() + shutdown_timeout_ms * ns_per_ms;

	for (unsigned int i = 0; i < workers.count; i++) {
		workers.w[i].restart_at_ns = 0;
		if (workers.w[i].running.load(std::memory_order_relaxed))
			running |= bit(i);
	}
	/*
	 * A worker asked for and not forked yet (a stop signal right after the
	 * launch) would miss the stop: wait for its lcore thread to fork it.
	 */
	auto unforked = [running] {
		for (unsigned int i = 0; i < workers.count; i++) {
			const worker &w = workers.w[i];
			if ((running & bit(i)) && w.pid.load(std::memory_order_acquire) == 0 &&
			    !w.fork_failed.load(std::memory_order_acquire))
				return true;
		}
		return false;
	};
	while (unforked() && now_ns() < deadline)
		usleep(1000);
	rte_mps_tracker_set_timeout(shutdown_stop_timeout_ms);
	if (running != 0 && rte_mps_group_stop(running) < 0)
		printf("l2fwd_fork: cannot stop workers: %s\n", rte_mps_strerror());
	while ((stopped & running) != running && now_ns() < deadline) {
		uint64_t ready = 0;

		if (rte_mps_group_wait(&ready, 100) > 0)
			stopped |= ready;
		rte_mps_exit_notify_poll();
	}
	if ((stopped & running) != running)
		printf("l2fwd_fork: workers 0x%" PRIx64 " did not stop in %" PRIu64 " ms\n",
		       running & ~stopped, shutdown_timeout_ms);
	await_exit_reports(running, deadline);
	if (opts.standby)
		release_standbys(deadline);
	for (unsigned int i = 0; i < workers.count; i++)
		workers.w[i].running.store(false, std::memory_order_relaxed);
	if (opts.floating)
		rte_mps_lcore_reclaim();
}

/*
 * Death watcher of a worker, a thread of the main: it sleeps on the futex
 * word life_gen until an instance holds the life lock, then in
 * pthread_mutex_lock() on it. When the holder dies, the kernel wakes it
 * with EOWNERDEAD from the dead thread's exit_mm(), before the address
 * space is released and before the pidfd is readable: it tells the
 * tracker at once (rte_mps_worker_died()), which stops the partners while
 * the dead process is still being torn down. The reset still waits for the
 * pidfds. No step polls: each wait is a sleep in the kernel.
 */
/* Death watcher. 8< */
uint32_t
death_watch(void *arg)
{
	auto w = static_cast<worker *>(arg);
	worker_report &report = shared->worker[w->lcore_id];
	uint32_t seen = 0;

	/*
	 * Any CPU, as the library's own threads: a control thread is pinned
	 * to the main lcore's CPU when the lcores take them all, and a busy
	 * worker there would delay its wake-up by a time slice.
	 */
	rte_mps_lcore_unpin();
	for (;;) {
		uint32_t gen = report.life_gen.load(std::memory_order_acquire);
		int ret;

		if (sup.watch_quit.load(std::memory_order_acquire)) {
			sem_post(&w->watcher_left);
			return 0;
		}
		if (gen == seen) {
			syscall(SYS_futex, reinterpret_cast<uint32_t *>(&report.life_gen),
				FUTEX_WAIT, gen, nullptr, nullptr, 0);
			continue;
		}
		seen = gen;
		ret = pthread_mutex_lock(&report.life);
		if (ret == EOWNERDEAD) {
			uint64_t t = now_ns();
			int32_t pid = report.life_pid.load(std::memory_order_relaxed);

			pthread_mutex_consistent(&report.life);
			w->robust_pid.store(pid, std::memory_order_relaxed);
			w->robust_ns.store(t, std::memory_order_release);
			if (!mpc::quit_requested())
				rte_mps_worker_died(w->index, pid);
		}
		if (ret == 0 || ret == EOWNERDEAD)
			pthread_mutex_unlock(&report.life);
	}
}
/* >8 End of death watcher. */

void
start_death_watchers()
{
	for (unsigned int i = 0; i < workers.count; i++) {
		worker &w = workers.w[i];

		char name[16];  /* a thread name, NUL included */

		snprintf(name, sizeof(name), "l2fwd-watch-%u", i);
		if (sem_init(&w.watcher_left, 0, 0) < 0 ||
		    rte_thread_create_control(&w.watcher, name, death_watch, &w) != 0)
			fail("cannot create the death watcher of worker %u", i);
		w.watching = true;
	}
}

/* After the workers have stopped: nothing holds a life lock any more. */
void
stop_death_watchers()
{
	sup.watch_quit.store(true, std::memory_order_release);
	for (unsigned int i = 0; i < workers.count; i++) {
		worker &w = workers.w[i];
		worker_report &report = shared->worker[w.lcore_id];
		struct timespec ts;
		int left;

		if (!w.watching)
			continue;
		report.life_gen.fetch_add(1, std::memory_order_release);
		syscall(SYS_futex, reinterpret_cast<uint32_t *>(&report.life_gen),
			FUTEX_WAKE, INT32_MAX, nullptr, nullptr, 0);
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += 1;
		/* bounded: one blocked on a lock left held stays, detached */
		while ((left = sem_timedwait(&w.watcher_left, &ts)) < 0 && errno == EINTR)
			;
		if (left == 0)
			rte_thread_join(w.watcher, nullptr);
		else
			rte_thread_detach(w.watcher);
		w.watching = false;
	}
}

} /* namespace */

/* Start the lcore threads, then the first instance of every worker. */
void
launch_workers()
{
	for (unsigned int i = 0; i < workers.count; i++) {
		worker &w = workers.w[i];

		if (sem_init(&w.go, 0, 0) < 0 ||
		    rte_eal_remote_launch(worker_launch, &w, w.lcore_id) < 0)
			fail("cannot launch worker %u on lcore %u", i, w.lcore_id);
	}
	start_death_watchers();
	for (unsigned int i = 0; i < workers.count; i++)
		start_worker(workers.w[i]);
}

/* Main loop: statistics, recovery, and the signals. */
void
supervise()
{
	uint64_t next_stats = opts.timer_period_s ?
		now_ns() + opts.timer_period_s * ns_per_s : UINT64_MAX;
	bool pending = true;

	while (!mpc::quit_requested()) {
		uint64_t ready = 0;
		uint64_t now = now_ns();
		uint64_t wake = next_stats;
		int timeout_ms;
		int n;

		for (unsigned int i = 0; i < workers.count; i++)
			if (workers.w[i].restart_at_ns != 0)
				wake = RTE_MIN(wake, workers.w[i].restart_at_ns);
		/* a short wait only while a new worker has not forwarded yet */
		timeout_ms = pending ? 1 : 50;
		if (wake <= now)
			timeout_ms = 0;
		else if (wake - now < static_cast<uint64_t>(timeout_ms) * ns_per_ms)
			timeout_ms = static_cast<int>((wake - now + ns_per_ms - 1) / ns_per_ms);

		/* returns at once when a group of stopped workers is ready */
		n = rte_mps_group_wait(&ready, timeout_ms);
		if (n > 0 &&
		    await_exit_reports(ready, now_ns() + exit_report_timeout_ms * ns_per_ms) != 0)
			printf("l2fwd_fork: workers 0x%" PRIx64 " stopped with no exit report\n", ready);
		rte_mps_exit_notify_poll();
		now = now_ns();
		if (n > 0)
			handle_ready(ready, now);
		check_fork_failures();
		start_due_workers(now);
		pending = check_first_forward();
		if (opts.standby)
			refill_standbys(now);

		if (now >= next_stats) {
			print_stats();
			next_stats = now + opts.timer_period_s * ns_per_s;
		}
		if (req.report.exchange(false)) {
			print_stats();
			run_audit("running");
		}
		if (req.quiesce.exchange(false) &&
		    !sup.quiesced.load(std::memory_order_relaxed))
			quiesce_workers();
	}
}

/*
 * Stop the workers for good and check that the pools are whole, with the
 * main process (and its telemetry) still up.
 */
void
quiesce_workers()
{
	sup.quiesced.store(true, std::memory_order_relaxed);
	printf("l2fwd_fork: stopping workers, main process stays up\n");
	stop_running_workers();
	drain_ports();
	print_stats();
	run_audit("stopped");
	run_pool_check("stopped");
}

/* Stop every worker and let the lcore threads return. */
void
stop_all_workers()
{
	stop_running_workers();
	stop_death_watchers();
	for (unsigned int i = 0; i < workers.count; i++) {
		workers.w[i].quit.store(true, std::memory_order_release);
		sem_post(&workers.w[i].go);
	}
	rte_eal_mp_wait_lcore();
}

const char *
worker_state(const worker &w)
{
	if (w.failed.load(std::memory_order_relaxed))
		return "failed";
	if (w.running.load(std::memory_order_relaxed))
		return "running";
	if (mpc::quit_requested() ||
	    sup.quiesced.load(std::memory_order_relaxed))
		return "stopped";
	return "restarting";
}

} /* namespace l2fwd_fork */
