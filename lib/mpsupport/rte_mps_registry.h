/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

#ifndef RTE_MPS_REGISTRY_H
#define RTE_MPS_REGISTRY_H

/**
 * @file
 * Multi-process support: the process registry.
 *
 * @warning
 * @b EXPERIMENTAL: all functions in this file may change without prior notice.
 *
 * Every process of a group calls rte_mps_init() after rte_eal_init(). It then
 * holds a slot in a memzone shared by the group: its pid, its start time (so
 * that a recycled pid is never mistaken for it), its type and its EAL lcore
 * set. The liveness helpers here are the ones the whole library uses.
 */

#include <stdint.h>
#include <sys/types.h>

#include <rte_compat.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Name of the shared memzone holding the registry. */
#define RTE_MPS_MZ_NAME "mps_registry"
/** Magic at the start of the registry memzone ("MPSUPPRT"). */
#define RTE_MPS_MAGIC UINT64_C(0x5452505055535053)
/** Layout version of the registry memzone. */
#define RTE_MPS_LAYOUT_VERSION 3

/** Maximum number of processes registered at the same time. */
#define RTE_MPS_MAX_PROCS 32

/** Worker index meaning "no worker" for rte_mps_fork(). */
#define RTE_MPS_NO_WORKER (-1)

/** Process types recorded in the registry. */
enum rte_mps_proc_type {
	RTE_MPS_PROC_PRIMARY = 0,   /**< EAL primary process. */
	RTE_MPS_PROC_SECONDARY = 1, /**< EAL secondary process. */
	RTE_MPS_PROC_FORKED = 2,    /**< Worker forked with rte_mps_fork(). */
};

/** Description of a registered process. */
struct rte_mps_proc_info {
	int32_t pid;          /**< Process id. */
	int32_t parent_pid;   /**< Parent pid for forked workers, else 0. */
	uint64_t start_time;  /**< Start time in clock ticks since boot. */
	enum rte_mps_proc_type type; /**< Process type. */
	int32_t worker;       /**< Worker index or RTE_MPS_NO_WORKER. */
	uint64_t lcores[RTE_MAX_LCORE / 64]; /**< EAL lcore set, one bit per lcore id. */
};

/**
 * Attach the calling process to the group's registry.
 *
 * Must be called by every participating process after rte_eal_init(). The
 * primary reserves the registry memzone; other processes look it up and
 * check its magic and layout version. The process is then registered with
 * its pid, start time, type and EAL lcore set. Secondaries announce
 * themselves to the primary over IPC. Calling it again is a no-op.
 *
 * @return
 *   0 on success, or a negative errno value (rte_errno is also set):
 *   - -ENOENT: secondary and no registry (primary did not call it).
 *   - -EPROTO: registry has a bad magic or layout version.
 *   - -EXDEV: the process is in another pid namespace than the primary,
 *     where its pid, and those of the members, mean other processes.
 *   - -EBUSY: an EAL lcore is used by another live member (named by
 *     rte_mps_strerror(), and in the debug log).
 *   - -ENOSPC: no free process slot.
 *   - -ENOMEM: memzone reservation failed.
 *   - -EPERM: called in a forked worker.
 */
__rte_experimental
int
rte_mps_init(void);

/**
 * Detach the calling process from the registry.
 *
 * Releases its EAL lcores and floating lcores, stops the library threads
 * (the capture thread of rte_mps_capture_init() included) and drops exit
 * registrations. Call before rte_eal_cleanup().
 *
 * @return
 *   0 on success, -EINVAL if not initialised.
 */
__rte_experimental
int
rte_mps_fini(void);

/**
 * Describe the last error of the calling thread.
 *
 * @return
 *   A one-line message naming the bad value of the last failing call, or
 *   an empty string.
 */
__rte_experimental
const char *
rte_mps_strerror(void);

/**
 * Read a process's start time.
 *
 * @param pid
 *   Process id.
 * @param start_time
 *   Output: start time in clock ticks since boot.
 * @return
 *   0 on success, -ESRCH if the process does not exist, -EINVAL on bad
 *   arguments.
 */
__rte_experimental
int
rte_mps_proc_start_time(pid_t pid, uint64_t *start_time);

/**
 * Tell whether a process identified by pid and start time is still alive.
 *
 * @param pid
 *   Process id.
 * @param start_time
 *   Start time recorded when it was registered.
 * @return
 *   1 if alive (same pid, same start time, and not a zombie that is its
 *   last thread: a killed process counts as alive until every one of its
 *   threads is gone), 0 if not.
 */
__rte_experimental
int
rte_mps_proc_alive(pid_t pid, uint64_t start_time);

/**
 * List the registered processes.
 *
 * @param info
 *   Array to fill, may be NULL when n is 0.
 * @param n
 *   Capacity of info.
 * @return
 *   Number of registered processes (may exceed n), or -EINVAL if not
 *   initialised.
 */
__rte_experimental
int
rte_mps_proc_list(struct rte_mps_proc_info *info, unsigned int n);

/**
 * Pid of the primary process of the group.
 *
 * @return
 *   The primary's pid, or -EINVAL if not initialised.
 */
__rte_experimental
int
rte_mps_primary_pid(void);

#ifdef __cplusplus
}
#endif

#endif /* RTE_MPS_REGISTRY_H */
