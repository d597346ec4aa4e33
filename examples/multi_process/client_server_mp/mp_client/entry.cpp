/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/*
 * main() of dpdk-mp_client, alone in its file: main.cpp is also linked into
 * dpdk-mp_server, whose fork server runs it as a forked secondary.
 */

#include "cs_shared.h"

int
main(int argc, char **argv)
{
	return mp_client_main(argc, argv);
}
