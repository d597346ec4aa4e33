/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/*
 * What the libFuzzer targets share: an input turned into an argv (arguments
 * separated by NUL bytes), and a way back from the apps' mpc::fail(), which
 * prints its line and calls exit(): the targets link with -Wl,--wrap=exit,
 * and while a parser runs exit() throws instead.
 */

#ifndef FUZZ_COMMON_H
#define FUZZ_COMMON_H

#include <getopt.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <string>
#include <vector>

namespace fuzz {

struct exited {
	int status;
};

/* Set while a parser runs: exit() then throws fuzz::exited. */
extern bool catch_exit;

/* An argv of the app name and the NUL-separated arguments of the input. */
struct args {
	std::vector<std::string> store;
	std::vector<char *> argv;

	args(const char *name, const uint8_t *data, size_t size)
	{
		store.emplace_back(name);
		std::string cur;
		for (size_t i = 0; i < size; i++) {
			if (data[i] == '\0') {
				store.push_back(cur);
				cur.clear();
			} else {
				cur += static_cast<char>(data[i]);
			}
		}
		if (!cur.empty())
			store.push_back(cur);
		for (auto &s : store)
			argv.push_back(&s[0]);
		argv.push_back(nullptr);
	}
	int argc() const { return static_cast<int>(argv.size() - 1); }
};

/*
 * A memzone that another build wrote, as an app finds it: exactly len bytes
 * (so that AddressSanitizer catches a read past its end), cache-line aligned
 * like every memzone, holding the input's bytes and zeros after them.
 */
struct memzone {
	void *addr = nullptr;
	size_t len;

	memzone(size_t length, const uint8_t *data, size_t size) : len(length)
	{
		if (posix_memalign(&addr, 64, len) != 0)
			abort();
		memset(addr, 0, len);
		memcpy(addr, data, size < len ? size : len);
	}
	~memzone() { free(addr); }
	memzone(const memzone &) = delete;
	memzone &operator=(const memzone &) = delete;
};

/* Take n bytes off the front of the input as a little-endian number (0 when short). */
static inline uint64_t
take(const uint8_t *&data, size_t &size, size_t n)
{
	uint64_t v = 0;

	for (size_t i = 0; i < n && size > 0; i++, size--)
		v |= static_cast<uint64_t>(*data++) << (8 * i);
	return v;
}

/* Forget what getopt() kept of the last parse (it may have stopped mid-word). */
static inline void
reset_getopt()
{
	static char prog[] = "fuzz";
	static char *none[] = { prog, nullptr };

	optind = 0;
	opterr = 0;
	getopt(1, none, "");
}

/* Run a parser that may call exit(); return its exit status, or -1 if it returned. */
template <typename F>
int
run_parser(F &&f)
{
	reset_getopt();
	catch_exit = true;
	try {
		f();
	} catch (const exited &e) {
		catch_exit = false;
		return e.status;
	}
	catch_exit = false;
	return -1;
}

/*
 * An app's option parser on the input, as the app's name and arguments:
 * parse(argc, argv) either returns or fails with exit(EXIT_FAILURE) (any
 * other exit aborts). @return true when it returned: the options it
 * accepted must then be checked by the caller.
 */
template <typename F>
bool
parse_options(const char *app, const uint8_t *data, size_t size, F &&parse)
{
	args a(app, data, size);
	const int status = run_parser([&] { parse(a.argc(), a.argv.data()); });

	if (status != -1 && status != EXIT_FAILURE)
		abort();
	return status == -1;
}

} /* namespace fuzz */

#endif /* FUZZ_COMMON_H */
