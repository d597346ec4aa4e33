/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/* simple_mp's scan of the bytes typed at the prompt (line_guard.h). */

#include <cmdline.h>
#include <cmdline_rdline.h>

#include "line_guard.h"

namespace simple_mp {

int
line_guard::feed(struct cmdline *cl, const char *buf, std::size_t len)
{
	std::size_t from = 0;

	for (std::size_t i = 0; i < len; i++) {
		const unsigned char c = static_cast<unsigned char>(buf[i]);

		if (c == '\r' || c == '\n') {
			if (length <= line_limit && !non_ascii) {
				length = 0;
				continue;
			}
			if (cmdline_in(cl, buf + from, static_cast<int>(i - from)) < 0)
				return -1;
			from = i + 1;
			refuse(cl);
		} else if (c == 0x7f || c == '\b') {
			length -= length > 0;
		} else if (c >= 0x80) {
			non_ascii = true;
			length++;
		} else if (c >= 0x20) {
			length++;
		}
	}
	return cmdline_in(cl, buf + from, static_cast<int>(len - from)) < 0 ? -1 : 0;
}

void
line_guard::refuse(struct cmdline *cl)
{
	struct rdline *rdl = cmdline_get_rdline(cl);

	if (non_ascii)
		cmdline_printf(cl, "\nError: the line holds non-ASCII bytes, which the "
			       "prompt cannot carry (ASCII text only): nothing done\n");
	else
		cmdline_printf(cl, "\nError: the line is %zu characters long and the "
			       "prompt keeps %zu: it was truncated, nothing done\n",
			       length, line_limit);
	length = 0;
	non_ascii = false;
	rdline_reset(rdl);
	rdline_newline(rdl, "simple_mp > ");
}

} /* namespace simple_mp */
