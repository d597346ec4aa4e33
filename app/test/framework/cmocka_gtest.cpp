/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/*
 * The runner behind include/cmocka.h: cmocka's test, assertion and mock
 * model on GoogleTest. Each cmocka fixture or test function runs as one
 * "phase" with its own mock queues; a failed assertion is recorded as a
 * GoogleTest fatal failure at the caller's file and line, then ends the
 * phase with a private exception.
 */

#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cerrno>
#include <cfloat>
#include <cinttypes>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <exception>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "cmocka.h"

namespace cmocka_gtest {
namespace {

/* Ends the current phase; only run_phase() catches it. */
struct Abort {
	bool skipped;
};

struct Location {
	const char *file;
	int line;
};

struct Value {
	uintmax_t value;
	int count;
	Location where;
};

enum class Check {
	value,
	not_value,
	in_set,
	not_in_set,
	in_range,
	not_in_range,
	string,
	not_string,
	memory,
	not_memory,
	any,
	custom,
};

struct Expectation {
	Check kind;
	int count;
	Location where;
	Int expected;
	uintmax_t minimum;
	uintmax_t maximum;
	std::vector<uintmax_t> set;
	std::string text;
	std::vector<unsigned char> bytes;
	CheckParameterValue check;
};

struct Call {
	std::string function;
	int count;
	Location where;
};

/* What one setup, test or teardown run may queue and leave behind. */
struct Context {
	std::map<std::string, std::deque<Value>> values;
	std::map<std::pair<std::string, std::string>,
		 std::deque<Expectation>> expectations;
	std::deque<Call> calls;
	Location last_mock{nullptr, 0};
	std::string error_log;
	bool expecting_assert = false;
};

constexpr size_t guard_size = 16;
constexpr unsigned char guard_byte = 0xef;

enum Scope {
	scope_none = -1,
	scope_group = 0,
	scope_test = 1,
};

struct Block {
	size_t size;
	Location where;
	int scope;
};

struct Group {
	std::string name;
	std::string suite;
	std::vector<CMUnitTest> tests;
	std::vector<std::string> test_names;
	CMFixtureFunction setup;
	CMFixtureFunction teardown;
	void *state;
	bool setup_done;
	bool setup_failed;
	bool setup_skipped;
	bool teardown_done;
	int to_run;
	int ran;
	const char *file;
	int line;
};

std::recursive_mutex mutex;
Context ctx;
std::map<void *, Block> blocks;
std::atomic<int> alloc_scope{scope_none};
std::atomic<bool> in_run{false};
pid_t runner_pid;
std::string last_failure;

std::vector<std::unique_ptr<Group>> groups;
std::vector<std::string> ran_suites;
Group *current_group;
std::string user_filter;
std::string xml_path;
std::string test_filter;
std::string skip_filter;

using Lock = std::lock_guard<std::recursive_mutex>;

std::string
format(const char *fmt, va_list args)
{
	va_list copy;
	va_copy(copy, args);
	int n = vsnprintf(nullptr, 0, fmt, copy);
	va_end(copy);
	if (n <= 0)
		return std::string();
	std::string s(static_cast<size_t>(n) + 1, '\0');
	vsnprintf(&s[0], s.size(), fmt, args);
	s.resize(static_cast<size_t>(n));
	return s;
}

std::string
sformat(const char *fmt, ...) CMOCKA_PRINTF_ATTRIBUTE(1, 2);

std::string
sformat(const char *fmt, ...)
{
	va_list args;
	va_start(args, fmt);
	std::string s = format(fmt, args);
	va_end(args);
	return s;
}

std::string
show(const Int &v)
{
	if (v.negative)
		return sformat("%jd", static_cast<intmax_t>(v.value));
	if (v.value < 10)
		return sformat("%ju", v.value);
	return sformat("%ju (%#jx)", v.value, v.value);
}

std::string
show(uintmax_t v)
{
	return show(Int{v, false, sizeof(v)});
}

std::string
show_ptr(uintmax_t v)
{
	if (v == 0)
		return "NULL";
	return sformat("%p", reinterpret_cast<void *>(static_cast<uintptr_t>(v)));
}

std::string
show_string(const char *s)
{
	if (s == nullptr)
		return "NULL";
	return std::string("\"") + s + "\"";
}

std::string
where(const Location &l)
{
	return sformat("%s:%d", l.file, l.line);
}

void
on_terminate()
{
	fprintf(stderr, "cmocka-gtest: a failed assertion or an exception "
		"could not reach the test runner (a noexcept function or a "
		"thread of its own?); last failure: %s\n",
		last_failure.empty() ? "none" : last_failure.c_str());
	std::abort();
}

/* Records a GoogleTest failure; the caller decides whether to go on. */
void
record_failure(const char *file, int line, std::string msg)
{
	{
		Lock l(mutex);
		if (!ctx.error_log.empty()) {
			msg = ctx.error_log + msg;
			ctx.error_log.clear();
		}
		last_failure = sformat("%s:%d: ", file, line) + msg;
	}
	if (!in_run) {
		fprintf(stderr, "%s:%d: error: %s\n"
			"cmocka-gtest: failure outside of a test run\n",
			file, line, msg.c_str());
		fflush(stderr);
		std::exit(EXIT_FAILURE);
	}
	/* A child forked by a test must not go on running the tests. */
	if (getpid() != runner_pid) {
		fprintf(stderr, "%s:%d: error: %s\n"
			"cmocka-gtest: failure in forked child %d, exiting\n",
			file, line, msg.c_str(), static_cast<int>(getpid()));
		fflush(stderr);
		_exit(EXIT_FAILURE);
	}
	[&]() { GTEST_FAIL_AT(file, line) << msg; }();
}

[[noreturn]] void
fail_now(const char *file, int line, const std::string &msg)
{
	record_failure(file, line, msg);
	throw Abort{false};
}

/* cmocka's counts: n > 0 uses, WILL_RETURN_ALWAYS (at least once), ONCE. */
bool
valid_count(int count)
{
	return count > 0 || count == WILL_RETURN_ALWAYS ||
		count == WILL_RETURN_ONCE;
}

/* Applies one use to a queued item; true when it is used up. */
bool
use_once(int &count)
{
	if (count > 0)
		return --count == 0;
	if (count == WILL_RETURN_ALWAYS)
		count = WILL_RETURN_ONCE;
	return false;
}

bool
left_over(int count)
{
	return count > 0 || count == WILL_RETURN_ALWAYS;
}

bool
guards_intact(void *ptr, const Block &b)
{
	const unsigned char *p = static_cast<unsigned char *>(ptr);

	for (size_t i = 0; i < guard_size; i++)
		if (p[-1 - static_cast<ptrdiff_t>(i)] != guard_byte ||
		    p[b.size + i] != guard_byte)
			return false;
	return true;
}

void
release(void *ptr)
{
	std::free(static_cast<unsigned char *>(ptr) - guard_size);
}

void
check_leaks(int scope, const std::string &owner)
{
	std::vector<std::pair<Location, std::string>> leaks;
	{
		Lock l(mutex);
		for (auto it = blocks.begin(); it != blocks.end();) {
			if (it->second.scope != scope) {
				++it;
				continue;
			}
			leaks.emplace_back(it->second.where, sformat(
				"block of %zu bytes allocated here is still "
				"allocated at the end of %s%s", it->second.size,
				owner.c_str(), guards_intact(it->first, it->second) ?
				"" : " (and was written out of bounds)"));
			release(it->first);
			it = blocks.erase(it);
		}
	}
	for (const auto &leak : leaks)
		record_failure(leak.first.file, leak.first.line, leak.second);
}

/*
 * What a phase leaves queued fails it, by cmocka's rules: in each value or
 * parameter queue only a head already used as "always" (or a "maybe") is
 * let go, anything behind it is a leftover; in the call list every such
 * entry is let go.
 */
template <typename Q>
size_t
first_leftover(const Q &queue)
{
	return !queue.empty() && queue.front().count < WILL_RETURN_ALWAYS ?
		1 : 0;
}

bool
report_leftovers()
{
	std::vector<std::pair<Location, std::string>> msgs;
	{
		Lock l(mutex);
		for (const auto &q : ctx.values)
			for (size_t i = first_leftover(q.second);
			     i < q.second.size(); i++)
				msgs.emplace_back(q.second[i].where, sformat(
					"%s() has a value queued here by "
					"will_return() that mock() never "
					"returned", q.first.c_str()));
		for (const auto &q : ctx.expectations)
			for (size_t i = first_leftover(q.second);
			     i < q.second.size(); i++)
				msgs.emplace_back(q.second[i].where, sformat(
					"parameter %s of %s() was expected "
					"here but never checked",
					q.first.second.c_str(),
					q.first.first.c_str()));
		for (const auto &c : ctx.calls)
			if (left_over(c.count))
				msgs.emplace_back(c.where, sformat(
					"call to %s() expected here was not "
					"made", c.function.c_str()));
	}
	for (const auto &m : msgs)
		record_failure(m.first.file, m.first.line, m.second);
	return !msgs.empty();
}

void
reset_context()
{
	Lock l(mutex);
	ctx = Context();
}

/* Runs one cmocka function; false when it failed, skipped or left values. */
template <typename F>
bool
run_phase(const Group &g, F &&fn, bool *skipped = nullptr)
{
	bool done = false;

	reset_context();
	try {
		fn();
		done = true;
	} catch (const Abort &a) {
		if (skipped != nullptr)
			*skipped = a.skipped;
	} catch (const MockAssertion &a) {
		record_failure(g.file, g.line, sformat(
			"mock_assert(%s) escaped expect_assert_failure()",
			a.expression));
	} catch (const std::exception &e) {
		record_failure(g.file, g.line,
			std::string("uncaught C++ exception: ") + e.what());
	} catch (...) {
		record_failure(g.file, g.line,
			"uncaught C++ exception of unknown type");
	}
	/* As in cmocka, leftovers fail a setup: its test does not run. */
	if (done && report_leftovers())
		done = false;
	reset_context();
	return done;
}

/*
 * Group setup runs at the start of the group's first test and group
 * teardown at the end of its last one, so that what they report lands
 * on a test, in the console and in the XML report alike (GoogleTest 1.12
 * leaves failures of SetUpTestSuite() out of the XML report).
 */
class GroupTest : public testing::Test {
public:
	GroupTest(Group *group, size_t index) : group_(group), index_(index)
	{
	}

