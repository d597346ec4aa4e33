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
#include <rte_lcore.h>

#include "mps_private.h"

namespace mps {

/*
 * The recovery and notify locks are held across the library's own fork(),
 * so that the child gets them in a known state; the child then
 * reinitialises them. rte_mps_fork() calls these around its fork() only:
 * the application's own fork() (system(), a helper process) takes no lock
 * of the library. They are the only place where the library locks by
 * hand: a lock taken in one function and released in another cannot be a
 * scope.
 */
void
fork_prepare()
{
	capture_fork_prepare();
	pthread_mutex_lock(&recovery.lock);
	pthread_mutex_lock(&notify_mutex);
}

void
fork_parent()
{
	pthread_mutex_unlock(&notify_mutex);
	pthread_mutex_unlock(&recovery.lock);
	capture_fork_parent();
}

void
fork_child()
{
	lcore_reclaim_forked_child();
	notify_forked_child();
	recovery_forked_child();
	capture_fork_child();
}

/*
 * PR_SET_PDEATHSIG fires when the thread that called fork() exits, not
 * when its process does. Only the main thread and the EAL's lcore threads
 * (which run until the process ends) may fork a worker that must die with
 * its parent, and nothing else.
 */
bool
forking_thread_lasts()
{
	if (gettid() == getpid())
		return true;
	unsigned int lcore = lcore_eal_id();
	if (lcore >= RTE_MAX_LCORE)
		return false;
	enum rte_lcore_role_t role = rte_eal_lcore_role(lcore);
	return role == ROLE_RTE || role == ROLE_SERVICE;
}

namespace {

/* Fork a worker; attach the child to the worker now, or leave that to a later wake. */
pid_t
fork_worker(int worker, bool attach)
{
	if (self.forked)
		return fail(EPERM, "a forked worker cannot fork again");
	if (self.sh == nullptr)
		return fail(EINVAL, "mpsupport is not initialised");
	if (worker != RTE_MPS_NO_WORKER && (worker < 0 || worker >= RTE_MPS_MAX_WORKERS ||
			load(&self.sh->workers[worker].state) == W_NONE))
		return fail(EINVAL, "unknown worker %d", worker);
	if (!rte_eal_has_hugepages())
		return fail(ENOTSUP, "no hugepages (--no-huge): memory would not be shared "
				"with a forked worker");
	if (!forking_thread_lasts())
		return fail(EPERM, "fork from a thread that may exit before its process: the "
				"worker would be killed with it (call from the main thread "
				"or an EAL lcore)");
	if (!proc_mapping_shared(self.sh))
		return fail(ENOTSUP, "memzone %s is in a private mapping: memory would not "
				"be shared with a forked worker", RTE_MPS_MZ_NAME);

	pid_t parent = getpid();
	capture_prepare_fork(worker);
	/* no reset runs between the fork and the attach (see res_reset_set) */
	mutex_guard launch(res_launch_mutex);
	/* the child's copy of the pool list: one fork at a time */
	int ret = lcore_snapshot_pools();
	if (ret < 0)
		return ret;
	fork_prepare();
	pid_t pid = fork();
	if (pid < 0) {
		int err = errno;
		fork_parent();
		return fail(EAGAIN, "fork() failed: %s", strerror(err));
	}
	if (pid == 0) {
		/* From here on, the library logs with write() (log_line()). */
		self.forked = true;
		fork_child();
		res_launch_forked_child();
		launch.forget();
		/* Die with the parent; it may already be gone. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(EXIT_FAILURE);
		self.pid = getpid();
		store(&self.slot, -1);
		lcore_forget_thread();
		uint64_t none[LCORE_WORDS] = {};
		/*
		 * A standby names no worker until attached: parked, it uses none
		 * of the worker's resources, and a reset may rebuild its pools.
		 */
		if (slot_register(RTE_MPS_PROC_FORKED, parent, attach ? worker : RTE_MPS_NO_WORKER,
				none) < 0)
			MPS_LOG(ERR, "forked worker %d: %s\n", (int)self.pid, rte_mps_strerror());
		capture_forked_child(worker, !attach);
		return 0;
	}
	fork_parent();
	if (attach && worker != RTE_MPS_NO_WORKER) {
		int ret = rte_mps_worker_attach((unsigned int)worker, pid);
		if (ret < 0)
			MPS_LOG(ERR, "cannot attach pid %d to worker %d: %s\n", (int)pid, worker,
					rte_mps_strerror());
	}
	launch.unlock();
	announce_member(pid);
	return pid;
}

} /* namespace */

} /* namespace mps */

using namespace mps;

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_fork, 22.11)
pid_t
rte_mps_fork(int worker)
{
	return fork_worker(worker, true);
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_fork_standby, 22.11)
pid_t
rte_mps_fork_standby(int worker)
{
	if (worker == RTE_MPS_NO_WORKER)
		return fail(EINVAL, "a standby is forked for a worker");
	return fork_worker(worker, false);
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_is_forked, 22.11)
int
rte_mps_is_forked(void)
{
	return self.forked ? 1 : 0;
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_child_exit, 22.11)
void
rte_mps_child_exit(int code)
{
	if (self.sh != nullptr) {
		lcore_forget_thread();
		slot_release_own();
	}
	_exit(code);
}
