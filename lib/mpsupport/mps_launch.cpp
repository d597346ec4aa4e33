/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/*
 * The launcher of a forked secondary, with libc alone: no DPDK library (only
 * macros of rte_common.h) and no C++ library. The apps' front binaries link
 * it statically, so that a launcher maps and initialises no DPDK library:
 * their constructors alone cost more than the rest of a forked start.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>

#include <rte_common.h>

#include "mps_forksrv_proto.h"
#include "mps_launch.h"

namespace mps {

void
put_header(fs_msg *h, uint16_t type, uint32_t length)
{
	memset(h, 0, sizeof(*h));
	h->magic = FS_MAGIC;
	h->version = FS_VERSION;
	h->type = type;
	h->length = length;
}

} /* namespace mps */

using namespace mps;

namespace {

int say(char *err, size_t errlen, int ret, const char *fmt, ...) __rte_format_printf(4, 5);

int
say(char *err, size_t errlen, int ret, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -ret;
}

/* The request being built: header, then NUL-terminated strings. */
struct request {
	char *p = nullptr;
	size_t len = 0;
	size_t cap = 0;
	bool too_big = false;

	void add(const char *s, size_t n)
	{
		if (too_big || len + n > FS_MAX_MSG) {
			too_big = true;
			len += n;    /* for the error text */
			return;
		}
		if (len + n > cap) {
			size_t c = cap != 0 ? cap : 4096;
			while (c < len + n)
				c *= 2;
			char *q = static_cast<char *>(realloc(p, c));
			if (q == nullptr) {
				too_big = true;
				len += n;
				return;
			}
			p = q;
			cap = c;
		}
		memcpy(p + len, s, n);
		len += n;
	}
	void add(const char *s) { add(s, strlen(s) + 1); }
};

/* Runtime directory as the EAL computes it, for a launcher without EAL. */
void
runtime_dir(int argc, char **argv, char *dir, size_t len)
{
	const char *prefix = "rte";

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strncmp(argv[i], "--file-prefix=", 14) == 0)
			prefix = argv[i] + 14;
		else if (strcmp(argv[i], "--file-prefix") == 0 && i + 1 < argc)
			prefix = argv[++i];
	}
	const char *base = "/var/run";
	if (getuid() != 0) {
		const char *xdg = getenv("XDG_RUNTIME_DIR");
		base = xdg != nullptr ? xdg : "/tmp";
	}
	snprintf(dir, len, "%s/dpdk/%s", base, prefix);
}

} /* namespace */

namespace mps {

int
launch_reply(const fs_reply *r, size_t got, int32_t *value, char *err, size_t errlen)
{
	if (got < sizeof(r->h) || r->h.magic != FS_MAGIC)
		return say(err, errlen, EPROTO, "bad answer from the fork server");
	if (r->h.type == REP_ERROR) {
		/* only the text received, which a short answer cuts */
		const size_t text_off = offsetof(fs_reply, text);
		const size_t len = got > text_off ? got - text_off : 0;
		return say(err, errlen, EPERM, "fork server refused: %.*s",
			   (int)std::min(len, sizeof(r->text)), r->text);
	}
	if (r->h.type == REP_STARTED) {
		*value = r->h.value;
		return REP_STARTED;
	}
	if (r->h.type == REP_EXITED) {
		const int st = r->h.value;
		*value = WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st);
		return REP_EXITED;
	}
	return 0;
}

} /* namespace mps */

int
mps_launch_option(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], MPS_FORKED_OPTION) == 0)
			return i;
	}
	return -1;
}

