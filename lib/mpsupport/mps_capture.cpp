/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/*
 * Packet capture in every process of the group (see rte_mps_capture.h).
 *
 * The primary records what the tools ask for in a memzone, one entry per
 * port and direction, under a generation word that is odd while an entry
 * changes (a sequence lock) and that is also the futex secondaries sleep on.
 * Each taking part process has a word in the memzone saying the generation
 * it applied; the primary answers a tool once every live one caught up.
 * Applying compares each entry's serial with the one the process installed:
 * it removes what changed and installs what is asked, on every queue given.
 *
 * A forked worker never touches the tool's ring and pool: they are
 * multi-producer and multi-consumer, and a worker killed inside one of
 * their operations would leave a head ahead of its tail, which stops every
 * later user for good. It copies into a pool of its own, of which it is the
 * only consumer, and hands the copies to the main over a ring of its own,
 * of which it is the only producer; a thread of the main (the relay) copies
 * them on into the tool's pool and ring, and gives them back at once (a
 * tool frees what is left in its ring with its pool, when it exits). After
 * a kill, the main takes back what the dead worker had reserved on its two
 * single sides (see capture_reset()).
 */

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <linux/futex.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <atomic>

#include <rte_bpf.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_memzone.h>
#include <rte_pcapng.h>
#include <rte_pdump.h>
#include <rte_ring.h>
#include <rte_telemetry.h>
#include <rte_version.h>

#include "mps_dpdk.h"
#include "mps_private.h"
#include "rte_mps_capture.h"

