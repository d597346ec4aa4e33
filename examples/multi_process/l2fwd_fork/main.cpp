/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/*
 * dpdk-l2fwd_fork: L2 forwarding done by worker processes that the main
 * process fork()s from its EAL lcore threads.
 *
 * The main process sets up the ports, one mbuf pool per pair of workers and
 * the shared state, then launches on every worker lcore a function that
 * forks one worker process and waits for it. Workers receive on their
 * ports, rewrite the MAC addresses and send on the paired port (0 <-> 1,
 * 2 <-> 3, ...). When a worker exits for any reason, librte_mpsupport tells
 * the main at once, stops the pair worker over its command ring, rebuilds
 * the pair's pool (or gives back the mbufs both held), and the main starts
 * the two again.
 *
 * Forked workers follow the fork contract of rte_mpsupport.h: they only use
 * objects created before the fork, never reserve memory, never use IPC,
 * stdio or rte_log, and leave with _exit().
 */

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <sched.h>
#include <semaphore.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_dev.h>
#include <rte_devargs.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_mpsupport.h>
#include <rte_per_lcore.h>

#include <algorithm>
#include <string>
#include <vector>

#include "mp_common.h"

#define MAX_PKT_BURST 32
/* Packets whose headers are prefetched ahead of the one rewritten. */
#define PREFETCH_AHEAD 4
#define MAX_RX_PORTS_PER_LCORE 16
#define MAX_TIMER_PERIOD 86400 /* one day, in seconds */
#define DEFAULT_TIMER_PERIOD 10
#define BURST_TX_DRAIN_US 100
#define MEMPOOL_CACHE_SIZE 256
#define NB_RXD 1024
#define NB_TXD 1024
#define MIN_MBUFS 8192

/*
 * Priority of the main process's threads (the exit notification, the
 * tracker, the main thread and the parked lcore threads). When lcores share
 * CPUs with busy-polling workers, a wake-up of the supervisor must preempt
 * them at once for recovery to take milliseconds. The workers go back to
 * the default priority. Needs CAP_SYS_NICE; without it nothing changes.
 */
#define SUPERVISOR_NICE (-10)

/*
 * Bound on the STOP handshake in a recovery; the tracker sends SIGKILL
 * after it. Shutdown is not in a hurry and waits longer.
 */
#define STOP_TIMEOUT_MS 50
#define SHUTDOWN_STOP_TIMEOUT_MS 1000
/* Bound on the whole shutdown of the workers. */
#define SHUTDOWN_TIMEOUT_MS 3000

/*
 * Crash loops. A worker whose instance dies less than YOUNG_MS after its
 * launch is restarted with an exponential back-off; RESTART_LIMIT such
 * restarts within RESTART_WINDOW_S seconds mark it and its pair failed.
 */
#define YOUNG_MS 100
#define BACKOFF_BASE_MS 10
#define BACKOFF_MAX_MS 1000
#define RESTART_LIMIT 5
#define RESTART_WINDOW_S 5

/* How long the main watches for a new worker's first forwarded packet. */
#define FIRST_FWD_WATCH_S 5

#define NS_PER_MS UINT64_C(1000000)
#define NS_PER_SEC UINT64_C(1000000000)

/* Port statistics, written by the worker processes, read by the main. */
struct port_stats {
	uint64_t rx;
	uint64_t tx;
	uint64_t dropped;
} __rte_cache_aligned;

/*
 * TX buffers are filled and sent with rte_mps_tx_buffer() and
 * rte_mps_tx_buffer_flush(), DPDK's buffered TX made safe against kill -9:
 * a packet is in the buffer before the count says so, and the buffer is
 * emptied before the port takes its packets, so that the reset of a killed
 * worker never frees an mbuf the port already freed.
 *
 * What a worker process publishes to the main process. The burst array is
 * registered with the tracker as the worker's in-hand objects. The worker
 * keeps count at the array's size and every entry NULL unless it holds that
 * mbuf: the driver writes the pointers straight into the shared array, and
 * the worker clears each one once the mbuf is handed to the TX buffer. So a
 * worker killed even inside rte_eth_rx_burst() leaves its mbufs findable.
 */
struct worker_shared {
	int32_t pid;
	uint32_t lcore_id;      /* rte_lcore_id() the worker runs as */
	uint64_t start_ns;      /* CLOCK_MONOTONIC when the worker started */
	uint64_t first_fwd_ns;  /* CLOCK_MONOTONIC of its first packet sent */
	struct rte_mps_burst *burst; /* MAX_PKT_BURST entries, rte_zmalloc() */
} __rte_cache_aligned;

/* Everything the main and the workers share, in one rte_zmalloc() block. */
struct shared_state {
	struct port_stats port[RTE_MAX_ETHPORTS];
	struct worker_shared worker[RTE_MAX_LCORE];
};

/* Main-process view of one worker lcore. */
struct worker {
	unsigned int index;     /* worker index in the tracker */
	unsigned int lcore_id;  /* EAL lcore that forks it */
	unsigned int n_rx_port;
	uint16_t rx_port[MAX_RX_PORTS_PER_LCORE];
	uint64_t pair_mask;     /* workers stopped with it, itself included */
	unsigned int group;     /* its group: the workers stopped together */

	/* main thread to lcore thread: fork now (or leave, with quit) */
	sem_t go;
	bool quit;

	/* written by the lcore thread, read by the main thread */
	int32_t pid;
	uint64_t launch_ns;
	bool fork_failed;

	/* main thread only */
	uint64_t exit_ns;       /* when the last exit of its process was seen */
	bool running;
	bool failed;
	bool fwd_reported;
	uint64_t restart_at_ns; /* 0: no restart pending */
	uint64_t young_ns[RESTART_LIMIT];
	unsigned int n_young;
	unsigned int quick;     /* consecutive recoveries after a young death */
	unsigned int restarts;
};

/* Set before the first fork and never changed: workers inherit them. */
static uint64_t enabled_port_mask;
static unsigned int rx_ports_per_lcore = 1;
static uint64_t timer_period_s = DEFAULT_TIMER_PERIOD;
static bool float_proc;
static uint16_t dst_port[RTE_MAX_ETHPORTS];
static struct rte_ether_addr port_mac[RTE_MAX_ETHPORTS];
/*
 * The two addresses written into each packet sent on a port, in header
 * order: destination 02:00:00:00:00:<port>, source the port's MAC.
 */
