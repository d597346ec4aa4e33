/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/**
 * @file
 * The cmocka 1.1 test API, run by GoogleTest.
 *
 * With -Dtest_framework=gtest (the default) this header is found before the
 * system <cmocka.h>. Test sources keep cmocka's preamble and main():
 * cmocka_run_group_tests() registers every CMUnitTest with GoogleTest and
 * runs RUN_ALL_TESTS(), so each failure is a GoogleTest failure with the file
 * and line of the assertion and both compared values, on the console and in
 * the XML report. GoogleTest options come from the environment (GTEST_FILTER,
 * GTEST_OUTPUT=xml:FILE, ...) and from the command line (--gtest_*), read from
 * /proc/self/cmdline since main(void) has no argv.
 *
 * Supported, with cmocka's names and semantics:
 * - tests: cmocka_unit_test, cmocka_unit_test_setup, _teardown,
 *   _setup_teardown, _prestate, _prestate_setup_teardown,
 *   cmocka_run_group_tests, cmocka_run_group_tests_name; group setup and
 *   teardown run once per group, their state seeds each test's state;
 *   per-test teardown runs after a failed test, not after a failed setup;
 * - skip(), fail(), fail_msg(), print_message(), print_error();
 * - assertions: assert_true/false, assert_non_null/null,
 *   assert_ptr_equal/not_equal, assert_int_equal/not_equal,
 *   assert_float_equal/not_equal, assert_string_equal/not_equal,
 *   assert_memory_equal/not_equal, assert_in_range/not_in_range,
 *   assert_in_set/not_in_set, assert_return_code; a failed assertion ends the
 *   test, also from a helper function;
 * - mocks: will_return, will_return_count, will_return_always,
 *   will_return_maybe, mock, mock_type, mock_ptr_type; expect_value,
 *   expect_not_value, expect_in_set, expect_not_in_set, expect_in_range,
 *   expect_not_in_range, expect_string, expect_not_string, expect_memory,
 *   expect_not_memory, expect_any, expect_check (each with its _count form,
 *   expect_any_always too), check_expected, check_expected_ptr;
 *   function_called, expect_function_call(s), expect_function_call_any,
 *   ignore_function_calls. Queues live for one setup, test or teardown run;
 *   values or expectations left over at its end fail it, as in cmocka;
 * - test_malloc/calloc/realloc/free with leak and overrun checks, the
 *   UNIT_TESTING redirection of malloc & co, mock_assert() and
 *   expect_assert_failure();
 * - cmocka_set_test_filter(), cmocka_set_skip_filter();
 *   CMOCKA_MESSAGE_OUTPUT=xml with CMOCKA_XML_FILE (%g: group name) selects
 *   GoogleTest's XML report when GTEST_OUTPUT is not set.
 *
 * Known differences from libcmocka:
 * - C++ only; include this header after every other header, as with
 *   cmocka in C++ (fail(), skip() and mock() are function-like macros);
 * - a failed assertion throws a private exception caught by the test
 *   runner: do not swallow it with catch (...), and do not let it cross a
 *   noexcept function or leave a thread of its own (the process then aborts
 *   after printing the failure); in a child forked by a test, a failure
 *   prints the message and ends the child with _exit(EXIT_FAILURE) rather
 *   than let it run the remaining tests;
 * - messages show decimal values (and hex), with the asserted expressions;
 *   signed operands print as signed, comparisons stay cmocka's unsigned ones;
 * - cmocka_run_group_tests() returns RUN_ALL_TESTS()'s result (0 or 1), not
 *   a count of failures;
 * - group setup runs inside the group's first test and group teardown
 *   inside its last, so what they report lands on those tests; after a
 *   failed group setup every test of the group fails without running and
 *   the group teardown is skipped; a failed group teardown fails the last
 *   test (libcmocka 1.1 prints it but does not count it);
 * - several groups in one program each run their own RUN_ALL_TESTS(); the
 *   XML report of GTEST_OUTPUT=xml:FILE gathers them all, or with %g in
 *   FILE one file per group (not so for a directory, xml:DIR/);
 * - a test listed twice in a group gets a "_<n>" suffix, as GoogleTest
 *   needs unique names; characters other than [A-Za-z0-9_] in a group name
 *   become '_';
 * - expect_string() copies the string (cmocka keeps the pointer);
 *   assert_string_equal() accepts two NULL pointers as equal and reports one
 *   NULL instead of crashing;
 * - assert_return_code() fails on a value negative in its own width;
 * - cmocka_set_message_output() is ignored (GoogleTest prints its own
 *   report); the deprecated unit_test()/run_tests() API is not provided.
 */

