/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/*
 * Multi-process tests of librte_mpsupport: real secondaries (this binary
 * re-executed with --proc-type=secondary in a role) and real forked workers.
 * Lcore overlap refused and named, stale layouts refused by a secondary,
 * members reclaimed when they die, a secondary told of its primary's death,
 * fork refused without hugepages, and kill -9 at random points while
 * processes claim and hold lcore ids: no id lost, none held twice, the
 * survivors claiming again after each kill.
 */

/* Every DPDK process here gets --no-pci from mps_test_env.h. */
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <sys/resource.h>

#include <atomic>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_memzone.h>
#include <rte_pause.h>

#include <rte_mpsupport.h>
#include "mps_private.h"
#include "mps_test_env.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

using namespace mpstest;

static const char *prog;
static std::string prefix;

/* Shared by the claimers of the kill -9 tests. */
struct stress_shm {
	uint64_t rounds;
	uint64_t dups;
	uint64_t errors;
	uint64_t overlaps;       /* sampled rounds that saw another live holder */
	uint64_t max_holders;    /* most live holders seen at once */
	/* Holder of each lcore id: the claimer's tid << 32 | the low 32 bits
	 * of its start time, or 0. */
	uint64_t holder[RTE_MAX_LCORE];
};
static constexpr char STRESS_MZ[] = "mps_mp_stress";

template <typename T>
static T
shm_load(const T *p)
{
	return rte_atomic_load_explicit(p, rte_memory_order_acquire);
}

static void
shm_add(uint64_t *p)
{
	rte_atomic_fetch_add_explicit(p, 1, rte_memory_order_relaxed);
}

/* The thread named by a holder word is still the same and alive. */
static bool
holder_alive(uint64_t w)
{
	pid_t tid = (pid_t)(w >> 32);
	uint64_t start;

	return rte_mps_proc_start_time(tid, &start) == 0 && (uint32_t)start == (uint32_t)w &&
		rte_mps_proc_alive(tid, start) == 1;
}

/* Live holders of ids other than ours, now. */
static unsigned int
other_live_holders(const stress_shm *s, int id)
{
	unsigned int n = 0;

	for (int l = 0; l < RTE_MAX_LCORE; l++) {
		uint64_t w = shm_load(&s->holder[l]);
		if (l != id && w != 0 && holder_alive(w))
			n++;
	}
	return n;
}

/* A short spin: time for another claimer to claim while we hold. A yield
 * would leave a nice claimer off its CPU for long under load, and the kills
 * would then land there, not in the library. */
static void
hold_a_while()
{
	uint64_t until = now_ns() + 2000;

	while (now_ns() < until)
		rte_pause();
}

/*
 * One claim/release round. The id is taken in its holder word (a holder
 * still alive there is a duplicate; a dead one died holding it) and held
 * for a short spin. Every sample-th round counts the other live holders:
 * that reads /proc, which would otherwise take most of the claimers' time
 * and most of the kills.
 */
static void
claim_round(stress_shm *s, uint64_t me, bool sample)
{
	int id = rte_mps_lcore_claim();

	if (id < 0) {
		if (id != -ENOSPC)
			shm_add(&s->errors);
		return;
	}
	if (rte_lcore_id() != (unsigned int)id)
		shm_add(&s->errors);
	uint64_t old = 0;
	bool mine;
	while (!(mine = rte_atomic_compare_exchange_strong_explicit(&s->holder[id], &old, me,
			rte_memory_order_acq_rel, rte_memory_order_acquire))) {
		if (holder_alive(old)) {
			shm_add(&s->dups);
			break;
		}
	}
	hold_a_while();
	if (sample) {
		unsigned int n = other_live_holders(s, id);
		if (n > 0)
			shm_add(&s->overlaps);
		uint64_t m = shm_load(&s->max_holders);
		while (n + 1 > m && !rte_atomic_compare_exchange_weak_explicit(&s->max_holders,
				&m, (uint64_t)n + 1, rte_memory_order_relaxed,
				rte_memory_order_relaxed))
			;
	}
	shm_add(&s->rounds);
	if (mine)
		rte_atomic_store_explicit(&s->holder[id], 0, rte_memory_order_release);
	if (rte_mps_lcore_release(0) != 0)
		shm_add(&s->errors);
}

