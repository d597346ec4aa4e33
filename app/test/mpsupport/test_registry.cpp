/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/*
 * Unit tests of the registry room of librte_mpsupport: rte_mps_init() and
 * the process list, calls refused before initialisation, a shared layout
 * of another build refused, a record left by a recycled pid, and an lcore
 * word left by the previous user of a reused process slot.
 */

/* Every DPDK process here gets --no-pci from mps_test_env.h. */
#include <sys/socket.h>
#include <sys/un.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>

#include <rte_mps_fork.h>
#include <rte_mps_lcore.h>
#include <rte_mps_notify.h>
#include <rte_mps_registry.h>
#include <rte_mps_res.h>
#include <rte_mps_worker.h>
#include "mps_private.h"
#include "mps_test_env.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

using namespace mpstest;

static void
test_init_and_list(void **)
{
	struct rte_mps_proc_info info[RTE_MPS_MAX_PROCS];

	assert_int_equal(rte_mps_init(), 0);
	assert_int_equal(rte_mps_init(), 0);    /* idempotent */
	assert_int_equal(rte_mps_primary_pid(), getpid());
	int n = rte_mps_proc_list(info, RTE_DIM(info));
	assert_true(n >= 1);
	bool found = false;
	for (int i = 0; i < n; i++) {
		if (info[i].pid != getpid())
			continue;
		found = true;
		assert_int_equal(info[i].type, RTE_MPS_PROC_PRIMARY);
		assert_int_equal(info[i].lcores[0] & 3, 3);    /* --lcores 0@0,1@1 */
		assert_int_equal(info[i].worker, RTE_MPS_NO_WORKER);
	}
	assert_true(found);
	assert_int_equal(rte_mps_proc_list(nullptr, 0), n);
	assert_int_equal(rte_mps_proc_list(nullptr, 1), -EINVAL);
	/* Own EAL lcores are reserved in the shared table. */
	pid_t owner = 0;
	assert_int_equal(rte_mps_lcore_owner(0, &owner), 1);
	assert_int_equal(owner, getpid());
	assert_int_equal(rte_mps_lcore_owner(1, nullptr), 1);
}

static void
test_not_initialised(void **)
{
	uint64_t ready;

	assert_int_equal(rte_mps_fini(), 0);
	assert_int_equal(rte_mps_fini(), -EINVAL);
	assert_int_equal(rte_mps_lcore_claim(), -EINVAL);
	assert_int_equal(rte_mps_lcore_release(0), -EINVAL);
	assert_int_equal(rte_mps_lcore_reclaim(), -EINVAL);
	assert_int_equal(rte_mps_lcore_owner(0, nullptr), -EINVAL);
	assert_int_equal(rte_mps_proc_list(nullptr, 0), -EINVAL);
	assert_int_equal(rte_mps_primary_pid(), -EINVAL);
	assert_int_equal(rte_mps_exit_notify_register(getpid(), 0,
			[](const rte_mps_exit_info *, void *) {}, nullptr), -EINVAL);
	assert_int_equal(rte_mps_exit_notify_fd(), -EINVAL);
	assert_int_equal(rte_mps_worker_add(0), -EINVAL);
	assert_int_equal(rte_mps_group_wait(&ready, 0), -EINVAL);
	assert_int_equal(rte_mps_res_lcore_cache(0, 3), -EINVAL);
	assert_int_equal(rte_mps_res_reset(0), -EINVAL);
	assert_int_equal(rte_mps_fork(RTE_MPS_NO_WORKER), -EINVAL);
	assert_int_equal(rte_mps_is_forked(), 0);
	assert_int_equal(rte_mps_init(), 0);
}

static void
test_stale_layout(void **)
{
	mps::shared *sh = shm();

	assert_non_null(sh);
	assert_int_equal(rte_mps_fini(), 0);

	sh->magic ^= 1;
	assert_int_equal(rte_mps_init(), -EPROTO);
	assert_int_equal(rte_errno, EPROTO);
	assert_true(strstr(rte_mps_strerror(), "magic") != nullptr);
	sh->magic ^= 1;

	sh->version = 99;
	assert_int_equal(rte_mps_init(), -EPROTO);
	assert_true(strstr(rte_mps_strerror(), "layout version 99") != nullptr);
	sh->version = RTE_MPS_LAYOUT_VERSION;

	sh->max_lcore = 64;
	assert_int_equal(rte_mps_init(), -EPROTO);
	assert_true(strstr(rte_mps_strerror(), "RTE_MAX_LCORE 64") != nullptr);
	sh->max_lcore = RTE_MAX_LCORE;

	assert_int_equal(rte_mps_init(), 0);
}

