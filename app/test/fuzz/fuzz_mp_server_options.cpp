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
	fuzz::args a("dpdk-mp_server", data, size);
	app_options o;

	const int status = fuzz::run_parser([&] { o = parse_args(a.argc(), a.argv.data()); });
	if (status == -1 && (o.portmask == 0 || o.num_clients == 0 ||
			     o.num_clients > cs::max_clients))
		abort();
	if (status != -1 && status != EXIT_FAILURE)
		abort();
	return 0;
}
