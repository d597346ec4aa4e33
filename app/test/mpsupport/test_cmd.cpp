/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/*
 * Unit tests of the cmd room of librte_mpsupport: the command channel of a
 * worker, acknowledged, unanswered within a bound, and full.
 */

/* Every DPDK process here gets --no-pci from mps_test_env.h. */
#include <atomic>
#include <thread>

#include <rte_errno.h>

#include <rte_mps_registry.h>
#include <rte_mps_worker.h>
#include "mps_test_env.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

using namespace mpstest;

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

/* An acknowledgement left over from an earlier command answers only that one. */
static void
test_cmd_stale_ack(void **)
{
	assert_int_equal(rte_mps_worker_add(43), 0);
	assert_int_equal(rte_mps_cmd_send(43, RTE_MPS_CMD_USER + 3, 0), 0);
	assert_int_equal(rte_mps_cmd_poll(43), (int)RTE_MPS_CMD_USER + 3);
	assert_int_equal(rte_mps_cmd_ack(43, RTE_MPS_CMD_USER + 3), 0);

	/* The same command again, which nobody polls: its wait must time out. */
	assert_int_equal(rte_mps_cmd_send(43, RTE_MPS_CMD_USER + 3, 20), -ETIMEDOUT);
	assert_int_equal(rte_mps_cmd_poll(43), (int)RTE_MPS_CMD_USER + 3);
	assert_int_equal(rte_mps_worker_remove(43), 0);
}

/*
 * Issue 15, M3: a running worker is the only consumer of its commands.
 * Attaching it (again) must not drain what it has not polled yet: the
 * attach of a new child ran concurrently with the child's first poll.
 */
static void
test_cmd_attach_keeps_commands(void **)
{
	int fd = -1;
	pid_t pid = fork_waiting_child(&fd, 0);

	assert_true(pid > 0);
	assert_int_equal(rte_mps_worker_add(44), 0);
	assert_int_equal(rte_mps_worker_attach(44, pid), 0);
	assert_int_equal(rte_mps_cmd_send(44, RTE_MPS_CMD_USER + 4, 0), 0);
	assert_int_equal(rte_mps_worker_attach(44, pid), 0);
	assert_int_equal(rte_mps_cmd_poll(44), (int)RTE_MPS_CMD_USER + 4);
	close(fd);
	waitpid(pid, nullptr, 0);
	assert_true(wait_for([] {
		uint64_t ready = 0;
		rte_mps_group_wait(&ready, 10);
		return rte_mps_worker_pid(44) == 0;
	}, 5000));
	assert_int_equal(rte_mps_worker_remove(44), 0);
}

int
main(int, char **argv)
{
	int ret = start_test_eal(argv[0], "utcmd");

	if (ret != 0)
		return ret;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cmd_channel),
		cmocka_unit_test(test_cmd_stale_ack),
		cmocka_unit_test(test_cmd_attach_keeps_commands),
	};
	ret = cmocka_run_group_tests(tests, mps_group_setup, mps_group_teardown);
	stop_test_eal();
	return ret;
}
