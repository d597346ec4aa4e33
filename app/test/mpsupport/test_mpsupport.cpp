/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/*
 * Unit tests of librte_mpsupport in one primary process (plus the children
 * it forks): registry, floating lcores, exit notification, workers, command
 * channel, resource lists and the fork helper, with their failure paths.
 */

/* Every DPDK process here gets --no-pci from mps_test_env.h. */
#include <pthread.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>

#include <atomic>
#include <set>
#include <thread>
#include <vector>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_memzone.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#include <rte_mpsupport.h>
#include "mps_private.h"
#include "mps_test_env.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

using namespace mpstest;

/* ---- registry ---- */

static void
test_init_and_list(void **)
{
	struct rte_mps_proc_info info[RTE_MPS_MAX_PROCS];

	assert_int_equal(rte_mps_init(), 0);
	assert_int_equal(rte_mps_init(), 0);    /* idempotent */
	assert_int_equal(rte_mps_primary_pid(), getpid());
	int n = rte_mps_proc_list(info, RTE_DIM(info));
	assert_true(n >= 1);
	bool found = false;
	for (int i = 0; i < n; i++) {
		if (info[i].pid != getpid())
			continue;
		found = true;
		assert_int_equal(info[i].type, RTE_MPS_PROC_PRIMARY);
		assert_int_equal(info[i].lcores[0] & 3, 3);    /* --lcores 0@0,1@1 */
		assert_int_equal(info[i].worker, RTE_MPS_NO_WORKER);
	}
	assert_true(found);
	assert_int_equal(rte_mps_proc_list(nullptr, 0), n);
	assert_int_equal(rte_mps_proc_list(nullptr, 1), -EINVAL);
	/* Own EAL lcores are reserved in the shared table. */
	pid_t owner = 0;
	assert_int_equal(rte_mps_lcore_owner(0, &owner), 1);
	assert_int_equal(owner, getpid());
	assert_int_equal(rte_mps_lcore_owner(1, nullptr), 1);
}

static void
test_start_time_and_alive(void **)
{
	uint64_t st = 0;

	assert_int_equal(rte_mps_proc_start_time(getpid(), &st), 0);
	assert_true(st > 0);
	assert_int_equal(rte_mps_proc_alive(getpid(), st), 1);
	/* Same pid, other start time: a recycled pid is not the old process. */
	assert_int_equal(rte_mps_proc_alive(getpid(), st + 1), 0);
	assert_int_equal(rte_mps_proc_start_time(0, &st), -EINVAL);
	assert_int_equal(rte_errno, EINVAL);
	assert_int_equal(rte_mps_proc_start_time(getpid(), nullptr), -EINVAL);
	assert_true(strstr(rte_mps_strerror(), "bad pid") != nullptr);

	/* A zombie is dead; a reaped pid does not exist. */
	int fd = -1;
	pid_t pid = fork_waiting_child(&fd, 0);
	assert_true(pid > 0);
	uint64_t cst;
	assert_int_equal(rte_mps_proc_start_time(pid, &cst), 0);
	assert_int_equal(rte_mps_proc_alive(pid, cst), 1);
	close(fd);
	assert_true(wait_for([&] { return rte_mps_proc_alive(pid, cst) == 0; }, 5000));
	assert_int_equal(rte_mps_proc_start_time(pid, &st), 0);   /* zombie */
	assert_int_equal(waitpid(pid, nullptr, 0), pid);
	assert_int_equal(rte_mps_proc_start_time(pid, &st), -ESRCH);
	assert_int_equal(rte_mps_proc_alive(pid, cst), 0);
	assert_int_equal(rte_mps_proc_alive(-1, 0), 0);

	/* A process whose main thread has ended is alive while another
	 * thread runs, although /proc shows its leader as a zombie. */
	pid = fork();
	if (pid == 0) {
		/* A fresh image: ThreadSanitizer forbids threads after fork(). */
		char arg0[] = "test_mpsupport", arg1[] = "--zombie-leader";
		char *args[] = { arg0, arg1, nullptr };
		execv("/proc/self/exe", args);
		_exit(127);
	}
	assert_true(pid > 0);
	assert_int_equal(rte_mps_proc_start_time(pid, &cst), 0);
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	bool zombie_leader = wait_for([&] {
		char buf[512] = "";
		int fd = open(path, O_RDONLY);
		ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
		if (fd >= 0)
			close(fd);
		const char *p = n > 0 ? strrchr(buf, ')') : nullptr;
		return p != nullptr && p[2] == 'Z';
	}, 5000);
	int alive = rte_mps_proc_alive(pid, cst);
	kill(pid, SIGKILL);
	assert_int_equal(waitpid(pid, nullptr, 0), pid);
	assert_true(zombie_leader);
	assert_int_equal(alive, 1);
	assert_int_equal(rte_mps_proc_alive(pid, cst), 0);
}

static void
test_not_initialised(void **)
{
	uint64_t ready;

	assert_int_equal(rte_mps_fini(), 0);
	assert_int_equal(rte_mps_fini(), -EINVAL);
	assert_int_equal(rte_mps_lcore_claim(), -EINVAL);
	assert_int_equal(rte_mps_lcore_release(0), -EINVAL);
	assert_int_equal(rte_mps_lcore_reclaim(), -EINVAL);
	assert_int_equal(rte_mps_lcore_owner(0, nullptr), -EINVAL);
	assert_int_equal(rte_mps_proc_list(nullptr, 0), -EINVAL);
	assert_int_equal(rte_mps_primary_pid(), -EINVAL);
	assert_int_equal(rte_mps_exit_notify_register(getpid(), 0,
			[](const rte_mps_exit_info *, void *) {}, nullptr), -EINVAL);
	assert_int_equal(rte_mps_exit_notify_fd(), -EINVAL);
	assert_int_equal(rte_mps_worker_add(0), -EINVAL);
	assert_int_equal(rte_mps_group_wait(&ready, 0), -EINVAL);
	assert_int_equal(rte_mps_res_lcore_cache(0, 3), -EINVAL);
	assert_int_equal(rte_mps_res_reset(0), -EINVAL);
	assert_int_equal(rte_mps_fork(RTE_MPS_NO_WORKER), -EINVAL);
	assert_int_equal(rte_mps_is_forked(), 0);
	assert_int_equal(rte_mps_init(), 0);
}

static void
test_stale_layout(void **)
{
	mps::shared *sh = shm();

	assert_non_null(sh);
	assert_int_equal(rte_mps_fini(), 0);

	sh->magic ^= 1;
	assert_int_equal(rte_mps_init(), -EPROTO);
	assert_int_equal(rte_errno, EPROTO);
	assert_true(strstr(rte_mps_strerror(), "magic") != nullptr);
	sh->magic ^= 1;

	sh->version = 99;
	assert_int_equal(rte_mps_init(), -EPROTO);
	assert_true(strstr(rte_mps_strerror(), "layout version 99") != nullptr);
	sh->version = RTE_MPS_LAYOUT_VERSION;

	sh->max_lcore = 64;
	assert_int_equal(rte_mps_init(), -EPROTO);
	assert_true(strstr(rte_mps_strerror(), "RTE_MAX_LCORE 64") != nullptr);
	sh->max_lcore = RTE_MAX_LCORE;

	assert_int_equal(rte_mps_init(), 0);
}

/* A record with our own (live) pid but another start time is a recycled
 * pid: what it holds is reclaimed. The same record with the right start
 * time is alive and kept. */
