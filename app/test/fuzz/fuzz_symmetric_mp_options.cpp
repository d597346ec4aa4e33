/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/* symmetric_mp's option parser (its parse_args() is local to main.cpp). */

#include "fuzz_common.h"

#define main symmetric_mp_fuzzed_main
#include "../../../examples/multi_process/symmetric_mp/main.cpp"
#undef main

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	app_options o;

	if (fuzz::parse_options("dpdk-symmetric_mp", data, size,
				[&](int argc, char **argv) { o = parse_args(argc, argv); }) &&
	    (o.portmask == 0 || o.num_procs == 0 || o.num_procs > max_procs ||
	     o.proc_id >= o.num_procs))
		abort();
	return 0;
}
