/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/*
 * Unit tests of the registry room of librte_mpsupport: rte_mps_init() and
 * the process list, calls refused before initialisation, a shared layout
 * of another build refused, and a record left by a recycled pid.
 */

/* Every DPDK process here gets --no-pci from mps_test_env.h. */
#include <rte_errno.h>
#include <rte_lcore.h>

#include <rte_mps_fork.h>
#include <rte_mps_lcore.h>
#include <rte_mps_notify.h>
#include <rte_mps_registry.h>
#include <rte_mps_res.h>
#include <rte_mps_worker.h>
#include "mps_private.h"
#include "mps_test_env.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

using namespace mpstest;

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

int
main(int, char **argv)
{
	int ret = start_test_eal(argv[0], "utreg");

	if (ret != 0)
		return ret;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_and_list),
		cmocka_unit_test(test_not_initialised),
		cmocka_unit_test(test_stale_layout),
		cmocka_unit_test(test_stale_record_pid_reuse),
	};
	ret = cmocka_run_group_tests(tests, mps_group_setup, mps_group_teardown);
	stop_test_eal();
	return ret;
}