namespace mps {

bool capture_join_pending;

namespace {

constexpr char CAPTURE_MZ[] = "mps_capture";
constexpr uint64_t CAPTURE_MAGIC = 0x6d70735f63617031ull;    /* "mps_cap1" */
constexpr uint32_t CAPTURE_LAYOUT = 1;
/* Queues a capture reaches per port; more are refused. */
constexpr unsigned int CAPTURE_MAX_QUEUES = 64;
/* Packets copied per step of a burst. */
constexpr uint16_t CAPTURE_CHUNK = 32;
/* A forked worker's pool of copies and its ring to the main. */
constexpr unsigned int RELAY_SIZE = 1024;
/* Bytes of a packet a forked worker copies at most. */
constexpr uint32_t RELAY_SNAPLEN = RTE_MBUF_DEFAULT_DATAROOM;
/* Bound on the primary's wait for every process to apply a change. */
constexpr uint64_t APPLY_WAIT_NS = 2000000000ull;
constexpr int DIR_RX = 0;
constexpr int DIR_TX = 1;

/* What DPDK's capture tools send (lib/pdump/rte_pdump.c, 22.11 to 25.11):
 * a wire format between processes of one DPDK release. */
constexpr char PDUMP_MP_NAME[] = "mp_pdump";
enum : uint16_t {
	PDUMP_DISABLE = 1,
	PDUMP_ENABLE = 2,
};
enum : uint16_t {
	PDUMP_V1 = 1,    /* pcap: plain copies */
	PDUMP_V2 = 2,    /* pcapng: rte_pcapng_copy() */
};
struct pdump_request {
	uint16_t ver;
	uint16_t op;
	uint32_t flags;
	char device[RTE_DEV_NAME_MAX_LEN];
	uint16_t queue;
	struct rte_ring *ring;
	struct rte_mempool *mp;
	const struct rte_bpf_prm *prm;
	uint32_t snaplen;
};
struct pdump_response {
	uint16_t ver;
	uint16_t res_op;
	int32_t err_value;
};
static_assert(sizeof(pdump_request) <= RTE_MP_MAX_PARAM_LEN, "request fits a message");

/* Shared: one capture per port and direction. */
struct cap_entry {
	uint32_t serial;     /* 0: no capture */
	uint16_t queue;      /* RTE_PDUMP_ALL_QUEUES or one queue */
	uint16_t ver;        /* PDUMP_V1 or PDUMP_V2 */
	uint32_t snaplen;
	uint32_t pad;
	uint64_t ring;       /* hugepage addresses, the same in every process */
	uint64_t mp;
	uint64_t prm;
};
static_assert(sizeof(cap_entry) == 40, "cap_entry layout");

struct cap_stats {
	uint64_t accepted;
	uint64_t filtered;
	uint64_t nombuf;
	uint64_t ringfull;
};

struct cap_shared {
	uint64_t magic;
	uint32_t version;
	uint32_t size;
	uint32_t gen;        /* odd while changing; futex word */
	uint32_t serial;     /* last serial handed out */
	uint32_t applied[RTE_MPS_MAX_PROCS];     /* per process slot; 0: not taking part */
	uint32_t slot_gen[RTE_MPS_MAX_PROCS];    /* slot generation that took part */
	cap_entry entry[RTE_MAX_ETHPORTS][2];
	cap_stats stats[RTE_MAX_ETHPORTS][2];
	uint64_t seen[RTE_MPS_MAX_PROCS];    /* packets each process's callbacks saw */
	uint64_t relay_pool[RTE_MPS_MAX_WORKERS];    /* forked workers' copies */
	uint64_t relay_ring[RTE_MPS_MAX_WORKERS];    /* worker to main */
};

/* This process's side of one capture entry: the callbacks' argument. */
struct cap_local {
	std::atomic<uint32_t> in_use{0};    /* callbacks running */
	uint32_t serial = 0;                /* entry installed, 0: none */
	uint16_t port = 0;
	uint8_t dir = 0;
	uint8_t ver = 0;
	uint32_t snaplen = 0;
	struct rte_ring *ring = nullptr;
	struct rte_mempool *mp = nullptr;
	struct rte_bpf *filter = nullptr;
	struct rte_ring *relay = nullptr;    /* forked worker: the main's ring */
	cap_stats *stats = nullptr;
	const struct rte_eth_rxtx_callback *cb[CAPTURE_MAX_QUEUES] = {};
	/* a forked worker links these instead of allocating (fork contract) */
	dpdk_callback node[CAPTURE_MAX_QUEUES] = {};
};

cap_shared *cap;
bool cap_primary;
cap_local local[RTE_MAX_ETHPORTS][2];
pthread_mutex_t cap_mutex = PTHREAD_MUTEX_INITIALIZER;
rte_thread_t cap_thread;
bool cap_thread_running;
rte_thread_t relay_thread;
bool relay_running;
int my_worker = -1;    /* forked worker: its index */
std::atomic<bool> cap_quit{false};

long
futex(uint32_t *word, int op, uint32_t val, const struct timespec *ts)
{
	return syscall(SYS_futex, word, op, val, ts, nullptr, 0);
}

void
stat_add(uint64_t *c, uint64_t n)
{
	rte_atomic_fetch_add_explicit(c, n, rte_memory_order_relaxed);
}

/* The copy both callbacks make; runs only while a capture is on. */
void
copy_chunk(cap_local *l, uint16_t queue, struct rte_mbuf **pkts, uint16_t nb)
{
	struct rte_mbuf *dup[CAPTURE_CHUNK];
	uint64_t rc[CAPTURE_CHUNK];
	uint16_t n = 0;

	/* a forked worker never frees into its pool: copy what the relay takes */
	if (l->relay != nullptr) {
		unsigned int room = rte_ring_free_count(l->relay);
		if (room < nb) {
			stat_add(&l->stats->ringfull, nb - room);
			nb = static_cast<uint16_t>(room);
		}
	}

	if (l->filter != nullptr)
		rte_bpf_exec_burst(l->filter, reinterpret_cast<void **>(pkts), rc, nb);
#if RTE_VERSION < RTE_VERSION_NUM(23, 11, 0, 0)
	uint64_t ts = rte_get_tsc_cycles();
#endif
	for (uint16_t i = 0; i < nb; i++) {
		struct rte_mbuf *p;

		if (l->filter != nullptr && rc[i] == 0) {
			stat_add(&l->stats->filtered, 1);
			continue;
		}
		if (l->ver == PDUMP_V2)
#if RTE_VERSION < RTE_VERSION_NUM(23, 11, 0, 0)
			p = rte_pcapng_copy(l->port, queue, pkts[i], l->mp, l->snaplen, ts,
					l->dir == DIR_RX ? RTE_PCAPNG_DIRECTION_IN :
					RTE_PCAPNG_DIRECTION_OUT);
#else
			p = rte_pcapng_copy(l->port, queue, pkts[i], l->mp, l->snaplen,
					l->dir == DIR_RX ? RTE_PCAPNG_DIRECTION_IN :
					RTE_PCAPNG_DIRECTION_OUT, nullptr);
#endif
		else
			p = rte_pktmbuf_copy(pkts[i], l->mp, 0, l->snaplen);
		if (unlikely(p == nullptr)) {
			stat_add(&l->stats->nombuf, 1);
			continue;
		}
		p->hash.usr = static_cast<uint32_t>(l->port) << 1 | l->dir;
		dup[n++] = p;
	}
	if (l->relay != nullptr) {
		rte_ring_sp_enqueue_burst(l->relay, reinterpret_cast<void **>(dup), n, nullptr);
		return;
	}
	unsigned int q = rte_ring_enqueue_burst(l->ring, reinterpret_cast<void **>(dup), n,
			nullptr);
	stat_add(&l->stats->accepted, q);
	if (unlikely(q < n)) {
		stat_add(&l->stats->ringfull, n - q);
		rte_pktmbuf_free_bulk(&dup[q], n - q);
	}
}

void
copy_burst(cap_local *l, uint16_t queue, struct rte_mbuf **pkts, uint16_t nb)
{
	/*
	 * No lcore cache of the tool's pool: the tool frees into the cache of
	 * its own lcore id, which may be ours (it does not register with the
	 * group), and two threads on one cache corrupt it.
	 */
	unsigned int lcore = dpdk_lcore_id();

	l->in_use.fetch_add(1, std::memory_order_acquire);
	if (self.slot >= 0)
		stat_add(&cap->seen[self.slot], nb);
	dpdk_set_lcore_id(LCORE_ID_ANY);
	for (uint16_t i = 0; i < nb; i += CAPTURE_CHUNK)
		copy_chunk(l, queue, pkts + i, RTE_MIN(CAPTURE_CHUNK, nb - i));
	dpdk_set_lcore_id(lcore);
	l->in_use.fetch_sub(1, std::memory_order_release);
}

uint16_t
capture_rx(uint16_t, uint16_t queue, struct rte_mbuf **pkts, uint16_t nb, uint16_t,
		void *arg)
{
	copy_burst(static_cast<cap_local *>(arg), queue, pkts, nb);
	return nb;
}

uint16_t
capture_tx(uint16_t, uint16_t queue, struct rte_mbuf **pkts, uint16_t nb, void *arg)
{
	copy_burst(static_cast<cap_local *>(arg), queue, pkts, nb);
	return nb;
}

void
remove_local(cap_local &l)
{
	for (unsigned int q = 0; q < CAPTURE_MAX_QUEUES; q++) {
		if (l.cb[q] == nullptr)
			continue;
		int ret = l.dir == DIR_RX ? rte_eth_remove_rx_callback(l.port, q, l.cb[q]) :
			rte_eth_remove_tx_callback(l.port, q, l.cb[q]);
		if (ret < 0)
			MPS_LOG(WARNING, "capture: cannot remove callback of port %u queue %u: %s\n",
					l.port, q, strerror(-ret));
		l.cb[q] = nullptr;
	}
	/* a burst that loaded the callback before it went may still be in it */
	uint64_t deadline = now_ns() + 100000000ull;
	while (l.in_use.load(std::memory_order_acquire) != 0 && now_ns() < deadline)
		rte_pause();
	if (l.filter != nullptr)
		rte_bpf_destroy(l.filter);
	l.filter = nullptr;
	l.serial = 0;
}

int
install_local(cap_local &l, uint16_t port, int dir, const cap_entry &e)
{
	struct rte_eth_dev_info info;
	int ret = rte_eth_dev_info_get(port, &info);

	if (ret < 0)
		return ret;
	unsigned int nq = dir == DIR_RX ? info.nb_rx_queues : info.nb_tx_queues;
	unsigned int first = e.queue == RTE_PDUMP_ALL_QUEUES ? 0 : e.queue;
	unsigned int end = e.queue == RTE_PDUMP_ALL_QUEUES ? nq : e.queue + 1u;
	if (end > nq || end > CAPTURE_MAX_QUEUES)
		return -EINVAL;
	l.port = port;
	l.dir = static_cast<uint8_t>(dir);
	l.ver = static_cast<uint8_t>(e.ver);
	l.snaplen = e.snaplen;
	l.ring = reinterpret_cast<struct rte_ring *>(e.ring);
	l.mp = reinterpret_cast<struct rte_mempool *>(e.mp);
	l.relay = nullptr;
	if (self.forked) {
		if (my_worker < 0 || cap->relay_ring[my_worker] == 0)
			return -ENOTSUP;
		l.relay = reinterpret_cast<struct rte_ring *>(cap->relay_ring[my_worker]);
		l.mp = reinterpret_cast<struct rte_mempool *>(cap->relay_pool[my_worker]);
		l.snaplen = RTE_MIN(l.snaplen, RELAY_SNAPLEN);
	}
	l.stats = &cap->stats[port][dir];
	l.filter = nullptr;
	if (e.prm != 0) {
		l.filter = rte_bpf_load(reinterpret_cast<const struct rte_bpf_prm *>(e.prm));
		if (l.filter == nullptr)
			return -rte_errno;
	}
	l.serial = e.serial;
	for (unsigned int q = first; q < end; q++) {
		if (self.forked) {
			dpdk_callback *n = &l.node[q];
			if (dir == DIR_RX)
				n->fn.rx = capture_rx;
			else
				n->fn.tx = capture_tx;
			n->param = &l;
			l.cb[q] = dpdk_link_callback(port, q, dir == DIR_RX, n);
		} else if (dir == DIR_RX) {
			l.cb[q] = rte_eth_add_first_rx_callback(port, q, capture_rx, &l);
		} else {
			l.cb[q] = rte_eth_add_tx_callback(port, q, capture_tx, &l);
		}
		if (l.cb[q] == nullptr) {
			ret = -rte_errno;
			remove_local(l);
			return ret;
		}
	}
	return 0;
}

/* Read the entries while no change is under way. */
uint32_t
snapshot(cap_entry (*out)[2])
{
	for (;;) {
		uint32_t g = load(&cap->gen);
		if (g & 1) {
			rte_pause();
			continue;
		}
		memcpy(out, cap->entry, sizeof(cap->entry));
		rte_atomic_thread_fence(rte_memory_order_acquire);
		if (load(&cap->gen) == g)
			return g;
	}
}

/* Bring this process's callbacks to the recorded state; cap_mutex held. */
void
apply_local()
{
	static cap_entry want[RTE_MAX_ETHPORTS][2];
	uint32_t g = snapshot(want);

	for (uint16_t p = 0; p < RTE_MAX_ETHPORTS; p++) {
		for (int d = DIR_RX; d <= DIR_TX; d++) {
			cap_local &l = local[p][d];
			const cap_entry &e = want[p][d];
			if (l.serial == e.serial)
				continue;
			if (l.serial != 0)
				remove_local(l);
			if (e.serial == 0 || !rte_eth_dev_is_valid_port(p))
				continue;
			int ret = install_local(l, p, d, e);
			if (ret < 0)
				MPS_LOG(ERR, "capture: cannot install on port %u %s: %s\n", p,
						d == DIR_RX ? "rx" : "tx", strerror(-ret));
		}
	}
	if (self.slot >= 0)
		store(&cap->applied[self.slot], g);
}

void
take_part()
{
	uint64_t w = load(&self.sh->procs[self.slot].state);

	store(&cap->slot_gen[self.slot], slot_gen(w));
	store(&cap->seen[self.slot], (uint64_t)0);
	store(&cap->applied[self.slot], 1u);
	rte_atomic_thread_fence(rte_memory_order_seq_cst);
}

void
leave()
{
	if (self.slot >= 0 && cap != nullptr)
		store(&cap->applied[self.slot], 0u);
}

/* Whether the process in slot s takes part, is alive and lags gen. */
bool
lagging(unsigned int s, uint32_t gen)
{
	uint32_t a = load(&cap->applied[s]);

	if (a == 0 || static_cast<int32_t>(a - gen) >= 0)
		return false;
	uint64_t w = load(&self.sh->procs[s].state);
	return slot_gen(w) == load(&cap->slot_gen[s]) && slot_word_alive(self.sh, s, w);
}

/* Main: copy one worker's copy into the tool's pool and ring; cap_mutex held. */
void
relay_one(struct rte_mbuf *m)
{
	uint32_t k = m->hash.usr;
	uint16_t port = static_cast<uint16_t>(k >> 1);
	int dir = k & 1;

	if (port >= RTE_MAX_ETHPORTS || cap->entry[port][dir].serial == 0) {
		rte_pktmbuf_free(m);    /* capture over */
		return;
	}
	/* the tool frees its ring's leftovers with its pool */
	const cap_entry &e = cap->entry[port][dir];
	cap_stats &st = cap->stats[port][dir];
	struct rte_mbuf *c = rte_pktmbuf_copy(m, reinterpret_cast<struct rte_mempool *>(e.mp),
			0, UINT32_MAX);
	rte_pktmbuf_free(m);
	if (c == nullptr) {
		stat_add(&st.nombuf, 1);
	} else if (rte_ring_enqueue(reinterpret_cast<struct rte_ring *>(e.ring), c) == 0) {
		stat_add(&st.accepted, 1);
	} else {
		stat_add(&st.ringfull, 1);
		rte_pktmbuf_free(c);
	}
}

/* Main: move the forked workers' copies on to the tools; cap_mutex held. */
unsigned int
relay_pass()
{
	unsigned int moved = 0;

	for (unsigned int w = 0; w < RTE_MPS_MAX_WORKERS; w++) {
		auto *r = reinterpret_cast<struct rte_ring *>(cap->relay_ring[w]);
		struct rte_mbuf *m[CAPTURE_CHUNK];
		unsigned int n;

		if (r == nullptr)
			continue;
		while ((n = rte_ring_sc_dequeue_burst(r, reinterpret_cast<void **>(m),
				CAPTURE_CHUNK, nullptr)) != 0) {
			for (unsigned int i = 0; i < n; i++)
				relay_one(m[i]);
			moved += n;
		}
	}
	return moved;
}

bool
any_capture()
{
	for (auto &port : cap->entry)
		for (cap_entry &e : port)
			if (e.serial != 0)
				return true;
	return false;
}

uint32_t
relay_loop(void *)
{
	/* a tool's copies are not worth more than the forwarding they show */
	setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), 0);
	while (!cap_quit.load(std::memory_order_acquire)) {
		unsigned int moved;
		bool on;
		{
			mutex_guard lk(cap_mutex);
			moved = relay_pass();
			on = any_capture();
		}
		if (moved != 0)
			continue;
		if (on) {
			usleep(500);
		} else {
			struct timespec ts = { 0, 200000000 };
			futex(&cap->gen, FUTEX_WAIT, load(&cap->gen), &ts);
		}
	}
	return 0;
}