static void
test_stale_record_pid_reuse(void **)
{
	mps::shared *sh = shm();
	uint64_t st;

	assert_int_equal(rte_mps_proc_start_time(getpid(), &st), 0);
	int slot = -1;
	for (int i = RTE_MPS_MAX_PROCS - 1; i >= 0 && slot < 0; i--)
		if (mps::slot_state(sh->procs[i].state) == mps::SLOT_FREE)
			slot = i;
	assert_true(slot >= 0);
	uint32_t gen = mps::slot_gen(sh->procs[slot].state) + 1;
	for (int pass = 0; pass < 2; pass++) {
		bool stale = pass == 0;
		mps::proc_slot *ps = &sh->procs[slot];
		ps->pid = getpid();
		ps->start_time = stale ? st - 1 : st;
		ps->type = RTE_MPS_PROC_SECONDARY;
		ps->state = mps::slot_word(mps::SLOT_LIVE, gen, getpid());
		sh->lcore[7] = mps::lc_word(mps::LC_EAL, (unsigned int)slot, gen, 0);
		sh->lcore[8] = mps::lc_word(mps::LC_FLOAT, (unsigned int)slot, gen, 1234);
		assert_int_equal(rte_mps_lcore_owner(7, nullptr), 1);
		assert_int_equal(rte_mps_lcore_owner(8, nullptr), 2);
		int k = rte_mps_lcore_reclaim();
		if (stale) {
			assert_true(k >= 2);
			assert_int_equal(rte_mps_lcore_owner(7, nullptr), 0);
			assert_int_equal(rte_mps_lcore_owner(8, nullptr), 0);
			assert_int_equal(mps::slot_state(ps->state), mps::SLOT_FREE);
		} else {
			assert_int_equal(rte_mps_lcore_owner(7, nullptr), 1);
			assert_int_equal(rte_mps_lcore_owner(8, nullptr), 2);
			assert_int_equal(mps::slot_state(ps->state), mps::SLOT_LIVE);
			sh->lcore[7] = mps::LC_FREE;
			sh->lcore[8] = mps::LC_FREE;
			ps->state = mps::slot_word(mps::SLOT_FREE, gen, 0);
		}
		gen++;
	}
}

/* ---- floating lcores ---- */

static void
test_claim_release(void **)
{
	unsigned int before = rte_lcore_id();
	int id = rte_mps_lcore_claim();

	assert_true(id >= 2 && id < RTE_MAX_LCORE);
	assert_int_equal(rte_lcore_id(), (unsigned int)id);
	assert_int_equal(rte_mps_lcore_self(), id);
	assert_int_equal(rte_mps_lcore_claim(), -EEXIST);
	pid_t owner = 0;
	assert_int_equal(rte_mps_lcore_owner((unsigned int)id, &owner), 2);
	assert_int_equal(owner, getpid());
	assert_int_equal(rte_mps_lcore_release(0), 0);
	assert_int_equal(rte_lcore_id(), before);
	assert_int_equal(rte_mps_lcore_owner((unsigned int)id, nullptr), 0);
	assert_int_equal(rte_mps_lcore_release(0), -ENOENT);
	assert_int_equal(rte_mps_lcore_self(), -ENOENT);
	assert_int_equal(rte_mps_lcore_owner(RTE_MAX_LCORE, nullptr), -EINVAL);
	assert_int_equal(rte_mps_lcore_cache_flush(RTE_MAX_LCORE), -EINVAL);
}

/* Every id but the EAL ones can be claimed, once each; then ENOSPC. */
static void
test_claim_exhaustion(void **)
{
	constexpr unsigned int N = RTE_MAX_LCORE;
	std::atomic<int> ids[N];
	std::atomic<int> go{0};
	std::atomic<int> done{0};
	std::vector<std::thread> threads;

	for (unsigned int i = 0; i < N; i++) {
		ids[i] = -1000;
		threads.emplace_back([&, i] {
			ids[i] = rte_mps_lcore_claim();
			done++;
			while (go.load() == 0)
				usleep(100);
			if (ids[i] >= 0)
				rte_mps_lcore_release(0);
		});
	}
	bool all = wait_for([&] { return done.load() == (int)N; }, 20000);
	go = 1;
	for (auto &t : threads)
		t.join();
	assert_true(all);
	std::set<int> got;
	int nospc = 0;
	for (unsigned int i = 0; i < N; i++) {
		if (ids[i] == -ENOSPC) {
			nospc++;
			continue;
		}
		assert_true(ids[i] >= 2);    /* 0 and 1 are our EAL lcores */
		assert_true(got.insert(ids[i]).second);
	}
	assert_int_equal(got.size(), N - 2);
	assert_int_equal(nospc, 2);
	for (unsigned int l = 2; l < N; l++)
		assert_int_equal(rte_mps_lcore_owner(l, nullptr), 0);
}

static void
test_claim_threads_no_duplicate(void **)
{
	constexpr int THREADS = 8, ROUNDS = 3000;
	static std::atomic<int> holder[RTE_MAX_LCORE];
	std::atomic<int> dups{0}, errs{0};
	std::vector<std::thread> threads;

	for (auto &h : holder)
		h = 0;
	for (int t = 0; t < THREADS; t++) {
		threads.emplace_back([&, t] {
			for (int r = 0; r < ROUNDS; r++) {
				int id = rte_mps_lcore_claim();
				if (id < 0 || rte_lcore_id() != (unsigned int)id) {
					errs++;
					continue;
				}
				int zero = 0;
				if (!holder[id].compare_exchange_strong(zero, t + 1))
					dups++;
				holder[id] = 0;
				if (rte_mps_lcore_release(0) != 0)
					errs++;
			}
		});
	}
	for (auto &t : threads)
		t.join();
	assert_int_equal(dups.load(), 0);
	assert_int_equal(errs.load(), 0);
}

struct exit_rec {
	std::atomic<int> calls{0};
	rte_mps_exit_info info{};
	pthread_t thread{};
};

static void
record_exit(const rte_mps_exit_info *info, void *arg)
{
	auto *r = static_cast<exit_rec *>(arg);

	r->info = *info;
	r->thread = pthread_self();
	r->calls++;
}

/* Objects a thread leaves in its floating lcore's cache go back to the pool
 * when it releases with flush. */
static void
test_release_flush(void **)
{
	void *objs[8];

	int id = rte_mps_lcore_claim();
	assert_true(id >= 0);
	assert_int_equal(rte_mempool_get_bulk(pool, objs, 8), 0);
	rte_mempool_put_bulk(pool, objs, 8);
	assert_true(pool->local_cache[id].len >= 8);
	assert_int_equal(rte_mps_lcore_release(1), 0);
	assert_int_equal(pool->local_cache[id].len, 0);

	/* The same, for an lcore id named explicitly (here our own EAL one). */
	unsigned int self = rte_lcore_id();
	assert_int_equal(rte_mempool_get_bulk(pool, objs, 8), 0);
	rte_mempool_put_bulk(pool, objs, 8);
	unsigned int held = pool->local_cache[self].len;
	assert_true(held >= 8);
	assert_true(rte_mps_lcore_cache_flush(self) >= (int)held);
	assert_int_equal(pool->local_cache[self].len, 0);
	assert_int_equal(rte_mps_lcore_cache_flush(self), 0);
	struct rte_mps_audit a;
	assert_int_equal(rte_mps_mempool_audit(pool, &a), 0);
	assert_int_equal(a.size, POOL_SIZE);
	assert_int_equal(a.unaccounted, 0);
}

