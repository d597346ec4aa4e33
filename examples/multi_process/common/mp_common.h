/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/**
 * @file
 * Helpers shared by the multi-process examples (namespace mpc).
 *
 * Every example does the same chores around its packet loop; they live here
 * once so that each main.cpp shows only what is particular to its model.
 * Ownership of numbered roles, which needs librte_mpsupport, is in
 * mp_group.h.
 *
 * Start-up
 *   - mpc::eal_init(argc, argv, identity): name the app, catch SIGINT and
 *     SIGTERM, run rte_eal_init() (one error line and exit on failure);
 *     returns the number of EAL arguments to skip before the app's own.
 *     Before the EAL starts, it looks at the group's runtime directory and
 *     refuses, in one line, what the EAL would do wrong or explain badly:
 *     a second primary, a secondary with no process to attach to, and a
 *     new primary over the memory of a dead primary's secondaries (the EAL
 *     would overwrite the memory configuration they use). When
 *     rte_eal_init() fails all the same, the error line quotes the EAL's
 *     own reason (its error-level log lines and getopt's complaint).
 *   - mpc::scan_eal_args(): what the EAL arguments ask for (file prefix,
 *     process type, shared config), without starting the EAL.
 *   - mpc::probe_group(dir): whether a primary holds the runtime directory's
 *     config lock, and which processes still hold its memory files.
 *   - mpc::proc_type_name(): "primary" or "secondary", for messages.
 *     With the option --forked, eal_init() is the launcher of a forked
 *     secondary (rte_mps_forked_launch(), it does not return); in the forked
 *     secondary it skips rte_eal_init(), whose work the primary did.
 *   - mpc::proc_type_name(): "primary", "secondary" or "forked secondary".
 *   - mpc::is_secondary(): a secondary, classic or forked.
 *   - mpc::eal_cleanup(): rte_eal_cleanup(), except in a forked secondary,
 *     which leaves with rte_mps_child_exit() instead.
 *
 * Errors
 *   - mpc::fail(fmt, ...): print "<app>: error: <message>" (with the tag
 *     the app chose instead of "error: ") as one line on stderr, shut the
 *     EAL down (rte_eal_cleanup) and exit(EXIT_FAILURE).
 *     It is the one way an example reports an error it cannot go on from.
 *   - mpc::format(fmt, ...): the same message as a string, for a check
 *     that explains itself to its caller instead of failing.
 *   - mpc::reject_bad_option(opt, argv), mpc::reject_extra_args(argc, argv):
 *     the errors every getopt() loop ends with.
 *
 * Parsing (return 0, or -EINVAL for anything that is not a whole number in
 * range; the caller names the bad value in its error)
 *   - mpc::parse_portmask("0x3", &mask): hexadecimal, with or without 0x,
 *     non-zero, at most 64 bits.
 *   - mpc::parse_uint("4", max, &v): decimal, 0 <= v <= max.
 *   - mpc::ports_from_mask(mask, ports, err): the port ids of the mask, in
 *     order; fails (message in err) when a bit names a port that does not
 *     exist in this process.
 *   - mpc::paired_ports(mask): the same for apps that forward between
 *     pairs of ports; fails (mpc::fail) unless their number is even.
 *
 * Ports
 *   - mpc::port_init(port, pool, nb_rxq, nb_txq, err): configure with RSS
 *     over the IP fields when there are several RX queues and the device can
 *     hash, set up the queues with the device's preferred ring sizes, enable
 *     promiscuous mode (when supported) and start the port. Primary only.
 *   - mpc::paired_index(i): the index of the port that index i forwards to
 *     (0<->1, 2<->3, ...). Needs an even number of ports.
 *
 * Statistics
 *   - mpc::port_counters: rx/tx/drop counters of one port for one lcore,
 *     alone on its cache line so that no two writers share a line.
 *
 * Buffered TX is in mp_tx.h (mpc::tx_buffer), on the library's TX helpers.
 *
 * Signals
 *   - SIGINT, SIGTERM and SIGHUP (caught by eal_init()) set a flag, as does
 *     mpc::request_quit(); mpc::quit_requested() tells whether it is set.
 *     Packet loops poll it and return so that main() can print statistics
 *     and clean up. SIGHUP (the terminal went away) stops the app as
 *     SIGTERM does. SIGUSR2 is ignored unless the app gives it a meaning.
 */

#ifndef MP_COMMON_H
#define MP_COMMON_H

#include <stdio.h>
#include <sys/types.h>

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include <rte_common.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

struct rte_tel_data;

