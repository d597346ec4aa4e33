/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <string.h>

#include <algorithm>
#include <vector>

#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#include "mps_dpdk.h"
#include "mps_private.h"

namespace mps {

namespace {

pthread_mutex_t res_lock = PTHREAD_MUTEX_INITIALIZER;

} /* namespace */

/*
 * Held by rte_mps_fork() from before fork() until the child is attached to
 * its worker, and by a reset: a reset never sees a worker whose child runs
 * but is not yet known, and so never rebuilds a pool under it.
 */
pthread_mutex_t res_launch_mutex = PTHREAD_MUTEX_INITIALIZER;

namespace {

/* Entries of a listed TX buffer that it holds, in flight or not. */
uint16_t
txbuf_listed_len(const struct rte_eth_dev_tx_buffer *b)
{
	uint16_t len = load(&b->length) & (uint16_t)~RTE_MPS_TX_BUFFER_IN_FLIGHT;

	return RTE_MIN(len, b->size);
}

int
res_add(unsigned int worker, uint32_t type, uint32_t lcore, const void *addr)
{
	if (self.forked)
		return fail(EPERM, "resource lists are set up by the main process");
	if (self.sh == nullptr)
		return fail(EINVAL, "mpsupport is not initialised");
	if (worker >= RTE_MPS_MAX_WORKERS || load(&self.sh->workers[worker].state) == W_NONE)
		return fail(ENOENT, "unknown worker %u", worker);
	if (type != RES_LCORE && type != RES_RXQ && type != RES_TXQ && addr == nullptr)
		return fail(EINVAL, "null resource for worker %u", worker);
	if (type == RES_LCORE && lcore >= RTE_MAX_LCORE)
		return fail(EINVAL, "lcore %u out of range (max %u)", lcore, RTE_MAX_LCORE);

	mutex_guard lk(res_lock);
	worker_slot *ws = &self.sh->workers[worker];
	res_entry *free_e = nullptr;
	for (res_entry &e : ws->res) {
		if (e.type == type && e.lcore == lcore &&
				e.addr == static_cast<uint64_t>(reinterpret_cast<uintptr_t>(addr)))
			return 0;    /* already listed */
		if (e.type == RES_NONE && free_e == nullptr)
			free_e = &e;
	}
	if (free_e == nullptr)
		return fail(ENOSPC, "worker %u already has %u resources", worker, RTE_MPS_MAX_RES);
	free_e->lcore = lcore;
	free_e->addr = static_cast<uint64_t>(reinterpret_cast<uintptr_t>(addr));
	store(&free_e->type, type);
	return 0;
}

enum class listed_walk {
	read,    /* leave the lists as they are; rings are read in place */
	take,    /* empty the lists; rings are dequeued */
};

/*
 * The one walk over the objects of a resource list entry: a TX buffer's
 * listed packets, an in-hand array's entries, a ring's contents.
 * visit(obj) is called for each object; for a buffer or an array, an
 * entry it returns true for is set to NULL.
 */
template <typename F>
void
walk_listed(res_entry &e, listed_walk how, F &&visit)
{
	const bool take = how == listed_walk::take;

	switch (load(&e.type)) {
	case RES_TXBUF: {
		auto *b = reinterpret_cast<rte_eth_dev_tx_buffer *>(static_cast<uintptr_t>(e.addr));
		uint16_t len = txbuf_listed_len(b);
		for (uint16_t i = 0; i < len; i++)
			if (b->pkts[i] != nullptr && visit(static_cast<void *>(b->pkts[i])))
				b->pkts[i] = nullptr;
		if (take)
			store(&b->length, static_cast<uint16_t>(0));
		break;
	}
	case RES_BURST: {
		auto *b = reinterpret_cast<rte_mps_burst *>(static_cast<uintptr_t>(e.addr));
		uint32_t cnt = RTE_MIN(load(&b->count), b->size);
		for (uint32_t i = 0; i < cnt; i++)
			if (b->objs[i] != nullptr && (visit(b->objs[i]) || take))
				b->objs[i] = nullptr;
		if (take)
			store(&b->count, 0u);
		break;
	}
	case RES_RING: {
		auto *r = reinterpret_cast<rte_ring *>(static_cast<uintptr_t>(e.addr));
		std::vector<void *> objs;
		void *burst[32];
		unsigned int k;
		if (!take)
			dpdk_ring_objs(r, objs);
		else
			while ((k = rte_ring_dequeue_burst(r, burst, RTE_DIM(burst), nullptr)) > 0)
				objs.insert(objs.end(), burst, burst + k);
		for (void *o : objs)
			visit(o);
		break;
	}
	default:
		break;
	}
}

/*
 * Objects of mp that are free right now: in any lcore cache, or in the
 * common store when it is a ring (read in place, without taking them).
 */
void
collect_free(struct rte_mempool *mp, void *arg)
{
	auto *v = static_cast<std::vector<void *> *>(arg);

	dpdk_for_each_cache(mp, [v](struct rte_mempool_cache *c) {
		v->insert(v->end(), dpdk_cache_objs(c), dpdk_cache_objs(c) + dpdk_cache_len(c));
	});
	pool_ring_objs(mp, *v);
}

/*
 * A live process runs worker w: the one attached to it, or a child forked
 * for it that registered itself and is not attached yet.
 */
bool
worker_has_process(unsigned int w)
{
	const worker_slot &ws = self.sh->workers[w];
	int32_t pid = load(&ws.pid);

	if (pid > 0 && proc_alive(pid, load(&ws.start_time)))
		return true;
	for (unsigned int i = 0; i < RTE_MPS_MAX_PROCS; i++) {
		const proc_slot &ps = self.sh->procs[i];
		uint64_t sw = load(&ps.state);
		if (slot_state(sw) == SLOT_FREE || load(&ps.type) != RTE_MPS_PROC_FORKED ||
				load(&ps.worker) != (int32_t)w)
			continue;
		if (slot_word_alive(self.sh, i, sw))
			return true;
	}
	return false;
}

/* Workers (bit w) that list mp. */
uint64_t
pool_listers(const struct rte_mempool *mp)
{
	uint64_t set = 0;

	for (unsigned int w = 0; w < RTE_MPS_MAX_WORKERS; w++) {
		const worker_slot &ws = self.sh->workers[w];
		if (load(&ws.state) == W_NONE)
			continue;
		for (const res_entry &e : ws.res)
			if (load(&e.type) == RES_POOL && e.addr == (uint64_t)(uintptr_t)mp)
				set |= 1ull << w;
	}
	return set;
}

/* A worker that was running and whose process is gone, not yet reset. */
bool
dead_unreset(const worker_slot &ws)
{
	uint32_t st = load(&ws.state);
	int32_t pid = load(&ws.pid);

	return (st == W_RUNNING || st == W_STOPPING) && pid > 0 &&
		!proc_alive(pid, load(&ws.start_time));
}

/*
 * Put every object of an mbuf pool back, as rte_pktmbuf_pool_create() left
 * them: each lcore cache emptied, the common ring reset, each mbuf
 * initialised again and enqueued once, but for those a driver holds (held,
 * sorted: read in the queues of a driver that keeps mbufs where they can
 * be read, net_ring). Whatever a killed user left half done in the pool (a
 * cache length not yet lowered, a ring head moved without its tail, objects
 * taken from the ring and not yet counted in a cache) is gone with it.
 * Nobody may use the pool meanwhile.
 */
unsigned int
pool_rebuild(struct rte_mempool *mp, const std::vector<void *> &held)
{
	std::vector<void *> objs;
	struct rte_ring *r = dpdk_pool_ring(mp);

	if (r == nullptr) {
		MPS_LOG(ERR, "%s: not a ring-based pool, cannot rebuild\n", mp->name);
		return 0;
	}
	dpdk_for_each_cache(mp, [](struct rte_mempool_cache *c) { dpdk_cache_set_len(c, 0); });
	rte_ring_reset(r);
	objs.reserve(mp->size);
	rte_mempool_obj_iter(mp, [](struct rte_mempool *, void *arg, void *obj, unsigned int) {
			static_cast<std::vector<void *> *>(arg)->push_back(obj);
		}, &objs);
	objs.erase(std::remove_if(objs.begin(), objs.end(), [&held](void *o) {
			return std::binary_search(held.begin(), held.end(), o);
		}), objs.end());
	for (void *o : objs)
		rte_pktmbuf_init(mp, nullptr, o, 0);
	if (dpdk_pool_enqueue(mp, objs.data(), (unsigned int)objs.size()) < 0) {
		MPS_LOG(ERR, "%s: cannot put back %zu objects\n", mp->name, objs.size());
		return 0;
	}
	return (unsigned int)objs.size();
}

/*
 * Pools listed by the workers of mask that can be rebuilt now: no worker
 * that lists one has a live process, and each of them is either in mask
 * or holds nothing (idle, or already reset).
 */
std::vector<struct rte_mempool *>
pools_to_rebuild(uint64_t mask)
{
	std::vector<struct rte_mempool *> pools;

	for (unsigned int w = 0; w < RTE_MPS_MAX_WORKERS; w++) {
		if (!(mask & (1ull << w)))
			continue;
		for (const res_entry &e : self.sh->workers[w].res)
			if (load(&e.type) == RES_POOL)
				pools.push_back(reinterpret_cast<struct rte_mempool *>(
						(uintptr_t)e.addr));
	}
	std::sort(pools.begin(), pools.end());
	pools.erase(std::unique(pools.begin(), pools.end()), pools.end());
	pools.erase(std::remove_if(pools.begin(), pools.end(), [mask](struct rte_mempool *mp) {
			uint64_t listers = pool_listers(mp);
			for (unsigned int w = 0; w < RTE_MPS_MAX_WORKERS; w++) {
				if (!(listers & (1ull << w)))
					continue;
				uint32_t st = load(&self.sh->workers[w].state);
				const char *why = nullptr;
				if (worker_has_process(w))
					why = "has a live process";
				else if (!(mask & (1ull << w)) && st != W_IDLE && st != W_READY)
					why = "is not reset";
				if (why != nullptr) {
					MPS_LOG(WARNING, "%s is also listed by worker %u, which %s: "
							"not rebuilt\n", mp->name, w, why);
					return true;
				}
			}
			return false;
		}), pools.end());
	return pools;
}

/* The port and queue of a listed RX or TX queue. */
inline uint16_t
entry_port(const res_entry &e)
{
	return static_cast<uint16_t>(e.addr);
}

inline uint16_t
entry_queue(const res_entry &e)
{
	return static_cast<uint16_t>(e.lcore);
}

/*
 * Call f(worker, entry, is_tx) for each RX or TX queue listed by the
 * workers of mask.
 */
template <typename F>
void
for_each_queue(uint64_t mask, F f)
{
	for (unsigned int w = 0; w < RTE_MPS_MAX_WORKERS; w++) {
		if (!(mask & (1ull << w)))
			continue;
		for (const res_entry &e : self.sh->workers[w].res) {
			uint32_t t = load(&e.type);
			if (t == RES_RXQ || t == RES_TXQ)
				f(w, e, t == RES_TXQ);
		}
	}
}

/*
 * Objects that the drivers of the queues listed by the workers of mask hold
 * (sorted, once each): what a driver whose queues can be read (net_ring)
 * has taken and not yet given on. They are the driver's: the next reader of
 * the queue gets them.
 */
std::vector<void *>
queues_held(uint64_t mask)
{
	std::vector<void *> held;

	for_each_queue(mask, [&held](unsigned int, const res_entry &e, bool tx) {
		dpdk_queue_held(entry_port(e), entry_queue(e), tx, held);
	});
	std::sort(held.begin(), held.end());
	held.erase(std::unique(held.begin(), held.end()), held.end());
	return held;
}

/*
 * The rings behind the queues that the workers of mask list (net_ring),
 * once no other user of them runs: a worker killed inside
 * rte_eth_tx_burst() or rte_eth_rx_burst() may have moved a head and not
 * its tail, and the next user would then publish slots never written, or
 * skip objects still in the ring. Each is drained from its tails and reset:
 * an enqueue cut off gives nothing to the reader (the sender still lists
 * the objects), a dequeue cut off leaves the objects in the ring, the
 * driver's.
 */
void
queues_repair(uint64_t mask)
{
	for_each_queue(mask, [mask](unsigned int, const res_entry &e, bool tx) {
		struct rte_ring *r = dpdk_queue_ring(entry_port(e), entry_queue(e), tx);
		if (r == nullptr)
			return;
		bool busy = false;
		for_each_queue(~mask, [&busy, &e](unsigned int o, const res_entry &x, bool) {
			busy |= entry_port(x) == entry_port(e) && worker_has_process(o);
		});
		if (busy) {
			MPS_LOG(WARNING, "port %u: a live worker uses it too: its ring "
					"is not repaired\n", entry_port(e));
			return;
		}
		int ret = dpdk_ring_repair(r);
		if (ret > 0)
			MPS_LOG(INFO, "port %u: ring %s left half updated: repaired\n",
					entry_port(e), r->name);
		else if (ret < 0)
			MPS_LOG(WARNING, "port %u: ring %s cannot be repaired\n",
					entry_port(e), r->name);
	});
}

/* What a reset stopped, to start again once it is done. */
struct stopped_queues {
	std::vector<std::pair<uint16_t, uint16_t>> rx, tx;
	std::vector<uint16_t> ports;
};

/*
 * Stop the queues listed by the workers of mask, or their port where the
 * driver cannot stop a queue: a driver that holds TX mbufs until they are
 * sent, or RX mbufs in its descriptors, gives them back to their pool when
 * the queue stops, before the reset looks at what is free.
 */
stopped_queues
queues_stop(uint64_t mask)
{
	stopped_queues st;

	for_each_queue(mask, [&st](unsigned int, const res_entry &e, bool tx) {
		uint16_t port = entry_port(e), q = entry_queue(e);
		auto &list = tx ? st.tx : st.rx;
		if (std::find(st.ports.begin(), st.ports.end(), port) != st.ports.end() ||
				std::find(list.begin(), list.end(),
					std::make_pair(port, q)) != list.end())
			return;
		int ret = tx ? rte_eth_dev_tx_queue_stop(port, q) :
			rte_eth_dev_rx_queue_stop(port, q);
		if (ret == 0) {
			list.emplace_back(port, q);
			return;
		}
		/* not supported by the driver: the whole port */
		ret = rte_eth_dev_stop(port);
		if (ret == 0)
			st.ports.push_back(port);
		else
			MPS_LOG(ERR, "port %u: cannot stop queue %u or the port: %s\n",
					port, q, rte_strerror(-ret));
	});
	return st;
}

void
queues_start(const stopped_queues &st)
{
	int ret;

	for (uint16_t port : st.ports)
		if ((ret = rte_eth_dev_start(port)) != 0)
			MPS_LOG(ERR, "port %u: cannot start again: %s\n", port, rte_strerror(-ret));
	for (const auto &pq : st.rx)
		if (std::find(st.ports.begin(), st.ports.end(), pq.first) == st.ports.end() &&
				(ret = rte_eth_dev_rx_queue_start(pq.first, pq.second)) != 0)
			MPS_LOG(ERR, "port %u: cannot start RX queue %u again: %s\n",
					pq.first, pq.second, rte_strerror(-ret));
	for (const auto &pq : st.tx)
		if (std::find(st.ports.begin(), st.ports.end(), pq.first) == st.ports.end() &&
				(ret = rte_eth_dev_tx_queue_start(pq.first, pq.second)) != 0)
			MPS_LOG(ERR, "port %u: cannot start TX queue %u again: %s\n",
					pq.first, pq.second, rte_strerror(-ret));
}

} /* namespace */

/*
 * Objects of mp in its common store when that is a ring, read in place
 * between the consumer and producer tails, without taking them.
 */
void
pool_ring_objs(const struct rte_mempool *mp, std::vector<void *> &out)
{
	const struct rte_ring *r = dpdk_pool_ring(mp);

	if (r != nullptr)
		dpdk_ring_objs(r, out);
}

/*
 * A pool that a dead worker listed, that no live process uses, and that
 * the dead worker's reset will rebuild: its caches are not flushed
 * meanwhile (the rebuild empties them), so that no flush waits on a ring
 * the dead worker left half updated. The workers in resetting count as
 * reset already (their reset is the caller).
 */
bool
res_pool_awaits_rebuild(const struct rte_mempool *mp, uint64_t resetting)
{
	if (self.sh == nullptr)
		return false;
	uint64_t listers = pool_listers(mp) & ~resetting;
	bool dead = false;
	for (unsigned int w = 0; w < RTE_MPS_MAX_WORKERS; w++) {
		if (!(listers & (1ull << w)))
			continue;
		if (worker_has_process(w))
			return false;
		dead = dead || dead_unreset(self.sh->workers[w]);
	}
	return dead;
}

void
res_launch_forked_child()
{
	pthread_mutex_t fresh = PTHREAD_MUTEX_INITIALIZER;

	res_launch_mutex = fresh;
}

/*
 * Drop from the lists of dead, not yet reset workers the objects that are
 * free right now (a worker killed inside rte_eth_tx_burst(), whose driver
 * freed part of its in-flight buffer into the worker's lcore cache). Called
 * before the caches of dead lcores are flushed, with the reclaim lock held:
 * once flushed, such objects could be taken again by other processes and
 * would then look owned by the dead worker.
 */
void
res_settle_dead()
{
	std::vector<void *> free_now;
	bool walked = false;

	if (self.sh == nullptr || self.forked || rte_eal_process_type() != RTE_PROC_PRIMARY)
		return;
	for (worker_slot &ws : self.sh->workers) {
		if (!dead_unreset(ws))
			continue;
		if (!walked) {
			rte_mempool_walk(collect_free, &free_now);
			std::sort(free_now.begin(), free_now.end());
			walked = true;
		}
		auto is_free = [&free_now](void *o) {
			return std::binary_search(free_now.begin(), free_now.end(), o);
		};
		for (res_entry &e : ws.res)
			if (load(&e.type) != RES_RING)    /* a ring holds no freed object */
				walk_listed(e, listed_walk::read, is_free);
	}
}

/*
 * Reset the resources of a set of workers. The objects of their buffers,
 * arrays and rings are gathered first and each is freed once: a worker
 * killed while moving an object from one listed place to another (from its
 * in-hand array to a TX buffer, say) leaves it in both. An object that is
 * free right now is skipped: a worker killed inside rte_eth_tx_burst()
 * leaves its TX buffer listed although the driver has freed some of it.
 * Residual race: such an object freed on to the common store and taken
 * again by another process before this reset looks owned and is freed.
 */
int
res_reset_set(uint64_t mask)
{
	std::vector<rte_mbuf *> objs;
	std::vector<void *> free_now;
	int total = 0;

	/* No worker is forked meanwhile: the pools' users are all known. */
	mutex_guard launch(res_launch_mutex);
	/* No dead lcore's cache is flushed until the free set is known. */
	mutex_guard reclaim(lcore_reclaim_mutex);
	capture_reset(mask);
	/*
	 * What the drivers hold stays theirs: read before the queues stop
	 * (a stopped port's queues cannot be read); what a driver gives back
	 * when its queue stops is free below, and skipped.
	 */
	queues_repair(mask);
	std::vector<void *> held = queues_held(mask);
	stopped_queues stopped = queues_stop(mask);
	for (unsigned int w = 0; w < RTE_MPS_MAX_WORKERS; w++) {
		if (!(mask & (1ull << w)))
			continue;
		for (res_entry &e : self.sh->workers[w].res)
			walk_listed(e, listed_walk::take, [&objs](void *o) {
				objs.push_back(static_cast<rte_mbuf *>(o));
				return false;
			});
	}
	/* Objects of a pool about to be rebuilt are given back by the rebuild. */
	std::vector<struct rte_mempool *> pools = pools_to_rebuild(mask);
	if (!pools.empty())
		objs.erase(std::remove_if(objs.begin(), objs.end(), [&pools](rte_mbuf *m) {
				return std::find(pools.begin(), pools.end(), m->pool) !=
					pools.end();
			}), objs.end());
	std::sort(objs.begin(), objs.end());
	size_t listed = objs.size();
	objs.erase(std::unique(objs.begin(), objs.end()), objs.end());
	if (objs.size() != listed)
		MPS_LOG(INFO, "workers 0x%" PRIx64 ": %zu objects were listed twice, freed once\n",
				mask, listed - objs.size());

	if (!objs.empty()) {
		rte_mempool_walk(collect_free, &free_now);
		std::sort(free_now.begin(), free_now.end());
	}
	size_t skipped = 0, driver = 0;
	for (rte_mbuf *m : objs) {
		if (std::binary_search(free_now.begin(), free_now.end(), (void *)m)) {
			skipped++;
			continue;
		}
		if (std::binary_search(held.begin(), held.end(), (void *)m)) {
			driver++;
			continue;
		}
		rte_pktmbuf_free(m);
		total++;
	}
	if (skipped != 0)
		MPS_LOG(INFO, "workers 0x%" PRIx64 ": %zu listed objects were already free\n",
				mask, skipped);
	if (driver != 0)
		MPS_LOG(INFO, "workers 0x%" PRIx64 ": %zu listed objects are held by a driver\n",
				mask, driver);

	for (struct rte_mempool *mp : pools) {
		unsigned int n = pool_rebuild(mp, held);
		MPS_LOG(DEBUG, "workers 0x%" PRIx64 ": %s rebuilt with %u objects\n",
				mask, mp->name, n);
	}

	/* Only now the caches of the workers' lcores. */
	for (unsigned int w = 0; w < RTE_MPS_MAX_WORKERS; w++) {
		if (!(mask & (1ull << w)))
			continue;
		for (res_entry &e : self.sh->workers[w].res) {
			if (load(&e.type) == RES_LCORE) {
				/* rebuilt pools are empty; the others are flushed
				 * unless another dead worker's reset will rebuild them */
				int k = lcore_cache_flush_in_reset(e.lcore, mask);
				total += k > 0 ? k : 0;
			}
		}
		cmd_channel_drain(w);
	}
	queues_start(stopped);
	return total;
}

int
res_reset_worker(unsigned int worker)
{
	return res_reset_set(1ull << worker);
}

} /* namespace mps */