	static void
	SetUpTestSuite()
	{
		Group &g = *current_group;
		const testing::TestSuite *suite =
			testing::UnitTest::GetInstance()->current_test_suite();

		g.state = nullptr;
		g.setup_done = false;
		g.setup_failed = false;
		g.setup_skipped = false;
		g.teardown_done = false;
		g.to_run = suite != nullptr ? suite->test_to_run_count() : 0;
		g.ran = 0;
	}

	/* Only when GoogleTest skipped the last test (--gtest_fail_fast). */
	static void
	TearDownTestSuite()
	{
		Group &g = *current_group;

		if (g.setup_done && !g.teardown_done)
			group_teardown(g);
	}

protected:
	void
	TestBody() override
	{
		Group &g = *group_;

		if (!g.setup_done)
			group_setup(g);
		if (g.setup_failed)
			record_failure(g.file, g.line, sformat("group setup of %s "
				"failed; test %s not run", g.name.c_str(),
				g.tests[index_].name));
		else if (g.setup_skipped)
			[&]() { GTEST_SKIP() << "group setup of " << g.name
					     << " called skip()"; }();
		else
			run_test(g, g.tests[index_]);
		if (++g.ran == g.to_run)
			group_teardown(g);
	}

private:
	static void
	group_setup(Group &g)
	{
		int rc = 0;
		bool skipped = false;

		g.setup_done = true;
		alloc_scope = scope_group;
		if (g.setup == nullptr)
			return;
		bool done = run_phase(g, [&]() { rc = g.setup(&g.state); },
			&skipped);
		if (done && rc != 0)
			record_failure(g.file, g.line, sformat(
				"group setup of %s returned %d",
				g.name.c_str(), rc));
		g.setup_failed = (!done && !skipped) || rc != 0;
		g.setup_skipped = skipped;
	}

