/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

#ifndef L2FWD_FORK_H
#define L2FWD_FORK_H

/*
 * What the files of dpdk-l2fwd_fork share: the set-up (setup.cpp), the
 * worker's fast path (worker.cpp), the supervisor (supervisor.cpp) and the
 * diagnostics (diagnostics.cpp).
 */

#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdint.h>

#include <atomic>
#include <type_traits>

#include <rte_common.h>
#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_lcore.h>
#include <rte_mempool.h>
#include <rte_mpsupport.h>
#include <rte_thread.h>

#include "mp_common.h"
#include "mp_group.h"

namespace l2fwd_fork {

constexpr uint16_t max_pkt_burst = 32;
constexpr unsigned int max_rx_ports_per_lcore = 16;
constexpr unsigned int max_timer_period_s = 86400; /* one day */
constexpr unsigned int default_timer_period_s = 10;
constexpr unsigned int nb_rxd = 1024;
constexpr unsigned int nb_txd = 1024;

/*
 * Crash loops. A worker whose instance dies less than young_ms after its
 * launch is restarted with an exponential back-off; restart_limit such
 * restarts within restart_window_s seconds mark it and its pair failed.
 * Both bounds are options (--young-ms, --restart-window), so that a test
 * can make every death young and every window wide, whatever the load.
 */
constexpr uint64_t default_young_ms = 100;
constexpr uint64_t max_young_ms = 86400000; /* one day */
constexpr uint64_t backoff_base_ms = 10;
constexpr uint64_t backoff_max_ms = 1000;
constexpr unsigned int restart_limit = 5;
constexpr unsigned int default_restart_window_s = 5;
constexpr unsigned int max_restart_window_s = 86400;

constexpr uint64_t ns_per_ms = UINT64_C(1000000);
constexpr uint64_t ns_per_s = UINT64_C(1000000000);

static_assert(std::atomic<uint64_t>::is_always_lock_free,
	      "counters shared with forked workers must be lock-free");
static_assert(std::atomic<int32_t>::is_always_lock_free &&
	      std::atomic<uint32_t>::is_always_lock_free,
	      "pids and ids shared with forked workers must be lock-free");

/* Counters of one port, written by the worker processes, read by the main. */
struct alignas(RTE_CACHE_LINE_SIZE) port_counters {
	std::atomic<uint64_t> rx{0};
	std::atomic<uint64_t> tx{0};
	std::atomic<uint64_t> dropped{0};
};

/*
 * What a worker process publishes to the main process. The burst array is
 * registered with the tracker as the worker's in-hand objects. The worker
 * keeps count at the array's size and every entry NULL unless it holds that
 * mbuf: the driver writes the pointers straight into the shared array, and
 * the worker clears each one once the mbuf is handed to the TX buffer. So a
 * worker killed even inside rte_eth_rx_burst() leaves its mbufs findable.
 */
struct alignas(RTE_CACHE_LINE_SIZE) worker_report {
	std::atomic<int32_t> pid{0};
	std::atomic<uint32_t> lcore_id{0};      /* rte_lcore_id() it runs as */
	std::atomic<uint64_t> start_ns{0};      /* CLOCK_MONOTONIC at its start */
	std::atomic<uint64_t> first_fwd_ns{0};  /* ... of its first packet sent */
	struct rte_mps_burst *burst = nullptr;  /* set before the first fork */
	/*
	 * Warm standby (--standby): the standby process of this worker waits
	 * in futex(FUTEX_WAIT) on standby_go until the main writes its pid
	 * there (run) or standby_quit (leave). standby_pid is the pid of the
	 * standby that reached the wait.
	 */
	std::atomic<uint32_t> standby_go{0};
	std::atomic<int32_t> standby_pid{0};
	/*
	 * Life lock, robust and process-shared: the worker process holds it
	 * for its whole life. The main's death watcher blocks on it, and the
	 * kernel wakes it with EOWNERDEAD when it walks the dead thread's
	 * robust list (exit_mm(), before the address space is dropped), well
	 * before the pidfd becomes readable at the end of do_exit().
	 * life_pid is written by the holder, under the lock; life_gen counts
	 * the instances that took it (a futex word the watcher sleeps on).
	 */
	pthread_mutex_t life;
	std::atomic<int32_t> life_pid{0};
	std::atomic<uint32_t> life_gen{0};
};
static_assert(sizeof(std::atomic<uint32_t>) == sizeof(uint32_t),
	      "a futex word is 32 bits");

constexpr uint32_t standby_quit = UINT32_MAX;

/*
 * Kill points armed with --kill-point, in a build with them (meson
 * -Dkill_points=true): the library's in the TX helpers (rte_mps_kill.h),
 * and the worker's own (worker.cpp, kill_point_names in setup.cpp).
 */
constexpr unsigned int max_kill_points = 2;

struct kill_point_slot {
	int32_t worker = -1;            /* the worker that stops there, -1: none */
	struct rte_mps_kill_point point = {};
};

/*
 * Everything the main and the workers share, in one rte_malloc() block
 * built with placement new before the first fork.
 */
struct shared_state {
	port_counters port[RTE_MAX_ETHPORTS];
	worker_report worker[RTE_MAX_LCORE];
	kill_point_slot kill[max_kill_points];
};
static_assert(std::is_standard_layout<shared_state>::value,
	      "shared memory holds plain layouts only");

/* How the last instance of a worker ended, as the exit notification said. */
struct worker_exit {
	std::atomic<int32_t> pid{0};
	std::atomic<int32_t> signal{0};
	std::atomic<int32_t> code{0};
	std::atomic<uint64_t> seen_ns{0};
};

/* Main-process view of one worker lcore. */
struct worker {
	/* set before the first fork, read by the worker process too */
	unsigned int index = 0;         /* worker index in the tracker */
	unsigned int lcore_id = 0;      /* EAL lcore that forks it */
	unsigned int n_rx_port = 0;
	uint16_t rx_port[max_rx_ports_per_lcore] = {};
	uint64_t pair_mask = 0;         /* workers stopped with it, itself included */
	unsigned int group = 0;         /* its group: the workers stopped together */

