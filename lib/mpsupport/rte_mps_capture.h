/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

#ifndef RTE_MPS_CAPTURE_H
#define RTE_MPS_CAPTURE_H

/**
 * @file
 * Multi-process support: packet capture (dpdk-dumpcap, dpdk-pdump) in every
 * process of the group that polls a port, forked workers included.
 *
 * @warning
 * @b EXPERIMENTAL: all functions in this file may change without prior notice.
 *
 * DPDK's capture tools send their enable and disable requests to the
 * primary over rte_mp IPC ("mp_pdump"). DPDK's own handler installs the
 * capture callbacks in the primary only (22.11 and 24.11), and never in a
 * forked worker, which has no IPC thread and its own copy of the callback
 * lists. In the primary, rte_mps_capture_init() takes the request over: it
 * records the capture in shared memory, installs the callbacks in the
 * primary, wakes every secondary that called rte_mps_capture_init() (a
 * thread of the library waits for that), sends RTE_MPS_CMD_CAPTURE to every
 * forked worker over its command ring, and answers the tool once every
 * live process has applied the change, so that a tool never frees its ring
 * while a callback still writes to it.
 *
 * A forked worker applies the command inside rte_mps_cmd_poll(), without
 * allocating (the fork contract); a worker forked later starts with the
 * capture state last asked for. With no capture on, nothing runs on the
 * fast path but DPDK's own test for callbacks.
 *
 * A process forked for no worker (rte_mps_fork(RTE_MPS_NO_WORKER): a fork
 * server, the forked secondaries of rte_mps_forksrv.h) does not take part:
 * it has no command ring to follow a change with, and the tools' rings and
 * pools live in memory mapped after its fork.
 */

#include <stdint.h>

#include <rte_compat.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Command a forked worker applies inside rte_mps_cmd_poll(): sync capture. */
#define RTE_MPS_CMD_CAPTURE 2u

/**
 * Take part in packet capture.
 *
 * After rte_mps_init(). In the primary, after rte_pdump_init(): the
 * library replaces its "mp_pdump" IPC handler. In a secondary, starts a
 * thread that applies capture changes. Forked workers of a process that
 * called this take part without calling it.
 *
 * @return
 *   0 on success, -EINVAL before rte_mps_init(), -EPERM in a forked process,
 *   -ENOMEM, -ENOENT (secondary: the primary did not call it) or -EPROTO
 *   (layout mismatch).
 */
__rte_experimental
int
rte_mps_capture_init(void);

/**
 * Stop taking part: remove this process's capture callbacks.
 *
 * In the primary, also stops answering the capture tools.
 *
 * @return
 *   0 on success.
 */
__rte_experimental
int
rte_mps_capture_uninit(void);

#ifdef __cplusplus
}
#endif

#endif /* RTE_MPS_CAPTURE_H */