static struct {
	struct rte_ether_addr dst;
	struct rte_ether_addr src;
} tx_addrs[RTE_MAX_ETHPORTS];
static_assert(sizeof(tx_addrs[0]) == 2 * RTE_ETHER_ADDR_LEN,
	      "the two addresses are copied as one header block");
static struct rte_eth_dev_tx_buffer *tx_buffer[RTE_MAX_ETHPORTS];
/* One mbuf pool per group of workers stopped together (see setup_pools). */
static struct rte_mempool *group_pool[RTE_MPS_MAX_WORKERS];
static unsigned int nb_groups;
static bool rebuild_pools;
static struct shared_state *shm;
static struct worker workers[RTE_MAX_LCORE];
static unsigned int nb_workers;

static volatile sig_atomic_t quit_signal;
static volatile sig_atomic_t report_signal;

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NS_PER_SEC + (uint64_t)ts.tv_nsec;
}

/* One-line error naming the bad value, clean EAL shutdown, non-zero exit. */
static __rte_noreturn void
fail(const char *fmt, ...) __rte_format_printf(1, 2);

static void
fail(const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	rte_mps_fini();
	mpc::fail("%s", msg);
}

static void
usage(const char *prgname)
{
	printf("%s [EAL options] -- -p PORTMASK [-q NQ] [-T PERIOD] [-f]\n"
	       "  -p PORTMASK: hexadecimal bitmask of the ports to use\n"
	       "  -q NQ: number of ports per worker lcore (1-%d, default 1)\n"
	       "  -T PERIOD: statistics period in seconds (0 disables, max %d, default %d)\n"
	       "  -f: floating workers (no CPU affinity, lcore id from the allocator)\n",
	       prgname, MAX_RX_PORTS_PER_LCORE, MAX_TIMER_PERIOD,
	       DEFAULT_TIMER_PERIOD);
}

static void
parse_args(int argc, char **argv)
{
	const char *prgname = argv[0];
	unsigned long v;
	int opt;

	optind = 1;
	opterr = 0;
	while ((opt = getopt(argc, argv, ":p:q:T:fh")) != -1) {
		switch (opt) {
		case 'p':
			if (mpc::parse_portmask(optarg, &enabled_port_mask) < 0)
				fail("invalid portmask '%s' (a non-zero hexadecimal mask)",
				     optarg);
			break;
		case 'q':
			if (mpc::parse_uint(optarg, MAX_RX_PORTS_PER_LCORE, &v) < 0 || v == 0)
				fail("invalid number of ports per lcore '%s' (1-%d)",
				     optarg, MAX_RX_PORTS_PER_LCORE);
			rx_ports_per_lcore = (unsigned int)v;
			break;
		case 'T':
			if (mpc::parse_uint(optarg, MAX_TIMER_PERIOD, &v) < 0)
				fail("invalid statistics period '%s' (0-%d seconds)",
				     optarg, MAX_TIMER_PERIOD);
			timer_period_s = v;
			break;
		case 'f':
			float_proc = true;
			break;
		case 'h':
			usage(prgname);
			rte_eal_cleanup();
			exit(EXIT_SUCCESS);
		case ':':
			usage(prgname);
			fail("option -%c needs a value", optopt);
		default:
			usage(prgname);
			fail("unknown option '-%c'", optopt);
		}
	}
	if (optind < argc)
		fail("unexpected argument '%s'", argv[optind]);
	if (enabled_port_mask == 0)
		fail("missing portmask (-p PORTMASK)");
}

static void
signal_handler(int signum)
{
	if (signum == SIGUSR1)
		report_signal = 1;
	else
		quit_signal = 1;
}

/* Port set-up: one RX and one TX queue per port. */
static void
port_init(uint16_t port, struct rte_mempool *pool)
{
	std::string err;
	int ret;

	if (mpc::port_init(port, pool, 1, 1, err) < 0)
		fail("%s", err.c_str());
	ret = rte_eth_macaddr_get(port, &port_mac[port]);
	if (ret < 0)
		fail("port %u: cannot get MAC address: %s", port, strerror(-ret));
	printf("Port %u, MAC address: " RTE_ETHER_ADDR_PRT_FMT "\n", port,
	       RTE_ETHER_ADDR_BYTES(&port_mac[port]));
	memset(&tx_addrs[port].dst, 0, sizeof(tx_addrs[port].dst));
	tx_addrs[port].dst.addr_bytes[0] = 0x02;
	tx_addrs[port].dst.addr_bytes[5] = (uint8_t)port;
	rte_ether_addr_copy(&port_mac[port], &tx_addrs[port].src);
}

/* Relaxed add on a counter that only one process writes. */
static inline void
counter_add(uint64_t *c, uint64_t n)
{
	__atomic_store_n(c, __atomic_load_n(c, __ATOMIC_RELAXED) + n,
			 __ATOMIC_RELAXED);
}

static inline uint64_t
counter_read(const uint64_t *c)
{
	return __atomic_load_n(c, __ATOMIC_RELAXED);
}

static inline void
rewrite_mac(struct rte_mbuf *m, uint16_t dst)
{
	/* destination 02:00:00:00:00:<dst>, source the output port's MAC */
	memcpy(rte_pktmbuf_mtod(m, void *), &tx_addrs[dst], sizeof(tx_addrs[dst]));
}

static inline uint16_t
flush_tx(const struct worker *w, struct port_stats *stats)
{
	uint16_t total = 0;

	for (unsigned int i = 0; i < w->n_rx_port; i++) {
		uint16_t dst = dst_port[w->rx_port[i]];
		uint16_t sent = rte_mps_tx_buffer_flush(dst, 0, tx_buffer[dst]);

		if (sent) {
			counter_add(&stats[dst].tx, sent);
			total += sent;
		}
	}
	return total;
}

/*
 * Send a received burst. A full burst with nothing buffered before it goes
 * out at once from the in-hand array, which lists it until the port has
 * taken it, as a TX buffer in flight does. Anything else joins the TX
 * buffer, as rte_mps_tx_buffer() does one packet at a time: the packets
 * are in the buffer before its count says so, and only then cleared from
 * the in-hand array (a worker killed in between leaves them listed twice,
 * which the reset handles); the buffer is sent each time it fills.
 * Returns the number of packets sent.
 */