static void
claim_forever(stress_shm *s, const std::atomic<bool> *quit)
{
	pid_t tid = gettid();
	uint64_t start = 0;

	/* Spinning claimers must not starve the test driving them. */
	setpriority(PRIO_PROCESS, 0, 19);

	rte_mps_proc_start_time(tid, &start);
	uint64_t me = (uint64_t)(uint32_t)tid << 32 | (uint32_t)start;
	for (unsigned int r = 0; quit == nullptr || !quit->load(); r++)
		claim_round(s, me, r % 8 == 0);
}

/* The claimers make progress: some round ends within a bound. */
static bool
claimers_progress(const stress_shm *s)
{
	uint64_t before = shm_load(&s->rounds);

	return wait_for([&] { return shm_load(&s->rounds) > before; }, 10000);
}

/* ---- roles: this binary run as another process ---- */

static volatile sig_atomic_t quit_signal;

static void
on_signal(int)
{
	quit_signal = 1;
}

static void
watch_primary_cb(const rte_mps_exit_info *info, void *)
{
	printf("primary-exited pid=%d\n", (int)info->pid);
	fflush(stdout);
	quit_signal = 1;
}

static int
role_main(const char *role, int argc, char **argv)
{
	std::string opt = argc > 0 ? argv[argc - 1] : "";
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	setvbuf(stdout, nullptr, _IOLBF, 0);

	if (opt == "newpidns") {
		/* The role runs as pid 1 of a pid namespace of its own. */
		if (unshare(CLONE_NEWPID) < 0) {
			printf("unshare=%d\n", -errno);
			return 6;
		}
		pid_t c = fork();
		if (c < 0)
			return 6;
		if (c > 0) {
			int st = 0;
			while (waitpid(c, &st, 0) < 0 && errno == EINTR)
				;
			return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
		}
		prctl(PR_SET_PDEATHSIG, SIGKILL);
	}

	int n = rte_eal_init(argc, argv);
	if (n < 0) {
		printf("eal=%d %s\n", -rte_errno, rte_strerror(rte_errno));
		return 3;
	}
	int rc = 0;
	std::string r = role;
	if (r == "prim-nohuge") {
		int ret = rte_mps_init();
		pid_t pid = ret < 0 ? ret : rte_mps_fork(RTE_MPS_NO_WORKER);
		if (pid == 0)
			rte_mps_child_exit(0);
		printf("init=%d fork=%d msg=%s\n", ret, (int)pid, rte_mps_strerror());
		if (pid > 0)
			waitpid(pid, nullptr, 0);
	} else if (r == "prim-hold" || r == "sec-init" || r == "sec-claim" ||
			r == "sec-watch-primary") {
		bool init = opt != "noinit";
		int ret = init ? rte_mps_init() : 0;
		printf("init=%d msg=%s\n", ret, rte_mps_strerror());
		if (ret < 0) {
			rte_eal_cleanup();
			return 2;
		}
		std::atomic<bool> quit{false};
		std::vector<std::thread> threads;
		if (r == "sec-claim") {
			const struct rte_memzone *mz = rte_memzone_lookup(STRESS_MZ);
			if (mz == nullptr) {
				printf("no %s\n", STRESS_MZ);
				return 4;
			}
			auto *s = static_cast<stress_shm *>(mz->addr);
			for (int i = 0; i < 2; i++)
				threads.emplace_back([s, &quit] { claim_forever(s, &quit); });
		}
		if (r == "sec-watch-primary" &&
				rte_mps_exit_notify_register(rte_mps_primary_pid(),
					RTE_MPS_NOTIFY_DEFER, watch_primary_cb, nullptr) < 0) {
			printf("register failed: %s\n", rte_mps_strerror());
			return 5;
		}
		if (r == "prim-hold" && opt == "telemetry") {
			/* Something to show: workers and a floating lcore. */
			rte_mps_worker_add(0);
			rte_mps_worker_add(1);
			rte_mps_worker_pair(0, 1);
			rte_mps_worker_attach(0, getpid());
			std::atomic<int> claimed{-1000};
			threads.emplace_back([&quit, &claimed] {
				claimed = rte_mps_lcore_claim();
				while (!quit.load())
					usleep(1000);
				rte_mps_lcore_release(0);
			});
			wait_for([&claimed] { return claimed.load() != -1000; }, 10000);
			printf("float=%d\n", claimed.load());
		}
		printf("ready pid=%d\n", (int)getpid());
		int efd = rte_mps_exit_notify_fd();
		while (!quit_signal) {
			struct pollfd p = { efd, POLLIN, 0 };
			if (poll(&p, 1, 100) > 0)
				rte_mps_exit_notify_poll();
		}
		quit = true;
		for (auto &t : threads)
			t.join();
		if (init)
			rte_mps_fini();
		printf("clean-exit\n");
	} else {
		printf("unknown role %s\n", role);
		rc = 64;
	}
	rte_eal_cleanup();
	return rc;
}

