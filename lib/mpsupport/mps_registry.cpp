/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_memzone.h>

#include "mps_dpdk.h"
#include "mps_private.h"

RTE_LOG_REGISTER_DEFAULT(mps_logtype, INFO);

namespace mps {

local g = { nullptr, -1, 0, false, 0 };

static thread_local char t_err[256];

int
fail(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t_err, sizeof(t_err), fmt, ap);
	va_end(ap);
	rte_errno = err;
	MPS_LOG(DEBUG, "%s\n", t_err);
	return -err;
}

void
clear_error()
{
	t_err[0] = '\0';
}

uint64_t
now_ns()
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/*
 * Let a library thread run on any CPU. Control threads are pinned to the
 * CPUs the EAL lcores do not use, or to the main lcore's CPU when there is
 * none left; an lcore busy-polling that CPU would then delay the thread by
 * a scheduler time slice, which is what exit notification must avoid. The
 * threads sleep in epoll_wait() or on a condition variable, so they cost
 * nothing where they wait.
 */
void
unpin_thread(rte_thread_t thread)
{
	rte_cpuset_t all;
	long ncpu = sysconf(_SC_NPROCESSORS_CONF);

	CPU_ZERO(&all);
	for (long c = 0; c < ncpu && c < CPU_SETSIZE; c++)
		CPU_SET(c, &all);
	if (rte_thread_set_affinity_by_id(thread, &all) != 0)
		MPS_LOG(DEBUG, "cannot widen the affinity of a library thread\n");
}

/* Fields of /proc/<pid>/stat we need: state (3), ppid (4), starttime (22). */
struct stat_fields {
	char state;
	int32_t ppid;
	uint64_t start_time;
};

static int
read_stat(pid_t pid, stat_fields *f)
{
	char path[64];
	char buf[1024];

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -ESRCH;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -ESRCH;
	buf[n] = '\0';

	/* The command name may hold spaces and parentheses: skip to the last ')'. */
	char *p = strrchr(buf, ')');
	if (p == nullptr || p[1] != ' ')
		return -EIO;
	p += 2;
	f->state = *p;
	unsigned int field = 3;
	while (*p != '\0' && field < 22) {
		if (*p == ' ') {
			field++;
			if (field == 4)
				f->ppid = (int32_t)strtol(p + 1, nullptr, 10);
		}
		p++;
	}
	if (field != 22)
		return -EIO;
	f->start_time = strtoull(p, nullptr, 10);
	return 0;
}

int
proc_ppid(pid_t pid)
{
	stat_fields f;

	if (read_stat(pid, &f) < 0)
		return -1;
	return f.ppid;
}

/* Threads of a process still in the kernel's count (its "Threads:" line). */
static int
proc_threads(pid_t pid)
{
	char path[64];
	char buf[2048];

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	const char *p = strstr(buf, "\nThreads:");
	return p == nullptr ? 0 : atoi(p + strlen("\nThreads:"));
}

/*
 * Alive: same pid, same start time, and not all gone. A killed process's
 * leader turns zombie while its other threads may still be on their way
 * out, some of them for a few microseconds still in user space: until the
 * zombie is the last thread, the process still counts as alive, so that
 * nothing it held is handed out while one of its threads can touch it.
 */
static bool
proc_alive(pid_t pid, uint64_t start_time)
{
	stat_fields f;

	if (pid <= 0 || read_stat(pid, &f) < 0 || f.start_time != start_time)
		return false;
	if (f.state == 'X' || f.state == 'x')
		return false;
	if (f.state == 'Z')
		return proc_threads(pid) > 1;
	return true;
}

bool
slot_word_alive(const shared *sh, unsigned int slot, uint64_t w)
{
	int32_t pid = slot_pid(w);

	switch (slot_state(w)) {
	case SLOT_FREE:
		return false;
	case SLOT_CLAIMING:
		/* start_time may not be written yet: only the pid can tell. */
		return kill(pid, 0) == 0 || errno == EPERM;
	default:
		if ((int)slot == g.slot && pid == g.pid)
			return true;
		return proc_alive(pid, load(&sh->procs[slot].start_time));
	}
}

