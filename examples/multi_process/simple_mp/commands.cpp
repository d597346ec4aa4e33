/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

#include <cstring>

#include <cmdline.h>
#include <cmdline_parse.h>
#include <cmdline_parse_string.h>
#include <rte_common.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#include "commands.h"
#include "mp_common.h"

namespace simple_mp {

channel cmd_channel;

namespace {

/*
 * cmdline_parse_inst_t ends in a flexible array, which C++ cannot
 * initialise; this has the same layout with the token list sized.
 */
template <std::size_t N>
struct command {
	void (*f)(void *, struct cmdline *, void *);
	void *data;
	const char *help_str;
	cmdline_parse_token_hdr_t *tokens[N];
};
static_assert(offsetof(command<2>, tokens) == offsetof(cmdline_parse_inst_t, tokens),
	      "command<> must match cmdline_parse_inst_t");

/*
 * A token that takes the rest of the line, spaces included, so that "send"
 * can report a message that is too long instead of the parser rejecting it
 * (cmdline's own string tokens stop at 127 characters).
 */
constexpr std::size_t line_max = 512;

struct text_token {
	struct cmdline_token_hdr hdr;
};

int
text_parse(cmdline_parse_token_hdr_t *, const char *buf, void *res,
	   unsigned int ressize)
{
	std::size_t len = 0;

	while (buf[len] != '\0' && buf[len] != '\n' && buf[len] != '\r')
		len++;
	if (len == 0)
		return -1;
	if (res != nullptr) {
		if (ressize < line_max)
			return -1;
		std::size_t copy = RTE_MIN(len, line_max - 1);
		memcpy(res, buf, copy);
		static_cast<char *>(res)[copy] = '\0';
	}
	return static_cast<int>(len);
}

int
text_help(cmdline_parse_token_hdr_t *, char *dstbuf, unsigned int size)
{
	snprintf(dstbuf, size, "TEXT");
	return 0;
}

struct cmdline_token_ops text_token_ops = {
	.parse = text_parse,
	.complete_get_nb = nullptr,
	.complete_get_elt = nullptr,
	.get_help = text_help,
};

/* The send command. 8< */
struct cmd_send_result {
	cmdline_fixed_string_t action;
	char message[line_max];
};

void
cmd_send_parsed(void *parsed_result, struct cmdline *cl, void *)
{
	auto *res = static_cast<cmd_send_result *>(parsed_result);
	std::size_t len = strlen(res->message);

	/* Trailing blanks typed before Enter are not part of the message. */
	while (len > 0 && res->message[len - 1] == ' ')
		res->message[--len] = '\0';

	switch (send_message(cmd_channel, res->message, len)) {
	case send_status::ok:
		break;
	case send_status::too_long:
		cmdline_printf(cl, "Error: message is %zu bytes, a buffer holds at most %u\n",
			       len, message_size - 1);
		break;
	case send_status::pool_empty:
		cmdline_printf(cl, "Error: no free buffer in pool %s (%u in use), message not sent\n",
			       message_pool_name,
			       rte_mempool_in_use_count(cmd_channel.pool));
		break;
	case send_status::ring_full:
		cmdline_printf(cl, "Error: ring %s is full (%u waiting): is the other process running?\n",
			       cmd_channel.send_ring->name,
			       rte_ring_count(cmd_channel.send_ring));
		break;
	}
}
/* >8 End of the send command. */

cmdline_parse_token_string_t cmd_send_action =
	TOKEN_STRING_INITIALIZER(cmd_send_result, action, "send");
struct text_token cmd_send_message = {
	{ &text_token_ops, offsetof(cmd_send_result, message) },
};

command<3> cmd_send = {
	.f = cmd_send_parsed,
	.data = nullptr,
	.help_str = "send TEXT: send TEXT to the other process",
	.tokens = {
		reinterpret_cast<cmdline_parse_token_hdr_t *>(&cmd_send_action),
		reinterpret_cast<cmdline_parse_token_hdr_t *>(&cmd_send_message),
		nullptr,
	},
};

struct cmd_word_result {
	cmdline_fixed_string_t word;
};

void
cmd_quit_parsed(void *, struct cmdline *cl, void *)
{
	mpc::request_quit();
	cmdline_quit(cl);
}

cmdline_parse_token_string_t cmd_quit_word =
	TOKEN_STRING_INITIALIZER(cmd_word_result, word, "quit");

command<2> cmd_quit = {
	.f = cmd_quit_parsed,
	.data = nullptr,
	.help_str = "quit: leave the application",
	.tokens = {
		reinterpret_cast<cmdline_parse_token_hdr_t *>(&cmd_quit_word),
		nullptr,
	},
};

void
cmd_help_parsed(void *, struct cmdline *cl, void *)
{
	cmdline_printf(cl,
		"Commands:\n"
		"  send TEXT   put TEXT in a buffer of the shared pool and enqueue it\n"
		"              for the other process, which prints it (at most %u bytes)\n"
		"  status      show the shared pool and the two rings\n"
		"  help        show this text\n"
		"  quit        leave (Ctrl-D does the same)\n",
		message_size - 1);
}

cmdline_parse_token_string_t cmd_help_word =
	TOKEN_STRING_INITIALIZER(cmd_word_result, word, "help");

command<2> cmd_help = {
	.f = cmd_help_parsed,
	.data = nullptr,
	.help_str = "help: show the commands",
	.tokens = {
		reinterpret_cast<cmdline_parse_token_hdr_t *>(&cmd_help_word),
		nullptr,
	},
};

void
cmd_status_parsed(void *, struct cmdline *cl, void *)
{
	const channel &c = cmd_channel;

	cmdline_printf(cl, "pool %s: %u of %u buffers free\n", c.pool->name,
		       rte_mempool_avail_count(c.pool), c.pool->size);
	cmdline_printf(cl, "send ring %s: %u queued\n", c.send_ring->name,
		       rte_ring_count(c.send_ring));
	cmdline_printf(cl, "receive ring %s: %u queued\n", c.recv_ring->name,
		       rte_ring_count(c.recv_ring));
}

cmdline_parse_token_string_t cmd_status_word =
	TOKEN_STRING_INITIALIZER(cmd_word_result, word, "status");

command<2> cmd_status = {
	.f = cmd_status_parsed,
	.data = nullptr,
	.help_str = "status: show the shared pool and rings",
	.tokens = {
		reinterpret_cast<cmdline_parse_token_hdr_t *>(&cmd_status_word),
		nullptr,
	},
};

} /* namespace */

} /* namespace simple_mp */

cmdline_parse_ctx_t simple_mp_ctx[] = {
	reinterpret_cast<cmdline_parse_inst_t *>(&simple_mp::cmd_send),
	reinterpret_cast<cmdline_parse_inst_t *>(&simple_mp::cmd_status),
	reinterpret_cast<cmdline_parse_inst_t *>(&simple_mp::cmd_help),
	reinterpret_cast<cmdline_parse_inst_t *>(&simple_mp::cmd_quit),
	nullptr,
};