#ifndef MP_PACK_CMOCKA_GTEST_H
#define MP_PACK_CMOCKA_GTEST_H

#ifndef __cplusplus
#error "the GoogleTest based cmocka.h needs C++; use -Dtest_framework=cmocka for C"
#endif

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <type_traits>

#ifndef LargestIntegralType
#define LargestIntegralType uintmax_t
#endif
#ifndef LargestIntegralTypePrintfFormat
#define LargestIntegralTypePrintfFormat "%#jx"
#endif
#ifndef LargestIntegralTypePrintfFormatDecimal
#define LargestIntegralTypePrintfFormatDecimal "%ju"
#endif
#ifndef FloatPrintfFormat
#define FloatPrintfFormat "%f"
#endif

#define cast_to_largest_integral_type(value) \
	((LargestIntegralType)(value))
#define cast_to_pointer_integral_type(value) \
	((uintptr_t)((size_t)(value)))
#define cast_ptr_to_largest_integral_type(value) \
	cast_to_largest_integral_type(cast_to_pointer_integral_type(value))

#ifdef __GNUC__
#define CMOCKA_PRINTF_ATTRIBUTE(a, b) __attribute__((__format__(__printf__, a, b)))
#else
#define CMOCKA_PRINTF_ATTRIBUTE(a, b)
#endif

#define WILL_RETURN_ALWAYS -1
#define WILL_RETURN_ONCE -2

typedef void (*UnitTestFunction)(void **state);
typedef int (*CheckParameterValue)(const LargestIntegralType value,
		const LargestIntegralType check_value_data);
typedef void (*CMUnitTestFunction)(void **state);
typedef int (*CMFixtureFunction)(void **state);

struct CMUnitTest {
	const char *name;
	CMUnitTestFunction test_func;
	CMFixtureFunction setup_func;
	CMFixtureFunction teardown_func;
	void *initial_state;
};

enum cm_message_output {
	CM_OUTPUT_STDOUT,
	CM_OUTPUT_SUBUNIT,
	CM_OUTPUT_TAP,
	CM_OUTPUT_XML,
};

extern "C" {
void print_message(const char *const format, ...) CMOCKA_PRINTF_ATTRIBUTE(1, 2);
void print_error(const char *const format, ...) CMOCKA_PRINTF_ATTRIBUTE(1, 2);
void vprint_message(const char *const format, va_list args) CMOCKA_PRINTF_ATTRIBUTE(1, 0);
void vprint_error(const char *const format, va_list args) CMOCKA_PRINTF_ATTRIBUTE(1, 0);
void mock_assert(const int result, const char *const expression,
		const char *const file, const int line);
void cmocka_set_message_output(enum cm_message_output output);
void cmocka_set_test_filter(const char *pattern);
void cmocka_set_skip_filter(const char *pattern);
}