/* ---- helpers of the tests ---- */

static child
spawn_role(const char *role, const std::string &pfx, const char *lcores, bool secondary,
		std::vector<std::string> extra = {}, const char *opt = nullptr)
{
	std::vector<std::string> a = { prog, "--mps-role", role };
	auto e = eal_args(prog, pfx, lcores, secondary);
	a.insert(a.end(), e.begin() + 1, e.end());
	a.insert(a.end(), extra.begin(), extra.end());
	if (opt != nullptr) {
		a.push_back("--");
		a.push_back(opt);
	}
	return spawn(a);
}

/* SIGINT, then SIGKILL after a bound; returns the wait status. */
static int
stop_child(child &c)
{
	kill(c.pid, SIGINT);
	return finish(c, 10000);
}

static bool
listed(pid_t pid)
{
	struct rte_mps_proc_info info[RTE_MPS_MAX_PROCS];
	int n = rte_mps_proc_list(info, RTE_DIM(info));

	for (int i = 0; i < n && i < RTE_MPS_MAX_PROCS; i++)
		if (info[i].pid == pid)
			return true;
	return false;
}

/* Every lcore id is free or the EAL lcore of a live member. */
static void
check_table_clean()
{
	assert_true(wait_for([&] {
		rte_mps_lcore_reclaim();
		for (unsigned int l = 0; l < RTE_MAX_LCORE; l++) {
			pid_t pid;
			int kind = rte_mps_lcore_owner(l, &pid);
			if (kind == 0)
				continue;
			if (kind != 1 || !listed(pid) || kill(pid, 0) != 0)
				return false;
		}
		return true;
	}, 5000));
}

/* ---- tests ---- */

static void
test_secondary_registers_and_is_reclaimed(void **)
{
	child c = spawn_role("sec-init", prefix, "2@0", true);
	assert_true(read_until(c, "ready", 20000));
	assert_true(listed(c.pid));
	pid_t owner = 0;
	assert_int_equal(rte_mps_lcore_owner(2, &owner), 1);
	assert_int_equal(owner, c.pid);

	/* Announced over IPC: its death is seen and its lcore freed. */
	kill(c.pid, SIGKILL);
	assert_int_equal(finish(c, 5000) & 0x7f, SIGKILL);
	assert_true(wait_for([] { return rte_mps_lcore_owner(2, nullptr) == 0; }, 5000));
	assert_false(listed(c.pid));

	/* A clean exit releases everything itself. */
	c = spawn_role("sec-init", prefix, "2@0", true);
	assert_true(read_until(c, "ready", 20000));
	int st = stop_child(c);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	assert_true(c.output.find("clean-exit") != std::string::npos);
	assert_int_equal(rte_mps_lcore_owner(2, nullptr), 0);
}