/* Primary: record a request, apply it everywhere, wait for everyone. */
int
handle_request(const pdump_request &req)
{
	uint16_t port;

	if (req.ver != PDUMP_V1 && req.ver != PDUMP_V2)
		return -EINVAL;
	if ((req.flags & RTE_PDUMP_FLAG_RXTX) == 0)
		return -EINVAL;
	if (req.op != PDUMP_ENABLE && req.op != PDUMP_DISABLE)
		return -EINVAL;
	char dev[RTE_DEV_NAME_MAX_LEN];
	memcpy(dev, req.device, sizeof(dev));
	dev[sizeof(dev) - 1] = '\0';
	if (rte_eth_dev_get_port_by_name(dev, &port) != 0)
		return -EINVAL;

	mutex_guard lk(cap_mutex);
	for (int d = DIR_RX; d <= DIR_TX; d++) {
		if (!(req.flags & (d == DIR_RX ? RTE_PDUMP_FLAG_RX : RTE_PDUMP_FLAG_TX)))
			continue;
		bool on = cap->entry[port][d].serial != 0;
		if (req.op == PDUMP_ENABLE && on)
			return -EEXIST;
		if (req.op == PDUMP_DISABLE && !on)
			return -EINVAL;
	}
	uint32_t gen = load(&cap->gen) + 1;
	store(&cap->gen, gen);    /* odd: changing */
	rte_atomic_thread_fence(rte_memory_order_seq_cst);
	for (int d = DIR_RX; d <= DIR_TX; d++) {
		if (!(req.flags & (d == DIR_RX ? RTE_PDUMP_FLAG_RX : RTE_PDUMP_FLAG_TX)))
			continue;
		cap_entry &e = cap->entry[port][d];
		if (req.op == PDUMP_DISABLE) {
			e = cap_entry{};
			continue;
		}
		e.serial = ++cap->serial;
		if (e.serial == 0)
			e.serial = ++cap->serial;
		e.queue = req.queue;
		e.ver = req.ver;
		e.snaplen = req.snaplen != 0 ? req.snaplen : UINT32_MAX;
		e.ring = reinterpret_cast<uint64_t>(req.ring);
		e.mp = reinterpret_cast<uint64_t>(req.mp);
		e.prm = reinterpret_cast<uint64_t>(req.prm);
		memset(&cap->stats[port][d], 0, sizeof(cap->stats[port][d]));
	}
	gen++;
	store(&cap->gen, gen);
	rte_atomic_thread_fence(rte_memory_order_seq_cst);
	futex(&cap->gen, FUTEX_WAKE, INT_MAX, nullptr);
	apply_local();

	/* forked workers have no thread to wake: a command reaches them */
	for (unsigned int s = 0; s < RTE_MPS_MAX_PROCS; s++) {
		const proc_slot &ps = self.sh->procs[s];
		if (lagging(s, gen) && ps.type == RTE_MPS_PROC_FORKED && ps.worker >= 0)
			cmd_send_capture(static_cast<unsigned int>(ps.worker));
	}
	uint64_t deadline = now_ns() + APPLY_WAIT_NS;
	for (unsigned int s = 0; s < RTE_MPS_MAX_PROCS; s++) {
		while (lagging(s, gen)) {
			if (now_ns() >= deadline) {
				MPS_LOG(WARNING, "capture: pid %d did not apply the change\n",
						(int)self.sh->procs[s].pid);
				break;
			}
			usleep(100);
		}
	}
	/* copies made before a disable never reach the freed ring */
	relay_pass();
	return 0;
}