static inline uint16_t
tx_buffer_burst(uint16_t port, struct rte_eth_dev_tx_buffer *buf,
		struct rte_mbuf **pkts, uint16_t n)
{
	uint16_t sent = 0;

	if (buf->length == 0 && n == buf->size) {
		/* a full burst goes out from the in-hand array, which lists it */
		sent = rte_eth_tx_burst(port, 0, pkts, n);
		if (unlikely(sent != n))
			buf->error_callback(&pkts[sent], (uint16_t)(n - sent),
					    buf->error_userdata);
		rte_compiler_barrier();
		memset(pkts, 0, n * sizeof(pkts[0]));
		return sent;
	}
	while (n != 0) {
		uint16_t len = buf->length;
		uint16_t k = RTE_MIN(n, (uint16_t)(buf->size - len));

		memcpy(&buf->pkts[len], pkts, k * sizeof(pkts[0]));
		rte_atomic_store_explicit(&buf->length, (uint16_t)(len + k),
				rte_memory_order_release);
		/* a release store keeps earlier stores before it, not later ones */
		rte_compiler_barrier();
		memset(pkts, 0, k * sizeof(pkts[0]));
		pkts += k;
		n -= k;
		if (len + k == buf->size)
			sent += rte_mps_tx_buffer_flush(port, 0, buf);
	}
	return sent;
}

/* Worker process: forwarding loop. 8< */
static void
worker_loop(const struct worker *w, struct worker_shared *ws)
{
	const uint64_t drain_tsc = (rte_get_tsc_hz() + US_PER_S - 1) /
				   US_PER_S * BURST_TX_DRAIN_US;
	struct rte_mbuf **pkts = (struct rte_mbuf **)ws->burst->objs;
	struct port_stats *stats = shm->port;
	uint64_t prev_tsc = rte_rdtsc();
	bool forwarded = false;

	for (;;) {
		uint64_t cur_tsc = rte_rdtsc();
		uint16_t sent = 0;

		/*
		 * Every TX drain period: send what is buffered, then look for a
		 * command. STOP from the main: with everything handed on,
		 * acknowledge and leave.
		 */
		if (unlikely(cur_tsc - prev_tsc > drain_tsc)) {
			sent += flush_tx(w, stats);
			prev_tsc = cur_tsc;
			if (unlikely(rte_mps_cmd_poll(w->index) == (int)RTE_MPS_CMD_STOP)) {
				rte_mps_cmd_ack(w->index, RTE_MPS_CMD_STOP);
				return;
			}
		}

		for (unsigned int i = 0; i < w->n_rx_port; i++) {
			uint16_t port = w->rx_port[i];
			uint16_t dst = dst_port[port];
			uint16_t nb_rx = rte_eth_rx_burst(port, 0, pkts, MAX_PKT_BURST);
			uint16_t n;

			if (nb_rx == 0)
				continue;
			counter_add(&stats[port].rx, nb_rx);
			for (uint16_t j = 0; j < RTE_MIN(nb_rx, (uint16_t)PREFETCH_AHEAD); j++)
				rte_prefetch0(rte_pktmbuf_mtod(pkts[j], void *));
			for (uint16_t j = 0; j < nb_rx; j++) {
				if (j + PREFETCH_AHEAD < nb_rx)
					rte_prefetch0(rte_pktmbuf_mtod(pkts[j + PREFETCH_AHEAD],
								       void *));
				rewrite_mac(pkts[j], dst);
			}
			n = tx_buffer_burst(dst, tx_buffer[dst], pkts, nb_rx);
			if (n) {
				counter_add(&stats[dst].tx, n);
				sent += n;
			}
		}

		if (unlikely(!forwarded && sent != 0)) {
			__atomic_store_n(&ws->first_fwd_ns, now_ns(), __ATOMIC_RELEASE);
			forwarded = true;
		}
	}
}
/* >8 End of worker process: forwarding loop. */

/* Worker process: entry after fork(). Never returns. */
static __rte_noreturn void
worker_process(const struct worker *w)
{
	struct worker_shared *ws = &shm->worker[w->lcore_id];
	int code = 0;

	/* back to the default priority (see SUPERVISOR_NICE) */
	setpriority(PRIO_PROCESS, 0, 0);

	/* Ctrl-C reaches the whole process group: only the main reacts. */
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	signal(SIGUSR1, SIG_IGN);

	/* Floating worker: leave the CPU and take an lcore id of its own. 8< */
	if (float_proc) {
		cpu_set_t all;
		long ncpu = sysconf(_SC_NPROCESSORS_CONF);

		CPU_ZERO(&all);
		for (long c = 0; c < ncpu && c < CPU_SETSIZE; c++)
			CPU_SET(c, &all);
		sched_setaffinity(0, sizeof(all), &all);

		/* rte_lcore_id() becomes an id no other process uses */
		if (rte_mps_lcore_claim() < 0)
			rte_mps_child_exit(2);
	}
	/* >8 End of floating worker: leave the CPU and take an lcore id of its own. */

	/* the reset gave the mbufs back but left the pointers */
	memset(ws->burst->objs, 0, ws->burst->size * sizeof(ws->burst->objs[0]));
	__atomic_store_n(&ws->burst->count, ws->burst->size, __ATOMIC_RELEASE);

	__atomic_store_n(&ws->first_fwd_ns, 0, __ATOMIC_RELAXED);
	ws->lcore_id = rte_lcore_id();
	ws->start_ns = now_ns();
	__atomic_store_n(&ws->pid, (int32_t)getpid(), __ATOMIC_RELEASE);

	worker_loop(w, ws);

	if (float_proc && rte_mps_lcore_release(1) < 0)
		code = 3;
	rte_mps_child_exit(code);
}

/* Exit callback, run on the main thread by rte_mps_exit_notify_poll(). */
static void
worker_exited(const struct rte_mps_exit_info *info, void *arg)
{
	struct worker *w = (struct worker *)arg;

	w->exit_ns = info->detect_ns;
	if (info->signal != 0)
		printf("l2fwd_fork: worker %u (lcore %u) pid %d killed by signal %d "
		       "(seen at %" PRIu64 " ns)\n", w->index, w->lcore_id,
		       (int)info->pid, (int)info->signal, info->detect_ns);
	else
		printf("l2fwd_fork: worker %u (lcore %u) pid %d exited with code %d "
		       "(seen at %" PRIu64 " ns)\n", w->index, w->lcore_id,
		       (int)info->pid, (int)info->exit_code, info->detect_ns);
}