static void
test_overlap_refused(void **)
{
	char want[128];

	/* With the primary's lcore 0. */
	child c = spawn_role("sec-init", prefix, "0@0", true);
	int st = finish(c, 20000);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 2);
	snprintf(want, sizeof(want),
			"init=%d msg=lcore 0 is already used as an EAL lcore by pid %d (primary)",
			-EBUSY, (int)getpid());
	if (c.output.find(want) == std::string::npos)
		fail_msg("output: %s", c.output.c_str());

	/* With another secondary. */
	child a = spawn_role("sec-init", prefix, "3@0", true);
	assert_true(read_until(a, "ready", 20000));
	c = spawn_role("sec-init", prefix, "2@0,3@1", true);
	st = finish(c, 20000);
	assert_int_equal(WEXITSTATUS(st), 2);
	snprintf(want, sizeof(want),
			"lcore 3 is already used as an EAL lcore by pid %d (secondary)",
			(int)a.pid);
	if (c.output.find(want) == std::string::npos)
		fail_msg("output: %s", c.output.c_str());
	/* The refused one left nothing behind (lcores are reserved in order:
	 * 2 before 3), not even a word that only looks free, its owner gone. */
	assert_int_equal(rte_mps_lcore_owner(2, nullptr), 0);
	assert_non_null(shm());
	assert_int_equal(mps::load(&shm()->lcore[2]), 0);
	assert_int_equal(WEXITSTATUS(stop_child(a)), 0);

	/* With a floating lcore held by a thread of ours. */
	int id = rte_mps_lcore_claim();
	assert_true(id >= 0);
	std::string lc = std::to_string(id) + "@0";
	c = spawn_role("sec-init", prefix, lc.c_str(), true);
	st = finish(c, 20000);
	assert_int_equal(rte_mps_lcore_release(0), 0);
	assert_int_equal(WEXITSTATUS(st), 2);
	snprintf(want, sizeof(want), "lcore %d is already used as a floating lcore by pid %d",
			id, (int)getpid());
	if (c.output.find(want) == std::string::npos)
		fail_msg("output: %s", c.output.c_str());
}

static void
test_stale_layout_refused_by_secondary(void **)
{
	mps::shared *sh = shm();
	char want[128];

	sh->magic = 0x1122334455667788ull;
	child c = spawn_role("sec-init", prefix, "5@0", true);
	int st = finish(c, 20000);
	sh->magic = RTE_MPS_MAGIC;
	assert_int_equal(WEXITSTATUS(st), 2);
	snprintf(want, sizeof(want),
			"init=%d msg=memzone mps_registry has magic 0x1122334455667788",
			-EPROTO);
	if (c.output.find(want) == std::string::npos)
		fail_msg("output: %s", c.output.c_str());

	sh->version = RTE_MPS_LAYOUT_VERSION + 1;
	c = spawn_role("sec-init", prefix, "5@0", true);
	st = finish(c, 20000);
	sh->version = RTE_MPS_LAYOUT_VERSION;
	assert_int_equal(WEXITSTATUS(st), 2);
	snprintf(want, sizeof(want), "has layout version %d, expected %d",
			RTE_MPS_LAYOUT_VERSION + 1, RTE_MPS_LAYOUT_VERSION);
	if (c.output.find(want) == std::string::npos)
		fail_msg("output: %s", c.output.c_str());
	assert_int_equal(rte_mps_lcore_owner(5, nullptr), 0);
}

/* Issue 15, H2: a secondary in another pid namespace is refused, its pids
 * would name other processes to the members. */
static void
test_other_pid_namespace_refused(void **)
{
	child c = spawn_role("sec-init", prefix, "6@0", true, {}, "newpidns");
	int st = finish(c, 20000);
	if (c.output.find("unshare=") != std::string::npos)
		fail_msg("cannot make a pid namespace here: %s", c.output.c_str());
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 2);
	char want[128];
	snprintf(want, sizeof(want),
			"init=%d msg=this process is in another pid namespace than the primary",
			-EXDEV);
	if (c.output.find(want) == std::string::npos)
		fail_msg("output: %s", c.output.c_str());
	assert_int_equal(rte_mps_lcore_owner(6, nullptr), 0);
}