	static void
	group_teardown(Group &g)
	{
		int rc = 0;

		g.teardown_done = true;
		if (g.teardown != nullptr && !g.setup_failed &&
		    !g.setup_skipped) {
			bool done = run_phase(g,
				[&]() { rc = g.teardown(&g.state); });
			if (done && rc != 0)
				record_failure(g.file, g.line, sformat(
					"group teardown of %s returned %d",
					g.name.c_str(), rc));
		}
		check_leaks(scope_group, "group " + g.name);
		alloc_scope = scope_none;
	}

	static void
	run_test(const Group &g, const CMUnitTest &t)
	{
		void *state = g.state != nullptr ? g.state : t.initial_state;
		int rc = 0;
		bool ok = true;

		alloc_scope = scope_test;
		if (t.setup_func != nullptr) {
			ok = run_phase(g, [&]() { rc = t.setup_func(&state); });
			if (ok && rc != 0) {
				record_failure(g.file, g.line, sformat(
					"setup of test %s returned %d; test "
					"not run", t.name, rc));
				ok = false;
			}
		}
		if (ok) {
			run_phase(g, [&]() { t.test_func(&state); });
			if (t.teardown_func != nullptr &&
			    run_phase(g, [&]() { rc = t.teardown_func(&state); }) &&
			    rc != 0)
				record_failure(g.file, g.line, sformat(
					"teardown of test %s returned %d",
					t.name, rc));
		}
		check_leaks(scope_test, std::string("test ") + t.name);
		alloc_scope = scope_group;
	}

