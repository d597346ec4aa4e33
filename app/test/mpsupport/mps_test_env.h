/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/*
 * Process plumbing shared by the mpsupport tests and benchmarks: a unique
 * --file-prefix per run, a janitor process that removes the run's hugepage
 * files and runtime directory however the test ends, EAL start-up with
 * --no-pci, child processes (the test binary itself re-executed in a role,
 * e.g. as a secondary) that die with their parent, and bounded waits.
 * Nothing here asserts: callers decide what is a failure.
 */

#ifndef MPS_TEST_ENV_H
#define MPS_TEST_ENV_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <string>
#include <vector>

#include <rte_eal.h>

struct rte_mempool;
namespace mps {
struct shared;
}

namespace mpstest {

inline uint64_t
now_ns()
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

inline std::string
make_prefix(const char *tag)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "mps%s_%d_%04x", tag, (int)getpid(),
			(unsigned int)(now_ns() & 0xffff));
	return buf;
}

/* Remove /dev/hugepages/<prefix>* and /var/run/dpdk/<prefix>*. */
inline void
remove_prefix_files(const std::string &prefix)
{
	DIR *d = opendir("/dev/hugepages");

	if (d != nullptr) {
		struct dirent *e;
		while ((e = readdir(d)) != nullptr) {
			if (strncmp(e->d_name, prefix.c_str(), prefix.size()) == 0) {
				std::string p = std::string("/dev/hugepages/") + e->d_name;
				unlink(p.c_str());
			}
		}
		closedir(d);
	}
	/* Runtime directories of the prefix and of prefixes derived from it. */
	DIR *top = opendir("/var/run/dpdk");
	if (top == nullptr)
		return;
	struct dirent *t;
	while ((t = readdir(top)) != nullptr) {
		if (strncmp(t->d_name, prefix.c_str(), prefix.size()) != 0)
			continue;
		std::string run = std::string("/var/run/dpdk/") + t->d_name;
		d = opendir(run.c_str());
		if (d != nullptr) {
			struct dirent *e;
			while ((e = readdir(d)) != nullptr) {
				if (e->d_name[0] == '.')
					continue;
				std::string p = run + "/" + e->d_name;
				unlink(p.c_str());
			}
			closedir(d);
		}
		rmdir(run.c_str());
	}
	closedir(top);
}

/*
 * Fork, before rte_eal_init(), a janitor that waits for the end of this
 * process (end of file on a pipe whose write end only we hold, plus the
 * children that inherited it) and then removes the prefix's files.
 */
inline void
start_janitor(const std::string &prefix)
{
	int fds[2];

	if (pipe2(fds, O_CLOEXEC) < 0)
		return;
	pid_t pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return;
	}
	if (pid == 0) {
		char c;
		close(fds[1]);
		/* Not in the test's process group: a ^C to the test still
		 * lets us clean up. */
		setpgid(0, 0);
		signal(SIGINT, SIG_IGN);
		signal(SIGTERM, SIG_IGN);
		while (read(fds[0], &c, 1) < 0 && errno == EINTR)
			;
		/* Let children that held the pipe too finish exiting. */
		usleep(100000);
		remove_prefix_files(prefix);
		_exit(0);
	}
	close(fds[0]);
	/* The write end stays open (and close-on-exec) until we exit. */
}

inline std::vector<std::string>
eal_args(const char *prog, const std::string &prefix, const char *lcores, bool secondary)
{
	std::vector<std::string> a = {
		prog, "--no-pci", "--file-prefix", prefix, "--lcores", lcores,
		"--log-level", "lib.eal:error", "--log-level", "lib.mpsupport:warning",
	};
	if (secondary)
		a.push_back("--proc-type=secondary");
	else
		a.insert(a.end(), { "-m", "64" });
	/* Extra EAL options of the run (e.g. --base-virtaddr under ASan). */
	const char *extra = getenv("MP_PACK_EAL_EXTRA");
	if (extra != nullptr) {
		std::string e = extra;
		size_t pos = 0;
		while (pos < e.size()) {
			size_t end = e.find_first_of(" \t", pos);
			if (end == std::string::npos)
				end = e.size();
			if (end > pos)
				a.push_back(e.substr(pos, end - pos));
			pos = end + 1;
		}
	}
	return a;
}

inline int
eal_start(std::vector<std::string> args)
{
	std::vector<char *> argv;

	for (auto &s : args)
		argv.push_back(&s[0]);
	argv.push_back(nullptr);
	return rte_eal_init((int)args.size(), argv.data());
}

/* A child process with its stdout on a pipe. */
struct child {
	pid_t pid = -1;
	int out = -1;
	std::string output;
};