/* A forked worker that dies holding a floating id with objects in its
 * cache: the primary reclaims the id and flushes the cache. */
static void
test_dead_owner_cache_flushed(void **)
{
	int fds[2];

	assert_int_equal(pipe(fds), 0);
	pid_t pid = rte_mps_fork(RTE_MPS_NO_WORKER);
	assert_true(pid >= 0);
	if (pid == 0) {
		void *objs[16];
		int id = rte_mps_lcore_claim();
		if (id >= 0 && rte_mempool_get_bulk(pool, objs, 16) == 0)
			rte_mempool_put_bulk(pool, objs, 16);
		if (write(fds[1], &id, sizeof(id)) != sizeof(id))
			_exit(1);
		for (;;)
			pause();
	}
	int id = -1;
	assert_int_equal(read(fds[0], &id, sizeof(id)), (ssize_t)sizeof(id));
	close(fds[0]);
	close(fds[1]);
	assert_true(id >= 2);
	pid_t owner = 0;
	assert_int_equal(rte_mps_lcore_owner((unsigned int)id, &owner), 2);
	assert_int_equal(owner, pid);
	assert_true(pool->local_cache[id].len >= 16);
	struct rte_mps_audit a;
	assert_int_equal(rte_mps_mempool_audit(pool, &a), 0);
	assert_true(a.in_caches >= 16);
	assert_int_equal(a.unaccounted, 0);

	/* Registering hands over to the notification thread (through its
	 * lock), which is what orders our reads before its flush for TSan:
	 * the kill below orders them only through the kernel. */
	exit_rec rec;
	assert_true(rte_mps_exit_notify_register(pid, 0, record_exit, &rec) >= 0);
	kill(pid, SIGKILL);
	/* Event driven: the primary's member watch reclaims it. */
	bool freed = wait_for([&] {
		return rte_mps_lcore_owner((unsigned int)id, nullptr) == 0;
	}, 5000);
	assert_int_equal(wait_exit(pid, 5000) & 0x7f, SIGKILL);
	assert_true(freed);
	assert_true(wait_for([&] { return rec.calls.load() == 1; }, 5000));
	assert_int_equal(pool->local_cache[id].len, 0);
	assert_int_equal(rte_mps_mempool_audit(pool, &a), 0);
	assert_int_equal(a.in_pool, POOL_SIZE);
	assert_int_equal(a.unaccounted, 0);
}

/* ---- exit notification ---- */

static void
test_notify_exit_code(void **)
{
	exit_rec rec;
	int fd = -1;
	pid_t pid = fork_waiting_child(&fd, 7);

	assert_true(pid > 0);
	int h = rte_mps_exit_notify_register(pid, 0, record_exit, &rec);
	assert_true(h >= 0);
	close(fd);
	assert_true(wait_for([&] { return rec.calls.load() == 1; }, 5000));
	assert_int_equal(rec.info.pid, pid);
	assert_true(rec.info.flags & RTE_MPS_EXIT_STATUS_KNOWN);
	assert_int_equal(rec.info.exit_code, 7);
	assert_int_equal(rec.info.signal, 0);
	assert_false(pthread_equal(rec.thread, pthread_self()));
	/* Not reaped by the library: the application still can. */
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_int_equal(WEXITSTATUS(st), 7);
	/* A fired registration is gone. */
	assert_int_equal(rte_mps_exit_notify_unregister(h), -ENOENT);
}

static void
test_notify_signal_reap(void **)
{
	exit_rec rec;
	int fd = -1;
	pid_t pid = fork_waiting_child(&fd, 0);

	assert_true(pid > 0);
	assert_true(rte_mps_exit_notify_register(pid, RTE_MPS_NOTIFY_REAP, record_exit, &rec) >= 0);
	kill(pid, SIGKILL);
	assert_true(wait_for([&] { return rec.calls.load() == 1; }, 5000));
	close(fd);
	assert_int_equal(rec.info.signal, SIGKILL);
	assert_int_equal(rec.info.exit_code, -1);
	assert_true(rec.info.flags & RTE_MPS_EXIT_STATUS_KNOWN);
	assert_true(wait_for([&] {
		return waitpid(pid, nullptr, WNOHANG) < 0 && errno == ECHILD;
	}, 5000));
}

static void
test_notify_defer(void **)
{
	exit_rec rec;
	int fd = -1;
	pid_t pid = fork_waiting_child(&fd, 3);
	int efd = rte_mps_exit_notify_fd();

	assert_true(efd >= 0);
	assert_true(pid > 0);
	assert_true(rte_mps_exit_notify_register(pid, RTE_MPS_NOTIFY_DEFER, record_exit,
			&rec) >= 0);
	close(fd);
	struct pollfd p = { efd, POLLIN, 0 };
	assert_int_equal(poll(&p, 1, 5000), 1);
	assert_int_equal(rec.calls.load(), 0);
	assert_int_equal(rte_mps_exit_notify_poll(), 1);
	assert_int_equal(rec.calls.load(), 1);
	assert_true(pthread_equal(rec.thread, pthread_self()));
	assert_int_equal(rec.info.exit_code, 3);
	assert_int_equal(rte_mps_exit_notify_poll(), 0);
	p.revents = 0;
	assert_int_equal(poll(&p, 1, 0), 0);
	waitpid(pid, nullptr, 0);
}

static void
test_notify_unregister(void **)
{
	exit_rec dropped, kept;
	int fd = -1;
	pid_t pid = fork_waiting_child(&fd, 0);

	assert_true(pid > 0);
	int h1 = rte_mps_exit_notify_register(pid, 0, record_exit, &dropped);
	int h2 = rte_mps_exit_notify_register(pid, 0, record_exit, &kept);
	assert_true(h1 >= 0 && h2 >= 0 && h1 != h2);
	assert_int_equal(rte_mps_exit_notify_unregister(h1), 0);
	assert_int_equal(rte_mps_exit_notify_unregister(h1), -ENOENT);
	close(fd);
	/* Registrations of a pid fire together: once kept is called,
	 * dropped would have been too. */
	assert_true(wait_for([&] { return kept.calls.load() == 1; }, 5000));
	assert_int_equal(dropped.calls.load(), 0);
	waitpid(pid, nullptr, 0);
	assert_int_equal(rte_mps_exit_notify_unregister(-1), -ENOENT);
	assert_int_equal(rte_mps_exit_notify_unregister(12345678), -ENOENT);
}

static void
test_notify_bad_args(void **)
{
	exit_rec rec;

	assert_int_equal(rte_mps_exit_notify_register(getpid(), 0, nullptr, nullptr), -EINVAL);
	assert_int_equal(rte_mps_exit_notify_register(-5, 0, record_exit, &rec), -EINVAL);
	assert_int_equal(rte_mps_exit_notify_register(getpid(), 0x80, record_exit, &rec), -EINVAL);
	assert_true(strstr(rte_mps_strerror(), "0x80") != nullptr);
	/* A pid that does not exist. */
	int fd = -1;
	pid_t pid = fork_waiting_child(&fd, 0);
	close(fd);
	waitpid(pid, nullptr, 0);
	assert_int_equal(rte_mps_exit_notify_register(pid, 0, record_exit, &rec), -ESRCH);
	assert_int_equal(rec.calls.load(), 0);
}

