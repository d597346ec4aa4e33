/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/*
 * Forked secondaries: the fork server (a single-threaded copy of the
 * primary), the secondaries it forks, and the launcher a user starts.
 *
 * One SOCK_SEQPACKET connection per secondary. The launcher sends one start
 * request (header, then cwd, argv and environment as NUL-terminated
 * strings) with its stdin, stdout and stderr as SCM_RIGHTS; the server
 * answers STARTED with the pid, or ERROR with one line of text. Later the
 * launcher may send SIGNAL requests; the server answers EXITED with the
 * wait status and closes. A connection that closes before the exit stops
 * the secondary, as a terminal's hang-up would: SIGTERM, so that it leaves
 * the way it does on a user's request (a client hands back every packet it
 * holds), then SIGKILL if it is still there ORPHAN_GRACE_MS later. It does
 * not outlive its launcher.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <string>
#include <vector>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>

#include "mps_dpdk.h"
#include "mps_forksrv_proto.h"
#include "mps_launch.h"
#include "mps_private.h"
#include "rte_mps_forksrv.h"

namespace mps {

namespace {

constexpr unsigned int FS_MAX_ARGS = 1024;
constexpr unsigned int FS_MAX_ENV = 4096;
constexpr unsigned int FS_MAX_CONN = 64;
constexpr unsigned int MAX_ENTRIES = 16;
constexpr int ORPHAN_GRACE_MS = 5000;

static_assert(FS_VERSION == RTE_MPS_FORKSRV_VERSION, "one protocol version");
static_assert(FS_NAMESIZE == RTE_MPS_FORKED_NAMESIZE, "one entry name size");

constexpr bool
same_text(const char *a, const char *b)
{
	return *a == *b && (*a == '\0' || same_text(a + 1, b + 1));
}
static_assert(same_text(MPS_FORKED_OPTION, RTE_MPS_FORKED_OPTION) &&
		same_text(MPS_FORKSRV_SOCKET, RTE_MPS_FORKSRV_SOCKET),
		"one option and one socket name");

/* Announcement of a forked pid to the primary's notifier. */
struct fs_announce {
	int32_t pid;
	int32_t reserved;
	uint64_t start_time;
};

struct entry {
	char name[RTE_MPS_FORKED_NAMESIZE];
	rte_mps_forked_main_t fn;
};

entry entries[MAX_ENTRIES];
unsigned int nb_entries;
bool forked_secondary;

/* Primary side. */
struct server_ref {
	pid_t pid = 0;
	pid_t owner = 0;
	std::string path;
	std::vector<pid_t> draining;   /* replaced servers, until reaped */
	int announce = -1;             /* fork servers' end of the announcement socket */
};
server_ref server;

enum conn_state : uint8_t {
	C_FREE = 0,
	C_WAIT_REQ,
	C_RUNNING,
	C_ORPHAN,    /* launcher gone, SIGTERM sent: no fd, waits for the exit */
};

struct conn {
	int fd;
	conn_state state;
	pid_t pid;
	uint64_t kill_at;    /* C_ORPHAN: when SIGKILL follows, in ms */
};

/* Fork server side (single-threaded). */
struct fork_server {
	int lfd = -1;
	int sfd = -1;
	int announce = -1;
	pid_t primary = 0;
	conn conns[FS_MAX_CONN] = {};
	std::vector<char> buf;
};
fork_server fs;

uint64_t
now_ms()
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* SIGKILL the orphans past their grace; the poll timeout until the next one. */
int
kill_orphans()
{
	const uint64_t now = now_ms();
	int timeout = -1;

	for (unsigned int i = 0; i < FS_MAX_CONN; i++) {
		conn *c = &fs.conns[i];
		if (c->state != C_ORPHAN)
			continue;
		if (c->kill_at <= now) {
			kill(c->pid, SIGKILL);
			c->kill_at = UINT64_MAX;    /* once; the reap frees the entry */
		} else if (c->kill_at != UINT64_MAX) {
			int left = (int)(c->kill_at - now);
			timeout = timeout < 0 ? left : RTE_MIN(timeout, left);
		}
	}
	return timeout;
}