bool
lc_owner_alive(const shared *sh, uint64_t w)
{
	unsigned int slot = lc_slot(w);

	if (slot >= RTE_MPS_MAX_PROCS)
		return false;
	uint64_t sw = load(&sh->procs[slot].state);
	if (slot_state(sw) == SLOT_FREE || (slot_gen(sw) & 0xffffff) != lc_gen(w))
		return false;
	return slot_word_alive(sh, slot, sw);
}

static const char *
type_name(uint32_t type)
{
	switch (type) {
	case RTE_MPS_PROC_PRIMARY: return "primary";
	case RTE_MPS_PROC_SECONDARY: return "secondary";
	case RTE_MPS_PROC_FORKED: return "forked worker";
	default: return "unknown";
	}
}

static void
release_eal_lcores(unsigned int slot, uint32_t gen, const uint64_t *lcores)
{
	shared *sh = g.sh;

	for (unsigned int l = 0; l < RTE_MAX_LCORE; l++) {
		if (!(lcores[l / 64] & (1ull << (l % 64))))
			continue;
		uint64_t w = load(&sh->lcore[l]);
		if (lc_kind(w) == LC_EAL && lc_slot(w) == slot && lc_gen(w) == (gen & 0xffffff))
			cas(&sh->lcore[l], w, (uint64_t)LC_FREE);
	}
}

int
slot_register(uint32_t type, int32_t parent_pid, int32_t worker, const uint64_t *lcores)
{
	shared *sh = g.sh;
	int32_t pid = getpid();
	uint64_t start;
	int slot = -1;
	uint32_t gen = 0;

	if (rte_mps_proc_start_time(pid, &start) < 0)
		return fail(EIO, "cannot read the start time of pid %d", pid);

	for (int pass = 0; pass < 2 && slot < 0; pass++) {
		for (unsigned int i = 0; i < RTE_MPS_MAX_PROCS; i++) {
			uint64_t w = load(&sh->procs[i].state);
			if (slot_state(w) != SLOT_FREE)
				continue;
			uint32_t ngen = slot_gen(w) + 1;
			if (cas(&sh->procs[i].state, w, slot_word(SLOT_CLAIMING, ngen, pid))) {
				slot = (int)i;
				gen = ngen;
				break;
			}
		}
		if (slot < 0 && pass == 0)
			reclaim_dead_slots();
	}
	if (slot < 0)
		return fail(ENOSPC, "no free process slot (%d in use)", RTE_MPS_MAX_PROCS);

	proc_slot *ps = &sh->procs[slot];
	store(&ps->start_time, start);
	ps->pid = pid;
	ps->parent_pid = parent_pid;
	ps->type = type;
	ps->worker = worker;
	for (unsigned int i = 0; i < LCORE_WORDS; i++)
		ps->lcores[i] = lcores[i];
	store(&ps->state, slot_word(SLOT_LIVE, gen, pid));
	store(&g.slot, slot);
	g.gen = gen;

	/* Reserve the EAL lcores; a live owner means an overlap. */
	for (unsigned int l = 0; l < RTE_MAX_LCORE; l++) {
		if (!(lcores[l / 64] & (1ull << (l % 64))))
			continue;
		uint64_t mine = lc_word(LC_EAL, slot, gen, 0);
		for (;;) {
			uint64_t w = load(&sh->lcore[l]);
			if (lc_kind(w) == LC_FREE) {
				if (cas(&sh->lcore[l], w, mine))
					break;
				continue;
			}
			if (!lc_owner_alive(sh, w)) {
				/* Reclaim (flushing caches) then retry. */
				reclaim_lcores();
				if (load(&sh->lcore[l]) == w)
					rte_pause();
				continue;
			}
			unsigned int os = lc_slot(w);
			int32_t opid = sh->procs[os].pid;
			const char *what = lc_kind(w) == LC_FLOAT ?
				"as a floating lcore" : "as an EAL lcore";
			release_eal_lcores(slot, gen, lcores);
			uint64_t sw = load(&ps->state);
			cas(&ps->state, sw, slot_word(SLOT_FREE, gen, 0));
			store(&g.slot, -1);
			return fail(EBUSY, "lcore %u is already used %s by pid %d (%s)",
					l, what, (int)opid, type_name(sh->procs[os].type));
		}
	}
	return 0;
}

