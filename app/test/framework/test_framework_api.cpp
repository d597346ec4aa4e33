/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/*
 * Every macro of the cmocka API in its passing direction. Built against
 * the GoogleTest layer and against libcmocka; both must pass.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

/* Code under test: a few functions that call the mocks below. */

static int
read_counter(int port)
{
	check_expected(port);
	return mock_type(int);
}

static const char *
name_port(const char *prefix, const uint8_t *mac, size_t len)
{
	check_expected(prefix);
	check_expected_ptr(mac);
	check_expected(len);
	return mock_ptr_type(const char *);
}

static void
start_port(void)
{
	function_called();
}

static void
stop_port(void)
{
	function_called();
}

static void
log_event(void)
{
	function_called();
}

static int
sum_counters(int first, int n)
{
	int sum = 0;

	for (int p = first; p < first + n; p++)
		sum += read_counter(p);
	return sum;
}

static void
checked_divide(int a, int b, int *out)
{
	mock_assert(b != 0, "b != 0", __FILE__, __LINE__);
	*out = a / b;
}

static int
is_even(const LargestIntegralType value, const LargestIntegralType data)
{
	(void)data;
	if (value % 2 != 0) {
		print_error("%ju is odd\n", (uintmax_t)value);
		return 0;
	}
	return 1;
}

static void
test_assert_scalars(void **state)
{
	int x = 42;
	int *p = &x;
	int *q = NULL;
	long neg = -5;
	unsigned int big = 0xffffffffu;

	(void)state;
	assert_true(x == 42);
	assert_true(p);
	assert_false(x != 42);
	assert_false(q);
	assert_non_null(p);
	assert_null(q);
	assert_ptr_equal(p, &x);
	assert_ptr_not_equal(p, q);
	assert_int_equal(x, 42);
	assert_int_equal(neg, -5);
	assert_int_equal(big, 0xffffffffu);
	assert_int_not_equal(x, 41);
	assert_int_not_equal(neg, 5);
	assert_float_equal(0.1f + 0.2f, 0.3f, 0.0001f);
	assert_float_not_equal(1.0f, 1.5f, 0.1f);
}

static void
test_assert_buffers(void **state)
{
	const char hello[] = "hello";
	char copy[sizeof(hello)];
	uint8_t a[4] = {1, 2, 3, 4};
	uint8_t b[4] = {1, 2, 3, 4};
	uint8_t c[4] = {1, 2, 3, 5};

	(void)state;
	memcpy(copy, hello, sizeof(hello));
	assert_string_equal(copy, "hello");
	assert_string_not_equal(copy, "hellO");
	assert_memory_equal(a, b, sizeof(a));
	assert_memory_not_equal(a, c, sizeof(a));
}

static void
test_assert_ranges_sets_codes(void **state)
{
	LargestIntegralType primes[] = {2, 3, 5, 7};
	int rc = 3;

	(void)state;
	assert_in_range(5, 1, 10);
	assert_in_range(1, 1, 1);
	assert_not_in_range(11, 1, 10);
	assert_not_in_range(0, 1, 10);
	assert_in_set(5, primes, 4);
	assert_not_in_set(4, primes, 4);
	assert_return_code(rc, errno);
	assert_return_code(0, 0);
}

static void
test_will_return(void **state)
{
	(void)state;
	expect_any_always(read_counter, port);
	will_return(read_counter, 10);
	will_return_count(read_counter, 20, 2);
	will_return_always(read_counter, 1);
	assert_int_equal(sum_counters(0, 5), 10 + 20 + 20 + 1 + 1);
}

static void
test_will_return_maybe_unused(void **state)
{
	(void)state;
	will_return_maybe(read_counter, 7);
}

static void
test_expect_values(void **state)
{
	LargestIntegralType allowed[] = {3, 4};
	LargestIntegralType banned[] = {9, 10};

	(void)state;
	expect_value(read_counter, port, 1);
	expect_not_value(read_counter, port, 5);
	expect_in_set(read_counter, port, allowed);
	expect_not_in_set(read_counter, port, banned);
	expect_in_range(read_counter, port, 5, 6);
	expect_not_in_range(read_counter, port, 10, 20);
	expect_any(read_counter, port);
	expect_value_count(read_counter, port, 8, 2);
	expect_check(read_counter, port, is_even, 0);
	will_return_count(read_counter, 1, 10);
	assert_int_equal(sum_counters(1, 7), 7);
	assert_int_equal(sum_counters(8, 1), 1);
	assert_int_equal(sum_counters(8, 1), 1);
	assert_int_equal(sum_counters(10, 1), 1);
}

