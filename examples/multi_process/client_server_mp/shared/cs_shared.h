/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/*
 * What mp_server and mp_client agree on: object names and the layout of the
 * memzone in which the server publishes its configuration and in which both
 * sides keep their counters.
 */

#ifndef CS_SHARED_H
#define CS_SHARED_H

#include <stdint.h>
#include <stdio.h>

#include <atomic>
#include <type_traits>

#include <rte_common.h>
#include <rte_ethdev.h>

#include "mp_common.h"
#include "mp_group.h"

namespace client_server {

constexpr const char *info_name = "mpcs_info";
constexpr const char *pool_name = "mpcs_mbuf_pool";
constexpr uint64_t info_magic = UINT64_C(0x31534350504d5343); /* "CSMPPCS1" */
constexpr uint32_t info_version = 3;
constexpr unsigned int max_clients = 32;
constexpr unsigned int ring_size = 8192;
/* The ring's usable capacity (one slot stays empty). */
constexpr unsigned int ring_capacity = ring_size - 1;

/* Name of client n's ring. */
static inline void
ring_name(char *buf, size_t len, unsigned int client)
{
	snprintf(buf, len, "mpcs_client_ring_%u", client);
}

/*
 * The server hands the client the input port's index inside the mbuf
 * pointer: mbufs are cache-line aligned, so the low bits are free. The
 * client then picks its output without reading the mbuf header, which is
 * still in the server core's cache.
 */
constexpr uintptr_t port_tag_mask = RTE_CACHE_LINE_SIZE - 1;
constexpr unsigned int max_ports = RTE_CACHE_LINE_SIZE;

/* Counters the server keeps per client (written by the server's main lcore). */
struct alignas(RTE_CACHE_LINE_SIZE) server_client_stats {
	std::atomic<uint64_t> enqueued;	/* handed to the client's ring */
	std::atomic<uint64_t> dropped;	/* ring full: freed by the server */
	std::atomic<uint64_t> drained;	/* left in the ring of a dead client: freed */
	std::atomic<uint64_t> exits;	/* instances that died without leaving */
	std::atomic<uint32_t> last_pid;	/* the last instance the server saw join */
};

/* Counters each client keeps (written by the client only). */
struct alignas(RTE_CACHE_LINE_SIZE) client_stats {
	std::atomic<uint64_t> rx;	/* taken from the ring */
	std::atomic<uint64_t> tx;	/* sent */
	std::atomic<uint64_t> drop;	/* refused by the device, freed */
};

/* Per-port counters of the server (written by the server only). */
struct alignas(RTE_CACHE_LINE_SIZE) server_port_stats {
	std::atomic<uint64_t> rx;
};

/*
 * Leaving handshake, so that a client stopping on a signal loses nothing:
 * the client sets leave = leave_req, the server stops feeding it and
 * answers leave_ack, the client empties its ring and releases its id.
 */
enum : uint32_t { leave_none = 0, leave_req = 1, leave_ack = 2 };

/*
 * Parking, so that the server can rebuild the pool after a client's death
 * (with librte_mpsupport, on ports whose drivers keep no mbuf): the server
 * sets park to a new round; each running client, between two bursts, sends
 * what it buffered, answers parked = round and waits until park changes.
 * A client stopped by SIGUSR1 holds nothing and answers park_idle.
 */
constexpr uint32_t park_idle = UINT32_MAX;

struct alignas(RTE_CACHE_LINE_SIZE) client_control {
	std::atomic<uint32_t> leave;
	std::atomic<uint32_t> parked;	/* last round answered, or park_idle */
};

/* Pool rebuilds after client deaths (written by the server only). */
struct alignas(RTE_CACHE_LINE_SIZE) pool_rebuild_stats {
	std::atomic<uint32_t> on;		/* rebuilds are done after deaths */
	std::atomic<uint64_t> rebuilds;
	std::atomic<uint64_t> given_back;	/* mbufs the dead clients held */
	std::atomic<uint64_t> copies;		/* extra copies of free mbufs dropped */
	std::atomic<uint64_t> deferred;		/* a client did not park in time */
	std::atomic<uint64_t> last_us;		/* the last rebuild, parking included */
};

/* A structure in shared memory. 8< */
/*
 * The memzone: server configuration plus everyone's counters. The server
 * constructs it in place (value-initialised, so every counter and slot
 * starts at zero) and stores magic last; never memset over its atomics.
 */
struct server_info {
	std::atomic<uint64_t> magic;
	uint32_t version;
	uint32_t num_clients;
	uint32_t nb_ports;
	uint32_t server_pid;
	uint16_t port_ids[max_ports];		/* port index -> port id */
	uint16_t paired[max_ports];		/* port index -> output port id */
	uint32_t client_lcore[max_clients];	/* lcore id each client runs on */
	mpc::owner_slot owner[max_clients];	/* pid of the client running id n */
	client_control ctl[max_clients];
	/* Set by the server when it stops: clients leave before it closes the ports. */
	alignas(RTE_CACHE_LINE_SIZE) std::atomic<uint32_t> stopping;
	alignas(RTE_CACHE_LINE_SIZE) std::atomic<uint32_t> park;	/* round, 0 for none */
	pool_rebuild_stats rebuild;
	server_client_stats server[max_clients];
	client_stats client[max_clients];
	server_port_stats port[max_ports];
};
static_assert(std::atomic<uint32_t>::is_always_lock_free, "server_info is shared memory");
static_assert(std::atomic<uint64_t>::is_always_lock_free, "server_info is shared memory");
static_assert(std::is_standard_layout<server_info>::value, "server_info is shared memory");
/* >8 End of a structure in shared memory. */

} /* namespace client_server */

/*
 * The client's code (mp_client/main.cpp), linked into both binaries: main()
 * of dpdk-mp_client calls it, and mp_server's fork server calls it in a
 * forked client.
 */
int mp_client_main(int argc, char **argv);

#endif /* CS_SHARED_H */