static void
test_secondary_without_registry(void **)
{
	std::string p2 = prefix + "n";
	child prim = spawn_role("prim-hold", p2, "0@0", false, {}, "noinit");
	assert_true(read_until(prim, "ready", 20000));
	child c = spawn_role("sec-init", p2, "1@1", true);
	int st = finish(c, 20000);
	assert_int_equal(WEXITSTATUS(st), 2);
	char want[128];
	snprintf(want, sizeof(want), "init=%d msg=memzone mps_registry not found", -ENOENT);
	if (c.output.find(want) == std::string::npos)
		fail_msg("output: %s", c.output.c_str());
	assert_int_equal(WEXITSTATUS(stop_child(prim)), 0);
	remove_prefix_files(p2);
}

static void
test_primary_death_seen_by_secondary(void **)
{
	std::string p2 = prefix + "d";
	child prim = spawn_role("prim-hold", p2, "0@0", false);
	assert_true(read_until(prim, "ready", 20000));
	child sec = spawn_role("sec-watch-primary", p2, "1@1", true);
	assert_true(read_until(sec, "ready", 20000));
	kill(prim.pid, SIGKILL);
	assert_int_equal(finish(prim, 5000) & 0x7f, SIGKILL);
	assert_true(read_until(sec, "primary-exited", 5000));
	int st = finish(sec, 10000);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	char want[64];
	snprintf(want, sizeof(want), "primary-exited pid=%d", (int)prim.pid);
	assert_true(sec.output.find(want) != std::string::npos);
	remove_prefix_files(p2);
}

static void
test_fork_refused_without_hugepages(void **)
{
	std::string p2 = prefix + "h";
	child c = spawn_role("prim-nohuge", p2, "0@0", false, { "--no-huge" });
	int st = finish(c, 20000);
	remove_prefix_files(p2);
	assert_true(WIFEXITED(st));
	char want[128];
	snprintf(want, sizeof(want), "init=0 fork=%d msg=no hugepages (--no-huge)", -ENOTSUP);
	if (c.output.find(want) == std::string::npos)
		fail_msg("output: %s", c.output.c_str());
}

static stress_shm *
stress_zone()
{
	const struct rte_memzone *mz = rte_memzone_lookup(STRESS_MZ);

	if (mz == nullptr)
		mz = rte_memzone_reserve(STRESS_MZ, sizeof(stress_shm), SOCKET_ID_ANY, 0);
	if (mz == nullptr)
		return nullptr;
	memset(mz->addr, 0, sizeof(stress_shm));
	return static_cast<stress_shm *>(mz->addr);
}

static void
print_claimers(const char *who, const stress_shm *s, unsigned int kills, uint64_t t0)
{
	print_message("%s: %" PRIu64 " rounds, %u kills in %.1f s; %" PRIu64 " sampled rounds "
			"saw another live holder, at most %" PRIu64 " holders at once\n", who,
			s->rounds, kills, (double)(now_ns() - t0) / 1e9, s->overlaps,
			s->max_holders);
}

/* Forked workers claim and release in a loop and are killed at random
 * points, hundreds of times; the survivor claims again after each kill. */
