/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

#ifndef RTE_MPS_FORK_H
#define RTE_MPS_FORK_H

/**
 * @file
 * Multi-process support: worker processes made by fork().
 *
 * @warning
 * @b EXPERIMENTAL: all functions in this file may change without prior notice.
 *
 * The fork contract. A forked worker has one thread: any lock that another
 * thread of the parent held at fork() time stays held forever in the child.
 * A forked worker therefore only uses objects created before the fork
 * (rings, mempools, memzones, the ports' fast paths); it never reserves or
 * frees memzones or rte_malloc memory; it never uses IPC (rte_mp_*), alarms,
 * interrupts or telemetry; it never calls rte_eal_cleanup(); it leaves with
 * _exit() (rte_mps_child_exit()); and it dies with its parent.
 *
 * Dying with the parent is the kernel's parent-death signal, which fires
 * when the thread that forked exits, not the process: rte_mps_fork() is
 * refused on any thread but the main thread and the EAL's lcore threads,
 * which run as long as their process. Between fork() and the return of
 * rte_mps_fork() in the child, the library takes none of its locks and
 * logs nothing through rte_log() (nor syslog); in a forked worker, the
 * library's log lines go to stderr with write(). Only rte_mps_fork() takes
 * the library's locks around its fork(): the application's own fork()
 * (system(), a helper process) is left alone, and its child must not call
 * the library.
 */

#include <stdint.h>
#include <sys/types.h>

#include <rte_common.h>
#include <rte_compat.h>

#include "rte_mps_registry.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Fork a worker process under the fork contract.
 *
 * Refused when memory would not be shared with the child: without
 * hugepages (--no-huge), or when the registry is not in a shared mapping.
 * In the child: parent-death signal SIGKILL, library locks reinitialised,
 * a process slot of type RTE_MPS_PROC_FORKED, and library calls needing
 * memory reservation, IPC or threads refused with -EPERM. In the parent,
 * when worker is a worker index, the child is attached to it before the
 * function returns.
 *
 * @param worker
 *   Worker index, or RTE_MPS_NO_WORKER.
 * @return
 *   In the parent, the child's pid; in the child, 0; on failure a negative
 *   errno value (rte_errno is also set):
 *   - -ENOTSUP: memory not shared (no hugepages or private mapping).
 *   - -EPERM: called in a forked worker, or on a thread other than the
 *     main thread and the EAL lcore threads (a thread that may exit before
 *     its process would take the worker with it).
 *   - -EINVAL: not initialised, or unknown worker.
 *   - -EAGAIN: fork() failed.
 *   - -ENOSPC: more than 64 mempools exist: the child could not know them
 *     all (it flushes its lcore caches in the pools of its fork time).
 */
__rte_experimental
pid_t
rte_mps_fork(int worker);

/**
 * Fork a standby process for a worker, under the fork contract.
 *
 * As rte_mps_fork(), except that the child is not attached to the worker:
 * it is a spare that the caller parks (blocked, not spinning) until the
 * worker's current process is gone, and then attaches with
 * rte_mps_worker_attach() before letting it run, so that the fork is off
 * the recovery's critical path. The child's process slot names no worker
 * until it is attached: parked, it must use none of the worker's resources,
 * since a reset may rebuild the pools it would use.
 *
 * @param worker
 *   Worker index.
 * @return
 *   As rte_mps_fork(); -EINVAL also for RTE_MPS_NO_WORKER.
 */
__rte_experimental
pid_t
rte_mps_fork_standby(int worker);

/**
 * Tell whether the calling process is a worker forked by rte_mps_fork().
 *
 * @return
 *   1 if forked worker, 0 otherwise.
 */
__rte_experimental
int
rte_mps_is_forked(void);

/**
 * Leave a forked worker: release its floating lcores and process slot,
 * then _exit().
 *
 * @param code
 *   Exit code.
 */
__rte_experimental
__rte_noreturn void
rte_mps_child_exit(int code);

#ifdef __cplusplus
}
#endif

#endif /* RTE_MPS_FORK_H */
