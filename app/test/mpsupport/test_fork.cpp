/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/*
 * Unit tests of the fork room of librte_mpsupport: what a child of
 * rte_mps_fork() is refused and what it may do.
 */

/* Every DPDK process here gets --no-pci from mps_test_env.h. */
#include <string>
#include <vector>

#include <rte_errno.h>
#include <rte_mempool.h>

#include <rte_mps_fork.h>
#include <rte_mps_lcore.h>
#include <rte_mps_notify.h>
#include <rte_mps_registry.h>
#include <rte_mps_res.h>
#include <rte_mps_worker.h>
#include "mps_test_env.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

using namespace mpstest;

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
		bad |= (rte_mps_exit_notify_register(getppid(), 0,
				[](const rte_mps_exit_info *, void *) {}, nullptr)
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

/*
 * Issue 15, L2: a forked worker knows the pools that existed at its fork,
 * up to 64. Beyond, the fork is refused rather than the pools beyond
 * dropped silently (their caches would never be flushed).
 */
static void
test_fork_too_many_pools(void **)
{
	std::vector<struct rte_mempool *> pools;
	char name[RTE_MEMPOOL_NAMESIZE];
	pid_t pid = 0;

	for (unsigned int i = 0; i < 70; i++) {
		snprintf(name, sizeof(name), "mps_ut_many_%u", i);
		struct rte_mempool *mp = rte_mempool_create_empty(name, 16, 64, 0, 0,
				SOCKET_ID_ANY, 0);
		if (mp == nullptr)
			break;
		pools.push_back(mp);
	}
	if (pools.size() == 70) {
		pid = rte_mps_fork(RTE_MPS_NO_WORKER);
		if (pid == 0)
			rte_mps_child_exit(0);
		if (pid > 0)
			waitpid(pid, nullptr, 0);
	}
	std::string why = rte_mps_strerror();
	for (struct rte_mempool *mp : pools)
		rte_mempool_free(mp);
	assert_int_equal(pools.size(), 70);
	assert_int_equal(pid, -ENOSPC);
	assert_true(why.find("a forked worker can know 64") != std::string::npos);

	/* with the pools gone, forks work again */
	pid = rte_mps_fork(RTE_MPS_NO_WORKER);
	if (pid == 0)
		rte_mps_child_exit(0);
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, nullptr, 0), pid);
}

/* The worker a process's slot names, or INT32_MIN while it has no slot. */
static int32_t
slot_worker(pid_t pid)
{
	struct rte_mps_proc_info info[RTE_MPS_MAX_PROCS];
	int n = rte_mps_proc_list(info, RTE_DIM(info));

	for (int i = 0; i < n; i++)
		if (info[i].pid == pid && info[i].type == RTE_MPS_PROC_FORKED)
			return info[i].worker;
	return INT32_MIN;
}

/* A standby of worker w, parked on a pipe: it leaves with code 0 once the
 * pipe closes. The write end is returned in *release_fd. */
static pid_t
park_standby(int w, int *release_fd)
{
	int fds[2];

	if (pipe(fds) < 0)
		return -1;
	pid_t pid = rte_mps_fork_standby(w);
	if (pid == 0) {
		char c;

		close(fds[1]);
		while (read(fds[0], &c, 1) < 0 && errno == EINTR)
			;
		rte_mps_child_exit(0);
	}
	close(fds[0]);
	if (pid < 0)
		close(fds[1]);
	else
		*release_fd = fds[1];
	return pid;
}

/*
 * rte_mps_fork_standby(): the parked standby's slot names no worker, and
 * the worker has no process, until the standby is attached; a standby that
 * leaves unattached starts no recovery.
 */
static void
test_fork_standby_parked(void **)
{
	int fd_a = -1, fd_b = -1;
	uint64_t r = 0;

	assert_int_equal(rte_mps_fork_standby(RTE_MPS_NO_WORKER), -EINVAL);
	assert_int_equal(rte_mps_worker_add(9), 0);
	pid_t a = park_standby(9, &fd_a);
	pid_t b = park_standby(9, &fd_b);
	assert_true(a > 0 && b > 0);
	/* each registers its slot itself, after the fork */
	assert_true(wait_for([&] { return slot_worker(a) != INT32_MIN &&
					  slot_worker(b) != INT32_MIN; }, 5000));
	assert_int_equal(slot_worker(a), RTE_MPS_NO_WORKER);
	assert_int_equal(slot_worker(b), RTE_MPS_NO_WORKER);
	assert_int_equal(rte_mps_worker_pid(9), 0);

	/* b leaves parked: the worker has no process to lose */
	close(fd_b);
	int st = wait_exit(b, 5000);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	assert_int_equal(rte_mps_group_wait(&r, 200), 0);
	assert_int_equal(slot_worker(b), INT32_MIN);
	assert_int_equal(rte_mps_worker_pid(9), 0);
	assert_int_equal(slot_worker(a), RTE_MPS_NO_WORKER);

	/* attached, a names the worker, which it now runs */
	assert_int_equal(rte_mps_worker_attach(9, a), 0);
	assert_int_equal(slot_worker(a), 9);
	assert_int_equal(rte_mps_worker_pid(9), a);

	/* woken, it leaves: an exit of the worker, recovered as such */
	close(fd_a);
	assert_int_equal(collect_ready(UINT64_C(1) << 9, 10000), UINT64_C(1) << 9);
	st = wait_exit(a, 5000);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	assert_int_equal(rte_mps_worker_pid(9), 0);
	assert_int_equal(rte_mps_worker_remove(9), 0);
}

int
main(int, char **argv)
{
	int ret = start_test_eal(argv[0], "utfork");

	if (ret != 0)
		return ret;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fork_child_restrictions),
		cmocka_unit_test(test_fork_too_many_pools),
		cmocka_unit_test(test_fork_standby_parked),
	};
	ret = cmocka_run_group_tests(tests, mps_group_setup, mps_group_teardown);
	stop_test_eal();
	return ret;
}
