/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>

#include "mps_private.h"

namespace mps {

void notify_lock();
void notify_unlock();
void worker_lock();
void worker_unlock();

/* Library locks are held across fork() so that the child gets them in a
 * known state, then the child reinitialises them. */
void
fork_prepare()
{
	worker_lock();
	notify_lock();
}

void
fork_parent()
{
	notify_unlock();
	worker_unlock();
}

void
fork_child()
{
	lcore_reclaim_forked_child();
	notify_forked_child();
	worker_forked_child();
}

namespace {

/* Is addr in a MAP_SHARED mapping of this process? */
bool
mapping_shared(const void *addr)
{
	char buf[4096];
	uintptr_t a = (uintptr_t)addr;
	int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return false;
	/* Lines: "start-end perms offset dev inode path". */
	size_t have = 0;
	bool found = false, shared_map = false;
	for (;;) {
		ssize_t k = read(fd, buf + have, sizeof(buf) - 1 - have);
		if (k <= 0)
			break;
		have += (size_t)k;
		buf[have] = '\0';
		char *line = buf;
		char *nl;
		while ((nl = strchr(line, '\n')) != nullptr) {
			*nl = '\0';
			char *end;
			uintptr_t lo = strtoull(line, &end, 16);
			uintptr_t hi = (*end == '-') ? strtoull(end + 1, &end, 16) : 0;
			if (a >= lo && a < hi && *end == ' ' && strlen(end) > 4) {
				found = true;
				shared_map = end[4] == 's';
			}
			line = nl + 1;
		}
		have = strlen(line);
		memmove(buf, line, have);
		if (found)
			break;
	}
	close(fd);
	return found && shared_map;
}

RTE_INIT(mps_atfork)
{
	pthread_atfork(fork_prepare, fork_parent, fork_child);
}

} /* namespace */

} /* namespace mps */

using namespace mps;

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_fork, 22.11)
pid_t
rte_mps_fork(int worker)
{
	if (g.forked)
		return fail(EPERM, "a forked worker cannot fork again");
	if (g.sh == nullptr)
		return fail(EINVAL, "mpsupport is not initialised");
	if (worker != RTE_MPS_NO_WORKER && (worker < 0 || worker >= RTE_MPS_MAX_WORKERS ||
			load(&g.sh->workers[worker].state) == W_NONE))
		return fail(EINVAL, "unknown worker %d", worker);
	if (!rte_eal_has_hugepages())
		return fail(ENOTSUP, "no hugepages (--no-huge): memory would not be shared "
				"with a forked worker");
	if (!mapping_shared(g.sh))
		return fail(ENOTSUP, "memzone %s is in a private mapping: memory would not "
				"be shared with a forked worker", RTE_MPS_MZ_NAME);

	pid_t parent = getpid();
	lcore_snapshot_pools();
	/* no reset runs between the fork and the attach (see res_reset_set) */
	res_launch_lock();
	pid_t pid = fork();
	if (pid < 0) {
		res_launch_unlock();
		return fail(EAGAIN, "fork() failed: %s", strerror(errno));
	}
	if (pid == 0) {
		res_launch_forked_child();
		/* Die with the parent; it may already be gone. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(EXIT_FAILURE);
		g.forked = true;
		g.pid = getpid();
		store(&g.slot, -1);
		lcore_forget_thread();
		uint64_t none[LCORE_WORDS] = {};
		if (slot_register(RTE_MPS_PROC_FORKED, parent, worker, none) < 0)
			MPS_LOG(ERR, "forked worker %d: %s\n", (int)g.pid, rte_mps_strerror());
		return 0;
	}
	if (worker != RTE_MPS_NO_WORKER) {
		int ret = rte_mps_worker_attach((unsigned int)worker, pid);
		if (ret < 0)
			MPS_LOG(ERR, "cannot attach pid %d to worker %d: %s\n", (int)pid, worker,
					rte_mps_strerror());
	}
	res_launch_unlock();
	announce_member(pid);
	return pid;
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_is_forked, 22.11)
int
rte_mps_is_forked(void)
{
	return g.forked ? 1 : 0;
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_child_exit, 22.11)
void
rte_mps_child_exit(int code)
{
	if (g.sh != nullptr) {
		lcore_forget_thread();
		slot_release_own();
	}
	_exit(code);
}