int
mps_launch_forked(int argc, char **argv, const char *entry, char *err, size_t errlen)
{
	const int opt = mps_launch_option(argc, argv);
	if (opt < 0)
		return 0;

	char path[PATH_MAX];
	char dir[PATH_MAX - sizeof(MPS_FORKSRV_SOCKET) - 1];
	runtime_dir(argc, argv, dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/%s", dir, MPS_FORKSRV_SOCKET);

	/* The request: header, cwd, argv without the option, environment. */
	request msg;
	fs_msg h;
	memset(&h, 0, sizeof(h));
	msg.add(reinterpret_cast<const char *>(&h), sizeof(h));
	char cwd[PATH_MAX];
	if (getcwd(cwd, sizeof(cwd)) == nullptr)
		return say(err, errlen, errno, "cannot read the working directory: %s",
			   strerror(errno));
	msg.add(cwd);
	for (int i = 0; i < argc; i++)
		if (i != opt)
			msg.add(argv[i]);
	unsigned int envc = 0;
	for (char **e = environ; *e != nullptr; e++, envc++)
		msg.add(*e);
	if (msg.too_big)
		return say(err, errlen, E2BIG, "arguments and environment take %zu bytes, over "
			   "the limit of %u", msg.len, FS_MAX_MSG);
	put_header(&h, REQ_START, (uint32_t)msg.len);
	h.argc = (uint32_t)argc - 1;
	h.envc = envc;
	snprintf(h.entry, sizeof(h.entry), "%s", entry);
	memcpy(msg.p, &h, sizeof(h));

	int sock = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	struct sockaddr_un sa = {};
	sa.sun_family = AF_UNIX;
	if (sock < 0)
		return say(err, errlen, errno, "cannot create a socket: %s", strerror(errno));
	const size_t plen = strlen(path);
	if (plen >= sizeof(sa.sun_path))
		return say(err, errlen, ENAMETOOLONG, "socket path %s is too long", path);
	memcpy(sa.sun_path, path, plen + 1);
	int sndbuf = FS_MAX_MSG * 2;
	setsockopt(sock, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
	if (connect(sock, reinterpret_cast<struct sockaddr *>(&sa), sizeof(sa)) < 0)
		return say(err, errlen, ENOENT, "no fork server at %s (%s): start the primary "
			   "with its fork server first, with the same --file-prefix", path,
			   strerror(errno));

	int fds[FS_NB_FDS];
	for (int i = 0; i < (int)FS_NB_FDS; i++) {
		fds[i] = i;
		if (fcntl(i, F_GETFD) < 0)
			fds[i] = open("/dev/null", O_RDWR | O_CLOEXEC);
	}
	char cbuf[CMSG_SPACE(sizeof(fds))] = {};
	struct iovec iov = { msg.p, msg.len };
	struct msghdr mh = {};
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cbuf;
	mh.msg_controllen = sizeof(cbuf);
	struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(fds));
	memcpy(CMSG_DATA(cm), fds, sizeof(fds));

	/* Signals wait in a signalfd from now on, so none is lost. */
	sigset_t fwd;
	sigemptyset(&fwd);
	sigaddset(&fwd, SIGINT);
	sigaddset(&fwd, SIGTERM);
	sigprocmask(SIG_BLOCK, &fwd, nullptr);
	int sfd = signalfd(-1, &fwd, SFD_CLOEXEC);
	if (sendmsg(sock, &mh, MSG_NOSIGNAL) < 0)
		return say(err, errlen, EIO, "cannot send the request to the fork server at %s: "
			   "%s", path, strerror(errno));
	free(msg.p);

	pid_t child = 0;
	int32_t pending = 0;
	int timeout = START_TIMEOUT_MS;
	for (;;) {
		/* Forwarded once the secondary runs; the fork server kills it otherwise. */
		if (pending != 0 && child != 0) {
			fs_msg s;
			put_header(&s, REQ_SIGNAL, sizeof(s));
			s.value = pending;
			send(sock, &s, sizeof(s), MSG_NOSIGNAL);
			pending = 0;
		}
		struct pollfd pfd[2] = { { sock, POLLIN, 0 }, { sfd, POLLIN, 0 } };
		int k = poll(pfd, 2, timeout);
		if (k < 0 && errno == EINTR)
			continue;
		if (k == 0)
			return say(err, errlen, ETIMEDOUT, "the fork server at %s did not answer "
				   "within %d s", path, START_TIMEOUT_MS / 1000);
		if (pfd[1].revents) {
			struct signalfd_siginfo si;
			if (read(sfd, &si, sizeof(si)) == (ssize_t)sizeof(si))
				pending = (int32_t)si.ssi_signo;
		}
		if (pfd[0].revents == 0)
			continue;
		fs_reply r;
		ssize_t n = recv(sock, &r, sizeof(r), MSG_DONTWAIT);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n <= 0) {
			if (child == 0)
				return say(err, errlen, ECONNRESET, "the fork server at %s closed the "
					   "connection without an answer", path);
			return say(err, errlen, ECONNRESET, "the fork server went away (primary "
				   "stopped or fork server killed): forked secondary %d is gone",
				   (int)child);
		}
		int32_t value;
		const int kind = launch_reply(&r, (size_t)n, &value, err, errlen);
		if (kind < 0)
			return kind;
		if (kind == REP_STARTED) {
			child = value;
			timeout = -1;
		} else if (kind == REP_EXITED) {
			exit(value);
		}
	}
}
