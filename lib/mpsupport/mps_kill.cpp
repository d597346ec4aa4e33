/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/*
 * Kill points (rte_mps_kill.h). Called from forked workers: nothing here
 * takes a lock, allocates or logs.
 */

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "mps_private.h"

namespace mps {

namespace {

/* The point this process stops at; nullptr: none. */
struct rte_mps_kill_point *armed_point;

} /* namespace */

} /* namespace mps */

using namespace mps;

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_kill_point_arm, 22.11)
int
rte_mps_kill_point_arm(struct rte_mps_kill_point *kp)
{
	if (kp == nullptr) {
		armed_point = nullptr;
		return 0;
	}
	if (kp->name[0] == '\0' || memchr(kp->name, '\0', sizeof(kp->name)) == nullptr)
		return fail(EINVAL, "kill point name empty or not terminated");
	if (load(&kp->parked_pid) != 0)
		return fail(EALREADY, "kill point %s was reached already", kp->name);
	armed_point = kp;
	return 0;
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_kill_point_pass, 22.11)
void
rte_mps_kill_point_pass(const char *name)
{
	struct rte_mps_kill_point *kp = armed_point;
	int32_t none = 0;

	if (kp == nullptr || strcmp(kp->name, name) != 0)
		return;
	if (rte_atomic_fetch_add_explicit(&kp->passes, 1, rte_memory_order_acq_rel) < kp->skip)
		return;
	armed_point = nullptr;
	if (!cas(&kp->parked_pid, none, static_cast<int32_t>(getpid())))
		return;    /* another process stopped there first */
	raise(SIGSTOP);
}
