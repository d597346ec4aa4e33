/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/*
 * Client/server multi-process: a client.
 *
 * A secondary process that creates nothing: it finds the server's memzone,
 * its own ring and the ports by name, takes packets from the ring in the
 * largest bursts available and sends each one out of the port paired with
 * the one it came in on, through its own TX queue, with buffered TX that is
 * flushed when a buffer fills or the ring runs dry. It may be killed and
 * started again at any time; the server carries on. What a client killed
 * while it holds packets held goes back to the pool when the server
 * rebuilds it (with librte_mpsupport and drivers that keep no mbuf), for
 * which the server parks the clients between two bursts. SIGUSR1 makes a
 * client stop itself (SIGSTOP) at the next point where it holds none, with
 * its counters up to date, for tests and demonstrations that kill it there.
 */

#include <errno.h>
#include <stddef.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atomic>
#include <string>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_memzone.h>
#include <rte_mempool.h>
#include <rte_mps_kill.h>
#include <rte_mpsupport.h>
#include <rte_prefetch.h>
#include <rte_ring.h>

#include "cs_shared.h"
#include "mp_common.h"
#include "mp_tx.h"
#include "mp_group.h"

namespace cs = client_server;

namespace {

/* As much as the ring can hold at once is the largest useful burst. */
constexpr unsigned int read_size = 512;

/* What this client found in the server's memzone, and who it is. */
struct client_state {
	cs::server_info *info;
	unsigned int id;
};

client_state client;

/* Set by SIGUSR1: stop at the next point where no packet is in hand. */
std::atomic<bool> pause_requested{false};
static_assert(std::atomic<bool>::is_always_lock_free, "set by a signal handler");

void
on_pause_signal(int)
{
	pause_requested.store(true, std::memory_order_relaxed);
}

unsigned int
parse_args(int argc, char **argv)
{
	unsigned long v = 0;
	bool have_id = false;
	int opt;

	opterr = 0;
	optind = 1;
	while ((opt = getopt(argc, argv, ":n:")) != -1) {
		switch (opt) {
		case 'n':
			if (have_id)
				mpc::fail("option '-n' given twice");
			if (mpc::parse_uint(optarg, cs::max_clients - 1, &v) != 0)
				mpc::fail("invalid client id '%s' (0..%u, below the server's -n)",
					  optarg, cs::max_clients - 1);
			have_id = true;
			break;
		default:
			mpc::reject_bad_option(opt, argv);
		}
	}
	mpc::reject_extra_args(argc, argv);
	if (!have_id)
		mpc::fail("missing -n CLIENT_ID; usage: %s [EAL options] -- -n CLIENT_ID",
			  mpc::app_name());
	return static_cast<unsigned int>(v);
}

/*
 * Whether the len bytes at addr, the server's memzone, hold a server_info of
 * this build that has a place for client id. Reads nothing beyond len.
 * @return 0, else -EPROTO (another layout) or -EINVAL (no such id), err saying which.
 */
int
check_server_info(const void *addr, size_t len, unsigned int id, std::string &err)
{
	const auto *info = static_cast<const cs::server_info *>(addr);
	constexpr size_t header = offsetof(cs::server_info, version) + sizeof(info->version);

	if (len < header) {
		err = mpc::format("memzone %s is %zu bytes, too short for its magic and version "
				  "(server from another build?)", cs::info_name, len);
		return -EPROTO;
	}
	if (info->magic.load(std::memory_order_acquire) != cs::info_magic ||
	    info->version != cs::info_version) {
		err = mpc::format("memzone %s has magic 0x%" PRIx64 " version %u, expected 0x%"
				  PRIx64 " version %u (server from another build?)", cs::info_name,
				  info->magic.load(std::memory_order_relaxed), info->version,
				  cs::info_magic, cs::info_version);
		return -EPROTO;
	}
	if (len < sizeof(cs::server_info)) {
		err = mpc::format("memzone %s is %zu bytes, expected %zu (server from another "
				  "build?)", cs::info_name, len, sizeof(cs::server_info));
		return -EPROTO;
	}
	/* What the client indexes its arrays with must be in range. */
	if (info->num_clients > cs::max_clients || info->nb_ports > cs::max_ports) {
		err = mpc::format("memzone %s has %u clients and %u ports, at most %u and %u "
				  "(server from another build?)", cs::info_name, info->num_clients,
				  info->nb_ports, cs::max_clients, cs::max_ports);
		return -EPROTO;
	}
	for (unsigned int i = 0; i < info->nb_ports; i++)
		if (info->paired[i] >= RTE_MAX_ETHPORTS) {
			err = mpc::format("memzone %s pairs port index %u with port %u, "
					  "not below %u (server from another build?)",
					  cs::info_name, i, info->paired[i], RTE_MAX_ETHPORTS);
			return -EPROTO;
		}
	if (id >= info->num_clients) {
		err = mpc::format("client id %u is not below the server's client count %u", id,
				  info->num_clients);
		return -EINVAL;
	}
	return 0;
}

/* Take our id: refuse it if a live client has it, wait for the server to
 * clean up after a dead one. */
void
claim_id()
{
	mpc::owner_slot &slot = client.info->owner[client.id];
	pid_t other = 0;

	for (int i = 0; i < 300; i++) {
		int ret = slot.claim(false, &other);
		if (ret == 0) {
			/* the pair of the server's fence after it asks to park */
			std::atomic_thread_fence(std::memory_order_seq_cst);
			return;
		}
		if (ret == -EBUSY)
			mpc::fail("client id %u is already running (pid %d)", client.id,
				  static_cast<int>(other));
		if (ret != -EAGAIN)
			mpc::fail("client id %u: cannot claim it: %s", client.id, strerror(-ret));
		rte_delay_ms(10);
	}
	mpc::fail("client id %u: the server has not released the exited pid %d within 3 s",
		  client.id, static_cast<int>(other));
}

/* One TX buffer per output port, and the counters they feed. */
struct client_tx {
	mpc::tx_buffer buf[cs::max_ports];	/* by input port index */
	unsigned int nb_ports;

