/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/*
 * The worker table: the workers a main process declares, the edges
 * between them, and the process that runs each. What happens when one of
 * them exits is the recovery thread's job (mps_recovery.cpp).
 */

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "mps_private.h"

namespace mps {

worker_slot *
worker_slot_of(unsigned int w)
{
	if (self.sh == nullptr || w >= RTE_MPS_MAX_WORKERS)
		return nullptr;
	worker_slot *ws = &self.sh->workers[w];
	if (load(&ws->state) == W_NONE)
		return nullptr;
	return ws;
}

bool
worker_alive(unsigned int w)
{
	worker_slot *ws = &self.sh->workers[w];

	return ws->pid > 0 && proc_alive(ws->pid, ws->start_time);
}

void (*test_hook_attach)(pid_t pid);

int
check_main_process(const char *what)
{
	if (self.forked)
		return fail(EPERM, "%s is not available in a forked worker", what);
	if (self.sh == nullptr)
		return fail(EINVAL, "mpsupport is not initialised");
	return 0;
}

namespace {

bool
running(const worker_slot *ws)
{
	uint32_t st = load(&ws->state);

	return st == W_RUNNING || st == W_STOPPING;
}

/* A standby (rte_mps_fork_standby()) attached to a worker names it from now on. */
void
name_worker_of_standby(pid_t pid, unsigned int worker)
{
	for (proc_slot &ps : self.sh->procs)
		if (slot_state(load(&ps.state)) != SLOT_FREE && load(&ps.pid) == pid &&
		    load(&ps.type) == RTE_MPS_PROC_FORKED && load(&ps.worker) == RTE_MPS_NO_WORKER)
			store(&ps.worker, static_cast<int32_t>(worker));
}

} /* namespace */

} /* namespace mps */

