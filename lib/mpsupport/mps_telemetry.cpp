/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

#include <stdio.h>
#include <inttypes.h>
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

int
handle_info(const char *, const char *, struct rte_tel_data *d)
{
	const shared *sh = load(&self.sh);

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
handle_procs(const char *, const char *, struct rte_tel_data *d)
{
	char key[32], val[RTE_TEL_MAX_STRING_LEN], set[128];

	/* The telemetry thread races with rte_mps_init() and rte_mps_fini(). */
	const shared *sh = load(&self.sh);

	rte_tel_data_start_dict(d);
	if (sh == nullptr)
		return 0;
	for (unsigned int i = 0; i < RTE_MPS_MAX_PROCS; i++) {
		const proc_slot *ps = &sh->procs[i];
		uint64_t w = load(&ps->state);
		if (slot_state(w) != SLOT_LIVE)
			continue;
		format_set(ps->lcores, set, sizeof(set));
		snprintf(key, sizeof(key), "%d", ps->pid);
		int n = snprintf(val, sizeof(val), "%s slot=%u start=%" PRIu64 " lcores=%s%s",
				proc_type_name(ps->type), i, ps->start_time,
				set[0] ? set : "-",
				proc_alive(ps->pid, ps->start_time) ? "" : " dead");
		/* A long lcore list does not fit: say that it was cut. */
		if (n >= (int)sizeof(val))
			memcpy(val + sizeof(val) - 4, "...", 4);
		rte_tel_data_add_dict_string(d, key, val);
	}
	return 0;
}

int
handle_lcores(const char *, const char *, struct rte_tel_data *d)
{
	char key[32], val[64];
	unsigned int nfree = 0, neal = 0, nfloat = 0;

	/* The telemetry thread races with rte_mps_init() and rte_mps_fini(). */
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
		snprintf(val, sizeof(val), "%s pid=%d", kind, sh->procs[lc_slot(w)].pid);
		rte_tel_data_add_dict_string(d, key, val);
	}
	rte_tel_data_add_dict_uint(d, "free", nfree);
	rte_tel_data_add_dict_uint(d, "eal", neal);
	rte_tel_data_add_dict_uint(d, "floating", nfloat);
	return 0;
}

int
handle_workers(const char *, const char *, struct rte_tel_data *d)
{
	static const char *const names[] = { "none", "idle", "running", "stopping", "ready" };
	char key[32], val[RTE_TEL_MAX_STRING_LEN];

	/* The telemetry thread races with rte_mps_init() and rte_mps_fini(). */
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
		snprintf(val, sizeof(val), "%s pid=%d deps=0x%" PRIx64 " restarts=%u",
				names[st], ws->pid, ws->deps, ws->restarts);
		rte_tel_data_add_dict_string(d, key, val);
	}
	return 0;
}

} /* namespace */

} /* namespace mps */

RTE_INIT(mps_telemetry_init)
{
	rte_telemetry_register_cmd("/mpsupport/info", mps::handle_info,
			"Registry state of this process. Takes no parameters");
	rte_telemetry_register_cmd("/mpsupport/procs", mps::handle_procs,
			"Registered processes by pid. Takes no parameters");
	rte_telemetry_register_cmd("/mpsupport/lcores", mps::handle_lcores,
			"Lcore ids in use across the group. Takes no parameters");
	rte_telemetry_register_cmd("/mpsupport/workers", mps::handle_workers,
			"Workers of the dependency tracker. Takes no parameters");
}
