/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/* Common room: the log type, error reporting, the clock, library threads. */

#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include <rte_errno.h>
#include <rte_lcore.h>

#include "mps_private.h"

RTE_LOG_REGISTER_DEFAULT(mps_logtype, INFO);

namespace mps {

thread_local char t_err[256];

void
log_line(uint32_t level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (!self.forked) {
		rte_vlog(level, mps_logtype, fmt, ap);
	} else if (rte_log_can_log(mps_logtype, level)) {
		/* vsnprintf() into the stack takes no lock; write() is async-signal-safe. */
		char buf[256];
		int n = vsnprintf(buf, sizeof(buf), fmt, ap);
		if (n > 0 && write(STDERR_FILENO, buf,
				RTE_MIN((size_t)n, sizeof(buf) - 1)) < 0)
			n = 0;    /* nowhere left to say it */
	}
	va_end(ap);
}

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
int
unpin_thread(rte_thread_t thread)
{
	rte_cpuset_t all;
	long ncpu = sysconf(_SC_NPROCESSORS_CONF);

	CPU_ZERO(&all);
	for (long c = 0; c < ncpu && c < CPU_SETSIZE; c++)
		CPU_SET(c, &all);
	int ret = rte_thread_set_affinity_by_id(thread, &all);
	if (ret != 0)
		MPS_LOG(DEBUG, "cannot widen the affinity of a thread\n");
	return ret > 0 ? -ret : ret;
}

} /* namespace mps */

using namespace mps;

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_strerror, 22.11)
const char *
rte_mps_strerror(void)
{
	return t_err;
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_lcore_unpin, 22.11)
int
rte_mps_lcore_unpin(void)
{
	int ret = unpin_thread(rte_thread_self());

	return ret < 0 ? fail(-ret, "cannot let the thread run on any CPU") : 0;
}