static void
test_expect_counts(void **state)
{
	LargestIntegralType odd[] = {1, 3};

	(void)state;
	expect_in_set_count(read_counter, port, odd, 2);
	expect_not_in_set_count(read_counter, port, odd, 1);
	expect_in_range_count(read_counter, port, 0, 9, 1);
	expect_not_in_range_count(read_counter, port, 0, 9, 1);
	expect_not_value_count(read_counter, port, 0, 1);
	expect_any_count(read_counter, port, 1);
	will_return_always(read_counter, 0);
	assert_int_equal(sum_counters(1, 1), 0);
	assert_int_equal(sum_counters(3, 1), 0);
	assert_int_equal(sum_counters(4, 1), 0);
	assert_int_equal(sum_counters(5, 1), 0);
	assert_int_equal(sum_counters(10, 1), 0);
	assert_int_equal(sum_counters(11, 1), 0);
	assert_int_equal(sum_counters(12, 1), 0);
}

static void
test_expect_strings_memory(void **state)
{
	static const char name[] = "port0";
	const uint8_t mac[6] = {0x02, 0, 0, 0, 0, 1};
	const uint8_t other[6] = {0x02, 0, 0, 0, 0, 2};

	(void)state;
	expect_string(name_port, prefix, "net_null");
	expect_memory(name_port, mac, mac, sizeof(mac));
	expect_value(name_port, len, sizeof(mac));
	will_return(name_port, name);
	assert_ptr_equal(name_port("net_null", mac, sizeof(mac)), name);

	expect_not_string(name_port, prefix, "net_ring");
	expect_not_memory(name_port, mac, mac, sizeof(mac));
	expect_in_range(name_port, len, 1, 6);
	will_return(name_port, NULL);
	assert_null(name_port("net_null", other, sizeof(other)));

	expect_string_count(name_port, prefix, "a", 1);
	expect_not_string_count(name_port, prefix, "a", 1);
	expect_memory_count(name_port, mac, mac, sizeof(mac), 1);
	expect_not_memory_count(name_port, mac, mac, sizeof(mac), 1);
	expect_any_count(name_port, len, 2);
	will_return_count(name_port, name, 2);
	assert_ptr_equal(name_port("a", mac, 1), name);
	assert_ptr_equal(name_port("b", other, 1), name);
}

static void
test_function_calls(void **state)
{
	(void)state;
	expect_function_call(start_port);
	expect_function_calls(log_event, 2);
	expect_function_call_any(stop_port);
	ignore_function_calls(log_event);
	start_port();
	log_event();
	log_event();
	stop_port();
	stop_port();
	log_event();
}

static void
check_positive(int v)
{
	assert_true(v > 0);
	assert_in_range(v, 1, 100);
}

static void
test_helper_asserts(void **state)
{
	(void)state;
	check_positive(5);
	check_positive(100);
}

static void
test_allocators(void **state)
{
	char *a = (char *)test_malloc(8);
	int *b = (int *)test_calloc(4, sizeof(int));

	(void)state;
	assert_non_null(a);
	assert_non_null(b);
	for (int i = 0; i < 4; i++)
		assert_int_equal(b[i], 0);
	memcpy(a, "1234567", 8);
	a = (char *)test_realloc(a, 16);
	assert_non_null(a);
	assert_string_equal(a, "1234567");
	test_free(a);
	test_free(b);
	test_free(NULL);
}

static void
test_mock_assert(void **state)
{
	int out = 0;

	(void)state;
	checked_divide(6, 3, &out);
	assert_int_equal(out, 2);
	expect_assert_failure(checked_divide(1, 0, &out));
	print_message("mock_assert caught as expected\n");
}

/* A child forked by a test that fails an assertion exits with status 1. */
static void
test_forked_child_failure(void **state)
{
	int status = 0;
	pid_t pid;

	(void)state;
	pid = fork();
	assert_return_code(pid, errno);
	if (pid == 0) {
#ifdef MP_PACK_CMOCKA_GTEST_H
		assert_int_equal(1, 2);
#endif
		/* libcmocka would go on running tests in the child. */
		_exit(EXIT_FAILURE);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), EXIT_FAILURE);
}

