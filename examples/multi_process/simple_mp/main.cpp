/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/*
 * simple_mp: two processes of one DPDK group exchange short text messages.
 *
 * The primary creates two rings and a mempool in hugepage memory; a secondary
 * (same binary, --proc-type=secondary or auto) looks the three up by name.
 * Each process receives on one worker lcore and reads commands at the
 * "simple_mp > " prompt on its main lcore.
 *
 * The primary also starts a fork server: a secondary started with --forked
 * runs this code forked from a copy of the primary. It has no EAL thread,
 * so it receives between two looks at its prompt, on its one thread.
 */

#include <cerrno>
#include <cstdio>
#include <cstdlib>

#include <poll.h>
#include <unistd.h>

#include <cmdline.h>
#include <cmdline_socket.h>
#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mempool.h>
#include <rte_mpsupport.h>
#include <rte_pause.h>
#include <rte_ring.h>

#include "commands.h"
#include "line_guard.h"
#include "messaging.h"
#include "mp_common.h"
#include "mp_group.h"

using namespace simple_mp;

namespace {

constexpr const char *prog = "simple_mp";

/* How often the main loop wakes up to check for quit and a dead primary. */
constexpr int poll_interval_ms = 100;
/* A forked secondary also receives when it wakes up: more often. */
constexpr int forked_poll_interval_ms = 5;

/* Receive loop of the worker lcore. 8< */
int
lcore_recv(void *)
{
	const unsigned int lcore_id = rte_lcore_id();
	char msg[message_size];
	unsigned int idle = 0;

	while (!mpc::quit_requested()) {
		if (receive_message(cmd_channel, msg)) {
			printf("core %u: Received '%s'\n", lcore_id, msg);
			fflush(stdout);
			idle = 0;
		} else if (++idle < 4096) {
			rte_pause();
		} else {
			/* Nobody is talking: stop spinning a shared CPU. */
			rte_delay_us_sleep(100);
		}
	}
	return 0;
}
/* >8 End of the receive loop. */

/* A forked secondary's receiver, called from its prompt loop. */
void
receive_pending()
{
	char msg[message_size];

	while (receive_message(cmd_channel, msg)) {
		printf("core %u: Received '%s'\n", rte_lcore_id(), msg);
		fflush(stdout);
	}
}

/* Read the prompt without blocking, so that quit, signals and a dead primary are seen. */
int
run_prompt(bool secondary, unsigned int recv_lcore)
{
	const bool forked = rte_mps_is_forked_secondary() != 0;

	if (forked)
		recv_lcore = rte_lcore_id();
	printf("Starting core %u\n", recv_lcore);
	fflush(stdout);

	struct cmdline *cl = cmdline_stdin_new(simple_mp_ctx, "simple_mp > ");
	int status = EXIT_SUCCESS;
	line_guard guard;

	if (cl == nullptr)
		mpc::fail("cannot create the command line");
	/*
	 * cmdline writes its prompt a character at a time; start receiving
	 * once the first prompt is out so that the two do not interleave.
	 */
	if (!forked)
		rte_eal_remote_launch(lcore_recv, nullptr, recv_lcore);
	while (!mpc::quit_requested()) {
		struct pollfd pfd = { STDIN_FILENO, POLLIN, 0 };
		int n = poll(&pfd, 1, forked ? forked_poll_interval_ms : poll_interval_ms);

		if (n < 0 && errno != EINTR)
			break;
		if (n > 0) {
			char buf[256];
			ssize_t len = read(STDIN_FILENO, buf, sizeof(buf));

			/* End of input, Ctrl-D on an empty line, or "quit". */
			if (len <= 0 || guard.feed(cl, buf, static_cast<std::size_t>(len)) < 0)
				break;
		}
		if (forked)
			receive_pending();
		/* A forked secondary dies with the primary's fork server. */
		else if (secondary && !rte_eal_primary_proc_alive(nullptr)) {
			printf("\n%s: the primary process has exited; a secondary cannot go on without it\n",
			       prog);
			status = EXIT_FAILURE;
			break;
		}
	}
	mpc::request_quit();
	cmdline_stdin_exit(cl);
	printf("\n");
	return status;
}

/* Create the rings and the pool (primary) or find them (secondary); fail if we cannot. */
void
attach_channel(bool primary)
{
	const char *missing = nullptr;

	if (primary) {
		if (channel_create(cmd_channel, static_cast<int>(rte_socket_id())) < 0)
			mpc::fail("cannot create the rings and pool: %s", rte_strerror(rte_errno));
		return;
	}
	if (channel_lookup(cmd_channel, &missing) < 0)
		mpc::fail("no object named %s in the primary: is the primary simple_mp, and has it finished starting?",
			  missing);
	/* A primary from another build may lay its buffers out differently. */
	if (cmd_channel.pool->elt_size != message_size)
		mpc::fail("pool %s holds %u-byte buffers but this build uses %u: primary and secondary come from different builds",
			  message_pool_name, cmd_channel.pool->elt_size, message_size);
}

} /* namespace */

/* Entry of every process, classic or forked from the primary's fork server. */
static int
simple_mp_main(int argc, char **argv)
{
	/* Messages start with "simple_mp: ", errors included. */
	mpc::app_identity identity;
	identity.name = prog;
	identity.error_tag = "";

	const int ret = mpc::eal_init(argc, argv, identity);
	argc -= ret;
	argv += ret;

	const bool primary = !mpc::is_secondary();
	const unsigned int recv_lcore = rte_get_next_lcore(-1, 1, 0);

	if (argc > 1)
		mpc::fail("unexpected argument '%s' (this application takes none after --)",
			  argv[1]);
	if (recv_lcore >= RTE_MAX_LCORE)
		mpc::fail("needs at least two lcores (the prompt and the receiver), got %u",
			  rte_lcore_count());
	mpc::require_shared_memory();
	attach_channel(primary);
	/* Join the group: refuses lcores that a live member already runs on. */
	const int mps = mpc::group_join();

	/* Rings and pool made, no worker launched yet: the copy is a clean one. */
	if (primary && mps == 0) {
		const pid_t pid = rte_mps_fork_server_start();
		if (pid > 0)
			printf("%s: fork server (pid %d) ready for forked secondaries\n", prog,
			       static_cast<int>(pid));
		else
			printf("%s: no fork server (secondaries must be classic): %s\n", prog,
			       rte_mps_strerror());
	}

	printf("%s: running as the %s process\n", prog, mpc::proc_type_name());
	const int status = run_prompt(!primary, recv_lcore);
	if (!rte_mps_is_forked_secondary())
		rte_eal_mp_wait_lcore();
	if (mps == 0) {
		/* Its forked secondaries go with it, as they would with the primary. */
		if (primary)
			rte_mps_fork_server_stop();
		rte_mps_fini();
	}
	mpc::eal_cleanup();
	return status;
}

RTE_MPS_FORKED_MAIN(simple_mp, simple_mp_main)

int
main(int argc, char **argv)
{
	return simple_mp_main(argc, argv);
}
