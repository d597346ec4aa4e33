/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/*
 * librte_mpsupport's check of a start request sent to the fork server
 * (forksrv_parse()). The first input byte sets what came with the message:
 * bits 0-2 the number of fds, bit 3 fds cut (MSG_CTRUNC), bit 4 a peer of
 * another uid, bit 5 a header made valid (magic, version, type, length) so
 * that the strings get fuzzed; the rest is the message.
 */

#include <stdlib.h>
#include <string.h>

#include <vector>

#include "fuzz_common.h"
#include "mps_private.h"

namespace {

/* The header's layout (mps_forksrv.cpp, struct fs_msg). */
constexpr size_t HDR_SIZE = 56;
constexpr uint32_t MAGIC = 0x4653504d;
constexpr size_t MAX_MSG = 128 * 1024;

bool
inside(const char *p, const std::vector<char> &buf, size_t got)
{
	return p >= buf.data() && p < buf.data() + got && memchr(p, '\0', got -
			static_cast<size_t>(p - buf.data())) != nullptr;
}

} /* namespace */

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	const uint8_t ctl = data[0];
	data++;
	size--;
	std::vector<char> buf(MAX_MSG);
	const size_t got = size;
	memcpy(buf.data(), data, RTE_MIN(size, buf.size()));
	if ((ctl & 0x20) && got >= HDR_SIZE) {
		const uint16_t version = 1, type = 1;
		const uint32_t length = static_cast<uint32_t>(got);
		memcpy(&buf[0], &MAGIC, 4);
		memcpy(&buf[4], &version, 2);
		memcpy(&buf[6], &type, 2);
		memcpy(&buf[8], &length, 4);
	}
	const unsigned int nfds = ctl & 7;
	const bool ctrunc = (ctl & 8) != 0;
	const uid_t uid = (ctl & 0x10) ? geteuid() + 1 : geteuid();
	mps::forksrv_request req;
	char text[256] = "";

	const int ret = mps::forksrv_parse(buf.data(), buf.size(), got, ctrunc, nfds, uid, 1,
			&req, text, sizeof(text));
	if (ret != 0) {
		/* a refusal always says why */
		if (ret != -1 || text[0] == '\0' || memchr(text, '\0', sizeof(text)) == nullptr)
			abort();
		return 0;
	}
	/* Accepted: only with what a start request must carry, and strings in the message. */
	if (ctrunc || nfds != 3 || uid != geteuid() || got < HDR_SIZE || got > MAX_MSG)
		abort();
	uint32_t argc, envc;
	memcpy(&argc, &buf[12], 4);
	memcpy(&envc, &buf[16], 4);
	if (req.args.size() != argc || req.env.size() != envc || argc == 0)
		abort();
	if (memchr(req.entry, '\0', 32) == nullptr || !inside(req.cwd, buf, got))
		abort();
	for (char *s : req.args)
		if (!inside(s, buf, got))
			abort();
	for (char *s : req.env)
		if (!inside(s, buf, got))
			abort();
	return 0;
}