static void
test_notify_members(void **)
{
	exit_rec rec;
	int h = rte_mps_exit_notify_register(RTE_MPS_PID_MEMBERS, 0, record_exit, &rec);

	assert_true(h >= 0);
	pid_t pid = rte_mps_fork(RTE_MPS_NO_WORKER);
	assert_true(pid >= 0);
	if (pid == 0) {
		for (;;)
			pause();
	}
	kill(pid, SIGKILL);
	assert_true(wait_for([&] { return rec.calls.load() == 1; }, 5000));
	assert_int_equal(rec.info.pid, pid);
	assert_int_equal(rec.info.signal, SIGKILL);
	assert_int_equal(rte_mps_exit_notify_unregister(h), 0);
	waitpid(pid, nullptr, 0);
}

/* ---- workers, dependencies, command channel ---- */

static void
test_worker_bad_args(void **)
{
	assert_int_equal(rte_mps_worker_add(RTE_MPS_MAX_WORKERS), -EINVAL);
	assert_int_equal(rte_mps_worker_add(40), 0);
	assert_int_equal(rte_mps_worker_add(40), -EEXIST);
	assert_int_equal(rte_mps_worker_depend(40, 41), -ENOENT);
	assert_int_equal(rte_mps_worker_depend(41, 40), -ENOENT);
	assert_int_equal(rte_mps_worker_depend(40, 40), -EINVAL);
	assert_int_equal(rte_mps_worker_pair(40, 41), -ENOENT);
	assert_int_equal(rte_mps_worker_attach(41, getpid()), -ENOENT);
	assert_int_equal(rte_mps_worker_attach(40, 0), -EINVAL);
	assert_int_equal(rte_mps_worker_pid(40), 0);
	assert_int_equal(rte_mps_worker_pid(41), -ENOENT);
	assert_int_equal(rte_mps_group_stop(1ull << 41), -EINVAL);
	assert_int_equal(rte_mps_group_wait(nullptr, 0), -EINVAL);
	uint64_t ready = 5;
	assert_int_equal(rte_mps_group_wait(&ready, 0), 0);
	assert_int_equal(ready, 0);
	assert_int_equal(rte_mps_tracker_set_timeout(0), -EINVAL);
	assert_int_equal(rte_mps_cmd_send(41, RTE_MPS_CMD_USER, 0), -ENOENT);
	assert_int_equal(rte_mps_cmd_send(40, 0, 0), -EINVAL);
	assert_int_equal(rte_mps_cmd_poll(RTE_MPS_MAX_WORKERS), -ENOENT);
	assert_int_equal(rte_mps_cmd_ack(RTE_MPS_MAX_WORKERS, 1), -ENOENT);
	assert_int_equal(rte_mps_fork(41), -EINVAL);
	assert_int_equal(rte_mps_fork(-7), -EINVAL);
	assert_int_equal(rte_mps_worker_remove(40), 0);
	assert_int_equal(rte_mps_worker_remove(40), -ENOENT);
}

static void
test_cmd_channel(void **)
{
	assert_int_equal(rte_mps_worker_add(42), 0);
	assert_int_equal(rte_mps_cmd_poll(42), 0);
	assert_int_equal(rte_mps_cmd_send(42, RTE_MPS_CMD_USER + 1, 0), 0);
	assert_int_equal(rte_mps_cmd_poll(42), (int)RTE_MPS_CMD_USER + 1);
	assert_int_equal(rte_mps_cmd_poll(42), 0);

	/* Acknowledged by another thread. */
	std::atomic<bool> stop{false};
	std::thread worker([&] {
		while (!stop.load()) {
			int c = rte_mps_cmd_poll(42);
			if (c > 0)
				rte_mps_cmd_ack(42, (uint32_t)c);
			usleep(50);
		}
	});
	assert_int_equal(rte_mps_cmd_send(42, RTE_MPS_CMD_USER + 2, 5000), 0);
	assert_int_equal(rte_mps_cmd_send(42, RTE_MPS_CMD_STOP, 5000), 0);
	stop = true;
	worker.join();

	/* Nobody answers: a bounded wait. */
	assert_int_equal(rte_mps_cmd_send(42, RTE_MPS_CMD_USER, 20), -ETIMEDOUT);
	assert_true(strstr(rte_mps_strerror(), "did not acknowledge") != nullptr);
	/* Fill the ring. */
	int ret = 0;
	for (int i = 0; i < 100 && ret == 0; i++)
		ret = rte_mps_cmd_send(42, RTE_MPS_CMD_USER, 0);
	assert_int_equal(ret, -ENOBUFS);
	assert_int_equal(rte_mps_worker_remove(42), 0);
}

static void
test_pair_recovery(void **)
{
	assert_int_equal(rte_mps_tracker_set_timeout(2000), 0);
	assert_int_equal(rte_mps_worker_add(0), 0);
	assert_int_equal(rte_mps_worker_add(1), 0);
	assert_int_equal(rte_mps_worker_pair(0, 1), 0);
	pid_t p0 = start_worker(0, OBEDIENT);
	pid_t p1 = start_worker(1, OBEDIENT);
	assert_true(p0 > 0 && p1 > 0);
	assert_int_equal(rte_mps_worker_pid(0), p0);
	assert_int_equal(rte_mps_worker_pid(1), p1);
	assert_int_equal(rte_mps_worker_attach(0, p1), -EBUSY);
	assert_int_equal(rte_mps_worker_remove(0), -EBUSY);
	assert_int_equal(rte_mps_res_reset(0), -EBUSY);

	kill(p0, SIGKILL);
	assert_int_equal(collect_ready(3, 10000), 3);
	assert_int_equal(wait_exit(p0, 5000) & 0x7f, SIGKILL);
	int st = wait_exit(p1, 5000);
	assert_true(WIFEXITED(st));     /* it obeyed STOP */
	assert_int_equal(WEXITSTATUS(st), 0);
	assert_int_equal(rte_mps_worker_pid(0), 0);

	/* Restart both, then lose the other one. */
	p0 = start_worker(0, OBEDIENT);
	p1 = start_worker(1, OBEDIENT);
	kill(p1, SIGKILL);
	assert_int_equal(collect_ready(3, 10000), 3);
	assert_true(WIFEXITED(wait_exit(p0, 5000)));
	assert_int_equal(wait_exit(p1, 5000) & 0x7f, SIGKILL);
	uint64_t r = 0;
	assert_int_equal(rte_mps_group_wait(&r, 0), 0);
}

static void
test_stubborn_escalation(void **)
{
	assert_int_equal(rte_mps_tracker_set_timeout(100), 0);
	pid_t p0 = start_worker(0, OBEDIENT);
	pid_t p1 = start_worker(1, STUBBORN);
	kill(p0, SIGKILL);
	assert_int_equal(collect_ready(3, 10000), 3);
	wait_exit(p0, 5000);
	int st = wait_exit(p1, 5000);
	assert_true(WIFSIGNALED(st));
	assert_int_equal(WTERMSIG(st), SIGKILL);
	assert_int_equal(rte_mps_tracker_set_timeout(2000), 0);
}

/* A worker that dies again as soon as it is restarted: each time, the
 * pair is reported ready again, nothing wedges. */
static void
test_crash_loop(void **)
{
	for (int round = 0; round < 20; round++) {
		pid_t p0 = start_worker(0, OBEDIENT);
		pid_t p1 = start_worker(1, CRASHING);
		assert_true(p0 > 0 && p1 > 0);
		if (collect_ready(3, 10000) != 3)
			fail_msg("round %d: pair not ready again", round);
		assert_true(WIFEXITED(wait_exit(p0, 5000)));
		int st = wait_exit(p1, 5000);
		assert_true(WIFEXITED(st));
		assert_int_equal(WEXITSTATUS(st), 1);
	}
}

