/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

#include "mp_common.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <string>
#include <utility>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_log.h>
#include <rte_mpsupport.h>
#include <rte_telemetry.h>

namespace mpc {

namespace {

/* What the helpers know about the app that uses them. */
struct app_state {
	const char *name = "app";
	const char *error_tag = "error: ";
	bool eal_up = false;
	void (*at_fail)() = nullptr;
	std::atomic<bool> quit{false};
};
static_assert(std::atomic<bool>::is_always_lock_free, "signal handlers need it lock-free");

app_state app;

void
on_signal(int)
{
	request_quit();
}

void
install_signal_handlers()
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, nullptr);
	sigaction(SIGTERM, &sa, nullptr);
	sigaction(SIGHUP, &sa, nullptr);
	signal(SIGUSR2, SIG_IGN);
	/* started with them blocked, some maybe pending: they are handled now */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
}

/*
 * While rte_eal_init() runs, what the EAL logs at error level and what
 * getopt() prints about an EAL option go through here on their way to
 * stderr, so that the error line can say why the EAL refused.
 */
struct eal_capture {
	FILE *out;		/* the real stderr */
	std::string argv0;	/* getopt() signs its complaints with it */
	std::string partial;
	std::string reasons;
};

void
capture_line(eal_capture &c, const std::string &line)
{
	std::string text;
	const std::string getopt_sign = c.argv0 + ": ";

	if (line.compare(0, getopt_sign.size(), getopt_sign) == 0)
		text = line.substr(getopt_sign.size());
	else if (rte_log_cur_msg_loglevel() > 0 &&
		 rte_log_cur_msg_loglevel() <= static_cast<int>(RTE_LOG_ERR))
		text = line.compare(0, 5, "EAL: ") == 0 ? line.substr(5) : line;
	/* The EAL repeats the first reason as FATAL, then in general terms. */
	if (text.empty() || text.compare(0, 7, "FATAL: ") == 0 || c.reasons.size() > 400)
		return;
	if (!c.reasons.empty() && text == "Invalid 'command line' arguments.")
		return;
	/* getopt() and the EAL may say the same thing twice. */
	if (c.reasons.find(text) != std::string::npos)
		return;
	if (!c.reasons.empty())
		c.reasons += "; ";
	c.reasons += text;
}

ssize_t
capture_write(void *cookie, const char *buf, size_t size)
{
	auto &c = *static_cast<eal_capture *>(cookie);

	fwrite(buf, 1, size, c.out);
	fflush(c.out);
	for (size_t i = 0; i < size; i++) {
		if (buf[i] != '\n') {
			c.partial += buf[i];
			continue;
		}
		capture_line(c, c.partial);
		c.partial.clear();
	}
	return static_cast<ssize_t>(size);
}

} /* namespace */

int
scan_eal_args(int argc, char *const argv[], eal_request &req, std::string &err)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *val = nullptr;
		std::string name;

		if (strcmp(a, "--") == 0)
			break;
		if (strncmp(a, "--", 2) != 0)
			continue;
		const char *eq = strchr(a, '=');
		if (eq != nullptr) {
			name.assign(a, static_cast<size_t>(eq - a));
			val = eq + 1;
		} else {
			name = a;
		}
		if (name == "--no-shconf" || name == "--in-memory") {
			req.no_shconf = true;
			continue;
		}
		if (name == "--no-huge") {
			req.no_huge = true;
			continue;
		}
		if (name != "--file-prefix" && name != "--proc-type")
			continue;
		if (val == nullptr) {
			if (i + 1 >= argc || strcmp(argv[i + 1], "--") == 0) {
				err = "option '" + name + "' needs a value";
				return -EINVAL;
			}
			val = argv[++i];
		}
		if (name == "--file-prefix") {
			if (*val == '\0' || strchr(val, '/') != nullptr) {
				err = std::string("invalid --file-prefix '") + val +
					"' (a non-empty name without '/')";
				return -EINVAL;
			}
			req.file_prefix = val;
		} else {
			if (strcmp(val, "primary") != 0 && strcmp(val, "secondary") != 0 &&
			    strcmp(val, "auto") != 0) {
				err = std::string("invalid --proc-type '") + val +
					"' (primary, secondary or auto)";
				return -EINVAL;
			}
			req.proc_type = val;
		}
	}
	return 0;
}

std::string
runtime_dir(const std::string &file_prefix)
{
	/* Where the EAL puts it: /var/run for root, else $XDG_RUNTIME_DIR or /tmp. */
	std::string base = "/var/run";

	if (getuid() != 0) {
		const char *xdg = getenv("XDG_RUNTIME_DIR");
		base = xdg != nullptr ? xdg : "/tmp";
	}
	return base + "/dpdk/" + file_prefix;
}

