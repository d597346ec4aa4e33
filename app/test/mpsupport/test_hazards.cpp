/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/*
 * Hazards of a library that forks and hands out lcore ids inside a DPDK
 * process: which threads may fork a worker, what the child calls before
 * rte_mps_fork() returns in it, what the application's own fork() costs,
 * the lcore ids EAL gives registered threads, and the order of the pidfd
 * and the start time when a worker is attached. Linked with the static
 * library, to reach its internal state.
 */

/* Every DPDK process here gets --no-pci from mps_test_env.h. */
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include <atomic>
#include <new>
#include <string>
#include <thread>
#include <vector>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_log.h>

#include <rte_mpsupport.h>
#include "mps_private.h"
#include "mps_test_env.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

using namespace mpstest;

/* Fork a worker on the calling thread and reap it: 0, or the refusal. */
static int
fork_and_reap()
{
	pid_t pid = rte_mps_fork(RTE_MPS_NO_WORKER);

	if (pid == 0)
		rte_mps_child_exit(0);
	if (pid < 0)
		return pid;
	while (waitpid(pid, nullptr, 0) < 0 && errno == EINTR)
		;
	return 0;
}

/*
 * The parent-death signal fires when the forking thread exits: a thread
 * that may end before its process is refused, the main thread and an EAL
 * lcore thread are not.
 */
static void
test_fork_only_from_lasting_threads(void **)
{
	int ret = 1;

	assert_int_equal(fork_and_reap(), 0);
	std::thread([&ret] { ret = fork_and_reap(); }).join();
	assert_int_equal(ret, -EPERM);
	ret = 1;
	assert_int_equal(rte_eal_remote_launch([](void *arg) {
		*static_cast<int *>(arg) = fork_and_reap();
		return 0;
	}, &ret, 1), 0);
	rte_eal_wait_lcore(1);
	assert_int_equal(ret, 0);
}

/* Set in shared memory when the log stream is written by another process. */
static std::atomic<int> *logged_elsewhere;
static pid_t test_pid;

static ssize_t
log_write(void *, const char *, size_t size)
{
	if (getpid() != test_pid)
		logged_elsewhere->store(1);
	return static_cast<ssize_t>(size);
}

/*
 * Between fork() and its entry point, a child logs with write() to stderr,
 * never through rte_log() (whose stream lock another thread may have held
 * at fork time). The child's registration is made to fail, so that it has
 * something to say: every process slot is taken.
 */
static void
test_forked_child_never_calls_rte_log(void **)
{
	void *m = mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
			-1, 0);
	assert_true(m != MAP_FAILED);
	logged_elsewhere = new (m) std::atomic<int>(0);
	test_pid = getpid();
	cookie_io_functions_t io = {};
	io.write = log_write;
	FILE *stream = fopencookie(nullptr, "w", io);
	assert_non_null(stream);
	setvbuf(stream, nullptr, _IONBF, 0);
	assert_int_equal(rte_openlog_stream(stream), 0);

	mps::shared *sh = mps::self.sh;
	uint64_t saved[RTE_MPS_MAX_PROCS];
	for (unsigned int i = 0; i < RTE_MPS_MAX_PROCS; i++) {
		saved[i] = mps::load(&sh->procs[i].state);
		if (mps::slot_state(saved[i]) == mps::SLOT_FREE)
			mps::store(&sh->procs[i].state, mps::slot_word(mps::SLOT_CLAIMING,
					mps::slot_gen(saved[i]), getpid()));
	}
	int fds[2];
	assert_int_equal(pipe2(fds, O_CLOEXEC), 0);
	int err = dup(STDERR_FILENO);
	dup2(fds[1], STDERR_FILENO);
	close(fds[1]);
	pid_t pid = rte_mps_fork(RTE_MPS_NO_WORKER);
	if (pid == 0)
		_exit(0);
	dup2(err, STDERR_FILENO);
	close(err);
	int st = 0;
	if (pid > 0)
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
	for (unsigned int i = 0; i < RTE_MPS_MAX_PROCS; i++)
		if (mps::slot_state(saved[i]) == mps::SLOT_FREE)
			mps::store(&sh->procs[i].state, saved[i]);
	rte_openlog_stream(nullptr);
	fclose(stream);
	std::string said;
	char buf[512];
	ssize_t n;
	while ((n = read(fds[0], buf, sizeof(buf))) > 0)
		said.append(buf, static_cast<size_t>(n));
	close(fds[0]);

	assert_true(pid > 0);
	assert_int_equal(logged_elsewhere->load(), 0);
	assert_true(said.find("forked worker") != std::string::npos);
	assert_true(said.find("no free process slot") != std::string::npos);
	munmap(m, 4096);
}

/*
 * The application's own fork() takes no lock of the library: it goes
 * through while another thread holds one. Only the failure waits (5 s).
 */
static void
test_application_fork_takes_no_library_lock(void **)
{
	std::atomic<pid_t> child{-2};

	pthread_mutex_lock(&mps::notify_mutex);
	std::thread forker([&child] {
		pid_t pid = fork();
		if (pid == 0)
			_exit(0);
		child = pid;
	});
	bool through = wait_for([&child] { return child.load() != -2; }, 5000);
	pthread_mutex_unlock(&mps::notify_mutex);
	forker.join();
	if (child.load() > 0)
		waitpid(child.load(), nullptr, 0);
	assert_true(through);
	assert_true(child.load() > 0);
}

