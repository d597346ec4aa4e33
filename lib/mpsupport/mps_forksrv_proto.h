/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

#ifndef MPS_FORKSRV_PROTO_H
#define MPS_FORKSRV_PROTO_H

/*
 * Messages between a launcher and the fork server. Shared by the fork server
 * (mps_forksrv.cpp) and the launcher (mps_launch.cpp), which also builds
 * without DPDK for the apps' front binaries: no DPDK header here.
 */

#include <stddef.h>
#include <stdint.h>

namespace mps {

/* Same values as RTE_MPS_FORKED_OPTION, RTE_MPS_FORKSRV_SOCKET,
 * RTE_MPS_FORKSRV_VERSION and RTE_MPS_FORKED_NAMESIZE (checked in
 * mps_forksrv.cpp). */
#define MPS_FORKED_OPTION "--forked"
#define MPS_FORKSRV_SOCKET "mps_forksrv"
constexpr uint16_t FS_VERSION = 1;
constexpr unsigned int FS_NAMESIZE = 32;

constexpr uint32_t FS_MAGIC = 0x4653504d;        /* "MPSF" */
constexpr uint32_t FS_MAX_MSG = 128 * 1024;
constexpr unsigned int FS_NB_FDS = 3;
constexpr int START_TIMEOUT_MS = 10000;

enum : uint16_t {
	REQ_START = 1,
	REQ_SIGNAL = 2,
	REP_STARTED = 3,
	REP_EXITED = 4,
	REP_ERROR = 5,
};

/* Every message starts with this header; length counts the whole message. */
struct fs_msg {
	uint32_t magic;
	uint16_t version;
	uint16_t type;
	uint32_t length;
	uint32_t argc;     /* REQ_START */
	uint32_t envc;     /* REQ_START */
	int32_t value;     /* signal (REQ_SIGNAL), pid, wait status, errno */
	char entry[FS_NAMESIZE];
};
static_assert(sizeof(fs_msg) == 56, "fork server header layout");

struct fs_reply {
	fs_msg h;
	char text[256];
};

void put_header(fs_msg *h, uint16_t type, uint32_t length);

/*
 * The launcher's reading of a reply of got bytes from the fork server (r
 * may hold more than was received): REP_STARTED with *value the pid of the
 * secondary, REP_EXITED with *value the status to exit with, 0 for a reply
 * to ignore, or a negative errno value with one line in err.
 */
int launch_reply(const fs_reply *r, size_t got, int32_t *value, char *err, size_t errlen);

} /* namespace mps */

#endif /* MPS_FORKSRV_PROTO_H */