/* Fixtures: state flows from prestate through setup, test and teardown. */

static int fixture_runs;
static int prestate_value = 7;

static int
setup_int(void **state)
{
	int *v = (int *)test_malloc(sizeof(*v));

	if (v == NULL)
		return -1;
	*v = *state != NULL ? *(int *)*state + 1 : 1;
	*state = v;
	return 0;
}

static int
teardown_int(void **state)
{
	test_free(*state);
	fixture_runs++;
	return 0;
}

static int
teardown_count(void **state)
{
	(void)state;
	fixture_runs++;
	return 0;
}

static void
test_setup_state(void **state)
{
	assert_int_equal(**(int **)state, 1);
	test_free(*state);
	*state = NULL;
}

static void
test_teardown_only(void **state)
{
	assert_null(*state);
}

static void
test_setup_teardown_state(void **state)
{
	assert_int_equal(**(int **)state, 1);
}

static void
test_prestate(void **state)
{
	assert_ptr_equal(*state, &prestate_value);
	assert_int_equal(*(int *)*state, 7);
}

static void
test_prestate_setup_teardown(void **state)
{
	assert_int_equal(**(int **)state, 8);
}

static void
test_teardowns_ran(void **state)
{
	(void)state;
	assert_int_equal(fixture_runs, 3);
	/* Ready for the next round of --gtest_repeat. */
	fixture_runs = 0;
}

/* A second group: its state reaches every test, whatever their prestate. */

struct group_state {
	int magic;
	int tests_run;
};

static int
group_setup(void **state)
{
	struct group_state *gs = (struct group_state *)test_calloc(1,
		sizeof(*gs));

	if (gs == NULL)
		return -1;
	gs->magic = 0x5eed;
	*state = gs;
	return 0;
}

static int
group_teardown(void **state)
{
	struct group_state *gs = (struct group_state *)*state;
	int ran = gs->tests_run;

	test_free(gs);
	/* Both tests below must have run, and with the group's state. */
	return ran == 2 ? 0 : -1;
}

static void
test_group_state(void **state)
{
	struct group_state *gs = (struct group_state *)*state;

	assert_int_equal(gs->magic, 0x5eed);
	gs->tests_run++;
}

static void
test_group_state_wins(void **state)
{
	struct group_state *gs = (struct group_state *)*state;

	assert_ptr_not_equal(gs, &prestate_value);
	assert_int_equal(gs->magic, 0x5eed);
	gs->tests_run++;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_assert_scalars),
		cmocka_unit_test(test_assert_buffers),
		cmocka_unit_test(test_assert_ranges_sets_codes),
		cmocka_unit_test(test_will_return),
		cmocka_unit_test(test_will_return_maybe_unused),
		cmocka_unit_test(test_expect_values),
		cmocka_unit_test(test_expect_counts),
		cmocka_unit_test(test_expect_strings_memory),
		cmocka_unit_test(test_function_calls),
		cmocka_unit_test(test_helper_asserts),
		cmocka_unit_test(test_allocators),
		cmocka_unit_test(test_mock_assert),
		cmocka_unit_test(test_forked_child_failure),
		cmocka_unit_test_setup(test_setup_state, setup_int),
		cmocka_unit_test_teardown(test_teardown_only, teardown_count),
		cmocka_unit_test_setup_teardown(test_setup_teardown_state,
			setup_int, teardown_int),
		cmocka_unit_test_prestate(test_prestate, &prestate_value),
		cmocka_unit_test_prestate_setup_teardown(
			test_prestate_setup_teardown, setup_int, teardown_int,
			&prestate_value),
		cmocka_unit_test(test_teardowns_ran),
	};
	const struct CMUnitTest group_tests[] = {
		cmocka_unit_test(test_group_state),
		cmocka_unit_test_prestate(test_group_state_wins,
			&prestate_value),
	};
	int failed;

	failed = cmocka_run_group_tests(tests, NULL, NULL);
	failed += cmocka_run_group_tests_name("api_group_state", group_tests,
		group_setup, group_teardown);
	return failed;
}