	/* main thread to lcore thread: fork a worker or a standby (or leave, with quit) */
	sem_t go;
	std::atomic<bool> quit{false};
	std::atomic<bool> want_worker{false};
	std::atomic<bool> want_standby{false};

	/* written by the lcore thread, read by the main and telemetry threads */
	std::atomic<int32_t> pid{0};
	std::atomic<uint64_t> launch_ns{0};
	std::atomic<bool> fork_failed{false};
	std::atomic<int32_t> standby{0};        /* parked standby's pid, 0: none */
	std::atomic<unsigned int> standby_forks{0};

	/* written by the main thread, read by the telemetry thread */
	std::atomic<bool> running{false};
	std::atomic<bool> failed{false};
	std::atomic<unsigned int> restarts{0};
	std::atomic<bool> from_standby{false};  /* the current instance was a standby */
	std::atomic<unsigned int> standby_wakes{0};
	std::atomic<unsigned int> standby_lost{0};  /* standbys that died parked */
	worker_exit last_exit;
	/* written by the death watcher: the last death its life lock told of */
	std::atomic<int32_t> robust_pid{0};
	std::atomic<uint64_t> robust_ns{0};
	rte_thread_t watcher;
	sem_t watcher_left;             /* posted by the watcher as it leaves */
	bool watching = false;

