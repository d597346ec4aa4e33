/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/* Unit tests of simple_mp's message path, on an in-memory EAL (no hugepages). */

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include <rte_eal.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#include "messaging.h"

/* cmocka last: it defines macros such as fail() that clash with <ios>. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

using namespace simple_mp;

namespace {

struct fixture {
	channel c;
};

std::string prefix = "smpunit" + std::to_string(getpid());

int
group_setup(void **)
{
	std::vector<std::string> args = {
		"test_simple_mp_messaging", "--no-pci", "--no-huge", "-m", "64",
		"--no-shconf", "--file-prefix", prefix,
		"--log-level", "lib.eal:error",
	};
	/* Extra EAL options of the run (-d DRIVERS for a DPDK build tree). */
	const char *extra = getenv("MP_PACK_EAL_EXTRA");
	std::istringstream words(extra != nullptr ? extra : "");
	for (std::string w; words >> w;)
		args.push_back(w);
	std::vector<char *> argv;
	for (std::string &a : args)
		argv.push_back(a.data());

	return rte_eal_init((int)argv.size(), argv.data()) < 0 ? -1 : 0;
}

int
group_teardown(void **)
{
	std::string runtime_dir = rte_eal_get_runtime_dir();
	int ret = rte_eal_cleanup();
	std::error_code ec;

	std::filesystem::remove_all(runtime_dir, ec);
	return ret;
}

/* A private channel: a ring of `slots` and a pool of `bufs` elements. */
int
make_channel(void **state, unsigned int slots, unsigned int bufs)
{
	static unsigned int seq;
	char name[RTE_RING_NAMESIZE];
	auto *f = new fixture;

	snprintf(name, sizeof(name), "t_ring%u", seq);
	f->c.send_ring = rte_ring_create(name, slots, SOCKET_ID_ANY, RING_F_EXACT_SZ);
	f->c.recv_ring = f->c.send_ring; /* loop back to ourselves */
	snprintf(name, sizeof(name), "t_pool%u", seq++);
	f->c.pool = rte_mempool_create(name, bufs, message_size, 0, 0, nullptr, nullptr,
				       nullptr, nullptr, SOCKET_ID_ANY, 0);
	*state = f;
	return f->c.send_ring != nullptr && f->c.pool != nullptr ? 0 : -1;
}

int
setup_roomy(void **state)
{
	return make_channel(state, 16, 15);
}

int
setup_small_pool(void **state)
{
	return make_channel(state, 16, 2);
}

int
setup_small_ring(void **state)
{
	return make_channel(state, 2, 15);
}

int
teardown_channel(void **state)
{
	auto *f = static_cast<fixture *>(*state);

	rte_ring_free(f->c.send_ring);
	rte_mempool_free(f->c.pool);
	delete f;
	return 0;
}

void
test_send_then_receive(void **state)
{
	const channel &c = static_cast<fixture *>(*state)->c;
	char out[message_size];

	assert_int_equal(rte_mempool_avail_count(c.pool), 15);
	assert_true(send_message(c, "hello there", 11) == send_status::ok);
	assert_int_equal(rte_ring_count(c.send_ring), 1);
	assert_int_equal(rte_mempool_avail_count(c.pool), 14);
	assert_true(receive_message(c, out));
	assert_string_equal(out, "hello there");
	assert_int_equal(rte_mempool_avail_count(c.pool), 15);
	assert_false(receive_message(c, out));
}

void
test_longest_message_fits(void **state)
{
	const channel &c = static_cast<fixture *>(*state)->c;
	std::string text(message_size - 1, 'z');
	char out[message_size];

	assert_true(send_message(c, text.c_str(), text.size()) == send_status::ok);
	assert_true(receive_message(c, out));
	assert_string_equal(out, text.c_str());
}

void
test_too_long_is_refused_whole(void **state)
{
	const channel &c = static_cast<fixture *>(*state)->c;
	std::string text(message_size, 'z');

	assert_true(send_message(c, text.c_str(), text.size()) == send_status::too_long);
	assert_int_equal(rte_ring_count(c.send_ring), 0);
	assert_int_equal(rte_mempool_avail_count(c.pool), 15);
}

void
test_empty_pool_is_reported(void **state)
{
	const channel &c = static_cast<fixture *>(*state)->c;

	assert_true(send_message(c, "a", 1) == send_status::ok);
	assert_true(send_message(c, "b", 1) == send_status::ok);
	assert_true(send_message(c, "c", 1) == send_status::pool_empty);
	assert_int_equal(rte_ring_count(c.send_ring), 2);
}

void
test_full_ring_returns_the_buffer(void **state)
{
	const channel &c = static_cast<fixture *>(*state)->c;

	assert_true(send_message(c, "a", 1) == send_status::ok);
	assert_true(send_message(c, "b", 1) == send_status::ok);
	assert_true(send_message(c, "c", 1) == send_status::ring_full);
	/* The buffer taken for "c" went back to the pool. */
	assert_int_equal(rte_mempool_avail_count(c.pool), 13);
}

void
test_lookup_names_what_is_missing(void **)
{
	channel prim{}, sec{};
	const char *missing = nullptr;

	assert_int_equal(channel_lookup(sec, &missing), -ENOENT);
	assert_string_equal(missing, ring_primary_to_secondary);

	assert_int_equal(channel_create(prim, SOCKET_ID_ANY), 0);
	assert_int_equal(channel_lookup(sec, &missing), 0);
	/* One side's send ring is the other side's receive ring. */
	assert_ptr_equal(sec.recv_ring, prim.send_ring);
	assert_ptr_equal(sec.send_ring, prim.recv_ring);
	assert_ptr_equal(sec.pool, prim.pool);
	assert_int_equal(sec.pool->elt_size, message_size);

	/* Creating twice fails: the names are taken. */
	channel again{};
	assert_int_equal(channel_create(again, SOCKET_ID_ANY), -EEXIST);

	rte_ring_free(prim.send_ring);
	rte_ring_free(prim.recv_ring);
	rte_mempool_free(prim.pool);
}

} // namespace

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_send_then_receive, setup_roomy,
						teardown_channel),
		cmocka_unit_test_setup_teardown(test_longest_message_fits, setup_roomy,
						teardown_channel),
		cmocka_unit_test_setup_teardown(test_too_long_is_refused_whole, setup_roomy,
						teardown_channel),
		cmocka_unit_test_setup_teardown(test_empty_pool_is_reported, setup_small_pool,
						teardown_channel),
		cmocka_unit_test_setup_teardown(test_full_ring_returns_the_buffer,
						setup_small_ring, teardown_channel),
		cmocka_unit_test(test_lookup_names_what_is_missing),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
