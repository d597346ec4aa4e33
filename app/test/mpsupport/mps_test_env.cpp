/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/*
 * The part of mps_test_env.h compiled once: EAL start of a test binary,
 * and the fixtures the unit tests of several rooms share.
 */

#include <inttypes.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_mempool.h>
#include <rte_memzone.h>

#include <rte_mps_fork.h>
#include <rte_mps_registry.h>
#include <rte_mps_worker.h>
#include "mps_test_env.h"

namespace mpstest {

struct rte_mempool *pool;

/* Hugepage memory free for a new mapping, over every page size, in MB. */
static uint64_t
free_hugepage_mb()
{
	const char *top = "/sys/kernel/mm/hugepages";
	DIR *d = opendir(top);
	uint64_t mb = 0;

	if (d == nullptr)
		return 0;
	struct dirent *e;
	while ((e = readdir(d)) != nullptr) {
		unsigned long kb;
		if (sscanf(e->d_name, "hugepages-%lukB", &kb) != 1)
			continue;
		uint64_t n[2] = { 0, 0 };
		const char *files[2] = { "free_hugepages", "resv_hugepages" };
		for (int i = 0; i < 2; i++) {
			std::string p = std::string(top) + "/" + e->d_name + "/" + files[i];
			FILE *f = fopen(p.c_str(), "r");
			if (f == nullptr)
				continue;
			if (fscanf(f, "%" SCNu64, &n[i]) != 1)
				n[i] = 0;
			fclose(f);
		}
		if (n[0] > n[1])
			mb += (n[0] - n[1]) * kb / 1024;
	}
	closedir(d);
	return mb;
}

/*
 * Why an EAL that failed to start could not have started here: too little
 * free hugepage memory for its -m. Empty if that is not the reason.
 */
static std::string
hugepage_shortage(const std::vector<std::string> &args)
{
	uint64_t need = 1;
	char why[128];

	for (size_t i = 0; i < args.size(); i++) {
		if (args[i] == "--no-huge")
			return "";
		if (args[i] == "-m" && i + 1 < args.size())
			need = strtoull(args[i + 1].c_str(), nullptr, 10);
	}
	uint64_t have = free_hugepage_mb();
	if (have >= need)
		return "";
	snprintf(why, sizeof(why), "%" PRIu64 " MB of free hugepages, %" PRIu64 " MB needed",
			have, need);
	return why;
}

int
start_test_eal(const char *prog, const char *tag, const std::vector<std::string> &extra,
		std::string *prefix)
{
	std::string p = make_prefix(tag);

	start_janitor(p);
	auto args = eal_args(prog, p, "0@0,1@1", false);
	args.insert(args.end(), extra.begin(), extra.end());
	if (eal_start(args) < 0) {
		int err = rte_errno;
		std::string why = hugepage_shortage(args);
		if (!why.empty()) {
			printf("SKIP: rte_eal_init failed (%s): %s\n", rte_strerror(err),
					why.c_str());
			return 77;
		}
		printf("FAIL: rte_eal_init failed (%s), with %" PRIu64 " MB of free "
				"hugepages\n", rte_strerror(err), free_hugepage_mb());
		return 1;
	}
	if (prefix != nullptr)
		*prefix = p;
	return 0;
}

void
stop_test_eal()
{
	rte_mps_fini();
	rte_eal_cleanup();
}

int
mps_group_setup(void **)
{
	if (rte_mps_init() < 0)
		return -1;
	pool = rte_mempool_create("mps_ut_pool", POOL_SIZE, 64, 32, 0, nullptr, nullptr,
			nullptr, nullptr, SOCKET_ID_ANY, 0);
	return pool == nullptr ? -1 : 0;
}

int
mps_group_teardown(void **)
{
	rte_mempool_free(pool);
	return 0;
}

mps::shared *
shm()
{
	const struct rte_memzone *mz = rte_memzone_lookup(RTE_MPS_MZ_NAME);

	/* mps::shared is incomplete here: users include mps_private.h. */
	return mz == nullptr ? nullptr : static_cast<mps::shared *>(mz->addr);
}

pid_t
fork_waiting_child(int *release_fd, int code)
{
	int fds[2];

	if (pipe(fds) < 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		char c;
		close(fds[1]);
		while (read(fds[0], &c, 1) < 0 && errno == EINTR)
			;
		_exit(code);
	}
	close(fds[0]);
	*release_fd = fds[1];
	return pid;
}

pid_t
start_worker(unsigned int w, worker_kind kind)
{
	pid_t pid = rte_mps_fork((int)w);

	if (pid != 0)
		return pid;
	if (kind == CRASHING)
		rte_mps_child_exit(1);
	for (;;) {
		if (kind == STUBBORN) {
			pause();
			continue;
		}
		int c = rte_mps_cmd_poll(w);
		if (c == (int)RTE_MPS_CMD_STOP) {
			rte_mps_cmd_ack(w, (uint32_t)c);
			rte_mps_child_exit(0);
		}
		usleep(100);
	}
}

uint64_t
collect_ready(uint64_t want, unsigned int ms)
{
	uint64_t all = 0;
	uint64_t deadline = now_ns() + (uint64_t)ms * 1000000ull;

	while ((all & want) != want && now_ns() < deadline) {
		uint64_t r = 0;
		if (rte_mps_group_wait(&r, 100) > 0)
			all |= r;
	}
	return all;
}

} /* namespace mpstest */