/* Fork one worker process; in the parent, wait until it is gone. */
static void
fork_and_wait(struct worker *w)
{
	siginfo_t info;
	pid_t pid;

	__atomic_store_n(&w->launch_ns, now_ns(), __ATOMIC_RELEASE);
	pid = rte_mps_fork((int)w->index);
	if (pid == 0)
		worker_process(w);
	if (pid < 0) {
		printf("l2fwd_fork: worker %u (lcore %u): fork failed: %s\n",
		       w->index, w->lcore_id, rte_mps_strerror());
		__atomic_store_n(&w->fork_failed, true, __ATOMIC_RELEASE);
		return;
	}
	__atomic_store_n(&w->pid, (int32_t)pid, __ATOMIC_RELEASE);
	printf("l2fwd_fork: worker %u (lcore %u) started, pid %d (launched at %" PRIu64
	       " ns)\n", w->index, w->lcore_id, (int)pid, w->launch_ns);

	/*
	 * The library reaps the child once it has read how it ended and queues
	 * the news for the main thread; this thread only waits for the exit.
	 */
	if (rte_mps_exit_notify_register(pid, RTE_MPS_NOTIFY_DEFER |
			RTE_MPS_NOTIFY_ONESHOT | RTE_MPS_NOTIFY_REAP,
			worker_exited, w) < 0) {
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		return;
	}
	while (waitid(P_PID, (id_t)pid, &info, WEXITED | WNOWAIT) < 0 &&
	       errno == EINTR)
		;
}

/*
 * Lcore function of the main process, launched once per worker lcore: each
 * time the main thread says go, fork one worker process, then stay parked
 * until it exits. The tracker in librte_mpsupport watches the child with a
 * pidfd and tells the main thread, which does the recovery; this thread is
 * woken by a semaphore rather than relaunched, so that a restart costs one
 * wake-up.
 */
/* Launch a worker process from an EAL lcore thread. 8< */
static int
worker_launch(void *arg)
{
	struct worker *w = (struct worker *)arg;

	for (;;) {
		while (sem_wait(&w->go) < 0 && errno == EINTR)
			;
		if (__atomic_load_n(&w->quit, __ATOMIC_ACQUIRE))
			return 0;
		fork_and_wait(w);
	}
}
/* >8 End of launch a worker process from an EAL lcore thread. */

static void
print_stats(void)
{
	uint64_t total_rx = 0, total_tx = 0, total_drop = 0;

	printf("\nPort statistics ====================================\n");
	for (uint16_t port = 0; port < RTE_MAX_ETHPORTS; port++) {
		const struct port_stats *s = &shm->port[port];

		if ((enabled_port_mask & (UINT64_C(1) << port)) == 0)
			continue;
		printf("Statistics for port %u ---------------------------\n"
		       "Packets sent: %20" PRIu64 "\n"
		       "Packets received: %16" PRIu64 "\n"
		       "Packets dropped: %17" PRIu64 "\n",
		       port, counter_read(&s->tx), counter_read(&s->rx),
		       counter_read(&s->dropped));
		total_rx += counter_read(&s->rx);
		total_tx += counter_read(&s->tx);
		total_drop += counter_read(&s->dropped);
	}
	printf("Aggregate statistics ===============================\n"
	       "Total packets sent: %14" PRIu64 "\n"
	       "Total packets received: %10" PRIu64 "\n"
	       "Total packets dropped: %11" PRIu64 "\n"
	       "====================================================\n",
	       total_tx, total_rx, total_drop);
	for (unsigned int i = 0; i < nb_workers; i++)
		printf("Worker %u (lcore %u): %s, pid %d, restarts %u\n", i,
		       workers[i].lcore_id,
		       workers[i].failed ? "failed" :
		       workers[i].running ? "running" :
		       quit_signal ? "stopped" : "restarting",
		       (int)__atomic_load_n(&workers[i].pid, __ATOMIC_ACQUIRE),
		       workers[i].restarts);
	fflush(stdout);
}

/* Lcore ids the allocator still gives to a process that is gone. */
static unsigned int
count_leaked_lcores(void)
{
	unsigned int leaked = 0;

	for (unsigned int id = 0; id < RTE_MAX_LCORE; id++) {
		pid_t owner = 0;
		int kind = rte_mps_lcore_owner(id, &owner);
		uint64_t start;

		if (kind <= 0 || owner <= 0)
			continue;
		if (rte_mps_proc_start_time(owner, &start) < 0 ||
		    !rte_mps_proc_alive(owner, start)) {
			printf("l2fwd_fork: lcore id %u still held by dead pid %d\n",
			       id, (int)owner);
			leaked++;
		}
	}
	return leaked;
}

/*
 * With everything stopped: take every object out of the pool and count
 * distinct ones. An mbuf freed twice (a double free after a crash) shows
 * up as a duplicate, which rte_mempool_avail_count() cannot show. The
 * distinct objects go back; duplicates are not put back twice.
 */
static void
print_pool_check(void)
{
	size_t distinct = 0, dups = 0;
	unsigned int size = 0;

	/* no worker is left: every lcore's cache can go back to the pool */
	for (unsigned int l = 0; l < RTE_MAX_LCORE; l++)
		rte_mps_lcore_cache_flush(l);
	for (unsigned int g = 0; g < nb_groups; g++) {
		struct rte_mempool *mp = group_pool[g];
		std::vector<void *> objs;
		void *obj;
		size_t n;

		objs.reserve(mp->size * 2);
		while (objs.size() < mp->size * 2 &&
		       rte_mempool_generic_get(mp, &obj, 1, NULL) == 0)
			objs.push_back(obj);
		std::sort(objs.begin(), objs.end());
		n = std::unique(objs.begin(), objs.end()) - objs.begin();
		for (size_t i = 0; i < n; i++)
			rte_mempool_generic_put(mp, &objs[i], 1, NULL);
		distinct += n;
		dups += objs.size() - n;
		size += mp->size;
	}
	printf("l2fwd_fork: pool check: %zu distinct mbufs of %u, %zu duplicates\n",
	       distinct, size, dups);
}

