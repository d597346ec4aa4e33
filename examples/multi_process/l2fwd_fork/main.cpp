/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/*
 * dpdk-l2fwd_fork: L2 forwarding done by worker processes that the main
 * process fork()s from its EAL lcore threads.
 *
 * The main process sets up the ports, one mbuf pool per pair of workers and
 * the shared state (setup.cpp), then launches on every worker lcore a
 * function that forks one worker process and waits for it (supervisor.cpp).
 * Workers receive on their ports, rewrite the MAC addresses and send on the
 * paired port: 0 <-> 1, 2 <-> 3, ... (worker.cpp). When a worker exits for
 * any reason, librte_mpsupport tells the main at once, stops the pair worker
 * over its command ring, rebuilds the pair's pool (or gives back the mbufs
 * both held), and the main starts the two again. Statistics, audits and
 * recovery times are printed and published in telemetry (diagnostics.cpp).
 */

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#include <rte_eal.h>
#include <rte_lcore.h>
#include <rte_mpsupport.h>

#include "mp_common.h"
#include "l2fwd_fork.h"

namespace {

/*
 * Priority of the main process's threads (the exit notification, the
 * tracker, the main thread and the parked lcore threads). When lcores share
 * CPUs with busy-polling workers, a wake-up of the supervisor must preempt
 * them at once for recovery to take milliseconds. The workers go back to
 * the default priority. Needs CAP_SYS_NICE; without it nothing changes.
 */
constexpr int supervisor_nice = -10;

/* Bound on the STOP handshake in a recovery; the tracker sends SIGKILL after it. */
constexpr unsigned int stop_timeout_ms = 50;

constexpr const char *primary_only = "l2fwd_fork runs only as a primary process: its workers "
	"are processes it forks, and a secondary has nothing to run (no --proc-type=secondary, "
	"and no second instance with the same --file-prefix)";

/*
 * SIGUSR1: report. SIGUSR2: stop the workers. SIGINT, SIGTERM and SIGHUP
 * (stop and exit) are caught from the start by mpc::eal_init(): one flag,
 * so that a signal that comes while the app sets up is not lost.
 */
void
signal_handler(int signum)
{
	using l2fwd_fork::req;

	if (signum == SIGUSR1)
		req.report.store(true);
	else
		req.quiesce.store(true);
}

} /* namespace */

int
main(int argc, char **argv)
{
	using namespace l2fwd_fork;
	int ret;

	setvbuf(stdout, nullptr, _IOLBF, 0);
	/* before any thread exists, so that every one of them inherits it */
	setpriority(PRIO_PROCESS, 0, supervisor_nice);
	mpc::app_identity identity;
	identity.primary_only = primary_only;
	ret = mpc::eal_init(argc, argv, identity);
	argc -= ret;
	argv += ret;
	argv[0] = argv[-ret];

	/* --proc-type=auto with a primary running makes a secondary */
	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		fail("%s", primary_only);

	/* after fork(), memory is shared only when it is hugepage backed */
	if (!rte_eal_has_hugepages())
		fail("--no-huge is not supported: forked workers need shared hugepage memory");
	if (rte_lcore_count() < 3)
		fail("%u lcores given, at least 3 needed (main + 2 workers)",
		     rte_lcore_count());
	if (parse_args(argc, argv, opts) == command::usage) {
		usage(argv[0]);
		rte_eal_cleanup();
		return 0;
	}

	if (mpc::group_join() < 0)
		fail("cannot initialise mpsupport: %s", rte_mps_strerror());
	rte_mps_tracker_set_timeout(stop_timeout_ms);

	assign_workers(pair_ports());
	setup_pools();
	setup_shared_state();
	init_ports();
	register_telemetry();
	/* dpdk-dumpcap reaches the workers through the main (see the guide) */
	mpc::capture_join(true);

	signal(SIGUSR1, signal_handler);
	signal(SIGUSR2, signal_handler);

	launch_workers();
	printf("l2fwd_fork: %u workers launched%s; Ctrl-C to stop\n", workers.count,
	       opts.floating ? " (floating)" : "");

	supervise();

	printf("l2fwd_fork: stopping workers\n");
	stop_all_workers();
	drain_ports();
	print_stats();
	stop_ports();
	run_audit("exit");
	run_pool_check("exit");
	mpc::capture_leave(true);
	close_ports();
	rte_mps_fini();
	rte_eal_cleanup();
	printf("Bye...\n");
	return 0;
}