	Group *group_;
	size_t index_;
};

/* cmocka's test filters: '*' and '?' wildcards. */
bool
glob(const char *pattern, const char *s)
{
	if (*pattern == '\0')
		return *s == '\0';
	if (*pattern == '*')
		return glob(pattern + 1, s) || (*s != '\0' && glob(pattern, s + 1));
	if (*s == '\0')
		return false;
	return (*pattern == '?' || *pattern == *s) && glob(pattern + 1, s + 1);
}

std::string
sanitize(const std::string &name)
{
	std::string s = name.empty() ? std::string("tests") : name;

	for (char &c : s)
		if (!isalnum(static_cast<unsigned char>(c)) && c != '_')
			c = '_';
	return s;
}

void
init_gtest()
{
	static bool done;
	static std::vector<std::string> args;
	static std::vector<char *> argv;

	if (done)
		return;
	done = true;

	/* main(void) has no argv: take the command line from the kernel. */
	std::ifstream in("/proc/self/cmdline", std::ios::binary);
	std::string all((std::istreambuf_iterator<char>(in)),
		std::istreambuf_iterator<char>());
	for (size_t pos = 0; pos < all.size();) {
		size_t end = all.find('\0', pos);
		if (end == std::string::npos)
			end = all.size();
		args.push_back(all.substr(pos, end - pos));
		pos = end + 1;
	}
	if (args.empty())
		args.push_back("cmocka-test");
	for (auto &a : args)
		argv.push_back(&a[0]);
	argv.push_back(nullptr);

	/* cmocka's XML switch, unless GoogleTest's own is given. */
	const char *output = getenv("CMOCKA_MESSAGE_OUTPUT");
	const char *xml_file = getenv("CMOCKA_XML_FILE");
	if (getenv("GTEST_OUTPUT") == nullptr && output != nullptr &&
	    strcasecmp(output, "xml") == 0 && xml_file != nullptr) {
		GTEST_FLAG_SET(output, std::string("xml:") + xml_file);
	}

	int argc = static_cast<int>(args.size());
	testing::InitGoogleTest(&argc, argv.data());
	user_filter = GTEST_FLAG_GET(filter);
	std::string report = GTEST_FLAG_GET(output);
	if (report.compare(0, 4, "xml:") == 0 && report.size() > 4 &&
	    report.back() != '/')
		xml_path = report.substr(4);
	std::set_terminate(on_terminate);
}

long
xml_attr(const std::string &tag, const char *name)
{
	std::string key = std::string(" ") + name + "=\"";
	size_t at = tag.find(key);

	return at == std::string::npos ? 0 :
		strtol(tag.c_str() + at + key.size(), nullptr, 10);
}

std::string
with_xml_attr(std::string tag, const char *name, long value)
{
	std::string key = std::string(" ") + name + "=\"";
	size_t at = tag.find(key);

	if (at == std::string::npos)
		return tag;
	at += key.size();
	size_t end = tag.find('"', at);
	if (end != std::string::npos)
		tag.replace(at, end - at, std::to_string(value));
	return tag;
}

/*
 * GoogleTest rewrites its XML report at the end of each run, so each
 * group's run would lose the groups run before: after each run, name the
 * file after the group if its name holds %g (as CMOCKA_XML_FILE does),
 * or else put the earlier groups' test suites back into it.
 */
void
merge_xml_report(const std::string &suite)
{
	static const char *const counts[] = {
		"tests", "failures", "disabled", "errors",
	};
	static std::string earlier;
	static long earlier_counts[4];

	if (xml_path.empty())
		return;
	size_t g = xml_path.find("%g");
	if (g != std::string::npos) {
		std::string named = xml_path;
		named.replace(g, 2, suite);
		if (rename(xml_path.c_str(), named.c_str()) != 0)
			fprintf(stderr, "cmocka-gtest: cannot rename %s: %s\n",
				xml_path.c_str(), strerror(errno));
		return;
	}

	std::ifstream in(xml_path, std::ios::binary);
	std::string xml((std::istreambuf_iterator<char>(in)),
		std::istreambuf_iterator<char>());
	in.close();
	size_t open = xml.find("<testsuites");
	size_t body = open == std::string::npos ? open : xml.find('>', open);
	size_t close = xml.rfind("</testsuites>");
	if (body == std::string::npos || close == std::string::npos ||
	    close < body)
		return;
	body++;
	std::string header = xml.substr(open, body - open);
	std::string suites = xml.substr(body, close - body);
	std::string merged = header;
	for (size_t i = 0; i < 4; i++) {
		long n = xml_attr(header, counts[i]);
		merged = with_xml_attr(merged, counts[i], n + earlier_counts[i]);
		earlier_counts[i] += n;
	}
	if (!earlier.empty()) {
		std::ofstream out(xml_path, std::ios::binary | std::ios::trunc);
		out << xml.substr(0, open) << merged << earlier << suites
		    << xml.substr(close);
	}
	earlier += suites;
}

} /* namespace */

void
do_assert_true(bool ok, const char *what, const char *expr, const char *file,
	int line)
{
	static const std::map<std::string, const char *> why = {
		{"assert_true", "is false"},
		{"assert_false", "is true"},
		{"assert_non_null", "is NULL"},
		{"assert_null", "is not NULL"},
	};

	if (ok)
		return;
	auto it = why.find(what);
	fail_now(file, line, sformat("%s(%s) failed: %s %s", what, expr, expr,
		it != why.end() ? it->second : "is wrong"));
}

namespace {

/* The end of every <what>_equal and <what>_not_equal assertion. */
template <typename ShowA, typename ShowB>
void
check_pair(bool equal, bool want_equal, const char *what, const char *ea,
	const char *eb, ShowA show_a, ShowB show_b, const char *file, int line)
{
	if (equal == want_equal)
		return;
	if (want_equal)
		fail_now(file, line, sformat("%s_equal(%s, %s) failed: %s != %s",
			what, ea, eb, show_a().c_str(), show_b().c_str()));
	fail_now(file, line, sformat("%s_not_equal(%s, %s) failed: both are %s",
		what, ea, eb, show_a().c_str()));
}

} /* namespace */

void
do_assert_int(bool want_equal, Int a, Int b, const char *ea, const char *eb,
	const char *file, int line)
{
	check_pair(a.value == b.value, want_equal, "assert_int", ea, eb,
		[&]() { return show(a); }, [&]() { return show(b); }, file,
		line);
}

void
do_assert_ptr(bool want_equal, uintmax_t a, uintmax_t b, const char *ea,
	const char *eb, const char *file, int line)
{
	check_pair(a == b, want_equal, "assert_ptr", ea, eb,
		[&]() { return show_ptr(a); }, [&]() { return show_ptr(b); },
		file, line);
}

void
do_assert_float(bool want_equal, float a, float b, float epsilon,
	const char *ea, const char *eb, const char *file, int line)
{
	/* cmocka's rule: within epsilon, or within FLT_EPSILON relative. */
	float diff = std::fabs(a - b);
	float largest = std::fmax(std::fabs(a), std::fabs(b));
	bool equal = diff <= epsilon || diff <= largest * FLT_EPSILON;

	if (equal == want_equal)
		return;
	fail_now(file, line, sformat("%s(%s, %s) failed: %.9g %s %.9g "
		"(epsilon %.9g)", want_equal ? "assert_float_equal" :
		"assert_float_not_equal", ea, eb, static_cast<double>(a),
		want_equal ? "!=" : "==", static_cast<double>(b),
		static_cast<double>(epsilon)));
}

void
do_assert_string(bool want_equal, const char *a, const char *b, const char *ea,
	const char *eb, const char *file, int line)
{
	bool equal = (a != nullptr && b != nullptr) ? strcmp(a, b) == 0 :
		a == b;

	check_pair(equal, want_equal, "assert_string", ea, eb,
		[&]() { return show_string(a); },
		[&]() { return show_string(b); }, file, line);
}

void
do_assert_memory(bool want_equal, const void *a, const void *b, size_t size,
	const char *ea, const char *eb, const char *file, int line)
{
	const char *what = want_equal ? "assert_memory_equal" :
		"assert_memory_not_equal";

	if (a == nullptr || b == nullptr)
		fail_now(file, line, sformat("%s(%s, %s) failed: %s is NULL",
			what, ea, eb, a == nullptr ? ea : eb));

	const unsigned char *pa = static_cast<const unsigned char *>(a);
	const unsigned char *pb = static_cast<const unsigned char *>(b);
	size_t differ = 0;
	size_t first = 0;
	for (size_t i = 0; i < size; i++) {
		if (pa[i] != pb[i] && differ++ == 0)
			first = i;
	}
	if ((differ == 0) == want_equal)
		return;
	if (want_equal)
		fail_now(file, line, sformat("%s(%s, %s) failed: %zu of %zu "
			"bytes differ, first at offset %zu: 0x%02x != 0x%02x",
			what, ea, eb, differ, size, first, pa[first],
			pb[first]));
	fail_now(file, line, sformat("%s(%s, %s) failed: all %zu bytes are "
		"equal", what, ea, eb, size));
}

void
do_assert_range(bool want_in, Int value, Int minimum, Int maximum,
	const char *expr, const char *file, int line)
{
	bool in = minimum.value <= value.value && value.value <= maximum.value;

	if (in == want_in)
		return;
	fail_now(file, line, sformat("%s(%s, ...) failed: %s is %swithin "
		"[%s, %s]", want_in ? "assert_in_range" : "assert_not_in_range",
		expr, show(value).c_str(), want_in ? "not " : "",
		show(minimum).c_str(), show(maximum).c_str()));
}

namespace {

std::string
show_set(const uintmax_t *values, size_t count)
{
	std::string s = "{";

	for (size_t i = 0; i < count; i++)
		s += (i ? ", " : "") + show(values[i]);
	return s + "}";
}

bool
in_set(uintmax_t v, const uintmax_t *values, size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (values[i] == v)
			return true;
	return false;
}

} /* namespace */

void
do_assert_set(bool want_in, Int value, const LargestIntegralType values[],
	size_t count, const char *expr, const char *file, int line)
{
	if (in_set(value.value, values, count) == want_in)
		return;
	fail_now(file, line, sformat("%s(%s, ...) failed: %s is %sin %s",
		want_in ? "assert_in_set" : "assert_not_in_set", expr,
		show(value).c_str(), want_in ? "not " : "",
		show_set(values, count).c_str()));
}

void
do_assert_return_code(Int rc, uintmax_t error, const char *expr,
	const char *file, int line)
{
	bool negative = rc.negative;

	/* An unsigned operand is negative if its top bit is set. */
	if (rc.size > 1 && rc.size <= sizeof(uintmax_t))
		negative = negative || ((rc.value >> (rc.size * 8 - 1)) & 1);
	if (!negative)
		return;
	if (error > 0)
		fail_now(file, line, sformat("assert_return_code(%s) failed: "
			"%s < 0, errno %ju (%s)", expr, show(rc).c_str(),
			error, strerror(static_cast<int>(error))));
	fail_now(file, line, sformat("assert_return_code(%s) failed: %s < 0",
		expr, show(rc).c_str()));
}

void
do_fail(const char *file, int line)
{
	fail_now(file, line, "fail() called");
}

void
do_fail_msg(const char *file, int line, const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	std::string msg = format(fmt, args);
	va_end(args);
	fail_now(file, line, msg);
}

void
do_skip(const char *file, int line)
{
	if (!in_run) {
		fprintf(stderr, "%s:%d: skip() outside of a test run\n", file,
			line);
		std::exit(EXIT_FAILURE);
	}
	if (getpid() != runner_pid) {
		fprintf(stderr, "%s:%d: skip() in forked child %d, exiting\n",
			file, line, static_cast<int>(getpid()));
		fflush(stderr);
		_exit(EXIT_FAILURE);
	}
	[&]() { GTEST_SKIP() << "skip() at " << file << ":" << line; }();
	throw Abort{true};
}

void
do_will_return(const char *function, const char *file, int line,
	uintmax_t value, int count)
{
	if (!valid_count(count))
		fail_now(file, line, sformat("will_return_count(%s, ..., %d): "
			"count must be positive, WILL_RETURN_ALWAYS or "
			"WILL_RETURN_ONCE", function, count));
	Lock l(mutex);
	ctx.values[function].push_back(Value{value, count, {file, line}});
}

uintmax_t
do_mock_value(const char *function, const char *file, int line)
{
	Location last;
	{
		Lock l(mutex);
		auto it = ctx.values.find(function);
		if (it != ctx.values.end() && !it->second.empty()) {
			Value &v = it->second.front();
			uintmax_t value = v.value;
			ctx.last_mock = v.where;
			if (use_once(v.count))
				it->second.pop_front();
			return value;
		}
		last = ctx.last_mock;
	}
	fail_now(file, line, sformat("mock() in %s(): no value queued by "
		"will_return(%s, ...)%s", function, function,
		last.file == nullptr ? "" : (" (last value returned was queued "
		"at " + where(last) + ")").c_str()));
}

namespace {

void
add_expectation(const char *function, const char *parameter, Expectation e)
{
	if (!valid_count(e.count))
		fail_now(e.where.file, e.where.line, sformat("expectation for "
			"parameter %s of %s(): bad count %d", parameter,
			function, e.count));
	Lock l(mutex);
	ctx.expectations[std::make_pair(std::string(function),
		std::string(parameter))].push_back(std::move(e));
}

Expectation
expectation(Check kind, const char *file, int line, int count)
{
	Expectation e;

	e.kind = kind;
	e.count = count;
	e.where = Location{file, line};
	e.expected = Int{0, false, sizeof(uintmax_t)};
	e.minimum = 0;
	e.maximum = 0;
	e.check = nullptr;
	return e;
}

/* Why value does not meet e, or an empty string when it does. */
std::string
mismatch(const Expectation &e, const Int &value)
{
	const char *s = reinterpret_cast<const char *>(
		static_cast<uintptr_t>(value.value));
	bool ok = true;

	switch (e.kind) {
	case Check::value:
		if (value.value != e.expected.value)
			return show(value) + " != " + show(e.expected);
		break;
	case Check::not_value:
		if (value.value == e.expected.value)
			return show(value) + " == " + show(e.expected);
		break;
	case Check::in_set:
	case Check::not_in_set:
		ok = in_set(value.value, e.set.data(), e.set.size()) ==
			(e.kind == Check::in_set);
		if (!ok)
			return show(value) + (e.kind == Check::in_set ?
				" is not in " : " is in ") +
				show_set(e.set.data(), e.set.size());
		break;
	case Check::in_range:
	case Check::not_in_range:
		ok = (e.minimum <= value.value && value.value <= e.maximum) ==
			(e.kind == Check::in_range);
		if (!ok)
			return show(value) + (e.kind == Check::in_range ?
				" is not within [" : " is within [") +
				show(e.minimum) + ", " + show(e.maximum) + "]";
		break;
	case Check::string:
	case Check::not_string:
		ok = (s != nullptr && e.text == s) == (e.kind == Check::string);
		if (!ok)
			return show_string(s) + (e.kind == Check::string ?
				" != " : " == ") + show_string(e.text.c_str());
		break;
	case Check::memory:
	case Check::not_memory:
		ok = (s != nullptr && memcmp(s, e.bytes.data(),
			e.bytes.size()) == 0) == (e.kind == Check::memory);
		if (!ok)
			return sformat("%zu bytes at %s %s the expected ones",
				e.bytes.size(), show_ptr(value.value).c_str(),
				e.kind == Check::memory ? "differ from" :
				"equal");
		break;
	case Check::any:
		break;
	case Check::custom:
		if (e.check(value.value, e.minimum) == 0)
			return "check function rejected " + show(value);
		break;
	}
	return std::string();
}

} /* namespace */

void
do_expect_check(const char *function, const char *parameter, const char *file,
	int line, CheckParameterValue check, uintmax_t check_data, int count)
{
	Expectation e = expectation(Check::custom, file, line, count);

	e.check = check;
	e.minimum = check_data;
	add_expectation(function, parameter, std::move(e));
}

void
do_expect_value(const char *function, const char *parameter, const char *file,
	int line, bool want_equal, Int value, int count)
{
	Expectation e = expectation(want_equal ? Check::value :
		Check::not_value, file, line, count);

	e.expected = value;
	add_expectation(function, parameter, std::move(e));
}

void
do_expect_set(const char *function, const char *parameter, const char *file,
	int line, bool want_in, const LargestIntegralType values[], size_t n,
	int count)
{
	Expectation e = expectation(want_in ? Check::in_set :
		Check::not_in_set, file, line, count);

	e.set.assign(values, values + n);
	add_expectation(function, parameter, std::move(e));
}

void
do_expect_range(const char *function, const char *parameter, const char *file,
	int line, bool want_in, uintmax_t minimum, uintmax_t maximum, int count)
{
	Expectation e = expectation(want_in ? Check::in_range :
		Check::not_in_range, file, line, count);

	e.minimum = minimum;
	e.maximum = maximum;
	add_expectation(function, parameter, std::move(e));
}

void
do_expect_string(const char *function, const char *parameter, const char *file,
	int line, bool want_equal, const char *string, int count)
{
	Expectation e = expectation(want_equal ? Check::string :
		Check::not_string, file, line, count);

	if (string == nullptr)
		fail_now(file, line, sformat("expect_string(%s, %s, NULL): "
			"the expected string is NULL", function, parameter));
	e.text = string;
	add_expectation(function, parameter, std::move(e));
}

void
do_expect_memory(const char *function, const char *parameter, const char *file,
	int line, bool want_equal, const void *memory, size_t size, int count)
{
	Expectation e = expectation(want_equal ? Check::memory :
		Check::not_memory, file, line, count);
	const unsigned char *p = static_cast<const unsigned char *>(memory);

	if (p == nullptr || size == 0)
		fail_now(file, line, sformat("expect_memory(%s, %s, ...): "
			"expected memory is NULL or empty", function,
			parameter));
	e.bytes.assign(p, p + size);
	add_expectation(function, parameter, std::move(e));
}

void
do_expect_any(const char *function, const char *parameter, const char *file,
	int line, int count)
{
	add_expectation(function, parameter,
		expectation(Check::any, file, line, count));
}

void
do_check_expected(const char *function, const char *parameter,
	const char *file, int line, Int value)
{
	Expectation e;
	{
		Lock l(mutex);
		auto it = ctx.expectations.find(std::make_pair(
			std::string(function), std::string(parameter)));
		if (it == ctx.expectations.end() || it->second.empty())
			fail_now(file, line, sformat("check_expected(%s) in "
				"%s(): no expectation queued for this "
				"parameter (value %s)", parameter, function,
				show(value).c_str()));
		e = it->second.front();
		if (use_once(it->second.front().count))
			it->second.pop_front();
	}
	std::string why = mismatch(e, value);
	if (!why.empty())
		fail_now(file, line, sformat("parameter %s of %s(): %s "
			"(expectation declared at %s)", parameter, function,
			why.c_str(), where(e.where).c_str()));
}

void
do_expect_function_call(const char *function, const char *file, int line,
	int count)
{
	if (!valid_count(count))
		fail_now(file, line, sformat("expect_function_calls(%s, %d): "
			"bad count", function, count));
	Lock l(mutex);
	ctx.calls.push_back(Call{function, count, {file, line}});
}

void
do_function_called(const char *function, const char *file, int line)
{
	std::string expected;
	{
		Lock l(mutex);
		/* Calls already satisfied may be passed over; others may not. */
		for (auto it = ctx.calls.begin(); it != ctx.calls.end(); ++it) {
			if (it->function == function) {
				if (use_once(it->count))
					ctx.calls.erase(it);
				return;
			}
			if (left_over(it->count)) {
				expected = it->function;
				break;
			}
		}
	}
	if (expected.empty())
		fail_now(file, line, sformat("%s() called but no call to it "
			"was expected", function));
	fail_now(file, line, sformat("%s() called where a call to %s() was "
		"expected", function, expected.c_str()));
}

void *
do_test_malloc(size_t size, const char *file, int line)
{
	if (size > SIZE_MAX - 2 * guard_size)
		return nullptr;
	unsigned char *raw = static_cast<unsigned char *>(
		std::malloc(size + 2 * guard_size));
	if (raw == nullptr)
		return nullptr;
	memset(raw, guard_byte, guard_size);
	memset(raw + guard_size + size, guard_byte, guard_size);
	void *ptr = raw + guard_size;
	Lock l(mutex);
	blocks[ptr] = Block{size, {file, line}, alloc_scope};
	return ptr;
}

void *
do_test_calloc(size_t n, size_t size, const char *file, int line)
{
	if (size != 0 && n > SIZE_MAX / size)
		return nullptr;
	void *ptr = do_test_malloc(n * size, file, line);
	if (ptr != nullptr)
		memset(ptr, 0, n * size);
	return ptr;
}

void
do_test_free(void *ptr, const char *file, int line)
{
	Block b;

	if (ptr == nullptr)
		return;
	{
		Lock l(mutex);
		auto it = blocks.find(ptr);
		if (it == blocks.end())
			fail_now(file, line, sformat("test_free(%p): not a "
				"block from test_malloc(), or freed twice",
				ptr));
		b = it->second;
		blocks.erase(it);
	}
	bool intact = guards_intact(ptr, b);
	release(ptr);
	if (!intact)
		fail_now(file, line, sformat("test_free(): block of %zu bytes "
			"allocated at %s was written out of bounds", b.size,
			where(b.where).c_str()));
}

void *
do_test_realloc(void *ptr, size_t size, const char *file, int line)
{
	size_t old_size;

	if (ptr == nullptr)
		return do_test_malloc(size, file, line);
	if (size == 0) {
		do_test_free(ptr, file, line);
		return nullptr;
	}
	{
		Lock l(mutex);
		auto it = blocks.find(ptr);
		if (it == blocks.end())
			fail_now(file, line, sformat("test_realloc(%p): not a "
				"block from test_malloc()", ptr));
		old_size = it->second.size;
	}
	void *fresh = do_test_malloc(size, file, line);
	if (fresh == nullptr)
		return nullptr;
	memcpy(fresh, ptr, old_size < size ? old_size : size);
	do_test_free(ptr, file, line);
	return fresh;
}

void
expecting_assert(bool on)
{
	Lock l(mutex);
	ctx.expecting_assert = on;
}

void
expect_assert_done(bool caught, const char *call, const char *file, int line)
{
	if (!caught)
		fail_now(file, line, sformat("expect_assert_failure(%s) "
			"failed: no mock_assert() failed", call));
}

int
run_group(const char *group_name, const struct CMUnitTest *tests,
	size_t num_tests, CMFixtureFunction group_setup,
	CMFixtureFunction group_teardown, const char *file, int line)
{
	groups.push_back(std::make_unique<Group>());
	Group *g = groups.back().get();

	g->name = group_name != nullptr ? group_name : "tests";
	g->suite = sanitize(g->name);
	for (int n = 2;; n++) {
		bool clash = false;
		for (const auto &other : groups)
			clash = clash || (other.get() != g &&
				other->suite == g->suite);
		if (!clash)
			break;
		g->suite = sanitize(g->name) + "_" + std::to_string(n);
	}
	g->setup = group_setup;
	g->teardown = group_teardown;
	g->state = nullptr;
	g->setup_done = false;
	g->setup_failed = false;
	g->setup_skipped = false;
	g->teardown_done = false;
	g->to_run = 0;
	g->ran = 0;
	g->file = file;
	g->line = line;
	init_gtest();

	std::map<std::string, int> seen;
	for (size_t i = 0; i < num_tests; i++) {
		const CMUnitTest &t = tests[i];
		if (t.name == nullptr || t.test_func == nullptr)
			continue;
		if (!test_filter.empty() && !glob(test_filter.c_str(), t.name))
			continue;
		if (!skip_filter.empty() && glob(skip_filter.c_str(), t.name))
			continue;
		std::string name = t.name;
		int n = ++seen[name];
		if (n > 1)
			name += "_" + std::to_string(n);
		g->tests.push_back(t);
		g->test_names.push_back(name);
	}
	for (size_t i = 0; i < g->tests.size(); i++)
		testing::RegisterTest(g->suite.c_str(),
			g->test_names[i].c_str(), nullptr, nullptr, file, line,
			[g, i]() -> GroupTest * { return new GroupTest(g, i); });

	/* Later groups run alone: leave out the suites already run. */
	std::string filter = user_filter;
	if (!ran_suites.empty()) {
		filter += filter.find('-') == std::string::npos ? "-" : ":";
		for (size_t i = 0; i < ran_suites.size(); i++)
			filter += (i ? ":" : "") + ran_suites[i] + ".*";
	}
	GTEST_FLAG_SET(filter, filter);

	current_group = g;
	runner_pid = getpid();
	in_run = true;
	int rc = RUN_ALL_TESTS();
	in_run = false;
	current_group = nullptr;
	ran_suites.push_back(g->suite);
	GTEST_FLAG_SET(filter, user_filter);
	merge_xml_report(g->suite);
	fflush(stdout);
	return rc;
}

} /* namespace cmocka_gtest */