int
pdump_handler(const struct rte_mp_msg *msg, const void *peer)
{
	struct rte_mp_msg reply;
	auto *resp = reinterpret_cast<pdump_response *>(reply.param);

	memset(&reply, 0, sizeof(reply));
	if (msg->len_param != sizeof(pdump_request)) {
		resp->err_value = -EINVAL;
	} else {
		pdump_request req;
		memcpy(&req, msg->param, sizeof(req));
		resp->ver = req.ver;
		resp->res_op = req.op;
		resp->err_value = handle_request(req);
		MPS_LOG(INFO, "capture: %s %.*s flags %#x: %d\n",
				req.op == PDUMP_ENABLE ? "enable" : "disable",
				(int)sizeof(req.device), req.device, req.flags, resp->err_value);
	}
	snprintf(reply.name, sizeof(reply.name), "%s", PDUMP_MP_NAME);
	reply.len_param = sizeof(*resp);
	return rte_mp_reply(&reply, static_cast<const char *>(peer));
}

/* Secondary: sleep on the generation word, apply each change. */
uint32_t
capture_thread(void *)
{
	while (!cap_quit.load(std::memory_order_acquire)) {
		uint32_t g = load(&cap->gen);
		uint32_t mine = load(&cap->applied[self.slot]);
		if (!(g & 1) && mine != g) {
			mutex_guard lk(cap_mutex);
			apply_local();
			continue;
		}
		struct timespec ts = { 0, 200000000 };
		futex(&cap->gen, FUTEX_WAIT, g, &ts);
	}
	return 0;
}

