/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/*
 * Symmetric multi-process forwarding.
 *
 * N identical processes share every port: each port has N RX and N TX
 * queues, and process I polls RX queue I of every port and sends what it
 * gets on TX queue I of the paired port (0<->1, 2<->3, ...). The primary
 * creates the mbuf pool, configures the ports and records N and the port
 * mask in a memzone; secondaries look everything up by name and refuse to
 * run with values that differ from the primary's.
 *
 * The primary also starts a fork server: a secondary started with
 * --forked runs this same code forked from a copy of the primary, at the
 * primary's addresses, without mapping anything (see the programmer's
 * guide, "Forked Secondaries").
 */

#include <errno.h>
#include <stddef.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <new>
#include <string>
#include <vector>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_memzone.h>
#include <rte_mempool.h>
#include <rte_mpsupport.h>

#include "mp_common.h"
#include "mp_group.h"

namespace {

constexpr const char *pool_name = "smp_mbuf_pool";
constexpr const char *config_name = "smp_config";
constexpr uint64_t config_magic = UINT64_C(0x31504d5f504d5953); /* "SYMP_MP1" */
constexpr uint32_t config_version = 2;
constexpr unsigned int max_procs = 64;
constexpr unsigned int burst_size = 256;
constexpr unsigned int mbuf_cache = 512;
constexpr unsigned int tx_retries = 64;

/*
 * What the primary records for every process of the group, in a memzone.
 * Constructed there with placement new: never memset over its atomics.
 */
struct group_config {
	uint64_t magic;
	uint32_t version;
	uint32_t num_procs;
	uint64_t portmask;
	std::atomic<uint32_t> ready;	/* ports configured and started */
	std::atomic<uint32_t> handed_over;	/* the primary left the ports to the others */
	uint32_t nb_ports;
	mpc::owner_slot procs[max_procs];	/* who runs each proc-id */
};
static_assert(std::atomic<uint32_t>::is_always_lock_free, "group_config is shared memory");
static_assert(std::is_standard_layout<group_config>::value, "group_config is shared memory");

/* The command line after "--". */
struct app_options {
	uint64_t portmask = 0;
	unsigned int num_procs = 0;
	unsigned int proc_id = 0;
	bool have_proc_id = false;
};

void
usage_fail(const char *why)
{
	mpc::fail("%s; usage: %s [EAL options] -- -p PORTMASK --num-procs N --proc-id I",
		  why, mpc::app_name());
}

app_options
parse_args(int argc, char **argv)
{
	enum { OPT_NUM_PROCS = 256, OPT_PROC_ID };
	static const struct option longopts[] = {
		{"num-procs", required_argument, nullptr, OPT_NUM_PROCS},
		{"proc-id", required_argument, nullptr, OPT_PROC_ID},
		{nullptr, 0, nullptr, 0},
	};
	app_options a;
	std::vector<int> seen;
	unsigned long v;
	int opt;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":p:", longopts, nullptr)) != -1) {
		switch (opt) {
		case 'p':
			mpc::reject_repeat(seen, opt, "-p");
			if (mpc::parse_portmask(optarg, &a.portmask) != 0)
				mpc::fail("invalid portmask '%s' (hexadecimal, non-zero)", optarg);
			break;
		case OPT_NUM_PROCS:
			mpc::reject_repeat(seen, opt, "--num-procs");
			if (mpc::parse_uint(optarg, max_procs, &v) != 0 || v == 0)
				mpc::fail("invalid --num-procs '%s' (1..%u)", optarg, max_procs);
			a.num_procs = static_cast<unsigned int>(v);
			break;
		case OPT_PROC_ID:
			mpc::reject_repeat(seen, opt, "--proc-id");
			if (mpc::parse_uint(optarg, max_procs - 1, &v) != 0)
				mpc::fail("invalid --proc-id '%s' (0..%u)", optarg, max_procs - 1);
			a.proc_id = static_cast<unsigned int>(v);
			a.have_proc_id = true;
			break;
		default:
			mpc::reject_bad_option(opt, argv);
		}
	}
	mpc::reject_extra_args(argc, argv);
	if (a.portmask == 0)
		usage_fail("missing -p PORTMASK");
	if (a.num_procs == 0)
		usage_fail("missing --num-procs");
	if (!a.have_proc_id)
		usage_fail("missing --proc-id");
	if (a.proc_id >= a.num_procs)
		mpc::fail("--proc-id %u is not below --num-procs %u", a.proc_id, a.num_procs);
	return a;
}

