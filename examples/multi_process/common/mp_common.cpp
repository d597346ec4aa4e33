/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

#include "mp_common.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>

namespace mpc {

std::atomic<bool> quit_flag{false};

namespace {

const char *app = "app";
bool eal_up = false;

void
on_signal(int sig)
{
	(void)sig;
	quit_flag.store(true, std::memory_order_relaxed);
}

} /* namespace */

void
set_app_name(const char *argv0)
{
	const char *slash = strrchr(argv0, '/');
	app = slash ? slash + 1 : argv0;
}

const char *
app_name()
{
	return app;
}

void
set_eal_up(bool up)
{
	eal_up = up;
}

void
fail(const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s: error: %s\n", app, msg);
	fflush(stderr);
	if (eal_up)
		rte_eal_cleanup();
	exit(EXIT_FAILURE);
}

int
eal_init(int argc, char **argv)
{
	set_app_name(argv[0]);
	install_signal_handlers();
	int ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		fprintf(stderr, "%s: error: cannot initialise EAL: %s\n", app, rte_strerror(rte_errno));
		exit(EXIT_FAILURE);
	}
	eal_up = true;
	return ret;
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
	for (unsigned p = 0; p < 64; p++) {
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
		ports.push_back((uint16_t)p);
	}
	return 0;
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
		socket = (int)rte_socket_id();
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

void
print_port_table(FILE *out, const std::vector<uint16_t> &ports)
{
	fprintf(out, "%-6s %14s %14s %12s %12s\n", "port", "rx", "tx", "rx-missed",
		"tx-errors");
	for (uint16_t p : ports) {
		struct rte_eth_stats st;

		if (rte_eth_stats_get(p, &st) != 0) {
			fprintf(out, "%-6u %s\n", p, "(no counters)");
			continue;
		}
		fprintf(out, "%-6u %14" PRIu64 " %14" PRIu64 " %12" PRIu64 " %12" PRIu64 "\n",
			p, st.ipackets, st.opackets, st.imissed, st.oerrors);
	}
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

uint64_t
proc_start_time(int pid)
{
	char path[64], buf[1024];

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	FILE *f = fopen(path, "r");
	if (f == nullptr)
		return 0;
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* Fields after the command name, which may hold spaces and ')'. */
	const char *p = strrchr(buf, ')');
	if (p == nullptr)
		return 0;
	p += 2;
	if (*p == 'Z' || *p == 'X')
		return 0;
	/* starttime is field 22; p points at field 3. */
	for (int field = 3; field < 22 && p != nullptr; field++) {
		p = strchr(p, ' ');
		if (p != nullptr)
			p++;
	}
	return p ? strtoull(p, nullptr, 10) : 0;
}

bool
proc_is(int pid, uint64_t start_time)
{
	return pid > 0 && start_time != 0 && proc_start_time(pid) == start_time;
}

bool
OwnerSlot::word_alive(uint64_t word)
{
	if (word == 0)
		return false;
	uint64_t start = proc_start_time(pid_of(word));
	return start != 0 && (uint32_t)start == (uint32_t)word;
}

int
OwnerSlot::claim(bool take_dead, int *other)
{
	int self = (int)getpid();
	uint64_t mine = make(self, proc_start_time(self));
	uint64_t cur = owner.load(std::memory_order_acquire);

	for (;;) {
		if (cur != 0) {
			if (pid_of(cur) != self && word_alive(cur)) {
				if (other != nullptr)
					*other = pid_of(cur);
				return -EBUSY;
			}
			if (!take_dead && pid_of(cur) != self) {
				if (other != nullptr)
					*other = pid_of(cur);
				return -EAGAIN;
			}
		}
		if (owner.compare_exchange_weak(cur, mine, std::memory_order_acq_rel))
			return 0;
	}
}

void
OwnerSlot::release()
{
	uint64_t cur = owner.load(std::memory_order_acquire);

	if (cur != 0 && pid_of(cur) == (int)getpid())
		owner.compare_exchange_strong(cur, 0, std::memory_order_acq_rel);
}

} /* namespace mpc */
