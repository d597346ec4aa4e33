/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_mempool.h>
#include <rte_pause.h>
#include <rte_ring.h>

#include "mps_dpdk.h"
#include "mps_private.h"

namespace mps {

/*
 * Serialises the flushes of dead lcores' caches (reclaim, on the notify
 * thread) with a worker reset (tracker), which must see those caches
 * before they are flushed. Recursive, so that a holder may reclaim.
 */
pthread_mutex_t lcore_reclaim_mutex = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;

bool
lc_owner_alive(const shared *sh, uint64_t w)
{
	unsigned int slot = lc_slot(w);

	if (slot >= RTE_MPS_MAX_PROCS)
		return false;
	uint64_t sw = load(&sh->procs[slot].state);
	if (slot_state(sw) == SLOT_FREE || (slot_gen(sw) & 0xffffff) != lc_gen(w))
		return false;
	return slot_word_alive(sh, slot, sw);
}

int32_t
lc_owner_pid(const shared *sh, uint64_t w)
{
	unsigned int slot = lc_slot(w);

	if (lc_kind(w) == LC_FREE || slot >= RTE_MPS_MAX_PROCS)
		return 0;
	uint64_t sw = load(&sh->procs[slot].state);
	int32_t pid = sh->procs[slot].pid;
	/* A slot registered again since the word was written is another
	 * process's: the word's owner died. */
	if ((slot_gen(sw) & 0xffffff) != lc_gen(w) || load(&sh->procs[slot].state) != sw)
		return 0;
	return pid;
}

void
lcore_reclaim_forked_child()
{
	pthread_mutex_t fresh = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;

	lcore_reclaim_mutex = fresh;
}

/* The calling thread's floating lcore, and the id it had before. */
static thread_local int t_claimed = -1;
static thread_local unsigned int t_prev;
static thread_local uint32_t t_tid;

struct flush_ctx {
	unsigned int lcore;
	bool dead_owner;       /* the lcore's last user died: salvage its caches */
	uint64_t resetting;    /* workers whose reset is running */
	int count;
	int skipped;           /* caches left alone (for a coming rebuild, or unsalvageable) */
	bool patient;          /* false: no waiting on other producers (ms) nor on a stuck tail */
};

/*
 * A process killed inside a mempool put can leave its cache holding an
 * object twice (killed in the copy, after the length was raised) or
 * objects already moved to the common ring (killed after the move, before
 * the length was lowered). Drop those copies before the cache is flushed,
 * so that no object enters the ring twice. This holds for the put models
 * of mps_dpdk.h (PUT_MODEL_FLUSH_ALL and PUT_MODEL_FLUSH_HALF).
 */
static void
drop_copies(struct rte_mempool *mp, struct rte_mempool_cache *c)
{
	uint32_t len = dpdk_cache_len(c);
	void **objs = dpdk_cache_objs(c);
	std::vector<void *> in_ring;

	if (len == 0)
		return;
	pool_ring_objs(mp, in_ring);
	std::sort(in_ring.begin(), in_ring.end());
	std::unordered_set<void *> seen;
	std::vector<void *> kept;
	for (uint32_t i = 0; i < len; i++) {
		void *o = objs[i];
		if (std::binary_search(in_ring.begin(), in_ring.end(), o))
			continue;
		if (!seen.insert(o).second)
			continue;    /* a copy already kept */
		kept.push_back(o);
	}
	if (kept.size() != len) {
		MPS_LOG(WARNING, "%s: %u copies dropped from an lcore cache\n", mp->name,
				len - (uint32_t)kept.size());
		std::copy(kept.begin(), kept.end(), objs);
		dpdk_cache_set_len(c, (uint32_t)kept.size());
	}
}

/*
 * A cache a dead process may have left half way through a put is salvaged
 * only under a put model drop_copies() was written for; under another one
 * its objects stay where they are (and its lcore id taken), rather than
 * going back to the pool twice. The caches of live owners are flushed
 * whatever the model.
 */
static bool
salvage_known()
{
	static std::atomic<bool> said;

	if (dpdk_put_model() != PUT_MODEL_UNKNOWN)
		return true;
	if (!said.exchange(true))
		MPS_LOG(WARNING, "the mempool cache put of this DPDK is unknown (%s): "
				"caches of dead lcores are not flushed\n", dpdk_put_model_why());
	return false;
}

std::atomic<uint64_t> dead_puts_completed{0}, dead_puts_unwritten{0};

/*
 * A process killed inside a full-cache put before it wrote two slots left
 * nothing to find its reservation by but the producer tail, stuck where it
 * begins. With a cache this full (the put's own objects go in after the
 * flush, and a put brings at most half a cache), a tail stuck for half a
 * second is taken as that put when the reservation there is just the size
 * of this put. The puts waiting behind it have written their slots, each
 * with the first objects of its process's lcore cache: the first of them
 * ends the stuck reservation. When the stuck one starts that way itself,
 * it is the put of that cache's owner (alive and descheduled, or dead and
 * completed by its own reclaim). Another dead process's put of another
 * size is left to that process's reclaim.
 */
static int
complete_unwritten_put(struct rte_mempool *mp, struct rte_mempool_cache *c, struct rte_ring *r,
		       uint32_t n)
{
	uint32_t tail, head;
	int ret = dpdk_ring_stuck_tail(r, 500, 2000, &tail, &head);

	if (ret <= 0)
		return ret;
	/* the first two objects of every other cache (one may be an older copy) */
	std::unordered_map<void *, void *> firsts;
	for (unsigned int l = 0; l < RTE_MAX_LCORE; l++) {
		struct rte_mempool_cache *o = dpdk_cache(mp, l);
		if (o == nullptr || o == c || dpdk_cache_len(o) == 0)
			continue;
		void **objs = dpdk_cache_objs(o);
		firsts.emplace(objs[0], dpdk_cache_len(o) > 1 ? objs[1] : nullptr);
	}
	auto put_starts = [&](uint32_t p) {
		auto it = firsts.find(dpdk_ring_slot(r, p));
		return it != firsts.end() &&
			(it->second == nullptr || it->second == dpdk_ring_slot(r, p + 1));
	};
	if (put_starts(tail))
		return -1;
	uint32_t end = tail + 1;
	while (end != head && !put_starts(end))
		end++;
	if (end - tail != n || !dpdk_ring_publish_stuck(r, tail, dpdk_cache_objs(c), n))
		return -1;
	dead_puts_unwritten.fetch_add(1, std::memory_order_relaxed);
	return 1;
}

/*
 * A process killed inside a full-cache put may have reserved slots in the
 * pool's common ring and not published them: every other producer of the
 * pool (every process of the group that frees an mbuf) then waits for it,
 * and so would this flush. Complete that put as the dead process would
 * have, and take the objects it moved out of the cache (as the put would
 * have; not by looking for them in the ring, where a consumer may already
 * have taken them). -1 when the put cannot be completed: the cache is
 * then left alone.
 */
static int
complete_put(struct rte_mempool *mp, struct rte_mempool_cache *c, bool patient)
{
	struct rte_ring *r = dpdk_pool_ring(mp);
	uint32_t len = dpdk_cache_len(c);
	const bool half = dpdk_put_model() == PUT_MODEL_FLUSH_HALF;
	uint32_t n = half ? c->size / 2 : len;
	void **objs = dpdk_cache_objs(c);

	if (r == nullptr)
		return 0;
	int ret = n != 0 && n <= len ? dpdk_ring_complete_put(r, objs, n, patient ? 100 : 1) : 0;
	if (ret == 0 && patient && n != 0 && n <= len && (half || len >= c->size))
		ret = complete_unwritten_put(mp, c, r, n);
	if (ret < 0) {
		MPS_LOG(WARNING, "%s: a put a dead process left half done waits for an "
				"earlier one: its lcore cache is left alone for now\n", mp->name);
		return -1;
	}
	if (ret == 0)
		return 0;
	dead_puts_completed.fetch_add(1, std::memory_order_relaxed);
	MPS_LOG(WARNING, "%s: completed a put of %u objects a dead process left half done\n",
			mp->name, n);
	std::copy(objs + n, objs + len, objs);
	dpdk_cache_set_len(c, len - n);
	return 1;
}

static void
flush_one(struct rte_mempool *mp, void *arg)
{
	auto *ctx = static_cast<flush_ctx *>(arg);

	struct rte_mempool_cache *c = dpdk_cache(mp, ctx->lcore);
	if (c == nullptr || dpdk_cache_len(c) == 0)
		return;
	if (res_pool_awaits_rebuild(mp, ctx->resetting) ||
			(ctx->dead_owner && !salvage_known())) {
		ctx->skipped++;
		return;
	}
	if (ctx->dead_owner && complete_put(mp, c, ctx->patient) < 0) {
		ctx->skipped++;
		return;
	}
	drop_copies(mp, c);
	uint32_t len = dpdk_cache_len(c);
	struct rte_ring *r = dpdk_pool_ring(mp);
	if (len == 0)
		return;
	if (ctx->dead_owner && r != nullptr) {
		/*
		 * Another dead process's put may hold the ring (on an lcore
		 * that comes later, or killed while this runs): a plain flush
		 * would wait on it for ever. Flush only into an idle ring.
		 */
		if (!dpdk_ring_enqueue_idle(r, dpdk_cache_objs(c), len, ctx->patient ? 100 : 1)) {
			MPS_LOG(WARNING, "%s: the ring is held by a put left half done: an "
					"lcore cache is left alone for now\n", mp->name);
			ctx->skipped++;
			return;
		}
		dpdk_cache_set_len(c, 0);
		ctx->count += (int)len;
		return;
	}
	ctx->count += (int)len;
	rte_mempool_cache_flush(c, mp);
}

/*
 * The mempools as they were at fork time, for a forked worker: it may only
 * use objects created before the fork anyway, and walking the mempool list
 * takes a shared lock that a worker killed inside the walk would leave
 * taken for the whole group.
 */
constexpr unsigned int MAX_POOLS = 64;
static struct rte_mempool *fork_pools[MAX_POOLS];
static unsigned int nb_fork_pools;

static void
note_pool(struct rte_mempool *mp, void *arg)
{
	if (nb_fork_pools < MAX_POOLS)
		fork_pools[nb_fork_pools++] = mp;
	else
		(*static_cast<unsigned int *>(arg))++;
}

/* Under res_launch_mutex: forks from several threads take turns. */
int
lcore_snapshot_pools()
{
	unsigned int beyond = 0;

	nb_fork_pools = 0;
	rte_mempool_walk(note_pool, &beyond);
	if (beyond != 0)
		return fail(ENOSPC, "%u mempools, a forked worker can know %u: "
				"the caches of the others would never be flushed",
				nb_fork_pools + beyond, MAX_POOLS);
	return 0;
}

static int
cache_flush(unsigned int lcore, bool dead_owner, uint64_t resetting = 0, int *skipped = nullptr,
	    bool patient = true)
{
	flush_ctx ctx = { lcore, dead_owner, resetting, 0, 0, patient };

	if (self.forked) {
		for (unsigned int i = 0; i < nb_fork_pools; i++)
			flush_one(fork_pools[i], &ctx);
	} else {
		rte_mempool_walk(flush_one, &ctx);
	}
	if (skipped != nullptr)
		*skipped = ctx.skipped;
	return ctx.count;
}

int
lcore_cache_flush_in_reset(unsigned int lcore, uint64_t mask)
{
	return cache_flush(lcore, true, mask);
}

/*
 * Whether a live process rebuilds a pool (rte_mps_mempool_rebuild()): no
 * lcore cache may be flushed into a pool meanwhile. The caller has marked
 * the lcore word it would flush, and the rebuild marks itself before it
 * looks at the words: either the caller sees the rebuild, or the rebuild
 * sees the mark and waits for the flush (lcore_hold_dead()).
 */
static bool
rebuild_running(const shared *sh)
{
	rte_atomic_thread_fence(rte_memory_order_seq_cst);
	uint64_t w = load(&sh->rebuilding);
	return w != 0 && lc_owner_alive(sh, w);
}

/* Move an lcore word we own (or took over as reclaimer) to free, flushing
 * the lcore's caches first so that the next owner starts clean. */
static bool
free_word(unsigned int l, uint64_t w, bool flush, bool dead_owner = false, bool patient = true)
{
	shared *sh = self.sh;

	if (!flush)
		return cas(&sh->lcore[l], w, (uint64_t)LC_FREE);
	uint64_t rec = lc_word(LC_RECLAIM, (unsigned int)self.slot, self.gen, 0);
	/*
	 * During a pool rebuild: a dead owner's id is left to the rebuild,
	 * which empties the caches and reclaims once done; a live owner waits
	 * for its end (a rebuild takes milliseconds), but not for ever.
	 */
	const uint64_t until = dead_owner ? 0 : now_ns() + 1000000000ull;
	for (;;) {
		if (w != rec && !cas(&sh->lcore[l], w, rec))
			return false;
		if (!rebuild_running(sh))
			break;
		/* the word as it was while waiting, which the rebuild does not wait for */
		store(&sh->lcore[l], w);
		do {
			if (now_ns() >= until)
				return false;
			usleep(100);
		} while (rebuild_running(sh));
	}
	int skipped = 0;
	int n = cache_flush(l, dead_owner, 0, &skipped, patient);
	if (n > 0)
		MPS_LOG(DEBUG, "lcore %u: %d objects flushed back to their pools\n", l, n);
	if (skipped != 0) {
		/* a pool's cache awaits its rebuild: the id stays taken until then */
		store(&sh->lcore[l], w);
		return false;
	}
	store(&sh->lcore[l], (uint64_t)LC_FREE);
	return true;
}

std::atomic<bool> lcores_left{false};

int
reclaim_lcores(bool may_wait)
{
	shared *sh = self.sh;
	int n = 0;

	if (sh == nullptr || self.slot < 0)
		return 0;
	/*
	 * Puts that dead processes left in flight in one ring are completed in
	 * ring order: one waits for those before it, which a later lcore may
	 * hold. Go round again while a round frees some and leaves others.
	 * A round is quick at first (no waiting on a put of another lcore);
	 * only when a quick round frees nothing does the next one wait, and
	 * watch for a stuck tail, if the caller may wait.
	 */
	bool again, patient = false;
	do {
		int freed = 0;
		bool left = false;
		for (unsigned int l = 0; l < RTE_MAX_LCORE; l++) {
			uint64_t w = load(&sh->lcore[l]);
			if (lc_kind(w) == LC_FREE || lc_owner_alive(sh, w))
				continue;
			/* Dead owner, or a reclaimer that died half way: flush again. */
			if (free_word(l, w, true, true, patient)) {
				MPS_LOG(INFO, "lcore %u reclaimed from a dead owner\n", l);
				freed++;
			} else {
				left = true;
			}
		}
		n += freed;
		again = left && (freed > 0 || (!patient && may_wait));
		patient = may_wait && left && freed == 0;
		lcores_left.store(left, std::memory_order_relaxed);
	} while (again);
	return n;
}

/*
 * For a pool rebuild: mark the group's rebuild (no cache is flushed into a
 * pool until lcore_release_held()), take over the lcore ids of dead owners,
 * so that no other process flushes their caches into the pool meanwhile,
 * and wait up to wait_ms for the reclaims that other live processes are
 * running. -EBUSY if another rebuild or a reclaim still runs (nothing is
 * left taken).
 */
int
lcore_hold_dead(std::vector<std::pair<unsigned int, uint64_t>> &held, unsigned int wait_ms)
{
	shared *sh = self.sh;

	if (sh == nullptr || self.slot < 0)
		return 0;
	const uint64_t rec = lc_word(LC_RECLAIM, (unsigned int)self.slot, self.gen, 0);
	uint64_t other = load(&sh->rebuilding);
	do {
		if (other != 0 && lc_owner_alive(sh, other))
			return -EBUSY;
	} while (!cas(&sh->rebuilding, other, rec));
	rte_atomic_thread_fence(rte_memory_order_seq_cst);
	const uint64_t deadline = now_ns() + (uint64_t)wait_ms * 1000000ull;
	for (;;) {
		bool busy = false;
		for (unsigned int l = 0; l < RTE_MAX_LCORE; l++) {
			uint64_t w = load(&sh->lcore[l]);
			if (lc_kind(w) == LC_FREE)
				continue;
			if (w == rec && std::any_of(held.begin(), held.end(),
					[l](const std::pair<unsigned int, uint64_t> &h) {
						return h.first == l;
					}))
				continue;
			if (lc_owner_alive(sh, w)) {
				/* a reclaim by this process's other thread too */
				busy = busy || lc_kind(w) == LC_RECLAIM;
				continue;
			}
			if (cas(&sh->lcore[l], w, rec))
				held.emplace_back(l, w);
			else
				busy = true;    /* changed meanwhile: look again */
		}
		if (!busy)
			return 0;
		if (now_ns() >= deadline) {
			lcore_release_held(held);
			return -EBUSY;
		}
		usleep(100);
	}
}

/*
 * Give back the ids lcore_hold_dead() took, as they were, and end the
 * rebuild: their reclaim (reclaim_lcores()) is then the caller's.
 */
void
lcore_release_held(std::vector<std::pair<unsigned int, uint64_t>> &held)
{
	shared *sh = self.sh;

	if (sh == nullptr || self.slot < 0)
		return;
	for (const auto &h : held)
		store(&sh->lcore[h.first], h.second);
	held.clear();
	store(&sh->rebuilding, (uint64_t)0);
}

void
lcore_release_slot(unsigned int slot, uint32_t gen, bool flush)
{
	shared *sh = self.sh;

	for (unsigned int l = 0; l < RTE_MAX_LCORE; l++) {
		uint64_t w = load(&sh->lcore[l]);
		uint64_t kind = lc_kind(w);
		if ((kind != LC_EAL && kind != LC_FLOAT) || lc_slot(w) != slot ||
				lc_gen(w) != (gen & 0xffffff))
			continue;
		free_word(l, w, flush && kind == LC_FLOAT);
	}
}

void
lcore_forget_thread()
{
	if (t_claimed >= 0)
		dpdk_set_lcore_id(t_prev);
	t_claimed = -1;
	t_tid = 0;
}

unsigned int
lcore_eal_id()
{
	return t_claimed >= 0 ? t_prev : dpdk_lcore_id();
}

/*
 * EAL hands lcore ids to the threads it did not start (rte_thread_register())
 * from its role table, which knows nothing of the ids the library hands out
 * in the group's table. Each such id is taken in the group's table too, as
 * an EAL lcore of this process, so that no floating claim of any process
 * gets it; an id the group uses already is refused, and
 * rte_thread_register() then fails rather than share its mempool caches.
 */
static int
lcore_registered(unsigned int lcore, void *)
{
	shared *sh = self.sh;

	if (sh == nullptr || self.slot < 0 || lcore >= RTE_MAX_LCORE ||
			rte_eal_lcore_role(lcore) != ROLE_NON_EAL)
		return 0;
	uint64_t mine = lc_word(LC_EAL, (unsigned int)self.slot, self.gen, 0);
	uint64_t w = load(&sh->lcore[lcore]);
	if (w == mine || (lc_kind(w) == LC_FREE && cas(&sh->lcore[lcore], w, mine)))
		return 0;
	MPS_LOG(ERR, "lcore %u is used in the group (word 0x%" PRIx64 "): not given to "
			"a registered thread\n", lcore, w);
	return -1;
}

/* The thread unregistered: its caches go back to their pools, the id is free. */
static void
lcore_unregistered(unsigned int lcore, void *)
{
	shared *sh = self.sh;

	if (sh == nullptr || self.slot < 0 || lcore >= RTE_MAX_LCORE ||
			rte_eal_lcore_role(lcore) != ROLE_NON_EAL)
		return;
	uint64_t mine = lc_word(LC_EAL, (unsigned int)self.slot, self.gen, 0);
	if (load(&sh->lcore[lcore]) == mine)
		free_word(lcore, mine, true);
}

static void *lcore_cb_handle;

int
lcore_callbacks_register()
{
	lcore_cb_handle = rte_lcore_callback_register("mpsupport", lcore_registered,
			lcore_unregistered, nullptr);
	if (lcore_cb_handle == nullptr)
		return fail(EBUSY, "an lcore registered before rte_mps_init() uses an id "
				"of the group");
	return 0;
}

void
lcore_callbacks_unregister()
{
	if (lcore_cb_handle != nullptr)
		rte_lcore_callback_unregister(lcore_cb_handle);
	lcore_cb_handle = nullptr;
}

int
lcore_reclaim(bool may_wait)
{
	if (self.sh == nullptr || self.slot < 0)
		return fail(EINVAL, "mpsupport is not initialised");
	mutex_guard lk(lcore_reclaim_mutex);
	res_settle_dead();
	reclaim_dead_slots();
	return reclaim_lcores(may_wait);
}

} /* namespace mps */

