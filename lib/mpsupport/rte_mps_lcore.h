/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

#ifndef RTE_MPS_LCORE_H
#define RTE_MPS_LCORE_H

/**
 * @file
 * Multi-process support: floating lcore ids shared by a process group.
 *
 * @warning
 * @b EXPERIMENTAL: all functions in this file may change without prior notice.
 *
 * A thread claims an lcore id that no live member of the group uses, and
 * gets its own mempool caches with it. The ids of dead owners are reclaimed,
 * their caches flushed back to the pools first.
 */

#include <stdint.h>
#include <sys/types.h>

#include <rte_compat.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Claim a floating lcore id for the calling thread.
 *
 * Lock-free. The id is one that no live member uses in its EAL lcore set
 * and that no live thread has claimed; ids of dead owners are reclaimed
 * (their mempool caches flushed) when no free id is left. Ids are taken
 * from RTE_MAX_LCORE - 1 downwards, so that the low ids usually given
 * with -l stay free for processes that restart. On success the calling
 * thread's rte_lcore_id() returns the id until rte_mps_lcore_release().
 *
 * @return
 *   The lcore id (>= 0), or a negative errno value (rte_errno is also set):
 *   - -EINVAL: not initialised.
 *   - -EEXIST: the thread already holds a floating id.
 *   - -ENOSPC: no id free.
 */
__rte_experimental
int
rte_mps_lcore_claim(void);

/**
 * Release the floating lcore id of the calling thread.
 *
 * The calling thread's rte_lcore_id() becomes what it was before the
 * claim. The thread's mempool caches are flushed first if flush is
 * non-zero; while a process of the group rebuilds a pool
 * (rte_mps_mempool_rebuild()), that flush waits for its end, up to 1 s.
 *
 * @param flush
 *   Flush the lcore's cache in every mempool before release.
 * @return
 *   0 on success, -ENOENT if the thread holds no floating id, -EINVAL if
 *   not initialised, -EBUSY if a pool rebuild lasted over 1 s (the thread
 *   keeps its id; try again).
 */
__rte_experimental
int
rte_mps_lcore_release(int flush);

/**
 * Floating lcore id held by the calling thread.
 *
 * @return
 *   The id, or -ENOENT if the thread holds none.
 */
__rte_experimental
int
rte_mps_lcore_self(void);

/**
 * Owner of an lcore id in the shared table.
 *
 * @param lcore_id
 *   Lcore id.
 * @param pid
 *   Output (may be NULL): pid of the owner; 0 if the id is free, or if
 *   the owner's process slot has been registered again since (the owner
 *   died, and the id awaits its reclaim).
 * @return
 *   0 if free, 1 if used as an EAL lcore of a member, 2 if claimed as a
 *   floating lcore, 3 if being reclaimed, or -EINVAL.
 */
__rte_experimental
int
rte_mps_lcore_owner(unsigned int lcore_id, pid_t *pid);

/**
 * Reclaim every lcore id and process slot whose owner is dead.
 *
 * The dead owner's per-lcore cache in every mempool is flushed back to the
 * pool before the id becomes free.
 *
 * @return
 *   Number of lcore ids reclaimed, or -EINVAL if not initialised.
 */
__rte_experimental
int
rte_mps_lcore_reclaim(void);

/**
 * Flush one lcore id's cache in every mempool back to its pool.
 *
 * Only safe when no thread uses that lcore id.
 *
 * @param lcore_id
 *   Lcore id.
 * @return
 *   Number of objects returned to pools, or -EINVAL.
 */
__rte_experimental
int
rte_mps_lcore_cache_flush(unsigned int lcore_id);

/**
 * Let the calling thread run on any CPU.
 *
 * A thread or a forked worker that takes a floating lcore id is not bound
 * to the CPU of the EAL lcore it came from: calling this before
 * rte_mps_lcore_claim() lets the scheduler place it.
 *
 * @return
 *   0 on success, or a negative errno value (rte_errno is also set).
 */
__rte_experimental
int
rte_mps_lcore_unpin(void);

#ifdef __cplusplus
}
#endif

#endif /* RTE_MPS_LCORE_H */
