/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/*
 * Client/server multi-process: the server.
 *
 * The primary process. It owns the ports (one RX queue each, one TX queue
 * per client), the mbuf pool and one ring per client, and publishes the
 * port configuration in a memzone so that clients need only their id. Its
 * main lcore receives from every port in turn and hands the packets out
 * round-robin to the rings of the clients that are running; a second
 * lcore, if there is one, prints statistics every second. A client that
 * dies is noticed through librte_mpsupport's exit notification: its ring is
 * emptied (the mbufs freed and counted) and its id becomes free again.
 * What it knows of the clients and the pool is also in telemetry, under
 * /mp_server/ (diagnostics.cpp).
 */

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atomic>
#include <new>
#include <string>
#include <vector>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_memzone.h>
#include <rte_mempool.h>
#include <rte_mpsupport.h>
#include <rte_ring.h>

#include "cs_shared.h"
#include "diagnostics.h"
#include "mp_common.h"
#include "mp_group.h"

namespace cs = client_server;

namespace {

constexpr unsigned int burst_size = 64;
constexpr unsigned int mbuf_cache = 512;

/* What the server owns, and its view of the clients (main lcore only). */
struct server_state {
	cs::server_info *info;
	struct rte_mempool *pool;
	struct rte_ring *rings[cs::max_clients];
	unsigned int active[cs::max_clients];	/* ids that get packets, in order */
	unsigned int nb_active;
	pid_t dead_pids[cs::max_clients];	/* exits reported, not yet handled */
	unsigned int nb_dead;
	bool exit_notify_ok;
	uint64_t seen_owner[cs::max_clients];	/* owner words at the last refresh */
	mpc::fork_server_links forks;		/* forked clients can be started */
	unsigned int link_checks;		/* refreshes since the last look */
	unsigned int refresh_count;		/* for polling /proc without mpsupport */
	bool rebuild_ok;			/* the pool can be rebuilt after a death */
	bool rebuild_due;			/* a client died since the last rebuild */
	uint32_t park_round;			/* the last round of parking */
	uint64_t rebuild_not_before;		/* timer cycles, after a deferral */
};

server_state server;

/* The command line after "--". */
struct app_options {
	uint64_t portmask = 0;
	unsigned int num_clients = 0;
};

app_options
parse_args(int argc, char **argv)
{
	app_options a;
	std::vector<int> seen;
	unsigned long v;
	int opt;

	opterr = 0;
	optind = 1;
	while ((opt = getopt(argc, argv, ":p:n:")) != -1) {
		if (opt == 'p' || opt == 'n')
			mpc::reject_repeat(seen, opt, opt == 'p' ? "-p" : "-n");
		switch (opt) {
		case 'p':
			if (mpc::parse_portmask(optarg, &a.portmask) != 0)
				mpc::fail("invalid portmask '%s' (hexadecimal, non-zero)", optarg);
			break;
		case 'n':
			if (mpc::parse_uint(optarg, cs::max_clients, &v) != 0 || v == 0)
				mpc::fail("invalid number of clients '%s' (1..%u)", optarg,
					  cs::max_clients);
			a.num_clients = static_cast<unsigned int>(v);
			break;
		default:
			mpc::reject_bad_option(opt, argv);
		}
	}
	mpc::reject_extra_args(argc, argv);
	if (a.portmask == 0 || a.num_clients == 0)
		mpc::fail("missing %s; usage: %s [EAL options] -- -p PORTMASK -n NUM_CLIENTS",
			  a.portmask == 0 ? "-p PORTMASK" : "-n NUM_CLIENTS", mpc::app_name());
	return a;
}

/* Pool, rings, ports and the info memzone. */
void
init(const app_options &a, const std::vector<uint16_t> &ports)
{
	/* Construct the shared structure in its memzone. 8< */
	const struct rte_memzone *mz = rte_memzone_reserve(cs::info_name, sizeof(cs::server_info),
							    rte_socket_id(), 0);
	if (mz == nullptr)
		mpc::fail("cannot reserve memzone %s: %s", cs::info_name,
			  rte_strerror(rte_errno));
	cs::server_info *info = new (mz->addr) cs::server_info();
	server.info = info;
	/* >8 End of constructing the shared structure. */

	const unsigned int nb_ports = static_cast<unsigned int>(ports.size());
	/* RX and TX rings of the ports, the client rings, every lcore cache. */
	const unsigned int nb_mbufs = nb_ports * (1 + a.num_clients) * 1024 +
		a.num_clients * cs::ring_size + (a.num_clients + 2) * mbuf_cache * 2 + 8192;
	server.pool = rte_pktmbuf_pool_create(cs::pool_name, nb_mbufs, mbuf_cache, 0,
					      RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
	if (server.pool == nullptr)
		mpc::fail("cannot create mbuf pool %s (%u mbufs): %s", cs::pool_name, nb_mbufs,
			  rte_strerror(rte_errno));

	for (unsigned int c = 0; c < a.num_clients; c++) {
		char name[RTE_RING_NAMESIZE];
		cs::ring_name(name, sizeof(name), c);
		server.rings[c] = rte_ring_create(name, cs::ring_size, rte_socket_id(),
						  RING_F_SP_ENQ | RING_F_SC_DEQ);
		if (server.rings[c] == nullptr)
			mpc::fail("cannot create ring %s: %s", name, rte_strerror(rte_errno));
	}

	/* One RX queue read by the server, one TX queue per client. */
	for (uint16_t port : ports) {
		std::string err;
		if (mpc::port_init(port, server.pool, 1, static_cast<uint16_t>(a.num_clients),
				   err) != 0)
			mpc::fail("%s", err.c_str());
	}

	for (unsigned int i = 0; i < nb_ports; i++) {
		info->port_ids[i] = ports[i];
		info->paired[i] = ports[mpc::paired_index(i)];
	}
	info->nb_ports = nb_ports;
	info->num_clients = a.num_clients;
	info->server_pid = static_cast<uint32_t>(getpid());
	info->version = cs::info_version;
	/* Written last: a client that sees the magic sees the rest. */
	info->magic.store(cs::info_magic, std::memory_order_release);
}

/*
 * The driver of the first port that may keep mbufs between calls (whose
 * mbufs a pool rebuild would take), or nullptr. Only net_null is known to
 * keep none.
 */
const char *
driver_keeping_mbufs(const std::vector<uint16_t> &ports)
{
	for (uint16_t p : ports) {
		struct rte_eth_dev_info di;
		if (rte_eth_dev_info_get(p, &di) != 0)
			return "a port without device information";
		if (strcmp(di.driver_name, "net_null") != 0)
			return di.driver_name;
	}
	return nullptr;
}

/* Exit callback (deferred: runs on the main lcore from refresh_clients). */
void
on_member_exit(const struct rte_mps_exit_info *ei, void *arg)
{
	RTE_SET_USED(arg);
	if (server.nb_dead < cs::max_clients)
		server.dead_pids[server.nb_dead++] = ei->pid;
}

/* Free mbufs whose pointers carry a port tag. */
void
drop_tagged(void **objs, unsigned int n)
{
	for (unsigned int k = 0; k < n; k++)
		objs[k] = reinterpret_cast<void *>(reinterpret_cast<uintptr_t>(objs[k]) &
						   ~cs::port_tag_mask);
	rte_pktmbuf_free_bulk(reinterpret_cast<struct rte_mbuf **>(objs), n);
}

/* Free what a dead client left behind and make its id available. */
void
recycle_client(unsigned int c)
{
	cs::server_info *info = server.info;
	void *objs[burst_size];
	unsigned int n, total = 0;
	const uint64_t word = info->owner[c].word();

	/*
	 * A client killed inside its dequeue left what it was taking in the
	 * ring, behind the consumer head: take it back, and free it below.
	 */
	rte_mps_ring_consumer_reset(server.rings[c]);
	while ((n = rte_ring_dequeue_burst(server.rings[c], objs, burst_size, nullptr)) != 0) {
		drop_tagged(objs, n);
		total += n;
	}
	/*
	 * The free mbufs in the dead client's mempool cache must go back too.
	 * With mpsupport, reclaiming the dead member's lcore does that (on the
	 * library's thread: flushing here as well would race with it).
	 */
	if (!server.exit_notify_ok) {
		struct rte_mempool_cache *cache =
			rte_mempool_default_cache(server.pool, info->client_lcore[c]);
		if (cache != nullptr)
			rte_mempool_cache_flush(cache, server.pool);
	}
	mpc::counter_add(info->server[c].drained, total);
	mpc::counter_add(info->server[c].exits, 1);
	info->ctl[c].leave.store(cs::leave_none, std::memory_order_relaxed);
	info->ctl[c].parked.store(0, std::memory_order_relaxed);
	server.rebuild_due = server.rebuild_ok;
	info->owner[c].release_word(word);
	printf("mp_server: client %u (pid %d) exited; %u packets in its ring freed\n", c,
	       static_cast<int>(mpc::owner_slot::pid_of(word)), total);
	fflush(stdout);
}

/* Telemetry's /mp_server/mbufs says whether rebuilds are done. */
void
info_rebuild_on(bool on)
{
	server.info->rebuild.on.store(on ? 1 : 0, std::memory_order_relaxed);
}

/* A bound on the parking of every client, and the pause after it failed. */
constexpr unsigned int park_wait_ms = 1000;

/* The mbufs queued in ring r, left in it (whose consumer is parked). */
void
ring_contents(struct rte_ring *r, std::vector<void *> &out)
{
	void *objs[cs::ring_size];
	const unsigned int n = rte_ring_dequeue_bulk(r, objs, rte_ring_count(r), nullptr);

	for (unsigned int k = 0; k < n; k++)
		out.push_back(reinterpret_cast<void *>(reinterpret_cast<uintptr_t>(objs[k]) &
						       ~cs::port_tag_mask));
	if (n != 0 && rte_ring_enqueue_bulk(r, objs, n, nullptr) != n)
		mpc::fail("cannot put %u mbufs back into a client ring", n);
}

/* Try the rebuild again in a second. */
void
defer_rebuild(const char *why)
{
	const uint64_t hz = rte_get_timer_hz();

	mpc::counter_add(server.info->rebuild.deferred, 1);
	server.rebuild_not_before = rte_get_timer_cycles() + park_wait_ms * hz / 1000;
	printf("mp_server: pool rebuild deferred: %s\n", why);
	fflush(stdout);
}

/*
 * After a client's death: park every running client, then rebuild the pool
 * with what the rings hold, so that what the dead client held privately
 * (packets in hand, its TX buffers) goes back, and whatever it left half
 * done in the pool is undone. Main lcore, holding no mbuf.
 */
void
rebuild_pool()
{
	cs::server_info *info = server.info;
	cs::pool_rebuild_stats &rs = info->rebuild;
	const uint64_t hz = rte_get_timer_hz();
	const uint64_t start = rte_get_timer_cycles();

	if (start < server.rebuild_not_before)
		return;
	uint32_t round = server.park_round + 1;
	if (round == 0 || round == cs::park_idle)
		round = 1;
	server.park_round = round;
	info->park.store(round, std::memory_order_seq_cst);
	/*
	 * A client claims its id, then reads park; the server stores park,
	 * then reads the ids: with a full fence on each side, a client that
	 * joins now either parks or is seen here.
	 */
	std::atomic_thread_fence(std::memory_order_seq_cst);
	bool all;
	do {
		all = true;
		for (unsigned int c = 0; c < info->num_clients && all; c++) {
			const uint64_t w = info->owner[c].word();
			/* a dead one holds nothing the rebuild does not take back */
			if (w == 0 || !mpc::owner_slot::word_alive(w))
				continue;
			const uint32_t p = info->ctl[c].parked.load(std::memory_order_seq_cst);
			all = p == round || p == cs::park_idle;
		}
		if (!all)
			rte_pause();
	} while (!all && rte_get_timer_cycles() - start < park_wait_ms * hz / 1000);
	if (!all) {
		info->park.store(0, std::memory_order_release);
		defer_rebuild("a client did not park within 1 s");
		return;
	}
	/*
	 * A client that died unseen, before or during the parking: its ring
	 * first, as its exit would (a dequeue it cut off taken back).
	 */
	for (unsigned int c = 0; c < info->num_clients; c++) {
		const uint64_t w = info->owner[c].word();
		if (w != 0 && !mpc::owner_slot::word_alive(w))
			recycle_client(c);
	}
	std::vector<void *> held;
	for (unsigned int c = 0; c < info->num_clients; c++)
		ring_contents(server.rings[c], held);
	struct rte_mps_audit a;
	const int n = rte_mps_mempool_rebuild(server.pool, held.data(),
					      static_cast<unsigned int>(held.size()), &a);
	info->park.store(0, std::memory_order_release);
	if (n == -EBUSY) {
		defer_rebuild(rte_mps_strerror());
		return;
	}
	server.rebuild_due = false;
	if (n == -EIO)
		mpc::fail("the pool rebuild left the pool empty: %s", rte_mps_strerror());
	if (n < 0) {
		server.rebuild_ok = false;
		info_rebuild_on(false);
		printf("mp_server: cannot rebuild the pool: %s; no more rebuilds\n",
		       rte_mps_strerror());
		fflush(stdout);
		return;
	}
	const uint64_t us = (rte_get_timer_cycles() - start) * 1000000 / hz;
	mpc::counter_add(rs.rebuilds, 1);
	mpc::counter_add(rs.given_back, a.unaccounted);
	mpc::counter_add(rs.copies, a.surplus);
	rs.last_us.store(us, std::memory_order_relaxed);
	printf("mp_server: pool rebuilt: %u mbufs the exited clients held given back, "
	       "%u copies dropped, %u queued kept (%" PRIu64 " us)\n", a.unaccounted,
	       a.surplus, a.in_lists, us);
	fflush(stdout);
}

/*
 * Every millisecond: handle client exits, answer clients that leave, and
 * rebuild the list of clients to feed.
 */
void
refresh_clients()
{
	cs::server_info *info = server.info;
	const unsigned int num_clients = info->num_clients;

	if (server.exit_notify_ok) {
		rte_mps_exit_notify_poll();
		/*
		 * An exit can be reported while the process is still a zombie
		 * that /proc shows alive: keep such a pid and look again on the
		 * next round, so that no exit is forgotten.
		 */
		unsigned int keep = 0;
		for (unsigned int d = 0; d < server.nb_dead; d++) {
			bool pending = false;
			for (unsigned int c = 0; c < num_clients; c++) {
				const uint64_t w = info->owner[c].word();
				if (w == 0 || mpc::owner_slot::pid_of(w) != server.dead_pids[d])
					continue;
				if (mpc::owner_slot::word_alive(w))
					pending = true;
				else
					recycle_client(c);
			}
			if (pending)
				server.dead_pids[keep++] = server.dead_pids[d];
		}
		server.nb_dead = keep;
	} else if (++server.refresh_count % 100 == 0) {
		/* Without the library, look at /proc ten times a second. */
		for (unsigned int c = 0; c < num_clients; c++) {
			const uint64_t w = info->owner[c].word();
			if (w != 0 && !mpc::owner_slot::word_alive(w))
				recycle_client(c);
		}
	}

	server.nb_active = 0;
	bool idle = true;
	for (unsigned int c = 0; c < num_clients; c++) {
		const uint64_t w = info->owner[c].word();
		if (w != server.seen_owner[c] && w != 0) {
			const pid_t pid = mpc::owner_slot::pid_of(w);
			info->server[c].last_pid.store(static_cast<uint32_t>(pid),
						       std::memory_order_relaxed);
			printf("mp_server: client %u (pid %d) joined\n", c, static_cast<int>(pid));
			fflush(stdout);
		}
		server.seen_owner[c] = w;
		if (w == 0)
			continue;
		idle = false;
		uint32_t leave = info->ctl[c].leave.load(std::memory_order_acquire);
		if (leave == cs::leave_req) {
			/* No more packets for it from now on. */
			info->ctl[c].leave.store(cs::leave_ack, std::memory_order_release);
			continue;
		}
		if (leave == cs::leave_none)
			server.active[server.nb_active++] = c;
	}
	if (server.rebuild_due)
		rebuild_pool();
	/*
	 * Only with no client can this lcore take the whole pool to count it,
	 * and not while a rebuild is still due (deferred).
	 */
	cs::serve_pool_check(server.pool, idle && !server.rebuild_due);
}

/* Distribution loop. 8< */
/* Receive from every port in turn; deal the packets out to the clients. */
void
distribute_loop()
{
	cs::server_info *info = server.info;
	struct rte_mbuf *pkts[burst_size];
	void *stage[cs::max_clients][burst_size];
	unsigned int staged[cs::max_clients] = {};
	unsigned int rr = 0;
	const unsigned int nb_ports = info->nb_ports;
	const uint64_t refresh_period = rte_get_tsc_hz() / 1000;
	uint64_t next_refresh = 0;

	while (!mpc::quit_requested()) {
		const uint64_t now = rte_rdtsc();
		if (now >= next_refresh) {
			refresh_clients();
			next_refresh = now + refresh_period;
			/* Fewer clients now: restart the deal inside the list. */
			if (rr >= server.nb_active)
				rr = 0;
			if (server.forks.on && ++server.link_checks % 64 == 0)
				mpc::refresh_fork_server(server.forks, "mp_server", "clients",
							 server.info->port_ids,
							 server.info->nb_ports);
		}
		/* With no client running, leave the packets in the ports. */
		if (server.nb_active == 0) {
			rte_pause();
			continue;
		}

		for (unsigned int i = 0; i < nb_ports; i++) {
			const uint16_t nb_rx = rte_eth_rx_burst(info->port_ids[i], 0, pkts,
								burst_size);
			if (nb_rx == 0)
				continue;
			mpc::counter_add(info->port[i].rx, nb_rx);

			/* Round-robin, packet by packet; the port index rides in the pointer. */
			for (unsigned int k = 0; k < nb_rx; k++) {
				const unsigned int c = server.active[rr];
				rr = rr + 1 == server.nb_active ? 0 : rr + 1;
				const uintptr_t tagged = reinterpret_cast<uintptr_t>(pkts[k]) | i;
				stage[c][staged[c]++] = reinterpret_cast<void *>(tagged);
			}
			for (unsigned int a = 0; a < server.nb_active; a++) {
				const unsigned int c = server.active[a];
				const unsigned int n = staged[c];
				if (n == 0)
					continue;
				struct rte_ring *ring = server.rings[c];
				const unsigned int done = rte_ring_enqueue_burst(ring, stage[c], n,
										 nullptr);
				mpc::counter_add(info->server[c].enqueued, done);
				if (unlikely(done < n)) {
					/* Ring full: drop and count, never leak. */
					drop_tagged(stage[c] + done, n - done);
					mpc::counter_add(info->server[c].dropped, n - done);
				}
				staged[c] = 0;
			}
		}
	}
}
/* >8 End of the distribution loop. */

void
print_stats(FILE *out)
{
	const cs::server_info *info = server.info;

	fprintf(out, "PORTS\n");
	for (unsigned int i = 0; i < info->nb_ports; i++) {
		struct rte_eth_stats st;
		memset(&st, 0, sizeof(st));
		rte_eth_stats_get(info->port_ids[i], &st);
		fprintf(out, "  port %u: rx %" PRIu64 " (server %" PRIu64 ") tx %" PRIu64
			" rx-missed %" PRIu64 "\n", info->port_ids[i], st.ipackets,
			info->port[i].rx.load(std::memory_order_relaxed), st.opackets, st.imissed);
	}
	fprintf(out, "CLIENTS\n");
	for (unsigned int c = 0; c < info->num_clients; c++) {
		const uint64_t w = info->owner[c].word();
		const cs::server_client_stats &sc = info->server[c];
		const cs::client_stats &cc = info->client[c];
		fprintf(out, "  client %u: enqueued %" PRIu64 " dropped %" PRIu64 " drained %" PRIu64
			" | client rx %" PRIu64 " tx %" PRIu64 " drop %" PRIu64 " | %s",
			c, sc.enqueued.load(std::memory_order_relaxed),
			sc.dropped.load(std::memory_order_relaxed),
			sc.drained.load(std::memory_order_relaxed),
			cc.rx.load(std::memory_order_relaxed),
			cc.tx.load(std::memory_order_relaxed),
			cc.drop.load(std::memory_order_relaxed), w ? "pid " : "not running\n");
		if (w)
			fprintf(out, "%d\n", static_cast<int>(mpc::owner_slot::pid_of(w)));
	}
	fflush(out);
}

/* Second lcore: statistics once a second. */
int
stats_lcore(void *arg)
{
	RTE_SET_USED(arg);
	uint64_t next = rte_get_timer_cycles();
	const uint64_t hz = rte_get_timer_hz();

	while (!mpc::quit_requested()) {
		if (rte_get_timer_cycles() < next) {
			rte_delay_ms(10);
			continue;
		}
		next += hz;
		printf("\n== mp_server statistics ==\n");
		print_stats(stdout);
	}
	return 0;
}

} /* namespace */

int
main(int argc, char **argv)
{
	mpc::app_identity identity;
	identity.primary_only = "mp_server must be the primary process: it creates what its "
		"clients attach to (no --proc-type=secondary)";
	int ret = mpc::eal_init(argc, argv, identity);
	argc -= ret;
	argv += ret;

	const app_options a = parse_args(argc, argv);
	mpc::require_shared_memory();
	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		mpc::fail("mp_server must be the primary process (another primary runs with this "
			  "--file-prefix)");

	const std::vector<uint16_t> ports = mpc::paired_ports(a.portmask);
	if (ports.size() > cs::max_ports)
		mpc::fail("portmask 0x%" PRIx64 " selects %zu ports; at most %u", a.portmask,
			  ports.size(), cs::max_ports);

	const int mps = mpc::group_join();

	init(a, ports);
	cs::register_telemetry(server.info, server.pool, server.rings);
	/* dpdk-dumpcap -i <port> now captures here and in every client */
	mpc::capture_join(mps == 0);

	/* Learn of every secondary's exit as it happens. */
	if (mps == 0 && rte_mps_exit_notify_register(RTE_MPS_PID_MEMBERS, RTE_MPS_NOTIFY_DEFER,
						     on_member_exit, nullptr) >= 0)
		server.exit_notify_ok = true;
	printf("mp_server: %u clients, %zu ports, client exits seen by %s\n", a.num_clients,
	       ports.size(),
	       server.exit_notify_ok ? "mpsupport exit notification" : "polling /proc");
	const char *holder = driver_keeping_mbufs(ports);
	server.rebuild_ok = server.exit_notify_ok && holder == nullptr;
	info_rebuild_on(server.rebuild_ok);
	if (server.rebuild_ok)
		printf("mp_server: the pool is rebuilt after each client exit\n");
	else
		printf("mp_server: the pool is not rebuilt after a client exit (%s): what a "
		       "killed client holds is lost\n",
		       holder != nullptr ? holder : "no mpsupport exit notification");
	fflush(stdout);

	/* Ports started, pool and rings made: clients may now be forked from here. */
	if (mps == 0)
		mpc::start_fork_server(server.forks, "mp_server", "clients", server.info->port_ids,
				       server.info->nb_ports);
	else
		printf("mp_server: no fork server without mpsupport: clients are classic "
		       "secondaries\n");
	fflush(stdout);

	const unsigned int stats_id = rte_get_next_lcore(rte_lcore_id(), 1, 0);
	const bool have_stats = stats_id < RTE_MAX_LCORE;
	if (have_stats)
		rte_eal_remote_launch(stats_lcore, nullptr, stats_id);

	distribute_loop();

	/* Closing the ports under running clients would crash them: let them leave. */
	server.info->stopping.store(1, std::memory_order_release);
	const uint64_t deadline = rte_get_timer_cycles() + 3 * rte_get_timer_hz();
	unsigned int running;
	do {
		refresh_clients();
		running = 0;
		for (unsigned int c = 0; c < a.num_clients; c++)
			running += server.info->owner[c].word() != 0;
		if (running != 0)
			rte_delay_ms(1);
	} while (running != 0 && rte_get_timer_cycles() < deadline);

	if (have_stats)
		rte_eal_wait_lcore(stats_id);
	printf("\n== mp_server final statistics ==\n");
	print_stats(stdout);
	/*
	 * Every mbuf is free again, once, unless a client died holding some.
	 * DPDK's count cannot go above the size: count each mbuf instead, which
	 * only this lcore may do, once no client uses the pool.
	 */
	if (running == 0) {
		uint64_t distinct, duplicates;
		cs::count_free_mbufs(server.pool, distinct, duplicates);
		printf("mbufs: %" PRIu64 " of %u free, %" PRIu64 " missing, %" PRIu64
		       " freed twice\n", distinct, server.pool->size,
		       server.pool->size - distinct, duplicates);
	} else {
		printf("mbufs: %u clients still run, not counted; DPDK counts %u of %u free\n",
		       running, rte_mempool_avail_count(server.pool), server.pool->size);
	}
	mpc::capture_leave(mps == 0);
	if (mps == 0) {
		rte_mps_fork_server_stop();
		rte_mps_fini();
	}
	rte_eal_cleanup();
	return 0;
}
