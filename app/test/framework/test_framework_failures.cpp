/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/*
 * Tests that must fail (fails_*), skip (skips_*) or pass (passes_*), one
 * per assertion and mock misuse. check_framework.py runs this program and
 * checks each outcome and message, so the layer cannot pass silently.
 * FRAMEWORK_FAILURES_GROUP=group_setup runs a group whose setup fails,
 * =group_teardown one whose teardown fails.
 */

#include <stdlib.h>
#include <string.h>

#include <stdexcept>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

static int
read_counter(int port)
{
	check_expected(port);
	return mock_type(int);
}

static void
log_text(const char *text, const void *data)
{
	check_expected(text);
	check_expected_ptr(data);
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
fails_assert_true(void **state)
{
	int x = 1;

	(void)state;
	assert_true(x == 2);
}

static void
fails_assert_false(void **state)
{
	int x = 1;

	(void)state;
	assert_false(x == 1);
}

static void
fails_assert_non_null(void **state)
{
	void *p = NULL;

	(void)state;
	assert_non_null(p);
}

static void
fails_assert_null(void **state)
{
	int x = 0;
	int *p = &x;

	(void)state;
	assert_null(p);
}

static void
fails_assert_ptr_equal(void **state)
{
	int a[2] = {0, 0};

	(void)state;
	assert_ptr_equal(&a[0], &a[1]);
}

static void
fails_assert_ptr_not_equal(void **state)
{
	int a = 0;

	(void)state;
	assert_ptr_not_equal(&a, &a);
}

static void
fails_assert_int_equal(void **state)
{
	int got = 4242;

	(void)state;
	assert_int_equal(got, 4343);
}

static void
fails_assert_int_equal_negative(void **state)
{
	int got = -17;

	(void)state;
	assert_int_equal(got, 17);
}

static void
fails_assert_int_not_equal(void **state)
{
	int got = 9876;

	(void)state;
	assert_int_not_equal(got, 9876);
}

static void
fails_assert_float_equal(void **state)
{
	(void)state;
	assert_float_equal(1.25f, 1.5f, 0.1f);
}

static void
fails_assert_float_not_equal(void **state)
{
	(void)state;
	assert_float_not_equal(2.0f, 2.05f, 0.1f);
}

static void
fails_assert_string_equal(void **state)
{
	(void)state;
	assert_string_equal("net_null0", "net_ring0");
}

static void
fails_assert_string_equal_null(void **state)
{
	const char *s = NULL;

	(void)state;
#ifdef MP_PACK_CMOCKA_GTEST_H
	assert_string_equal(s, "net_ring0");
#else
	/* libcmocka would dereference the NULL pointer. */
	(void)s;
	fail_msg("string is NULL");
#endif
}

static void
fails_assert_string_not_equal(void **state)
{
	(void)state;
	assert_string_not_equal("port7", "port7");
}

static void
fails_assert_memory_equal(void **state)
{
	uint8_t a[4] = {1, 2, 3, 4};
	uint8_t b[4] = {1, 2, 0x33, 4};

	(void)state;
	assert_memory_equal(a, b, sizeof(a));
}

static void
fails_assert_memory_not_equal(void **state)
{
	uint8_t a[4] = {1, 2, 3, 4};
	uint8_t b[4] = {1, 2, 3, 4};

	(void)state;
	assert_memory_not_equal(a, b, sizeof(a));
}

static void
fails_assert_in_range(void **state)
{
	(void)state;
	assert_in_range(1234, 1, 1000);
}

static void
fails_assert_not_in_range(void **state)
{
	(void)state;
	assert_not_in_range(555, 500, 600);
}

static void
fails_assert_in_set(void **state)
{
	LargestIntegralType set[] = {11, 13, 17};

	(void)state;
	assert_in_set(12, set, 3);
}

static void
fails_assert_not_in_set(void **state)
{
	LargestIntegralType set[] = {11, 13, 17};

	(void)state;
	assert_not_in_set(13, set, 3);
}

static void
fails_assert_return_code(void **state)
{
	int rc = -22;

	(void)state;
	assert_return_code(rc, 22);
}

static void
fails_fail(void **state)
{
	(void)state;
	fail();
}

static void
fails_fail_msg(void **state)
{
	(void)state;
	fail_msg("port %d is gone", 3);
}

/* An assertion in a helper ends the test: the flag must stay clear. */
static int continued_after_abort;

static void
helper_that_fails(int v)
{
	assert_int_equal(v, 31337);
}

static void
fails_in_helper(void **state)
{
	(void)state;
	helper_that_fails(1);
	continued_after_abort = 1;
}

static void
fails_will_return_unused(void **state)
{
	(void)state;
	will_return(read_counter, 5);
}

static void
fails_will_return_always_unused(void **state)
{
	(void)state;
	will_return_always(read_counter, 5);
}

static void
fails_will_return_behind_always(void **state)
{
	(void)state;
	expect_any(read_counter, port);
	will_return_always(read_counter, 1);
	will_return_maybe(read_counter, 2);
	read_counter(0);
}

static void
fails_mock_without_value(void **state)
{
	(void)state;
	expect_any(read_counter, port);
	read_counter(1);
}

static void
fails_expect_value(void **state)
{
	(void)state;
	expect_value(read_counter, port, 3);
	will_return(read_counter, 0);
	read_counter(4);
}

static void
fails_expect_not_value(void **state)
{
	(void)state;
	expect_not_value(read_counter, port, 3);
	will_return(read_counter, 0);
	read_counter(3);
}

static void
fails_expect_in_set(void **state)
{
	LargestIntegralType set[] = {1, 2};

	(void)state;
	expect_in_set(read_counter, port, set);
	will_return(read_counter, 0);
	read_counter(3);
}

static void
fails_expect_not_in_set(void **state)
{
	LargestIntegralType set[] = {1, 2};

	(void)state;
	expect_not_in_set(read_counter, port, set);
	will_return(read_counter, 0);
	read_counter(2);
}

static void
fails_expect_in_range(void **state)
{
	(void)state;
	expect_in_range(read_counter, port, 0, 7);
	will_return(read_counter, 0);
	read_counter(8);
}

static void
fails_expect_not_in_range(void **state)
{
	(void)state;
	expect_not_in_range(read_counter, port, 0, 7);
	will_return(read_counter, 0);
	read_counter(7);
}

static void
fails_expect_string(void **state)
{
	(void)state;
	expect_string(log_text, text, "link up");
	expect_any(log_text, data);
	log_text("link down", NULL);
}

static void
fails_expect_not_string(void **state)
{
	(void)state;
	expect_not_string(log_text, text, "link up");
	expect_any(log_text, data);
	log_text("link up", NULL);
}

static void
fails_expect_memory(void **state)
{
	const uint8_t want[3] = {1, 2, 3};
	const uint8_t got[3] = {1, 2, 4};

	(void)state;
	expect_any(log_text, text);
	expect_memory(log_text, data, want, sizeof(want));
	log_text("x", got);
}

static void
fails_expect_not_memory(void **state)
{
	const uint8_t want[3] = {1, 2, 3};
	const uint8_t got[3] = {1, 2, 3};

	(void)state;
	expect_any(log_text, text);
	expect_not_memory(log_text, data, want, sizeof(want));
	log_text("x", got);
}

static void
fails_expect_check(void **state)
{
	(void)state;
	expect_check(read_counter, port, is_even, 0);
	will_return(read_counter, 0);
	read_counter(3);
}

static void
fails_expectation_unchecked(void **state)
{
	(void)state;
	expect_value(read_counter, port, 3);
}

static void
fails_check_without_expectation(void **state)
{
	(void)state;
	will_return(read_counter, 0);
	read_counter(3);
}

static void
fails_function_call_missing(void **state)
{
	(void)state;
	expect_function_call(start_port);
	expect_function_call(stop_port);
	start_port();
}

static void
fails_function_call_order(void **state)
{
	(void)state;
	expect_function_call(start_port);
	expect_function_call(stop_port);
	stop_port();
}

static void
fails_function_call_unexpected(void **state)
{
	(void)state;
	start_port();
}

static void
fails_test_malloc_leak(void **state)
{
	void *p = test_malloc(24);

	(void)state;
	assert_non_null(p);
}

static void
fails_test_malloc_overrun(void **state)
{
	char *p = (char *)test_malloc(8);

	(void)state;
	assert_non_null(p);
	memset(p, 'x', 9);
	test_free(p);
}

static void
fails_test_free_twice(void **state)
{
	void *p = test_malloc(8);

	(void)state;
	test_free(p);
	test_free(p);
}

static void
fails_will_return_count_zero(void **state)
{
	(void)state;
	will_return_count(read_counter, 1, 0);
}

static void
fails_expect_assert_failure(void **state)
{
	int out = 0;

	(void)state;
	expect_assert_failure(checked_divide(4, 2, &out));
}

static void
fails_mock_assert(void **state)
{
	int out = 0;

	(void)state;
	checked_divide(4, 0, &out);
}

static void
fails_cxx_exception(void **state)
{
	(void)state;
#ifdef MP_PACK_CMOCKA_GTEST_H
	throw std::runtime_error("port table full");
#else
	/* libcmocka cannot catch it: the program would terminate. */
	fail_msg("uncaught C++ exception: %s", "port table full");
#endif
}

static int
setup_fails(void **state)
{
	(void)state;
	return -1;
}

static void
fails_setup(void **state)
{
	(void)state;
	fail_msg("test body ran after its setup failed");
}

static int
setup_leaves_value(void **state)
{
	(void)state;
	will_return(read_counter, 1);
	return 0;
}

static void
fails_setup_leftover(void **state)
{
	(void)state;
	fail_msg("test body ran after its setup failed");
}

static int teardown_ran;

static int
teardown_fails(void **state)
{
	(void)state;
	teardown_ran++;
	return -1;
}

static void
fails_teardown(void **state)
{
	(void)state;
}

static int
teardown_counts(void **state)
{
	(void)state;
	teardown_ran++;
	return 0;
}

static void
fails_then_teardown(void **state)
{
	(void)state;
	fail_msg("failing before the teardown");
}

static void
skips_skip(void **state)
{
	(void)state;
	skip();
}

static void
passes_control(void **state)
{
	(void)state;
	assert_int_equal(1, 1);
}

static void
passes_after_abort(void **state)
{
	(void)state;
	/* fails_in_helper stopped at its assertion. */
	assert_int_equal(continued_after_abort, 0);
	/* fails_teardown's and fails_then_teardown's teardowns both ran. */
	assert_int_equal(teardown_ran, 2);
}

static int
group_setup_fails(void **state)
{
	(void)state;
	return -1;
}

static void
passes_unless_group_setup_failed(void **state)
{
	(void)state;
}

static int
group_teardown_fails(void **state)
{
	(void)state;
	return -1;
}

static void
passes_before_group_teardown(void **state)
{
	(void)state;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fails_assert_true),
		cmocka_unit_test(fails_assert_false),
		cmocka_unit_test(fails_assert_non_null),
		cmocka_unit_test(fails_assert_null),
		cmocka_unit_test(fails_assert_ptr_equal),
		cmocka_unit_test(fails_assert_ptr_not_equal),
		cmocka_unit_test(fails_assert_int_equal),
		cmocka_unit_test(fails_assert_int_equal_negative),
		cmocka_unit_test(fails_assert_int_not_equal),
		cmocka_unit_test(fails_assert_float_equal),
		cmocka_unit_test(fails_assert_float_not_equal),
		cmocka_unit_test(fails_assert_string_equal),
		cmocka_unit_test(fails_assert_string_equal_null),
		cmocka_unit_test(fails_assert_string_not_equal),
		cmocka_unit_test(fails_assert_memory_equal),
		cmocka_unit_test(fails_assert_memory_not_equal),
		cmocka_unit_test(fails_assert_in_range),
		cmocka_unit_test(fails_assert_not_in_range),
		cmocka_unit_test(fails_assert_in_set),
		cmocka_unit_test(fails_assert_not_in_set),
		cmocka_unit_test(fails_assert_return_code),
		cmocka_unit_test(fails_fail),
		cmocka_unit_test(fails_fail_msg),
		cmocka_unit_test(fails_in_helper),
		cmocka_unit_test(fails_will_return_unused),
		cmocka_unit_test(fails_will_return_always_unused),
		cmocka_unit_test(fails_will_return_behind_always),
		cmocka_unit_test(fails_mock_without_value),
		cmocka_unit_test(fails_expect_value),
		cmocka_unit_test(fails_expect_not_value),
		cmocka_unit_test(fails_expect_in_set),
		cmocka_unit_test(fails_expect_not_in_set),
		cmocka_unit_test(fails_expect_in_range),
		cmocka_unit_test(fails_expect_not_in_range),
		cmocka_unit_test(fails_expect_string),
		cmocka_unit_test(fails_expect_not_string),
		cmocka_unit_test(fails_expect_memory),
		cmocka_unit_test(fails_expect_not_memory),
		cmocka_unit_test(fails_expect_check),
		cmocka_unit_test(fails_expectation_unchecked),
		cmocka_unit_test(fails_check_without_expectation),
		cmocka_unit_test(fails_function_call_missing),
		cmocka_unit_test(fails_function_call_order),
		cmocka_unit_test(fails_function_call_unexpected),
		cmocka_unit_test(fails_test_malloc_leak),
		cmocka_unit_test(fails_test_malloc_overrun),
		cmocka_unit_test(fails_test_free_twice),
		cmocka_unit_test(fails_will_return_count_zero),
		cmocka_unit_test(fails_expect_assert_failure),
		cmocka_unit_test(fails_mock_assert),
		cmocka_unit_test(fails_cxx_exception),
		cmocka_unit_test_setup(fails_setup, setup_fails),
		cmocka_unit_test_setup(fails_setup_leftover, setup_leaves_value),
		cmocka_unit_test_teardown(fails_teardown, teardown_fails),
		cmocka_unit_test_teardown(fails_then_teardown, teardown_counts),
		cmocka_unit_test(skips_skip),
		cmocka_unit_test(passes_control),
		cmocka_unit_test(passes_after_abort),
	};
	const struct CMUnitTest setup_failing_tests[] = {
		cmocka_unit_test(passes_unless_group_setup_failed),
	};
	const struct CMUnitTest teardown_failing_tests[] = {
		cmocka_unit_test(passes_before_group_teardown),
	};
	const char *group = getenv("FRAMEWORK_FAILURES_GROUP");

	if (group != NULL && strcmp(group, "group_setup") == 0)
		return cmocka_run_group_tests(setup_failing_tests,
			group_setup_fails, NULL);
	if (group != NULL && strcmp(group, "group_teardown") == 0)
		return cmocka_run_group_tests(teardown_failing_tests, NULL,
			group_teardown_fails);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
