/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/*
 * Unit tests of the recovery room of librte_mpsupport: the tracker thread
 * stopping what depends on a dead worker, killing what does not obey,
 * and reporting the group ready again, with forked workers.
 */

/* Every DPDK process here gets --no-pci from mps_test_env.h. */
#include <rte_errno.h>

#include <rte_mps_res.h>
#include <rte_mps_worker.h>
#include <rte_mps_registry.h>
#include "mps_test_env.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

using namespace mpstest;

/* The worker was killed with SIGKILL, by the test or by the tracker. */
static void
assert_killed(pid_t pid)
{
	int st = wait_exit(pid, 5000);

	assert_true(WIFSIGNALED(st));
	assert_int_equal(WTERMSIG(st), SIGKILL);
}

/* The worker obeyed STOP: it left with exit code 0. */
static void
assert_stopped(pid_t pid)
{
	int st = wait_exit(pid, 5000);

	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
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
	assert_killed(p0);
	assert_stopped(p1);
	assert_int_equal(rte_mps_worker_pid(0), 0);

	/* Restart both, then lose the other one. */
	p0 = start_worker(0, OBEDIENT);
	p1 = start_worker(1, OBEDIENT);
	kill(p1, SIGKILL);
	assert_int_equal(collect_ready(3, 10000), 3);
	assert_stopped(p0);
	assert_killed(p1);
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
	assert_killed(p0);
	assert_killed(p1);    /* by the tracker, after the bound */
	assert_int_equal(rte_mps_tracker_set_timeout(2000), 0);
}

/*
 * Issue 15, M2: a worker that SIGKILL does not end is neither reset nor
 * reported ready. The process here is pid 1, which the kernel keeps from
 * every signal it has no handler for, SIGKILL included, when sent from its
 * own pid namespace: the tracker's SIGKILL is dropped, deterministically.
 */
static void
test_alive_after_sigkill_not_ready(void **)
{
	uint64_t st, r = 0;

	assert_int_equal(rte_mps_proc_start_time(1, &st), 0);
	assert_int_equal(rte_mps_tracker_set_timeout(50), 0);
	assert_int_equal(rte_mps_worker_add(9), 0);
	assert_int_equal(rte_mps_worker_attach(9, 1), 0);
	assert_int_equal(rte_mps_group_stop(1ull << 9), 0);
	/* a bound well past STOP, its 50 ms, SIGKILL and the 1 s after it */
	rte_mps_group_wait(&r, 3000);
	assert_int_equal(rte_mps_tracker_set_timeout(2000), 0);
	assert_int_equal(rte_mps_proc_alive(1, st), 1);
	assert_int_equal(r & (1ull << 9), 0);
	/* still its process: not reset behind its back */
	assert_int_equal(rte_mps_worker_pid(9), 1);
}

/*
 * Issue 15, M2 with a pair: while one worker outlives SIGKILL (pid 1 again),
 * its pair is not reset alone and reported ready either, which would
 * restart it beside a live process of the pair and leave their pool
 * unrebuilt; both wait for the one left alive.
 */