void
slot_release_own()
{
	shared *sh = g.sh;

	if (sh == nullptr || g.slot < 0)
		return;
	proc_slot *ps = &sh->procs[g.slot];
	lcore_release_slot((unsigned int)g.slot, g.gen, true);
	uint64_t w = load(&ps->state);
	if (slot_gen(w) == g.gen && slot_pid(w) == g.pid)
		cas(&ps->state, w, slot_word(SLOT_FREE, g.gen, 0));
	store(&g.slot, -1);
}

int
reclaim_dead_slots()
{
	shared *sh = g.sh;
	int n = 0;

	for (unsigned int i = 0; i < RTE_MPS_MAX_PROCS; i++) {
		uint64_t w = load(&sh->procs[i].state);
		if (slot_state(w) == SLOT_FREE || slot_word_alive(sh, i, w))
			continue;
		if (cas(&sh->procs[i].state, w, slot_word(SLOT_FREE, slot_gen(w), 0))) {
			MPS_LOG(INFO, "reclaimed slot %u of dead pid %d\n", i, (int)slot_pid(w));
			n++;
		}
	}
	return n;
}

static int
check_layout(const shared *sh)
{
	if (sh->magic != RTE_MPS_MAGIC)
		return fail(EPROTO, "memzone %s has magic 0x%016" PRIx64 ", expected 0x%016"
				PRIx64 " (not an mpsupport registry)", RTE_MPS_MZ_NAME,
				sh->magic, RTE_MPS_MAGIC);
	if (sh->version != RTE_MPS_LAYOUT_VERSION)
		return fail(EPROTO, "memzone %s has layout version %u, expected %u",
				RTE_MPS_MZ_NAME, sh->version, RTE_MPS_LAYOUT_VERSION);
	if (sh->size != sizeof(shared) || sh->max_lcore != RTE_MAX_LCORE ||
			sh->max_procs != RTE_MPS_MAX_PROCS ||
			sh->max_workers != RTE_MPS_MAX_WORKERS)
		return fail(EPROTO, "memzone %s was built with size %u, RTE_MAX_LCORE %u, "
				"%u procs, %u workers; expected %zu, %u, %u, %u",
				RTE_MPS_MZ_NAME, sh->size, sh->max_lcore, sh->max_procs,
				sh->max_workers, sizeof(shared), RTE_MAX_LCORE,
				RTE_MPS_MAX_PROCS, RTE_MPS_MAX_WORKERS);
	return 0;
}

} /* namespace mps */