/* Port initialisation. 8< */
/* Primary: create the pool, configure every port with one queue pair per process. */
struct rte_mempool *
primary_init(const app_options &a, const std::vector<uint16_t> &ports, group_config **cfg_out)
{
	const struct rte_memzone *mz = rte_memzone_reserve(config_name, sizeof(group_config),
							    rte_socket_id(), 0);
	if (mz == nullptr)
		mpc::fail("cannot reserve memzone %s: %s", config_name, rte_strerror(rte_errno));
	auto *cfg = new (mz->addr) group_config();
	cfg->magic = config_magic;
	cfg->version = config_version;
	cfg->num_procs = a.num_procs;
	cfg->portmask = a.portmask;
	cfg->nb_ports = static_cast<uint32_t>(ports.size());

	/* Enough mbufs for every RX and TX ring plus every lcore cache. */
	const unsigned int nb_ports = static_cast<unsigned int>(ports.size());
	const unsigned int nb_mbufs = nb_ports * a.num_procs * 2 * 1024 +
		a.num_procs * mbuf_cache * 2 + 8192;
	struct rte_mempool *pool = rte_pktmbuf_pool_create(pool_name, nb_mbufs, mbuf_cache, 0,
							   RTE_MBUF_DEFAULT_BUF_SIZE,
							   rte_socket_id());
	if (pool == nullptr)
		mpc::fail("cannot create mbuf pool %s (%u mbufs): %s", pool_name, nb_mbufs,
			  rte_strerror(rte_errno));

	for (uint16_t port : ports) {
		std::string err;
		if (mpc::port_init(port, pool, static_cast<uint16_t>(a.num_procs),
				   static_cast<uint16_t>(a.num_procs), err) != 0)
			mpc::fail("%s", err.c_str());
	}
	cfg->ready.store(1, std::memory_order_release);
	*cfg_out = cfg;
	return pool;
}
/* >8 End of port initialisation. */

/*
 * Whether the len bytes at addr, the primary's memzone, hold a group_config
 * of this build with our --num-procs and -p. Reads nothing beyond len.
 * @return 0, else -EPROTO (another layout) or -EINVAL (other values), err saying which.
 */
int
check_config(const void *addr, size_t len, const app_options &a, std::string &err)
{
	const auto *cfg = static_cast<const group_config *>(addr);
	constexpr size_t header = offsetof(group_config, version) + sizeof(cfg->version);

	if (len < header) {
		err = mpc::format("memzone %s is %zu bytes, too short for its magic and version "
				  "(primary from another build?)", config_name, len);
		return -EPROTO;
	}
	if (cfg->magic != config_magic || cfg->version != config_version) {
		err = mpc::format("memzone %s has magic 0x%" PRIx64 " version %u, expected 0x%"
				  PRIx64 " version %u (primary from another build?)", config_name,
				  cfg->magic, cfg->version, config_magic, config_version);
		return -EPROTO;
	}
	if (len < sizeof(group_config)) {
		err = mpc::format("memzone %s is %zu bytes, expected %zu (primary from another "
				  "build?)", config_name, len, sizeof(group_config));
		return -EPROTO;
	}
	if (cfg->num_procs != a.num_procs || cfg->portmask != a.portmask) {
		err = mpc::format("--num-procs %u -p 0x%" PRIx64 " differ from the primary's "
				  "--num-procs %u -p 0x%" PRIx64, a.num_procs, a.portmask,
				  cfg->num_procs, cfg->portmask);
		return -EINVAL;
	}
	return 0;
}

