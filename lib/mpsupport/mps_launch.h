/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

#ifndef MPS_LAUNCH_H
#define MPS_LAUNCH_H

/*
 * The launcher of a forked secondary, with libc alone: rte_mps_forked_launch()
 * runs it, and so do the apps' front binaries (examples/multi_process/common/
 * mp_front.cpp), which load no DPDK library at all.
 */

#include <stddef.h>

/*
 * Index in argv of the forked option (before "--"), or -1.
 */
int mps_launch_option(int argc, char **argv);

/*
 * With the forked option in argv: ask the fork server of argv's
 * --file-prefix to run the forked entry `entry`, wait for the secondary,
 * forward SIGINT and SIGTERM, and exit with its status (never returns then).
 * Returns 0 without the option, or a negative errno value with one line of
 * text in err (see rte_mps_forked_launch()).
 */
int mps_launch_forked(int argc, char **argv, const char *entry, char *err, size_t errlen);

#endif /* MPS_LAUNCH_H */