	/* main thread only */
	uint64_t exit_ns = 0;           /* when the last exit of its process was seen */
	bool fwd_reported = false;
	uint64_t restart_at_ns = 0;     /* 0: no restart pending */
	uint64_t young_ns[restart_limit] = {};
	unsigned int n_young = 0;
	unsigned int quick = 0;         /* consecutive recoveries after a young death */
	bool standby_due = false;       /* fork a standby once the group forwards */
};

/* Options, set before the first fork and never changed. */
struct options {
	uint64_t port_mask = 0;
	unsigned int rx_ports_per_lcore = 1;
	uint64_t timer_period_s = default_timer_period_s;
	bool floating = false;
	bool standby = false;           /* --standby: one pre-forked standby per worker */
	uint64_t young_ms = default_young_ms;
	unsigned int restart_window_s = default_restart_window_s;
	kill_point_slot kill[max_kill_points];  /* copied to the shared state */
	unsigned int n_kill = 0;
};

/* The two addresses written into each packet sent on a port, in header order. */
struct tx_header {
	struct rte_ether_addr dst;      /* 02:00:00:00:00:<port> */
	struct rte_ether_addr src;      /* the port's MAC */
};
static_assert(sizeof(tx_header) == 2 * RTE_ETHER_ADDR_LEN,
	      "the two addresses are copied as one header block");

/* Ports, set before the first fork and never changed. */
struct port_table {
	uint16_t dst[RTE_MAX_ETHPORTS] = {};
	struct rte_ether_addr mac[RTE_MAX_ETHPORTS] = {};
	tx_header tx_addrs[RTE_MAX_ETHPORTS] = {};
	struct rte_eth_dev_tx_buffer *tx_buffer[RTE_MAX_ETHPORTS] = {};
};

/* One mbuf pool per group of workers stopped together (see setup_pools). */
struct pool_set {
	struct rte_mempool *pool[RTE_MPS_MAX_WORKERS] = {};
	unsigned int count = 0;
	bool rebuilt_in_recovery = false;
};

struct worker_table {
	worker w[RTE_MAX_LCORE];
	unsigned int count = 0;
};

/*
 * Asked by the signal handler, acted upon by the main thread (quitting is
 * mpc::quit_requested()).
 */
struct requests {
	std::atomic<bool> report{false};
	std::atomic<bool> quiesce{false};
};
static_assert(std::atomic<bool>::is_always_lock_free,
	      "flags set by a signal handler must be lock-free");

extern options opts;
extern port_table ports;
extern pool_set pools;
extern worker_table workers;
extern shared_state *shared;
extern requests req;

static inline bool
port_enabled(uint16_t port)
{
	return port < 64 && (opts.port_mask & (UINT64_C(1) << port)) != 0;
}

using mpc::fail;
using mpc::now_ns;

/* Whether this build has the kill points compiled in. */
constexpr bool kill_points_built_in =
#ifdef RTE_MPS_KILL_POINTS
	true;
#else
	false;
#endif

/* What the command line asks main() to do. */
enum class command {
	run,            /* forward with the options parsed */
	usage,          /* -h: print the usage and exit */
};

/* options.cpp: parse argv (after "--") into o, or fail() on a bad option */
command parse_args(int argc, char **argv, options &o);
void usage(const char *prgname);

/* setup.cpp */
unsigned int pair_ports();
void assign_workers(unsigned int nb_ports);
void setup_pools();
void setup_shared_state();
void init_life_lock(pthread_mutex_t &m);
void init_ports();
void drain_ports();
void stop_ports();
void close_ports();

/* worker.cpp */
void standby_park(const worker &w);
void take_life_lock(worker_report &report);
[[noreturn]] void worker_process(const worker &w);
void count_tx_drops(struct rte_mbuf **pkts, uint16_t unsent, void *counter);

/* supervisor.cpp */
void launch_workers();
void supervise();
void stop_all_workers();
void quiesce_workers();
const char *worker_state(const worker &w);

/* diagnostics.cpp */
void register_telemetry();
void print_stats();
void run_audit(const char *when);
void run_pool_check(const char *when);
void record_recovery(uint64_t group, uint64_t seen_ns, uint64_t ready_ns);

} /* namespace l2fwd_fork */

#endif /* L2FWD_FORK_H */
