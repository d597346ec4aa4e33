/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

#ifndef RTE_MPSUPPORT_H
#define RTE_MPSUPPORT_H

/**
 * @file
 * RTE multi-process support: surviving the death of one's own processes.
 *
 * Design in brief.
 * All shared state lives in one memzone ("mps_registry") reserved by the
 * primary process and looked up by every other process; it starts with a
 * magic and a layout version that every process checks before trusting it.
 * The memzone holds fixed-width plain structures only (no pointers), and
 * every word two processes race on is updated with atomic compare-and-swap,
 * so that a process killed at any instruction leaves a state the others can
 * repair.
 *
 * - Process registry: each process calling rte_mps_init() takes a slot
 *   holding its pid, its start time (field 22 of /proc/PID/stat, so that a
 *   recycled pid is never mistaken for the old process), its type and its EAL
 *   lcore set. The EAL lcores are reserved in the shared lcore table; an
 *   overlap with a live member is refused and named.
 * - Floating lcore allocator: rte_mps_lcore_claim() takes, by CAS on the
 *   shared lcore table, an lcore id no live member uses, and makes it the
 *   calling thread's rte_lcore_id(), so the thread gets its own mempool
 *   caches. The id of an owner that died is reclaimed; before reuse, its
 *   per-lcore cache in every mempool is flushed back to the pool.
 * - Exit notification: a control thread waits on pidfds with epoll and calls
 *   the callbacks registered for a pid, or queues them for
 *   rte_mps_exit_notify_poll(). It may run on any CPU (it sleeps until an
 *   exit), so that an lcore busy-polling the control CPU cannot delay it.
 *   Secondaries announce themselves to the primary over rte_mp IPC so that
 *   the primary can watch them.
 * - Workers, dependencies and commands: a main process declares workers
 *   (indices below RTE_MPS_MAX_WORKERS) and the edges between them. When a
 *   worker exits, everything depending on it is sent STOP over its command
 *   ring, waited for with a bound, killed if it does not comply, its
 *   resources are reset, and the group is reported ready to restart.
 * - Resource lists: per worker, the mempool caches of its lcore, its TX
 *   buffers and in-hand burst arrays (in shared memory) and its rings, which
 *   are emptied back to their pools before the next instance runs, and a
 *   mempool audit that counts the objects nobody accounts for.
 * - Fork helper: rte_mps_fork() refuses when memory would not be shared
 *   after fork() (no hugepages, or a private mapping), and prepares the
 *   child: parent-death signal, library locks reinitialised, and the
 *   process marked as a forked worker so that library calls needing memory
 *   reservation, IPC or threads are refused there.
 *
 * One header per concern; this one includes them all. Include a single
 * one to avoid what it does not need: only rte_mps_tx.h needs ethdev.
 */

#include "rte_mps_capture.h"
#include "rte_mps_compat.h"
#include "rte_mps_fork.h"
#include "rte_mps_forksrv.h"
#include "rte_mps_kill.h"
#include "rte_mps_lcore.h"
#include "rte_mps_notify.h"
#include "rte_mps_registry.h"
#include "rte_mps_res.h"
#include "rte_mps_tx.h"
#include "rte_mps_worker.h"

#endif /* RTE_MPSUPPORT_H */