static void
print_audit(const char *when)
{
	struct rte_mps_audit a = {};

	for (unsigned int g = 0; g < nb_groups; g++) {
		struct rte_mps_audit one;

		if (rte_mps_mempool_audit(group_pool[g], &one) < 0) {
			printf("l2fwd_fork: audit (%s): failed: %s\n", when,
			       rte_mps_strerror());
			return;
		}
		a.size += one.size;
		a.in_pool += one.in_pool;
		a.in_caches += one.in_caches;
		a.in_lists += one.in_lists;
		a.unaccounted += one.unaccounted;
	}
	printf("l2fwd_fork: audit (%s): mbufs %u in pool %u in caches %u "
	       "in lists %u unaccounted %u; lcore ids leaked %u\n",
	       when, a.size, a.in_pool, a.in_caches, a.in_lists, a.unaccounted,
	       count_leaked_lcores());
	fflush(stdout);
}

static void
start_worker(struct worker *w)
{
	__atomic_store_n(&w->pid, 0, __ATOMIC_RELEASE);
	w->fwd_reported = false;
	w->restart_at_ns = 0;
	w->running = true;
	sem_post(&w->go);
}

/*
 * A group of workers stopped by the tracker (one exited, its pair was
 * stopped, their resources were given back): decide when to start them
 * again, with back-off for crash loops.
 */
/* Recover from a worker exit. 8< */
static void
handle_ready(uint64_t ready, uint64_t now)
{
	uint64_t group = 0;
	uint64_t seen = 0;
	bool young = false;
	bool failed = false;

	for (unsigned int i = 0; i < nb_workers; i++) {
		struct worker *w = &workers[i];

		if ((ready & (UINT64_C(1) << i)) == 0)
			continue;
		group |= UINT64_C(1) << i;
		seen = RTE_MAX(seen, w->exit_ns);
		w->running = false;
		/* the pair of a worker that failed fails with it */
		if (w->failed)
			failed = true;
		if (now - __atomic_load_n(&w->launch_ns, __ATOMIC_ACQUIRE) <
		    YOUNG_MS * NS_PER_MS)
			young = true;
	}
	if (float_proc)
		rte_mps_lcore_reclaim();
	if (seen != 0 && seen <= now)
		printf("l2fwd_fork: workers 0x%" PRIx64 " stopped and reset %.3f ms "
		       "after the last exit was seen (ready at %" PRIu64 " ns)\n", group,
		       (double)(now - seen) / (double)NS_PER_MS, now);

	for (unsigned int i = 0; i < nb_workers; i++) {
		struct worker *w = &workers[i];
		unsigned int recent = 0;
		uint64_t delay_ms = 0;

		if ((group & (UINT64_C(1) << i)) == 0 || w->failed)
			continue;
		if (young) {
			w->young_ns[w->n_young++ % RESTART_LIMIT] = now;
			w->quick++;
		} else {
			w->quick = 0;
		}
		for (unsigned int k = 0; k < RTE_MIN(w->n_young, (unsigned int)RESTART_LIMIT); k++)
			if (now - w->young_ns[k] < RESTART_WINDOW_S * NS_PER_SEC)
				recent++;
		if (recent >= RESTART_LIMIT) {
			failed = true;
			continue;
		}
		if (w->quick > 1)
			delay_ms = RTE_MIN((uint64_t)BACKOFF_BASE_MS << (w->quick - 2),
					   (uint64_t)BACKOFF_MAX_MS);
		w->restart_at_ns = now + delay_ms * NS_PER_MS;
		if (delay_ms)
			printf("l2fwd_fork: worker %u restarts in %" PRIu64
			       " ms (back-off)\n", i, delay_ms);
	}

	if (failed) {
		/* the whole group stays down, the other pairs keep running */
		for (unsigned int i = 0; i < nb_workers; i++) {
			if ((group & (UINT64_C(1) << i)) == 0 || workers[i].failed)
				continue;
			workers[i].failed = true;
			workers[i].restart_at_ns = 0;
			printf("l2fwd_fork: worker %u (lcore %u) failed: %d restarts "
			       "within %d s, not restarted\n", i, workers[i].lcore_id,
			       RESTART_LIMIT, RESTART_WINDOW_S);
		}
	}
	fflush(stdout);
}
/* >8 End of recover from a worker exit. */

static void
start_due_workers(uint64_t now)
{
	for (unsigned int i = 0; i < nb_workers; i++) {
		struct worker *w = &workers[i];

		if (w->failed || w->running || w->restart_at_ns == 0 ||
		    w->restart_at_ns > now)
			continue;
		w->restarts++;
		start_worker(w);
	}
}

/* A worker that could not even be forked fails, and its pair is stopped. */
static void
check_fork_failures(void)
{
	for (unsigned int i = 0; i < nb_workers; i++) {
		struct worker *w = &workers[i];

		if (!__atomic_exchange_n(&w->fork_failed, false, __ATOMIC_ACQ_REL))
			continue;
		printf("l2fwd_fork: worker %u (lcore %u) failed: cannot fork\n",
		       i, w->lcore_id);
		w->failed = true;
		w->running = false;
		if ((w->pair_mask & ~(UINT64_C(1) << i)) != 0)
			rte_mps_group_stop(w->pair_mask & ~(UINT64_C(1) << i));
	}
}

/* Report the first packet forwarded by each new worker instance. */
static bool
check_first_forward(void)
{
	bool pending = false;

	for (unsigned int i = 0; i < nb_workers; i++) {
		struct worker *w = &workers[i];
		struct worker_shared *ws = &shm->worker[w->lcore_id];
		int32_t pid = __atomic_load_n(&w->pid, __ATOMIC_ACQUIRE);
		uint64_t first;

		if (!w->running || w->fwd_reported || pid <= 0 ||
		    now_ns() - __atomic_load_n(&w->launch_ns, __ATOMIC_ACQUIRE) >
		    FIRST_FWD_WATCH_S * NS_PER_SEC)
			continue;
		first = __atomic_load_n(&ws->first_fwd_ns, __ATOMIC_ACQUIRE);
		if (__atomic_load_n(&ws->pid, __ATOMIC_ACQUIRE) != pid || first == 0) {
			pending = true;
			continue;
		}
		w->fwd_reported = true;
		printf("l2fwd_fork: worker %u (lcore %u as lcore id %u) pid %d "
		       "forwarding: first packet at %" PRIu64 " ns, %.3f ms after launch\n",
		       i, w->lcore_id, ws->lcore_id, (int)pid, first,
		       (double)(first - __atomic_load_n(&w->launch_ns, __ATOMIC_ACQUIRE)) /
		       (double)NS_PER_MS);
	}
	fflush(stdout);
	return pending;
}