int
telemetry_capture(const char *, const char *, struct rte_tel_data *d)
{
	rte_tel_data_start_dict(d);
	if (cap == nullptr)
		return 0;
	rte_tel_data_add_dict_uint(d, "gen", load(&cap->gen));
	unsigned int parts = 0, lag = 0;
	uint32_t g = load(&cap->gen);
	struct rte_tel_data *seen = rte_tel_data_alloc();
	if (seen == nullptr)
		return -ENOMEM;
	rte_tel_data_start_dict(seen);
	for (unsigned int s = 0; s < RTE_MPS_MAX_PROCS; s++) {
		if (load(&cap->applied[s]) == 0)
			continue;
		uint64_t w = load(&self.sh->procs[s].state);
		if (slot_gen(w) != load(&cap->slot_gen[s]) || !slot_word_alive(self.sh, s, w))
			continue;
		parts++;
		lag += load(&cap->applied[s]) != g;
		char pid[16];
		snprintf(pid, sizeof(pid), "%d", (int)slot_pid(w));
		rte_tel_data_add_dict_uint(seen, pid, load(&cap->seen[s]));
	}
	rte_tel_data_add_dict_uint(d, "processes", parts);
	rte_tel_data_add_dict_uint(d, "lagging", lag);
	/* per live process taking part, by pid: packets its callbacks saw */
	rte_tel_data_add_dict_container(d, "seen", seen, 0);
	struct rte_tel_data *relay = rte_tel_data_alloc();
	if (relay == nullptr)
		return -ENOMEM;
	/* per forked worker: free copies in its pool, copies on the way to the main */
	rte_tel_data_start_dict(relay);
	for (unsigned int w = 0; w < RTE_MPS_MAX_WORKERS; w++) {
		if (load(&cap->relay_ring[w]) == 0)
			continue;
		char key[16];
		snprintf(key, sizeof(key), "%u_free", w);
		rte_tel_data_add_dict_uint(relay, key, rte_mempool_avail_count(
				reinterpret_cast<struct rte_mempool *>(cap->relay_pool[w])));
		snprintf(key, sizeof(key), "%u_queued", w);
		rte_tel_data_add_dict_uint(relay, key, rte_ring_count(
				reinterpret_cast<struct rte_ring *>(cap->relay_ring[w])));
	}
	rte_tel_data_add_dict_container(d, "relay", relay, 0);
	for (uint16_t p = 0; p < RTE_MAX_ETHPORTS; p++) {
		for (int dir = DIR_RX; dir <= DIR_TX; dir++) {
			const cap_stats &st = cap->stats[p][dir];
			uint32_t serial = load(&cap->entry[p][dir].serial);
			if (serial == 0 && load(&st.accepted) == 0)
				continue;
			struct rte_tel_data *c = rte_tel_data_alloc();
			if (c == nullptr)
				return -ENOMEM;
			rte_tel_data_start_dict(c);
			rte_tel_data_add_dict_int(c, "on", serial != 0);
			rte_tel_data_add_dict_uint(c, "packets", load(&st.accepted));
			rte_tel_data_add_dict_uint(c, "filtered", load(&st.filtered));
			rte_tel_data_add_dict_uint(c, "nombuf", load(&st.nombuf));
			rte_tel_data_add_dict_uint(c, "ringfull", load(&st.ringfull));
			char key[32];
			snprintf(key, sizeof(key), "port%u_%s", p, dir == DIR_RX ? "rx" : "tx");
			rte_tel_data_add_dict_container(d, key, c, 0);
		}
	}
	return 0;
}