void
send_reply(int fd, uint16_t type, int32_t value, const char *text)
{
	fs_reply r;

	put_header(&r.h, type, sizeof(r));
	r.h.value = value;
	memset(r.text, 0, sizeof(r.text));
	if (text != nullptr)
		snprintf(r.text, sizeof(r.text), "%s", text);
	if (send(fd, &r, sizeof(r), MSG_NOSIGNAL) < 0)
		MPS_LOG(DEBUG, "fork server: cannot answer: %s\n", strerror(errno));
}

void refuse(int fd, const char *fmt, ...) __rte_format_printf(2, 3);

void
refuse(int fd, const char *fmt, ...)
{
	char text[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	MPS_LOG(ERR, "fork server: request refused: %s\n", text);
	send_reply(fd, REP_ERROR, 0, text);
}

const entry *
find_entry(const char *name)
{
	for (unsigned int i = 0; i < nb_entries; i++)
		if (strcmp(entries[i].name, name) == 0)
			return &entries[i];
	return nullptr;
}

/* CPUs named by -l/--lcores (plain lists and ranges) or -c; false if none. */
bool
cpus_of_args(int argc, char **argv, cpu_set_t *set)
{
	const char *list = nullptr;
	const char *mask = nullptr;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if ((strcmp(argv[i], "-l") == 0 || strcmp(argv[i], "--lcores") == 0) &&
				i + 1 < argc)
			list = argv[++i];
		else if (strncmp(argv[i], "--lcores=", 9) == 0)
			list = argv[i] + 9;
		else if (strncmp(argv[i], "-l", 2) == 0 && argv[i][2] != '\0')
			list = argv[i] + 2;
		else if (strcmp(argv[i], "-c") == 0 && i + 1 < argc)
			mask = argv[++i];
	}
	CPU_ZERO(set);
	if (list != nullptr) {
		const char *p = list;
		while (*p != '\0') {
			char *end;
			unsigned long a = strtoul(p, &end, 10), b = a;
			if (end == p)
				return false;
			if (*end == '-') {
				p = end + 1;
				b = strtoul(p, &end, 10);
				if (end == p)
					return false;
			}
			for (unsigned long c = a; c <= b && c < CPU_SETSIZE; c++)
				CPU_SET(c, set);
			if (*end == ',')
				end++;
			else if (*end != '\0')
				return false;
			p = end;
		}
	} else if (mask != nullptr) {
		unsigned long long m = strtoull(mask, nullptr, 16);
		for (unsigned int c = 0; c < 64; c++)
			if (m & (1ull << c))
				CPU_SET(c, set);
	}
	return CPU_COUNT(set) > 0;
}

/*
 * In the forked secondary: put /dev/null over the EAL's IPC socket, which
 * is the primary's (bound to <runtime dir>/mp_socket). Through it, a message
 * would leave as the primary's and its answer would go to the primary; now
 * rte_mp_*() that send fail at once (ENOTSOCK).
 */
void
drop_mp_socket()
{
	const std::string mp = std::string(rte_eal_get_runtime_dir()) + "/mp_socket";
	std::vector<int> found;
	DIR *d = opendir("/proc/self/fd");

	if (d == nullptr) {
		MPS_LOG(WARNING, "forked secondary: cannot list its fds: %s\n", strerror(errno));
		return;
	}
	while (struct dirent *de = readdir(d)) {
		char *end;
		long fd = strtol(de->d_name, &end, 10);
		if (end == de->d_name || *end != '\0' || fd == dirfd(d))
			continue;
		struct sockaddr_un sa;
		socklen_t len = sizeof(sa);
		const socklen_t head = offsetof(struct sockaddr_un, sun_path);
		if (getsockname((int)fd, reinterpret_cast<struct sockaddr *>(&sa), &len) < 0 ||
				sa.sun_family != AF_UNIX || len <= head)
			continue;
		if (strnlen(sa.sun_path, len - head) == mp.size() &&
				memcmp(sa.sun_path, mp.data(), mp.size()) == 0)
			found.push_back((int)fd);
	}
	closedir(d);
	if (found.empty())
		return;
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	for (int fd : found)
		if (null < 0 || dup3(null, fd, O_CLOEXEC) < 0)
			MPS_LOG(WARNING, "forked secondary: cannot close the primary's IPC socket "
					"(fd %d): %s\n", fd, strerror(errno));
	if (null >= 0)
		close(null);
}

