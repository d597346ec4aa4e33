/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/* Temporary skeleton: every call fails with ENOTSUP. */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>
#include <rte_errno.h>
#include "rte_mpsupport.h"

int
rte_mps_init(void)
{
	rte_errno = ENOTSUP;
	return -ENOTSUP;
}

int
rte_mps_fini(void)
{
	rte_errno = ENOTSUP;
	return -ENOTSUP;
}

const char *
rte_mps_strerror(void)
{
	return "";
}

int
rte_mps_proc_start_time(pid_t pid, uint64_t *start_time)
{
	RTE_SET_USED(pid);
	RTE_SET_USED(start_time);
	rte_errno = ENOTSUP;
	return -ENOTSUP;
}

int
rte_mps_proc_alive(pid_t pid, uint64_t start_time)
{
	RTE_SET_USED(pid);
	RTE_SET_USED(start_time);
	rte_errno = ENOTSUP;
	return -ENOTSUP;
}

int
rte_mps_proc_list(struct rte_mps_proc_info *info, unsigned int n)
{
	RTE_SET_USED(info);
	RTE_SET_USED(n);
	rte_errno = ENOTSUP;
	return -ENOTSUP;
}

int
rte_mps_primary_pid(void)
{
	rte_errno = ENOTSUP;
	return -ENOTSUP;
}

int
rte_mps_lcore_claim(void)
{
	rte_errno = ENOTSUP;
	return -ENOTSUP;
}

int
rte_mps_lcore_release(int flush)
{
	RTE_SET_USED(flush);
	rte_errno = ENOTSUP;
	return -ENOTSUP;
}

int
rte_mps_lcore_self(void)
{
	rte_errno = ENOTSUP;
	return -ENOTSUP;
}

int
rte_mps_lcore_owner(unsigned int lcore_id, pid_t *pid)
{
	RTE_SET_USED(lcore_id);
	RTE_SET_USED(pid);
	rte_errno = ENOTSUP;
	return -ENOTSUP;
}

int
rte_mps_lcore_reclaim(void)
{
	rte_errno = ENOTSUP;
	return -ENOTSUP;
}

int
rte_mps_lcore_cache_flush(unsigned int lcore_id)
{
	RTE_SET_USED(lcore_id);
	rte_errno = ENOTSUP;
	return -ENOTSUP;
}

int
rte_mps_exit_notify_register(pid_t pid, unsigned int flags, rte_mps_exit_cb_t cb, void *arg)
{
	RTE_SET_USED(pid);
	RTE_SET_USED(flags);
	RTE_SET_USED(cb);
	RTE_SET_USED(arg);
	rte_errno = ENOTSUP;
	return -ENOTSUP;
}

int
rte_mps_exit_notify_unregister(int handle)
{
	RTE_SET_USED(handle);
	rte_errno = ENOTSUP;
	return -ENOTSUP;
}

int
rte_mps_exit_notify_poll(void)
{
	rte_errno = ENOTSUP;
	return -ENOTSUP;
}

int
rte_mps_exit_notify_fd(void)
{
	rte_errno = ENOTSUP;
	return -ENOTSUP;
}

int
rte_mps_worker_add(unsigned int worker)
{
	RTE_SET_USED(worker);
	rte_errno = ENOTSUP;
	return -ENOTSUP;
}

int
rte_mps_worker_remove(unsigned int worker)
{
	RTE_SET_USED(worker);
	rte_errno = ENOTSUP;
	return -ENOTSUP;
}

int
rte_mps_worker_depend(unsigned int worker, unsigned int on)
{
	RTE_SET_USED(worker);
	RTE_SET_USED(on);
	rte_errno = ENOTSUP;
	return -ENOTSUP;
}

int
rte_mps_worker_pair(unsigned int a, unsigned int b)
{
	RTE_SET_USED(a);
	RTE_SET_USED(b);
	rte_errno = ENOTSUP;
	return -ENOTSUP;
}

int
rte_mps_worker_attach(unsigned int worker, pid_t pid)
{
	RTE_SET_USED(worker);
	RTE_SET_USED(pid);
	rte_errno = ENOTSUP;
	return -ENOTSUP;
}

int
rte_mps_worker_pid(unsigned int worker)
{
	RTE_SET_USED(worker);
	rte_errno = ENOTSUP;
	return -ENOTSUP;
}

int
rte_mps_tracker_set_timeout(unsigned int timeout_ms)
{
	RTE_SET_USED(timeout_ms);
	rte_errno = ENOTSUP;
	return -ENOTSUP;
}

int
rte_mps_group_stop(uint64_t mask)
{
	RTE_SET_USED(mask);
	rte_errno = ENOTSUP;
	return -ENOTSUP;
}

int
rte_mps_group_wait(uint64_t *ready, int timeout_ms)
{
	RTE_SET_USED(ready);
	RTE_SET_USED(timeout_ms);
	rte_errno = ENOTSUP;
	return -ENOTSUP;
}

int
rte_mps_cmd_send(unsigned int worker, uint32_t cmd, unsigned int timeout_ms)
{
	RTE_SET_USED(worker);
	RTE_SET_USED(cmd);
	RTE_SET_USED(timeout_ms);
	rte_errno = ENOTSUP;
	return -ENOTSUP;
}

int
rte_mps_cmd_poll(unsigned int worker)
{
	RTE_SET_USED(worker);
	rte_errno = ENOTSUP;
	return -ENOTSUP;
}

int
rte_mps_cmd_ack(unsigned int worker, uint32_t cmd)
{
	RTE_SET_USED(worker);
	RTE_SET_USED(cmd);
	rte_errno = ENOTSUP;
	return -ENOTSUP;
}

int
rte_mps_res_lcore_cache(unsigned int worker, unsigned int lcore_id)
{
	RTE_SET_USED(worker);
	RTE_SET_USED(lcore_id);
	rte_errno = ENOTSUP;
	return -ENOTSUP;
}

int
rte_mps_res_tx_buffer(unsigned int worker, struct rte_eth_dev_tx_buffer *buf)
{
	RTE_SET_USED(worker);
	RTE_SET_USED(buf);
	rte_errno = ENOTSUP;
	return -ENOTSUP;
}

int
rte_mps_res_burst(unsigned int worker, struct rte_mps_burst *burst)
{
	RTE_SET_USED(worker);
	RTE_SET_USED(burst);
	rte_errno = ENOTSUP;
	return -ENOTSUP;
}

int
rte_mps_res_ring(unsigned int worker, struct rte_ring *ring)
{
	RTE_SET_USED(worker);
	RTE_SET_USED(ring);
	rte_errno = ENOTSUP;
	return -ENOTSUP;
}

int
rte_mps_res_reset(unsigned int worker)
{
	RTE_SET_USED(worker);
	rte_errno = ENOTSUP;
	return -ENOTSUP;
}

int
rte_mps_mempool_audit(struct rte_mempool *mp, struct rte_mps_audit *audit)
{
	RTE_SET_USED(mp);
	RTE_SET_USED(audit);
	rte_errno = ENOTSUP;
	return -ENOTSUP;
}

pid_t
rte_mps_fork(int worker)
{
	RTE_SET_USED(worker);
	rte_errno = ENOTSUP;
	return -ENOTSUP;
}

int
rte_mps_is_forked(void)
{
	rte_errno = ENOTSUP;
	return -ENOTSUP;
}

void
rte_mps_child_exit(int code)
{
	RTE_SET_USED(code);
	_exit(code);
}