/* Everything below is the layer's own; tests use the macros only. */
namespace cmocka_gtest {

/** An integral operand, kept with enough of its type to print it well. */
struct Int {
	uintmax_t value;  /**< cmocka's unsigned view of the operand */
	bool negative;    /**< operand of a signed type and below zero */
	unsigned int size; /**< sizeof the operand's type */
};

template <typename T>
inline Int
to_int(T v)
{
	Int r;

	r.value = (uintmax_t)(v);
	if constexpr (std::is_signed<T>::value)
		r.negative = v < 0;
	else
		r.negative = false;
	r.size = sizeof(T);
	return r;
}

/** Thrown by expect_assert_failure()'s mock_assert(); never leaves it. */
struct MockAssertion {
	const char *expression;
};

void do_assert_true(bool ok, const char *what, const char *expr,
		const char *file, int line);
void do_assert_int(bool want_equal, Int a, Int b, const char *ea,
		const char *eb, const char *file, int line);
void do_assert_ptr(bool want_equal, uintmax_t a, uintmax_t b,
		const char *ea, const char *eb, const char *file, int line);
void do_assert_float(bool want_equal, float a, float b, float epsilon,
		const char *ea, const char *eb, const char *file, int line);
void do_assert_string(bool want_equal, const char *a, const char *b,
		const char *ea, const char *eb, const char *file, int line);
void do_assert_memory(bool want_equal, const void *a, const void *b,
		size_t size, const char *ea, const char *eb, const char *file,
		int line);
void do_assert_range(bool want_in, Int value, Int minimum, Int maximum,
		const char *expr, const char *file, int line);
void do_assert_set(bool want_in, Int value, const LargestIntegralType values[],
		size_t count, const char *expr, const char *file, int line);
void do_assert_return_code(Int rc, uintmax_t error, const char *expr,
		const char *file, int line);
[[noreturn]] void do_fail(const char *file, int line);
[[noreturn]] void do_fail_msg(const char *file, int line, const char *format, ...)
	CMOCKA_PRINTF_ATTRIBUTE(3, 4);
[[noreturn]] void do_skip(const char *file, int line);

void do_will_return(const char *function, const char *file, int line,
		uintmax_t value, int count);
uintmax_t do_mock_value(const char *function, const char *file, int line);

void do_expect_check(const char *function, const char *parameter,
		const char *file, int line, CheckParameterValue check,
		uintmax_t check_data, int count);
void do_expect_value(const char *function, const char *parameter,
		const char *file, int line, bool want_equal, Int value, int count);
void do_expect_set(const char *function, const char *parameter,
		const char *file, int line, bool want_in,
		const LargestIntegralType values[], size_t n, int count);
void do_expect_range(const char *function, const char *parameter,
		const char *file, int line, bool want_in, uintmax_t minimum,
		uintmax_t maximum, int count);
void do_expect_string(const char *function, const char *parameter,
		const char *file, int line, bool want_equal, const char *string,
		int count);
void do_expect_memory(const char *function, const char *parameter,
		const char *file, int line, bool want_equal, const void *memory,
		size_t size, int count);
void do_expect_any(const char *function, const char *parameter,
		const char *file, int line, int count);
void do_check_expected(const char *function, const char *parameter,
		const char *file, int line, Int value);

void do_expect_function_call(const char *function, const char *file, int line,
		int count);
void do_function_called(const char *function, const char *file, int line);

void *do_test_malloc(size_t size, const char *file, int line);
void *do_test_calloc(size_t n, size_t size, const char *file, int line);
void *do_test_realloc(void *ptr, size_t size, const char *file, int line);
void do_test_free(void *ptr, const char *file, int line);

void expecting_assert(bool on);
void expect_assert_done(bool caught, const char *call, const char *file,
		int line);

int run_group(const char *group_name, const struct CMUnitTest *tests,
		size_t num_tests, CMFixtureFunction group_setup,
		CMFixtureFunction group_teardown, const char *file, int line);

} /* namespace cmocka_gtest */