/*
 * In the forked secondary: take the launcher's stdio, directory and
 * environment, an lcore id of its own, then run the app's entry.
 */
__rte_noreturn void
run_secondary(pid_t server, const entry *e, int fds[FS_NB_FDS], char *cwd,
		std::vector<char *> &args, std::vector<char *> &env)
{
	sigset_t stop;

	/* Die with the fork server; it may already be gone. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != server)
		_exit(EXIT_FAILURE);
	/*
	 * The stop signals stay blocked, so that one the launcher forwards
	 * now waits for the app's handlers (which unblock them), not the
	 * primary's copy of them; the others are let through.
	 */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGHUP);
	sigprocmask(SIG_SETMASK, &stop, nullptr);
	signal(SIGCHLD, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	for (unsigned int i = 0; i < FS_MAX_CONN; i++)
		if (fs.conns[i].state != C_FREE && fs.conns[i].fd >= 0)
			close(fs.conns[i].fd);
	close(fs.lfd);
	close(fs.sfd);
	close(fs.announce);
	drop_mp_socket();
	/* Signals come from the launcher, not from the primary's terminal. */
	setsid();
	for (unsigned int i = 0; i < FS_NB_FDS; i++) {
		dup2(fds[i], (int)i);
		if (fds[i] > 2)
			close(fds[i]);
	}
	const char *name = e->name;
	if (chdir(cwd) != 0) {
		MPS_LOG(ERR, "%s: cannot change to directory %s: %s\n", name, cwd,
				strerror(errno));
		_exit(EXIT_FAILURE);
	}
	env.push_back(nullptr);
	environ = env.data();
	args.push_back(nullptr);
	setvbuf(stdout, nullptr, isatty(STDOUT_FILENO) ? _IOLBF : _IOFBF, BUFSIZ);

	self.pid = getpid();
	store(&self.slot, -1);
	lcore_forget_thread();
	dpdk_set_lcore_id(LCORE_ID_ANY);
	uint64_t no_lcores[LCORE_WORDS] = {};
	if (slot_register(RTE_MPS_PROC_FORKED, fs.primary, RTE_MPS_NO_WORKER, no_lcores) < 0 ||
			rte_mps_lcore_claim() < 0) {
		MPS_LOG(ERR, "%s: forked secondary: %s\n", name, rte_mps_strerror());
		rte_mps_child_exit(EXIT_FAILURE);
	}
	cpu_set_t cpus;
	/* Not the CPU of the primary's main lcore, which the fork server kept. */
	if (!cpus_of_args((int)args.size() - 1, args.data(), &cpus) ||
			sched_setaffinity(0, sizeof(cpus), &cpus) != 0)
		rte_mps_lcore_unpin();
	forked_secondary = true;

	int ret = e->fn((int)args.size() - 1, args.data());
	fflush(stdout);
	fflush(stderr);
	rte_mps_child_exit(ret & 0xff);
}

} /* namespace */

static void
say(char *text, size_t textlen, const char *fmt, ...) __rte_format_printf(3, 4);

static void
say(char *text, size_t textlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, textlen, fmt, ap);
	va_end(ap);
}

