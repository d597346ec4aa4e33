/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_ring.h>

#include "mps_private.h"

namespace mps {

namespace {

constexpr unsigned int CMD_RING_SIZE = 64;
constexpr unsigned int DEFAULT_TIMEOUT_MS = 500;

class guard {
public:
	explicit guard(pthread_mutex_t *m) : m_(m) { pthread_mutex_lock(m_); }
	~guard() { pthread_mutex_unlock(m_); }
	guard(const guard &) = delete;
	guard &operator=(const guard &) = delete;
private:
	pthread_mutex_t *m_;
};

struct tracker {
	pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	pthread_cond_t wake;        /* recovery thread */
	pthread_cond_t ready_cond;  /* rte_mps_group_wait() */
	bool cond_init = false;
	bool running = false;
	bool quit = false;
	rte_thread_t thread;
	uint64_t pending = 0;       /* exited or asked to stop, not yet handled */
	uint64_t ready = 0;
	unsigned int timeout_ms = DEFAULT_TIMEOUT_MS;
	int exit_handle[RTE_MPS_MAX_WORKERS];
	int pidfd[RTE_MPS_MAX_WORKERS];
};

tracker t;

/* Command rings, looked up once per process (a forked child inherits them). */
struct rte_ring *cmd_ring[RTE_MPS_MAX_WORKERS];
struct rte_ring *ack_ring[RTE_MPS_MAX_WORKERS];
thread_local uint32_t t_last_seq[RTE_MPS_MAX_WORKERS];

void
ring_names(unsigned int w, char *cmd, char *ack, size_t len)
{
	snprintf(cmd, len, "mps_cmd_%u", w);
	snprintf(ack, len, "mps_ack_%u", w);
}

bool
lookup_rings(unsigned int w)
{
	char cn[RTE_RING_NAMESIZE], an[RTE_RING_NAMESIZE];

	if (cmd_ring[w] != nullptr && ack_ring[w] != nullptr)
		return true;
	if (g.forked)
		return false;    /* no lookups (tailq locks) after fork */
	ring_names(w, cn, an, sizeof(cn));
	cmd_ring[w] = rte_ring_lookup(cn);
	ack_ring[w] = rte_ring_lookup(an);
	return cmd_ring[w] != nullptr && ack_ring[w] != nullptr;
}

inline void *
encode(uint32_t seq, uint32_t cmd)
{
	return (void *)(uintptr_t)(((uint64_t)seq << 32) | cmd);
}

inline uint32_t
dec_seq(void *p)
{
	return (uint32_t)((uintptr_t)p >> 32);
}

inline uint32_t
dec_cmd(void *p)
{
	return (uint32_t)(uintptr_t)p;
}

void
drain(struct rte_ring *r)
{
	void *obj;

	if (r == nullptr)
		return;
	while (rte_ring_dequeue(r, &obj) == 0)
		;
}

worker_slot *
slot_of(unsigned int w)
{
	if (g.sh == nullptr || w >= RTE_MPS_MAX_WORKERS)
		return nullptr;
	worker_slot *ws = &g.sh->workers[w];
	if (load(&ws->state) == W_NONE)
		return nullptr;
	return ws;
}

void
timespec_after(struct timespec *ts, unsigned int ms)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

/* Exit callback of a running worker (notification thread). */
void
worker_exit_cb(const rte_mps_exit_info *info, void *arg)
{
	unsigned int w = (unsigned int)(uintptr_t)arg;
	worker_slot *ws = &g.sh->workers[w];

	guard lk(&t.lock);
	if (ws->pid != info->pid)
		return;    /* an older instance */
	t.exit_handle[w] = -1;
	uint32_t st = load(&ws->state);
	if (st == W_RUNNING || st == W_STOPPING) {
		MPS_LOG(INFO, "worker %u (pid %d) exited\n", w, (int)info->pid);
		t.pending |= 1ull << w;
		pthread_cond_signal(&t.wake);
	}
}

/* Dependents of set, transitively. Lock held. */
uint64_t
closure(uint64_t set)
{
	for (;;) {
		uint64_t grown = set;
		for (unsigned int w = 0; w < RTE_MPS_MAX_WORKERS; w++) {
			worker_slot *ws = &g.sh->workers[w];
			if (load(&ws->state) != W_NONE && (ws->deps & set))
				grown |= 1ull << w;
		}
		if (grown == set)
			return set;
		set = grown;
	}
}

bool
worker_alive(unsigned int w)
{
	worker_slot *ws = &g.sh->workers[w];

	return ws->pid > 0 && rte_mps_proc_alive(ws->pid, ws->start_time);
}

/* Wait until no worker of set is alive, or the bound. Lock not held. */
uint64_t
wait_dead(uint64_t set, unsigned int ms)
{
	uint64_t deadline = now_ns() + (uint64_t)ms * 1000000ull;

	for (;;) {
		uint64_t alive = 0;
		for (unsigned int w = 0; w < RTE_MPS_MAX_WORKERS; w++)
			if ((set & (1ull << w)) && worker_alive(w))
				alive |= 1ull << w;
		if (alive == 0 || now_ns() >= deadline)
			return alive;
		usleep(100);
	}
}

void
send_stop(unsigned int w)
{
	worker_slot *ws = &g.sh->workers[w];

	if (!lookup_rings(w))
		return;
	uint32_t seq = (uint32_t)rte_atomic_fetch_add_explicit(&ws->cmd_seq, 1,
				rte_memory_order_acq_rel) + 1;
	if (rte_ring_enqueue(cmd_ring[w], encode(seq, RTE_MPS_CMD_STOP)) != 0)
		MPS_LOG(WARNING, "command ring of worker %u full\n", w);
}

void
kill_worker(unsigned int w)
{
	worker_slot *ws = &g.sh->workers[w];

	/* The pidfd names this very process, never a recycled pid. */
	int fd = t.pidfd[w];
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
recover()
{
	uint64_t set = 0;
	uint64_t stopping = 0;
	uint64_t moved = 0;    /* running when this recovery took them */

	for (;;) {
		set = closure(set | t.pending);
		t.pending = 0;
		for (unsigned int w = 0; w < RTE_MPS_MAX_WORKERS; w++) {
			if (!(set & (1ull << w)) || (stopping & (1ull << w)))
				continue;
			stopping |= 1ull << w;
			worker_slot *ws = &g.sh->workers[w];
			if (load(&ws->state) == W_RUNNING) {
				moved |= 1ull << w;
				store(&ws->state, (uint32_t)W_STOPPING);
				if (worker_alive(w))
					send_stop(w);
			}
		}
		unsigned int ms = t.timeout_ms;
		pthread_mutex_unlock(&t.lock);
		uint64_t alive = wait_dead(set, ms);
		if (alive != 0) {
			pthread_mutex_lock(&t.lock);
			for (unsigned int w = 0; w < RTE_MPS_MAX_WORKERS; w++)
				if (alive & (1ull << w))
					kill_worker(w);
			pthread_mutex_unlock(&t.lock);
			alive = wait_dead(alive, ms);
			if (alive != 0)
				MPS_LOG(ERR, "workers 0x%" PRIx64 " still alive after SIGKILL\n",
						alive);
		}
		pthread_mutex_lock(&t.lock);
		/* Exits that came in meanwhile join this recovery. */
		if ((closure(t.pending) & ~set) == 0)
			break;
	}

	/* Idle, already ready or removed workers are not reported. */
	uint64_t todo = 0;
	for (unsigned int w = 0; w < RTE_MPS_MAX_WORKERS; w++)
		if ((moved & (1ull << w)) && load(&g.sh->workers[w].state) == W_STOPPING)
			todo |= 1ull << w;
	/* One reset for the whole group: an object is given back once. */
	pthread_mutex_unlock(&t.lock);
	int k = res_reset_set(todo);
	pthread_mutex_lock(&t.lock);
	if (k > 0)
		MPS_LOG(INFO, "workers 0x%" PRIx64 ": %d objects given back\n", todo, k);

	uint64_t ready = 0;
	for (unsigned int w = 0; w < RTE_MPS_MAX_WORKERS; w++) {
		worker_slot *ws = &g.sh->workers[w];
		if (!(todo & (1ull << w)))
			continue;
		if (t.exit_handle[w] >= 0) {
			int h = t.exit_handle[w];
			t.exit_handle[w] = -1;
			pthread_mutex_unlock(&t.lock);
			rte_mps_exit_notify_unregister(h);
			pthread_mutex_lock(&t.lock);
		}
		if (t.pidfd[w] >= 0)
			close(t.pidfd[w]);
		t.pidfd[w] = -1;
		store(&ws->pid, (int32_t)0);
		store(&ws->start_time, (uint64_t)0);
		ws->restarts++;
		store(&ws->state, (uint32_t)W_READY);
		ready |= 1ull << w;
	}
	/*
	 * Only now: the loop above drops the lock, and the exit callback of a
	 * stopped worker may then run with the old pid and mark it pending,
	 * which would start a second recovery of its next instance.
	 */
	t.pending &= ~set;
	rte_mps_lcore_reclaim();
	if (ready != 0) {
		t.ready |= ready;
		pthread_cond_broadcast(&t.ready_cond);
	}
}

uint32_t
tracker_main(void *)
{
	guard lk(&t.lock);
	while (!t.quit) {
		if (t.pending == 0) {
			pthread_cond_wait(&t.wake, &t.lock);
			continue;
		}
		recover();
	}
	return 0;
}

void
tracker_init_conds()
{
	pthread_condattr_t attr;

	if (t.cond_init)
		return;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&t.wake, &attr);
	pthread_cond_init(&t.ready_cond, &attr);
	pthread_condattr_destroy(&attr);
	for (unsigned int w = 0; w < RTE_MPS_MAX_WORKERS; w++) {
		t.exit_handle[w] = -1;
		t.pidfd[w] = -1;
	}
	t.cond_init = true;
}

/* Lock held. */
int
tracker_start()
{
	tracker_init_conds();
	if (t.running)
		return 0;
	t.quit = false;
	int ret = rte_thread_create_control(&t.thread, "mps-tracker", tracker_main, nullptr);
	if (ret != 0)
		return fail(ret, "cannot create the tracker thread: %s", strerror(ret));
	unpin_thread(t.thread);
	t.running = true;
	return 0;
}

int
check_main(const char *what)
{
	if (g.forked)
		return fail(EPERM, "%s is not available in a forked worker", what);
	if (g.sh == nullptr)
		return fail(EINVAL, "mpsupport is not initialised");
	return 0;
}

} /* namespace */

void
worker_stop_tracker()
{
	if (g.forked) {
		return;
	}
	pthread_mutex_lock(&t.lock);
	bool was = t.running;
	t.quit = true;
	if (was)
		pthread_cond_signal(&t.wake);
	pthread_mutex_unlock(&t.lock);
	if (was)
		rte_thread_join(t.thread, nullptr);
	guard lk(&t.lock);
	t.running = false;
	for (unsigned int w = 0; w < RTE_MPS_MAX_WORKERS && t.cond_init; w++) {
		if (t.exit_handle[w] >= 0) {
			int h = t.exit_handle[w];
			t.exit_handle[w] = -1;
			pthread_mutex_unlock(&t.lock);
			rte_mps_exit_notify_unregister(h);
			pthread_mutex_lock(&t.lock);
		}
		if (t.pidfd[w] >= 0)
			close(t.pidfd[w]);
		t.pidfd[w] = -1;
	}
	t.pending = t.ready = 0;
}

void
worker_forked_child()
{
	pthread_mutex_init(&t.lock, nullptr);
	t.running = false;
	t.cond_init = false;
	t.pending = t.ready = 0;
}

void
worker_lock()
{
	pthread_mutex_lock(&t.lock);
}

void
worker_unlock()
{
	pthread_mutex_unlock(&t.lock);
}

void
worker_forget_rings()
{
	for (unsigned int w = 0; w < RTE_MPS_MAX_WORKERS; w++)
		cmd_ring[w] = ack_ring[w] = nullptr;
}

void
worker_drain_cmd(unsigned int w)
{
	if (lookup_rings(w)) {
		drain(cmd_ring[w]);
		drain(ack_ring[w]);
	}
}

} /* namespace mps */

