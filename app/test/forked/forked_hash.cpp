/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/*
 * Function pointers in shared memory, classic versus forked secondaries.
 * The primary creates an rte_hash with DPDK's default hash function and a
 * compare function of this program, then starts a fork server. A forked
 * secondary adds and looks up keys through the normal API (both functions
 * called at the primary's addresses, which are its own); a classic one
 * only reports where the functions are, since calling through the
 * primary's pointers would jump to an address that means something else.
 *
 * A forked secondary also sends an IPC message (rte_mp_sendmsg()), which
 * must fail: the EAL's IPC socket it inherited is the primary's, so the
 * fork server put /dev/null over it.
 *
 * Test hooks: SIGHUP makes the primary start its fork server again (a
 * handover to a new server); a secondary given the argument "hello" (after
 * "--") only says that it started, so that many can run at once; given
 * "exit N", it leaves with exit status N; a classic one given "wait" stays
 * attached until SIGINT or SIGTERM.
 */

#include <dirent.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atomic>
#include <new>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_hash.h>
#include <rte_lcore.h>
#include <rte_memzone.h>
#include <rte_mpsupport.h>

namespace {

constexpr char hash_name[] = "fk_hash";
constexpr char info_name[] = "fk_hash_info";
constexpr unsigned int nb_keys = 100;

struct hash_info {
	uint64_t cmp_addr;		/* key_cmp() in the primary */
	std::atomic<uint64_t> cmp_calls;
};

hash_info *info;
volatile sig_atomic_t quit;
volatile sig_atomic_t restart;

struct key {
	uint32_t id;
	uint32_t owner;
	uint64_t pad;
};

int
key_cmp(const void *a, const void *b, size_t len)
{
	info->cmp_calls.fetch_add(1, std::memory_order_relaxed);
	return memcmp(a, b, len);
}

int
fail(const char *what)
{
	fprintf(stderr, "forked_hash: error: %s: %s\n", what,
		rte_mps_strerror()[0] != '\0' ? rte_mps_strerror() : rte_strerror(rte_errno));
	return 1;
}

int
run_primary()
{
	if (rte_mps_init() < 0)
		return fail("rte_mps_init");
	const struct rte_memzone *mz = rte_memzone_reserve(info_name, sizeof(hash_info),
							    SOCKET_ID_ANY, 0);
	if (mz == nullptr)
		return fail("memzone");
	info = new (mz->addr) hash_info();
	info->cmp_addr = reinterpret_cast<uintptr_t>(key_cmp);
	struct rte_hash_parameters p = {};
	p.name = hash_name;
	p.entries = 1024;
	p.key_len = sizeof(key);
	p.socket_id = SOCKET_ID_ANY;
	struct rte_hash *h = rte_hash_create(&p);    /* hash_func NULL: DPDK's default */
	if (h == nullptr)
		return fail("rte_hash_create");
	rte_hash_set_cmp_func(h, key_cmp);
	const pid_t server = rte_mps_fork_server_start();
	if (server < 0)
		return fail("fork server");
	signal(SIGINT, [](int) { quit = 1; });
	signal(SIGTERM, [](int) { quit = 1; });
	signal(SIGHUP, [](int) { restart = 1; });
	printf("forked_hash: primary ready (fork server pid %d)\n", (int)server);
	fflush(stdout);
	while (!quit) {
		/* A signal cuts the sleep short; one caught just before it waits 0.1 s. */
		if (!restart)
			usleep(100 * 1000);
		if (quit || !restart)
			continue;
		restart = 0;
		const pid_t pid = rte_mps_fork_server_start();
		if (pid < 0)
			return fail("fork server restart");
		printf("forked_hash: fork server restarted (pid %d)\n", (int)pid);
		fflush(stdout);
	}
	rte_mps_fork_server_stop();
	rte_hash_free(h);
	rte_mps_fini();
	rte_eal_cleanup();
	return 0;
}

/* The app's own arguments: those after "--". */
int
app_args(int argc, char **argv, char ***args)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			*args = argv + i + 1;
			return argc - i - 1;
		}
	}
	*args = argv + argc;
	return 0;
}

/* Classic secondaries attached: the EAL's IPC sockets of the runtime directory. */
unsigned int
ipc_peers()
{
	unsigned int n = 0;
	DIR *d = opendir(rte_eal_get_runtime_dir());

	if (d == nullptr)
		return 0;
	while (struct dirent *de = readdir(d))
		n += fnmatch("mp_socket_*", de->d_name, 0) == 0;
	closedir(d);
	return n;
}