RTE_INIT(mps_capture_telemetry)
{
	rte_telemetry_register_cmd("/mpsupport/capture", telemetry_capture,
			"Packet capture: entries, counters, processes. No parameters");
}

} /* namespace */

/* Fork handlers: no change is applied across a fork. */
void
capture_fork_prepare()
{
	pthread_mutex_lock(&cap_mutex);
}

void
capture_fork_parent()
{
	pthread_mutex_unlock(&cap_mutex);
}

void
capture_fork_child()
{
	pthread_mutex_init(&cap_mutex, nullptr);
	cap_thread_running = false;
}

/*
 * Forked worker, once registered: take part, then apply. The primary bumps
 * the generation before it looks for lagging processes, and this process
 * takes part before it reads the entries: a change is either seen here or
 * sent as a command, never lost between the fork and the attach.
 */
void
capture_forked_child(int worker, bool standby)
{
	my_worker = worker;
	relay_running = false;
	if (cap == nullptr)
		return;
	/* the main's callbacks came along; a worker copies through the relay */
	for (auto &port : local)
		for (cap_local &l : port)
			if (l.serial != 0)
				remove_local(l);
	/*
	 * A process forked for no worker (a fork server, a forked secondary)
	 * has no command ring nor relay to follow a change with: taking part,
	 * it would only make the primary wait for it at every change.
	 */
	if (worker < 0 || self.slot < 0) {
		cap = nullptr;
		cap_primary = false;
		return;
	}
	/*
	 * A parked standby polls no command: taking part, it would hold up
	 * every capture change. It takes part at its first command poll.
	 */
	if (standby) {
		capture_join_pending = true;
		return;
	}
	take_part();
	apply_local();
}