using namespace mps;

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_worker_add, 22.11)
int
rte_mps_worker_add(unsigned int worker)
{
	char cn[RTE_RING_NAMESIZE], an[RTE_RING_NAMESIZE];
	int ret = check_main("rte_mps_worker_add()");

	if (ret < 0)
		return ret;
	if (worker >= RTE_MPS_MAX_WORKERS)
		return fail(EINVAL, "worker %u out of range (max %u)", worker,
				RTE_MPS_MAX_WORKERS - 1);
	guard lk(&t.lock);
	worker_slot *ws = &g.sh->workers[worker];
	if (load(&ws->state) != W_NONE)
		return fail(EEXIST, "worker %u already declared", worker);

	ring_names(worker, cn, an, sizeof(cn));
	struct rte_ring *c = rte_ring_lookup(cn);
	if (c == nullptr)
		c = rte_ring_create(cn, CMD_RING_SIZE, SOCKET_ID_ANY,
				RING_F_SP_ENQ | RING_F_SC_DEQ);
	struct rte_ring *a = rte_ring_lookup(an);
	if (a == nullptr)
		a = rte_ring_create(an, CMD_RING_SIZE, SOCKET_ID_ANY,
				RING_F_SP_ENQ | RING_F_SC_DEQ);
	if (c == nullptr || a == nullptr)
		return fail(ENOMEM, "cannot create command rings of worker %u: %s", worker,
				rte_strerror(rte_errno));
	ret = tracker_start();
	if (ret < 0)
		return ret;
	drain(c);
	drain(a);
	cmd_ring[worker] = c;
	ack_ring[worker] = a;
	store(&ws->pid, (int32_t)0);
	store(&ws->start_time, (uint64_t)0);
	ws->deps = 0;
	ws->restarts = 0;
	ws->owner_pid = (uint32_t)getpid();
	memset(ws->res, 0, sizeof(ws->res));
	store(&ws->state, (uint32_t)W_IDLE);
	return 0;
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_worker_remove, 22.11)
int
rte_mps_worker_remove(unsigned int worker)
{
	int ret = check_main("rte_mps_worker_remove()");

	if (ret < 0)
		return ret;
	pthread_mutex_lock(&t.lock);
	worker_slot *ws = slot_of(worker);
	if (ws == nullptr) {
		pthread_mutex_unlock(&t.lock);
		return fail(ENOENT, "unknown worker %u", worker);
	}
	uint32_t st = load(&ws->state);
	if ((st == W_RUNNING || st == W_STOPPING) && worker_alive(worker)) {
		int opid = ws->pid;
		pthread_mutex_unlock(&t.lock);
		return fail(EBUSY, "worker %u is running (pid %d)", worker, opid);
	}
	int h = t.exit_handle[worker];
	t.exit_handle[worker] = -1;
	pthread_mutex_unlock(&t.lock);
	if (h >= 0)
		rte_mps_exit_notify_unregister(h);
	guard lk(&t.lock);
	if (t.pidfd[worker] >= 0)
		close(t.pidfd[worker]);
	t.pidfd[worker] = -1;
	if (lookup_rings(worker)) {
		rte_ring_free(cmd_ring[worker]);
		rte_ring_free(ack_ring[worker]);
	}
	cmd_ring[worker] = ack_ring[worker] = nullptr;
	for (unsigned int w = 0; w < RTE_MPS_MAX_WORKERS; w++)
		g.sh->workers[w].deps &= ~(1ull << worker);
	t.pending &= ~(1ull << worker);
	t.ready &= ~(1ull << worker);
	store(&ws->state, (uint32_t)W_NONE);
	return 0;
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_worker_depend, 22.11)
int
rte_mps_worker_depend(unsigned int worker, unsigned int on)
{
	int ret = check_main("rte_mps_worker_depend()");

	if (ret < 0)
		return ret;
	guard lk(&t.lock);
	worker_slot *ws = slot_of(worker);
	if (ws == nullptr || slot_of(on) == nullptr)
		return fail(ENOENT, "unknown worker %u", ws == nullptr ? worker : on);
	if (worker == on)
		return fail(EINVAL, "worker %u cannot depend on itself", worker);
	ws->deps |= 1ull << on;
	return 0;
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_worker_pair, 22.11)
int
rte_mps_worker_pair(unsigned int a, unsigned int b)
{
	int ret = rte_mps_worker_depend(a, b);

	return ret < 0 ? ret : rte_mps_worker_depend(b, a);
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_worker_attach, 22.11)
int
rte_mps_worker_attach(unsigned int worker, pid_t pid)
{
	uint64_t start;
	int ret = check_main("rte_mps_worker_attach()");

	if (ret < 0)
		return ret;
	if (pid <= 0)
		return fail(EINVAL, "bad pid %d", (int)pid);
	/* A zombie still has its /proc entry: its exit is reported at once. */
	if (rte_mps_proc_start_time(pid, &start) < 0)
		return fail(ESRCH, "no process %d to attach to worker %u", (int)pid, worker);

	pthread_mutex_lock(&t.lock);
	worker_slot *ws = slot_of(worker);
	if (ws == nullptr) {
		pthread_mutex_unlock(&t.lock);
		return fail(ENOENT, "unknown worker %u", worker);
	}
	uint32_t st = load(&ws->state);
	if ((st == W_RUNNING || st == W_STOPPING) && ws->pid != pid && worker_alive(worker)) {
		int opid = ws->pid;
		pthread_mutex_unlock(&t.lock);
		return fail(EBUSY, "worker %u is already run by pid %d", worker, opid);
	}
	int old = t.exit_handle[worker];
	t.exit_handle[worker] = -1;
	if (t.pidfd[worker] >= 0)
		close(t.pidfd[worker]);
	t.pidfd[worker] = (int)pidfd_open(pid, 0);
	worker_drain_cmd(worker);
	store(&ws->pid, (int32_t)pid);
	store(&ws->start_time, (uint64_t)start);
	t.ready &= ~(1ull << worker);
	store(&ws->state, (uint32_t)W_RUNNING);
	pthread_mutex_unlock(&t.lock);

	if (old >= 0)
		rte_mps_exit_notify_unregister(old);
	int h = rte_mps_exit_notify_register(pid, 0, worker_exit_cb,
			(void *)(uintptr_t)worker);
	guard lk(&t.lock);
	if (h >= 0) {
		if (ws->pid == pid)
			t.exit_handle[worker] = h;
		return 0;
	}
	if (h == -ESRCH && ws->pid == pid) {
		t.pending |= 1ull << worker;
		pthread_cond_signal(&t.wake);
		return 0;
	}
	return h;
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_worker_pid, 22.11)
int
rte_mps_worker_pid(unsigned int worker)
{
	worker_slot *ws = slot_of(worker);

	if (ws == nullptr)
		return fail(ENOENT, "unknown worker %u", worker);
	uint32_t st = load(&ws->state);
	return (st == W_RUNNING || st == W_STOPPING) ? ws->pid : 0;
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_tracker_set_timeout, 22.11)
int
rte_mps_tracker_set_timeout(unsigned int timeout_ms)
{
	if (timeout_ms == 0)
		return fail(EINVAL, "timeout must not be zero");
	guard lk(&t.lock);
	t.timeout_ms = timeout_ms;
	return 0;
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_group_stop, 22.11)
int
rte_mps_group_stop(uint64_t mask)
{
	int ret = check_main("rte_mps_group_stop()");

	if (ret < 0)
		return ret;
	guard lk(&t.lock);
	for (unsigned int w = 0; w < RTE_MPS_MAX_WORKERS; w++)
		if ((mask & (1ull << w)) && slot_of(w) == nullptr)
			return fail(EINVAL, "unknown worker %u in mask 0x%" PRIx64, w, mask);
	if (!t.running)
		return fail(EINVAL, "no worker declared in this process");
	t.pending |= mask;
	pthread_cond_signal(&t.wake);
	return 0;
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_group_wait, 22.11)
int
rte_mps_group_wait(uint64_t *ready, int timeout_ms)
{
	struct timespec ts;
	int ret = check_main("rte_mps_group_wait()");

	if (ret < 0)
		return ret;
	if (ready == nullptr)
		return fail(EINVAL, "null ready mask");
	guard lk(&t.lock);
	tracker_init_conds();
	if (timeout_ms > 0)
		timespec_after(&ts, (unsigned int)timeout_ms);
	while (t.ready == 0 && timeout_ms != 0) {
		if (timeout_ms < 0) {
			pthread_cond_wait(&t.ready_cond, &t.lock);
		} else if (pthread_cond_timedwait(&t.ready_cond, &t.lock, &ts) == ETIMEDOUT) {
			break;
		}
	}
	*ready = t.ready;
	t.ready = 0;
	return __builtin_popcountll(*ready);
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_cmd_send, 22.11)
int
rte_mps_cmd_send(unsigned int worker, uint32_t cmd, unsigned int timeout_ms)
{
	worker_slot *ws = slot_of(worker);

	if (ws == nullptr || !lookup_rings(worker))
		return fail(ENOENT, "unknown worker %u", worker);
	if (cmd == 0)
		return fail(EINVAL, "command 0 is reserved");
	uint32_t seq = (uint32_t)rte_atomic_fetch_add_explicit(&ws->cmd_seq, 1,
				rte_memory_order_acq_rel) + 1;
	if (rte_ring_enqueue(cmd_ring[worker], encode(seq, cmd)) != 0)
		return fail(ENOBUFS, "command ring of worker %u is full", worker);
	if (timeout_ms == 0)
		return 0;
	uint64_t deadline = now_ns() + (uint64_t)timeout_ms * 1000000ull;
	for (;;) {
		void *obj;
		while (rte_ring_dequeue(ack_ring[worker], &obj) == 0)
			if (dec_seq(obj) == seq && dec_cmd(obj) == cmd)
				return 0;
		if (now_ns() >= deadline)
			return fail(ETIMEDOUT, "worker %u did not acknowledge command %u in %u ms",
					worker, cmd, timeout_ms);
		usleep(50);
	}
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_cmd_poll, 22.11)
int
rte_mps_cmd_poll(unsigned int worker)
{
	void *obj;

	if (worker >= RTE_MPS_MAX_WORKERS)
		return -ENOENT;
	if (unlikely(cmd_ring[worker] == nullptr) && !lookup_rings(worker))
		return fail(ENOENT, "unknown worker %u", worker);
	if (rte_ring_dequeue(cmd_ring[worker], &obj) != 0)
		return 0;
	t_last_seq[worker] = dec_seq(obj);
	return (int)dec_cmd(obj);
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_cmd_ack, 22.11)
int
rte_mps_cmd_ack(unsigned int worker, uint32_t cmd)
{
	if (worker >= RTE_MPS_MAX_WORKERS ||
			(ack_ring[worker] == nullptr && !lookup_rings(worker)))
		return fail(ENOENT, "unknown worker %u", worker);
	if (rte_ring_enqueue(ack_ring[worker], encode(t_last_seq[worker], cmd)) != 0)
		return fail(ENOBUFS, "ack ring of worker %u is full", worker);
	return 0;
}