int
forksrv_parse(char *buf, size_t bufsize, size_t got, bool ctrunc, unsigned int nfds,
		uid_t peer_uid, pid_t peer_pid, forksrv_request *req, char *text, size_t textlen)
{
	const fs_msg *h = reinterpret_cast<const fs_msg *>(buf);

	if (peer_uid != geteuid())
		return say(text, textlen, "peer pid %d runs as uid %u, not as the primary's uid %u",
				(int)peer_pid, (unsigned int)peer_uid, (unsigned int)geteuid()), -1;
	if (got < sizeof(h->magic) || h->magic != FS_MAGIC)
		return say(text, textlen, "not a fork request (bad magic)"), -1;
	if (got >= offsetof(fs_msg, type) && h->version != RTE_MPS_FORKSRV_VERSION)
		return say(text, textlen, "message version %u, this fork server speaks version %u",
				h->version, RTE_MPS_FORKSRV_VERSION), -1;
	if (got < sizeof(*h))
		return say(text, textlen, "truncated message: %zu bytes, the header alone is %zu",
				got, sizeof(*h)), -1;
	if (got > bufsize)
		return say(text, textlen, "message of %zu bytes is over the limit of %zu", got,
				bufsize), -1;
	if (h->length != got)
		return say(text, textlen, "truncated message: header says %u bytes, %zu received",
				h->length, got), -1;
	if (ctrunc)
		return say(text, textlen, "too many fds: a request carries exactly %u (stdin, "
				"stdout, stderr)", FS_NB_FDS), -1;
	if (h->type != REQ_START)
		return say(text, textlen, "message type %u where a start request was expected",
				h->type), -1;
	if (nfds != FS_NB_FDS)
		return say(text, textlen, "%u fds received, a request carries exactly %u (stdin, "
				"stdout, stderr)", nfds, FS_NB_FDS), -1;
	if (h->argc == 0 || h->argc > FS_MAX_ARGS || h->envc > FS_MAX_ENV)
		return say(text, textlen, "bad counts: %u arguments (1..%u), %u environment "
				"strings (at most %u)", h->argc, FS_MAX_ARGS, h->envc,
				FS_MAX_ENV), -1;
	if (memchr(h->entry, '\0', sizeof(h->entry)) == nullptr)
		return say(text, textlen, "entry name is not terminated"), -1;

	/* cwd, argv, env: NUL-terminated strings filling the rest exactly. */
	char *p = buf + sizeof(*h);
	char *end = buf + got;
	std::vector<char *> strs;
	while (p < end) {
		char *z = static_cast<char *>(memchr(p, '\0', (size_t)(end - p)));
		if (z == nullptr)
			break;
		strs.push_back(p);
		p = z + 1;
	}
	if (p != end || strs.size() != 1 + (size_t)h->argc + h->envc)
		return say(text, textlen, "malformed strings: expected %u, found %zu%s",
				1 + h->argc + h->envc, strs.size(),
				p != end ? " and an unterminated one" : ""), -1;
	req->entry = h->entry;
	req->cwd = strs[0];
	req->args.assign(strs.begin() + 1, strs.begin() + 1 + h->argc);
	req->env.assign(strs.begin() + 1 + h->argc, strs.end());
	return 0;
}

int
forksrv_signal(const fs_msg *m, size_t got)
{
	if (got == sizeof(*m) && m->magic == FS_MAGIC &&
			m->version == RTE_MPS_FORKSRV_VERSION && m->type == REQ_SIGNAL &&
			(m->value == SIGINT || m->value == SIGTERM))
		return m->value;
	return 0;
}