/* A woken standby, at its first command poll: take part in capture now. */
void
capture_join_standby()
{
	capture_join_pending = false;
	if (cap == nullptr || self.slot < 0)
		return;
	mutex_guard lk(cap_mutex);
	take_part();
	apply_local();
}

/*
 * Main, before forking a worker: its pool of copies and its ring to the
 * main, made once (a forked worker cannot make them), and the relay.
 */
void
capture_prepare_fork(int worker)
{
	char name[RTE_MEMZONE_NAMESIZE];

	if (cap == nullptr || self.forked || worker < 0 || cap->relay_ring[worker] != 0)
		return;
	snprintf(name, sizeof(name), "mps_cap_pool_%d", worker);
	struct rte_mempool *mp = rte_mempool_lookup(name);
	if (mp == nullptr)
		mp = rte_pktmbuf_pool_create_by_ops(name, RELAY_SIZE - 1, 0, 0,
				rte_pcapng_mbuf_size(RELAY_SNAPLEN), SOCKET_ID_ANY, "ring_mp_mc");
	snprintf(name, sizeof(name), "mps_cap_ring_%d", worker);
	struct rte_ring *r = rte_ring_lookup(name);
	if (r == nullptr)
		r = rte_ring_create(name, RELAY_SIZE, SOCKET_ID_ANY,
				RING_F_SP_ENQ | RING_F_SC_DEQ);
	if (mp == nullptr || r == nullptr) {
		MPS_LOG(WARNING, "capture: no relay for worker %d (%s): it will not capture\n",
				worker, rte_strerror(rte_errno));
		return;
	}
	mutex_guard lk(cap_mutex);
	cap->relay_pool[worker] = reinterpret_cast<uint64_t>(mp);
	store(&cap->relay_ring[worker], reinterpret_cast<uint64_t>(r));
	if (!relay_running && rte_thread_create_control(&relay_thread, "mps-cap-relay",
			relay_loop, nullptr) == 0) {
		relay_running = true;
		unpin_thread(relay_thread);    /* not on the forking lcore's CPU */
	}
}

/*
 * Main, once a worker is dead and before the next instance: give back what
 * it had reserved on the single sides it used and not finished, so that
 * the next one starts from a consistent ring.
 */
