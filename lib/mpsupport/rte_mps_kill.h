/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

#ifndef RTE_MPS_KILL_H
#define RTE_MPS_KILL_H

/**
 * @file
 * Multi-process support: kill points, test hooks that park a process at a
 * chosen point of its fast path so that a test can kill it there.
 *
 * @warning
 * @b EXPERIMENTAL: all functions in this file may change without prior notice.
 *
 * A kill point is a named place in the code, marked RTE_MPS_KILL_POINT().
 * The mark is empty unless RTE_MPS_KILL_POINTS is defined when the code is
 * compiled (the pack's build option -Dkill_points=true): a normal build
 * pays nothing for it. The library's own kill points are in the TX helpers
 * of rte_mps_tx.h, which compile into the application:
 * - "tx_burst_direct": rte_mps_tx_buffer_burst() is about to hand a full
 *   burst to the port straight from the in-hand array;
 * - "tx_burst_sent": the port has returned from that burst, which the
 *   in-hand array still lists;
 * - "tx_burst_partial": the port took part of that burst, the rest is not
 *   yet given to the error callback;
 * - "tx_burst_buffered": packets copied into the TX buffer and counted
 *   there, still listed in the in-hand array too;
 * - "tx_flush_in_flight": rte_mps_tx_buffer_flush() marked the buffer in
 *   flight and is about to hand it to the port;
 * - "tx_flush_sent": the port has returned, the buffer is not yet emptied;
 * - "tx_flush_unsent": the buffer is emptied, the packets the port refused
 *   are not yet given to the error callback;
 * - "tx_retry_partial": rte_mps_tx_burst_retry() after a partial send,
 *   before it tries again or frees the rest.
 *
 * A process arms one point with rte_mps_kill_point_arm(), giving a record
 * in shared memory. The point then lets record->skip passes through; at
 * the next one, the process writes its pid into the record and stops
 * itself with SIGSTOP, once: the test that reads the pid can then kill it
 * there, or let it go on with SIGCONT. Both functions may be called in a
 * forked worker.
 */

#include <stdint.h>

#include <rte_compat.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Size of a kill point name, with its NUL. */
#define RTE_MPS_KILL_POINT_NAMESIZE 32

/** A kill point armed for a process, in memory the test's reader sees. */
struct rte_mps_kill_point {
	char name[RTE_MPS_KILL_POINT_NAMESIZE]; /**< Point to stop at. */
	uint32_t skip;       /**< Passes let through before stopping. */
	uint32_t passes;     /**< Passes so far (atomic). */
	int32_t parked_pid;  /**< Process stopped at the point, 0 before (atomic). */
	uint32_t reserved;   /**< Zero. */
};

/**
 * Arm a kill point for the calling process, or disarm.
 *
 * @param kp
 *   The point and its record, in memory shared with the test's reader
 *   (hugepage memory for a forked worker); NULL disarms. It must outlive
 *   the arming.
 * @return
 *   0, or a negative errno value (rte_errno is also set):
 *   - -EINVAL: the name is empty or not terminated.
 *   - -EALREADY: a process already stopped at this record's point.
 */
__rte_experimental
int
rte_mps_kill_point_arm(struct rte_mps_kill_point *kp);

/**
 * Pass a kill point: stop the calling process there if it is the armed one.
 * Use RTE_MPS_KILL_POINT() rather than calling it.
 *
 * @param name
 *   The point's name.
 */
__rte_experimental
void
rte_mps_kill_point_pass(const char *name);

/** Mark a kill point: compiled in only with RTE_MPS_KILL_POINTS defined. */
#ifdef RTE_MPS_KILL_POINTS
#define RTE_MPS_KILL_POINT(name) rte_mps_kill_point_pass(name)
#else
#define RTE_MPS_KILL_POINT(name) ((void)(name))
#endif

#ifdef __cplusplus
}
#endif

#endif /* RTE_MPS_KILL_H */