group_probe
probe_group(const std::string &dir)
{
	group_probe g;
	const std::string config = dir + "/config";
	int fd = open(config.c_str(), O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		/* The primary holds a write lock on its config file for its whole life. */
		struct flock fl = {};
		fl.l_type = F_WRLCK;
		fl.l_whence = SEEK_SET;
		if (fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK)
			g.primary = fl.l_pid;
		close(fd);
		g.has_config = true;
	}

	/* Every process of the group holds a flock on each memory file it maps. */
	std::vector<std::pair<dev_t, ino_t>> files;
	DIR *d = opendir(dir.c_str());
	if (d == nullptr)
		return g;
	while (struct dirent *e = readdir(d)) {
		struct stat st;
		if (strncmp(e->d_name, "fbarray_", 8) != 0)
			continue;
		if (stat((dir + "/" + e->d_name).c_str(), &st) == 0)
			files.emplace_back(st.st_dev, st.st_ino);
	}
	closedir(d);

	FILE *locks = fopen("/proc/locks", "re");
	if (locks == nullptr)
		return g;
	char line[256];
	while (fgets(line, sizeof(line), locks) != nullptr) {
		char kind[16], mode[16], rw[16];
		int pid;
		unsigned int maj, min;
		unsigned long ino;

		/* "1: FLOCK  ADVISORY  READ 1234 00:1a:5678 0 EOF"; waiters have "->". */
		if (sscanf(line, "%*d: %15s %15s %15s %d %x:%x:%lu", kind, mode, rw, &pid,
			   &maj, &min, &ino) != 7 || strcmp(kind, "FLOCK") != 0)
			continue;
		if (pid == getpid() || pid == g.primary)
			continue;
		for (const auto &f : files) {
			if (major(f.first) != maj || minor(f.first) != min || f.second != ino)
				continue;
			if (std::find(g.attached.begin(), g.attached.end(), pid) ==
			    g.attached.end())
				g.attached.push_back(pid);
		}
	}
	fclose(locks);
	std::sort(g.attached.begin(), g.attached.end());
	return g;
}

/*
 * What format() and fail() print, cut at 511 bytes (the guides' checks find
 * the formats). On the stack: fail() must free nothing before exit().
 */
struct message {
	char text[512];
};

static message vformat(const char *fmt, va_list ap) __rte_format_printf(1, 0);

static message
vformat(const char *fmt, va_list ap)
{
	message m;

	vsnprintf(m.text, sizeof(m.text), fmt, ap);
	return m;
}

std::string
format(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	const message m = vformat(fmt, ap);
	va_end(ap);
	return m.text;
}

std::string
check_group(const eal_request &req, const group_probe &probe)
{
	const char *prefix = req.file_prefix.c_str();

	if (req.no_shconf)
		return "";
	if (req.proc_type == "secondary") {
		/* A dead primary's secondaries may be joined (its memory is still there). */
		if (probe.primary == 0 && probe.attached.empty())
			return format("cannot start a secondary: no primary process runs with "
				      "--file-prefix %s", prefix);
		return "";
	}
	if (probe.primary != 0) {
		if (req.proc_type == "auto")
			return "";
		return format("cannot start a primary: a primary process already runs with "
			      "--file-prefix %s (pid %d)", prefix, (int)probe.primary);
	}
	if (!probe.attached.empty()) {
		std::string pids;
		for (pid_t p : probe.attached)
			pids += (pids.empty() ? "" : ", ") + std::to_string(p);
		return format("cannot start a primary: the primary process of --file-prefix %s "
			      "has exited but its secondary processes still run (pid %s); a new "
			      "primary would overwrite the memory they use: stop them, or start "
			      "this process with --proc-type=secondary", prefix, pids.c_str());
	}
	return "";
}

void
set_app_name(const char *argv0)
{
	const char *slash = strrchr(argv0, '/');
	app.name = slash ? slash + 1 : argv0;
}

const char *
app_name()
{
	return app.name;
}

const char *
proc_type_name()
{
	if (rte_mps_is_forked_secondary())
		return "forked secondary";
	return rte_eal_process_type() == RTE_PROC_PRIMARY ? "primary" : "secondary";
}

void
set_eal_up(bool up)
{
	app.eal_up = up;
}

void
request_quit()
{
	app.quit.store(true, std::memory_order_relaxed);
}

bool
quit_requested()
{
	return app.quit.load(std::memory_order_relaxed);
}

void
at_fail(void (*cleanup)())
{
	app.at_fail = cleanup;
}

struct rte_tel_data *
telemetry_sub_dict(struct rte_tel_data *d, unsigned int key)
{
	struct rte_tel_data *sub = rte_tel_data_alloc();
	char name[16];

	if (sub == nullptr)
		return nullptr;
	rte_tel_data_start_dict(sub);
	snprintf(name, sizeof(name), "%u", key);
	if (rte_tel_data_add_dict_container(d, name, sub, 0) < 0) {
		rte_tel_data_free(sub);
		return nullptr;
	}
	return sub;
}

