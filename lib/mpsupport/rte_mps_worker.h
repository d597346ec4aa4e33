/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

#ifndef RTE_MPS_WORKER_H
#define RTE_MPS_WORKER_H

/**
 * @file
 * Multi-process support: workers, dependencies and commands.
 *
 * @warning
 * @b EXPERIMENTAL: all functions in this file may change without prior notice.
 *
 * A main process declares its workers and the edges between them. When a
 * worker exits, everything that depends on it is stopped (STOP over its
 * command ring, then SIGKILL after a bound), its resources are reset, and the
 * group is reported ready to restart.
 */

#include <stdint.h>
#include <sys/types.h>

#include <rte_compat.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Maximum number of workers known to the dependency tracker. */
#define RTE_MPS_MAX_WORKERS 64

/** Command sent to a worker: stop and exit. */
#define RTE_MPS_CMD_STOP 1u
/** First command value free for applications. */
#define RTE_MPS_CMD_USER 0x100u

/**
 * Declare a worker and create its command channel.
 *
 * Main process only; must precede any fork of the worker. Creates the two
 * command rings (main to worker and back) in shared memory.
 *
 * @param worker
 *   Worker index, below RTE_MPS_MAX_WORKERS.
 * @return
 *   0 on success, -EINVAL, -EEXIST, -EPERM (forked worker) or -ENOMEM.
 */
__rte_experimental
int
rte_mps_worker_add(unsigned int worker);

/**
 * Forget a worker; it must not be running.
 *
 * @param worker
 *   Worker index.
 * @return
 *   0 on success, -ENOENT, -EBUSY if running, or -EPERM.
 */
__rte_experimental
int
rte_mps_worker_remove(unsigned int worker);

/**
 * Declare that a worker must stop when another exits.
 *
 * @param worker
 *   The dependent worker.
 * @param on
 *   The worker it depends on.
 * @return
 *   0 on success, -ENOENT if either is unknown, -EINVAL if equal.
 */
__rte_experimental
int
rte_mps_worker_depend(unsigned int worker, unsigned int on);

/**
 * Declare a mutual dependency (a pair), as with l2fwd's paired ports.
 *
 * @param a
 *   First worker.
 * @param b
 *   Second worker.
 * @return
 *   0 on success, -ENOENT or -EINVAL.
 */
__rte_experimental
int
rte_mps_worker_pair(unsigned int a, unsigned int b);

/**
 * Record the process now running a worker and watch it.
 *
 * rte_mps_fork() does this itself when given a worker index. The command
 * rings are emptied and the worker's state becomes running.
 *
 * @param worker
 *   Worker index.
 * @param pid
 *   Process running it.
 * @return
 *   0 on success, -ENOENT, -EBUSY if a live process already runs it, or
 *   -ESRCH if pid is not alive.
 */
__rte_experimental
int
rte_mps_worker_attach(unsigned int worker, pid_t pid);

/**
 * Tell the tracker that the process running a worker has died, ahead of
 * its pidfd.
 *
 * For an application that learns of a death sooner than the pidfd says
 * it, for example from a robust mutex the worker holds for its whole life:
 * the kernel marks it owner-died when it tears the dead thread's memory
 * down, before the pidfd becomes readable at the end of the exit. The
 * recovery of the worker's group starts now (its partners are told to
 * stop); the reset still waits until every process of the group is gone,
 * so that nothing is given back while a process could still hold it.
 *
 * @param worker
 *   Worker index.
 * @param pid
 *   The process that died: ignored if it no longer runs the worker (its
 *   recovery is done or under way).
 * @return
 *   1 if a recovery was started, 0 if pid was ignored, -ENOENT for an
 *   unknown worker, -EPERM in a forked worker.
 */
__rte_experimental
int
rte_mps_worker_died(unsigned int worker, pid_t pid);

/**
 * Pid of the process running a worker.
 *
 * @param worker
 *   Worker index.
 * @return
 *   The pid, 0 if none runs it, or -ENOENT.
 */
__rte_experimental
int
rte_mps_worker_pid(unsigned int worker);

/**
 * Set the bound on waiting for a stopped worker to exit.
 *
 * After sending STOP, the tracker waits this long for the worker to exit,
 * then sends SIGKILL and waits as long again.
 *
 * @param timeout_ms
 *   Bound in milliseconds (default 500).
 * @return
 *   0 on success, -EINVAL if zero.
 */
__rte_experimental
int
rte_mps_tracker_set_timeout(unsigned int timeout_ms);

/**
 * Stop a set of workers as if one of them had exited.
 *
 * The dependents of the given workers are stopped as well. Recovery is
 * asynchronous; rte_mps_group_wait() reports when it is over.
 *
 * @param mask
 *   Bit i set for worker i.
 * @return
 *   0 on success, -EINVAL if a bit names an unknown worker.
 */
__rte_experimental
int
rte_mps_group_stop(uint64_t mask);

/**
 * Wait until a group of stopped workers is ready to restart.
 *
 * Ready means: every worker that exited or depended on one that did has
 * exited (after STOP, or after SIGKILL when it did not comply) and its
 * resources have been reset. Exits that happen while a recovery is in
 * progress are coalesced into it.
 *
 * @param ready
 *   Output: bit i set for each worker i to restart.
 * @param timeout_ms
 *   Bound on the wait; 0 polls, a negative value waits forever.
 * @return
 *   Number of workers ready (0 on time-out), or a negative errno value.
 */
__rte_experimental
int
rte_mps_group_wait(uint64_t *ready, int timeout_ms);

/**
 * Send a command to a worker and wait for its acknowledgement.
 *
 * Only the process that declared the workers sends (its threads and its
 * tracker may send at once), and only the worker takes its commands: each
 * ring of the channel has a single producer and a single consumer at a
 * time, so that a user killed inside an operation blocks no other.
 *
 * @param worker
 *   Worker index.
 * @param cmd
 *   Command (RTE_MPS_CMD_STOP or an application value >= RTE_MPS_CMD_USER).
 * @param timeout_ms
 *   Bound on the wait for the ack; 0 does not wait.
 * @return
 *   0 when acknowledged (or sent, with timeout 0), -ETIMEDOUT, -ENOENT,
 *   -ENOBUFS if the ring is full, -EPERM in a process that declared no
 *   worker.
 */
__rte_experimental
int
rte_mps_cmd_send(unsigned int worker, uint32_t cmd, unsigned int timeout_ms);

/**
 * Worker side: fetch the next pending command, without blocking.
 *
 * Cheap enough for a forwarding loop.
 *
 * @param worker
 *   The calling worker's index.
 * @return
 *   The command, 0 if none is pending, or -ENOENT.
 */
__rte_experimental
int
rte_mps_cmd_poll(unsigned int worker);

/**
 * Worker side: acknowledge the last command fetched.
 *
 * @param worker
 *   The calling worker's index.
 * @param cmd
 *   The command being acknowledged.
 * @return
 *   0 on success, -ENOENT or -ENOBUFS.
 */
__rte_experimental
int
rte_mps_cmd_ack(unsigned int worker, uint32_t cmd);

#ifdef __cplusplus
}
#endif

#endif /* RTE_MPS_WORKER_H */
