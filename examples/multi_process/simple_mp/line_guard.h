/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

#ifndef SIMPLE_MP_LINE_GUARD_H
#define SIMPLE_MP_LINE_GUARD_H

#include <cstddef>

struct cmdline;

namespace simple_mp {

/*
 * The command line library keeps at most line_limit characters of a line
 * and drops bytes that are not printable ASCII, both without a word: a
 * line that lost anything that way is refused whole instead of being run
 * cut or changed.
 */
constexpr std::size_t line_limit = 512;

struct line_guard {
	std::size_t length = 0;	/* bytes typed on the current line */
	bool non_ascii = false;

	/* Feed buf to cl; return -1 when the command line has ended. */
	int feed(struct cmdline *cl, const char *buf, std::size_t len);
	void refuse(struct cmdline *cl);
};

} /* namespace simple_mp */

#endif /* SIMPLE_MP_LINE_GUARD_H */
