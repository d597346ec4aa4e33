/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

#ifndef SIMPLE_MP_COMMANDS_H
#define SIMPLE_MP_COMMANDS_H

#include <cmdline_parse.h>

#include "messaging.h"

namespace simple_mp {

/* The channel the commands act on, set by main() before the prompt starts. */
extern channel cmd_channel;

} /* namespace simple_mp */

/* The command table given to cmdline_stdin_new(). */
extern cmdline_parse_ctx_t simple_mp_ctx[];

#endif /* SIMPLE_MP_COMMANDS_H */
