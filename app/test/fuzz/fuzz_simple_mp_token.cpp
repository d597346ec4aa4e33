/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/*
 * simple_mp's "send" text token, as the command line library calls it, and
 * the scan of what is typed at the prompt (line_guard) on the same input,
 * as bytes read from stdin.
 */

#include <string.h>

#include <string>
#include <vector>

#include <cmdline.h>

#include "fuzz_common.h"

#include "../../../examples/multi_process/simple_mp/commands.cpp"
#include "line_guard.h"

namespace {

/* The lines the prompt ran, as the text token took them. */
std::vector<std::string> ran;

void
record(void *parsed, struct cmdline *, void *)
{
	ran.emplace_back(static_cast<simple_mp::cmd_send_result *>(parsed)->message);
}

/* One command: the text token alone, so that every non-blank line runs. */
simple_mp::command<2> any_line = {
	.f = record,
	.data = nullptr,
	.help_str = "TEXT",
	.tokens = {
		reinterpret_cast<cmdline_parse_token_hdr_t *>(&simple_mp::cmd_send_message),
		nullptr,
	},
};

cmdline_parse_ctx_t any_ctx[] = {
	reinterpret_cast<cmdline_parse_inst_t *>(&any_line),
	nullptr,
};

/*
 * Type data at a prompt, chunk bytes per read (0: all at once): the lines
 * it ran. With byte_checks, each line that held a non-ASCII byte, or more
 * printable characters than erased ones beyond line_limit, must not run.
 */
std::vector<std::string>
type(const uint8_t *data, size_t size, size_t chunk, bool byte_checks)
{
	/* No output: what the prompt echoes and prints is not checked here. */
	struct cmdline *cl = cmdline_new(any_ctx, "simple_mp > ", -1, -1);
	simple_mp::line_guard guard;
	const char *buf = reinterpret_cast<const char *>(data);
	bool non_ascii = false;
	long typed = 0;

	if (cl == nullptr)
		abort();
	ran.clear();
	for (size_t at = 0; at < size; ) {
		const size_t n = chunk == 0 ? size : RTE_MIN(chunk, size - at);
		const size_t before = ran.size();
		const int ret = guard.feed(cl, buf + at, n);

		if (ret != 0 && ret != -1)
			abort();
		if (byte_checks) {
			const uint8_t c = data[at];

			if (c == '\r' || c == '\n') {
				const bool cut = typed > static_cast<long>(simple_mp::line_limit);

				if ((non_ascii || cut) && ran.size() != before)
					abort();
				non_ascii = false;
				typed = 0;
			} else if (c == 0x7f || c == '\b') {
				typed--;
			} else if (c >= 0x80) {
				non_ascii = true;
				typed++;
			} else if (c >= 0x20) {
				typed++;
			}
		}
		if (ret < 0)
			break;
		at += n;
	}
	cmdline_free(cl);
	return ran;
}

} /* namespace */

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
	if (n >= 0) {
		const size_t len = strnlen(res, sizeof(res));
		/* Never more than the buffer, never past what was typed. */
		if (len >= simple_mp::line_max || len > static_cast<size_t>(n) ||
		    memcmp(res, line.c_str(), len) != 0)
			abort();
		/* A buffer too small is refused, not overrun. */
		if (simple_mp::text_parse(nullptr, line.c_str(), res, 8) != -1)
			abort();
	}

	/*
	 * The prompt: a byte at a time (the line checks), as main() reads
	 * (256 bytes), and all at once, the same lines run each way.
	 */
	const std::vector<std::string> bytewise = type(data, size, 1, true);
	if (type(data, size, 256, false) != bytewise || type(data, size, 0, false) != bytewise)
		abort();
	return 0;
}