using namespace mps;

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_res_lcore_cache, 22.11)
int
rte_mps_res_lcore_cache(unsigned int worker, unsigned int lcore_id)
{
	return res_add(worker, RES_LCORE, lcore_id, nullptr);
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_res_tx_buffer, 22.11)
int
rte_mps_res_tx_buffer(unsigned int worker, struct rte_eth_dev_tx_buffer *buf)
{
	if (buf != nullptr && buf->size >= RTE_MPS_TX_BUFFER_IN_FLIGHT)
		return fail(EINVAL, "TX buffer of %u packets is too large", buf->size);
	return res_add(worker, RES_TXBUF, 0, buf);
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_res_burst, 22.11)
int
rte_mps_res_burst(unsigned int worker, struct rte_mps_burst *burst)
{
	return res_add(worker, RES_BURST, 0, burst);
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_res_ring, 22.11)
int
rte_mps_res_ring(unsigned int worker, struct rte_ring *ring)
{
	return res_add(worker, RES_RING, 0, ring);
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_res_rx_queue, 22.11)
int
rte_mps_res_rx_queue(unsigned int worker, uint16_t port_id, uint16_t queue_id)
{
	if (!rte_eth_dev_is_valid_port(port_id) || queue_id >= RTE_MAX_QUEUES_PER_PORT)
		return fail(EINVAL, "no port %u or queue %u", port_id, queue_id);
	return res_add(worker, RES_RXQ, queue_id,
			reinterpret_cast<const void *>(static_cast<uintptr_t>(port_id)));
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_res_tx_queue, 22.11)
int
rte_mps_res_tx_queue(unsigned int worker, uint16_t port_id, uint16_t queue_id)
{
	if (!rte_eth_dev_is_valid_port(port_id) || queue_id >= RTE_MAX_QUEUES_PER_PORT)
		return fail(EINVAL, "no port %u or queue %u", port_id, queue_id);
	return res_add(worker, RES_TXQ, queue_id,
			reinterpret_cast<const void *>(static_cast<uintptr_t>(port_id)));
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_res_mempool, 22.11)
int
rte_mps_res_mempool(unsigned int worker, struct rte_mempool *mp)
{
	if (mp == nullptr)
		return fail(EINVAL, "null mempool for worker %u", worker);
	if (mp->private_data_size < sizeof(struct rte_pktmbuf_pool_private) ||
			mp->elt_size < sizeof(struct rte_mbuf))
		return fail(EINVAL, "mempool %s is not an mbuf pool", mp->name);
	if (rte_pktmbuf_priv_flags(mp) & RTE_PKTMBUF_POOL_F_PINNED_EXT_BUF)
		return fail(ENOTSUP, "mempool %s has pinned external buffers", mp->name);
	if (mp->populated_size != mp->size)
		return fail(EINVAL, "mempool %s is not fully populated (%u of %u)",
				mp->name, mp->populated_size, mp->size);
	if (dpdk_pool_ring(mp) == nullptr)
		return fail(ENOTSUP, "mempool %s does not keep its objects in a ring; "
				"only ring-based pools can be rebuilt", mp->name);
	return res_add(worker, RES_POOL, 0, mp);
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_ring_consumer_reset, 22.11)
int
rte_mps_ring_consumer_reset(struct rte_ring *r)
{
	if (r == nullptr)
		return fail(EINVAL, "null ring");
	if (!dpdk_ring_is_sc(r))
		return fail(EINVAL, "ring %s has several consumers", r->name);
	uint32_t n = dpdk_ring_cons_reserved(r);
	if (n == 0)
		return 0;
	if (n > r->capacity)
		return fail(EINVAL, "ring %s: consumer head %u objects ahead of its tail",
				r->name, n);
	dpdk_ring_abort_sc(r);
	return (int)n;
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_res_reset, 22.11)
int
rte_mps_res_reset(unsigned int worker)
{
	if (self.forked)
		return fail(EPERM, "rte_mps_res_reset() is not available in a forked worker");
	if (self.sh == nullptr)
		return fail(EINVAL, "mpsupport is not initialised");
	if (worker >= RTE_MPS_MAX_WORKERS || load(&self.sh->workers[worker].state) == W_NONE)
		return fail(ENOENT, "unknown worker %u", worker);
	worker_slot *ws = &self.sh->workers[worker];
	uint32_t st = load(&ws->state);
	if ((st == W_RUNNING || st == W_STOPPING) && ws->pid > 0 &&
			proc_alive(ws->pid, ws->start_time))
		return fail(EBUSY, "worker %u is running (pid %d)", worker, ws->pid);
	return res_reset_worker(worker);
}

