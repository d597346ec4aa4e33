/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/* mp_client's option parser (local to its main.cpp). */

#include "fuzz_common.h"

#define main mp_client_main
#include "../../../examples/multi_process/client_server_mp/mp_client/main.cpp"
#undef main

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz::args a("dpdk-mp_client", data, size);
	unsigned int id = 0;

	const int status = fuzz::run_parser([&] { id = parse_args(a.argc(), a.argv.data()); });
	if (status == -1 && id >= cs::max_clients)
		abort();
	if (status != -1 && status != EXIT_FAILURE)
		abort();
	return 0;
}