	void flush_all()
	{
		for (unsigned int i = 0; i < nb_ports; i++)
			buf[i].flush();
	}
	/* Counters carry on from a previous instance of this id (base_*). */
	uint64_t base_tx;
	uint64_t base_drop;

	void publish(cs::client_stats &st, uint64_t rx)
	{
		uint64_t tx = base_tx, drop = base_drop;
		for (unsigned int i = 0; i < nb_ports; i++) {
			tx += buf[i].sent();
			drop += buf[i].dropped();
		}
		st.rx.store(rx, std::memory_order_relaxed);
		st.tx.store(tx, std::memory_order_relaxed);
		st.drop.store(drop, std::memory_order_relaxed);
	}
};

/*
 * Test hook of builds with kill points (-Dkill_points=true): with
 * MP_CLIENT_KILL_POINT=client_in_hand[:SKIP] in its environment, the client
 * stops itself (SIGSTOP) at that point after SKIP passes, for a test to
 * kill it there. Nothing in other builds.
 */
void
arm_kill_point()
{
#ifdef RTE_MPS_KILL_POINTS
	static struct rte_mps_kill_point kp;
	const char *env = getenv("MP_CLIENT_KILL_POINT");
	const char *name = "client_in_hand";
	unsigned long skip = 0;

	if (env == nullptr)
		return;
	const size_t len = strlen(name);
	if (strncmp(env, name, len) != 0 || (env[len] != '\0' && env[len] != ':') ||
	    (env[len] == ':' && mpc::parse_uint(env + len + 1, UINT32_MAX, &skip) != 0))
		mpc::fail("invalid MP_CLIENT_KILL_POINT '%s' (client_in_hand[:SKIP])", env);
	snprintf(kp.name, sizeof(kp.name), "%s", name);
	kp.skip = static_cast<uint32_t>(skip);
	if (rte_mps_kill_point_arm(&kp) != 0)
		mpc::fail("cannot arm kill point %s: %s", name, rte_strerror(rte_errno));
#endif
}

/* Rounds of parking answered (cs_shared.h). */
uint32_t last_round;

/*
 * Park while the server rebuilds the pool: everything buffered sent first,
 * nothing in hand, no call of the pool until the round ends. A SIGINT
 * meanwhile waits for the end of the round; the death of the server ends
 * the process.
 */
void
park_if_asked(client_tx &tx, cs::client_stats &st, uint64_t rx)
{
	cs::server_info *info = client.info;
	const uint32_t round = info->park.load(std::memory_order_seq_cst);

	if (likely(round == 0 || round == last_round))
		return;
	tx.flush_all();
	tx.publish(st, rx);
	info->ctl[client.id].parked.store(round, std::memory_order_release);
	while (info->park.load(std::memory_order_acquire) == round) {
		if (mpc::quit_requested())
			mpc::leave_if_orphaned();
		rte_pause();
	}
	last_round = round;
}

/* Client loop. 8< */
/*
 * Take what is in the ring, route each packet to the buffer of its output
 * port, send a buffer when full and everything when the ring is empty.
 * Returns the number of packets taken.
 */
inline unsigned int
poll_once(struct rte_ring *ring, client_tx &tx)
{
	void *objs[read_size];

	const unsigned int n = rte_ring_dequeue_burst(ring, objs, read_size, nullptr);
	if (n == 0) {
		tx.flush_all();
		return 0;
	}
	/* taken from the ring, in no TX buffer yet: only this process knows */
	RTE_MPS_KILL_POINT("client_in_hand");
	for (unsigned int k = 0; k < n; k++) {
		const uintptr_t v = reinterpret_cast<uintptr_t>(objs[k]);
		auto *m = reinterpret_cast<struct rte_mbuf *>(v & ~cs::port_tag_mask);
		/* Freeing the mbuf after sending reads both lines of its header,
		 * last written by the server's core: start fetching them now. */
		rte_prefetch0(m);
		rte_prefetch0(RTE_PTR_ADD(m, RTE_CACHE_LINE_SIZE));
		/* Buffer i holds the packets that arrived on port index i and
		 * leave on its pair. */
		tx.buf[v & cs::port_tag_mask].add(m);
	}
	return n;
}
/* >8 End of the client loop. */

} /* namespace */