namespace {

/* One start request, read from a connection in C_WAIT_REQ. */
void
handle_request(conn *c)
{
	char cbuf[CMSG_SPACE(FS_NB_FDS * sizeof(int))];
	struct iovec iov = { fs.buf.data(), fs.buf.size() };
	struct msghdr mh = {};
	int fds[FS_NB_FDS];
	unsigned int nfds = 0;

	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cbuf;
	mh.msg_controllen = sizeof(cbuf);
	ssize_t n = recvmsg(c->fd, &mh, MSG_TRUNC | MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		close(c->fd);
		c->state = C_FREE;
		return;
	}
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(&mh); cm != nullptr; cm = CMSG_NXTHDR(&mh, cm)) {
		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		unsigned int k = (unsigned int)((cm->cmsg_len - CMSG_LEN(0)) / sizeof(int));
		for (unsigned int j = 0; j < k; j++) {
			int fd;
			memcpy(&fd, CMSG_DATA(cm) + j * sizeof(int), sizeof(int));
			if (nfds < FS_NB_FDS)
				fds[nfds++] = fd;
			else
				close(fd);
		}
	}
	auto close_fds = [&] {
		for (unsigned int j = 0; j < nfds; j++)
			close(fds[j]);
	};
	auto done = [&] {
		close_fds();
		close(c->fd);
		c->state = C_FREE;
	};
	/* Checked once the request is read: a peer gets the answer, not a reset. */
	struct ucred cred;
	socklen_t len = sizeof(cred);
	if (getsockopt(c->fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0)
		return refuse(c->fd, "cannot read the peer's credentials: %s",
				strerror(errno)), done();
	forksrv_request req;
	char why[256];
	if (forksrv_parse(fs.buf.data(), fs.buf.size(), (size_t)n, (mh.msg_flags & MSG_CTRUNC) != 0,
			nfds, cred.uid, cred.pid, &req, why, sizeof(why)) < 0)
		return refuse(c->fd, "%s", why), done();
	const entry *e = find_entry(req.entry);
	if (e == nullptr)
		return refuse(c->fd, "the primary (pid %d) has no forked entry '%s': a forked "
				"secondary runs code linked into the primary", (int)fs.primary,
				req.entry), done();

	fflush(stdout);
	fflush(stderr);
	const pid_t server = getpid();
	pid_t pid = fork();
	if (pid < 0)
		return refuse(c->fd, "fork() failed: %s", strerror(errno)), done();
	if (pid == 0)
		run_secondary(server, e, fds, req.cwd, req.args, req.env);
	close_fds();
	c->pid = pid;
	c->state = C_RUNNING;
	send_reply(c->fd, REP_STARTED, pid, nullptr);

	fs_announce a = {};
	a.pid = pid;
	if (rte_mps_proc_start_time(pid, &a.start_time) == 0 &&
			send(fs.announce, &a, sizeof(a), MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
		MPS_LOG(WARNING, "fork server: cannot announce pid %d: %s\n", (int)pid,
				strerror(errno));
}

/* A message from the launcher of a running secondary, or its hang-up. */
void
handle_running(conn *c)
{
	fs_msg m;
	ssize_t n = recv(c->fd, &m, sizeof(m), MSG_DONTWAIT);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		/* The launcher is gone: its secondary must not live on. */
		kill(c->pid, SIGTERM);
		close(c->fd);
		c->fd = -1;
		c->kill_at = now_ms() + ORPHAN_GRACE_MS;
		c->state = C_ORPHAN;
		return;
	}
	const int sig = forksrv_signal(&m, (size_t)n);
	if (sig != 0)
		kill(c->pid, sig);
	else
		MPS_LOG(WARNING, "fork server: ignored a bad message from the launcher of %d\n",
				(int)c->pid);
}

bool
conns_idle()
{
	for (unsigned int i = 0; i < FS_MAX_CONN; i++)
		if (fs.conns[i].state != C_FREE)
			return false;
	return true;
}

bool accept_one();

void
reap_children()
{
	struct signalfd_siginfo si;
	int status;
	pid_t pid;

	while (read(fs.sfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		/*
		 * Replaced by a newer server, which has the socket's name now:
		 * no launcher connects here any more, but those that did before
		 * the rename wait in the backlog. Serve them, then take no more.
		 */
		if (si.ssi_signo == SIGUSR1 && fs.lfd >= 0) {
			while (accept_one())
				;
			close(fs.lfd);
			fs.lfd = -1;
		}
	}
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (unsigned int i = 0; i < FS_MAX_CONN; i++) {
			conn *c = &fs.conns[i];
			if ((c->state != C_RUNNING && c->state != C_ORPHAN) || c->pid != pid)
				continue;
			if (c->state == C_RUNNING) {
				send_reply(c->fd, REP_EXITED, status, nullptr);
				close(c->fd);
			}
			c->state = C_FREE;
		}
	}
}

/* Take one connection of the backlog (non-blocking); false when it is empty. */
bool
accept_one()
{
	int fd = accept4(fs.lfd, nullptr, nullptr, SOCK_CLOEXEC);
	if (fd < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return false;
		/* A launcher that gave up meanwhile: the next one may wait. */
		return errno == ECONNABORTED || errno == EINTR;
	}
	for (unsigned int i = 0; i < FS_MAX_CONN; i++) {
		if (fs.conns[i].state == C_FREE) {
			fs.conns[i] = { fd, C_WAIT_REQ, 0, 0 };
			return true;
		}
	}
	refuse(fd, "too many forked secondaries at once (%u)", FS_MAX_CONN);
	close(fd);
	return true;
}

__rte_noreturn void
server_main()
{
	sigset_t chld;

	setsid();
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigaddset(&chld, SIGUSR1);
	sigprocmask(SIG_BLOCK, &chld, nullptr);
	fs.sfd = signalfd(-1, &chld, SFD_NONBLOCK | SFD_CLOEXEC);
	fs.buf.resize(FS_MAX_MSG);
	if (fs.sfd < 0) {
		MPS_LOG(ERR, "fork server: signalfd: %s\n", strerror(errno));
		rte_mps_child_exit(EXIT_FAILURE);
	}
	/* The backlog is emptied at a handover: accept must not block then. */
	int fl = fcntl(fs.lfd, F_GETFL);
	if (fl < 0 || fcntl(fs.lfd, F_SETFL, fl | O_NONBLOCK) < 0) {
		MPS_LOG(ERR, "fork server: cannot make its socket non-blocking: %s\n",
				strerror(errno));
		rte_mps_child_exit(EXIT_FAILURE);
	}
	MPS_LOG(DEBUG, "fork server %d ready\n", (int)getpid());
	for (;;) {
		if (fs.lfd < 0 && conns_idle())
			rte_mps_child_exit(EXIT_SUCCESS);
		struct pollfd pfd[2 + FS_MAX_CONN];
		conn *who[2 + FS_MAX_CONN];
		nfds_t n = 0;

		pfd[n++] = { fs.lfd, POLLIN, 0 };
		pfd[n++] = { fs.sfd, POLLIN, 0 };
		for (unsigned int i = 0; i < FS_MAX_CONN; i++) {
			if (fs.conns[i].state == C_FREE || fs.conns[i].state == C_ORPHAN)
				continue;
			who[n] = &fs.conns[i];
			pfd[n++] = { fs.conns[i].fd, POLLIN, 0 };
		}
		if (poll(pfd, n, kill_orphans()) <= 0)
			continue;
		if (pfd[1].revents)
			reap_children();
		for (nfds_t i = 2; i < n; i++) {
			if (pfd[i].revents == 0 || who[i]->state == C_FREE)
				continue;
			if (who[i]->state == C_WAIT_REQ)
				handle_request(who[i]);
			else
				handle_running(who[i]);
		}
		if (pfd[0].revents && fs.lfd >= 0)
			accept_one();
	}
}

} /* namespace */

} /* namespace mps */

