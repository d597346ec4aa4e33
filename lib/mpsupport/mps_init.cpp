/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/*
 * Attach and detach: rte_mps_init() finds or makes the shared memzone,
 * checks its layout, registers the process and starts the rooms that run
 * threads; rte_mps_fini() stops them in the reverse order.
 */

#include <inttypes.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_memzone.h>

#include "mps_dpdk.h"
#include "rte_mps_capture.h"
#include "mps_private.h"

namespace mps {

process_state self = { nullptr, -1, 0, false, 0 };

namespace {

int
check_layout(const shared *sh)
{
	if (sh->magic != RTE_MPS_MAGIC)
		return fail(EPROTO, "memzone %s has magic 0x%016" PRIx64 ", expected 0x%016"
				PRIx64 " (not an mpsupport registry)", RTE_MPS_MZ_NAME,
				sh->magic, RTE_MPS_MAGIC);
	if (sh->version != RTE_MPS_LAYOUT_VERSION)
		return fail(EPROTO, "memzone %s has layout version %u, expected %u",
				RTE_MPS_MZ_NAME, sh->version, RTE_MPS_LAYOUT_VERSION);
	if (sh->size != sizeof(shared) || sh->max_lcore != RTE_MAX_LCORE ||
			sh->max_procs != RTE_MPS_MAX_PROCS ||
			sh->max_workers != RTE_MPS_MAX_WORKERS)
		return fail(EPROTO, "memzone %s was built with size %u, RTE_MAX_LCORE %u, "
				"%u procs, %u workers; expected %zu, %u, %u, %u",
				RTE_MPS_MZ_NAME, sh->size, sh->max_lcore, sh->max_procs,
				sh->max_workers, sizeof(shared), RTE_MAX_LCORE,
				RTE_MPS_MAX_PROCS, RTE_MPS_MAX_WORKERS);
	return 0;
}

/* The inode of this process's pid namespace, or 0 when it cannot be read. */
uint64_t
own_pid_ns()
{
	struct stat st;

	return stat("/proc/self/ns/pid", &st) == 0 ? static_cast<uint64_t>(st.st_ino) : 0;
}

} /* namespace */

int
check_memzone(const void *addr, size_t len)
{
	if (len < sizeof(shared))
		return fail(EPROTO, "memzone %s is %zu bytes, expected %zu",
				RTE_MPS_MZ_NAME, len, sizeof(shared));
	return check_layout(static_cast<const shared *>(addr));
}

} /* namespace mps */

using namespace mps;

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_init, 22.11)
int
rte_mps_init(void)
{
	const struct rte_memzone *mz;
	shared *sh;
	bool primary = rte_eal_process_type() == RTE_PROC_PRIMARY;
	uint64_t lcores[LCORE_WORDS] = {};

	clear_error();
	if (self.forked)
		return fail(EPERM, "rte_mps_init() called in a forked worker");
	if (self.sh != nullptr)
		return 0;

	mz = rte_memzone_lookup(RTE_MPS_MZ_NAME);
	if (mz == nullptr && !primary)
		return fail(ENOENT, "memzone %s not found: the primary must call "
				"rte_mps_init() first", RTE_MPS_MZ_NAME);
	if (mz == nullptr) {
		mz = rte_memzone_reserve(RTE_MPS_MZ_NAME, sizeof(shared), SOCKET_ID_ANY, 0);
		if (mz == nullptr)
			return fail(ENOMEM, "cannot reserve memzone %s: %s", RTE_MPS_MZ_NAME,
					rte_strerror(rte_errno));
		sh = static_cast<shared *>(mz->addr);
		memset(sh, 0, sizeof(*sh));
		sh->version = RTE_MPS_LAYOUT_VERSION;
		sh->size = sizeof(shared);
		sh->max_lcore = RTE_MAX_LCORE;
		sh->max_procs = RTE_MPS_MAX_PROCS;
		sh->max_workers = RTE_MPS_MAX_WORKERS;
		sh->pid_ns = own_pid_ns();
		store(&sh->magic, RTE_MPS_MAGIC);
	} else {
		sh = static_cast<shared *>(mz->addr);
		int ret = check_memzone(mz->addr, mz->len);
		if (ret < 0) {
			MPS_LOG(DEBUG, "%s\n", rte_mps_strerror());
			return ret;
		}
		/*
		 * Members are known by their pids, which mean something else in
		 * another pid namespace: the liveness checks would then watch, or
		 * kill, some other process.
		 */
		uint64_t ns = own_pid_ns();
		if (sh->pid_ns != 0 && ns != sh->pid_ns)
			return fail(EXDEV, "this process is in another pid namespace than "
					"the primary (pid:[%" PRIu64 "], not pid:[%" PRIu64 "]): "
					"its pids would mean other processes", ns, sh->pid_ns);
	}

	const char *why;
	put_model model = dpdk_probe_put_model(&why);
	dpdk_set_put_model(model, why);
	store(&self.sh, sh);
	self.pid = getpid();
	for (unsigned int l = 0; l < RTE_MAX_LCORE; l++)
		if (rte_lcore_is_enabled(l))
			lcores[l / 64] |= 1ull << (l % 64);

	int ret = slot_register(primary ? RTE_MPS_PROC_PRIMARY : RTE_MPS_PROC_SECONDARY,
			0, RTE_MPS_NO_WORKER, lcores);
	if (ret < 0) {
		MPS_LOG(DEBUG, "%s\n", rte_mps_strerror());
		store(&self.sh, (shared *)nullptr);
		return ret;
	}
	if (primary) {
		store(&sh->primary_start, load(&sh->procs[self.slot].start_time));
		store(&sh->primary_pid, self.pid);
	}

	ret = lcore_callbacks_register();
	if (ret == 0)
		ret = notify_start();
	if (ret == 0)
		ret = primary ? notify_ipc_register() : announce_member(self.pid);
	if (ret < 0) {
		MPS_LOG(DEBUG, "%s\n", rte_mps_strerror());
		notify_stop();
		lcore_callbacks_unregister();
		slot_release_own();
		store(&self.sh, (shared *)nullptr);
		return ret;
	}
	MPS_LOG(DEBUG, "pid %d registered in slot %d\n", (int)self.pid, self.slot);
	return 0;
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_fini, 22.11)
int
rte_mps_fini(void)
{
	if (self.sh == nullptr)
		return fail(EINVAL, "mpsupport is not initialised");
	/* its thread reads hugepage memory that rte_eal_cleanup() unmaps */
	rte_mps_capture_uninit();
	recovery_stop();
	if (!self.forked) {
		forksrv_fini();
		notify_ipc_unregister();
		notify_stop();
		lcore_callbacks_unregister();
	}
	lcore_forget_thread();
	slot_release_own();
	cmd_channel_forget();
	store(&self.sh, (shared *)nullptr);
	return 0;
}