/* Entry of the client, classic (main() in entry.cpp) or forked from mp_server. */
int
mp_client_main(int argc, char **argv)
{
	int ret = mpc::eal_init(argc, argv);
	argc -= ret;
	argv += ret;

	client.id = parse_args(argc, argv);
	if (!mpc::is_secondary())
		mpc::fail("mp_client must run as a secondary process: start mp_server first "
			  "(with the same --file-prefix)");

	const struct rte_memzone *mz = rte_memzone_lookup(cs::info_name);
	if (mz == nullptr)
		mpc::fail("no %s memzone: the primary is not mp_server", cs::info_name);
	std::string err;
	if (check_server_info(mz->addr, mz->len, client.id, err) != 0)
		mpc::fail("%s", err.c_str());
	cs::server_info *info = static_cast<cs::server_info *>(mz->addr);
	client.info = info;

	char name[RTE_RING_NAMESIZE];
	cs::ring_name(name, sizeof(name), client.id);
	struct rte_ring *ring = rte_ring_lookup(name);
	if (ring == nullptr)
		mpc::fail("cannot find ring %s", name);
	struct rte_mempool *pool = rte_mempool_lookup(cs::pool_name);
	if (pool == nullptr)
		mpc::fail("cannot find mbuf pool %s", cs::pool_name);

	/* Join the group: refuses lcores a live member runs on, and tells the
	 * server (over IPC) to watch us. */
	const int mps = mpc::group_join();
	/* Stop if the server dies; a server that stops tells us first. */
	mpc::watch_primary(mps == 0, [] {
		return client.info->stopping.load(std::memory_order_relaxed) != 0;
	});
	/* capture of the server's ports reaches what this client sends */
	mpc::capture_join(mps == 0);

	info->client_lcore[client.id] = rte_lcore_id();
	claim_id();
	info->ctl[client.id].leave.store(cs::leave_none, std::memory_order_release);

	static client_tx tx;
	tx.nb_ports = info->nb_ports;
	for (unsigned int i = 0; i < tx.nb_ports; i++)
		tx.buf[i].init(info->paired[i], static_cast<uint16_t>(client.id));
	cs::client_stats &st = info->client[client.id];
	tx.base_tx = st.tx.load(std::memory_order_relaxed);
	tx.base_drop = st.drop.load(std::memory_order_relaxed);
	uint64_t rx = st.rx.load(std::memory_order_relaxed);

	printf("mp_client %u (pid %d) forwarding on lcore %u\n", client.id,
	       static_cast<int>(getpid()), rte_lcore_id());
	fflush(stdout);

	arm_kill_point();
	struct sigaction sa = {};
	sa.sa_handler = on_pause_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, nullptr);

	while (!mpc::quit_requested() &&
	       !info->stopping.load(std::memory_order_relaxed)) {
		park_if_asked(tx, st, rx);
		rx += poll_once(ring, tx);
		tx.publish(st, rx);
		if (unlikely(pause_requested.exchange(false, std::memory_order_relaxed))) {
			/* Everything taken from the ring is sent or counted: nothing in hand. */
			tx.flush_all();
			tx.publish(st, rx);
			printf("mp_client %u (pid %d) holds no packet: stopping\n", client.id,
			       static_cast<int>(getpid()));
			fflush(stdout);
			/* parked for every round while stopped */
			info->ctl[client.id].parked.store(cs::park_idle, std::memory_order_seq_cst);
			raise(SIGSTOP);
			/* a round the server saw this answer to is waited out above */
			info->ctl[client.id].parked.store(0, std::memory_order_seq_cst);
			last_round = 0;
		}
	}

	/* Nobody to hand anything back to: one line, and out. */
	mpc::leave_if_orphaned();

	/* Ask the server to stop feeding us, then empty the ring. */
	info->ctl[client.id].leave.store(cs::leave_req, std::memory_order_release);
	const uint64_t deadline = rte_get_timer_cycles() + rte_get_timer_hz();
	while (info->ctl[client.id].leave.load(std::memory_order_acquire) != cs::leave_ack &&
	       rte_get_timer_cycles() < deadline) {
		park_if_asked(tx, st, rx);
		rx += poll_once(ring, tx);
	}
	unsigned int n;
	do {
		park_if_asked(tx, st, rx);
		n = poll_once(ring, tx);
		rx += n;
	} while (n != 0);
	tx.flush_all();
	tx.publish(st, rx);
	struct rte_mempool_cache *cache = rte_mempool_default_cache(pool, rte_lcore_id());
	if (cache != nullptr)
		rte_mempool_cache_flush(cache, pool);

	printf("\nClient %u (pid %d) statistics: rx %" PRIu64 " tx %" PRIu64 " drop %" PRIu64
	       "\n", client.id, static_cast<int>(getpid()), st.rx.load(std::memory_order_relaxed),
	       st.tx.load(std::memory_order_relaxed), st.drop.load(std::memory_order_relaxed));
	fflush(stdout);
	info->owner[client.id].release();
	mpc::capture_leave(mps == 0);
	if (mps == 0)
		rte_mps_fini();
	mpc::eal_cleanup();
	return 0;
}

RTE_MPS_FORKED_MAIN(mp_client, mp_client_main)
