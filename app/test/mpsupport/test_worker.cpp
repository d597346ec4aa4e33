/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/*
 * Unit tests of the worker room of librte_mpsupport: the worker table,
 * its dependencies and the calls on it, with their failure paths.
 */

/* Every DPDK process here gets --no-pci from mps_test_env.h. */
#include <rte_errno.h>

#include <rte_mps_fork.h>
#include <rte_mps_worker.h>
#include "mps_test_env.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

using namespace mpstest;

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

int
main(int, char **argv)
{
	int ret = start_test_eal(argv[0], "utworker");

	if (ret != 0)
		return ret;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_worker_bad_args),
	};
	ret = cmocka_run_group_tests(tests, mps_group_setup, mps_group_teardown);
	stop_test_eal();
	return ret;
}