/* A record with our own (live) pid but another start time is a recycled
 * pid: what it holds is reclaimed. The same record with the right start
 * time is alive and kept. */
static void
test_stale_record_pid_reuse(void **)
{
	mps::shared *sh = shm();
	uint64_t st;

	assert_int_equal(rte_mps_proc_start_time(getpid(), &st), 0);
	int slot = -1;
	for (int i = RTE_MPS_MAX_PROCS - 1; i >= 0 && slot < 0; i--)
		if (mps::slot_state(sh->procs[i].state) == mps::SLOT_FREE)
			slot = i;
	assert_true(slot >= 0);
	uint32_t gen = mps::slot_gen(sh->procs[slot].state) + 1;
	for (int pass = 0; pass < 2; pass++) {
		bool stale = pass == 0;
		mps::proc_slot *ps = &sh->procs[slot];
		ps->pid = getpid();
		ps->start_time = stale ? st - 1 : st;
		ps->type = RTE_MPS_PROC_SECONDARY;
		ps->state = mps::slot_word(mps::SLOT_LIVE, gen, getpid());
		sh->lcore[7] = mps::lc_word(mps::LC_EAL, (unsigned int)slot, gen, 0);
		sh->lcore[8] = mps::lc_word(mps::LC_FLOAT, (unsigned int)slot, gen, 1234);
		assert_int_equal(rte_mps_lcore_owner(7, nullptr), 1);
		assert_int_equal(rte_mps_lcore_owner(8, nullptr), 2);
		int k = rte_mps_lcore_reclaim();
		if (stale) {
			assert_true(k >= 2);
			assert_int_equal(rte_mps_lcore_owner(7, nullptr), 0);
			assert_int_equal(rte_mps_lcore_owner(8, nullptr), 0);
			assert_int_equal(mps::slot_state(ps->state), mps::SLOT_FREE);
		} else {
			assert_int_equal(rte_mps_lcore_owner(7, nullptr), 1);
			assert_int_equal(rte_mps_lcore_owner(8, nullptr), 2);
			assert_int_equal(mps::slot_state(ps->state), mps::SLOT_LIVE);
			sh->lcore[7] = mps::LC_FREE;
			sh->lcore[8] = mps::LC_FREE;
			ps->state = mps::slot_word(mps::SLOT_FREE, gen, 0);
		}
		gen++;
	}
}

/* The reply of our own telemetry socket to cmd, or "" (bounded by 5 s). */
static std::string
telemetry(const char *cmd)
{
	std::string path = std::string(rte_eal_get_runtime_dir()) + "/dpdk_telemetry.v2";
	struct sockaddr_un addr = {};
	struct timeval tv = { 5, 0 };
	char buf[16384];
	std::string out;
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return out;
	addr.sun_family = AF_UNIX;
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", path.c_str());
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	/* The server speaks first, with its version and output size. */
	if (connect(fd, reinterpret_cast<struct sockaddr *>(&addr), sizeof(addr)) == 0 &&
			read(fd, buf, sizeof(buf)) > 0 &&
			write(fd, cmd, strlen(cmd)) == (ssize_t)strlen(cmd)) {
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n > 0)
			out.assign(buf, (size_t)n);
	}
	close(fd);
	return out;
}

static bool
read_byte(int fd)
{
	char c;

	return read(fd, &c, 1) == 1;
}

/*
 * A process dies holding a floating lcore, and a new process reuses its
 * process slot before the dead owner's lcore word is reclaimed (as when
 * the slot sweep of another reclaim, or of a registration finding no free
 * slot, ran first). The word names a slot that is live again, in another
 * generation: it is reclaimed, and never shown as the new process's.
 */
