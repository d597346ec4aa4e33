/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/*
 * The recovery thread of a main process. When a worker exits, or the
 * application asks for a group to stop, it stops everything that depends
 * on it (STOP over the command channel, SIGKILL after the bound), resets
 * the group's resources once, and reports the group ready to restart.
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_common.h>

#include "mps_private.h"

namespace mps {

recovery_state recovery;

namespace {

/* Least bound on the death of a worker after SIGKILL. */
constexpr unsigned int KILLED_DEATH_MS = 1000;

void
timespec_after(struct timespec *ts, unsigned int ms)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += static_cast<long>(ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

/* Dependents of set, transitively. Lock held. */
uint64_t
closure(uint64_t set)
{
	for (;;) {
		uint64_t grown = set;
		for (unsigned int w = 0; w < RTE_MPS_MAX_WORKERS; w++) {
			worker_slot *ws = &self.sh->workers[w];
			if (load(&ws->state) != W_NONE && (ws->deps & set))
				grown |= 1ull << w;
		}
		if (grown == set)
			return set;
		set = grown;
	}
}

/*
 * Wait until no worker of set is alive, or the bound. Lock not held. It
 * sleeps in poll() on the workers' pidfds (dups taken under the lock, see
 * watch_fds()), which become readable when a process is gone: no polling
 * period between an exit and this wake-up. A worker with no pidfd is
 * looked at every 100 us.
 */
uint64_t
wait_dead(uint64_t set, unsigned int ms, const int *fds)
{
	uint64_t deadline = now_ns() + static_cast<uint64_t>(ms) * 1000000ull;

	for (;;) {
		struct pollfd pfd[RTE_MPS_MAX_WORKERS];
		uint64_t alive = 0;
		unsigned int n = 0;
		bool blind = false;

		for (unsigned int w = 0; w < RTE_MPS_MAX_WORKERS; w++) {
			if (!(set & (1ull << w)) || !worker_alive(w))
				continue;
			alive |= 1ull << w;
			if (fds != nullptr && fds[w] >= 0)
				pfd[n++] = {fds[w], POLLIN, 0};
			else
				blind = true;
		}
		uint64_t now = now_ns();
		if (alive == 0 || now >= deadline)
			return alive;
		int left_ms = static_cast<int>((deadline - now + 999999) / 1000000);
		int k = blind ? 0 : poll(pfd, n, left_ms);
		/* readable yet not dead by /proc (its last threads leaving) */
		if (blind || k < 0 || (k > 0 && n > 0))
			usleep(100);
	}
}

/* Dups of the pidfds of set, for wait_dead() without the lock. Lock held. */
void
watch_fds(uint64_t set, int *fds)
{
	for (unsigned int w = 0; w < RTE_MPS_MAX_WORKERS; w++)
		fds[w] = (set & (1ull << w)) && recovery.pidfd[w] >= 0 ?
			fcntl(recovery.pidfd[w], F_DUPFD_CLOEXEC, 0) : -1;
}

void
close_fds(int *fds)
{
	for (unsigned int w = 0; w < RTE_MPS_MAX_WORKERS; w++)
		if (fds[w] >= 0)
			close(fds[w]);
}

void
kill_worker(unsigned int w)
{
	worker_slot *ws = &self.sh->workers[w];

	/* The pidfd names this very process, never a recycled pid. */
	int fd = recovery.pidfd[w];
	if (fd >= 0) {
		if (pidfd_send_signal(fd, SIGKILL, nullptr, 0) == 0)
			MPS_LOG(WARNING, "worker %u (pid %d) did not stop: killed\n", w, ws->pid);
	} else if (worker_alive(w) && kill(ws->pid, SIGKILL) == 0) {
		/* no pidfd (pidfd_open() failed): the start time checked the pid */
		MPS_LOG(WARNING, "worker %u (pid %d) did not stop: killed\n", w, ws->pid);
	}
}

/* One recovery: stop everything that must stop, reset, report ready. */
void
recover(mutex_guard &lk)
{
	uint64_t set = 0;
	uint64_t stopping = 0;
	uint64_t moved = 0;    /* running when this recovery took them */
	uint64_t wake_ns = now_ns();
	uint64_t stop_ns = 0, gone_ns = 0;

	for (;;) {
		set = closure(set | recovery.pending);
		recovery.pending = 0;
		for (unsigned int w = 0; w < RTE_MPS_MAX_WORKERS; w++) {
			if (!(set & (1ull << w)) || (stopping & (1ull << w)))
				continue;
			stopping |= 1ull << w;
			worker_slot *ws = &self.sh->workers[w];
			if (load(&ws->state) == W_RUNNING) {
				moved |= 1ull << w;
				store(&ws->state, static_cast<uint32_t>(W_STOPPING));
				if (worker_alive(w))
					cmd_send_stop(w);
			} else if (load(&ws->state) == W_STOPPING) {
				/* left alive after SIGKILL by an earlier recovery */
				moved |= 1ull << w;
			}
		}
		unsigned int ms = recovery.timeout_ms;
		/*
		 * A worker that outlived SIGKILL once, in this pass or an
		 * earlier one, is not waited for again: its exit, when it
		 * comes, starts a recovery of its own. Waiting would hold up
		 * every other group that shares the pass.
		 */
		uint64_t wait = set & ~recovery.undead;
		int fds[RTE_MPS_MAX_WORKERS];
		watch_fds(wait, fds);
		lk.unlock();
		if (stop_ns == 0)
			stop_ns = now_ns();
		uint64_t alive = wait_dead(wait, ms, fds);
		if (alive != 0) {
			lk.lock();
			for (unsigned int w = 0; w < RTE_MPS_MAX_WORKERS; w++)
				if (alive & (1ull << w))
					kill_worker(w);
			lk.unlock();
			/*
			 * A killed process can take a while to be gone (its
			 * memory unmapped) on a loaded machine: a longer bound
			 * before it counts as one that SIGKILL did not end.
			 */
			alive = wait_dead(alive, RTE_MAX(ms * 10, KILLED_DEATH_MS), fds);
			if (alive != 0)
				MPS_LOG(ERR, "workers 0x%" PRIx64 " still alive after SIGKILL: "
						"not reset, not ready\n", alive);
		}
		close_fds(fds);
		gone_ns = now_ns();
		lk.lock();
		recovery.undead |= alive;
		/* Exits that came in meanwhile join this recovery. */
		if ((closure(recovery.pending) & ~set) == 0)
			break;
	}

	/*
	 * Idle, already ready or removed workers are not reported. A worker
	 * still alive is neither reset (it may still use what it holds) nor
	 * reported ready: it stays stopping, watched, and its exit, when it
	 * comes, starts its recovery.
	 */
	uint64_t todo = 0, still = 0;
	for (unsigned int w = 0; w < RTE_MPS_MAX_WORKERS; w++) {
		if (!(set & (1ull << w)))
			continue;
		if ((recovery.undead & (1ull << w)) && worker_alive(w))
			still |= 1ull << w;
		else if ((moved & (1ull << w)) &&
				load(&self.sh->workers[w].state) == W_STOPPING)
			todo |= 1ull << w;
	}
	/*
	 * Nor are the others of its group: reset alone, a worker would be
	 * restarted beside its pair's process, and the pool they share could
	 * not be rebuilt. They stay stopping, and the exit of the one left
	 * alive recovers them all together. Other groups of the same pass go on.
	 */
	uint64_t group = still;
	for (uint64_t grown = 0; grown != group; ) {
		grown = group;
		group = closure(group);
		for (unsigned int w = 0; w < RTE_MPS_MAX_WORKERS; w++)
			if (grown & (1ull << w))
				group |= self.sh->workers[w].deps;
	}
	uint64_t held = todo & group;
	if (held != 0) {
		MPS_LOG(WARNING, "workers 0x%" PRIx64 " wait for 0x%" PRIx64 " to be gone\n",
				held, still);
		todo &= ~held;
	}
	/* One reset for the whole group: an object is given back once. */
	lk.unlock();
	int k = res_reset_set(todo);
	lk.lock();
	if (k > 0)
		MPS_LOG(INFO, "workers 0x%" PRIx64 ": %d objects given back\n", todo, k);

	uint64_t ready = 0;
	for (unsigned int w = 0; w < RTE_MPS_MAX_WORKERS; w++) {
		worker_slot *ws = &self.sh->workers[w];
		if (!(todo & (1ull << w)))
			continue;
		recovery_unwatch(lk, w);
		recovery.undead &= ~(1ull << w);
		store(&ws->pid, static_cast<int32_t>(0));
		store(&ws->start_time, static_cast<uint64_t>(0));
		ws->restarts++;
		store(&ws->state, static_cast<uint32_t>(W_READY));
		ready |= 1ull << w;
	}
	/*
	 * Only now: the loop above drops the lock, and the exit callback of a
	 * stopped worker may then run with the old pid and mark it pending,
	 * which would start a second recovery of its next instance.
	 */
	recovery.pending &= ~(set & ~still);
	rte_mps_lcore_reclaim();
	if (ready != 0) {
		recovery.last_wake_ns.store(wake_ns, std::memory_order_relaxed);
		recovery.last_stop_ns.store(stop_ns, std::memory_order_relaxed);
		recovery.last_gone_ns.store(gone_ns, std::memory_order_relaxed);
		recovery.last_reset_ns.store(now_ns(), std::memory_order_release);
		recovery.ready |= ready;
		pthread_cond_broadcast(&recovery.ready_cond);
	}
}

uint32_t
recovery_main(void *)
{
	mutex_guard lk(recovery.lock);

	while (!recovery.quit) {
		if (recovery.pending == 0) {
			pthread_cond_wait(&recovery.wake, &recovery.lock);
			continue;
		}
		recover(lk);
	}
	return 0;
}

void
init_conds()
{
	pthread_condattr_t attr;

	if (recovery.cond_init)
		return;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&recovery.wake, &attr);
	pthread_cond_init(&recovery.ready_cond, &attr);
	pthread_condattr_destroy(&attr);
	for (unsigned int w = 0; w < RTE_MPS_MAX_WORKERS; w++) {
		recovery.exit_handle[w] = -1;
		recovery.pidfd[w] = -1;
	}
	recovery.cond_init = true;
}

} /* namespace */

