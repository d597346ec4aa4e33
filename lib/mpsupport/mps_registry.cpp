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

#include "mps_private.h"

namespace mps {

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
		if ((int)slot == self.slot && pid == self.pid)
			return true;
		return proc_alive(pid, load(&sh->procs[slot].start_time));
	}
}

static void
release_eal_lcores(unsigned int slot, uint32_t gen, const uint64_t *lcores)
{
	shared *sh = self.sh;

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
	shared *sh = self.sh;
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
	store(&self.slot, slot);
	self.gen = gen;

	/*
	 * Reserve the EAL lcores; a live owner means an overlap. A reclaim, or
	 * a pool rebuild, holds a dead owner's id for a while: 5 s in all.
	 */
	const uint64_t deadline = now_ns() + 5000000000ull;
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
			const bool alive = lc_owner_alive(sh, w);
			if (!alive)
				reclaim_lcores();    /* flushing its caches */
			if ((!alive || lc_kind(w) == LC_RECLAIM) && now_ns() < deadline) {
				if (load(&sh->lcore[l]) == w)
					usleep(100);
				continue;
			}
			unsigned int os = lc_slot(w);
			int32_t opid = sh->procs[os].pid;
			const char *what = lc_kind(w) == LC_FLOAT ? "as a floating lcore" :
				lc_kind(w) == LC_EAL ? "as an EAL lcore" :
				"by a reclaim that does not end";
			release_eal_lcores(slot, gen, lcores);
			uint64_t sw = load(&ps->state);
			cas(&ps->state, sw, slot_word(SLOT_FREE, gen, 0));
			store(&self.slot, -1);
			return fail(EBUSY, "lcore %u is already used %s by pid %d (%s)",
					l, what, (int)opid, proc_type_name(sh->procs[os].type));
		}
	}
	return 0;
}

void
slot_release_own()
{
	shared *sh = self.sh;

	if (sh == nullptr || self.slot < 0)
		return;
	proc_slot *ps = &sh->procs[self.slot];
	lcore_release_slot((unsigned int)self.slot, self.gen, true);
	uint64_t w = load(&ps->state);
	if (slot_gen(w) == self.gen && slot_pid(w) == self.pid)
		cas(&ps->state, w, slot_word(SLOT_FREE, self.gen, 0));
	store(&self.slot, -1);
}

int
reclaim_dead_slots()
{
	shared *sh = self.sh;
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

} /* namespace mps */

using namespace mps;

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_proc_list, 22.11)
int
rte_mps_proc_list(struct rte_mps_proc_info *info, unsigned int n)
{
	shared *sh = self.sh;
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
	if (self.sh == nullptr)
		return fail(EINVAL, "mpsupport is not initialised");
	return load(&self.sh->primary_pid);
}