static void
test_kill9_forked_claimers(void **)
{
	constexpr unsigned int LIVE = 2, KILLS = 400;
	stress_shm *s = stress_zone();
	std::mt19937 rng(12345);
	std::vector<pid_t> kids;
	uint64_t t0 = now_ns();

	assert_non_null(s);
	for (unsigned int k = 0; k < KILLS; k++) {
		while (kids.size() < LIVE) {
			pid_t pid = rte_mps_fork(RTE_MPS_NO_WORKER);
			if (pid == 0) {
				claim_forever(s, nullptr);
				_exit(0);
			}
			assert_true(pid > 0);
			kids.push_back(pid);
		}
		usleep(rng() % 500);
		size_t victim = rng() % kids.size();
		kill(kids[victim], SIGKILL);
		assert_int_equal(wait_exit(kids[victim], 5000) & 0x7f, SIGKILL);
		kids.erase(kids.begin() + (long)victim);
		if (!claimers_progress(s))
			fail_msg("kill %u: the survivor claimed nothing since", k);
	}
	for (pid_t pid : kids) {
		kill(pid, SIGKILL);
		assert_int_equal(wait_exit(pid, 5000) & 0x7f, SIGKILL);
	}
	print_claimers("forked claimers", s, KILLS, t0);
	assert_int_equal(s->dups, 0);
	assert_int_equal(s->errors, 0);
	assert_true(s->overlaps > 0);
	check_table_clean();
}

/* Secondaries with two claiming threads each, killed at random points;
 * the survivors claim again after each kill. */
static void
test_kill9_secondary_claimers(void **)
{
	constexpr unsigned int KILLS = 25;
	const char *lcores[] = { "10@0", "11@1", "12@0" };
	stress_shm *s = stress_zone();
	std::mt19937 rng(777);
	child kids[3];
	uint64_t t0 = now_ns();

	assert_non_null(s);
	for (unsigned int i = 0; i < 3; i++) {
		kids[i] = spawn_role("sec-claim", prefix, lcores[i], true);
		if (!read_until(kids[i], "ready", 20000))
			fail_msg("start %u: %s", i, kids[i].output.c_str());
	}
	for (unsigned int k = 0; k < KILLS; k++) {
		usleep(5000 + rng() % 30000);
		unsigned int v = rng() % 3;
		kill(kids[v].pid, SIGKILL);
		int st = finish(kids[v], 5000);
		if ((st & 0x7f) != SIGKILL)
			fail_msg("round %u: status 0x%x: %s", k, st, kids[v].output.c_str());
		if (!claimers_progress(s))
			fail_msg("kill %u: the survivors claimed nothing since", k);
		kids[v] = spawn_role("sec-claim", prefix, lcores[v], true);
		if (!read_until(kids[v], "ready", 20000))
			fail_msg("respawn %u: %s", k, kids[v].output.c_str());
	}
	usleep(20000);
	for (auto &c : kids) {
		int st = stop_child(c);
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			fail_msg("stop: status 0x%x: %s", st, c.output.c_str());
	}
	print_claimers("secondary claimers", s, KILLS, t0);
	assert_int_equal(s->dups, 0);
	assert_int_equal(s->errors, 0);
	assert_true(s->overlaps > 0);
	check_table_clean();
}

int
main(int argc, char **argv)
{
	prog = argv[0];
	if (argc > 2 && strcmp(argv[1], "--mps-role") == 0) {
		/* argv[2] is the role; EAL sees it as the program name. */
		return role_main(argv[2], argc - 2, argv + 2);
	}
	int ret = start_test_eal(argv[0], "mp", {}, &prefix);
	if (ret != 0)
		return ret;
	if (rte_mps_init() < 0) {
		printf("rte_mps_init: %s\n", rte_mps_strerror());
		return 1;
	}

	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_secondary_registers_and_is_reclaimed),
		cmocka_unit_test(test_overlap_refused),
		cmocka_unit_test(test_stale_layout_refused_by_secondary),
		cmocka_unit_test(test_other_pid_namespace_refused),
		cmocka_unit_test(test_secondary_without_registry),
		cmocka_unit_test(test_primary_death_seen_by_secondary),
		cmocka_unit_test(test_fork_refused_without_hugepages),
		cmocka_unit_test(test_kill9_forked_claimers),
		cmocka_unit_test(test_kill9_secondary_claimers),
	};
	ret = cmocka_run_group_tests(tests, nullptr, nullptr);
	stop_test_eal();
	return ret;
}