using namespace mps;

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_forked_main_register, 22.11)
int
rte_mps_forked_main_register(const char *name, rte_mps_forked_main_t fn)
{
	if (name == nullptr || fn == nullptr || name[0] == '\0' ||
			strlen(name) >= RTE_MPS_FORKED_NAMESIZE)
		return fail(EINVAL, "bad forked entry name or function");
	if (find_entry(name) != nullptr)
		return fail(EEXIST, "forked entry %s is already registered", name);
	if (nb_entries == MAX_ENTRIES)
		return fail(ENOSPC, "too many forked entries (%u)", MAX_ENTRIES);
	snprintf(entries[nb_entries].name, sizeof(entries[nb_entries].name), "%s", name);
	entries[nb_entries].fn = fn;
	nb_entries++;
	return 0;
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_is_forked_secondary, 22.11)
int
rte_mps_is_forked_secondary(void)
{
	return forked_secondary ? 1 : 0;
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_fork_server_start, 22.11)
pid_t
rte_mps_fork_server_start(void)
{
	if (self.forked)
		return fail(EPERM, "a forked process cannot start a fork server");
	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return fail(EPERM, "only the primary starts a fork server");
	if (self.sh == nullptr)
		return fail(EINVAL, "mpsupport is not initialised: call rte_mps_init() first");
	if (gettid() != getpid())
		return fail(EPERM, "start the fork server from the main thread: it dies with "
				"the thread that forked it");
	if (server.pid != 0 && server.owner != getpid())
		return fail(EPERM, "the fork server belongs to pid %d", (int)server.owner);

	/* A new server binds a name of its own and takes the socket's name over. */
	const std::string path =
		std::string(rte_eal_get_runtime_dir()) + "/" RTE_MPS_FORKSRV_SOCKET;
	const std::string bound = server.pid != 0 ? path + ".new" : path;
	struct sockaddr_un sa = {};
	sa.sun_family = AF_UNIX;
	if (bound.size() >= sizeof(sa.sun_path))
		return fail(ENAMETOOLONG, "socket path %s is too long", bound.c_str());
	memcpy(sa.sun_path, bound.c_str(), bound.size() + 1);

	/* One announcement socket for every fork server this primary starts. */
	if (server.announce < 0) {
		int pair[2];
		if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) < 0)
			return fail(errno, "cannot create the announcement socket: %s",
					strerror(errno));
		int ret = notify_announce_fd(pair[0]);
		if (ret < 0) {
			close(pair[0]);
			close(pair[1]);
			return ret;
		}
		server.announce = pair[1];
	}
	int lfd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (lfd < 0)
		return fail(errno, "cannot create the fork server's socket: %s", strerror(errno));
	auto close_all = [&] { close(lfd); };
	/* This primary owns the prefix: a socket left there is a dead server's. */
	unlink(bound.c_str());
	/* Connections are refused until listen(), so the mode is set in time. */
	if (bind(lfd, reinterpret_cast<struct sockaddr *>(&sa), sizeof(sa)) < 0 ||
			chmod(bound.c_str(), 0600) < 0 || listen(lfd, 64) < 0) {
		int err = errno;
		close_all();
		unlink(bound.c_str());
		return fail(err, "cannot listen on %s: %s", bound.c_str(), strerror(err));
	}
	int one = FS_MAX_MSG * 2;
	setsockopt(lfd, SOL_SOCKET, SO_RCVBUF, &one, sizeof(one));

	/*
	 * The server is born with the signals it reads blocked: a SIGUSR1 of
	 * the next start, or a SIGCHLD, that came before server_main() would
	 * otherwise kill it or be lost.
	 */
	sigset_t srv_sigs, old_mask;
	sigemptyset(&srv_sigs);
	sigaddset(&srv_sigs, SIGCHLD);
	sigaddset(&srv_sigs, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &srv_sigs, &old_mask);
	pid_t primary = getpid();
	pid_t pid = rte_mps_fork(RTE_MPS_NO_WORKER);
	if (pid != 0)
		pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
	if (pid < 0) {
		close_all();
		unlink(bound.c_str());
		return pid;
	}
	if (pid == 0) {
		fs.lfd = lfd;
		fs.announce = server.announce;
		fs.primary = primary;
		server_main();
	}
	close(lfd);
	if (server.pid != 0) {
		/* Not renamed, the new server is out of reach: the old one serves on. */
		if (rename(bound.c_str(), path.c_str()) < 0) {
			int err = errno;
			kill(pid, SIGKILL);
			while (waitpid(pid, nullptr, 0) < 0 && errno == EINTR)
				;
			unlink(bound.c_str());
			return fail(err, "cannot rename %s to %s for the new fork server: %s; "
					"fork server %d serves on", bound.c_str(), path.c_str(),
					strerror(err), (int)server.pid);
		}
		kill(server.pid, SIGUSR1);
		server.draining.push_back(server.pid);
	}
	for (auto it = server.draining.begin(); it != server.draining.end();)
		it = waitpid(*it, nullptr, WNOHANG) == *it ? server.draining.erase(it) : it + 1;
	server.pid = pid;
	server.owner = primary;
	server.path = path;
	MPS_LOG(INFO, "fork server %d listening on %s\n", (int)pid, path.c_str());
	return pid;
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_fork_server_stop, 22.11)
int
rte_mps_fork_server_stop(void)
{
	if (server.pid == 0)
		return 0;
	if (server.owner != getpid())
		return fail(EPERM, "the fork server belongs to pid %d", (int)server.owner);
	server.draining.push_back(server.pid);
	for (pid_t pid : server.draining) {
		kill(pid, SIGKILL);
		while (waitpid(pid, nullptr, 0) < 0 && errno == EINTR)
			;
	}
	server.draining.clear();
	unlink(server.path.c_str());
	server.pid = 0;
	return 0;
}

/* rte_mps_fini() of the primary: its fork server, and its end of the announcements. */
void
mps::forksrv_fini()
{
	if (server.owner == getpid())
		rte_mps_fork_server_stop();
	if (server.announce >= 0)
		close(server.announce);
	server.announce = -1;
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_forked_launch, 22.11)
int
rte_mps_forked_launch(int argc, char **argv)
{
	if (mps_launch_option(argc, argv) < 0)
		return 0;
	if (nb_entries != 1)
		return fail(ENOTSUP, "%s: this program has %u forked entries, it needs exactly one",
			    RTE_MPS_FORKED_OPTION, nb_entries);

	char err[512];
	int ret = mps_launch_forked(argc, argv, entries[0].name, err, sizeof(err));
	return fail(-ret, "%s", err);
}