using namespace mps;

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_worker_add, 22.11)
int
rte_mps_worker_add(unsigned int worker)
{
	int ret = check_main_process("rte_mps_worker_add()");

	if (ret < 0)
		return ret;
	if (worker >= RTE_MPS_MAX_WORKERS)
		return fail(EINVAL, "worker %u out of range (max %u)", worker,
				RTE_MPS_MAX_WORKERS - 1);
	mutex_guard lk(recovery.lock);
	worker_slot *ws = &self.sh->workers[worker];
	if (load(&ws->state) != W_NONE)
		return fail(EEXIST, "worker %u already declared", worker);
	ret = cmd_channel_create(worker);
	if (ret == 0)
		ret = recovery_start();
	if (ret < 0)
		return ret;
	store(&ws->pid, static_cast<int32_t>(0));
	store(&ws->start_time, static_cast<uint64_t>(0));
	ws->deps = 0;
	ws->restarts = 0;
	ws->owner_pid = static_cast<uint32_t>(getpid());
	memset(ws->res, 0, sizeof(ws->res));
	store(&ws->state, static_cast<uint32_t>(W_IDLE));
	return 0;
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_worker_remove, 22.11)
int
rte_mps_worker_remove(unsigned int worker)
{
	int ret = check_main_process("rte_mps_worker_remove()");

	if (ret < 0)
		return ret;
	mutex_guard lk(recovery.lock);
	worker_slot *ws = worker_slot_of(worker);
	if (ws == nullptr)
		return fail(ENOENT, "unknown worker %u", worker);
	if (running(ws) && worker_alive(worker))
		return fail(EBUSY, "worker %u is running (pid %d)", worker, ws->pid);
	recovery_unwatch(lk, worker);
	cmd_channel_free(worker);
	for (unsigned int w = 0; w < RTE_MPS_MAX_WORKERS; w++)
		self.sh->workers[w].deps &= ~(1ull << worker);
	recovery.pending &= ~(1ull << worker);
	recovery.ready &= ~(1ull << worker);
	recovery.undead &= ~(1ull << worker);
	store(&ws->state, static_cast<uint32_t>(W_NONE));
	return 0;
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_worker_depend, 22.11)
int
rte_mps_worker_depend(unsigned int worker, unsigned int on)
{
	int ret = check_main_process("rte_mps_worker_depend()");

	if (ret < 0)
		return ret;
	mutex_guard lk(recovery.lock);
	worker_slot *ws = worker_slot_of(worker);
	if (ws == nullptr || worker_slot_of(on) == nullptr)
		return fail(ENOENT, "unknown worker %u", ws == nullptr ? worker : on);
	if (worker == on)
		return fail(EINVAL, "worker %u cannot depend on itself", worker);
	ws->deps |= 1ull << on;
	return 0;
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_worker_pair, 22.11)
int
rte_mps_worker_pair(unsigned int a, unsigned int b)
{
	int ret = rte_mps_worker_depend(a, b);

	return ret < 0 ? ret : rte_mps_worker_depend(b, a);
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_worker_attach, 22.11)
int
rte_mps_worker_attach(unsigned int worker, pid_t pid)
{
	uint64_t start;
	int ret = check_main_process("rte_mps_worker_attach()");

	if (ret < 0)
		return ret;
	if (pid <= 0)
		return fail(EINVAL, "bad pid %d", static_cast<int>(pid));
	/*
	 * The pidfd first: it names the process that has the pid now, and the
	 * start time read after it is that process's, or a later one's when
	 * it is gone already; the other way round, the pidfd could name a
	 * process that took the pid after the start time was read, and the
	 * tracker could then kill it.
	 */
	int pidfd = pidfd_open(pid, 0);
	if (test_hook_attach != nullptr)
		test_hook_attach(pid);
	/* A zombie still has its /proc entry: its exit is reported at once. */
	if (rte_mps_proc_start_time(pid, &start) < 0) {
		if (pidfd >= 0)
			close(pidfd);
		return fail(ESRCH, "no process %d to attach to worker %u",
				static_cast<int>(pid), worker);
	}

	mutex_guard lk(recovery.lock);
	worker_slot *ws = worker_slot_of(worker);
	if (ws == nullptr || (running(ws) && ws->pid != pid && worker_alive(worker))) {
		if (pidfd >= 0)
			close(pidfd);
		if (ws == nullptr)
			return fail(ENOENT, "unknown worker %u", worker);
		return fail(EBUSY, "worker %u is already run by pid %d", worker, ws->pid);
	}
	int old = recovery.exit_handle[worker];
	recovery.exit_handle[worker] = -1;
	if (recovery.pidfd[worker] >= 0)
		close(recovery.pidfd[worker]);
	recovery.pidfd[worker] = pidfd;
	/* only the acks: the process may poll its commands already */
	cmd_channel_drain_acks(worker);
	store(&ws->pid, static_cast<int32_t>(pid));
	store(&ws->start_time, start);
	name_worker_of_standby(pid, worker);
	recovery.ready &= ~(1ull << worker);
	recovery.undead &= ~(1ull << worker);
	store(&ws->state, static_cast<uint32_t>(W_RUNNING));
	lk.unlock();

	if (old >= 0)
		rte_mps_exit_notify_unregister(old);
	int h = rte_mps_exit_notify_register(pid, 0, recovery_worker_exited,
			reinterpret_cast<void *>(static_cast<uintptr_t>(worker)));
	lk.lock();
	if (h >= 0) {
		if (ws->pid == pid)
			recovery.exit_handle[worker] = h;
		return 0;
	}
	if (h == -ESRCH && ws->pid == pid) {
		recovery_request(1ull << worker);
		return 0;
	}
	return h;
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_worker_died, 22.11)
int
rte_mps_worker_died(unsigned int worker, pid_t pid)
{
	int ret = check_main_process("rte_mps_worker_died()");

	if (ret < 0)
		return ret;
	mutex_guard lk(recovery.lock);
	worker_slot *ws = worker_slot_of(worker);
	if (ws == nullptr)
		return fail(ENOENT, "unknown worker %u", worker);
	if (pid <= 0 || ws->pid != pid || load(&ws->state) != W_RUNNING)
		return 0;
	recovery_request(1ull << worker);
	return 1;
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_worker_pid, 22.11)
int
rte_mps_worker_pid(unsigned int worker)
{
	worker_slot *ws = worker_slot_of(worker);

	if (ws == nullptr)
		return fail(ENOENT, "unknown worker %u", worker);
	return running(ws) ? ws->pid : 0;
}
