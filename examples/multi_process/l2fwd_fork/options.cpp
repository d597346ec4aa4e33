/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/*
 * The command line of dpdk-l2fwd_fork after "--". Parsing only fills an
 * options structure or fails with one error line: what the options ask
 * for (the usage of -h, the set-up) is done by main(), so that the parser
 * runs alone too, as in its fuzz target.
 */

#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <string>
#include <utility>
#include <vector>

#include "mp_common.h"
#include "l2fwd_fork.h"

namespace l2fwd_fork {

namespace {

/* The kill points a worker passes: the library's (rte_mps_kill.h), then its own. */
const char *const kill_point_names[] = {
	"tx_burst_direct",
	"tx_burst_sent",
	"tx_burst_partial",
	"tx_burst_buffered",
	"tx_flush_in_flight",
	"tx_flush_sent",
	"tx_flush_unsent",
	"worker_rx",            /* packets received, none yet rewritten or sent */
	"worker_rx_refill",     /* ... by an RX burst that refilled the lcore's cache */
	"worker_tx_cache_flush", /* a TX burst flushed the lcore's cache to the pool */
	"worker_drop_free",     /* the first refused packet freed, the others not */
};

/* --kill-point WORKER:NAME[:SKIP] */
void
parse_kill_point(const char *arg, options &o)
{
	kill_point_slot &k = o.kill[o.n_kill];
	const char *name, *colon;
	unsigned long v;
	std::string w;
	size_t len;

	if (!kill_points_built_in)
		fail("--kill-point: this build has no kill points (meson -Dkill_points=true)");
	if (o.n_kill == max_kill_points)
		fail("--kill-point given more than %u times", max_kill_points);
	name = strchr(arg, ':');
	if (name == nullptr)
		fail("invalid --kill-point '%s' (WORKER:NAME[:SKIP])", arg);
	w.assign(arg, static_cast<size_t>(name - arg));
	if (mpc::parse_uint(w.c_str(), RTE_MPS_MAX_WORKERS - 1, &v) < 0)
		fail("invalid worker in --kill-point '%s'", arg);
	k.worker = static_cast<int32_t>(v);
	name++;
	colon = strchr(name, ':');
	len = colon != nullptr ? static_cast<size_t>(colon - name) : strlen(name);
	k.point.skip = 0;
	if (colon != nullptr) {
		if (mpc::parse_uint(colon + 1, UINT32_MAX, &v) < 0)
			fail("invalid skip count in --kill-point '%s'", arg);
		k.point.skip = static_cast<uint32_t>(v);
	}
	for (const char *known : kill_point_names) {
		if (strlen(known) != len || strncmp(known, name, len) != 0)
			continue;
		snprintf(k.point.name, sizeof(k.point.name), "%s", known);
		o.n_kill++;
		return;
	}
	fail("unknown kill point in --kill-point '%s'", arg);
}

} /* namespace */

void
usage(const char *prgname)
{
	printf("%s [EAL options] -- -p PORTMASK [-q NQ] [-T PERIOD] [-f] [--standby]\n"
	       "  -p PORTMASK: hexadecimal bitmask of the ports to use\n"
	       "  -q NQ: number of ports per worker lcore (1-%u, default 1)\n"
	       "  -T PERIOD: statistics period in seconds (0 disables, max %u, default %u)\n"
	       "  -f: floating workers (no CPU affinity, lcore id from the allocator)\n"
	       "  --standby: keep a parked, pre-forked standby per worker, woken in\n"
	       "    place of a fork when the worker is restarted\n"
	       "Crash-loop bounds, for tests:\n"
	       "  --young-ms MS: a death within MS ms of the launch is young "
	       "(0-%" PRIu64 ", default %" PRIu64 ")\n"
	       "  --restart-window S: %u young deaths within S seconds fail the pair "
	       "(1-%u, default %u)\n"
	       "  --kill-point W:NAME[:SKIP]: stop worker W at a kill point after SKIP "
	       "passes (default 0; builds with -Dkill_points=true)\n",
	       prgname, max_rx_ports_per_lcore, max_timer_period_s,
	       default_timer_period_s, max_young_ms, default_young_ms, restart_limit,
	       max_restart_window_s, default_restart_window_s);
}

command
parse_args(int argc, char **argv, options &o)
{
	enum { OPT_YOUNG_MS = 256, OPT_RESTART_WINDOW, OPT_KILL_POINT, OPT_STANDBY };
	static const struct option longopts[] = {
		{"standby", no_argument, nullptr, OPT_STANDBY},
		{"young-ms", required_argument, nullptr, OPT_YOUNG_MS},
		{"restart-window", required_argument, nullptr, OPT_RESTART_WINDOW},
		{"kill-point", required_argument, nullptr, OPT_KILL_POINT},
		{nullptr, 0, nullptr, 0},
	};
	const char *prgname = argv[0];
	std::vector<int> seen;
	unsigned long v;
	int opt;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":p:q:T:fh", longopts, nullptr)) != -1) {
		/* --kill-point may come several times, every other option once */
		static const std::pair<int, const char *> once[] = {
			{'p', "-p"}, {'q', "-q"}, {'T', "-T"}, {'f', "-f"}, {OPT_STANDBY, "--standby"},
			{OPT_YOUNG_MS, "--young-ms"}, {OPT_RESTART_WINDOW, "--restart-window"},
		};
		for (const auto &once_opt : once)
			if (once_opt.first == opt)
				mpc::reject_repeat(seen, opt, once_opt.second);
		switch (opt) {
		case 'p':
			if (mpc::parse_portmask(optarg, &o.port_mask) < 0)
				fail("invalid portmask '%s' (a non-zero hexadecimal mask)",
				     optarg);
			break;
		case 'q':
			if (mpc::parse_uint(optarg, max_rx_ports_per_lcore, &v) < 0 || v == 0)
				fail("invalid number of ports per lcore '%s' (1-%u)",
				     optarg, max_rx_ports_per_lcore);
			o.rx_ports_per_lcore = static_cast<unsigned int>(v);
			break;
		case 'T':
			if (mpc::parse_uint(optarg, max_timer_period_s, &v) < 0)
				fail("invalid statistics period '%s' (0-%u seconds)",
				     optarg, max_timer_period_s);
			o.timer_period_s = v;
			break;
		case 'f':
			o.floating = true;
			break;
		case OPT_STANDBY:
			o.standby = true;
			break;
		case OPT_YOUNG_MS:
			if (mpc::parse_uint(optarg, max_young_ms, &v) < 0)
				fail("invalid --young-ms '%s' (0-%" PRIu64 " ms)", optarg,
				     max_young_ms);
			o.young_ms = v;
			break;
		case OPT_RESTART_WINDOW:
			if (mpc::parse_uint(optarg, max_restart_window_s, &v) < 0 || v == 0)
				fail("invalid --restart-window '%s' (1-%u seconds)", optarg,
				     max_restart_window_s);
			o.restart_window_s = static_cast<unsigned int>(v);
			break;
		case OPT_KILL_POINT:
			parse_kill_point(optarg, o);
			break;
		case 'h':
			return command::usage;
		default:
			usage(prgname);
			mpc::reject_bad_option(opt, argv);
		}
	}
	if (optind < argc)
		fail("unexpected argument '%s'", argv[optind]);
	if (o.port_mask == 0)
		fail("missing portmask (-p PORTMASK)");
	return command::run;
}

} /* namespace l2fwd_fork */