/* Stop every worker, SIGKILL those that do not answer, reset them. */
static void
stop_all_workers(void)
{
	uint64_t running = 0, stopped = 0;
	uint64_t deadline = now_ns() + SHUTDOWN_TIMEOUT_MS * NS_PER_MS;

	for (unsigned int i = 0; i < nb_workers; i++)
		if (workers[i].running) {
			running |= UINT64_C(1) << i;
			workers[i].exit_ns = 0;
		}
	rte_mps_tracker_set_timeout(SHUTDOWN_STOP_TIMEOUT_MS);
	if (running != 0 && rte_mps_group_stop(running) < 0)
		printf("l2fwd_fork: cannot stop workers: %s\n", rte_mps_strerror());
	while ((stopped & running) != running && now_ns() < deadline) {
		uint64_t ready = 0;

		if (rte_mps_group_wait(&ready, 100) > 0)
			stopped |= ready;
		rte_mps_exit_notify_poll();
	}
	if ((stopped & running) != running)
		printf("l2fwd_fork: workers 0x%" PRIx64 " did not stop in %d ms\n",
		       running & ~stopped, SHUTDOWN_TIMEOUT_MS);
	/* A group can be ready before each exit has been reported: take them all. */
	for (unsigned int i = 0; i < nb_workers && now_ns() < deadline; i++) {
		while ((running & (UINT64_C(1) << i)) != 0 && workers[i].exit_ns == 0 &&
		       now_ns() < deadline) {
			rte_mps_exit_notify_poll();
			rte_delay_us_sleep(1000);
		}
	}
	for (unsigned int i = 0; i < nb_workers; i++) {
		workers[i].running = false;
		__atomic_store_n(&workers[i].quit, true, __ATOMIC_RELEASE);
		sem_post(&workers[i].go);
	}
	rte_eal_mp_wait_lcore();
}

/* Give back what the ports still hold: received packets nobody read. */
static void
drain_ports(void)
{
	struct rte_mbuf *pkts[MAX_PKT_BURST];

	for (uint16_t port = 0; port < RTE_MAX_ETHPORTS; port++) {
		unsigned int budget = NB_RXD + MAX_PKT_BURST;
		uint16_t n;

		if ((enabled_port_mask & (UINT64_C(1) << port)) == 0)
			continue;
		do {
			n = rte_eth_rx_burst(port, 0, pkts, MAX_PKT_BURST);
			rte_pktmbuf_free_bulk(pkts, n);
			budget -= RTE_MIN(budget, (unsigned int)n);
		} while (n == MAX_PKT_BURST && budget > 0);
		rte_mps_tx_buffer_flush(port, 0, tx_buffer[port]);
	}
}

/* Ports of the mask, paired in order: 0 <-> 1, 2 <-> 3, ... */
static unsigned int
count_ports(void)
{
	std::vector<uint16_t> ports;
	std::string err;
	size_t n;

	if (mpc::ports_from_mask(enabled_port_mask, ports, err) < 0)
		fail("%s", err.c_str());
	n = ports.size();
	for (size_t i = 0; i + 1 < n; i += 2) {
		dst_port[ports[i]] = ports[i + 1];
		dst_port[ports[i + 1]] = ports[i];
	}
	if (n % 2) {
		/* like l2fwd: the odd one out sends back on itself */
		printf("Notice: odd number of ports in portmask; port %u forwards to itself\n",
		       ports[n - 1]);
		dst_port[ports[n - 1]] = ports[n - 1];
	}
	return (unsigned int)n;
}

/* Spread the ports over the worker lcores, NQ each, and pair the workers. */
static void
assign_workers(unsigned int nb_ports)
{
	unsigned int need = (nb_ports + rx_ports_per_lcore - 1) / rx_ports_per_lcore;
	unsigned int lcore_id;
	unsigned int n = 0;
	struct worker *w = NULL;

	if (need > rte_lcore_count() - 1)
		fail("%u ports at %u per lcore need %u worker lcores, only %u given",
		     nb_ports, rx_ports_per_lcore, need, rte_lcore_count() - 1);
	if (need > RTE_MPS_MAX_WORKERS)
		fail("%u workers exceed the tracker's maximum of %d", need,
		     RTE_MPS_MAX_WORKERS);

	lcore_id = rte_get_next_lcore(-1, 1, 0);
	for (uint16_t port = 0; port < 64; port++) {
		if ((enabled_port_mask & (UINT64_C(1) << port)) == 0)
			continue;
		if (w == NULL || w->n_rx_port == rx_ports_per_lcore) {
			w = &workers[n];
			w->index = n;
			w->lcore_id = lcore_id;
			n++;
			lcore_id = rte_get_next_lcore(lcore_id, 1, 0);
		}
		w->rx_port[w->n_rx_port++] = port;
	}
	nb_workers = n;

	for (unsigned int i = 0; i < nb_workers; i++) {
		int ret = rte_mps_worker_add(i);

		if (ret < 0)
			fail("cannot declare worker %u: %s", i, rte_mps_strerror());
	}
	/* the worker receiving on a port depends on the one sending to it */
	for (unsigned int i = 0; i < nb_workers; i++) {
		struct worker *a = &workers[i];

		a->pair_mask |= UINT64_C(1) << i;
		for (unsigned int p = 0; p < a->n_rx_port; p++) {
			uint16_t dst = dst_port[a->rx_port[p]];

			for (unsigned int j = 0; j < nb_workers; j++) {
				struct worker *b = &workers[j];

				for (unsigned int q = 0; q < b->n_rx_port; q++) {
					if (b->rx_port[q] != dst || j == i ||
					    (a->pair_mask & (UINT64_C(1) << j)))
						continue;
					if (rte_mps_worker_pair(i, j) < 0)
						fail("cannot pair workers %u and %u: %s",
						     i, j, rte_mps_strerror());
					a->pair_mask |= UINT64_C(1) << j;
					b->pair_mask |= UINT64_C(1) << i;
				}
			}
		}
		printf("l2fwd_fork: worker %u on lcore %u receives on port(s)",
		       i, a->lcore_id);
		for (unsigned int p = 0; p < a->n_rx_port; p++)
			printf(" %u->%u", a->rx_port[p], dst_port[a->rx_port[p]]);
		printf("\n");
	}
}