/* Secondary: find what the primary made and check we agree with it. */
struct rte_mempool *
secondary_init(const app_options &a, const std::vector<uint16_t> &ports, group_config **cfg_out)
{
	const struct rte_memzone *mz = rte_memzone_lookup(config_name);
	if (mz == nullptr)
		mpc::fail("no %s memzone: start the primary (proc-type primary) first", config_name);
	std::string err;
	if (check_config(mz->addr, mz->len, a, err) != 0)
		mpc::fail("%s", err.c_str());
	auto *cfg = static_cast<group_config *>(mz->addr);

	/* The primary may still be setting the ports up. */
	for (int i = 0; i < 500 && cfg->ready.load(std::memory_order_acquire) == 0; i++)
		rte_delay_ms(10);
	if (cfg->ready.load(std::memory_order_acquire) == 0)
		mpc::fail("the primary did not finish port set-up within 5 s");
	for (uint16_t port : ports) {
		struct rte_eth_dev_info info;
		if (rte_eth_dev_info_get(port, &info) != 0 ||
		    info.nb_rx_queues != a.num_procs || info.nb_tx_queues != a.num_procs)
			mpc::fail("port %u has %u RX/%u TX queues, expected %u", port,
				  info.nb_rx_queues, info.nb_tx_queues, a.num_procs);
	}

	struct rte_mempool *pool = rte_mempool_lookup(pool_name);
	if (pool == nullptr)
		mpc::fail("cannot find mbuf pool %s", pool_name);
	*cfg_out = cfg;
	return pool;
}

/* The primary's fork server, forked again when a link changes. */
mpc::fork_server_links forks;

void
start_fork_server(const std::vector<uint16_t> &ports)
{
	mpc::start_fork_server(forks, "symmetric_mp", "secondaries", ports.data(),
			       static_cast<unsigned int>(ports.size()));
}

/* What this process forwarded, per port. */
struct proc_stats {
	mpc::port_counters port[RTE_MAX_ETHPORTS];
};

/* Forwarding loop. 8< */
/* Poll queue q of every port, send to queue q of its pair, until a signal. */
void
forward_loop(const std::vector<uint16_t> &ports, uint16_t q, proc_stats &st)
{
	struct rte_mbuf *pkts[burst_size];
	const unsigned int nb_ports = static_cast<unsigned int>(ports.size());
	const uint64_t link_period = rte_get_tsc_hz() / 10;
	uint64_t next_link_check = rte_rdtsc() + link_period;

	while (!mpc::quit_requested()) {
		if (forks.on && rte_rdtsc() >= next_link_check) {
			next_link_check = rte_rdtsc() + link_period;
			mpc::refresh_fork_server(forks, "symmetric_mp", "secondaries", ports.data(),
						 static_cast<unsigned int>(ports.size()));
		}
		for (unsigned int i = 0; i < nb_ports; i++) {
			const uint16_t nb_rx = rte_eth_rx_burst(ports[i], q, pkts, burst_size);
			if (nb_rx == 0)
				continue;
			const uint16_t out = ports[mpc::paired_index(i)];
			/* A full TX ring usually drains quickly: retry a little. */
			const uint16_t nb_tx = rte_mps_tx_burst_retry(out, q, pkts, nb_rx,
					tx_retries);
			st.port[out].drop += nb_rx - nb_tx;
			st.port[ports[i]].rx += nb_rx;
			st.port[out].tx += nb_tx;
		}
	}
}
/* >8 End of the forwarding loop. */

