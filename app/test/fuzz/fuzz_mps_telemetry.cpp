/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/* librte_mpsupport's telemetry parameter (a pid), against a plain reading. */

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "fuzz_common.h"
#include "mps_private.h"

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	std::string params(reinterpret_cast<const char *>(data), size);
	int pid = -1;

	const int ret = mps::parse_pid_param(params.c_str(), &pid);
	if (ret != 0 && ret != -EINVAL)
		abort();
	if (ret == 0) {
		/* Accepted: its canonical decimal form, in 1..INT_MAX. */
		char back[16];
		snprintf(back, sizeof(back), "%d", pid);
		if (pid <= 0 || strcmp(back, params.c_str()) != 0)
			abort();
	}
	return 0;
}