void
capture_reset(uint64_t mask)
{
	if (cap == nullptr)
		return;
	for (unsigned int w = 0; w < RTE_MPS_MAX_WORKERS; w++) {
		if (!(mask & (1ull << w)) || cap->relay_ring[w] == 0)
			continue;
		dpdk_ring_abort_sp(reinterpret_cast<struct rte_ring *>(cap->relay_ring[w]));
		struct rte_ring *pr = dpdk_pool_ring(
				reinterpret_cast<struct rte_mempool *>(cap->relay_pool[w]));
		if (pr != nullptr)
			dpdk_ring_abort_sc(pr);
	}
}

/* Worker side of RTE_MPS_CMD_CAPTURE. */
void
capture_apply_command()
{
	if (cap == nullptr)
		return;
	mutex_guard lk(cap_mutex);
	apply_local();
}

} /* namespace mps */

using namespace mps;

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_capture_init, 22.11)
int
rte_mps_capture_init(void)
{
	if (self.forked && my_worker >= 0)
		return fail(EPERM, "rte_mps_capture_init() called in a forked worker");
	/* the tools' rings and pools are made after the fork, in memory it lacks */
	if (self.forked)
		return fail(EPERM, "a forked secondary cannot take part in packet capture: "
				"the tools' rings and pools are in memory mapped after its fork");
	if (self.sh == nullptr || self.slot < 0)
		return fail(EINVAL, "mpsupport is not initialised");
	if (cap != nullptr)
		return 0;
	bool primary = rte_eal_process_type() == RTE_PROC_PRIMARY;
	const struct rte_memzone *mz = rte_memzone_lookup(CAPTURE_MZ);
	if (mz == nullptr && !primary)
		return fail(ENOENT, "memzone %s not found: the primary did not call "
				"rte_mps_capture_init()", CAPTURE_MZ);
	cap_shared *c;
	if (mz == nullptr) {
		mz = rte_memzone_reserve(CAPTURE_MZ, sizeof(cap_shared), SOCKET_ID_ANY, 0);
		if (mz == nullptr)
			return fail(ENOMEM, "cannot reserve memzone %s: %s", CAPTURE_MZ,
					rte_strerror(rte_errno));
		c = static_cast<cap_shared *>(mz->addr);
		memset(c, 0, sizeof(*c));
		c->version = CAPTURE_LAYOUT;
		c->size = sizeof(cap_shared);
		c->gen = 2;
		store(&c->magic, CAPTURE_MAGIC);
	} else {
		c = static_cast<cap_shared *>(mz->addr);
		if (mz->len < sizeof(cap_shared) || load(&c->magic) != CAPTURE_MAGIC ||
				c->version != CAPTURE_LAYOUT || c->size != sizeof(cap_shared))
			return fail(EPROTO, "memzone %s has another layout (version %u, "
					"size %u; expected %u, %zu)", CAPTURE_MZ, c->version,
					c->size, CAPTURE_LAYOUT, sizeof(cap_shared));
	}
	cap = c;
	cap_primary = primary;
	take_part();
	{
		mutex_guard lk(cap_mutex);
		apply_local();
	}
	if (primary) {
		/* the tools' requests come here, not to DPDK's handler */
		rte_mp_action_unregister(PDUMP_MP_NAME);
		if (rte_mp_action_register(PDUMP_MP_NAME, pdump_handler) < 0 &&
				rte_errno != ENOTSUP) {
			leave();
			cap = nullptr;
			return fail(rte_errno, "cannot register IPC action %s: %s",
					PDUMP_MP_NAME, rte_strerror(rte_errno));
		}
		return 0;
	}
	cap_quit.store(false);
	if (rte_thread_create_control(&cap_thread, "mps-capture", capture_thread,
			nullptr) != 0) {
		leave();
		cap = nullptr;
		return fail(ENOMEM, "cannot start the capture thread");
	}
	cap_thread_running = true;
	return 0;
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_capture_uninit, 22.11)
int
rte_mps_capture_uninit(void)
{
	if (cap == nullptr)
		return 0;
	if (cap_primary && !self.forked)
		rte_mp_action_unregister(PDUMP_MP_NAME);
	cap_quit.store(true, std::memory_order_release);
	futex(&cap->gen, FUTEX_WAKE, INT_MAX, nullptr);
	if (cap_thread_running) {
		rte_thread_join(cap_thread, nullptr);
		cap_thread_running = false;
	}
	if (relay_running) {
		rte_thread_join(relay_thread, nullptr);
		relay_running = false;
	}
	mutex_guard lk(cap_mutex);
	leave();
	for (auto &port : local)
		for (cap_local &l : port)
			if (l.serial != 0)
				remove_local(l);
	cap = nullptr;
	return 0;
}
