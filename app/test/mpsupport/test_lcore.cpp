/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/*
 * Unit tests of the lcore room of librte_mpsupport: floating lcore ids
 * claimed and released, all of them at once and by racing threads, the
 * caches flushed on release, and the id and cache of a dead owner.
 */

/* Every DPDK process here gets --no-pci from mps_test_env.h. */
#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <set>
#include <thread>
#include <vector>

#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#include <rte_mps_fork.h>
#include <rte_mps_lcore.h>
#include <rte_mps_notify.h>
#include <rte_mps_res.h>
#include "mps_test_env.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

using namespace mpstest;

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

/* A thread pinned to one CPU may run on every CPU after unpinning. */
static void
test_unpin(void **)
{
	long ncpu = sysconf(_SC_NPROCESSORS_CONF);
	int ret = -1, before = 0, after = 0;

	std::thread([&] {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(0, &set);
		if (sched_setaffinity(0, sizeof(set), &set) != 0)
			return;
		sched_getaffinity(0, sizeof(set), &set);
		before = CPU_COUNT(&set);
		ret = rte_mps_lcore_unpin();
		sched_getaffinity(0, sizeof(set), &set);
		after = CPU_COUNT(&set);
	}).join();
	assert_int_equal(ret, 0);
	assert_int_equal(before, 1);
	assert_int_equal(after, RTE_MIN(ncpu, (long)CPU_SETSIZE));
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

/*
 * Racing threads, started together, each hold their id across a yield, so
 * that ids are handed out while others are held. A holder word per id,
 * taken from 0 to the thread's number, sees a second holder. Every thread
 * holds its first id until all of them hold one: the ids of all threads
 * are held at once at least once.
 */
static void
test_claim_threads_no_duplicate(void **)
{
	constexpr int THREADS = 8, ROUNDS = 2000;
	static std::atomic<int> holder[RTE_MAX_LCORE];
	std::atomic<int> waiting{THREADS}, first_held{0}, holding{0}, max_holding{0};
	std::atomic<int> dups{0}, errs{0}, overlaps{0};
	std::vector<std::thread> threads;

	for (auto &h : holder)
		h = 0;
	uint64_t t0 = now_ns();
	for (int t = 0; t < THREADS; t++) {
		threads.emplace_back([&, t] {
			waiting--;
			while (waiting.load() > 0)
				sched_yield();
			for (int r = 0; r < ROUNDS; r++) {
				int id = rte_mps_lcore_claim();
				if (id < 0 || rte_lcore_id() != (unsigned int)id) {
					errs++;
					continue;
				}
				int zero = 0;
				bool mine = holder[id].compare_exchange_strong(zero, t + 1);
				if (!mine)
					dups++;
				int n = holding.fetch_add(1) + 1;
				int m = max_holding.load();
				while (n > m && !max_holding.compare_exchange_weak(m, n))
					;
				if (r == 0) {
					first_held++;
					if (!wait_for([&] { return first_held.load() == THREADS; },
							10000))
						errs++;
				} else {
					sched_yield();
					/* another thread holds an id while we hold ours */
					if (holding.load() > 1)
						overlaps++;
				}
				holding--;
				if (mine)
					holder[id] = 0;
				if (rte_mps_lcore_release(0) != 0)
					errs++;
			}
		});
	}
	for (auto &t : threads)
		t.join();
	print_message("%d threads, %d rounds each in %.1f ms: %d rounds after the first "
			"overlapped another holder, at most %d holders at once\n", THREADS, ROUNDS,
			(double)(now_ns() - t0) / 1e6, overlaps.load(), max_holding.load());
	assert_int_equal(dups.load(), 0);
	assert_int_equal(errs.load(), 0);
	assert_int_equal(max_holding.load(), THREADS);
	assert_true(overlaps.load() > 0);
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

static void
count_exit(const rte_mps_exit_info *, void *arg)
{
	++*static_cast<std::atomic<int> *>(arg);
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
	std::atomic<int> calls{0};
	assert_true(rte_mps_exit_notify_register(pid, 0, count_exit, &calls) >= 0);
	kill(pid, SIGKILL);
	/* Event driven: the primary's member watch reclaims it. */
	bool freed = wait_for([&] {
		return rte_mps_lcore_owner((unsigned int)id, nullptr) == 0;
	}, 5000);
	assert_int_equal(wait_exit(pid, 5000) & 0x7f, SIGKILL);
	assert_true(freed);
	assert_true(wait_for([&] { return calls.load() == 1; }, 5000));
	assert_int_equal(pool->local_cache[id].len, 0);
	assert_int_equal(rte_mps_mempool_audit(pool, &a), 0);
	assert_int_equal(a.in_pool, POOL_SIZE);
	assert_int_equal(a.unaccounted, 0);
}

/*
 * A forked worker killed inside a full-cache put, after it reserved the
 * slots of its cached objects in the pool's common ring and wrote the first
 * `written` of them, before it published them: every other producer of the
 * pool waits on it (with `behind`, a live one does, queued after it). The
 * reclaim completes the put instead of waiting too: the ring is whole, the
 * objects are in it once, the cache is empty and the live producer is done.
 * With nothing written, the reservation is known only by the tail that
 * stays where it begins.
 */
static void
dead_owner_put_in_flight(unsigned int written, bool behind)
{
	constexpr unsigned int n = 40, late = 8;
	int fds[2];

	assert_int_equal(pipe(fds), 0);
	pid_t pid = rte_mps_fork(RTE_MPS_NO_WORKER);
	assert_true(pid >= 0);
	if (pid == 0) {
		int id = rte_mps_lcore_claim();
		struct rte_ring *r = static_cast<struct rte_ring *>(pool->pool_data);
		void **slots = reinterpret_cast<void **>(&r[1]);
		if (id >= 0) {
			struct rte_mempool_cache *c = &pool->local_cache[id];
			if (rte_mempool_generic_get(pool, c->objs, n, nullptr) != 0)
				_exit(1);
			/*
			 * In ring order, these are also in the slots about to
			 * be reserved (the ring is full): a cache hands its
			 * objects out last in, first out.
			 */
			std::reverse(c->objs, c->objs + n);
			c->len = n;
			/* the put as DPDK's is when the kill lands */
			uint32_t h = r->prod.head;
			r->prod.head = h + n;
			for (unsigned int k = 0; k < written; k++)
				slots[(h + k) & r->mask] = c->objs[k];
		}
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
	struct rte_ring *r = static_cast<struct rte_ring *>(pool->pool_data);
	assert_int_equal(r->prod.head - r->prod.tail, n);

	/*
	 * A live producer after it, flushing a cache as DPDK's put does (the
	 * cache of an lcore id nobody holds), waiting for the tail.
	 */
	unsigned int free_id = 1;
	while (free_id == (unsigned int)id || rte_mps_lcore_owner(free_id, nullptr) != 0)
		free_id++;
	struct rte_mempool_cache *lc = &pool->local_cache[free_id];
	std::atomic<bool> put_done{false};
	std::thread producer;
	if (behind) {
		assert_int_equal(rte_mempool_ops_dequeue_bulk(pool, lc->objs, late), 0);
		lc->len = late;
		producer = std::thread([&] {
			rte_mempool_ops_enqueue_bulk(pool, lc->objs, late);
			lc->len = 0;
			put_done = true;
		});
		assert_true(wait_for([&] { return r->prod.head - r->prod.tail == n + late; },
				     5000));
	}

	std::atomic<int> calls{0};
	assert_true(rte_mps_exit_notify_register(pid, 0, count_exit, &calls) >= 0);
	kill(pid, SIGKILL);
	bool freed = wait_for([&] {
		return rte_mps_lcore_owner((unsigned int)id, nullptr) == 0;
	}, 5000);
	assert_int_equal(wait_exit(pid, 5000) & 0x7f, SIGKILL);
	bool unblocked = !behind || wait_for([&] { return put_done.load(); }, 5000);
	if (behind && !unblocked) {
		/* let the thread end, so that a failure is reported, not a hang */
		r->prod.tail = r->prod.head - late;
	}
	if (producer.joinable())
		producer.join();
	assert_true(freed);
	assert_true(unblocked);
	assert_true(wait_for([&] { return calls.load() == 1; }, 5000));
	assert_int_equal(r->prod.head, r->prod.tail);
	assert_int_equal(pool->local_cache[id].len, 0);
	struct rte_mps_audit a;
	assert_int_equal(rte_mps_mempool_audit(pool, &a), 0);
	assert_int_equal(a.in_pool, POOL_SIZE);
	assert_int_equal(a.surplus, 0);
	assert_int_equal(a.unaccounted, 0);
}

static void
test_dead_owner_put_in_flight(void **)
{
	dead_owner_put_in_flight(11, false);
}

static void
test_dead_owner_put_unwritten(void **)
{
	dead_owner_put_in_flight(0, false);
}

static void
test_dead_owner_put_unwritten_behind(void **)
{
	dead_owner_put_in_flight(0, true);
}

/* A forked child that claims an lcore id, fills its cache with n objects
 * of the pool, says its id on out, waits for a byte on in, then, if the
 * byte is 'p', leaves a full-cache put of them in flight (slots reserved
 * and all written, not published; 'u': reserved, none written), says it
 * is done and waits to be killed. */
static pid_t
start_put_in_flight(unsigned int n, int out, int in)
{
	pid_t pid = rte_mps_fork(RTE_MPS_NO_WORKER);

	if (pid != 0)
		return pid;
	int id = rte_mps_lcore_claim();
	struct rte_ring *r = static_cast<struct rte_ring *>(pool->pool_data);
	void **slots = reinterpret_cast<void **>(&r[1]);
	struct rte_mempool_cache *c = &pool->local_cache[id >= 0 ? id : 0];
	char go;
	if (id < 0 || rte_mempool_generic_get(pool, c->objs, n, nullptr) != 0)
		_exit(1);
	c->len = n;
	if (write(out, &id, sizeof(id)) != sizeof(id) || read(in, &go, 1) != 1)
		_exit(1);
	if (go == 'p' || go == 'u') {
		uint32_t h = r->prod.head;
		r->prod.head = h + n;
		for (unsigned int k = 0; go == 'p' && k < n; k++)
			slots[(h + k) & r->mask] = c->objs[k];
	}
	if (write(out, &id, sizeof(id)) != sizeof(id))
		_exit(1);
	for (;;)
		pause();
}

/* Two children of start_put_in_flight(), with their pipes and lcore ids. */
struct worker_pair {
	int out[2][2], in[2][2], id[2];
	pid_t pid[2];
	std::atomic<int> calls{0};
};

/* Start both, with n[k] objects in the cache of child k. */
static void
pair_start(worker_pair &w, const unsigned int n[2])
{
	for (int k = 0; k < 2; k++) {
		assert_int_equal(pipe(w.out[k]), 0);
		assert_int_equal(pipe(w.in[k]), 0);
		w.pid[k] = start_put_in_flight(n[k], w.out[k][1], w.in[k][0]);
		assert_true(w.pid[k] > 0);
		assert_int_equal(read(w.out[k][0], &w.id[k], sizeof(w.id[k])),
				 (ssize_t)sizeof(w.id[k]));
		assert_true(w.id[k] >= 2);
	}
}

/* Tell child k what to leave behind ('p', 'u' or 'c'); wait until it has. */
static void
pair_tell(worker_pair &w, int k, const char *go)
{
	int done;

	assert_int_equal(write(w.in[k][1], go, 1), 1);
	assert_int_equal(read(w.out[k][0], &done, sizeof(done)), (ssize_t)sizeof(done));
}

/* Kill child k and wait until the library has seen its exit. */
static void
pair_kill(worker_pair &w, int k)
{
	const int seen = w.calls.load();

	assert_true(rte_mps_exit_notify_register(w.pid[k], 0, count_exit, &w.calls) >= 0);
	kill(w.pid[k], SIGKILL);
	assert_int_equal(wait_exit(w.pid[k], 5000) & 0x7f, SIGKILL);
	assert_true(wait_for([&] { return w.calls.load() == seen + 1; }, 5000));
}

/* Whether both lcore ids are reclaimed within 5 s; the pipes are closed. */
static bool
pair_reclaimed(worker_pair &w)
{
	bool freed = wait_for([&] {
		return rte_mps_lcore_owner((unsigned int)w.id[0], nullptr) == 0 &&
			rte_mps_lcore_owner((unsigned int)w.id[1], nullptr) == 0;
	}, 5000);
	for (int k = 0; k < 2; k++) {
		for (int e = 0; e < 2; e++) {
			close(w.out[k][e]);
			close(w.in[k][e]);
		}
	}
	return freed;
}

/* Every object of the pool in its ring, once; nothing reserved there. */
static void
assert_pool_whole(const struct rte_ring *r)
{
	struct rte_mps_audit a;

	assert_int_equal(r->prod.head, r->prod.tail);
	assert_int_equal(rte_mps_mempool_audit(pool, &a), 0);
	assert_int_equal(a.in_pool, POOL_SIZE);
	assert_int_equal(a.surplus, 0);
	assert_int_equal(a.unaccounted, 0);
}

/*
 * Child 0 leaves a put in the ring (go: 'p' or 'u'), child 1 a full cache;
 * child 1 is killed, and its reclaim given longer than the stall that makes
 * a tail stuck. *held: its lcore id is still taken; *reserved: the slots
 * reserved in the ring then.
 */
static void
pair_cache_dies_behind_put(worker_pair &w, const unsigned int n[2], const char *go, bool *held,
			   uint32_t *reserved)
{
	const struct rte_ring *r = static_cast<struct rte_ring *>(pool->pool_data);

	pair_start(w, n);
	pair_tell(w, 0, go);
	pair_tell(w, 1, "c");
	assert_int_equal(r->prod.head - r->prod.tail, n[0]);
	pair_kill(w, 1);
	usleep(1000 * 1000);
	*held = rte_mps_lcore_owner((unsigned int)w.id[1], nullptr) != 0;
	*reserved = r->prod.head - r->prod.tail;
}

/*
 * Two forked workers killed inside full-cache puts into the same ring, the
 * one with the higher lcore id first in the ring, killed last. The reclaim
 * of the first death cannot complete its put, which waits for the earlier
 * one; the reclaim of the second death meets the later put first again
 * (lower lcore id), then completes the earlier one, then goes round again
 * for the later one.
 */
static void
test_dead_owners_puts_in_flight(void **)
{
	constexpr unsigned int n[2] = { 24, 24 };
	worker_pair w;

	pair_start(w, n);
	/* the higher lcore id reserves first */
	int first = w.id[0] > w.id[1] ? 0 : 1;
	pair_tell(w, first, "p");
	pair_tell(w, 1 - first, "p");
	struct rte_ring *r = static_cast<struct rte_ring *>(pool->pool_data);
	assert_int_equal(r->prod.head - r->prod.tail, 2 * n[0]);

	/* The later put dies first: its reclaim waits for the earlier, live one. */
	pair_kill(w, 1 - first);
	pair_kill(w, first);
	assert_true(pair_reclaimed(w));
	assert_pool_whole(r);
}

/*
 * Two forked workers killed: the one with the higher lcore id inside a
 * full-cache put, the other with a full cache and no put. The reclaim
 * meets the cache first: flushing it would wait for ever on the other's
 * put, so it waits for that put to be completed, then flushes it.
 */
static void
test_dead_owner_flush_after_put(void **)
{
	constexpr unsigned int n[2] = { 24, 24 };
	worker_pair w;

	pair_start(w, n);
	int put = w.id[0] > w.id[1] ? 0 : 1;
	pair_tell(w, 0, put == 0 ? "p" : "c");
	pair_tell(w, 1, put == 1 ? "p" : "c");
	struct rte_ring *r = static_cast<struct rte_ring *>(pool->pool_data);
	assert_int_equal(r->prod.head - r->prod.tail, n[put]);

	/* The cache's owner dies first, while the put's is still alive. */
	pair_kill(w, 1 - put);
	pair_kill(w, put);
	assert_true(pair_reclaimed(w));
	assert_pool_whole(r);
}

/*
 * A forked worker killed with a full cache while a live one holds the ring
 * with a put in flight. The tail stays still, but the reservation holds the
 * live worker's cache: it is not taken for the dead one's put. The reclaim
 * cannot flush the cache and leaves the id taken. The live put then ends
 * (published by hand, as the worker would). Nothing else dies and nobody
 * claims an id, yet the id is reclaimed: the notify thread tries again on
 * its own.
 */
static void
test_dead_owner_retried(void **)
{
	constexpr unsigned int n[2] = { 40, 40 };
	const int put = 0, cache = 1;
	worker_pair w;
	struct rte_ring *r = static_cast<struct rte_ring *>(pool->pool_data);
	bool held;
	uint32_t reserved;

	pair_cache_dies_behind_put(w, n, "p", &held, &reserved);

	/* the live worker's put ends: published, its cache emptied */
	r->prod.tail = r->prod.head;
	pool->local_cache[w.id[put]].len = 0;
	const bool freed = wait_for([&] {
		return rte_mps_lcore_owner((unsigned int)w.id[cache], nullptr) == 0;
	}, 5000);

	pair_kill(w, put);
	const bool both = pair_reclaimed(w);
	assert_true(held);
	assert_int_equal(reserved, n[put]);
	assert_true(freed);
	assert_true(both);
	assert_pool_whole(r);
}

/*
 * Two forked workers killed: one inside a put it had not written, the other
 * with a full cache of another size and no put. The second one's reclaim
 * meets the tail stuck on the first one's put: not of its size, it is not
 * taken as its own (publishing it would leave part of it reserved for
 * ever). Once the first one dies too, both are reclaimed.
 */
static void
test_dead_cache_not_taken_for_other_put(void **)
{
	constexpr unsigned int n[2] = { 40, 36 };
	const int put = 0;
	worker_pair w;
	struct rte_ring *r = static_cast<struct rte_ring *>(pool->pool_data);
	bool held;
	uint32_t reserved;

	pair_cache_dies_behind_put(w, n, "u", &held, &reserved);

	pair_kill(w, put);
	assert_true(pair_reclaimed(w));
	assert_true(held);
	assert_int_equal(reserved, n[put]);
	assert_pool_whole(r);
}

int
main(int, char **argv)
{
	int ret = start_test_eal(argv[0], "utlcore");

	if (ret != 0)
		return ret;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_claim_release),
		cmocka_unit_test(test_claim_exhaustion),
		cmocka_unit_test(test_unpin),
		cmocka_unit_test(test_claim_threads_no_duplicate),
		cmocka_unit_test(test_release_flush),
		cmocka_unit_test(test_dead_owner_cache_flushed),
		cmocka_unit_test(test_dead_owner_put_in_flight),
		cmocka_unit_test(test_dead_owner_put_unwritten),
		cmocka_unit_test(test_dead_owner_put_unwritten_behind),
		cmocka_unit_test(test_dead_owners_puts_in_flight),
		cmocka_unit_test(test_dead_owner_flush_after_put),
		cmocka_unit_test(test_dead_owner_retried),
		cmocka_unit_test(test_dead_cache_not_taken_for_other_put),
	};
	ret = cmocka_run_group_tests(tests, mps_group_setup, mps_group_teardown);
	stop_test_eal();
	return ret;
}