/* The API's macros, one per cmocka macro and laid out by hand. */
/* clang-format off */
#define cmocka_unit_test(f) { #f, f, NULL, NULL, NULL }
#define cmocka_unit_test_setup(f, setup) { #f, f, setup, NULL, NULL }
#define cmocka_unit_test_teardown(f, teardown) { #f, f, NULL, teardown, NULL }
#define cmocka_unit_test_setup_teardown(f, setup, teardown) \
	{ #f, f, setup, teardown, NULL }
#define cmocka_unit_test_prestate(f, state) { #f, f, NULL, NULL, state }
#define cmocka_unit_test_prestate_setup_teardown(f, setup, teardown, state) \
	{ #f, f, setup, teardown, state }

#define cmocka_run_group_tests(group_tests, group_setup, group_teardown) \
	cmocka_gtest::run_group(#group_tests, group_tests, \
		sizeof(group_tests) / sizeof((group_tests)[0]), \
		group_setup, group_teardown, __FILE__, __LINE__)
#define cmocka_run_group_tests_name(group_name, group_tests, group_setup, \
		group_teardown) \
	cmocka_gtest::run_group(group_name, group_tests, \
		sizeof(group_tests) / sizeof((group_tests)[0]), \
		group_setup, group_teardown, __FILE__, __LINE__)

#define fail() cmocka_gtest::do_fail(__FILE__, __LINE__)
#define fail_msg(...) cmocka_gtest::do_fail_msg(__FILE__, __LINE__, __VA_ARGS__)
#define skip() cmocka_gtest::do_skip(__FILE__, __LINE__)

#define assert_true(c) \
	cmocka_gtest::do_assert_true(cast_to_largest_integral_type(c) != 0, \
		"assert_true", #c, __FILE__, __LINE__)
#define assert_false(c) \
	cmocka_gtest::do_assert_true(cast_to_largest_integral_type(c) == 0, \
		"assert_false", #c, __FILE__, __LINE__)
#define assert_non_null(c) \
	cmocka_gtest::do_assert_true(cast_ptr_to_largest_integral_type(c) != 0, \
		"assert_non_null", #c, __FILE__, __LINE__)
#define assert_null(c) \
	cmocka_gtest::do_assert_true(cast_ptr_to_largest_integral_type(c) == 0, \
		"assert_null", #c, __FILE__, __LINE__)
#define assert_ptr_equal(a, b) \
	cmocka_gtest::do_assert_ptr(true, cast_ptr_to_largest_integral_type(a), \
		cast_ptr_to_largest_integral_type(b), #a, #b, __FILE__, __LINE__)
#define assert_ptr_not_equal(a, b) \
	cmocka_gtest::do_assert_ptr(false, cast_ptr_to_largest_integral_type(a), \
		cast_ptr_to_largest_integral_type(b), #a, #b, __FILE__, __LINE__)
#define assert_int_equal(a, b) \
	cmocka_gtest::do_assert_int(true, cmocka_gtest::to_int(a), \
		cmocka_gtest::to_int(b), #a, #b, __FILE__, __LINE__)
#define assert_int_not_equal(a, b) \
	cmocka_gtest::do_assert_int(false, cmocka_gtest::to_int(a), \
		cmocka_gtest::to_int(b), #a, #b, __FILE__, __LINE__)
#define assert_float_equal(a, b, epsilon) \
	cmocka_gtest::do_assert_float(true, (float)(a), (float)(b), \
		(float)(epsilon), #a, #b, __FILE__, __LINE__)
#define assert_float_not_equal(a, b, epsilon) \
	cmocka_gtest::do_assert_float(false, (float)(a), (float)(b), \
		(float)(epsilon), #a, #b, __FILE__, __LINE__)
#define assert_string_equal(a, b) \
	cmocka_gtest::do_assert_string(true, (const char *)(a), \
		(const char *)(b), #a, #b, __FILE__, __LINE__)
#define assert_string_not_equal(a, b) \
	cmocka_gtest::do_assert_string(false, (const char *)(a), \
		(const char *)(b), #a, #b, __FILE__, __LINE__)
#define assert_memory_equal(a, b, size) \
	cmocka_gtest::do_assert_memory(true, (const void *)(a), \
		(const void *)(b), size, #a, #b, __FILE__, __LINE__)
#define assert_memory_not_equal(a, b, size) \
	cmocka_gtest::do_assert_memory(false, (const void *)(a), \
		(const void *)(b), size, #a, #b, __FILE__, __LINE__)
#define assert_in_range(value, minimum, maximum) \
	cmocka_gtest::do_assert_range(true, cmocka_gtest::to_int(value), \
		cmocka_gtest::to_int(minimum), cmocka_gtest::to_int(maximum), \
		#value, __FILE__, __LINE__)
#define assert_not_in_range(value, minimum, maximum) \
	cmocka_gtest::do_assert_range(false, cmocka_gtest::to_int(value), \
		cmocka_gtest::to_int(minimum), cmocka_gtest::to_int(maximum), \
		#value, __FILE__, __LINE__)
#define assert_in_set(value, values, number_of_values) \
	cmocka_gtest::do_assert_set(true, cmocka_gtest::to_int(value), values, \
		number_of_values, #value, __FILE__, __LINE__)
#define assert_not_in_set(value, values, number_of_values) \
	cmocka_gtest::do_assert_set(false, cmocka_gtest::to_int(value), values, \
		number_of_values, #value, __FILE__, __LINE__)
#define assert_return_code(rc, error) \
	cmocka_gtest::do_assert_return_code(cmocka_gtest::to_int(rc), \
		cast_to_largest_integral_type(error), #rc, __FILE__, __LINE__)

#define mock() cmocka_gtest::do_mock_value(__func__, __FILE__, __LINE__)
#define mock_type(type) ((type)mock())
#define mock_ptr_type(type) ((type)(uintptr_t)mock())
#define will_return(function, value) \
	cmocka_gtest::do_will_return(#function, __FILE__, __LINE__, \
		cast_to_largest_integral_type(value), 1)
#define will_return_count(function, value, count) \
	cmocka_gtest::do_will_return(#function, __FILE__, __LINE__, \
		cast_to_largest_integral_type(value), count)
#define will_return_always(function, value) \
	will_return_count(function, (value), WILL_RETURN_ALWAYS)
#define will_return_maybe(function, value) \
	will_return_count(function, (value), WILL_RETURN_ONCE)

#define expect_check(function, parameter, check_function, check_data) \
	cmocka_gtest::do_expect_check(#function, #parameter, __FILE__, __LINE__, \
		check_function, cast_to_largest_integral_type(check_data), 1)
#define expect_in_set(function, parameter, value_array) \
	expect_in_set_count(function, parameter, value_array, 1)
#define expect_in_set_count(function, parameter, value_array, count) \
	cmocka_gtest::do_expect_set(#function, #parameter, __FILE__, __LINE__, \
		true, value_array, sizeof(value_array) / sizeof((value_array)[0]), \
		count)
#define expect_not_in_set(function, parameter, value_array) \
	expect_not_in_set_count(function, parameter, value_array, 1)
#define expect_not_in_set_count(function, parameter, value_array, count) \
	cmocka_gtest::do_expect_set(#function, #parameter, __FILE__, __LINE__, \
		false, value_array, sizeof(value_array) / sizeof((value_array)[0]), \
		count)
#define expect_in_range(function, parameter, minimum, maximum) \
	expect_in_range_count(function, parameter, minimum, maximum, 1)
#define expect_in_range_count(function, parameter, minimum, maximum, count) \
	cmocka_gtest::do_expect_range(#function, #parameter, __FILE__, __LINE__, \
		true, cast_to_largest_integral_type(minimum), \
		cast_to_largest_integral_type(maximum), count)
#define expect_not_in_range(function, parameter, minimum, maximum) \
	expect_not_in_range_count(function, parameter, minimum, maximum, 1)
#define expect_not_in_range_count(function, parameter, minimum, maximum, \
		count) \
	cmocka_gtest::do_expect_range(#function, #parameter, __FILE__, __LINE__, \
		false, cast_to_largest_integral_type(minimum), \
		cast_to_largest_integral_type(maximum), count)
#define expect_value(function, parameter, value) \
	expect_value_count(function, parameter, value, 1)
#define expect_value_count(function, parameter, value, count) \
	cmocka_gtest::do_expect_value(#function, #parameter, __FILE__, __LINE__, \
		true, cmocka_gtest::to_int(value), count)
#define expect_not_value(function, parameter, value) \
	expect_not_value_count(function, parameter, value, 1)
#define expect_not_value_count(function, parameter, value, count) \
	cmocka_gtest::do_expect_value(#function, #parameter, __FILE__, __LINE__, \
		false, cmocka_gtest::to_int(value), count)
#define expect_string(function, parameter, string) \
	expect_string_count(function, parameter, string, 1)
#define expect_string_count(function, parameter, string, count) \
	cmocka_gtest::do_expect_string(#function, #parameter, __FILE__, __LINE__, \
		true, (const char *)(string), count)
#define expect_not_string(function, parameter, string) \
	expect_not_string_count(function, parameter, string, 1)
#define expect_not_string_count(function, parameter, string, count) \
	cmocka_gtest::do_expect_string(#function, #parameter, __FILE__, __LINE__, \
		false, (const char *)(string), count)
#define expect_memory(function, parameter, memory, size) \
	expect_memory_count(function, parameter, memory, size, 1)
#define expect_memory_count(function, parameter, memory, size, count) \
	cmocka_gtest::do_expect_memory(#function, #parameter, __FILE__, __LINE__, \
		true, (const void *)(memory), size, count)
#define expect_not_memory(function, parameter, memory, size) \
	expect_not_memory_count(function, parameter, memory, size, 1)
#define expect_not_memory_count(function, parameter, memory, size, count) \
	cmocka_gtest::do_expect_memory(#function, #parameter, __FILE__, __LINE__, \
		false, (const void *)(memory), size, count)
#define expect_any(function, parameter) \
	expect_any_count(function, parameter, 1)
#define expect_any_always(function, parameter) \
	expect_any_count(function, parameter, WILL_RETURN_ALWAYS)
#define expect_any_count(function, parameter, count) \
	cmocka_gtest::do_expect_any(#function, #parameter, __FILE__, __LINE__, count)
#define check_expected(parameter) \
	cmocka_gtest::do_check_expected(__func__, #parameter, __FILE__, __LINE__, \
		cmocka_gtest::to_int(parameter))
#define check_expected_ptr(parameter) \
	cmocka_gtest::do_check_expected(__func__, #parameter, __FILE__, __LINE__, \
		cmocka_gtest::to_int(cast_ptr_to_largest_integral_type(parameter)))

#define function_called() \
	cmocka_gtest::do_function_called(__func__, __FILE__, __LINE__)
#define expect_function_calls(function, times) \
	cmocka_gtest::do_expect_function_call(#function, __FILE__, __LINE__, times)
#define expect_function_call(function) \
	cmocka_gtest::do_expect_function_call(#function, __FILE__, __LINE__, 1)
#define expect_function_call_any(function) \
	cmocka_gtest::do_expect_function_call(#function, __FILE__, __LINE__, -1)
#define ignore_function_calls(function) \
	cmocka_gtest::do_expect_function_call(#function, __FILE__, __LINE__, -2)

#define test_malloc(size) cmocka_gtest::do_test_malloc(size, __FILE__, __LINE__)
#define test_calloc(num, size) \
	cmocka_gtest::do_test_calloc(num, size, __FILE__, __LINE__)
#define test_realloc(ptr, size) \
	cmocka_gtest::do_test_realloc(ptr, size, __FILE__, __LINE__)
#define test_free(ptr) cmocka_gtest::do_test_free(ptr, __FILE__, __LINE__)

#ifdef UNIT_TESTING
#define malloc test_malloc
#define realloc test_realloc
#define calloc test_calloc
#define free test_free
#endif

#define expect_assert_failure(function_call) \
	do { \
		bool cmocka_gtest_caught_ = false; \
		cmocka_gtest::expecting_assert(true); \
		try { \
			function_call; \
		} catch (const cmocka_gtest::MockAssertion &) { \
			cmocka_gtest_caught_ = true; \
		} \
		cmocka_gtest::expecting_assert(false); \
		cmocka_gtest::expect_assert_done(cmocka_gtest_caught_, \
			#function_call, __FILE__, __LINE__); \
	} while (0)

/* clang-format on */

#endif /* MP_PACK_CMOCKA_GTEST_H */
