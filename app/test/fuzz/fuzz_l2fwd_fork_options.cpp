/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/*
 * l2fwd_fork's option parser (options.cpp, built here with the kill points
 * so that --kill-point is parsed too). Whatever it accepts must be in range.
 */

#include <string.h>

#include "fuzz_common.h"
#include "l2fwd_fork.h"

namespace {

bool
in_range(const l2fwd_fork::options &o)
{
	using namespace l2fwd_fork;

	if (o.port_mask == 0 || o.rx_ports_per_lcore == 0 ||
	    o.rx_ports_per_lcore > max_rx_ports_per_lcore ||
	    o.timer_period_s > max_timer_period_s || o.young_ms > max_young_ms ||
	    o.restart_window_s == 0 || o.restart_window_s > max_restart_window_s ||
	    o.n_kill > max_kill_points)
		return false;
	for (unsigned int i = 0; i < o.n_kill; i++) {
		const kill_point_slot &k = o.kill[i];
		if (k.worker < 0 || k.worker >= RTE_MPS_MAX_WORKERS || k.point.name[0] == '\0' ||
		    memchr(k.point.name, '\0', sizeof(k.point.name)) == nullptr)
			return false;
	}
	return true;
}

} /* namespace */

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	l2fwd_fork::options o;
	l2fwd_fork::command c = l2fwd_fork::command::run;

	/* -h only asks main() for the usage: the parser itself does nothing */
	if (fuzz::parse_options("dpdk-l2fwd_fork", data, size,
				[&](int argc, char **argv) {
					c = l2fwd_fork::parse_args(argc, argv, o);
				}) &&
	    c == l2fwd_fork::command::run && !in_range(o))
		abort();
	return 0;
}