static void
test_stale_generation_reclaimed(void **)
{
	mps::shared *sh = shm();
	int fds[2];

	assert_non_null(sh);
	assert_int_equal(pipe(fds), 0);
	pid_t dead = rte_mps_fork(RTE_MPS_NO_WORKER);
	assert_true(dead >= 0);
	if (dead == 0) {
		int id = rte_mps_lcore_claim();
		if (write(fds[1], &id, sizeof(id)) != sizeof(id))
			_exit(1);
		for (;;)
			pause();
	}
	int id = -1;
	assert_int_equal(read(fds[0], &id, sizeof(id)), (ssize_t)sizeof(id));
	assert_true(id >= 2);
	uint64_t w = mps::load(&sh->lcore[id]);
	unsigned int slot = mps::lc_slot(w);
	assert_int_equal(mps::lc_kind(w), mps::LC_FLOAT);
	assert_int_equal(sh->procs[slot].pid, dead);

	kill(dead, SIGKILL);
	assert_int_equal(wait_exit(dead, 5000) & 0x7f, SIGKILL);
	/* The primary's member watch reclaims both, with the generation. */
	assert_true(wait_for([&] {
		return rte_mps_lcore_owner((unsigned int)id, nullptr) == 0 &&
			mps::slot_state(mps::load(&sh->procs[slot].state)) == mps::SLOT_FREE;
	}, 5000));

	/* The new process takes the lowest free slot: the dead one's. */
	pid_t young = rte_mps_fork(RTE_MPS_NO_WORKER);
	assert_true(young >= 0);
	if (young == 0) {
		if (write(fds[1], "r", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	assert_true(read_byte(fds[0]));
	close(fds[0]);
	close(fds[1]);
	uint64_t sw = mps::load(&sh->procs[slot].state);
	assert_int_equal(mps::slot_state(sw), mps::SLOT_LIVE);
	assert_int_equal(mps::slot_pid(sw), young);
	assert_int_equal(mps::slot_gen(sw) & 0xffffff, (mps::lc_gen(w) + 1) & 0xffffff);

	/* Put back the dead owner's word, as if it had not been reclaimed
	 * before the slot was reused. */
	uint64_t free_word = mps::LC_FREE;
	assert_true(mps::cas(&sh->lcore[id], free_word, w));
	pid_t owner = -1;
	assert_int_equal(rte_mps_lcore_owner((unsigned int)id, &owner), 2);
	assert_int_equal(owner, 0);
	char entry[64];
	snprintf(entry, sizeof(entry), "\"%d\":{\"kind\":\"floating\",\"pid\":0}", id);
	std::string reply = telemetry("/mpsupport/lcores");
	if (reply.find(entry) == std::string::npos)
		fail_msg("/mpsupport/lcores, lcore %d: %s", id, reply.c_str());

	assert_int_equal(rte_mps_lcore_reclaim(), 1);
	assert_int_equal(rte_mps_lcore_owner((unsigned int)id, nullptr), 0);
	snprintf(entry, sizeof(entry), "\"%d\":", id);
	reply = telemetry("/mpsupport/lcores");
	if (reply.find("\"floating\":0") == std::string::npos ||
			reply.find(entry) != std::string::npos)
		fail_msg("/mpsupport/lcores after the reclaim: %s", reply.c_str());
	assert_int_equal(mps::load(&sh->procs[slot].state), sw);

	kill(young, SIGKILL);
	assert_int_equal(wait_exit(young, 5000) & 0x7f, SIGKILL);
	assert_true(wait_for([&] {
		return mps::slot_state(mps::load(&sh->procs[slot].state)) == mps::SLOT_FREE;
	}, 5000));
}

int
main(int, char **argv)
{
	int ret = start_test_eal(argv[0], "utreg");

	if (ret != 0)
		return ret;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_and_list),
		cmocka_unit_test(test_not_initialised),
		cmocka_unit_test(test_stale_layout),
		cmocka_unit_test(test_stale_record_pid_reuse),
		cmocka_unit_test(test_stale_generation_reclaimed),
	};
	ret = cmocka_run_group_tests(tests, mps_group_setup, mps_group_teardown);
	stop_test_eal();
	return ret;
}