uint64_t
now_ns()
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return static_cast<uint64_t>(ts.tv_sec) * 1000000000u + static_cast<uint64_t>(ts.tv_nsec);
}

void
fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	const message msg = vformat(fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s: %s%s\n", app.name, app.error_tag, msg.text);
	fflush(stderr);
	if (app.at_fail != nullptr)
		app.at_fail();
	if (rte_mps_is_forked_secondary())
		rte_mps_child_exit(EXIT_FAILURE);
	eal_cleanup();
	exit(EXIT_FAILURE);
}

void
eal_cleanup()
{
	/* A forked secondary's EAL is the primary's copy: leave it alone. */
	if (rte_mps_is_forked_secondary())
		return;
	if (app.eal_up)
		rte_eal_cleanup();
	app.eal_up = false;
}

bool
is_secondary()
{
	return rte_eal_process_type() == RTE_PROC_SECONDARY || rte_mps_is_forked_secondary();
}

/* The EAL arguments of a forked secondary, as rte_eal_init() would count them. */
static int
forked_eal_args(int argc, char **argv)
{
	int i = 1;

	while (i < argc && strcmp(argv[i], "--") != 0)
		i++;
	const int ret = i < argc ? i : argc - 1;
	argv[ret] = argv[0];
	return ret;
}

int
eal_init(int argc, char **argv, const app_identity &identity)
{
	set_app_name(identity.name != nullptr ? identity.name : argv[0]);
	app.error_tag = identity.error_tag;
	/* With --forked, this process is only a launcher: it returns only on an error. */
	if (rte_mps_forked_launch(argc, argv) < 0)
		fail("%s", rte_mps_strerror());
	/* In a forked secondary, delivers the stop signals held since the fork. */
	install_signal_handlers();
	if (rte_mps_is_forked_secondary()) {
		/*
		 * What the primary's copy of these helpers knew is not ours;
		 * its quit flag was false when it started the fork server.
		 */
		app.at_fail = nullptr;
		app.eal_up = false;
		return forked_eal_args(argc, argv);
	}

	eal_request req;
	std::string err;
	if (scan_eal_args(argc, argv, req, err) < 0)
		fail("%s", err.c_str());
	if (identity.primary_only != nullptr && req.proc_type == "secondary")
		fail("%s", identity.primary_only);
	err = check_group(req, probe_group(runtime_dir(req.file_prefix)));
	if (!err.empty())
		fail("%s", err.c_str());

	eal_capture capture;
	capture.out = stderr;
	capture.argv0 = argv[0];
	cookie_io_functions_t io = {};
	io.write = capture_write;
	FILE *tee = fopencookie(&capture, "w", io);
	if (tee != nullptr) {
		setvbuf(tee, nullptr, _IOLBF, 0);
		rte_openlog_stream(tee);
		stderr = tee;
	}
	rte_errno = 0;
	int ret = rte_eal_init(argc, argv);
	const int eal_errno = rte_errno;
	if (tee != nullptr) {
		fflush(tee);
		stderr = capture.out;
		rte_openlog_stream(nullptr);
		fclose(tee);
	}
	if (ret < 0) {
		if (!capture.reasons.empty())
			fail("cannot initialise the EAL: %s", capture.reasons.c_str());
		if (eal_errno != 0)
			fail("cannot initialise the EAL: %s", rte_strerror(eal_errno));
		fail("cannot initialise the EAL (it gave no reason)");
	}
	app.eal_up = true;
	return ret;
}

void
reject_bad_option(int opt, char *const argv[])
{
	if (opt == ':')
		fail("option '%s' needs a value", argv[optind - 1]);
	fail("unknown option '%s'", argv[optind - 1]);
}

void
reject_repeat(std::vector<int> &seen, int opt, const char *name)
{
	if (std::find(seen.begin(), seen.end(), opt) != seen.end())
		fail("option '%s' given twice", name);
	seen.push_back(opt);
}

void
require_shared_memory()
{
	if (rte_eal_process_type() == RTE_PROC_PRIMARY && !rte_eal_has_hugepages())
		fail("--no-huge is not supported: a secondary cannot attach without hugepages");
}

void
reject_extra_args(int argc, char *const argv[])
{
	if (optind < argc)
		fail("unexpected argument '%s'", argv[optind]);
}

int
parse_portmask(const char *arg, uint64_t *mask)
{
	char *end = nullptr;

	if (arg == nullptr || *arg == '\0' || *arg == '-')
		return -EINVAL;
	errno = 0;
	unsigned long long v = strtoull(arg, &end, 16);
	if (errno != 0 || end == arg || *end != '\0' || v == 0)
		return -EINVAL;
	*mask = v;
	return 0;
}