void
recovery_worker_exited(const rte_mps_exit_info *info, void *arg)
{
	unsigned int w = static_cast<unsigned int>(reinterpret_cast<uintptr_t>(arg));
	worker_slot *ws = &self.sh->workers[w];

	mutex_guard lk(recovery.lock);
	if (ws->pid != info->pid)
		return;    /* an older instance */
	recovery.exit_handle[w] = -1;
	/* its exit is seen: the next pass waits for it to be gone */
	recovery.undead &= ~(1ull << w);
	uint32_t st = load(&ws->state);
	if (st == W_RUNNING || st == W_STOPPING) {
		MPS_LOG(INFO, "worker %u (pid %d) exited\n", w, static_cast<int>(info->pid));
		recovery_request(1ull << w);
	}
}

void
recovery_request(uint64_t mask)
{
	recovery.pending |= mask;
	pthread_cond_signal(&recovery.wake);
}

void
recovery_unwatch(mutex_guard &lk, unsigned int w)
{
	int h = recovery.exit_handle[w];

	recovery.exit_handle[w] = -1;
	if (h >= 0) {
		/* unregistering waits for a running callback, which takes the lock */
		lk.unlock();
		rte_mps_exit_notify_unregister(h);
		lk.lock();
	}
	if (recovery.pidfd[w] >= 0)
		close(recovery.pidfd[w]);
	recovery.pidfd[w] = -1;
}