using namespace mps;

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_lcore_claim, 22.11)
int
rte_mps_lcore_claim(void)
{
	shared *sh = self.sh;

	if (sh == nullptr || self.slot < 0)
		return fail(EINVAL, "mpsupport is not initialised");
	if (t_claimed >= 0)
		return fail(EEXIST, "thread already holds floating lcore %d", t_claimed);
	if (t_tid == 0)
		t_tid = (uint32_t)gettid();

	uint64_t mine = lc_word(LC_FLOAT, (unsigned int)self.slot, self.gen, t_tid);
	for (int pass = 0; pass < 2; pass++) {
		/* From the top down: EAL lcore ids are usually the low ones, so a
		 * process restarting with its old -l finds them free. */
		for (unsigned int k = 0; k < RTE_MAX_LCORE; k++) {
			unsigned int l = RTE_MAX_LCORE - 1 - k;
			uint64_t w = load(&sh->lcore[l]);
			if (lc_kind(w) != LC_FREE || !cas(&sh->lcore[l], w, mine))
				continue;
			t_prev = dpdk_lcore_id();
			dpdk_set_lcore_id(l);
			t_claimed = (int)l;
			return (int)l;
		}
		if (pass == 0 && rte_mps_lcore_reclaim() <= 0)
			break;
	}
	return fail(ENOSPC, "no free lcore id among %u", RTE_MAX_LCORE);
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_lcore_release, 22.11)
int
rte_mps_lcore_release(int flush)
{
	shared *sh = self.sh;

	if (sh == nullptr || self.slot < 0)
		return fail(EINVAL, "mpsupport is not initialised");
	if (t_claimed < 0)
		return fail(ENOENT, "thread holds no floating lcore");

	unsigned int l = (unsigned int)t_claimed;
	uint64_t mine = lc_word(LC_FLOAT, (unsigned int)self.slot, self.gen, t_tid);
	if (!free_word(l, mine, flush != 0)) {
		uint64_t w = load(&sh->lcore[l]);
		if (w == mine)    /* still ours: a pool rebuild did not end */
			return fail(EBUSY, "lcore %u: a pool rebuild by pid %d has lasted "
					"over 1 s, the lcore is kept", l,
					(int)lc_owner_pid(sh, load(&sh->rebuilding)));
		MPS_LOG(WARNING, "lcore %u was taken from this thread (word 0x%" PRIx64 ")\n",
				l, w);
	}
	dpdk_set_lcore_id(t_prev);
	t_claimed = -1;
	return 0;
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_lcore_self, 22.11)
int
rte_mps_lcore_self(void)
{
	if (t_claimed < 0)
		return -ENOENT;
	return t_claimed;
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_lcore_owner, 22.11)
int
rte_mps_lcore_owner(unsigned int lcore_id, pid_t *pid)
{
	shared *sh = self.sh;

	if (sh == nullptr)
		return fail(EINVAL, "mpsupport is not initialised");
	if (lcore_id >= RTE_MAX_LCORE)
		return fail(EINVAL, "lcore %u out of range (max %u)", lcore_id, RTE_MAX_LCORE);
	uint64_t w = load(&sh->lcore[lcore_id]);
	if (pid != nullptr)
		*pid = lc_owner_pid(sh, w);
	return (int)lc_kind(w);
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_lcore_reclaim, 22.11)
int
rte_mps_lcore_reclaim(void)
{
	return lcore_reclaim(true);
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_lcore_cache_flush, 22.11)
int
rte_mps_lcore_cache_flush(unsigned int lcore_id)
{
	if (lcore_id >= RTE_MAX_LCORE)
		return fail(EINVAL, "lcore %u out of range (max %u)", lcore_id, RTE_MAX_LCORE);
	return cache_flush(lcore_id, false);
}
