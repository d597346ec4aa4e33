/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/*
 * Unit tests of the proc room of librte_mpsupport: process start times and
 * liveness from /proc and pidfds (a recycled pid, a zombie, a reaped pid,
 * a process whose main thread has ended).
 */

/* Every DPDK process here gets --no-pci from mps_test_env.h. */
#include <thread>
#include <sys/resource.h>
#include <sys/syscall.h>

#include <vector>

#include <thread>

#include <rte_errno.h>

#include <rte_mps_registry.h>
#include "mps_test_env.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

using namespace mpstest;

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
		char arg0[] = "test_proc", arg1[] = "--zombie-leader";
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

/*
 * Issue 15, H2: /proc that cannot be read is no proof of death. With every
 * file descriptor in use (EMFILE), a live process (this one, a child) is
 * still alive, and a pid that no process has is still dead.
 */
static void
test_alive_without_fds(void **)
{
	uint64_t st, cst;
	int fd = -1;
	pid_t child = fork_waiting_child(&fd, 0);
	assert_true(child > 0);
	int gfd = -1;
	pid_t gone = fork_waiting_child(&gfd, 0);
	assert_true(gone > 0);
	close(gfd);
	uint64_t gst;
	assert_int_equal(rte_mps_proc_start_time(gone, &gst), 0);
	assert_int_equal(waitpid(gone, nullptr, 0), gone);
	assert_int_equal(rte_mps_proc_start_time(getpid(), &st), 0);
	assert_int_equal(rte_mps_proc_start_time(child, &cst), 0);

	struct rlimit old, low;
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &old), 0);
	std::vector<int> fds;
	int probe = open("/dev/null", O_RDONLY | O_CLOEXEC);
	assert_true(probe >= 0);
	low = old;
	low.rlim_cur = static_cast<rlim_t>(probe) + 16;
	close(probe);
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &low), 0);
	int k;
	while ((k = open("/dev/null", O_RDONLY | O_CLOEXEC)) >= 0)
		fds.push_back(k);
	int err = errno;
	int self_alive = rte_mps_proc_alive(getpid(), st);
	int child_alive = rte_mps_proc_alive(child, cst);
	int gone_alive = rte_mps_proc_alive(gone, gst);
	for (int d : fds)
		close(d);
	setrlimit(RLIMIT_NOFILE, &old);
	close(fd);
	waitpid(child, nullptr, 0);

	assert_int_equal(err, EMFILE);
	assert_int_equal(self_alive, 1);
	assert_int_equal(child_alive, 1);
	assert_int_equal(gone_alive, 0);
}

/* A process whose main thread ends while another thread goes on. */
static int
zombie_leader_main()
{
	std::thread([] {
		for (;;)
			pause();
	}).detach();
	/* End the main thread alone, without unwinding or exiting the process. */
	syscall(SYS_exit, 0);
	return 1;
}

int
main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "--zombie-leader") == 0)
		return zombie_leader_main();
	int ret = start_test_eal(argv[0], "utproc");

	if (ret != 0)
		return ret;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_start_time_and_alive),
		cmocka_unit_test(test_alive_without_fds),
	};
	ret = cmocka_run_group_tests(tests, mps_group_setup, mps_group_teardown);
	stop_test_eal();
	return ret;
}
