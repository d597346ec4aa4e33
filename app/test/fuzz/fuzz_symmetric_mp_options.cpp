/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/* symmetric_mp's option parser (its parse_args() is local to main.cpp). */

#include "fuzz_common.h"

#define main symmetric_mp_main
#include "../../../examples/multi_process/symmetric_mp/main.cpp"
#undef main

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz::args a("dpdk-symmetric_mp", data, size);
	app_options o;

	const int status = fuzz::run_parser([&] { o = parse_args(a.argc(), a.argv.data()); });
	if (status == -1 && (o.portmask == 0 || o.num_procs == 0 || o.num_procs > max_procs ||
			     o.proc_id >= o.num_procs))
		abort();
	if (status != -1 && status != EXIT_FAILURE)
		abort();
	return 0;
}