static void
test_pair_waits_for_undead(void **)
{
	uint64_t r = 0;
	pid_t child[2];

	assert_int_equal(rte_mps_tracker_set_timeout(50), 0);
	assert_int_equal(rte_mps_worker_add(10), 0);
	assert_int_equal(rte_mps_worker_add(11), 0);
	assert_int_equal(rte_mps_worker_pair(10, 11), 0);
	/* 12, of no group, dies at the same time: same recovery, not held up */
	assert_int_equal(rte_mps_worker_add(12), 0);
	for (pid_t &c : child) {
		c = fork();
		if (c == 0) {
			for (;;)
				pause();
		}
		assert_true(c > 0);
	}
	assert_int_equal(rte_mps_worker_attach(10, child[0]), 0);
	assert_int_equal(rte_mps_worker_attach(12, child[1]), 0);
	assert_int_equal(rte_mps_worker_attach(11, 1), 0);
	/*
	 * One request, so one pass over 10, 11 and 12 (two deaths would be
	 * seen in either order, maybe in two passes). The children ignore
	 * STOP: the tracker kills them after the 50 ms.
	 */
	assert_int_equal(rte_mps_group_stop((1ull << 10) | (1ull << 12)), 0);
	assert_killed(child[0]);
	assert_killed(child[1]);
	/* past STOP, its 50 ms, SIGKILL and the 1 s after it */
	uint64_t got = 0;
	for (int i = 0; i < 10 && !(got & (1ull << 12)); i++)
		if (rte_mps_group_wait(&r, 1000) > 0)
			got |= r;
	assert_int_equal(got & ((1ull << 10) | (1ull << 11)), 0);
	assert_int_equal(got & (1ull << 12), 1ull << 12);
	assert_int_equal(rte_mps_worker_pid(11), 1);
	assert_int_equal(rte_mps_res_reset(11), -EBUSY);

	/*
	 * A later pass over the group (a late exit report of 10, here a
	 * stop) does not wait for 11 again, which would take 2 s and then
	 * 20 s with this timeout: 12, lost meanwhile, is ready well before.
	 */
	assert_int_equal(rte_mps_tracker_set_timeout(2000), 0);
	assert_int_equal(rte_mps_group_stop(1ull << 10), 0);
	pid_t p12 = start_worker(12, OBEDIENT);
	assert_true(p12 > 0);
	kill(p12, SIGKILL);
	assert_int_equal(collect_ready(1ull << 12, 10000), 1ull << 12);
	assert_killed(p12);
	assert_int_equal(rte_mps_worker_pid(11), 1);
	assert_int_equal(rte_mps_worker_remove(12), 0);
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
		assert_stopped(p0);
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
	assert_killed(p[0]);
	assert_stopped(p[1]);
	assert_stopped(p[2]);

	/* Losing 2 stops nobody else. */
	for (unsigned int w = 0; w < 3; w++)
		p[w] = start_worker(w, OBEDIENT);
	kill(p[2], SIGKILL);
	assert_int_equal(collect_ready(4, 10000), 4);
	assert_int_equal(rte_mps_worker_pid(0), p[0]);
	assert_int_equal(rte_mps_worker_pid(1), p[1]);
	assert_killed(p[2]);

	/* Concurrent losses: each worker is reported once. */
	p[2] = start_worker(2, OBEDIENT);
	/* 2 first: had 0 gone first, 2 might have obeyed STOP before its kill */
	kill(p[2], SIGKILL);
	kill(p[0], SIGKILL);
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
	assert_killed(p[0]);
	assert_stopped(p[1]);
	assert_killed(p[2]);

	/* An explicit stop. */
	for (unsigned int w = 0; w < 3; w++)
		p[w] = start_worker(w, OBEDIENT);
	assert_int_equal(rte_mps_group_stop(1ull << 1), 0);
	assert_int_equal(collect_ready(6, 10000), 6);
	assert_int_equal(rte_mps_worker_pid(0), p[0]);
	assert_stopped(p[1]);
	assert_stopped(p[2]);
	/* 1 and 2 are stopped already: only 0 is reported. */
	kill(p[0], SIGKILL);
	assert_int_equal(collect_ready(1, 10000), 1);
	assert_killed(p[0]);
	for (unsigned int w = 0; w < 3; w++)
		assert_int_equal(rte_mps_worker_remove(w), 0);
}

/*
 * Issue 18: a death reported ahead of the pidfd (rte_mps_worker_died())
 * starts the recovery of the group at once, yet the reset waits for every
 * process to be gone; a report naming a pid that no longer runs the
 * worker is ignored. The "dead" worker is still alive here, as a process
 * being torn down is: it gets STOP with its pair.
 */
static void
test_death_reported_early(void **)
{
	uint64_t st0, st1;

	assert_int_equal(rte_mps_tracker_set_timeout(2000), 0);
	assert_int_equal(rte_mps_worker_add(20), 0);
	assert_int_equal(rte_mps_worker_add(21), 0);
	assert_int_equal(rte_mps_worker_pair(20, 21), 0);
	pid_t p0 = start_worker(20, OBEDIENT);
	pid_t p1 = start_worker(21, OBEDIENT);
	assert_true(p0 > 0 && p1 > 0);
	assert_int_equal(rte_mps_proc_start_time(p0, &st0), 0);
	assert_int_equal(rte_mps_proc_start_time(p1, &st1), 0);

	assert_int_equal(rte_mps_worker_died(40, p0), -ENOENT);
	/* not the process of worker 20 */
	assert_int_equal(rte_mps_worker_died(20, p1), 0);
	assert_int_equal(rte_mps_worker_pid(20), p0);

	assert_int_equal(rte_mps_worker_died(20, p0), 1);
	uint64_t want = (1ull << 20) | (1ull << 21);
	assert_int_equal(collect_ready(want, 10000), want);
	/* ready only once both are gone */
	assert_int_equal(rte_mps_proc_alive(p0, st0), 0);
	assert_int_equal(rte_mps_proc_alive(p1, st1), 0);
	assert_stopped(p0);
	assert_stopped(p1);
	/* a late report of the same death starts nothing */
	assert_int_equal(rte_mps_worker_died(20, p0), 0);
	uint64_t r = 0;
	assert_int_equal(rte_mps_group_wait(&r, 0), 0);
	assert_int_equal(rte_mps_worker_remove(20), 0);
	assert_int_equal(rte_mps_worker_remove(21), 0);
}

int
main(int, char **argv)
{
	int ret = start_test_eal(argv[0], "utrecov");

	if (ret != 0)
		return ret;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pair_recovery),
		cmocka_unit_test(test_stubborn_escalation),
		cmocka_unit_test(test_crash_loop),
		cmocka_unit_test(test_chain_and_coalesce),
		cmocka_unit_test(test_alive_after_sigkill_not_ready),
		cmocka_unit_test(test_pair_waits_for_undead),
		cmocka_unit_test(test_death_reported_early),
	};
	ret = cmocka_run_group_tests(tests, mps_group_setup, mps_group_teardown);
	stop_test_eal();
	return ret;
}