static void
test_chain_and_coalesce(void **)
{
	/* 2 depends on 1, 1 on 0: losing 0 stops all three. */
	assert_int_equal(rte_mps_worker_add(2), 0);
	assert_int_equal(rte_mps_worker_remove(1), 0);
	assert_int_equal(rte_mps_worker_add(1), 0);
	assert_int_equal(rte_mps_worker_depend(1, 0), 0);
	assert_int_equal(rte_mps_worker_depend(2, 1), 0);
	pid_t p[3];
	for (unsigned int w = 0; w < 3; w++)
		p[w] = start_worker(w, OBEDIENT);
	kill(p[0], SIGKILL);
	assert_int_equal(collect_ready(7, 10000), 7);
	for (unsigned int w = 0; w < 3; w++)
		wait_exit(p[w], 5000);

	/* Losing 2 stops nobody else. */
	for (unsigned int w = 0; w < 3; w++)
		p[w] = start_worker(w, OBEDIENT);
	kill(p[2], SIGKILL);
	assert_int_equal(collect_ready(4, 10000), 4);
	assert_int_equal(rte_mps_worker_pid(0), p[0]);
	assert_int_equal(rte_mps_worker_pid(1), p[1]);
	wait_exit(p[2], 5000);

	/* Concurrent losses: each worker is reported once. */
	p[2] = start_worker(2, OBEDIENT);
	kill(p[0], SIGKILL);
	kill(p[2], SIGKILL);
	uint64_t seen = 0;
	uint64_t deadline = now_ns() + 10000000000ull;
	while (seen != 7 && now_ns() < deadline) {
		uint64_t r = 0;
		if (rte_mps_group_wait(&r, 100) > 0) {
			assert_int_equal(seen & r, 0);
			seen |= r;
		}
	}
	assert_int_equal(seen, 7);
	for (unsigned int w = 0; w < 3; w++)
		wait_exit(p[w], 5000);

	/* An explicit stop. */
	for (unsigned int w = 0; w < 3; w++)
		p[w] = start_worker(w, OBEDIENT);
	assert_int_equal(rte_mps_group_stop(1ull << 1), 0);
	assert_int_equal(collect_ready(6, 10000), 6);
	assert_int_equal(rte_mps_worker_pid(0), p[0]);
	assert_true(WIFEXITED(wait_exit(p[1], 5000)));
	assert_true(WIFEXITED(wait_exit(p[2], 5000)));
	/* 1 and 2 are stopped already: only 0 is reported. */
	kill(p[0], SIGKILL);
	assert_int_equal(collect_ready(1, 10000), 1);
	wait_exit(p[0], 5000);
	for (unsigned int w = 0; w < 3; w++)
		assert_int_equal(rte_mps_worker_remove(w), 0);
}

/* ---- resources ---- */

