/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/* mp_client's option parser (local to its main.cpp). */

#include "fuzz_common.h"

#include "../../../examples/multi_process/client_server_mp/mp_client/main.cpp"

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned int id = 0;

	if (fuzz::parse_options("dpdk-mp_client", data, size,
				[&](int argc, char **argv) { id = parse_args(argc, argv); }) &&
	    id >= cs::max_clients)
		abort();
	return 0;
}
