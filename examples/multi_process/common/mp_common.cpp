/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

#include "mp_common.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atomic>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
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
}

/* The EAL does not say why a secondary failed to attach; guess it for the user. */
bool
asked_for_secondary(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--proc-type=secondary") == 0)
			return true;
		if (strcmp(argv[i], "--proc-type") == 0 && i + 1 < argc &&
		    strcmp(argv[i + 1], "secondary") == 0)
			return true;
	}
	return false;
}

} /* namespace */

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
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s: %s%s\n", app.name, app.error_tag, msg);
	fflush(stderr);
	if (app.at_fail != nullptr)
		app.at_fail();
	if (app.eal_up)
		rte_eal_cleanup();
	exit(EXIT_FAILURE);
}

int
eal_init(int argc, char **argv, const app_identity &identity)
{
	set_app_name(identity.name != nullptr ? identity.name : argv[0]);
	app.error_tag = identity.error_tag;
	install_signal_handlers();
	const bool want_secondary = asked_for_secondary(argc, argv);
	int ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		if (want_secondary)
			fail("cannot start a secondary: no primary process is running with "
			     "this --file-prefix");
		fail("cannot initialise the EAL: %s", rte_strerror(rte_errno));
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
