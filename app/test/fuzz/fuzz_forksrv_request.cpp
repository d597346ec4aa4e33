/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/*
 * librte_mpsupport's checks of the fork server's socket messages. Bits 6-7
 * of the first input byte choose the check, the rest of the input is the
 * message:
 * 0: a start request sent to the fork server (forksrv_parse()). Bits 0-2
 *    of the first byte are the number of fds that came with it, bit 3 fds
 *    cut (MSG_CTRUNC), bit 4 a peer of another uid, bit 5 a header made
 *    valid (magic, version, type, length) so that the strings get fuzzed;
 * 1: a message from the launcher of a running secondary, a signal to
 *    forward (forksrv_signal()); bit 5 makes magic, version and type valid;
 * 2, 3: a reply of the fork server, as the launcher reads it
 *    (launch_reply()); bit 5 makes the magic valid, bits 0-2 set the size
 *    of the error text buffer.
 */

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <vector>

#include "fuzz_common.h"
#include "mps_forksrv_proto.h"
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

/* A message of a launcher to the fork server once its secondary runs. */
void
check_signal(uint8_t ctl, const uint8_t *data, size_t size)
{
	/* recv() takes at most one header: the rest of a message is cut. */
	const size_t got = RTE_MIN(size, sizeof(mps::fs_msg));
	auto *m = static_cast<mps::fs_msg *>(calloc(1, sizeof(mps::fs_msg)));

	if (m == nullptr)
		abort();
	memcpy(m, data, got);
	if (ctl & 0x20) {
		m->magic = MAGIC;
		m->version = 1;
		m->type = mps::REQ_SIGNAL;
	}
	const int sig = mps::forksrv_signal(m, got);
	const bool wanted = got == sizeof(*m) && m->magic == MAGIC && m->version == 1 &&
		m->type == mps::REQ_SIGNAL && (m->value == SIGINT || m->value == SIGTERM);
	/* Only SIGINT or SIGTERM, and only what a whole signal message asks for. */
	if (wanted ? sig != m->value : sig != 0)
		abort();
	free(m);
}

/* A reply of the fork server, as the launcher reads it. */
void
check_reply(uint8_t ctl, const uint8_t *data, size_t size)
{
	const size_t got = RTE_MIN(size, sizeof(mps::fs_reply));
	auto *r = static_cast<mps::fs_reply *>(malloc(sizeof(mps::fs_reply)));
	/* What recv() did not fill: no NUL, so that the text is read to its bound. */
	const size_t errlen = 1 + 40 * (ctl & 7);
	char *err = static_cast<char *>(malloc(errlen));
	int32_t value = -1;

	if (r == nullptr || err == nullptr)
		abort();
	memset(r, 0x5a, sizeof(*r));
	memcpy(r, data, got);
	if ((ctl & 0x20) && got >= sizeof(MAGIC))
		r->h.magic = MAGIC;
	memset(err, 0, errlen);
	const int ret = mps::launch_reply(r, got, &value, err, errlen);
	const bool header = got >= sizeof(r->h) && r->h.magic == MAGIC;

	switch (ret) {
	case -EPROTO:
		if (header)
			abort();
		break;
	case -EPERM:
		if (!header || r->h.type != mps::REP_ERROR)
			abort();
		break;
	case mps::REP_STARTED:
		if (!header || r->h.type != mps::REP_STARTED || value != r->h.value)
			abort();
		break;
	case mps::REP_EXITED: {
		const int st = r->h.value;
		/* An exit status of the launcher: the secondary's, or 128 + its signal. */
		if (!header || r->h.type != mps::REP_EXITED || value < 0 || value > 255 ||
		    (WIFEXITED(st) && value != WEXITSTATUS(st)) ||
		    (WIFSIGNALED(st) && value != 128 + WTERMSIG(st)))
			abort();
		break;
	}
	case 0:
		/* Any other type is ignored: the launcher waits on. */
		if (!header || r->h.type == mps::REP_ERROR || r->h.type == mps::REP_STARTED ||
		    r->h.type == mps::REP_EXITED)
			abort();
		break;
	default:
		abort();
	}
	/* A refusal says why, in one line that fits. */
	if (ret < 0 && (memchr(err, '\0', errlen) == nullptr || (errlen > 1 && err[0] == '\0')))
		abort();
	free(err);
	free(r);
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
	if ((ctl >> 6) == 1) {
		check_signal(ctl, data, size);
		return 0;
	}
	if ((ctl >> 6) != 0) {
		check_reply(ctl, data, size);
		return 0;
	}
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