/*
 * Whether a port's driver holds none of its pool's mbufs between bursts:
 * net_null, and net_pcap unless it replays its file from mbufs it keeps
 * (infinite_rx).
 */
static bool
driver_keeps_no_mbufs(const struct rte_eth_dev_info *info)
{
	const struct rte_devargs *da;
	const char *arg;

	if (strcmp(info->driver_name, "net_null") == 0)
		return true;
	if (strcmp(info->driver_name, "net_pcap") != 0)
		return false;
	da = rte_dev_devargs(info->device);
	arg = da != NULL && da->args != NULL ? strstr(da->args, "infinite_rx=") : NULL;
	return arg == NULL || atoi(arg + strlen("infinite_rx=")) == 0;
}

/*
 * Workers stopped together (a worker and its pair, transitively) form a
 * group, and each group has its own mbuf pool: the packets a group receives
 * are only ever sent by that group, so a pool is used by one group alone.
 * A crash then touches one pool, which the recovery of that group can
 * rebuild whole: mbufs lost or freed twice by a worker killed inside a
 * mempool operation cannot outlive the recovery, and a pool left half
 * updated by a dead worker never stalls the other groups.
 */
static void
setup_pools(void)
{
	uint64_t assigned = 0;

	for (unsigned int i = 0; i < nb_workers; i++) {
		uint64_t set = UINT64_C(1) << i, prev = 0;

		if (assigned & set)
			continue;
		while (set != prev) {
			prev = set;
			for (unsigned int j = 0; j < nb_workers; j++)
				if (prev & (UINT64_C(1) << j))
					set |= workers[j].pair_mask;
		}
		for (unsigned int j = 0; j < nb_workers; j++)
			if (set & (UINT64_C(1) << j))
				workers[j].group = nb_groups;
		assigned |= set;
		nb_groups++;
	}

	/*
	 * A rebuild puts back every mbuf of the pool, so the ports must keep
	 * none of their own while the group is stopped: true of net_null and
	 * net_pcap, not of drivers that fill RX descriptors in advance.
	 */
	rebuild_pools = true;
	for (uint16_t port = 0; port < RTE_MAX_ETHPORTS; port++) {
		struct rte_eth_dev_info info;
		bool known;

		if ((enabled_port_mask & (UINT64_C(1) << port)) == 0)
			continue;
		known = rte_eth_dev_info_get(port, &info) == 0;
		if (known && driver_keeps_no_mbufs(&info))
			continue;
		printf("Notice: port %u (%s) may keep mbufs in its queues: a recovery "
		       "gives back the workers' mbufs one by one, pools are not rebuilt\n",
		       port, known ? info.driver_name : "unknown driver");
		rebuild_pools = false;
	}

	for (unsigned int g = 0; g < nb_groups; g++) {
		unsigned int nb_ports = 0, nb_members = 0, nb_mbufs;
		char name[RTE_MEMPOOL_NAMESIZE];

		for (unsigned int i = 0; i < nb_workers; i++) {
			if (workers[i].group != g)
				continue;
			nb_ports += workers[i].n_rx_port;
			nb_members++;
		}
		/* descriptors, bursts and TX buffers, and the lcore caches */
		nb_mbufs = RTE_MAX(nb_ports * (NB_RXD + NB_TXD + 2 * MAX_PKT_BURST) +
				   (2 * nb_members + 1) * (MEMPOOL_CACHE_SIZE * 3 / 2),
				   (unsigned int)MIN_MBUFS);
		snprintf(name, sizeof(name), "mbuf_pool_%u", g);
		group_pool[g] = rte_pktmbuf_pool_create(name, nb_mbufs,
							MEMPOOL_CACHE_SIZE, 0,
							RTE_MBUF_DEFAULT_BUF_SIZE,
							rte_socket_id());
		if (group_pool[g] == NULL)
			fail("cannot create mbuf pool of %u mbufs: %s", nb_mbufs,
			     rte_strerror(rte_errno));
	}
	for (unsigned int i = 0; i < nb_workers && rebuild_pools; i++)
		if (rte_mps_res_mempool(i, group_pool[workers[i].group]) < 0)
			fail("cannot list the mbuf pool of worker %u: %s", i,
			     rte_mps_strerror());
	printf("l2fwd_fork: %u mbuf pool(s), one per group of paired workers%s\n",
	       nb_groups, rebuild_pools ? ", rebuilt in each recovery" : "");
}

/* Pool of the group whose worker receives on port. */
static struct rte_mempool *
port_pool(uint16_t port)
{
	for (unsigned int i = 0; i < nb_workers; i++)
		for (unsigned int p = 0; p < workers[i].n_rx_port; p++)
			if (workers[i].rx_port[p] == port)
				return group_pool[workers[i].group];
	return group_pool[0];
}