/* Run /proc/self/exe with args; the child dies with us. */
inline child
spawn(const std::vector<std::string> &args)
{
	child c;
	int fds[2];

	if (pipe2(fds, O_CLOEXEC) < 0)
		return c;
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return c;
	}
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(127);
		dup2(fds[1], STDOUT_FILENO);
		std::vector<char *> argv;
		std::vector<std::string> copy = args;
		for (auto &s : copy)
			argv.push_back(&s[0]);
		argv.push_back(nullptr);
		execv("/proc/self/exe", argv.data());
		_exit(127);
	}
	close(fds[1]);
	c.pid = pid;
	c.out = fds[0];
	return c;
}

/* Read what the child wrote, until a line containing want or the bound. */
inline bool
read_until(child &c, const char *want, unsigned int ms)
{
	uint64_t deadline = now_ns() + (uint64_t)ms * 1000000ull;
	char buf[512];

	while (c.output.find(want) == std::string::npos) {
		uint64_t now = now_ns();
		if (now >= deadline || c.out < 0)
			return false;
		struct pollfd p = { c.out, POLLIN, 0 };
		int left = (int)((deadline - now) / 1000000ull) + 1;
		if (poll(&p, 1, left) <= 0)
			continue;
		ssize_t n = read(c.out, buf, sizeof(buf));
		if (n <= 0) {
			close(c.out);
			c.out = -1;
			return c.output.find(want) != std::string::npos;
		}
		c.output.append(buf, (size_t)n);
	}
	return true;
}

/* Reap pid within ms; on time-out kill -9 and reap. Returns the wait
 * status, or -1 on time-out. */
inline int
wait_exit(pid_t pid, unsigned int ms)
{
	uint64_t deadline = now_ns() + (uint64_t)ms * 1000000ull;
	int status;

	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);
		if (r == pid)
			return status;
		if (r < 0)
			return -1;
		if (now_ns() >= deadline) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			return -1;
		}
		usleep(1000);
	}
}

inline int
finish(child &c, unsigned int ms)
{
	int st = wait_exit(c.pid, ms);

	if (c.out >= 0) {
		char buf[512];
		ssize_t n;
		while ((n = read(c.out, buf, sizeof(buf))) > 0)
			c.output.append(buf, (size_t)n);
		close(c.out);
		c.out = -1;
	}
	return st;
}

/* Poll cond() every 100 us for at most ms. */
template <typename F>
inline bool
wait_for(F cond, unsigned int ms)
{
	uint64_t deadline = now_ns() + (uint64_t)ms * 1000000ull;

	while (!cond()) {
		if (now_ns() >= deadline)
			return false;
		usleep(100);
	}
	return true;
}

/*
 * Compiled once, in mps_test_env.cpp (the mps_test_env library): the start
 * of a test binary and the fixtures the unit tests of several rooms share.
 * Declared with forward declarations only, so that a test file includes
 * the public header of its own room and no other.
 */

/* Start the EAL as a primary on lcores 0 and 1, with --no-pci, a
 * --file-prefix of its own (returned in *prefix when not null) and extra
 * arguments. Returns 0; or, after saying why, 77 (Meson's skip code) if
 * there are too few free hugepages for it, and 1 for any other failure. */
int start_test_eal(const char *prog, const char *tag,
		const std::vector<std::string> &extra = {}, std::string *prefix = nullptr);

/* rte_mps_fini() and rte_eal_cleanup(), at the end of main(). */
void stop_test_eal();

/* Group set-up of the unit tests: rte_mps_init() and a plain mempool of
 * POOL_SIZE objects with per-lcore caches; the teardown frees it. */
constexpr unsigned int POOL_SIZE = 2047;
extern struct rte_mempool *pool;
int mps_group_setup(void **state);
int mps_group_teardown(void **state);

/* The library's shared memzone, or nullptr. */
mps::shared *shm();

/* Fork a plain child that blocks until its pipe closes, then exits with
 * code; the write end of the pipe is returned in *release_fd. */
pid_t fork_waiting_child(int *release_fd, int code);

/* A forked worker: OBEDIENT polls its command ring and exits on STOP,
 * STUBBORN ignores it, CRASHING exits with code 1 at once. */
enum worker_kind { OBEDIENT, STUBBORN, CRASHING };
pid_t start_worker(unsigned int w, worker_kind kind);

/* The union of the groups rte_mps_group_wait() reports within ms, until
 * it holds every bit of want. */
uint64_t collect_ready(uint64_t want, unsigned int ms);

} /* namespace mpstest */

#endif /* MPS_TEST_ENV_H */
