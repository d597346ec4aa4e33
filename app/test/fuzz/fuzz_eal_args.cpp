/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/* The apps' reading of the EAL arguments, and the verdict drawn from it. */

#include <string.h>

#include "fuzz_common.h"
#include "mp_common.h"

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz::args a("dpdk-app", data, size);
	mpc::eal_request req;
	std::string err;

	if (mpc::scan_eal_args(a.argc(), a.argv.data(), req, err) < 0) {
		if (err.empty())
			abort();
		return 0;
	}
	if (req.file_prefix.empty() || strchr(req.file_prefix.c_str(), '/') != nullptr)
		abort();
	/* Every state of a group, as probe_group() may find it. */
	for (int primary = 0; primary < 2; primary++)
		for (int attached = 0; attached < 2; attached++) {
			mpc::group_probe probe;
			probe.primary = primary ? 4242 : 0;
			if (attached)
				probe.attached = { 17, 4243 };
			const std::string why = mpc::check_group(req, probe);
			/* A lone secondary and a second primary are always refused. */
			if (!req.no_shconf && req.proc_type == "secondary" && !primary &&
			    !attached && why.empty())
				abort();
			if (!req.no_shconf && req.proc_type == "primary" && primary && why.empty())
				abort();
		}
	return 0;
}
