/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_telemetry.h>
#include <rte_version.h>

#include "mps_dpdk.h"
#include "mps_private.h"

namespace mps {

namespace {

/* "0-2,5" style list of the set bits. */
void
format_set(const uint64_t *set, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (unsigned int l = 0; l < RTE_MAX_LCORE && off < len; l++) {
		if (!(set[l / 64] & (1ull << (l % 64))))
			continue;
		unsigned int e = l;
		while (e + 1 < RTE_MAX_LCORE && (set[(e + 1) / 64] & (1ull << ((e + 1) % 64))))
			e++;
		int k = e == l ? snprintf(buf + off, len - off, "%s%u", off ? "," : "", l) :
			snprintf(buf + off, len - off, "%s%u-%u", off ? "," : "", l, e);
		if (k < 0)
			break;
		off += (size_t)k;
		l = e;
	}
}

/* One process's record, typed fields (shared by procs and info,<pid>). */
void
add_proc(struct rte_tel_data *d, const proc_slot *ps, unsigned int slot)
{
	char set[RTE_TEL_MAX_STRING_LEN];

	format_set(ps->lcores, set, sizeof(set));
	rte_tel_data_add_dict_int(d, "pid", ps->pid);
	rte_tel_data_add_dict_int(d, "parent_pid", ps->parent_pid);
	rte_tel_data_add_dict_string(d, "type", proc_type_name(ps->type));
	rte_tel_data_add_dict_uint(d, "slot", slot);
	rte_tel_data_add_dict_uint(d, "start_time", ps->start_time);
	rte_tel_data_add_dict_int(d, "worker", ps->worker);
	rte_tel_data_add_dict_string(d, "lcores", set);
	rte_tel_data_add_dict_int(d, "alive", proc_alive(ps->pid, ps->start_time));
}

/* Calls f(slot index, proc_slot) for each live slot. */
template <typename F>
void
for_each_proc(const shared *sh, F &&f)
{
	for (unsigned int i = 0; i < RTE_MPS_MAX_PROCS; i++) {
		const proc_slot *ps = &sh->procs[i];
		if (slot_state(load(&ps->state)) == SLOT_LIVE)
			f(i, ps);
	}
}

/* A dict entry holding a new dict; nullptr if out of memory. */
struct rte_tel_data *
add_sub_dict(struct rte_tel_data *d, const char *key)
{
	struct rte_tel_data *sub = rte_tel_data_alloc();

	if (sub == nullptr)
		return nullptr;
	rte_tel_data_start_dict(sub);
	if (rte_tel_data_add_dict_container(d, key, sub, 0) != 0) {
		rte_tel_data_free(sub);
		return nullptr;
	}
	return sub;
}

/* With no parameter, this process's view of the registry; with a pid, that
 * process's record. */
int
handle_info(const char *, const char *params, struct rte_tel_data *d)
{
	/* The telemetry thread races with rte_mps_init() and rte_mps_fini(). */
	const shared *sh = load(&self.sh);

	if (params != nullptr && params[0] != '\0') {
		int pid;
		bool found = false;

		if (parse_pid_param(params, &pid) < 0 || sh == nullptr)
			return -EINVAL;
		rte_tel_data_start_dict(d);
		for_each_proc(sh, [&](unsigned int i, const proc_slot *ps) {
			if (!found && ps->pid == pid) {
				add_proc(d, ps, i);
				found = true;
			}
		});
		return found ? 0 : -EINVAL;
	}
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_int(d, "initialised", sh != nullptr);
	rte_tel_data_add_dict_string(d, "dpdk_version", rte_version());
	rte_tel_data_add_dict_string(d, "put_model", dpdk_put_model_name(dpdk_put_model()));
	if (sh == nullptr)
		return 0;
	rte_tel_data_add_dict_uint(d, "layout_version", sh->version);
	rte_tel_data_add_dict_int(d, "primary_pid", load(&sh->primary_pid));
	rte_tel_data_add_dict_int(d, "pid", getpid());
	rte_tel_data_add_dict_int(d, "slot", load(&self.slot));
	rte_tel_data_add_dict_uint(d, "max_procs", RTE_MPS_MAX_PROCS);
	rte_tel_data_add_dict_uint(d, "max_workers", RTE_MPS_MAX_WORKERS);
	return 0;
}

int
handle_list(const char *, const char *, struct rte_tel_data *d)
{
	const shared *sh = load(&self.sh);

	rte_tel_data_start_array(d, RTE_TEL_INT_VAL);
	if (sh != nullptr)
		for_each_proc(sh, [d](unsigned int, const proc_slot *ps) {
			rte_tel_data_add_array_int(d, ps->pid);
		});
	return 0;
}

int
handle_procs(const char *, const char *, struct rte_tel_data *d)
{
	const shared *sh = load(&self.sh);

	rte_tel_data_start_dict(d);
	if (sh == nullptr)
		return 0;
	for_each_proc(sh, [d](unsigned int i, const proc_slot *ps) {
		char key[32];

		snprintf(key, sizeof(key), "%d", ps->pid);
		struct rte_tel_data *sub = add_sub_dict(d, key);
		if (sub != nullptr)
			add_proc(sub, ps, i);
	});
	return 0;
}

int
handle_lcores(const char *, const char *, struct rte_tel_data *d)
{
	char key[32];
	unsigned int nfree = 0, neal = 0, nfloat = 0;
	const shared *sh = load(&self.sh);

	rte_tel_data_start_dict(d);
	if (sh == nullptr)
		return 0;
	for (unsigned int l = 0; l < RTE_MAX_LCORE; l++) {
		uint64_t w = load(&sh->lcore[l]);
		const char *kind;
		switch (lc_kind(w)) {
		case LC_FREE:
			nfree++;
			continue;
		case LC_EAL:
			neal++;
			kind = "eal";
			break;
		case LC_FLOAT:
			nfloat++;
			kind = "floating";
			break;
		default:
			kind = "reclaiming";
			break;
		}
		snprintf(key, sizeof(key), "%u", l);
		struct rte_tel_data *sub = add_sub_dict(d, key);
		if (sub == nullptr)
			continue;
		rte_tel_data_add_dict_string(sub, "kind", kind);
		rte_tel_data_add_dict_int(sub, "pid", lc_owner_pid(sh, w));
	}
	rte_tel_data_add_dict_uint(d, "free", nfree);
	rte_tel_data_add_dict_uint(d, "eal", neal);
	rte_tel_data_add_dict_uint(d, "floating", nfloat);
	rte_tel_data_add_dict_uint(d, "dead_puts_completed",
			dead_puts_completed.load(std::memory_order_relaxed));
	rte_tel_data_add_dict_uint(d, "dead_puts_unwritten",
			dead_puts_unwritten.load(std::memory_order_relaxed));
	return 0;
}

int
handle_workers(const char *, const char *, struct rte_tel_data *d)
{
	static const char *const names[] = { "none", "idle", "running", "stopping", "ready" };
	char key[32];
	const shared *sh = load(&self.sh);

	rte_tel_data_start_dict(d);
	if (sh == nullptr)
		return 0;
	for (unsigned int w = 0; w < RTE_MPS_MAX_WORKERS; w++) {
		const worker_slot *ws = &sh->workers[w];
		uint32_t st = load(&ws->state);
		if (st == W_NONE || st >= RTE_DIM(names))
			continue;
		snprintf(key, sizeof(key), "%u", w);
		struct rte_tel_data *sub = add_sub_dict(d, key);
		if (sub == nullptr)
			continue;
		rte_tel_data_add_dict_string(sub, "state", names[st]);
		rte_tel_data_add_dict_int(sub, "pid", ws->pid);
		rte_tel_data_add_dict_uint(sub, "deps", ws->deps);
		rte_tel_data_add_dict_uint(sub, "restarts", ws->restarts);
	}
	return 0;
}

/* Steps of the last recovery that made workers ready. */
int
handle_recovery(const char *, const char *, struct rte_tel_data *d)
{
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_uint(d, "last_reset_ns",
			recovery.last_reset_ns.load(std::memory_order_acquire));
	rte_tel_data_add_dict_uint(d, "last_wake_ns",
			recovery.last_wake_ns.load(std::memory_order_relaxed));
	rte_tel_data_add_dict_uint(d, "last_stop_ns",
			recovery.last_stop_ns.load(std::memory_order_relaxed));
	rte_tel_data_add_dict_uint(d, "last_gone_ns",
			recovery.last_gone_ns.load(std::memory_order_relaxed));
	return 0;
}

} /* namespace */

int
parse_pid_param(const char *params, int *pid)
{
	long v = 0;

	/* Digits only: no sign, no blanks, no leading zero, at most INT_MAX. */
	if (params == nullptr || params[0] < '1' || params[0] > '9')
		return -EINVAL;
	for (const char *p = params; *p != '\0'; p++) {
		if (*p < '0' || *p > '9')
			return -EINVAL;
		v = v * 10 + (*p - '0');
		if (v > INT_MAX)
			return -EINVAL;
	}
	*pid = static_cast<int>(v);
	return 0;
}

} /* namespace mps */

RTE_INIT(mps_telemetry_init)
{
	rte_telemetry_register_cmd("/mpsupport/info", mps::handle_info,
			"Registry state of this process, or with a pid that process. "
			"Parameters: none, or int pid");
	rte_telemetry_register_cmd("/mpsupport/list", mps::handle_list,
			"Pids of the registered processes. Takes no parameters");
	rte_telemetry_register_cmd("/mpsupport/procs", mps::handle_procs,
			"Registered processes by pid. Takes no parameters");
	rte_telemetry_register_cmd("/mpsupport/lcores", mps::handle_lcores,
			"Lcore ids in use across the group. Takes no parameters");
	rte_telemetry_register_cmd("/mpsupport/workers", mps::handle_workers,
			"Workers of the dependency tracker. Takes no parameters");
	rte_telemetry_register_cmd("/mpsupport/recovery", mps::handle_recovery,
			"Steps of the last recovery (ns). Takes no parameters");
}
