/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/*
 * Diagnostics of dpdk-l2fwd_fork: the statistics table, the audit of the
 * mbuf pools, the pool check, the lcore ids leaked by dead processes and
 * the recovery times. Each is printed in one line for people and published
 * under /l2fwd_fork/ in telemetry, with typed fields, for tools and tests.
 *
 * Telemetry handlers run on DPDK's telemetry thread: they read the shared
 * counters atomically and the results of the main thread under a lock.
 */

#include <inttypes.h>
#include <stdio.h>
#include <sys/types.h>

#include <algorithm>
#include <mutex>
#include <string>
#include <vector>

#include <rte_mempool.h>
#include <rte_mpsupport.h>
#include <rte_telemetry.h>

#include "l2fwd_fork.h"

namespace l2fwd_fork {

namespace {

/* What the main thread found, kept for telemetry. */
struct audit_result {
	uint64_t runs = 0;              /* audits done so far */
	std::string when = "none";
	bool failed = false;
	struct rte_mps_audit totals = {};
	std::vector<unsigned int> leaked_lcore_ids;
};

struct pool_check_result {
	uint64_t runs = 0;
	std::string when = "none";
	uint64_t distinct = 0;
	uint64_t size = 0;
	uint64_t duplicates = 0;
};

struct recovery_times {
	uint64_t count = 0;             /* groups stopped, reset and made ready */
	uint64_t last_group = 0;        /* mask of the workers of the last one */
	uint64_t last_seen_ns = 0;      /* last exit seen in that group */
	uint64_t last_ready_ns = 0;     /* group ready again */
	uint64_t last_reset_ns = 0;     /* the difference */
	uint64_t max_reset_ns = 0;
	uint64_t total_reset_ns = 0;
};

struct diagnostics {
	std::mutex lock;
	audit_result audit;
	pool_check_result pool_check;
	recovery_times recovery;
};
diagnostics diag;

/* Lcore ids the allocator still gives to a process that is gone. */
std::vector<unsigned int>
leaked_lcore_ids(bool print)
{
	std::vector<unsigned int> leaked;

	for (unsigned int id = 0; id < RTE_MAX_LCORE; id++) {
		pid_t owner = 0;
		int kind = rte_mps_lcore_owner(id, &owner);
		uint64_t start;

		if (kind <= 0 || owner <= 0)
			continue;
		if (rte_mps_proc_start_time(owner, &start) < 0 ||
		    !rte_mps_proc_alive(owner, start)) {
			if (print)
				printf("l2fwd_fork: lcore id %u still held by dead pid %d\n",
				       id, static_cast<int>(owner));
			leaked.push_back(id);
		}
	}
	return leaked;
}

void
add_lcore_id_list(struct rte_tel_data *d, const char *name,
		  const std::vector<unsigned int> &ids)
{
	struct rte_tel_data *list = rte_tel_data_alloc();

	if (list == nullptr)
		return;
	rte_tel_data_start_array(list, RTE_TEL_INT_VAL);
	for (unsigned int id : ids)
		rte_tel_data_add_array_int(list, static_cast<int>(id));
	if (rte_tel_data_add_dict_container(d, name, list, 0) < 0)
		rte_tel_data_free(list);
}

/* /l2fwd_fork/stats: the counters of each port, and their totals. */
int
handle_stats(const char *, const char *, struct rte_tel_data *d)
{
	uint64_t total_rx = 0, total_tx = 0, total_dropped = 0;

	rte_tel_data_start_dict(d);
	for (uint16_t port = 0; port < RTE_MAX_ETHPORTS; port++) {
		const port_counters &c = shared->port[port];
		struct rte_tel_data *p;
		uint64_t rx, tx, dropped;

		if (!port_enabled(port))
			continue;
		rx = mpc::counter_read(c.rx);
		tx = mpc::counter_read(c.tx);
		dropped = mpc::counter_read(c.dropped);
		total_rx += rx;
		total_tx += tx;
		total_dropped += dropped;
		p = mpc::telemetry_sub_dict(d, port);
		if (p == nullptr)
			return -ENOMEM;
		rte_tel_data_add_dict_uint(p, "rx", rx);
		rte_tel_data_add_dict_uint(p, "tx", tx);
		rte_tel_data_add_dict_uint(p, "dropped", dropped);
		rte_tel_data_add_dict_uint(p, "dst_port", ports.dst[port]);
	}
	rte_tel_data_add_dict_uint(d, "total_rx", total_rx);
	rte_tel_data_add_dict_uint(d, "total_tx", total_tx);
	rte_tel_data_add_dict_uint(d, "total_dropped", total_dropped);
	return 0;
}

/*
 * The standby of a worker: its pid and whether it reached its wait
 * ("parked"), is on the way there ("forked") or is missing ("none"); whether
 * the current instance was one; how many were woken, forked, lost parked.
 */
void
add_standby(struct rte_tel_data *e, const worker &w, const worker_report &report)
{
	int32_t standby = w.standby.load(std::memory_order_acquire);
	const char *state = "none";

	if (standby > 0)
		state = report.standby_pid.load(std::memory_order_acquire) == standby ?
			"parked" : "forked";
	rte_tel_data_add_dict_int(e, "standby_pid", standby);
	rte_tel_data_add_dict_string(e, "standby_state", state);
	rte_tel_data_add_dict_int(e, "from_standby",
				  w.from_standby.load(std::memory_order_relaxed));
	rte_tel_data_add_dict_uint(e, "standby_wakes",
				   w.standby_wakes.load(std::memory_order_relaxed));
	rte_tel_data_add_dict_uint(e, "standby_forks",
				   w.standby_forks.load(std::memory_order_relaxed));
	rte_tel_data_add_dict_uint(e, "standby_lost",
				   w.standby_lost.load(std::memory_order_relaxed));
}

/*
 * /l2fwd_fork/workers: each worker's state, current pid and what its
 * current instance published, and how its last instance ended.
 */
int
handle_workers(const char *, const char *, struct rte_tel_data *d)
{
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_uint(d, "count", workers.count);
	rte_tel_data_add_dict_int(d, "floating", opts.floating);
	rte_tel_data_add_dict_int(d, "standby", opts.standby);
	for (unsigned int i = 0; i < workers.count; i++) {
		const worker &w = workers.w[i];
		const worker_report &report = shared->worker[w.lcore_id];
		int32_t pid = w.pid.load(std::memory_order_acquire);
		uint64_t first = 0;
		uint32_t lcore_id = 0;
		struct rte_tel_data *e;

		/* what the worker published, if it is the current instance's */
		if (pid > 0 && report.pid.load(std::memory_order_acquire) == pid) {
			first = report.first_fwd_ns.load(std::memory_order_acquire);
			lcore_id = report.lcore_id.load(std::memory_order_relaxed);
			if (report.pid.load(std::memory_order_acquire) != pid)
				first = lcore_id = 0;
		}
		e = mpc::telemetry_sub_dict(d, i);
		if (e == nullptr)
			return -ENOMEM;
		rte_tel_data_add_dict_string(e, "state", worker_state(w));
		rte_tel_data_add_dict_uint(e, "lcore", w.lcore_id);
		rte_tel_data_add_dict_uint(e, "group", w.group);
		rte_tel_data_add_dict_int(e, "pid", pid);
		rte_tel_data_add_dict_uint(e, "restarts",
					   w.restarts.load(std::memory_order_relaxed));
		rte_tel_data_add_dict_uint(e, "launch_ns",
					   w.launch_ns.load(std::memory_order_acquire));
		rte_tel_data_add_dict_uint(e, "lcore_id", lcore_id);
		rte_tel_data_add_dict_uint(e, "first_fwd_ns", first);
		rte_tel_data_add_dict_int(e, "exit_pid",
					  w.last_exit.pid.load(std::memory_order_acquire));
		rte_tel_data_add_dict_int(e, "exit_signal",
					  w.last_exit.signal.load(std::memory_order_relaxed));
		rte_tel_data_add_dict_int(e, "exit_code",
					  w.last_exit.code.load(std::memory_order_relaxed));
		rte_tel_data_add_dict_uint(e, "exit_seen_ns",
					   w.last_exit.seen_ns.load(std::memory_order_relaxed));
		rte_tel_data_add_dict_int(e, "robust_pid",
					  w.robust_pid.load(std::memory_order_relaxed));
		rte_tel_data_add_dict_uint(e, "robust_ns",
					   w.robust_ns.load(std::memory_order_acquire));
		add_standby(e, w, report);
	}
	return 0;
}

/* /l2fwd_fork/audit: the last audit of the pools (SIGUSR1, SIGUSR2, exit). */
int
handle_audit(const char *, const char *, struct rte_tel_data *d)
{
	std::lock_guard<std::mutex> guard(diag.lock);
	const audit_result &a = diag.audit;

	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_uint(d, "runs", a.runs);
	rte_tel_data_add_dict_string(d, "when", a.when.c_str());
	rte_tel_data_add_dict_int(d, "failed", a.failed);
	rte_tel_data_add_dict_uint(d, "size", a.totals.size);
	rte_tel_data_add_dict_uint(d, "in_pool", a.totals.in_pool);
	rte_tel_data_add_dict_uint(d, "in_caches", a.totals.in_caches);
	rte_tel_data_add_dict_uint(d, "in_lists", a.totals.in_lists);
	rte_tel_data_add_dict_uint(d, "in_driver", a.totals.in_driver);
	rte_tel_data_add_dict_uint(d, "unaccounted", a.totals.unaccounted);
	rte_tel_data_add_dict_uint(d, "surplus", a.totals.surplus);
	rte_tel_data_add_dict_uint(d, "leaked_lcores", a.leaked_lcore_ids.size());
	add_lcore_id_list(d, "leaked_lcore_ids", a.leaked_lcore_ids);
	return 0;
}

/* /l2fwd_fork/pool_check: distinct and duplicate mbufs, workers stopped. */
int
handle_pool_check(const char *, const char *, struct rte_tel_data *d)
{
	std::lock_guard<std::mutex> guard(diag.lock);
	const pool_check_result &c = diag.pool_check;

	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_uint(d, "runs", c.runs);
	rte_tel_data_add_dict_string(d, "when", c.when.c_str());
	rte_tel_data_add_dict_uint(d, "distinct", c.distinct);
	rte_tel_data_add_dict_uint(d, "size", c.size);
	rte_tel_data_add_dict_uint(d, "duplicates", c.duplicates);
	return 0;
}

/* /l2fwd_fork/leaked_lcores: lcore ids held by dead processes, now. */
int
handle_leaked_lcores(const char *, const char *, struct rte_tel_data *d)
{
	std::vector<unsigned int> ids = leaked_lcore_ids(false);

	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_uint(d, "count", ids.size());
	add_lcore_id_list(d, "ids", ids);
	return 0;
}

/* /l2fwd_fork/recovery: how many recoveries, and how long the resets took. */
int
handle_recovery(const char *, const char *, struct rte_tel_data *d)
{
	std::lock_guard<std::mutex> guard(diag.lock);
	const recovery_times &r = diag.recovery;

	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_uint(d, "recoveries", r.count);
	rte_tel_data_add_dict_uint(d, "last_group", r.last_group);
	rte_tel_data_add_dict_uint(d, "last_seen_ns", r.last_seen_ns);
	rte_tel_data_add_dict_uint(d, "last_ready_ns", r.last_ready_ns);
	rte_tel_data_add_dict_uint(d, "last_reset_ns", r.last_reset_ns);
	rte_tel_data_add_dict_uint(d, "max_reset_ns", r.max_reset_ns);
	rte_tel_data_add_dict_uint(d, "total_reset_ns", r.total_reset_ns);
	return 0;
}

/*
 * /l2fwd_fork/kill_points: whether the build has them, and each armed
 * point: its worker, passes so far, and the pid stopped there (0: none yet).
 */
int
handle_kill_points(const char *, const char *, struct rte_tel_data *d)
{
	unsigned int n = 0;

	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_int(d, "built_in", kill_points_built_in);
	for (unsigned int i = 0; i < max_kill_points; i++) {
		struct rte_mps_kill_point &p = shared->kill[i].point;
		struct rte_tel_data *e;

		if (shared->kill[i].worker < 0)
			continue;
		e = mpc::telemetry_sub_dict(d, n++);
		if (e == nullptr)
			return -ENOMEM;
		rte_tel_data_add_dict_int(e, "worker", shared->kill[i].worker);
		rte_tel_data_add_dict_string(e, "name", p.name);
		rte_tel_data_add_dict_uint(e, "skip", p.skip);
		rte_tel_data_add_dict_uint(e, "passes",
			rte_atomic_load_explicit(&p.passes, rte_memory_order_relaxed));
		rte_tel_data_add_dict_int(e, "parked_pid",
			rte_atomic_load_explicit(&p.parked_pid, rte_memory_order_acquire));
	}
	rte_tel_data_add_dict_uint(d, "count", n);
	return 0;
}

} /* namespace */

/* In the main process, before the first fork: workers never use telemetry. */
void
register_telemetry()
{
	static const struct {
		const char *cmd;
		telemetry_cb fn;
		const char *help;
	} cmds[] = {
		{ "/l2fwd_fork/stats", handle_stats,
		  "Packets received, sent and dropped per port. Takes no parameters" },
		{ "/l2fwd_fork/workers", handle_workers,
		  "State, pid, restarts and last exit of each worker. Takes no parameters" },
		{ "/l2fwd_fork/audit", handle_audit,
		  "Last audit of the mbuf pools and leaked lcore ids. Takes no parameters" },
		{ "/l2fwd_fork/pool_check", handle_pool_check,
		  "Last count of distinct and duplicate mbufs. Takes no parameters" },
		{ "/l2fwd_fork/leaked_lcores", handle_leaked_lcores,
		  "Lcore ids held by processes that are gone. Takes no parameters" },
		{ "/l2fwd_fork/recovery", handle_recovery,
		  "Recoveries done and the time their resets took. Takes no parameters" },
		{ "/l2fwd_fork/kill_points", handle_kill_points,
		  "Kill points built in, armed and reached. Takes no parameters" },
	};

	for (const auto &c : cmds)
		if (rte_telemetry_register_cmd(c.cmd, c.fn, c.help) < 0)
			printf("l2fwd_fork: cannot register telemetry command %s\n", c.cmd);
}

void
print_stats()
{
	uint64_t total_rx = 0, total_tx = 0, total_drop = 0;

	printf("\nPort statistics ====================================\n");
	for (uint16_t port = 0; port < RTE_MAX_ETHPORTS; port++) {
		const port_counters &c = shared->port[port];
		uint64_t rx = mpc::counter_read(c.rx), tx = mpc::counter_read(c.tx);
		uint64_t dropped = mpc::counter_read(c.dropped);

		if (!port_enabled(port))
			continue;
		printf("Statistics for port %u ---------------------------\n"
		       "Packets sent: %20" PRIu64 "\n"
		       "Packets received: %16" PRIu64 "\n"
		       "Packets dropped: %17" PRIu64 "\n",
		       port, tx, rx, dropped);
		total_rx += rx;
		total_tx += tx;
		total_drop += dropped;
	}
	printf("Aggregate statistics ===============================\n"
	       "Total packets sent: %14" PRIu64 "\n"
	       "Total packets received: %10" PRIu64 "\n"
	       "Total packets dropped: %11" PRIu64 "\n"
	       "====================================================\n",
	       total_tx, total_rx, total_drop);
	for (unsigned int i = 0; i < workers.count; i++)
		printf("Worker %u (lcore %u): %s, pid %d, restarts %u\n", i,
		       workers.w[i].lcore_id, worker_state(workers.w[i]),
		       static_cast<int>(workers.w[i].pid.load(std::memory_order_acquire)),
		       workers.w[i].restarts.load(std::memory_order_relaxed));
	fflush(stdout);
}

/*
 * Audit of every pool: each mbuf must be free in the pool, in a cache or
 * in a list the library knows about, and found once (a surplus is an mbuf
 * freed twice); and no lcore id held by a dead process.
 */
void
run_audit(const char *when)
{
	struct rte_mps_audit a = {};
	std::vector<unsigned int> leaked;
	bool failed = false;

	for (unsigned int g = 0; g < pools.count; g++) {
		struct rte_mps_audit one;

		if (rte_mps_mempool_audit(pools.pool[g], &one) < 0) {
			printf("l2fwd_fork: audit (%s): failed: %s\n", when,
			       rte_mps_strerror());
			failed = true;
			break;
		}
		a.size += one.size;
		a.in_pool += one.in_pool;
		a.in_caches += one.in_caches;
		a.in_lists += one.in_lists;
		a.in_driver += one.in_driver;
		a.unaccounted += one.unaccounted;
		a.surplus += one.surplus;
	}
	if (!failed) {
		leaked = leaked_lcore_ids(true);
		printf("l2fwd_fork: audit (%s): mbufs %u in pool %u in caches %u "
		       "in lists %u unaccounted %u surplus %u; lcore ids leaked %zu; "
		       "in driver queues %u\n",
		       when, a.size, a.in_pool, a.in_caches, a.in_lists, a.unaccounted,
		       a.surplus, leaked.size(), a.in_driver);
	}
	fflush(stdout);

	std::lock_guard<std::mutex> guard(diag.lock);
	diag.audit.runs++;
	diag.audit.when = when;
	diag.audit.failed = failed;
	diag.audit.totals = a;
	diag.audit.leaked_lcore_ids = std::move(leaked);
}

/*
 * With every worker stopped: take every object out of the pool and count
 * distinct ones. An mbuf freed twice (a double free after a crash) shows
 * up as a duplicate, which rte_mempool_avail_count() cannot show. The
 * distinct objects go back; duplicates are not put back twice.
 */
void
run_pool_check(const char *when)
{
	size_t distinct = 0, dups = 0;
	unsigned int size = 0;

	/* no worker is left: every lcore's cache can go back to the pool */
	for (unsigned int l = 0; l < RTE_MAX_LCORE; l++)
		rte_mps_lcore_cache_flush(l);
	for (unsigned int g = 0; g < pools.count; g++) {
		struct rte_mempool *mp = pools.pool[g];
		std::vector<void *> objs;
		void *obj;
		size_t n;

		objs.reserve(mp->size * 2);
		while (objs.size() < mp->size * 2 &&
		       rte_mempool_generic_get(mp, &obj, 1, nullptr) == 0)
			objs.push_back(obj);
		std::sort(objs.begin(), objs.end());
		n = std::unique(objs.begin(), objs.end()) - objs.begin();
		for (size_t i = 0; i < n; i++)
			rte_mempool_generic_put(mp, &objs[i], 1, nullptr);
		distinct += n;
		dups += objs.size() - n;
		size += mp->size;
	}
	printf("l2fwd_fork: pool check: %zu distinct mbufs of %u, %zu duplicates\n",
	       distinct, size, dups);
	fflush(stdout);

	std::lock_guard<std::mutex> guard(diag.lock);
	diag.pool_check.runs++;
	diag.pool_check.when = when;
	diag.pool_check.distinct = distinct;
	diag.pool_check.size = size;
	diag.pool_check.duplicates = dups;
}

/* A group of workers was stopped and reset, ready_ns - seen_ns after its last exit. */
void
record_recovery(uint64_t group, uint64_t seen_ns, uint64_t ready_ns)
{
	uint64_t reset_ns = ready_ns - seen_ns;

	printf("l2fwd_fork: workers 0x%" PRIx64 " stopped and reset %.3f ms "
	       "after the last exit was seen (ready at %" PRIu64 " ns)\n", group,
	       static_cast<double>(reset_ns) / static_cast<double>(ns_per_ms), ready_ns);

	std::lock_guard<std::mutex> guard(diag.lock);
	diag.recovery.count++;
	diag.recovery.last_group = group;
	diag.recovery.last_seen_ns = seen_ns;
	diag.recovery.last_ready_ns = ready_ns;
	diag.recovery.last_reset_ns = reset_ns;
	diag.recovery.max_reset_ns = RTE_MAX(diag.recovery.max_reset_ns, reset_ns);
	diag.recovery.total_reset_ns += reset_ns;
}

} /* namespace l2fwd_fork */