int
recovery_start()
{
	init_conds();
	if (recovery.running)
		return 0;
	recovery.quit = false;
	int ret = rte_thread_create_control(&recovery.thread, "mps-tracker", recovery_main,
			nullptr);
	if (ret != 0)
		return fail(ret, "cannot create the tracker thread: %s", strerror(ret));
	unpin_thread(recovery.thread);
	recovery.running = true;
	return 0;
}

void
recovery_stop()
{
	if (self.forked)
		return;
	mutex_guard lk(recovery.lock);
	bool was = recovery.running;
	recovery.quit = true;
	if (was) {
		pthread_cond_signal(&recovery.wake);
		lk.unlock();
		rte_thread_join(recovery.thread, nullptr);
		lk.lock();
	}
	recovery.running = false;
	for (unsigned int w = 0; w < RTE_MPS_MAX_WORKERS && recovery.cond_init; w++)
		recovery_unwatch(lk, w);
	recovery.pending = recovery.ready = recovery.undead = 0;
}

void
recovery_forked_child()
{
	pthread_mutex_init(&recovery.lock, nullptr);
	recovery.running = false;
	recovery.cond_init = false;
	recovery.pending = recovery.ready = recovery.undead = 0;
}

} /* namespace mps */

using namespace mps;

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_tracker_set_timeout, 22.11)
int
rte_mps_tracker_set_timeout(unsigned int timeout_ms)
{
	if (timeout_ms == 0)
		return fail(EINVAL, "timeout must not be zero");
	mutex_guard lk(recovery.lock);
	recovery.timeout_ms = timeout_ms;
	return 0;
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_group_stop, 22.11)
int
rte_mps_group_stop(uint64_t mask)
{
	int ret = check_main_process("rte_mps_group_stop()");

	if (ret < 0)
		return ret;
	mutex_guard lk(recovery.lock);
	for (unsigned int w = 0; w < RTE_MPS_MAX_WORKERS; w++)
		if ((mask & (1ull << w)) && worker_slot_of(w) == nullptr)
			return fail(EINVAL, "unknown worker %u in mask 0x%" PRIx64, w, mask);
	if (!recovery.running)
		return fail(EINVAL, "no worker declared in this process");
	recovery_request(mask);
	return 0;
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_group_wait, 22.11)
int
rte_mps_group_wait(uint64_t *ready, int timeout_ms)
{
	struct timespec ts;
	int ret = check_main_process("rte_mps_group_wait()");

	if (ret < 0)
		return ret;
	if (ready == nullptr)
		return fail(EINVAL, "null ready mask");
	mutex_guard lk(recovery.lock);
	init_conds();
	if (timeout_ms > 0)
		timespec_after(&ts, static_cast<unsigned int>(timeout_ms));
	while (recovery.ready == 0 && timeout_ms != 0) {
		if (timeout_ms < 0) {
			pthread_cond_wait(&recovery.ready_cond, &recovery.lock);
		} else if (pthread_cond_timedwait(&recovery.ready_cond, &recovery.lock, &ts) ==
				ETIMEDOUT) {
			break;
		}
	}
	*ready = recovery.ready;
	recovery.ready = 0;
	return __builtin_popcountll(*ready);
}