/*
 * The free objects of mp: size, in_caches, in_pool and, when its store is
 * a ring, surplus in a, and free_objs sorted, each object once. The store
 * is read in full, not through rte_mempool_avail_count(), which stops at
 * the size: an object freed twice is there twice. Whether the store is a
 * ring, whose objects are identified (else only counted).
 */
static bool
audit_free(struct rte_mempool *mp, rte_mps_audit &a, std::vector<void *> &free_objs)
{
	a.size = mp->size;
	dpdk_for_each_cache(mp, [&a, &free_objs](struct rte_mempool_cache *c) {
		a.in_caches += dpdk_cache_len(c);
		free_objs.insert(free_objs.end(), dpdk_cache_objs(c),
				dpdk_cache_objs(c) + dpdk_cache_len(c));
	});
	const bool identified = dpdk_pool_ring(mp) != nullptr;
	if (identified) {
		size_t cached = free_objs.size();
		pool_ring_objs(mp, free_objs);
		a.in_pool = (uint32_t)(free_objs.size() - cached);
	} else {
		a.in_pool = dpdk_pool_count(mp);
	}
	std::sort(free_objs.begin(), free_objs.end());
	size_t found = free_objs.size();
	free_objs.erase(std::unique(free_objs.begin(), free_objs.end()), free_objs.end());
	if (identified)
		a.surplus = (uint32_t)(found - free_objs.size());
	return identified;
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_mempool_audit, 22.11)
int
rte_mps_mempool_audit(struct rte_mempool *mp, struct rte_mps_audit *audit)
{
	if (mp == nullptr || audit == nullptr)
		return fail(EINVAL, "null mempool or audit");

	rte_mps_audit a = {};
	std::vector<void *> free_objs;
	const bool identified = audit_free(mp, a, free_objs);
	size_t free_distinct = free_objs.size();

	if (self.sh != nullptr) {
		/*
		 * An object listed in two places is counted once, and one that is
		 * free already (a TX buffer in flight) is counted where it is free.
		 */
		std::vector<void *> listed;
		for (worker_slot &ws : self.sh->workers) {
			if (load(&ws.state) == W_NONE)
				continue;
			for (res_entry &e : ws.res)
				walk_listed(e, listed_walk::read, [mp, &listed](void *o) {
					if (static_cast<const rte_mbuf *>(o)->pool == mp)
						listed.push_back(o);
					return false;
				});
		}
		std::sort(listed.begin(), listed.end());
		listed.erase(std::unique(listed.begin(), listed.end()), listed.end());
		/* What the drivers of listed queues hold is theirs, listed or not. */
		std::vector<void *> held = queues_held(~0ull);
		held.erase(std::remove_if(held.begin(), held.end(), [mp, &free_objs](void *o) {
				return static_cast<const rte_mbuf *>(o)->pool != mp ||
					std::binary_search(free_objs.begin(), free_objs.end(), o);
			}), held.end());
		a.in_driver = (uint32_t)held.size();
		a.in_lists = (uint32_t)std::count_if(listed.begin(), listed.end(),
				[&free_objs, &held](void *o) {
					return !std::binary_search(free_objs.begin(),
							free_objs.end(), o) &&
						!std::binary_search(held.begin(), held.end(), o);
				});
	}
	if (identified) {
		/* Exact: each found object once, and every extra copy of one. */
		int64_t left = (int64_t)a.size - (int64_t)free_distinct - a.in_lists - a.in_driver;
		a.unaccounted = left > 0 ? (uint32_t)left : 0;
		a.surplus += left < 0 ? (uint32_t)-left : 0;
	} else {
		/* Counts only: a surplus and a missing object cancel out. */
		int64_t left = (int64_t)a.size - a.in_pool - a.in_caches - a.in_lists -
			a.in_driver;
		a.unaccounted = left > 0 ? (uint32_t)left : 0;
		a.surplus = left < 0 ? (uint32_t)-left : 0;
	}
	*audit = a;
	return 0;
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_mempool_rebuild, 22.11)
int
rte_mps_mempool_rebuild(struct rte_mempool *mp, void * const *held, unsigned int nb_held,
		struct rte_mps_audit *before)
{
	if (mp == nullptr || (held == nullptr && nb_held != 0))
		return fail(EINVAL, "null mempool or held objects");
	if (dpdk_pool_ring(mp) == nullptr)
		return fail(EINVAL, "%s: its common store is not a ring, cannot rebuild",
				mp->name);