/* rte_mp_sendmsg() in a forked secondary: it must fail; 0 if it does. */
int
check_ipc()
{
	struct rte_mp_msg msg = {};
	snprintf(msg.name, sizeof(msg.name), "fk_hash_probe");
	const unsigned int peers = ipc_peers();
	rte_errno = 0;
	const int ret = rte_mp_sendmsg(&msg);
	const int err = rte_errno;
	printf("forked_hash: forked secondary: rte_mp_sendmsg() with %u classic secondaries "
	       "attached: %d, rte_errno %d (%s)\n", peers, ret, err,
	       ret < 0 ? rte_strerror(err) : "none");
	if (peers > 0 && ret == 0) {
		fprintf(stderr, "forked_hash: error: rte_mp_sendmsg() went through the "
			"primary's IPC socket\n");
		return 1;
	}
	return 0;
}

int
run_secondary(int nargs, char **args)
{
	if (nargs > 1 && strcmp(args[0], "exit") == 0) {
		printf("forked_hash: %s secondary %d leaving with exit status %s\n",
		       rte_mps_is_forked_secondary() ? "forked" : "classic", (int)getpid(), args[1]);
		if (!rte_mps_is_forked_secondary())
			rte_eal_cleanup();
		return atoi(args[1]);
	}
	if (nargs > 0 && strcmp(args[0], "wait") == 0 && !rte_mps_is_forked_secondary()) {
		signal(SIGINT, [](int) { quit = 1; });
		signal(SIGTERM, [](int) { quit = 1; });
		printf("forked_hash: classic secondary %d waiting\n", (int)getpid());
		fflush(stdout);
		while (!quit)
			usleep(100 * 1000);
		rte_eal_cleanup();
		return 0;
	}
	if (nargs > 0 && strcmp(args[0], "hello") == 0) {
		printf("forked_hash: %s secondary %d started\n",
		       rte_mps_is_forked_secondary() ? "forked" : "classic", (int)getpid());
		if (!rte_mps_is_forked_secondary())
			rte_eal_cleanup();
		return 0;
	}
	const struct rte_memzone *mz = rte_memzone_lookup(info_name);
	struct rte_hash *h = rte_hash_find_existing(hash_name);
	if (mz == nullptr || h == nullptr)
		return fail("no hash of the primary");
	info = static_cast<hash_info *>(mz->addr);
	const uintptr_t mine = reinterpret_cast<uintptr_t>(key_cmp);
	if (!rte_mps_is_forked_secondary()) {
		printf("forked_hash: classic secondary: compare function at 0x%" PRIxPTR
		       " in the primary, 0x%" PRIxPTR " here: %s\n", (uintptr_t)info->cmp_addr,
		       mine, info->cmp_addr == mine ? "same" : "different, hash not used");
		rte_eal_cleanup();
		return 0;
	}
	if (check_ipc() != 0)
		return 1;
	const uint64_t calls = info->cmp_calls.load();
	unsigned int added = 0, found = 0, wrong = 0;
	for (uint32_t i = 0; i < nb_keys; i++) {
		key k = { i, static_cast<uint32_t>(getpid()), 0 };
		if (rte_hash_add_key_data(h, &k, reinterpret_cast<void *>(uintptr_t(i) + 1)) == 0)
			added++;
	}
	for (uint32_t i = 0; i < nb_keys; i++) {
		key k = { i, static_cast<uint32_t>(getpid()), 0 };
		void *data = nullptr;
		if (rte_hash_lookup_data(h, &k, &data) < 0)
			continue;
		found++;
		wrong += data != reinterpret_cast<void *>(uintptr_t(i) + 1);
	}
	key absent = { nb_keys, static_cast<uint32_t>(getpid()), 0 };
	const bool absent_ok = rte_hash_lookup(h, &absent) == -ENOENT;
	printf("forked_hash: forked secondary: compare function at 0x%" PRIxPTR
	       " in the primary, 0x%" PRIxPTR " here; %u added, %u found, %u wrong, "
	       "absent key %s, compare called %" PRIu64 " times\n",
	       (uintptr_t)info->cmp_addr, mine, added, found, wrong,
	       absent_ok ? "not found" : "FOUND", info->cmp_calls.load() - calls);
	for (uint32_t i = 0; i < nb_keys; i++) {
		key k = { i, static_cast<uint32_t>(getpid()), 0 };
		rte_hash_del_key(h, &k);
	}
	return 0;
}

int
hash_main(int argc, char **argv)
{
	char **args;
	const int nargs = app_args(argc, argv, &args);    /* before the EAL rewrites argv */

	if (rte_mps_forked_launch(argc, argv) < 0)
		return fail("launcher");
	if (!rte_mps_is_forked_secondary() && rte_eal_init(argc, argv) < 0)
		return fail("rte_eal_init");
	if (rte_eal_process_type() == RTE_PROC_PRIMARY && !rte_mps_is_forked_secondary())
		return run_primary();
	return run_secondary(nargs, args);
}

} /* namespace */

RTE_MPS_FORKED_MAIN(forked_hash, hash_main)

int
main(int argc, char **argv)
{
	return hash_main(argc, argv);
}
