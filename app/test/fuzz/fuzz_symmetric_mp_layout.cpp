/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/*
 * symmetric_mp's check of the primary's memzone (check_config(), local to
 * its main.cpp), as a secondary finds it after another build's primary.
 * Input: the memzone's length (2 bytes, up to the layout's size + 64), the
 * secondary's --num-procs (1 byte) and -p (8 bytes), then the memzone's
 * first bytes.
 */

#include "fuzz_common.h"

#define main symmetric_mp_fuzzed_main
#include "../../../examples/multi_process/symmetric_mp/main.cpp"
#undef main

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const size_t len = fuzz::take(data, size, 2) % (sizeof(group_config) + 65);
	app_options a;

	a.num_procs = 1 + static_cast<unsigned int>(fuzz::take(data, size, 1) % max_procs);
	a.portmask = fuzz::take(data, size, 8);
	fuzz::memzone mz(len, data, size);
	std::string err;

	const int ret = check_config(mz.addr, mz.len, a, err);
	if (ret != 0 && ((ret != -EPROTO && ret != -EINVAL) || err.empty()))
		abort();
	/* Only this build's layout, with our values, passes. */
	const auto *cfg = static_cast<const group_config *>(mz.addr);
	if (ret == 0 && (len < sizeof(group_config) || cfg->magic != config_magic ||
			 cfg->version != config_version || cfg->num_procs != a.num_procs ||
			 cfg->portmask != a.portmask))
		abort();
	return 0;
}