/*
 * EAL gives a registered thread the lowest id of its role table that is
 * off; lcore 2 here (the EAL lcores are 0 and 1). Every id above it is
 * made taken in the group's table, so that the library's claims get 2.
 */
static void
test_thread_register_skips_library_lcores(void **)
{
	mps::shared *sh = mps::self.sh;
	const uint64_t held = mps::lc_word(mps::LC_EAL, static_cast<unsigned int>(mps::self.slot),
			mps::self.gen, 0);
	std::vector<uint64_t> saved(RTE_MAX_LCORE);

	for (unsigned int l = 3; l < RTE_MAX_LCORE; l++) {
		saved[l] = mps::load(&sh->lcore[l]);
		assert_int_equal(mps::lc_kind(saved[l]), mps::LC_FREE);
		mps::store(&sh->lcore[l], held);
	}

	/* The library holds 2: EAL must not hand it to a registered thread. */
	std::atomic<int> claimed{-1000};
	std::atomic<bool> done{false};
	std::thread holder([&claimed, &done] {
		claimed = rte_mps_lcore_claim();
		while (!done.load())
			usleep(1000);
		if (claimed.load() >= 0)
			rte_mps_lcore_release(0);
	});
	assert_true(wait_for([&claimed] { return claimed.load() != -1000; }, 10000));
	int reg = 1;
	unsigned int got = LCORE_ID_ANY;
	std::thread([&reg, &got] {
		reg = rte_thread_register();
		got = rte_lcore_id();
		if (reg == 0)
			rte_thread_unregister();
	}).join();
	done = true;
	holder.join();
	assert_int_equal(claimed.load(), 2);
	assert_true(reg < 0 || got != 2);

	/* The other way round: the id of a registered thread is not claimed. */
	std::atomic<int> reg_id{-1000};
	done = false;
	std::thread registered([&reg_id, &done] {
		reg_id = rte_thread_register() == 0 ? static_cast<int>(rte_lcore_id()) : -1;
		while (!done.load())
			usleep(1000);
		rte_thread_unregister();
	});
	assert_true(wait_for([&reg_id] { return reg_id.load() != -1000; }, 10000));
	int again = 0;
	std::thread([&again] {
		again = rte_mps_lcore_claim();
		if (again >= 0)
			rte_mps_lcore_release(0);
	}).join();
	done = true;
	registered.join();
	uint64_t after = mps::load(&sh->lcore[2]);
	for (unsigned int l = 3; l < RTE_MAX_LCORE; l++)
		mps::store(&sh->lcore[l], saved[l]);
	assert_int_equal(reg_id.load(), 2);
	assert_int_not_equal(again, 2);
	/* unregistered, the id is free in the group's table again */
	assert_int_equal(mps::lc_kind(after), mps::LC_FREE);
}

/* A process that was alive when the pidfd was opened, gone before its start time is read. */
static pid_t attach_victim;

static void
kill_victim(pid_t pid)
{
	if (pid != attach_victim)
		return;
	kill(pid, SIGKILL);
	while (waitpid(pid, nullptr, 0) < 0 && errno == EINTR)
		;
}

/*
 * L1, pid reuse: rte_mps_worker_attach() opens the pidfd before it reads
 * the start time. The process is killed and reaped between the two steps:
 * with the pidfd first, the start time cannot be read and the attach is
 * refused; the other way round, the pidfd would name whatever process has
 * the pid by then (here none), and the attach would go through.
 */
static void
test_attach_opens_pidfd_before_start_time(void **)
{
	assert_int_equal(rte_mps_worker_add(5), 0);
	pid_t pid = fork();
	if (pid == 0) {
		pause();
		_exit(0);
	}
	assert_true(pid > 0);
	attach_victim = pid;
	mps::test_hook_attach = kill_victim;
	int ret = rte_mps_worker_attach(5, pid);
	mps::test_hook_attach = nullptr;
	kill(pid, SIGKILL);
	waitpid(pid, nullptr, WNOHANG);
	assert_int_equal(ret, -ESRCH);
}

static int
group_setup(void **)
{
	return rte_mps_init() < 0 ? -1 : 0;
}

int
main(int argc, char **argv)
{
	(void)argc;
	std::string prefix = make_prefix("hz");
	start_janitor(prefix);
	if (eal_start(eal_args(argv[0], prefix, "0@0,1@1", false)) < 0) {
		printf("rte_eal_init failed: %s\n", rte_strerror(rte_errno));
		return 1;
	}

	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fork_only_from_lasting_threads),
		cmocka_unit_test(test_forked_child_never_calls_rte_log),
		cmocka_unit_test(test_application_fork_takes_no_library_lock),
		cmocka_unit_test(test_thread_register_skips_library_lcores),
		cmocka_unit_test(test_attach_opens_pidfd_before_start_time),
	};
	int ret = cmocka_run_group_tests(tests, group_setup, nullptr);
	rte_mps_fini();
	rte_eal_cleanup();
	return ret;
}