	/*
	 * No lcore cache is flushed into the ring meanwhile, by this process
	 * or another (a process that claims an lcore id reclaims dead ones):
	 * the rebuild is marked in the registry, the ids of dead owners are
	 * held, and they are reclaimed after.
	 */
	mutex_guard reclaim(lcore_reclaim_mutex);
	std::vector<std::pair<unsigned int, uint64_t>> dead_lcores;
	if (lcore_hold_dead(dead_lcores, 100) < 0)
		return fail(EBUSY, "%s: another process is rebuilding a pool or reclaiming "
				"an lcore, cannot rebuild now", mp->name);
	std::vector<void *> free_objs;
	rte_mps_audit a = {};
	audit_free(mp, a, free_objs);

	/* Held: the caller's, and what the drivers of listed queues keep. */
	std::vector<void *> keep(held, held + nb_held);
	if (self.sh != nullptr) {
		std::vector<void *> drv = queues_held(~0ull);
		keep.insert(keep.end(), drv.begin(), drv.end());
	}
	keep.erase(std::remove_if(keep.begin(), keep.end(), [mp](void *o) {
			return o == nullptr || static_cast<const rte_mbuf *>(o)->pool != mp;
		}), keep.end());
	std::sort(keep.begin(), keep.end());
	keep.erase(std::unique(keep.begin(), keep.end()), keep.end());
	a.in_lists = (uint32_t)std::count_if(keep.begin(), keep.end(), [&free_objs](void *o) {
			return !std::binary_search(free_objs.begin(), free_objs.end(), o);
		});
	int64_t left = (int64_t)a.size - (int64_t)free_objs.size() - a.in_lists;
	a.unaccounted = left > 0 ? (uint32_t)left : 0;

	unsigned int n = pool_rebuild(mp, keep);
	lcore_release_held(dead_lcores);
	res_settle_dead();
	reclaim_lcores();
	if (n == 0 && a.size > keep.size())
		return fail(EIO, "%s: cannot put its objects back", mp->name);
	if (before != nullptr)
		*before = a;
	return (int)n;
}