using namespace mps;

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_strerror, 22.11)
const char *
rte_mps_strerror(void)
{
	return t_err;
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_proc_start_time, 22.11)
int
rte_mps_proc_start_time(pid_t pid, uint64_t *start_time)
{
	stat_fields f;

	if (pid <= 0 || start_time == nullptr)
		return fail(EINVAL, "bad pid %d or null start time", (int)pid);
	int ret = read_stat(pid, &f);
	if (ret < 0)
		return fail(-ret, "no process %d", (int)pid);
	*start_time = f.start_time;
	return 0;
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_proc_alive, 22.11)
int
rte_mps_proc_alive(pid_t pid, uint64_t start_time)
{
	return proc_alive(pid, start_time) ? 1 : 0;
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_init, 22.11)
int
rte_mps_init(void)
{
	const struct rte_memzone *mz;
	shared *sh;
	bool primary = rte_eal_process_type() == RTE_PROC_PRIMARY;
	uint64_t lcores[LCORE_WORDS] = {};

	clear_error();
	if (g.forked)
		return fail(EPERM, "rte_mps_init() called in a forked worker");
	if (g.sh != nullptr)
		return 0;

	mz = rte_memzone_lookup(RTE_MPS_MZ_NAME);
	if (mz == nullptr && !primary)
		return fail(ENOENT, "memzone %s not found: the primary must call "
				"rte_mps_init() first", RTE_MPS_MZ_NAME);
	if (mz == nullptr) {
		mz = rte_memzone_reserve(RTE_MPS_MZ_NAME, sizeof(shared), SOCKET_ID_ANY, 0);
		if (mz == nullptr)
			return fail(ENOMEM, "cannot reserve memzone %s: %s", RTE_MPS_MZ_NAME,
					rte_strerror(rte_errno));
		sh = static_cast<shared *>(mz->addr);
		memset(sh, 0, sizeof(*sh));
		sh->version = RTE_MPS_LAYOUT_VERSION;
		sh->size = sizeof(shared);
		sh->max_lcore = RTE_MAX_LCORE;
		sh->max_procs = RTE_MPS_MAX_PROCS;
		sh->max_workers = RTE_MPS_MAX_WORKERS;
		store(&sh->magic, RTE_MPS_MAGIC);
	} else {
		if (mz->len < sizeof(shared))
			return fail(EPROTO, "memzone %s is %zu bytes, expected %zu",
					RTE_MPS_MZ_NAME, mz->len, sizeof(shared));
		sh = static_cast<shared *>(mz->addr);
		int ret = check_layout(sh);
		if (ret < 0) {
			MPS_LOG(DEBUG, "%s\n", t_err);
			return ret;
		}
	}

	const char *why;
	put_model model = dpdk_probe_put_model(&why);
	dpdk_set_put_model(model, why);
	store(&g.sh, sh);
	g.pid = getpid();
	for (unsigned int l = 0; l < RTE_MAX_LCORE; l++)
		if (rte_lcore_is_enabled(l))
			lcores[l / 64] |= 1ull << (l % 64);

	int ret = slot_register(primary ? RTE_MPS_PROC_PRIMARY : RTE_MPS_PROC_SECONDARY,
			0, RTE_MPS_NO_WORKER, lcores);
	if (ret < 0) {
		MPS_LOG(DEBUG, "%s\n", t_err);
		store(&g.sh, (shared *)nullptr);
		return ret;
	}
	if (primary) {
		store(&sh->primary_start, load(&sh->procs[g.slot].start_time));
		store(&sh->primary_pid, g.pid);
	}

	ret = notify_start();
	if (ret == 0)
		ret = primary ? notify_ipc_register() : announce_member(g.pid);
	if (ret < 0) {
		MPS_LOG(DEBUG, "%s\n", t_err);
		notify_stop();
		slot_release_own();
		store(&g.sh, (shared *)nullptr);
		return ret;
	}
	MPS_LOG(DEBUG, "pid %d registered in slot %d\n", (int)g.pid, g.slot);
	return 0;
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_fini, 22.11)
int
rte_mps_fini(void)
{
	if (g.sh == nullptr)
		return fail(EINVAL, "mpsupport is not initialised");
	worker_stop_tracker();
	if (!g.forked) {
		notify_ipc_unregister();
		notify_stop();
	}
	lcore_forget_thread();
	slot_release_own();
	worker_forget_rings();
	store(&g.sh, (shared *)nullptr);
	return 0;
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_proc_list, 22.11)
int
rte_mps_proc_list(struct rte_mps_proc_info *info, unsigned int n)
{
	shared *sh = g.sh;
	int count = 0;

	if (sh == nullptr)
		return fail(EINVAL, "mpsupport is not initialised");
	if (info == nullptr && n > 0)
		return fail(EINVAL, "null info array");
	for (unsigned int i = 0; i < RTE_MPS_MAX_PROCS; i++) {
		const proc_slot *ps = &sh->procs[i];
		uint64_t w = load(&ps->state);
		if (slot_state(w) != SLOT_LIVE)
			continue;
		if ((unsigned int)count < n) {
			rte_mps_proc_info *pi = &info[count];
			pi->pid = ps->pid;
			pi->parent_pid = ps->parent_pid;
			pi->start_time = ps->start_time;
			pi->type = (enum rte_mps_proc_type)ps->type;
			pi->worker = ps->worker;
			memcpy(pi->lcores, ps->lcores, sizeof(pi->lcores));
		}
		count++;
	}
	return count;
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_primary_pid, 22.11)
int
rte_mps_primary_pid(void)
{
	if (g.sh == nullptr)
		return fail(EINVAL, "mpsupport is not initialised");
	return load(&g.sh->primary_pid);
}
