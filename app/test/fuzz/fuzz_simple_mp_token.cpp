/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/* simple_mp's "send" text token, as the command line library calls it. */

#include <string.h>

#include "fuzz_common.h"

#include "../../../examples/multi_process/simple_mp/commands.cpp"

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	std::string line(reinterpret_cast<const char *>(data), size);
	char res[simple_mp::line_max + 16];

	/* The library hands the token a NUL-terminated rest of line. */
	memset(res, 0x5a, sizeof(res));
	int n = simple_mp::text_parse(nullptr, line.c_str(), nullptr, 0);
	int m = simple_mp::text_parse(nullptr, line.c_str(), res, simple_mp::line_max);
	if (n != m)
		abort();
	if (n < 0)
		return 0;
	const size_t len = strnlen(res, sizeof(res));
	/* Never more than the buffer, never past what was typed. */
	if (len >= simple_mp::line_max || len > static_cast<size_t>(n) ||
	    memcmp(res, line.c_str(), len) != 0)
		abort();
	/* A buffer too small is refused, not overrun. */
	if (simple_mp::text_parse(nullptr, line.c_str(), res, 8) != -1)
		abort();
	return 0;
}
