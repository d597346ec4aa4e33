/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/*
 * Unit tests of the notify room of librte_mpsupport: exit notification on
 * the control thread or deferred, with the exit code or signal, reaping,
 * unregistering, bad arguments, and the members of the group.
 */

/* Every DPDK process here gets --no-pci from mps_test_env.h. */
#include <poll.h>
#include <pthread.h>

#include <atomic>
#include <thread>

#include <rte_errno.h>

#include <rte_mps_fork.h>
#include <rte_mps_notify.h>
#include <rte_mps_registry.h>
#include "mps_test_env.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

using namespace mpstest;

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

/* A callback on the notify thread that waits for the test to let it go. */
struct held_cb {
	std::atomic<bool> entered{false};
	std::atomic<bool> release{false};
	std::atomic<bool> done{false};
};

static void
held_exit(const rte_mps_exit_info *, void *arg)
{
	auto *h = static_cast<held_cb *>(arg);

	h->entered = true;
	while (!h->release.load())
		usleep(100);
	h->done = true;
}

/*
 * Issue 15, M4: while the notify thread runs one callback, a deferred one
 * runs and ends in rte_mps_exit_notify_poll(). Unregistering the first
 * must still wait until its callback has returned.
 */
static void
test_notify_unregister_waits_both_threads(void **)
{
	held_cb held;
	exit_rec rec;
	int fa = -1, fb = -1;
	pid_t a = fork_waiting_child(&fa, 0);
	pid_t b = fork_waiting_child(&fb, 0);

	assert_true(a > 0 && b > 0);
	int ha = rte_mps_exit_notify_register(a, RTE_MPS_NOTIFY_REAP, held_exit, &held);
	int hb = rte_mps_exit_notify_register(b, RTE_MPS_NOTIFY_DEFER | RTE_MPS_NOTIFY_REAP,
			record_exit, &rec);
	assert_true(ha >= 0 && hb >= 0);
	/* b's exit queued first (b holds a's pipe too: kills, not ends of file) */
	kill(b, SIGKILL);
	struct pollfd pfd = { rte_mps_exit_notify_fd(), POLLIN, 0 };
	assert_true(wait_for([&] { return poll(&pfd, 1, 0) == 1; }, 5000));
	kill(a, SIGKILL);
	assert_true(wait_for([&] { return held.entered.load(); }, 5000));
	/* b's callback, on this thread, starts and ends while a's runs */
	assert_true(wait_for([&] {
		rte_mps_exit_notify_poll();
		return rec.calls.load() == 1;
	}, 5000));

	std::atomic<bool> returned{false};
	bool done_at_return = false;
	std::thread t([&] {
		rte_mps_exit_notify_unregister(ha);
		done_at_return = held.done.load();
		returned = true;
	});
	/* a bound for the wrong order to show, not a timing assertion */
	wait_for([&] { return returned.load(); }, 300);
	held.release = true;
	t.join();
	close(fa);
	close(fb);
	assert_true(done_at_return);
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

/* An exit fires the registrations of that pid, and no other. */
static void
test_notify_only_that_pid(void **)
{
	exit_rec first, second;
	int fd1 = -1, fd2 = -1;
	pid_t pid1 = fork_waiting_child(&fd1, 0);
	pid_t pid2 = fork_waiting_child(&fd2, 2);

	assert_true(pid1 > 0 && pid2 > 0);
	assert_true(rte_mps_exit_notify_register(pid1, 0, record_exit, &first) >= 0);
	assert_true(rte_mps_exit_notify_register(pid2, 0, record_exit, &second) >= 0);
	/* The second child holds the first one's pipe too: kill the first. */
	kill(pid1, SIGKILL);
	assert_true(wait_for([&] { return first.calls.load() == 1; }, 5000));
	assert_int_equal(first.info.pid, pid1);
	assert_int_equal(first.info.signal, SIGKILL);
	close(fd1);
	close(fd2);
	/* Called once, for its own pid: not by the first exit. */
	assert_true(wait_for([&] { return second.calls.load() == 1; }, 5000));
	assert_int_equal(second.info.pid, pid2);
	assert_int_equal(second.info.exit_code, 2);
	waitpid(pid1, nullptr, 0);
	waitpid(pid2, nullptr, 0);
	assert_int_equal(first.calls.load(), 1);
	assert_int_equal(second.calls.load(), 1);
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

int
main(int, char **argv)
{
	int ret = start_test_eal(argv[0], "utnotify");

	if (ret != 0)
		return ret;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_notify_exit_code),
		cmocka_unit_test(test_notify_signal_reap),
		cmocka_unit_test(test_notify_defer),
		cmocka_unit_test(test_notify_only_that_pid),
		cmocka_unit_test(test_notify_unregister),
		cmocka_unit_test(test_notify_unregister_waits_both_threads),
		cmocka_unit_test(test_notify_bad_args),
		cmocka_unit_test(test_notify_members),
	};
	ret = cmocka_run_group_tests(tests, mps_group_setup, mps_group_teardown);
	stop_test_eal();
	return ret;
}