int
parse_uint(const char *arg, unsigned long max, unsigned long *value)
{
	char *end = nullptr;

	if (arg == nullptr || *arg == '\0' || *arg == '-' || *arg == '+')
		return -EINVAL;
	errno = 0;
	unsigned long v = strtoul(arg, &end, 10);
	if (errno != 0 || end == arg || *end != '\0' || v > max)
		return -EINVAL;
	*value = v;
	return 0;
}

int
ports_from_mask(uint64_t mask, std::vector<uint16_t> &ports, std::string &err)
{
	ports.clear();
	for (unsigned int p = 0; p < 64; p++) {
		if ((mask & (UINT64_C(1) << p)) == 0)
			continue;
		if (p >= RTE_MAX_ETHPORTS || !rte_eth_dev_is_valid_port(p)) {
			err = "port " + std::to_string(p) + " of portmask 0x" +
				[mask] {
					char b[24];
					snprintf(b, sizeof(b), "%" PRIx64, mask);
					return std::string(b);
				}() + " does not exist (" +
				std::to_string(rte_eth_dev_count_avail()) +
				" ports available)";
			return -ENODEV;
		}
		ports.push_back(static_cast<uint16_t>(p));
	}
	return 0;
}

std::vector<uint16_t>
paired_ports(uint64_t mask)
{
	std::vector<uint16_t> ports;
	std::string err;

	if (ports_from_mask(mask, ports, err) != 0)
		fail("%s", err.c_str());
	if (ports.size() % 2 != 0)
		fail("portmask 0x%" PRIx64 " selects %zu ports; an even number is needed",
		     mask, ports.size());
	return ports;
}

int
port_init(uint16_t port, struct rte_mempool *pool, uint16_t nb_rxq,
	  uint16_t nb_txq, std::string &err)
{
	struct rte_eth_dev_info info;
	struct rte_eth_conf conf;
	int ret;

	auto failed = [&](const char *what, int rc) {
		err = std::string(what) + " failed on port " + std::to_string(port) +
			": " + rte_strerror(-rc);
		return rc;
	};

	ret = rte_eth_dev_info_get(port, &info);
	if (ret != 0)
		return failed("rte_eth_dev_info_get", ret);
	if (nb_rxq > info.max_rx_queues || nb_txq > info.max_tx_queues) {
		err = "port " + std::to_string(port) + " (" + info.driver_name +
			") has at most " + std::to_string(info.max_rx_queues) +
			" RX and " + std::to_string(info.max_tx_queues) +
			" TX queues, " + std::to_string(nb_rxq) + "/" +
			std::to_string(nb_txq) + " needed";
		return -EINVAL;
	}

	memset(&conf, 0, sizeof(conf));
	/* Spread flows over the queues when the device can hash. */
	uint64_t rss_hf = info.flow_type_rss_offloads & RTE_ETH_RSS_IP;
	if (nb_rxq > 1 && rss_hf != 0) {
		conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
		conf.rx_adv_conf.rss_conf.rss_hf = rss_hf;
	}
	if (info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE)
		conf.txmode.offloads |= RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE;

	ret = rte_eth_dev_configure(port, nb_rxq, nb_txq, &conf);
	if (ret != 0)
		return failed("rte_eth_dev_configure", ret);

	uint16_t nb_rxd = 1024, nb_txd = 1024;
	ret = rte_eth_dev_adjust_nb_rx_tx_desc(port, &nb_rxd, &nb_txd);
	if (ret != 0)
		return failed("rte_eth_dev_adjust_nb_rx_tx_desc", ret);

	int socket = rte_eth_dev_socket_id(port);
	if (socket < 0)
		socket = static_cast<int>(rte_socket_id());
	for (uint16_t q = 0; q < nb_rxq; q++) {
		ret = rte_eth_rx_queue_setup(port, q, nb_rxd, socket, nullptr, pool);
		if (ret != 0)
			return failed("rte_eth_rx_queue_setup", ret);
	}
	struct rte_eth_txconf txconf = info.default_txconf;
	txconf.offloads = conf.txmode.offloads;
	for (uint16_t q = 0; q < nb_txq; q++) {
		ret = rte_eth_tx_queue_setup(port, q, nb_txd, socket, &txconf);
		if (ret != 0)
			return failed("rte_eth_tx_queue_setup", ret);
	}

	ret = rte_eth_dev_start(port);
	if (ret != 0)
		return failed("rte_eth_dev_start", ret);
	/* Virtual devices often have no promiscuous mode; that is fine. */
	ret = rte_eth_promiscuous_enable(port);
	if (ret != 0 && ret != -ENOTSUP)
		return failed("rte_eth_promiscuous_enable", ret);
	return 0;
}

} /* namespace mpc */