void
print_stats(const app_options &a, const std::vector<uint16_t> &ports, const proc_stats &st)
{
	printf("\nProcess %u (pid %d, %s) statistics:\n", a.proc_id, static_cast<int>(getpid()),
	       mpc::proc_type_name());
	for (uint16_t p : ports)
		printf("  port %u: rx %" PRIu64 " tx %" PRIu64 " drop %" PRIu64 "\n", p,
		       st.port[p].rx, st.port[p].tx, st.port[p].drop);
	fflush(stdout);
}

} /* namespace */

/* Entry of every process, classic or forked from the primary's fork server. */
static int
symmetric_mp_main(int argc, char **argv)
{
	/* A forked secondary's copy of the primary's fork server state is not its own. */
	forks = mpc::fork_server_links{};
	int ret = mpc::eal_init(argc, argv);
	argc -= ret;
	argv += ret;

	const app_options a = parse_args(argc, argv);
	mpc::require_shared_memory();
	const bool primary = !mpc::is_secondary();
	const std::vector<uint16_t> ports = mpc::paired_ports(a.portmask);

	/* A secondary checks its arguments against the primary's first. */
	group_config *cfg = nullptr;
	if (!primary)
		secondary_init(a, ports, &cfg);

	/* Join the group: refuses lcores that a live member already runs on. */
	ret = mpc::group_join();
	if (ret == -ENOTSUP)
		printf("symmetric_mp: warning: librte_mpsupport unavailable, lcore overlap not checked\n");
	/* capture reaches this process's queues too */
	mpc::capture_join(ret == 0);

	if (primary)
		primary_init(a, ports, &cfg);
	/* Ports started, pool made: secondaries may now be forked from here. */
	if (primary && ret == 0)
		start_fork_server(ports);
	/* A primary that dies takes the group with it; one that stops leaves it to us. */
	static group_config *group = cfg;
	mpc::watch_primary(ret == 0, [] {
		return group->handed_over.load(std::memory_order_acquire) != 0;
	});

	pid_t other = 0;
	const int claimed = cfg->procs[a.proc_id].claim(true, &other);
	if (claimed == -EBUSY)
		mpc::fail("--proc-id %u is already run by pid %d", a.proc_id, static_cast<int>(other));
	if (claimed != 0)
		mpc::fail("cannot claim --proc-id %u: %s", a.proc_id, strerror(-claimed));

	printf("symmetric_mp: process %u of %u (%s, pid %d) forwarding on lcore %u\n",
	       a.proc_id, a.num_procs, mpc::proc_type_name(), static_cast<int>(getpid()),
	       rte_lcore_id());
	fflush(stdout);

	static proc_stats st;
	forward_loop(ports, static_cast<uint16_t>(a.proc_id), st);
	mpc::leave_if_orphaned();

	print_stats(a, ports, st);
	cfg->procs[a.proc_id].release();
	mpc::capture_leave(ret == 0);
	if (ret == 0) {
		/* Its forked secondaries go with it, as they would with the primary. */
		if (primary)
			rte_mps_fork_server_stop();
		rte_mps_fini();
	}

	/*
	 * The primary's rte_eal_cleanup() closes the ports for every process.
	 * While others still forward, leave them the ports, as a primary that
	 * dies would; the last process out stops and closes them.
	 */
	unsigned int others = 0;
	for (unsigned int i = 0; i < a.num_procs; i++)
		if (cfg->procs[i].held())
			others++;
	if (primary && others > 0) {
		cfg->handed_over.store(1, std::memory_order_release);
		printf("symmetric_mp: %u other process(es) still forwarding: ports left up for "
		       "them, no EAL clean-up\n", others);
		return 0;
	}
	if (primary)
		for (uint16_t port : ports) {
			rte_eth_dev_stop(port);
			rte_eth_dev_close(port);
		}
	mpc::eal_cleanup();
	return 0;
}

RTE_MPS_FORKED_MAIN(symmetric_mp, symmetric_mp_main)

int
main(int argc, char **argv)
{
	return symmetric_mp_main(argc, argv);
}
