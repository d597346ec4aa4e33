/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

#ifndef RTE_MPS_FORKSRV_H
#define RTE_MPS_FORKSRV_H

/**
 * @file
 * Multi-process support: forked secondaries and their fork server.
 *
 * @warning
 * @b EXPERIMENTAL: all functions in this file may change without prior notice.
 *
 * A primary calls rte_mps_fork_server_start() once its ports are started.
 * It forks a single-threaded copy of itself, the fork server, which keeps
 * every mapping of the primary and listens on the unix socket
 * RTE_MPS_FORKSRV_SOCKET of the runtime directory (mode 0600, peers of
 * another uid refused). A secondary started with the option
 * RTE_MPS_FORKED_OPTION is a thin launcher (rte_mps_forked_launch()): it
 * sends its arguments, working directory, environment and stdio fds; the
 * fork server forks the real secondary, which calls the entry the app
 * registered with RTE_MPS_FORKED_MAIN() at the addresses of the primary.
 *
 * The forked secondary sees the primary's process-local state as it was at
 * rte_mps_fork_server_start(): ports, pools and drivers set up later are
 * not known to it. It has no EAL thread (no interrupts, IPC, alarms or
 * telemetry of its own) and follows the fork contract of rte_mps_fork.h.
 * The EAL's IPC socket it inherits, the primary's, is replaced by /dev/null:
 * rte_mp_*() calls that send a message fail with ENOTSOCK.
 * Its entry starts with SIGINT, SIGTERM and SIGHUP blocked, the primary's
 * handlers still in place: it installs its own, then unblocks them, and
 * gets then a stop signal the launcher forwarded meanwhile.
 */

#include <stdint.h>
#include <sys/types.h>

#include <rte_common.h>
#include <rte_compat.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Command-line option (before "--") that makes a secondary a forked one. */
#define RTE_MPS_FORKED_OPTION "--forked"

/** Name of the fork server's socket in the runtime directory. */
#define RTE_MPS_FORKSRV_SOCKET "mps_forksrv"

/** Version of the fork server's message format. */
#define RTE_MPS_FORKSRV_VERSION 1

/** Longest name of a forked entry, with its NUL. */
#define RTE_MPS_FORKED_NAMESIZE 32

/** Entry point of a forked secondary: the app's main, split from main(). */
typedef int (*rte_mps_forked_main_t)(int argc, char **argv);

/**
 * Make fn the entry of the forked secondary called name in this process
 * image. Call it from a constructor (RTE_MPS_FORKED_MAIN() does), so that
 * the primary's image, and the fork server copied from it, knows the entry.
 *
 * @param name
 *   Entry name, the app's name without "dpdk-" (at most
 *   RTE_MPS_FORKED_NAMESIZE - 1 characters).
 * @param fn
 *   The app's main.
 * @return
 *   0, or -EINVAL (bad name or fn), -EEXIST (name taken), -ENOSPC (table
 *   full); rte_errno is also set.
 */
__rte_experimental
int
rte_mps_forked_main_register(const char *name, rte_mps_forked_main_t fn);

/** Register fn as the forked entry called name (an identifier), at start-up. */
#define RTE_MPS_FORKED_MAIN(name, fn) \
	RTE_INIT(rte_mps_forked_main_ ## name) \
	{ \
		rte_mps_forked_main_register(RTE_STR(name), fn); \
	}

/**
 * Start the fork server of this primary.
 *
 * Call it from the main thread (the fork server dies with the thread that
 * forked it), after rte_mps_init() and after the ports and pools that
 * forked secondaries use are set up and started. The socket is created
 * before the fork, so an error is reported here.
 *
 * Call it again when the primary's process-local state changed in a way
 * forked secondaries must see (a port started, a link came up, e.g. a memif
 * connection, whose mappings live in the primary's own memory): a new fork
 * server takes the socket's name over; the old one serves the launchers
 * that connected to it before, takes no new request and exits when the
 * last secondary it forked has exited. If the name cannot be taken over,
 * the new server is stopped and the call fails; the old one serves on.
 *
 * @return
 *   The fork server's pid, or a negative errno value (rte_errno is also set):
 *   - -EPERM: not the primary, or not its main thread, or a forked process.
 *   - -EINVAL: mpsupport not initialised.
 *   - -ENOTSUP: memory not shared (no hugepages).
 *   - other: the socket could not be created, or renamed over the old one.
 */
__rte_experimental
pid_t
rte_mps_fork_server_start(void);

/**
 * Stop the fork server: kill it (and so its forked secondaries), wait for
 * it and remove its socket. Safe to call when it is not running.
 *
 * @return
 *   0, or -EPERM in a process other than the one that started it.
 */
__rte_experimental
int
rte_mps_fork_server_stop(void);

/**
 * Launcher side. When argv holds RTE_MPS_FORKED_OPTION before "--", send
 * the request to the fork server of the --file-prefix found in argv, wait
 * for the forked secondary, forward SIGINT and SIGTERM to it, and exit with
 * its exit status (128 + signal number if a signal ended it). Does no EAL
 * initialisation and maps nothing. Call it before rte_eal_init().
 *
 * The library prints nothing: the caller reports an error (one line with
 * rte_mps_strerror()) and exits.
 *
 * @param argc
 *   Argument count of main().
 * @param argv
 *   Arguments of main().
 * @return
 *   0 when the option is absent (run as usual); never returns when the
 *   secondary ran; otherwise a negative errno value (rte_errno is also set):
 *   - -ENOTSUP: this program registered no forked entry, or several.
 *   - -ENOENT: no fork server listens for this --file-prefix.
 *   - -EPERM: the fork server refused the request (the text says why).
 *   - -ETIMEDOUT: the fork server did not answer the request within 10 s.
 *   - -ECONNRESET: the fork server went away (primary gone, server killed).
 *   - -E2BIG, -EIO, or the errno of a failed system call.
 */
__rte_experimental
int
rte_mps_forked_launch(int argc, char **argv);

/**
 * Tell whether the calling process is a forked secondary, started by a
 * fork server. Its EAL is already initialised, as the primary's copy:
 * it must not call rte_eal_init() nor rte_eal_cleanup().
 *
 * @return
 *   1 in a forked secondary, 0 otherwise.
 */
__rte_experimental
int
rte_mps_is_forked_secondary(void);

#ifdef __cplusplus
}
#endif

#endif /* RTE_MPS_FORKSRV_H */
