/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

#include "fuzz_common.h"

namespace fuzz {
bool catch_exit;
}

extern "C" [[noreturn]] void __real_exit(int status);

extern "C" [[noreturn]] void
__wrap_exit(int status)
{
	if (fuzz::catch_exit)
		throw fuzz::exited{status};
	__real_exit(status);
}
