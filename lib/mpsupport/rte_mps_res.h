/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

#ifndef RTE_MPS_RES_H
#define RTE_MPS_RES_H

/**
 * @file
 * Multi-process support: a worker's resources, given back when it dies.
 *
 * @warning
 * @b EXPERIMENTAL: all functions in this file may change without prior notice.
 *
 * Per worker, the lcores whose mempool caches it uses, its TX buffers,
 * in-hand burst arrays and rings, and the mbuf pools private to it. They are
 * emptied back to their pools, or rebuilt, before the next instance runs.
 * The kill-safe TX helpers that keep listed buffers exact are in rte_mps_tx.h.
 */

#include <stdint.h>
#include <sys/types.h>

#include <rte_compat.h>

#ifdef __cplusplus
extern "C" {
#endif

struct rte_eth_dev_tx_buffer;
struct rte_mempool;
struct rte_ring;

/** Maximum number of resources registered per worker. */
#define RTE_MPS_MAX_RES 16

/**
 * Audit of one mempool.
 *
 * The figures always add up:
 * size == in_pool + in_caches + in_lists + unaccounted - surplus.
 * An object freed twice is found twice in the pool and its caches, and
 * counted in surplus; neither figure hides the other.
 */
struct rte_mps_audit {
	uint32_t size;        /**< Objects in the pool in total. */
	uint32_t in_pool;     /**< Objects in the pool's common store, copies included. */
	uint32_t in_caches;   /**< Objects in per-lcore caches, copies included. */
	uint32_t in_lists;    /**< Objects in registered buffers and rings, not free. */
	uint32_t unaccounted; /**< Objects found in none of these places. */
	uint32_t surplus;     /**< Copies found beyond the first: objects freed twice. */
	/**
	 * Objects a driver holds in a queue listed with rte_mps_res_rx_queue()
	 * or rte_mps_res_tx_queue(), for drivers whose queues can be read
	 * (net_ring), not free: the driver's, listed or not.
	 */
	uint32_t in_driver;
};

/**
 * In-hand burst array kept in shared memory by a worker.
 *
 * A worker stores the objects it holds between receive and transmit here,
 * so that the main process can give them back if the worker dies. Either
 * the worker sets @c count after a receive and clears it when the objects
 * have been handed on, or it keeps @c count at @c size and sets each entry
 * to NULL once the object is handed on (to a TX buffer with
 * rte_mps_tx_buffer(), which lists it there first). The reset frees the
 * non-NULL entries below @c count, and sets them to NULL.
 */
struct rte_mps_burst {
	uint32_t count;   /**< Number of valid entries in objs. */
	uint32_t size;    /**< Capacity of objs. */
	void *objs[];     /**< The objects (mbufs). */
};

/**
 * Add an lcore id whose mempool caches are flushed on worker reset.
 *
 * @param worker
 *   Worker index.
 * @param lcore_id
 *   Lcore id the worker runs as.
 * @return
 *   0 on success, -ENOENT, -EINVAL or -ENOSPC.
 */
__rte_experimental
int
rte_mps_res_lcore_cache(unsigned int worker, unsigned int lcore_id);

/**
 * Add a TX buffer (in shared memory) whose mbufs are freed on reset.
 *
 * @param worker
 *   Worker index.
 * @param buf
 *   Buffer from rte_zmalloc() or a memzone.
 * @return
 *   0 on success, -ENOENT, -EINVAL or -ENOSPC.
 */
__rte_experimental
int
rte_mps_res_tx_buffer(unsigned int worker, struct rte_eth_dev_tx_buffer *buf);

/**
 * Add an in-hand burst array (in shared memory) emptied on reset.
 *
 * @param worker
 *   Worker index.
 * @param burst
 *   Burst array from rte_zmalloc() or a memzone.
 * @return
 *   0 on success, -ENOENT, -EINVAL or -ENOSPC.
 */
__rte_experimental
int
rte_mps_res_burst(unsigned int worker, struct rte_mps_burst *burst);

/**
 * Add a ring of mbufs that is drained (mbufs freed) on reset.
 *
 * @param worker
 *   Worker index.
 * @param ring
 *   The ring.
 * @return
 *   0 on success, -ENOENT, -EINVAL or -ENOSPC.
 */
__rte_experimental
int
rte_mps_res_ring(unsigned int worker, struct rte_ring *ring);

/**
 * Take the consumer side of a single-consumer ring back from a consumer
 * that died.
 *
 * A consumer killed inside a dequeue, between moving the ring's consumer
 * head and its tail, leaves the objects in between in the ring, where the
 * next dequeue would skip them: they would be lost. This puts the head
 * back to the tail, so that the next consumer (a drain, or a new instance)
 * takes them. The producer side is left alone: a live producer may go on.
 *
 * Only while no consumer of the ring runs.
 *
 * @param r
 *   A ring with a single consumer (RING_F_SC_DEQ), in the default sync mode.
 * @return
 *   The number of objects given back to the ring (0 if the dead consumer
 *   left no dequeue half done), or -EINVAL (a null ring, or one with
 *   several consumers).
 */
__rte_experimental
int
rte_mps_ring_consumer_reset(struct rte_ring *r);

/**
 * List an mbuf pool as private to a worker and the workers stopped with it.
 *
 * When a reset covers every worker that lists mp, mp is rebuilt rather
 * than patched: the mbufs of mp found in the workers' TX buffers, burst
 * arrays and rings are dropped from them, every lcore cache of mp is
 * emptied, its common ring is reset, and each of its mbufs is initialised
 * again (rte_pktmbuf_init()) and put back once. Whatever a worker killed at
 * any instruction left behind (a cache or ring operation half done, an mbuf
 * in two places or in none) is then gone: the pool is whole again.
 *
 * Until that reset, lcore cache flushes (rte_mps_lcore_cache_flush(),
 * lcore reclaims, rte_mps_lcore_release()) leave the caches of mp alone.
 * If a worker that is not reset also lists mp, the pool is not rebuilt
 * (a warning is logged) and its mbufs are given back one by one.
 *
 * The pool is not rebuilt either while a worker that lists it has a live
 * process, including a child forked for it with rte_mps_fork() and not yet
 * attached (fork workers of such a pool with rte_mps_fork(worker)).
 *
 * Only for a pool that nothing outside these workers holds mbufs of while
 * they are stopped: no other process may use it, and the devices whose
 * queues use it must keep no mbufs of their own (no RX descriptors filled
 * in advance, no TX completions pending), as with net_null, or net_pcap
 * without infinite_rx. Stop such queues first, or do not list the pool.
 *
 * @param worker
 *   Worker index.
 * @param mp
 *   An mbuf pool from rte_pktmbuf_pool_create(), fully populated, with a
 *   ring-based mempool driver.
 * @return
 *   0 on success, -ENOENT, -ENOSPC, -EINVAL (not a fully populated mbuf
 *   pool) or -ENOTSUP (a pool that is not ring based, or with pinned
 *   external buffers).
 */
__rte_experimental
int
rte_mps_res_mempool(unsigned int worker, struct rte_mempool *mp);

/**
 * Reset a worker's resources: flush its lcore caches, free the mbufs in
 * its TX buffers, burst arrays and rings, rebuild its listed mbuf pools
 * (rte_mps_res_mempool()), and empty its command rings.
 * An mbuf listed in two places (a worker killed while moving it from its
 * burst array to a TX buffer) is freed once.
 *
 * The worker must not be running.
 *
 * @param worker
 *   Worker index.
 * @return
 *   Number of objects returned to pools, -ENOENT, or -EBUSY if running.
 */
__rte_experimental
int
rte_mps_res_reset(unsigned int worker);

/**
 * Count where the objects of a mempool are.
 *
 * Objects in registered TX buffers, burst arrays and rings belonging to mp
 * are counted in in_lists, each once, unless they are free already (a TX
 * buffer in flight) or held by a driver. Objects that the driver of a
 * listed queue holds are counted in in_driver when the driver's queues can
 * be read (net_ring). Objects held by other drivers or by the application
 * elsewhere show up as unaccounted.
 *
 * The common store is read in full, not through rte_mempool_avail_count(),
 * which stops at the size of a pool with caches. When it is a ring
 * (DPDK's ring_* mempool drivers), each object found is identified: a copy
 * of an object found once already is counted in surplus, whatever else is
 * missing. With
 * another driver, only counts are known: surplus is what is found beyond
 * the size, unaccounted what is missing, and one hides the other.
 *
 * The figures are exact only while nothing else uses the pool: objects
 * that move during the audit may be counted twice or not at all.
 *
 * @param mp
 *   The mempool.
 * @param audit
 *   Output.
 * @return
 *   0 on success, -EINVAL.
 */
__rte_experimental
int
rte_mps_mempool_audit(struct rte_mempool *mp, struct rte_mps_audit *audit);

/**
 * Rebuild a shared mbuf pool after a death: every object that is neither
 * free nor held goes back, once.
 *
 * For a pool that processes of the group share, after one of them died
 * holding some of its mbufs where no list shows them (a local array, a TX
 * buffer of its own): every object found neither free (in the common ring
 * or an lcore cache) nor in @p held nor in a driver's listed queue is
 * taken to be what the dead held. The pool is then rebuilt as
 * rte_mps_res_reset() rebuilds a pool private to a group: every lcore
 * cache emptied, the common ring reset, and each object not held
 * initialised again and enqueued once. What a dead process left half done
 * in the pool (a cache length raised before its copy, a put of the ring
 * not published, an object freed twice) is gone with it. The lcore ids of
 * dead processes are held meanwhile, so that no process reclaims them
 * into the pool, and reclaimed after.
 *
 * Nobody else may use the pool during the call: every other process that
 * uses it is stopped, or parked outside any call of the pool and holding
 * none of its objects but those in @p held. The objects that drivers hold
 * are kept only where the library can read them (net_ring queues listed
 * with rte_mps_res_rx_queue() or rte_mps_res_tx_queue()): use this with
 * ports whose drivers keep no mbuf (net_null, net_pcap), or put what the
 * drivers hold in @p held.
 *
 * During the call, no process of the group reclaims a dead lcore's cache
 * into a pool, nor releases its own lcore id with a flush: the caches of
 * dead lcores are reclaimed once the pool is rebuilt. A reset of workers
 * (rte_mps_res_reset(), the tracker) and rte_mps_lcore_cache_flush() do not
 * wait: do not run them on the pool meanwhile.
 *
 * @param mp
 *   The pool: an mbuf pool whose common store is a ring (DPDK's ring_*
 *   mempool drivers).
 * @param held
 *   Objects in use (queued in rings between processes, say), in any order;
 *   duplicates and objects of other pools are ignored. NULL if nb_held is 0.
 * @param nb_held
 *   Number of entries in held.
 * @param before
 *   If not NULL, where the pool stood before the rebuild: in_lists counts
 *   the objects of held that were not free, unaccounted those given back,
 *   and surplus the extra copies dropped.
 * @return
 *   The number of objects free after the rebuild, -EINVAL (a NULL pool or
 *   held, or a pool whose store is not a ring), -EBUSY (another process
 *   is rebuilding a pool, or flushing the caches of a dead lcore into
 *   pools: try again later)
 *   or -EIO (the ring refused the objects: the pool is then empty).
 */
__rte_experimental
int
rte_mps_mempool_rebuild(struct rte_mempool *mp, void * const *held, unsigned int nb_held,
		struct rte_mps_audit *before);

#ifdef __cplusplus
}
#endif

#endif /* RTE_MPS_RES_H */
