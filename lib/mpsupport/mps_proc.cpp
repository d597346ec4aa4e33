/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/*
 * Liveness room: the only place that reads /proc. A pid alone is not a
 * process: a process is a pid and its start time, so that a recycled pid
 * is never mistaken for the process that had it.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mps_private.h"

namespace mps {

namespace {

/* Fields of /proc/<pid>/stat we need: state (3), ppid (4), starttime (22). */
struct stat_fields {
	char state;
	int32_t ppid;
	uint64_t start_time;
};

/*
 * Only "no such file" or "no such process" mean that the process is gone.
 * Any other error (EMFILE, ENFILE, ENOMEM, EACCES from a /proc mounted
 * with hidepid) says nothing about it, and is returned as it is.
 */
int
gone_or(int err)
{
	return err == ENOENT || err == ESRCH ? -ESRCH : -err;
}

int
read_stat(pid_t pid, stat_fields *f)
{
	char path[64];
	char buf[1024];

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return gone_or(errno);
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	int err = errno;
	close(fd);
	if (n < 0)
		return gone_or(err);
	if (n == 0)
		return -ESRCH;    /* the process went between open and read */
	buf[n] = '\0';

	/* The command name may hold spaces and parentheses: skip to the last ')'. */
	char *p = strrchr(buf, ')');
	if (p == nullptr || p[1] != ' ')
		return -EIO;
	p += 2;
	f->state = *p;
	unsigned int field = 3;
	while (*p != '\0' && field < 22) {
		if (*p == ' ') {
			field++;
			if (field == 4)
				f->ppid = (int32_t)strtol(p + 1, nullptr, 10);
		}
		p++;
	}
	if (field != 22)
		return -EIO;
	f->start_time = strtoull(p, nullptr, 10);
	return 0;
}

/* Threads of a process still in the kernel's count (its "Threads:" line). */
int
proc_threads(pid_t pid)
{
	char path[64];
	char buf[2048];

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return gone_or(errno) == -ESRCH ? 0 : INT_MAX;    /* unknown: alive */
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	int err = errno;
	close(fd);
	if (n < 0)
		return gone_or(err) == -ESRCH ? 0 : INT_MAX;
	if (n == 0)
		return 0;
	buf[n] = '\0';
	const char *p = strstr(buf, "\nThreads:");
	return p == nullptr ? 0 : atoi(p + strlen("\nThreads:"));
}

} /* namespace */

int
proc_ppid(pid_t pid)
{
	stat_fields f;

	if (read_stat(pid, &f) < 0)
		return -1;
	return f.ppid;
}

/*
 * Alive: same pid, same start time, and not all gone. A killed process's
 * leader turns zombie while its other threads may still be on their way
 * out, some of them for a few microseconds still in user space: until the
 * zombie is the last thread, the process still counts as alive, so that
 * nothing it held is handed out while one of its threads can touch it.
 */
bool
proc_alive(pid_t pid, uint64_t start_time)
{
	stat_fields f;

	if (pid <= 0)
		return false;
	int ret = read_stat(pid, &f);
	if (ret == -ESRCH)
		return false;
	if (ret < 0) {
		/*
		 * /proc cannot be read now: fail closed. The pid tells whether a
		 * process has it; only "no such process" is dead, and a process
		 * that has the pid may be this one (its start time cannot be
		 * checked), so it counts as alive.
		 */
		return kill(pid, 0) == 0 || errno != ESRCH;
	}
	if (f.start_time != start_time)
		return false;
	if (f.state == 'X' || f.state == 'x')
		return false;
	if (f.state == 'Z')
		return proc_threads(pid) > 1;
	return true;
}

/* Is addr in a MAP_SHARED mapping of this process? */
bool
proc_mapping_shared(const void *addr)
{
	char buf[4096];
	uintptr_t a = reinterpret_cast<uintptr_t>(addr);
	int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return false;
	/* Lines: "start-end perms offset dev inode path". */
	size_t have = 0;
	bool found = false, shared_map = false;
	for (;;) {
		ssize_t k = read(fd, buf + have, sizeof(buf) - 1 - have);
		if (k <= 0)
			break;
		have += static_cast<size_t>(k);
		buf[have] = '\0';
		char *line = buf;
		char *nl;
		while ((nl = strchr(line, '\n')) != nullptr) {
			*nl = '\0';
			char *end;
			uintptr_t lo = strtoull(line, &end, 16);
			uintptr_t hi = (*end == '-') ? strtoull(end + 1, &end, 16) : 0;
			if (a >= lo && a < hi && *end == ' ' && strlen(end) > 4) {
				found = true;
				shared_map = end[4] == 's';
			}
			line = nl + 1;
		}
		have = strlen(line);
		memmove(buf, line, have);
		if (found)
			break;
	}
	close(fd);
	return found && shared_map;
}

const char *
proc_type_name(uint32_t type)
{
	switch (type) {
	case RTE_MPS_PROC_PRIMARY: return "primary";
	case RTE_MPS_PROC_SECONDARY: return "secondary";
	case RTE_MPS_PROC_FORKED: return "forked";
	default: return "unknown";
	}
}

} /* namespace mps */

using namespace mps;

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_proc_start_time, 22.11)
int
rte_mps_proc_start_time(pid_t pid, uint64_t *start_time)
{
	stat_fields f;

	if (pid <= 0 || start_time == nullptr)
		return fail(EINVAL, "bad pid %d or null start time", (int)pid);
	int ret = read_stat(pid, &f);
	if (ret < 0)
		return fail(-ret, "no process %d", (int)pid);
	*start_time = f.start_time;
	return 0;
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_proc_alive, 22.11)
int
rte_mps_proc_alive(pid_t pid, uint64_t start_time)
{
	return proc_alive(pid, start_time) ? 1 : 0;
}
