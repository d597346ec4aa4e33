/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/* mp_server's option parser (local to its main.cpp). */

#include "fuzz_common.h"

#define main mp_server_main
#include "../../../examples/multi_process/client_server_mp/mp_server/main.cpp"
#undef main

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	app_options o;

	if (fuzz::parse_options("dpdk-mp_server", data, size,
				[&](int argc, char **argv) { o = parse_args(argc, argv); }) &&
	    (o.portmask == 0 || o.num_clients == 0 || o.num_clients > cs::max_clients))
		abort();
	return 0;
}
