/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

#ifndef MPS_DPDK_H
#define MPS_DPDK_H

/*
 * Every access of the library to DPDK internals: fields and functions that
 * DPDK's API documents as internal, or layouts that it does not document
 * at all. mps_dpdk.cpp says, for each, what it assumes; each assumption
 * has a unit test in app/test/mpsupport/test_dpdk_internals.cpp that fails
 * on a release where it no longer holds. Nothing here logs; the only state
 * is the put model.
 */

#include <stdint.h>

#include <vector>

#include <rte_ethdev.h>
#include <rte_mempool.h>
#include <rte_ring.h>

namespace mps {

/* EAL's per-thread lcore id, the value rte_lcore_id() returns. */
unsigned int dpdk_lcore_id();
void dpdk_set_lcore_id(unsigned int id);

/* The cache of mp for an lcore id, or nullptr when mp has no caches. */
struct rte_mempool_cache *dpdk_cache(struct rte_mempool *mp, unsigned int lcore);
/* fn(cache) for each lcore cache of mp. */
template <typename F>
void
dpdk_for_each_cache(struct rte_mempool *mp, F fn)
{
	for (unsigned int l = 0; l < RTE_MAX_LCORE; l++) {
		struct rte_mempool_cache *c = dpdk_cache(mp, l);
		if (c == nullptr)
			return;
		fn(c);
	}
}

/* Objects in a cache; a length beyond the object table reads as its size. */
uint32_t dpdk_cache_len(const struct rte_mempool_cache *c);
void dpdk_cache_set_len(struct rte_mempool_cache *c, uint32_t len);
void **dpdk_cache_objs(struct rte_mempool_cache *c);

/* The objects of a pointer ring between its consumer and producer tails,
 * read in place without taking them, appended to out. */
void dpdk_ring_objs(const struct rte_ring *r, std::vector<void *> &out);

/* Give back what a dead single producer (sp) or single consumer (sc) of r
 * had reserved and not finished: head back to tail on that side. Only
 * with no live user on that side. */
void dpdk_ring_abort_sp(struct rte_ring *r);
void dpdk_ring_abort_sc(struct rte_ring *r);
/* Whether r has a single consumer in the default sync mode (ST), and the
 * objects its consumer head is ahead of its tail by. */
bool dpdk_ring_is_sc(const struct rte_ring *r);
uint32_t dpdk_ring_cons_reserved(const struct rte_ring *r);

/*
 * The objects a port's driver holds in one of its queues, read in place,
 * appended to out, for a driver whose queues can be read that way:
 * net_ring (its queues are rings). False for any other driver, or a queue
 * that is not set up on a started port.
 */
bool dpdk_queue_held(uint16_t port, uint16_t queue, bool tx, std::vector<void *> &out);
/* The ring behind such a queue, or nullptr. */
struct rte_ring *dpdk_queue_ring(uint16_t port, uint16_t queue, bool tx);

/*
 * Repair a ring a user killed inside an enqueue or a dequeue left half
 * updated: its objects are read from the tails, the ring is reset and they
 * are put back, so that no head is ahead of its tail and nobody waits on
 * it. Only when no user of the ring runs. 1 when a head was ahead of its
 * tail, 0 when the ring was whole, -1 for a ring whose sync mode it does
 * not know (HTS, RTS), which it leaves alone.
 */
int dpdk_ring_repair(struct rte_ring *r);

/*
 * A process killed inside the put that moves objs[0 .. n) of its lcore
 * cache to the common ring of a pool (a multi-producer ring) may have
 * reserved their slots (moved prod.head) and not published them (moved
 * prod.tail): every later producer then waits for it for ever. Find that
 * reservation (its first slots hold objs[0] and objs[1]: one slot could be
 * an older copy left there) between the producer tail
 * and head, write the slots it had not written yet, wait (at most
 * wait_ms) for the earlier producers to publish theirs, then publish it
 * as the dead producer would have. The objects are then in the ring.
 * 1 when a reservation was completed, 0 when none is in flight, -1 when
 * one is but cannot be completed (the earlier producers did not finish).
 * Only for a cache whose owner is dead.
 */
int dpdk_ring_complete_put(struct rte_ring *r, void * const *objs, uint32_t n,
		unsigned int wait_ms);
/*
 * A producer killed after it moved prod.head and before it wrote its first
 * slot leaves no object to find its reservation by, and the producer tail
 * then stops where that reservation begins, for ever. Watch the tail for at
 * most wait_ms: 1 with *tail and *head set when it stays still for
 * stall_ms with slots reserved after it, 0 when every reservation is
 * published at some moment (none is stuck), -1 when neither is seen. A
 * live producer publishes within microseconds of its reservation: only
 * one descheduled for all of stall_ms in between looks stuck.
 */
int dpdk_ring_stuck_tail(struct rte_ring *r, unsigned int stall_ms, unsigned int wait_ms,
		uint32_t *tail, uint32_t *head);
/*
 * Write objs[0 .. n) into the n slots reserved from the stuck tail and
 * publish them, as the producer that reserved them would have. false when
 * fewer than n slots are reserved or the tail moved.
 */
bool dpdk_ring_publish_stuck(struct rte_ring *r, uint32_t tail, void * const *objs,
		uint32_t n);
/* The object in the slot at position pos of a ring of pointers. */
void *dpdk_ring_slot(const struct rte_ring *r, uint32_t pos);
/*
 * Enqueue objs[0 .. n) into a multi-producer ring at a moment when no
 * other enqueue is in flight, so that the call never waits on another
 * producer: one that died with its slots reserved would make it wait for
 * ever. Tries for at most wait_ms; false if the ring was never idle (or
 * has no room), and nothing is enqueued then.
 */
bool dpdk_ring_enqueue_idle(struct rte_ring *r, void * const *objs, uint32_t n,
		unsigned int wait_ms);

/* The common store of mp when it is one of DPDK's ring drivers, else
 * nullptr. */
struct rte_ring *dpdk_pool_ring(const struct rte_mempool *mp);

/* Objects in the common store of mp, not stopped at its size. */
unsigned int dpdk_pool_count(const struct rte_mempool *mp);

/* Put objects straight into the common store of mp, past every cache. */
int dpdk_pool_enqueue(struct rte_mempool *mp, void * const *objs, unsigned int n);

/* An ethdev RX or TX callback as ethdev keeps it (struct
 * rte_eth_rxtx_callback of ethdev_driver.h, a header Debian does not
 * install). */
struct dpdk_callback {
	dpdk_callback *next;
	union {
		rte_rx_callback_fn rx;
		rte_tx_callback_fn tx;
	} fn;
	void *param;
};

/* Put cb first on the callback list of a queue, as
 * rte_eth_add_first_rx_callback() does, without allocating: for a forked
 * worker, which must not use rte_malloc. cb must outlive its place on the
 * list; rte_eth_remove_rx_callback() and rte_eth_remove_tx_callback() take
 * it off. Returns cb as ethdev's handle. */
const struct rte_eth_rxtx_callback *dpdk_link_callback(uint16_t port, uint16_t queue,
		bool rx, dpdk_callback *cb);

/*
 * What a put into a full lcore cache does with the objects already in it.
 * The library's salvage of a dead process's cache (mps_lcore.cpp,
 * drop_copies) reasons about a process killed inside that put, so it runs
 * only under a model it knows.
 */
enum put_model : uint32_t {
	PUT_MODEL_UNKNOWN = 0,
	/* 22.11 to 26.03: past 1.5 x size, every cached object goes to the
	 * common store and the new objects start the cache again. */
	PUT_MODEL_FLUSH_ALL = 1,
	/* 26.07 and later: past size, the lower size / 2 objects go to the
	 * common store, the rest move down, the new objects go on top. */
	PUT_MODEL_FLUSH_HALF = 2,
};

/* Find the model by running puts on a small private pool (EAL running);
 * *why, if given, says why none was found. The put is DPDK's inline code
 * as compiled into this library: an application built against the same
 * DPDK headers puts the same way. */
put_model dpdk_probe_put_model(const char **why = nullptr);
/* The model this process goes by: unknown until set (at rte_mps_init()),
 * and why it is unknown. */
put_model dpdk_put_model();
void dpdk_set_put_model(put_model m, const char *why = "");
const char *dpdk_put_model_why();
const char *dpdk_put_model_name(put_model m);

} /* namespace mps */

#endif /* MPS_DPDK_H */
