/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

#ifndef RTE_MPS_NOTIFY_H
#define RTE_MPS_NOTIFY_H

/**
 * @file
 * Multi-process support: exit notification.
 *
 * @warning
 * @b EXPERIMENTAL: all functions in this file may change without prior notice.
 *
 * A control thread waits on pidfds and calls the callbacks registered for
 * a process when it exits, or queues them for rte_mps_exit_notify_poll().
 */

#include <stdint.h>
#include <sys/types.h>

#include <rte_compat.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Pid value to watch every member announcing itself (primary only). */
#define RTE_MPS_PID_MEMBERS 0

/** Exit-notify flag: queue the callback for rte_mps_exit_notify_poll(). */
#define RTE_MPS_NOTIFY_DEFER (1u << 0)
/** Exit-notify flag: reap the pid (own child only) instead of leaving it. */
#define RTE_MPS_NOTIFY_REAP (1u << 1)
/** Exit-notify flag, accepted for clarity: every registration for a pid
 * ends once its callback has been called, since a process exits once. */
#define RTE_MPS_NOTIFY_ONESHOT (1u << 2)

/** rte_mps_exit_info flag: exit_code and signal are known. */
#define RTE_MPS_EXIT_STATUS_KNOWN (1u << 0)

/** Description of a process exit, given to exit callbacks. */
struct rte_mps_exit_info {
	int32_t pid;        /**< The pid that exited. */
	uint32_t flags;     /**< RTE_MPS_EXIT_* flags. */
	int32_t exit_code;  /**< Exit code when it exited normally, else -1. */
	int32_t signal;     /**< Signal that killed it, else 0. */
	uint64_t detect_ns; /**< CLOCK_MONOTONIC time of detection, in ns. */
};

/**
 * Exit callback.
 *
 * @param info
 *   What exited and how.
 * @param arg
 *   The argument given at registration.
 */
typedef void (*rte_mps_exit_cb_t)(const struct rte_mps_exit_info *info, void *arg);

/**
 * Register a callback for the exit of a process.
 *
 * Detection is event driven (pidfd and epoll on a control thread). Unless
 * RTE_MPS_NOTIFY_DEFER is given, the callback runs on that control thread
 * and must not block. For an own child, the exit code or signal is
 * reported; the child is reaped only with RTE_MPS_NOTIFY_REAP, otherwise it
 * stays waitable for the application.
 *
 * @param pid
 *   Process to watch (> 0), or RTE_MPS_PID_MEMBERS in the primary to be
 *   told of the exit of every secondary and forked worker that registers.
 * @param flags
 *   RTE_MPS_NOTIFY_* flags.
 * @param cb
 *   Callback.
 * @param arg
 *   Argument for the callback.
 * @return
 *   A registration handle (>= 0), or a negative errno value (rte_errno is
 *   also set):
 *   - -EINVAL: bad argument or not initialised.
 *   - -EPERM: forked worker.
 *   - -ESRCH: no such process (the callback is not called).
 *   - -ENOSPC: too many registrations.
 */
__rte_experimental
int
rte_mps_exit_notify_register(pid_t pid, unsigned int flags,
		rte_mps_exit_cb_t cb, void *arg);

/**
 * Remove an exit registration.
 *
 * Once it returns, the callback is not running and will not run.
 *
 * @param handle
 *   Handle returned by rte_mps_exit_notify_register().
 * @return
 *   0 on success, -ENOENT if unknown or already called.
 */
__rte_experimental
int
rte_mps_exit_notify_unregister(int handle);

/**
 * Run deferred exit callbacks on the calling thread.
 *
 * @return
 *   Number of callbacks run.
 */
__rte_experimental
int
rte_mps_exit_notify_poll(void);

/**
 * File descriptor readable while deferred callbacks are pending.
 *
 * An eventfd the application can add to its own epoll or poll loop before
 * calling rte_mps_exit_notify_poll().
 *
 * @return
 *   The descriptor, or -EINVAL if not initialised.
 */
__rte_experimental
int
rte_mps_exit_notify_fd(void);

#ifdef __cplusplus
}
#endif

#endif /* RTE_MPS_NOTIFY_H */