static void
test_res_reset_and_audit(void **)
{
	struct rte_mempool *mp = rte_pktmbuf_pool_create("mps_ut_mbuf", 511, 32, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	assert_non_null(mp);
	assert_int_equal(rte_mps_worker_add(5), 0);

	auto *txb = static_cast<struct rte_eth_dev_tx_buffer *>(
			rte_zmalloc("mps_ut_txb", RTE_ETH_TX_BUFFER_SIZE(16), 0));
	auto *burst = static_cast<struct rte_mps_burst *>(
			rte_zmalloc("mps_ut_burst", sizeof(rte_mps_burst) + 16 * sizeof(void *),
				0));
	struct rte_ring *r = rte_ring_create("mps_ut_ring", 64, SOCKET_ID_ANY, 0);
	assert_non_null(txb);
	assert_non_null(burst);
	assert_non_null(r);
	rte_eth_tx_buffer_init(txb, 16);
	burst->size = 16;

	struct rte_mbuf *m[14];
	assert_int_equal(rte_pktmbuf_alloc_bulk(mp, m, 14), 0);
	for (int i = 0; i < 5; i++)
		txb->pkts[txb->length++] = m[i];
	for (int i = 5; i < 8; i++)
		burst->objs[burst->count++] = m[i];
	for (int i = 8; i < 12; i++)
		assert_int_equal(rte_ring_enqueue(r, m[i]), 0);
	/* m[12], m[13] stay in the test's hands. */

	assert_int_equal(rte_mps_res_tx_buffer(5, txb), 0);
	assert_int_equal(rte_mps_res_tx_buffer(5, txb), 0);    /* listed once */
	assert_int_equal(rte_mps_res_burst(5, burst), 0);
	assert_int_equal(rte_mps_res_ring(5, r), 0);
	assert_int_equal(rte_mps_res_lcore_cache(5, 9), 0);
	assert_int_equal(rte_mps_res_lcore_cache(5, RTE_MAX_LCORE), -EINVAL);
	assert_int_equal(rte_mps_res_ring(5, nullptr), -EINVAL);
	assert_int_equal(rte_mps_res_ring(6, r), -ENOENT);
	assert_int_equal(rte_mps_res_tx_buffer(5, nullptr), -EINVAL);
	assert_int_equal(rte_mps_res_tx_buffer(6, txb), -ENOENT);
	assert_int_equal(rte_mps_res_burst(5, nullptr), -EINVAL);
	assert_int_equal(rte_mps_res_burst(RTE_MPS_MAX_WORKERS, burst), -ENOENT);
	assert_int_equal(rte_mps_res_lcore_cache(6, 9), -ENOENT);

	struct rte_mps_audit a;
	assert_int_equal(rte_mps_mempool_audit(mp, &a), 0);
	assert_int_equal(a.size, 511);
	assert_int_equal(a.in_lists, 12);
	assert_int_equal(a.unaccounted, 2);
	assert_int_equal(a.in_pool + a.in_caches, 511 - 14);
	assert_int_equal(rte_mps_mempool_audit(nullptr, &a), -EINVAL);
	assert_int_equal(rte_mps_mempool_audit(mp, nullptr), -EINVAL);

	assert_int_equal(rte_mps_res_reset(5), 12);
	assert_int_equal(txb->length, 0);
	assert_int_equal(burst->count, 0);
	assert_int_equal(rte_ring_count(r), 0);
	rte_pktmbuf_free(m[12]);
	rte_pktmbuf_free(m[13]);
	assert_int_equal(rte_mps_mempool_audit(mp, &a), 0);
	assert_int_equal(a.in_lists, 0);
	assert_int_equal(a.unaccounted, 0);
	assert_int_equal(rte_mps_res_reset(5), 0);
	assert_int_equal(rte_mps_res_reset(6), -ENOENT);

	/* The list is bounded. */
	int ret = 0;
	for (unsigned int l = 10; l < 10 + RTE_MPS_MAX_RES && ret == 0; l++)
		ret = rte_mps_res_lcore_cache(5, l);
	assert_int_equal(ret, -ENOSPC);

	assert_int_equal(rte_mps_worker_remove(5), 0);
	rte_ring_free(r);
	rte_free(txb);
	rte_free(burst);
	rte_mempool_free(mp);
}

/* A worker killed while moving an mbuf from its burst array to a TX buffer
 * leaves it in both: it is counted once and freed once. */
static void
test_res_listed_twice(void **)
{
	struct rte_mempool *mp = rte_pktmbuf_pool_create("mps_ut_mbuf2", 255, 0, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	assert_non_null(mp);
	assert_int_equal(rte_mps_worker_add(6), 0);
	auto *txb = static_cast<struct rte_eth_dev_tx_buffer *>(
			rte_zmalloc("mps_ut_txb2", RTE_ETH_TX_BUFFER_SIZE(8), 0));
	auto *burst = static_cast<struct rte_mps_burst *>(
			rte_zmalloc("mps_ut_burst2", sizeof(rte_mps_burst) + 8 * sizeof(void *),
				0));
	assert_non_null(txb);
	assert_non_null(burst);
	rte_eth_tx_buffer_init(txb, 8);
	burst->size = 8;
	burst->count = 8;
	assert_int_equal(rte_mps_res_tx_buffer(6, txb), 0);
	assert_int_equal(rte_mps_res_burst(6, burst), 0);

	struct rte_mbuf *m[3];
	assert_int_equal(rte_pktmbuf_alloc_bulk(mp, m, 3), 0);
	burst->objs[0] = m[0];
	burst->objs[1] = m[1];
	burst->objs[2] = m[2];
	txb->pkts[txb->length++] = m[1];    /* moved, not yet cleared */

	struct rte_mps_audit a;
	assert_int_equal(rte_mps_mempool_audit(mp, &a), 0);
	assert_int_equal(a.in_lists, 3);
	assert_int_equal(a.unaccounted, 0);
	assert_int_equal(rte_mps_res_reset(6), 3);
	assert_null(burst->objs[1]);
	assert_int_equal(txb->length, 0);
	assert_int_equal(rte_mps_mempool_audit(mp, &a), 0);
	assert_int_equal(a.in_pool + a.in_caches, 255);
	assert_int_equal(a.unaccounted, 0);
	/* Nothing was freed twice: exactly 255 distinct mbufs come out. */
	struct rte_mbuf *all[255];
	assert_int_equal(rte_pktmbuf_alloc_bulk(mp, all, 255), 0);
	std::set<void *> distinct(all, all + 255);
	assert_int_equal(distinct.size(), 255);
	assert_null(rte_pktmbuf_alloc(mp));
	rte_pktmbuf_free_bulk(all, 255);

	assert_int_equal(rte_mps_worker_remove(6), 0);
	rte_free(txb);
	rte_free(burst);
	rte_mempool_free(mp);
}

/*
 * A listed mbuf pool is rebuilt whole by the reset, whatever state a worker
 * killed at a random instruction left it in.
 */
static void
test_res_mempool_rebuild(void **)
{
	constexpr unsigned int N = 1023;
	struct rte_mempool *mp = rte_pktmbuf_pool_create("mps_ut_mbuf3", N, 32, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	assert_non_null(mp);
	assert_int_equal(rte_mps_worker_add(8), 0);
	assert_int_equal(rte_mps_worker_add(9), 0);

	/* Only fully populated, ring-based mbuf pools. */
	assert_int_equal(rte_mps_res_mempool(8, nullptr), -EINVAL);
	assert_int_equal(rte_mps_res_mempool(10, mp), -ENOENT);
	struct rte_mempool *plain = rte_mempool_create("mps_ut_plain", 63, 64, 0, 0,
			nullptr, nullptr, nullptr, nullptr, SOCKET_ID_ANY, 0);
	assert_non_null(plain);
	assert_int_equal(rte_mps_res_mempool(8, plain), -EINVAL);
	rte_mempool_free(plain);
	struct rte_mempool *empty = rte_mempool_create_empty("mps_ut_empty", 63,
			sizeof(struct rte_mbuf) + RTE_MBUF_DEFAULT_BUF_SIZE, 0,
			sizeof(struct rte_pktmbuf_pool_private), SOCKET_ID_ANY, 0);
	assert_non_null(empty);
	assert_int_equal(rte_mempool_set_ops_byname(empty, "ring_mp_mc", nullptr), 0);
	rte_pktmbuf_pool_init(empty, nullptr);
	assert_int_equal(rte_mps_res_mempool(8, empty), -EINVAL);
	rte_mempool_free(empty);

	auto *txb = static_cast<struct rte_eth_dev_tx_buffer *>(
			rte_zmalloc("mps_ut_txb3", RTE_ETH_TX_BUFFER_SIZE(16), 0));
	auto *burst = static_cast<struct rte_mps_burst *>(
			rte_zmalloc("mps_ut_burst3", sizeof(rte_mps_burst) + 16 * sizeof(void *),
				0));
	assert_non_null(txb);
	assert_non_null(burst);
	rte_eth_tx_buffer_init(txb, 16);
	burst->size = 16;
	assert_int_equal(rte_mps_res_mempool(8, mp), 0);
	assert_int_equal(rte_mps_res_mempool(8, mp), 0);    /* listed once */
	assert_int_equal(rte_mps_res_tx_buffer(8, txb), 0);
	assert_int_equal(rte_mps_res_burst(8, burst), 0);

	/* The mess a killed worker leaves. */
	struct rte_mbuf *m[20];
	assert_int_equal(rte_mempool_generic_get(mp, (void **)m, 20, nullptr), 0);
	for (int i = 0; i < 5; i++)
		txb->pkts[txb->length++] = m[i];        /* buffered */
	for (int i = 5; i < 8; i++)
		burst->objs[burst->count++] = m[i];     /* in hand */
	/* m[8..11]: taken from the pool and held nowhere (lost) */
	burst->objs[burst->count++] = m[12];            /* in hand and freed */
	rte_mempool_generic_put(mp, (void **)&m[12], 1, nullptr);
	struct rte_mempool_cache *c = &mp->local_cache[9];
	c->objs[0] = m[13];                             /* a cache holding */
	c->objs[1] = m[13];                             /* a copy twice */
	c->objs[2] = m[14];
	c->len = 3;
	m[15]->refcnt = 3;                              /* half freed */
	m[15]->next = m[16];
	txb->pkts[txb->length++] = m[15];
	/* m[16..19]: lost; and a producer killed inside an enqueue */
	auto *r = static_cast<struct rte_ring *>(mp->pool_data);
	r->prod.head += 2;

	struct rte_mps_audit a;
	assert_int_equal(rte_mps_mempool_audit(mp, &a), 0);
	assert_true(a.unaccounted > 0);

	/* Another worker listing the pool keeps it from being rebuilt. */
	assert_int_equal(rte_mps_res_mempool(9, mp), 0);
	assert_int_equal(rte_mps_worker_remove(9), 0);

	assert_true(rte_mps_res_reset(8) >= 0);
	assert_int_equal(txb->length, 0);
	assert_int_equal(burst->count, 0);
	for (unsigned int i = 0; i < burst->size; i++)
		assert_null(burst->objs[i]);
	for (unsigned int l = 0; l < RTE_MAX_LCORE; l++)
		assert_int_equal(mp->local_cache[l].len, 0);
	assert_int_equal(rte_mps_mempool_audit(mp, &a), 0);
	assert_int_equal(a.size, N);
	assert_int_equal(a.in_pool, N);
	assert_int_equal(a.unaccounted, 0);

	/* Every mbuf exactly once, as new; and the ring works again. */
	struct rte_mbuf *all[N];
	assert_int_equal(rte_mempool_generic_get(mp, (void **)all, N, nullptr), 0);
	void *extra;
	assert_int_not_equal(rte_mempool_generic_get(mp, &extra, 1, nullptr), 0);
	std::set<void *> distinct(all, all + N);
	assert_int_equal(distinct.size(), N);
	for (unsigned int i = 0; i < N; i++) {
		assert_int_equal(rte_mbuf_refcnt_read(all[i]), 1);
		assert_null(all[i]->next);
		assert_int_equal(all[i]->nb_segs, 1);
		assert_ptr_equal(all[i]->pool, mp);
	}
	rte_mempool_generic_put(mp, (void **)all, N, nullptr);
	assert_int_equal(rte_mempool_avail_count(mp), N);

	assert_int_equal(rte_mps_worker_remove(8), 0);
	rte_free(txb);
	rte_free(burst);
	rte_mempool_free(mp);
}

/*
 * A pool also listed by a worker with a live process is not rebuilt; once
 * that worker is stopped and reset, it is.
 */
static void
test_res_mempool_shared_not_rebuilt(void **)
{
	struct rte_mempool *mp = rte_pktmbuf_pool_create("mps_ut_mbuf4", 255, 0, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	assert_non_null(mp);
	assert_int_equal(rte_mps_tracker_set_timeout(2000), 0);
	assert_int_equal(rte_mps_worker_add(8), 0);
	assert_int_equal(rte_mps_worker_add(9), 0);
	auto *burst = static_cast<struct rte_mps_burst *>(
			rte_zmalloc("mps_ut_burst4", sizeof(rte_mps_burst) + 8 * sizeof(void *),
				0));
	assert_non_null(burst);
	burst->size = 8;
	assert_int_equal(rte_mps_res_mempool(8, mp), 0);
	assert_int_equal(rte_mps_res_mempool(9, mp), 0);
	assert_int_equal(rte_mps_res_burst(8, burst), 0);

	pid_t p9 = start_worker(9, OBEDIENT);
	assert_true(p9 > 0);
	struct rte_mbuf *m[5];
	assert_int_equal(rte_mempool_generic_get(mp, (void **)m, 5, nullptr), 0);
	burst->objs[0] = m[0];
	burst->objs[1] = m[1];
	burst->count = 2;
	/* m[2..4] may be worker 9's: its pool is not the reset's to rebuild */
	assert_int_equal(rte_mps_res_reset(8), 2);
	struct rte_mps_audit a;
	assert_int_equal(rte_mps_mempool_audit(mp, &a), 0);
	assert_int_equal(a.unaccounted, 3);

	/* Worker 9 stopped and reset, with 8 idle: the pool is rebuilt. */
	assert_int_equal(rte_mps_group_stop(1ull << 9), 0);
	assert_int_equal(collect_ready(1ull << 9, 10000), 1ull << 9);
	assert_true(WIFEXITED(wait_exit(p9, 5000)));
	assert_int_equal(rte_mps_mempool_audit(mp, &a), 0);
	assert_int_equal(a.unaccounted, 0);
	assert_int_equal(rte_mempool_generic_get(mp, (void **)m, 3, nullptr), 0);

	/* ... but a child forked for it, not attached yet, runs. */
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	pid_t c = rte_mps_fork(RTE_MPS_NO_WORKER);
	if (c == 0) {
		char ch;
		close(fds[1]);
		while (read(fds[0], &ch, 1) < 0 && errno == EINTR)
			;
		rte_mps_child_exit(0);
	}
	assert_true(c > 0);
	close(fds[0]);
	mps::shared *sh = shm();
	int slot = -1;
	for (int tries = 0; tries < 5000 && slot < 0; tries++) {
		for (unsigned int i = 0; i < RTE_MPS_MAX_PROCS; i++)
			if (mps::slot_state(__atomic_load_n(&sh->procs[i].state,
					__ATOMIC_ACQUIRE)) == mps::SLOT_LIVE &&
					sh->procs[i].pid == c)
				slot = (int)i;
		if (slot < 0)
			usleep(1000);
	}
	assert_true(slot >= 0);
	__atomic_store_n(&sh->procs[slot].worker, 9, __ATOMIC_RELEASE);
	assert_true(rte_mps_res_reset(8) >= 0);
	assert_int_equal(rte_mps_mempool_audit(mp, &a), 0);
	assert_int_equal(a.unaccounted, 3);
	close(fds[1]);
	assert_true(WIFEXITED(wait_exit(c, 5000)));

	/* Nothing else uses the pool now: the reset rebuilds it. */
	assert_true(rte_mps_res_reset(8) >= 0);
	assert_int_equal(rte_mps_mempool_audit(mp, &a), 0);
	assert_int_equal(a.unaccounted, 0);
	assert_int_equal(rte_mempool_avail_count(mp), 255);

	assert_int_equal(rte_mps_worker_remove(8), 0);
	assert_int_equal(rte_mps_worker_remove(9), 0);
	rte_free(burst);
	rte_mempool_free(mp);
}

/*
 * The lcore cache a dead worker left in a pool that its reset will rebuild
 * is not flushed by a reclaim, and its lcore id is not freed, until then.
 */
static void
test_reclaim_waits_for_rebuild(void **)
{
	struct rte_mempool *mp = rte_pktmbuf_pool_create("mps_ut_mbuf5", 255, 32, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	assert_non_null(mp);
	assert_int_equal(rte_mps_worker_add(8), 0);
	assert_int_equal(rte_mps_res_mempool(8, mp), 0);

	/* Worker 8 ran as a process that is gone, and is not reset yet. */
	pid_t dead = fork();
	if (dead == 0)
		_exit(0);
	assert_true(WIFEXITED(wait_exit(dead, 5000)));
	mps::shared *sh = shm();
	mps::worker_slot *ws = &sh->workers[8];
	ws->start_time = 1;
	ws->pid = dead;
	__atomic_store_n(&ws->state, (uint32_t)mps::W_RUNNING, __ATOMIC_RELEASE);

	/* Its floating lcore id, owned by a slot that is gone, with mbufs of
	 * mp in its cache. */
	constexpr unsigned int L = RTE_MAX_LCORE - 2;
	assert_int_equal(__atomic_load_n(&sh->lcore[L], __ATOMIC_ACQUIRE),
			(uint64_t)mps::LC_FREE);
	const uint64_t owner = mps::lc_word(mps::LC_FLOAT, 63, 12345, 1);
	__atomic_store_n(&sh->lcore[L], owner, __ATOMIC_RELEASE);
	void *objs[3];
	assert_int_equal(rte_mempool_generic_get(mp, objs, 3, nullptr), 0);
	struct rte_mempool_cache *c = &mp->local_cache[L];
	memcpy(c->objs, objs, sizeof(objs));
	c->len = 3;

	rte_mps_lcore_reclaim();
	assert_int_equal(__atomic_load_n(&sh->lcore[L], __ATOMIC_ACQUIRE), owner);
	assert_int_equal(c->len, 3);

	/* The reset rebuilds the pool; the next reclaim frees the id. */
	assert_true(rte_mps_res_reset(8) >= 0);
	assert_int_equal(c->len, 0);
	rte_mps_lcore_reclaim();
	assert_int_equal(__atomic_load_n(&sh->lcore[L], __ATOMIC_ACQUIRE),
			(uint64_t)mps::LC_FREE);
	assert_int_equal(rte_mempool_avail_count(mp), 255);

	ws->pid = 0;
	__atomic_store_n(&ws->state, (uint32_t)mps::W_IDLE, __ATOMIC_RELEASE);
	assert_int_equal(rte_mps_worker_remove(8), 0);
	rte_mempool_free(mp);
}

static uint16_t tx_errors;

static void
count_tx_error(struct rte_mbuf **pkts, uint16_t unsent, void *)
{
	tx_errors += unsent;
	rte_pktmbuf_free_bulk(pkts, unsent);
}

/* The kill-safe TX buffer helpers on a real port (net_null). */
static void
test_tx_buffer_helpers(void **)
{
	uint16_t port;
	struct rte_eth_conf conf = {};

	assert_int_equal(rte_eth_dev_get_port_by_name("net_null0", &port), 0);
	struct rte_mempool *mp = rte_pktmbuf_pool_create("mps_ut_mbuf3", 255, 0, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	assert_non_null(mp);
	assert_int_equal(rte_eth_dev_configure(port, 1, 1, &conf), 0);
	assert_int_equal(rte_eth_rx_queue_setup(port, 0, 64, SOCKET_ID_ANY, nullptr, mp), 0);
	assert_int_equal(rte_eth_tx_queue_setup(port, 0, 64, SOCKET_ID_ANY, nullptr), 0);
	assert_int_equal(rte_eth_dev_start(port), 0);

	auto *txb = static_cast<struct rte_eth_dev_tx_buffer *>(
			rte_zmalloc("mps_ut_txb3", RTE_ETH_TX_BUFFER_SIZE(4), 0));
	assert_non_null(txb);
	rte_eth_tx_buffer_init(txb, 4);
	assert_int_equal(rte_eth_tx_buffer_set_err_callback(txb, count_tx_error, nullptr), 0);
	struct rte_mbuf *m[5];
	assert_int_equal(rte_pktmbuf_alloc_bulk(mp, m, 5), 0);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(rte_mps_tx_buffer(port, 0, txb, m[i]), 0);
		assert_int_equal(txb->length, i + 1);
		assert_ptr_equal(txb->pkts[i], m[i]);
	}
	assert_int_equal(rte_mps_tx_buffer(port, 0, txb, m[3]), 4);    /* full: sent */
	assert_int_equal(txb->length, 0);
	assert_int_equal(rte_mps_tx_buffer(port, 0, txb, m[4]), 0);
	assert_int_equal(rte_mps_tx_buffer_flush(port, 0, txb), 1);
	assert_int_equal(rte_mps_tx_buffer_flush(port, 0, txb), 0);
	assert_int_equal(tx_errors, 0);
	/* net_null frees what it sends: everything is back. */
	struct rte_mps_audit a;
	assert_int_equal(rte_mps_mempool_audit(mp, &a), 0);
	assert_int_equal(a.unaccounted, 0);
	assert_int_equal(a.in_pool + a.in_caches, 255);

	assert_int_equal(rte_eth_dev_stop(port), 0);
	rte_free(txb);
	rte_mempool_free(mp);
}

/* ---- fork contract ---- */

static void
test_fork_child_restrictions(void **)
{
	assert_int_equal(rte_mps_worker_add(7), 0);
	pid_t pid = rte_mps_fork(RTE_MPS_NO_WORKER);
	assert_true(pid >= 0);
	if (pid == 0) {
		int bad = 0;
		uint64_t r;
		bad |= (rte_mps_is_forked() != 1) << 0;
		bad |= (rte_mps_init() != -EPERM) << 1;
		bad |= (rte_mps_worker_add(8) != -EPERM) << 2;
		bad |= (rte_mps_exit_notify_register(getppid(), 0, record_exit, nullptr)
				!= -EPERM) << 3;
		bad |= (rte_mps_fork(RTE_MPS_NO_WORKER) != -EPERM) << 4;
		bad |= (rte_mps_res_reset(7) != -EPERM) << 5;
		bad |= (rte_mps_group_wait(&r, 0) != -EPERM) << 6;
		bad |= (rte_mps_res_lcore_cache(7, 3) != -EPERM) << 7;
		/* What it may do: claim an lcore id of its own, use the
		 * command channel, list processes. */
		int id = rte_mps_lcore_claim();
		bad |= (id < 2) << 8;
		bad |= (rte_mps_cmd_poll(7) != 0) << 9;
		struct rte_mps_proc_info info[RTE_MPS_MAX_PROCS];
		int n = rte_mps_proc_list(info, RTE_DIM(info));
		bool me = false;
		for (int i = 0; i < n; i++)
			me |= info[i].pid == getpid() && info[i].type == RTE_MPS_PROC_FORKED &&
				info[i].parent_pid == getppid();
		bad |= (!me) << 10;
		/* Release with flush works from the pools known at fork time. */
		void *objs[8];
		if (id >= 0 && rte_mempool_get_bulk(pool, objs, 8) == 0)
			rte_mempool_put_bulk(pool, objs, 8);
		bad |= (id < 0 || pool->local_cache[id].len < 8) << 11;
		bad |= (rte_mps_lcore_release(1) != 0) << 12;
		bad |= (id < 0 || pool->local_cache[id].len != 0) << 13;
		rte_mps_child_exit(bad == 0 ? 0 : 100 + __builtin_ctz(bad));
	}
	int st = wait_exit(pid, 10000);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	assert_int_equal(rte_mps_is_forked(), 0);
	/* It released its slot and id on the way out. */
	struct rte_mps_proc_info info[RTE_MPS_MAX_PROCS];
	int n = rte_mps_proc_list(info, RTE_DIM(info));
	for (int i = 0; i < n; i++)
		assert_int_not_equal(info[i].pid, pid);
	assert_int_equal(rte_mps_worker_remove(7), 0);
}

/* A process whose main thread ends while another thread goes on. */
static int
zombie_leader_main()
{
	pthread_t th;

	pthread_create(&th, nullptr, [](void *) -> void * {
		for (;;)
			pause();
		return nullptr;
	}, nullptr);
	/* End the main thread alone, without unwinding or exiting the process. */
	syscall(SYS_exit, 0);
	return 1;
}

int
main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "--zombie-leader") == 0)
		return zombie_leader_main();
	int ret = start_test_eal(argv[0], "ut", { "--vdev=net_null0" });
	if (ret != 0)
		return ret;

	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_and_list),
		cmocka_unit_test(test_start_time_and_alive),
		cmocka_unit_test(test_not_initialised),
		cmocka_unit_test(test_stale_layout),
		cmocka_unit_test(test_stale_record_pid_reuse),
		cmocka_unit_test(test_claim_release),
		cmocka_unit_test(test_claim_exhaustion),
		cmocka_unit_test(test_claim_threads_no_duplicate),
		cmocka_unit_test(test_release_flush),
		cmocka_unit_test(test_dead_owner_cache_flushed),
		cmocka_unit_test(test_notify_exit_code),
		cmocka_unit_test(test_notify_signal_reap),
		cmocka_unit_test(test_notify_defer),
		cmocka_unit_test(test_notify_unregister),
		cmocka_unit_test(test_notify_bad_args),
		cmocka_unit_test(test_notify_members),
		cmocka_unit_test(test_worker_bad_args),
		cmocka_unit_test(test_cmd_channel),
		cmocka_unit_test(test_pair_recovery),
		cmocka_unit_test(test_stubborn_escalation),
		cmocka_unit_test(test_crash_loop),
		cmocka_unit_test(test_chain_and_coalesce),
		cmocka_unit_test(test_res_reset_and_audit),
		cmocka_unit_test(test_res_listed_twice),
		cmocka_unit_test(test_res_mempool_rebuild),
		cmocka_unit_test(test_res_mempool_shared_not_rebuilt),
		cmocka_unit_test(test_reclaim_waits_for_rebuild),
		cmocka_unit_test(test_tx_buffer_helpers),
		cmocka_unit_test(test_fork_child_restrictions),
	};
	ret = cmocka_run_group_tests(tests, mps_group_setup, mps_group_teardown);
	stop_test_eal();
	return ret;
}