/* Shared statistics, TX buffers and burst arrays, and the resource lists. */
static void
setup_shared_state(void)
{
	shm = (struct shared_state *)rte_zmalloc("l2fwd_fork_shared",
						 sizeof(*shm), RTE_CACHE_LINE_SIZE);
	if (shm == NULL)
		fail("cannot allocate shared state (%zu bytes)", sizeof(*shm));

	for (uint16_t port = 0; port < RTE_MAX_ETHPORTS; port++) {
		if ((enabled_port_mask & (UINT64_C(1) << port)) == 0)
			continue;
		tx_buffer[port] = (struct rte_eth_dev_tx_buffer *)rte_zmalloc_socket(
			"l2fwd_fork_tx_buffer", RTE_ETH_TX_BUFFER_SIZE(MAX_PKT_BURST),
			0, rte_eth_dev_socket_id(port));
		if (tx_buffer[port] == NULL)
			fail("cannot allocate TX buffer for port %u", port);
		rte_eth_tx_buffer_init(tx_buffer[port], MAX_PKT_BURST);
		if (rte_eth_tx_buffer_set_err_callback(tx_buffer[port],
				rte_eth_tx_buffer_count_callback,
				&shm->port[port].dropped) < 0)
			fail("cannot set TX buffer callback for port %u", port);
	}

	for (unsigned int i = 0; i < nb_workers; i++) {
		struct worker *w = &workers[i];
		struct worker_shared *ws = &shm->worker[w->lcore_id];

		ws->burst = (struct rte_mps_burst *)rte_zmalloc("l2fwd_fork_burst",
			sizeof(*ws->burst) + MAX_PKT_BURST * sizeof(ws->burst->objs[0]),
			RTE_CACHE_LINE_SIZE);
		if (ws->burst == NULL)
			fail("cannot allocate burst array of worker %u", i);
		ws->burst->size = MAX_PKT_BURST;
		if (rte_mps_res_burst(i, ws->burst) < 0)
			fail("cannot register burst array of worker %u: %s", i,
			     rte_mps_strerror());
		for (unsigned int p = 0; p < w->n_rx_port; p++)
			if (rte_mps_res_tx_buffer(i, tx_buffer[dst_port[w->rx_port[p]]]) < 0)
				fail("cannot register TX buffer of worker %u: %s", i,
				     rte_mps_strerror());
		if (!float_proc && rte_mps_res_lcore_cache(i, w->lcore_id) < 0)
			fail("cannot register lcore %u cache of worker %u: %s",
			     w->lcore_id, i, rte_mps_strerror());
	}
}

/* Main loop: statistics, recovery, and the signals. */
static void
supervise(void)
{
	uint64_t next_stats = timer_period_s ?
		now_ns() + timer_period_s * NS_PER_SEC : UINT64_MAX;
	bool pending = true;

	while (!quit_signal) {
		uint64_t ready = 0;
		uint64_t now = now_ns();
		uint64_t wake = next_stats;
		int timeout_ms;
		int n;

		for (unsigned int i = 0; i < nb_workers; i++)
			if (workers[i].restart_at_ns != 0)
				wake = RTE_MIN(wake, workers[i].restart_at_ns);
		/* a short wait only while a new worker has not forwarded yet */
		timeout_ms = pending ? 1 : 50;
		if (wake <= now)
			timeout_ms = 0;
		else if (wake - now < (uint64_t)timeout_ms * NS_PER_MS)
			timeout_ms = (int)((wake - now + NS_PER_MS - 1) / NS_PER_MS);

		/* returns at once when a group of stopped workers is ready */
		n = rte_mps_group_wait(&ready, timeout_ms);
		now = now_ns();
		rte_mps_exit_notify_poll();
		if (n > 0)
			handle_ready(ready, now);
		check_fork_failures();
		start_due_workers(now);
		pending = check_first_forward();

		if (now >= next_stats) {
			print_stats();
			next_stats = now + timer_period_s * NS_PER_SEC;
		}
		if (report_signal) {
			report_signal = 0;
			print_stats();
			print_audit("running");
		}
	}
}

int
main(int argc, char **argv)
{
	unsigned int nb_ports;
	int ret;

	setvbuf(stdout, NULL, _IOLBF, 0);
	mpc::set_app_name(argv[0]);
	/* before any thread exists, so that every one of them inherits it */
	setpriority(PRIO_PROCESS, 0, SUPERVISOR_NICE);
	ret = rte_eal_init(argc, argv);
	if (ret < 0)
		rte_exit(EXIT_FAILURE, "Invalid EAL arguments\n");
	mpc::set_eal_up(true);
	argc -= ret;
	argv += ret;
	argv[0] = argv[-ret];

	/* after fork(), memory is shared only when it is hugepage backed */
	if (!rte_eal_has_hugepages())
		fail("--no-huge is not supported: forked workers need shared hugepage memory");
	if (rte_lcore_count() < 3)
		fail("%u lcores given, at least 3 needed (main + 2 workers)",
		     rte_lcore_count());
	parse_args(argc, argv);

	ret = rte_mps_init();
	if (ret < 0)
		fail("cannot initialise mpsupport: %s", rte_mps_strerror());
	rte_mps_tracker_set_timeout(STOP_TIMEOUT_MS);

	nb_ports = count_ports();
	assign_workers(nb_ports);

	setup_pools();
	setup_shared_state();
	for (uint16_t port = 0; port < RTE_MAX_ETHPORTS; port++)
		if (enabled_port_mask & (UINT64_C(1) << port))
			port_init(port, port_pool(port));

	signal(SIGINT, signal_handler);
	signal(SIGTERM, signal_handler);
	signal(SIGUSR1, signal_handler);

	for (unsigned int i = 0; i < nb_workers; i++) {
		if (sem_init(&workers[i].go, 0, 0) < 0 ||
		    rte_eal_remote_launch(worker_launch, &workers[i],
					  workers[i].lcore_id) < 0)
			fail("cannot launch worker %u on lcore %u", i,
			     workers[i].lcore_id);
	}
	for (unsigned int i = 0; i < nb_workers; i++)
		start_worker(&workers[i]);
	printf("l2fwd_fork: %u workers launched%s; Ctrl-C to stop\n", nb_workers,
	       float_proc ? " (floating)" : "");

	supervise();

	printf("l2fwd_fork: stopping workers\n");
	stop_all_workers();
	drain_ports();
	print_stats();
	for (uint16_t port = 0; port < RTE_MAX_ETHPORTS; port++) {
		if ((enabled_port_mask & (UINT64_C(1) << port)) == 0)
			continue;
		ret = rte_eth_dev_stop(port);
		if (ret != 0)
			printf("l2fwd_fork: port %u: stop failed: %s\n", port,
			       strerror(-ret));
	}
	if (float_proc)
		rte_mps_lcore_reclaim();
	print_audit("exit");
	print_pool_check();
	for (uint16_t port = 0; port < RTE_MAX_ETHPORTS; port++)
		if (enabled_port_mask & (UINT64_C(1) << port))
			rte_eth_dev_close(port);
	rte_mps_fini();
	rte_eal_cleanup();
	printf("Bye...\n");
	return 0;
}