using cmocka_gtest::ctx;
using cmocka_gtest::Lock;
using cmocka_gtest::mutex;

void
vprint_message(const char *const format, va_list args)
{
	vprintf(format, args);
	fflush(stdout);
}

void
vprint_error(const char *const format, va_list args)
{
	std::string s = cmocka_gtest::format(format, args);

	fputs(s.c_str(), stderr);
	if (cmocka_gtest::in_run) {
		Lock l(mutex);
		ctx.error_log += s;
	}
}

void
print_message(const char *const format, ...)
{
	va_list args;

	va_start(args, format);
	vprint_message(format, args);
	va_end(args);
}

void
print_error(const char *const format, ...)
{
	va_list args;

	va_start(args, format);
	vprint_error(format, args);
	va_end(args);
}

void
mock_assert(const int result, const char *const expression,
	const char *const file, const int line)
{
	bool expecting;

	if (result)
		return;
	{
		Lock l(mutex);
		expecting = ctx.expecting_assert;
	}
	if (expecting)
		throw cmocka_gtest::MockAssertion{expression};
	cmocka_gtest::fail_now(file, line, cmocka_gtest::sformat(
		"mock_assert(%s) failed", expression));
}

void
cmocka_set_message_output(enum cm_message_output output)
{
	(void)output;
}

void
cmocka_set_test_filter(const char *pattern)
{
	cmocka_gtest::test_filter = pattern != nullptr ? pattern : "";
}

void
cmocka_set_skip_filter(const char *pattern)
{
	cmocka_gtest::skip_filter = pattern != nullptr ? pattern : "";
}