namespace mpc {

/*
 * A counter in shared memory with one writer: it adds with counter_add(),
 * a plain load and store (no locked instruction); other lcores, processes
 * and the telemetry thread read it with counter_read().
 */
inline void
counter_add(std::atomic<uint64_t> &c, uint64_t n)
{
	c.store(c.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
}

inline uint64_t
counter_read(const std::atomic<uint64_t> &c)
{
	return c.load(std::memory_order_relaxed);
}

/** How an app signs the lines it prints. */
struct app_identity {
	/** First word of every message; nullptr for the basename of argv[0]. */
	const char *name = nullptr;
	/** Put between the name and the text of an error line. */
	const char *error_tag = "error: ";
	/**
	 * For an app that runs only as the primary process: the error line
	 * given for --proc-type=secondary, before the EAL starts.
	 */
	const char *primary_only = nullptr;
};

/**
 * Set the app up and initialise the EAL; exit with one error line if that fails.
 * @return the number of arguments rte_eal_init() consumed.
 */
int eal_init(int argc, char **argv, const app_identity &identity = app_identity());

/** What the EAL arguments (before "--") ask for, as far as the group goes. */
struct eal_request {
	std::string file_prefix = "rte";
	/** "primary" (the EAL's default), "secondary" or "auto". */
	std::string proc_type = "primary";
	/** --no-shconf or --in-memory: no runtime directory is shared. */
	bool no_shconf = false;
	bool no_huge = false;
};

/**
 * Read the EAL arguments of argv (up to "--") without starting the EAL.
 * @return 0, or -EINVAL with err naming a value the EAL would refuse.
 */
int scan_eal_args(int argc, char *const argv[], eal_request &req, std::string &err);

/** The runtime directory the EAL uses for a file prefix. */
std::string runtime_dir(const std::string &file_prefix);

/** Who uses the runtime directory of a group. */
struct group_probe {
	/** Pid holding the config file's lock (the primary), or 0. */
	pid_t primary = 0;
	/** Other processes holding the group's memory files (fbarray locks). */
	std::vector<pid_t> attached;
	/** The config file exists (a primary ran there once). */
	bool has_config = false;
};

/** Look at the runtime directory dir (e.g. runtime_dir("rte")). */
group_probe probe_group(const std::string &dir);

/**
 * Whether a process asking for req may start, given what probe_group()
 * found. @return an empty string, or the reason it may not.
 */
std::string check_group(const eal_request &req, const group_probe &probe);
/** True in a secondary process, classic or forked. */
bool is_secondary();

/**
 * Shut the EAL down at the end of main(): rte_eal_cleanup(), or in a forked
 * secondary nothing (its EAL is the primary's copy).
 */
void eal_cleanup();

/** Set the program name used in error messages (basename of argv0). */
void set_app_name(const char *argv0);

/** The program name set by set_app_name(). */
const char *app_name();

/** "primary" or "secondary": the EAL process type of the caller, for messages. */
const char *proc_type_name();

/**
 * Print one "<app>: <error tag>..." line on stderr, call rte_eal_cleanup() and
 * exit with EXIT_FAILURE. Safe to call before rte_eal_init() succeeded only
 * with eal_up set to false.
 */
[[noreturn]] void fail(const char *fmt, ...) __rte_format_printf(1, 2);

/** The message fail() would print for fmt, as a string (at most 511 bytes). */
std::string format(const char *fmt, ...) __rte_format_printf(1, 2);

/**
 * Fail unless this primary's memory is in hugepages: without them
 * (--no-huge) the EAL lists no memory that a secondary could map.
 */
void require_shared_memory();

/** Tell fail() whether the EAL is initialised (and must be cleaned up). */
void set_eal_up(bool up);

/** Have fail() call cleanup before it cleans up the EAL (one hook, the last given). */
void at_fail(void (*cleanup)());

/**
 * A new dictionary stored in telemetry dictionary d under the number key,
 * for a record of typed fields; nullptr when out of memory.
 */
struct rte_tel_data *telemetry_sub_dict(struct rte_tel_data *d, unsigned int key);

/** CLOCK_MONOTONIC in nanoseconds, the clock of the library's exit times. */
uint64_t now_ns();

/**
 * Fail for what getopt() returned as opt: ':' for an option missing its
 * value, anything else for an unknown option. Needs opterr = 0 and an
 * optstring starting with ':'.
 */
[[noreturn]] void reject_bad_option(int opt, char *const argv[]);

/**
 * Fail when an option taken once comes again: the last value winning in
 * silence hides typing mistakes. seen holds the options met so far.
 */
void reject_repeat(std::vector<int> &seen, int opt, const char *name);

/** Fail if getopt() left arguments that are not options. */
void reject_extra_args(int argc, char *const argv[]);

/** Parse a hexadecimal, non-zero port mask. @return 0 or -EINVAL. */
int parse_portmask(const char *arg, uint64_t *mask);

/** Parse a decimal number in [0, max]. @return 0 or -EINVAL. */
int parse_uint(const char *arg, unsigned long max, unsigned long *value);

/**
 * Fill ports with the port ids set in mask, lowest first.
 * @return 0, or -ENODEV with err naming the first missing port.
 */
int ports_from_mask(uint64_t mask, std::vector<uint16_t> &ports, std::string &err);

/** The port ids set in mask, which must exist and be even in number; else fail(). */
std::vector<uint16_t> paired_ports(uint64_t mask);

/** Index of the port that ports[i] forwards to: i ^ 1. */
static inline unsigned int
paired_index(unsigned int i)
{
	return i ^ 1u;
}

/**
 * Configure and start one port with nb_rxq RX and nb_txq TX queues.
 * @return 0, or a negative errno with err saying which step failed.
 */
int port_init(uint16_t port, struct rte_mempool *pool, uint16_t nb_rxq,
	      uint16_t nb_txq, std::string &err);

/** Per-lcore, per-port packet counters, one cache line each. */
struct alignas(RTE_CACHE_LINE_SIZE) port_counters {
	uint64_t rx = 0;
	uint64_t tx = 0;
	uint64_t drop = 0;
};

/** Ask the packet loops to return, as SIGINT and SIGTERM do. */
void request_quit();

/** True once SIGINT or SIGTERM arrived, or request_quit() was called. */
bool quit_requested();

} /* namespace mpc */

#endif /* MP_COMMON_H */
