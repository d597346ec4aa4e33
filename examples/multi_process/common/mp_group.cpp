/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

#include "mp_group.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_mpsupport.h>
#include <rte_pdump.h>

#include "mp_common.h"

namespace mpc {

int
group_join()
{
	/* A forked secondary is registered by its fork server already. */
	if (rte_mps_is_forked_secondary())
		return 0;
	int ret = rte_mps_init();

	if (ret < 0 && ret != -ENOTSUP)
		fail("%s", rte_mps_strerror()[0] != '\0' ? rte_mps_strerror() :
		     rte_strerror(-ret));
	if (ret == 0)
		at_fail([] { rte_mps_fini(); });    /* leave the registry on the way out */
	return ret < 0 ? ret : 0;
}

/* Packet capture. 8< */
void
capture_join(bool in_group)
{
	const bool primary = !is_secondary();

	/* DPDK's capture server: dpdk-dumpcap and dpdk-pdump talk to it. */
	if (primary && rte_pdump_init() < 0)
		fail("cannot initialise packet capture: %s", rte_strerror(rte_errno));
	/* The group's: the request reaches every process polling a port. */
	if (!in_group || rte_mps_capture_init() == 0)
		return;
	/* a secondary of a primary that does not capture forwards all the same */
	if (primary)
		fail("cannot take part in packet capture: %s", rte_mps_strerror());
	printf("warning: packet capture will not see this process: %s\n", rte_mps_strerror());
}

void
capture_leave(bool in_group)
{
	if (in_group)
		rte_mps_capture_uninit();
	if (!is_secondary())
		rte_pdump_uninit();
}
/* >8 End of packet capture. */

bool
owner_slot::word_alive(uint64_t word)
{
	uint64_t start_time;

	if (word == 0)
		return false;
	const pid_t pid = pid_of(word);
	const int ret = rte_mps_proc_start_time(pid, &start_time);
	/*
	 * Only "no such process" is dead: when /proc cannot be read (EMFILE,
	 * say), a process with the pid counts as alive, so that what it holds
	 * is not taken from it.
	 */
	if (ret == -ESRCH)
		return false;
	if (ret != 0)
		return kill(pid, 0) == 0 || errno != ESRCH;
	/* The word keeps the low half of the start time: enough to spot a recycled pid. */
	if (static_cast<uint32_t>(start_time) != static_cast<uint32_t>(word))
		return false;
	return rte_mps_proc_alive(pid, start_time) == 1;
}

int
owner_slot::claim(bool take_dead, pid_t *other)
{
	const pid_t self = getpid();
	uint64_t start_time;

	if (rte_mps_proc_start_time(self, &start_time) != 0)
		return -ESRCH;
	const uint64_t mine = make_word(self, start_time);
	uint64_t cur = owner.load(std::memory_order_acquire);

	for (;;) {
		if (cur != 0 && pid_of(cur) != self) {
			if (other != nullptr)
				*other = pid_of(cur);
			if (word_alive(cur))
				return -EBUSY;
			if (!take_dead)
				return -EAGAIN;
		}
		if (owner.compare_exchange_weak(cur, mine, std::memory_order_acq_rel))
			return 0;
	}
}

void
owner_slot::release()
{
	const uint64_t cur = owner.load(std::memory_order_acquire);

	if (cur != 0 && pid_of(cur) == getpid())
		release_word(cur);
}

void
owner_slot::release_word(uint64_t word)
{
	owner.compare_exchange_strong(word, 0, std::memory_order_acq_rel);
}

namespace {

/* The primary that died (-1: pid unknown), 0 while it lives. */
std::atomic<pid_t> dead_primary{0};
bool (*primary_left_on_purpose)();

void
primary_exited(pid_t pid)
{
	if (primary_left_on_purpose != nullptr && primary_left_on_purpose())
		return;
	dead_primary.store(pid, std::memory_order_relaxed);
	request_quit();
}

} /* namespace */

void
watch_primary(bool in_group, bool (*left_on_purpose)())
{
	if (rte_eal_process_type() != RTE_PROC_SECONDARY)
		return;
	primary_left_on_purpose = left_on_purpose;
	const pid_t pid = in_group ? rte_mps_primary_pid() : 0;
	if (pid > 0) {
		const int h = rte_mps_exit_notify_register(pid, 0,
			[](const struct rte_mps_exit_info *info, void *) {
				primary_exited(info->pid);
			}, nullptr);
		if (h >= 0)
			return;
		if (h == -ESRCH) {
			primary_exited(pid);    /* gone already */
			return;
		}
	}
	std::thread([pid] {
		while (!quit_requested()) {
			if (!rte_eal_primary_proc_alive(nullptr)) {
				primary_exited(pid > 0 ? pid : -1);
				return;
			}
			usleep(100 * 1000);
		}
	}).detach();
}

void
leave_if_orphaned()
{
	const pid_t pid = dead_primary.load(std::memory_order_relaxed);

	if (pid > 0)
		fail("the primary process (pid %d) has exited; a secondary cannot go on",
		     static_cast<int>(pid));
	if (pid < 0)
		fail("the primary process has exited; a secondary cannot go on");
}

uint64_t
links_up(const uint16_t *ports, unsigned int n)
{
	uint64_t mask = 0;

	for (unsigned int i = 0; i < n; i++) {
		struct rte_eth_link link;
		if (rte_eth_link_get_nowait(ports[i], &link) == 0 &&
		    link.link_status == RTE_ETH_LINK_UP)
			mask |= UINT64_C(1) << i;
	}
	return mask;
}

void
start_fork_server(fork_server_links &fs, const char *app, const char *who,
		  const uint16_t *ports, unsigned int n)
{
	fs.links = links_up(ports, n);
	const pid_t pid = rte_mps_fork_server_start();
	fs.on = pid > 0;
	if (pid > 0)
		printf("%s: fork server (pid %d) ready for forked %s, links up %u of %u\n", app,
		       static_cast<int>(pid), who,
		       static_cast<unsigned int>(__builtin_popcountll(fs.links)), n);
	else
		printf("%s: no fork server (forked %s cannot start): %s\n", app, who,
		       rte_mps_strerror());
	fflush(stdout);
}

void
refresh_fork_server(fork_server_links &fs, const char *app, const char *who,
		    const uint16_t *ports, unsigned int n)
{
	if (fs.on && links_up(ports, n) != fs.links)
		start_fork_server(fs, app, who, ports, n);
}

} /* namespace mpc */
