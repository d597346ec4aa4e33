/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

#ifndef RTE_MPSUPPORT_H
#define RTE_MPSUPPORT_H

/**
 * @file
 * RTE multi-process support: surviving the death of one's own processes.
 *
 * @warning
 * @b EXPERIMENTAL: all functions in this file may change without prior notice.
 *
 * Design in brief.
 * All shared state lives in one memzone ("mps_registry") reserved by the
 * primary process and looked up by every other process; it starts with a
 * magic and a layout version that every process checks before trusting it.
 * The memzone holds fixed-width plain structures only (no pointers), and
 * every word two processes race on is updated with atomic compare-and-swap,
 * so that a process killed at any instruction leaves a state the others can
 * repair.
 *
 * - Process registry: each process calling rte_mps_init() takes a slot
 *   holding its pid, its start time (field 22 of /proc/<pid>/stat, so that a
 *   recycled pid is never mistaken for the old process), its type and its EAL
 *   lcore set. The EAL lcores are reserved in the shared lcore table; an
 *   overlap with a live member is refused and named.
 * - Floating lcore allocator: rte_mps_lcore_claim() takes, by CAS on the
 *   shared lcore table, an lcore id no live member uses, and makes it the
 *   calling thread's rte_lcore_id(), so the thread gets its own mempool
 *   caches. The id of an owner that died is reclaimed; before reuse, its
 *   per-lcore cache in every mempool is flushed back to the pool.
 * - Exit notification: a control thread waits on pidfds with epoll and calls
 *   the callbacks registered for a pid, or queues them for
 *   rte_mps_exit_notify_poll(). It may run on any CPU (it sleeps until an
 *   exit), so that an lcore busy-polling the control CPU cannot delay it.
 *   Secondaries announce themselves to the primary over rte_mp IPC so that
 *   the primary can watch them.
 * - Workers, dependencies and commands: a main process declares workers
 *   (indices below RTE_MPS_MAX_WORKERS) and the edges between them. When a
 *   worker exits, everything depending on it is sent STOP over its command
 *   ring, waited for with a bound, killed if it does not comply, its
 *   resources are reset, and the group is reported ready to restart.
 * - Resource lists: per worker, the mempool caches of its lcore, its TX
 *   buffers and in-hand burst arrays (in shared memory) and its rings, which
 *   are emptied back to their pools before the next instance runs, and a
 *   mempool audit that counts the objects nobody accounts for.
 * - Fork helper: rte_mps_fork() refuses when memory would not be shared
 *   after fork() (no hugepages, or a private mapping), and prepares the
 *   child: parent-death signal, library locks reinitialised, and the
 *   process marked as a forked worker so that library calls needing memory
 *   reservation, IPC or threads are refused there.
 *
 * The fork contract. A forked worker has one thread: any lock that another
 * thread of the parent held at fork() time stays held forever in the child.
 * A forked worker therefore only uses objects created before the fork
 * (rings, mempools, memzones, the ports' fast paths); it never reserves or
 * frees memzones or rte_malloc memory; it never uses IPC (rte_mp_*), alarms,
 * interrupts or telemetry; it never calls rte_eal_cleanup(); it leaves with
 * _exit() (rte_mps_child_exit()); and it dies with its parent.
 */

#include <stdint.h>
#include <sys/types.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>
#include <rte_compat.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "rte_mps_compat.h"

#ifdef __cplusplus
extern "C" {
#endif

struct rte_mempool;
struct rte_ring;

/** Name of the shared memzone holding the registry. */
#define RTE_MPS_MZ_NAME "mps_registry"
/** Magic at the start of the registry memzone ("MPSUPPRT"). */
#define RTE_MPS_MAGIC UINT64_C(0x5452505055535053)
/** Layout version of the registry memzone. */
#define RTE_MPS_LAYOUT_VERSION 1

/** Maximum number of processes registered at the same time. */
#define RTE_MPS_MAX_PROCS 32
/** Maximum number of workers known to the dependency tracker. */
#define RTE_MPS_MAX_WORKERS 64
/** Maximum number of resources registered per worker. */
#define RTE_MPS_MAX_RES 16

/** Pid value to watch every member announcing itself (primary only). */
#define RTE_MPS_PID_MEMBERS 0
/** Worker index meaning "no worker" for rte_mps_fork(). */
#define RTE_MPS_NO_WORKER (-1)

/** Command sent to a worker: stop and exit. */
#define RTE_MPS_CMD_STOP 1u
/** First command value free for applications. */
#define RTE_MPS_CMD_USER 0x100u

/** Exit-notify flag: queue the callback for rte_mps_exit_notify_poll(). */
#define RTE_MPS_NOTIFY_DEFER (1u << 0)
/** Exit-notify flag: reap the pid (own child only) instead of leaving it. */
#define RTE_MPS_NOTIFY_REAP (1u << 1)
/** Exit-notify flag, accepted for clarity: every registration for a pid
 * ends once its callback has been called, since a process exits once. */
#define RTE_MPS_NOTIFY_ONESHOT (1u << 2)

/** rte_mps_exit_info flag: exit_code and signal are known. */
#define RTE_MPS_EXIT_STATUS_KNOWN (1u << 0)

/** Process types recorded in the registry. */
enum rte_mps_proc_type {
	RTE_MPS_PROC_PRIMARY = 0,   /**< EAL primary process. */
	RTE_MPS_PROC_SECONDARY = 1, /**< EAL secondary process. */
	RTE_MPS_PROC_FORKED = 2,    /**< Worker forked with rte_mps_fork(). */
};

/** Description of a registered process. */
struct rte_mps_proc_info {
	int32_t pid;          /**< Process id. */
	int32_t parent_pid;   /**< Parent pid for forked workers, else 0. */
	uint64_t start_time;  /**< Start time in clock ticks since boot. */
	enum rte_mps_proc_type type; /**< Process type. */
	int32_t worker;       /**< Worker index or RTE_MPS_NO_WORKER. */
	uint64_t lcores[RTE_MAX_LCORE / 64]; /**< EAL lcore set, one bit per lcore id. */
};

/** Description of a process exit, given to exit callbacks. */
struct rte_mps_exit_info {
	int32_t pid;        /**< The pid that exited. */
	uint32_t flags;     /**< RTE_MPS_EXIT_* flags. */
	int32_t exit_code;  /**< Exit code when it exited normally, else -1. */
	int32_t signal;     /**< Signal that killed it, else 0. */
	uint64_t detect_ns; /**< CLOCK_MONOTONIC time of detection, in ns. */
};

/**
 * Exit callback.
 *
 * @param info
 *   What exited and how.
 * @param arg
 *   The argument given at registration.
 */
typedef void (*rte_mps_exit_cb_t)(const struct rte_mps_exit_info *info, void *arg);

/** Audit of one mempool. */
struct rte_mps_audit {
	uint32_t size;        /**< Objects in the pool in total. */
	uint32_t in_pool;     /**< Objects in the pool's common store. */
	uint32_t in_caches;   /**< Objects in per-lcore caches. */
	uint32_t in_lists;    /**< Objects in registered buffers and rings. */
	uint32_t unaccounted; /**< size - in_pool - in_caches - in_lists. */
};

/**
 * In-hand burst array kept in shared memory by a worker.
 *
 * A worker stores the objects it holds between receive and transmit here,
 * so that the main process can give them back if the worker dies. Either
 * the worker sets @c count after a receive and clears it when the objects
 * have been handed on, or it keeps @c count at @c size and sets each entry
 * to NULL once the object is handed on (to a TX buffer with
 * rte_mps_tx_buffer(), which lists it there first). The reset frees the
 * non-NULL entries below @c count, and sets them to NULL.
 */
struct rte_mps_burst {
	uint32_t count;   /**< Number of valid entries in objs. */
	uint32_t size;    /**< Capacity of objs. */
	void *objs[];     /**< The objects (mbufs). */
};

/**
 * Attach the calling process to the group's registry.
 *
 * Must be called by every participating process after rte_eal_init(). The
 * primary reserves the registry memzone; other processes look it up and
 * check its magic and layout version. The process is then registered with
 * its pid, start time, type and EAL lcore set. Secondaries announce
 * themselves to the primary over IPC. Calling it again is a no-op.
 *
 * @return
 *   0 on success, or a negative errno value (rte_errno is also set):
 *   - -ENOENT: secondary and no registry (primary did not call it).
 *   - -EPROTO: registry has a bad magic or layout version.
 *   - -EBUSY: an EAL lcore is used by another live member (named by
 *     rte_mps_strerror(), and in the debug log).
 *   - -ENOSPC: no free process slot.
 *   - -ENOMEM: memzone reservation failed.
 *   - -EPERM: called in a forked worker.
 */
__rte_experimental
int
rte_mps_init(void);

/**
 * Detach the calling process from the registry.
 *
 * Releases its EAL lcores and floating lcores, stops the library threads
 * and drops exit registrations. Call before rte_eal_cleanup().
 *
 * @return
 *   0 on success, -EINVAL if not initialised.
 */
__rte_experimental
int
rte_mps_fini(void);

/**
 * Describe the last error of the calling thread.
 *
 * @return
 *   A one-line message naming the bad value of the last failing call, or
 *   an empty string.
 */
__rte_experimental
const char *
rte_mps_strerror(void);

/**
 * Read a process's start time.
 *
 * @param pid
 *   Process id.
 * @param start_time
 *   Output: start time in clock ticks since boot.
 * @return
 *   0 on success, -ESRCH if the process does not exist, -EINVAL on bad
 *   arguments.
 */
__rte_experimental
int
rte_mps_proc_start_time(pid_t pid, uint64_t *start_time);

/**
 * Tell whether a process identified by pid and start time is still alive.
 *
 * @param pid
 *   Process id.
 * @param start_time
 *   Start time recorded when it was registered.
 * @return
 *   1 if alive (same pid, same start time, and not a zombie that is its
 *   last thread: a killed process counts as alive until every one of its
 *   threads is gone), 0 if not.
 */
__rte_experimental
int
rte_mps_proc_alive(pid_t pid, uint64_t start_time);

/**
 * List the registered processes.
 *
 * @param info
 *   Array to fill, may be NULL when n is 0.
 * @param n
 *   Capacity of info.
 * @return
 *   Number of registered processes (may exceed n), or -EINVAL if not
 *   initialised.
 */
__rte_experimental
int
rte_mps_proc_list(struct rte_mps_proc_info *info, unsigned int n);

/**
 * Pid of the primary process of the group.
 *
 * @return
 *   The primary's pid, or -EINVAL if not initialised.
 */
__rte_experimental
int
rte_mps_primary_pid(void);

/**
 * Claim a floating lcore id for the calling thread.
 *
 * Lock-free. The id is one that no live member uses in its EAL lcore set
 * and that no live thread has claimed; ids of dead owners are reclaimed
 * (their mempool caches flushed) when no free id is left. Ids are taken
 * from RTE_MAX_LCORE - 1 downwards, so that the low ids usually given
 * with -l stay free for processes that restart. On success the calling
 * thread's rte_lcore_id() returns the id until rte_mps_lcore_release().
 *
 * @return
 *   The lcore id (>= 0), or a negative errno value (rte_errno is also set):
 *   - -EINVAL: not initialised.
 *   - -EEXIST: the thread already holds a floating id.
 *   - -ENOSPC: no id free.
 */
__rte_experimental
int
rte_mps_lcore_claim(void);

/**
 * Release the floating lcore id of the calling thread.
 *
 * The calling thread's rte_lcore_id() becomes what it was before the
 * claim. The thread's mempool caches are flushed first if flush is
 * non-zero.
 *
 * @param flush
 *   Flush the lcore's cache in every mempool before release.
 * @return
 *   0 on success, -ENOENT if the thread holds no floating id, -EINVAL if
 *   not initialised.
 */
__rte_experimental
int
rte_mps_lcore_release(int flush);

/**
 * Floating lcore id held by the calling thread.
 *
 * @return
 *   The id, or -ENOENT if the thread holds none.
 */
__rte_experimental
int
rte_mps_lcore_self(void);

/**
 * Owner of an lcore id in the shared table.
 *
 * @param lcore_id
 *   Lcore id.
 * @param pid
 *   Output (may be NULL): pid of the owner.
 * @return
 *   0 if free, 1 if used as an EAL lcore of a member, 2 if claimed as a
 *   floating lcore, 3 if being reclaimed, or -EINVAL.
 */
__rte_experimental
int
rte_mps_lcore_owner(unsigned int lcore_id, pid_t *pid);

/**
 * Reclaim every lcore id and process slot whose owner is dead.
 *
 * The dead owner's per-lcore cache in every mempool is flushed back to the
 * pool before the id becomes free.
 *
 * @return
 *   Number of lcore ids reclaimed, or -EINVAL if not initialised.
 */
__rte_experimental
int
rte_mps_lcore_reclaim(void);

/**
 * Flush one lcore id's cache in every mempool back to its pool.
 *
 * Only safe when no thread uses that lcore id.
 *
 * @param lcore_id
 *   Lcore id.
 * @return
 *   Number of objects returned to pools, or -EINVAL.
 */
__rte_experimental
int
rte_mps_lcore_cache_flush(unsigned int lcore_id);

/**
 * Register a callback for the exit of a process.
 *
 * Detection is event driven (pidfd and epoll on a control thread). Unless
 * RTE_MPS_NOTIFY_DEFER is given, the callback runs on that control thread
 * and must not block. For an own child, the exit code or signal is
 * reported; the child is reaped only with RTE_MPS_NOTIFY_REAP, otherwise it
 * stays waitable for the application.
 *
 * @param pid
 *   Process to watch (> 0), or RTE_MPS_PID_MEMBERS in the primary to be
 *   told of the exit of every secondary and forked worker that registers.
 * @param flags
 *   RTE_MPS_NOTIFY_* flags.
 * @param cb
 *   Callback.
 * @param arg
 *   Argument for the callback.
 * @return
 *   A registration handle (>= 0), or a negative errno value (rte_errno is
 *   also set):
 *   - -EINVAL: bad argument or not initialised.
 *   - -EPERM: forked worker.
 *   - -ESRCH: no such process (the callback is not called).
 *   - -ENOSPC: too many registrations.
 */
__rte_experimental
int
rte_mps_exit_notify_register(pid_t pid, unsigned int flags,
		rte_mps_exit_cb_t cb, void *arg);

/**
 * Remove an exit registration.
 *
 * Once it returns, the callback is not running and will not run.
 *
 * @param handle
 *   Handle returned by rte_mps_exit_notify_register().
 * @return
 *   0 on success, -ENOENT if unknown or already called.
 */
__rte_experimental
int
rte_mps_exit_notify_unregister(int handle);

/**
 * Run deferred exit callbacks on the calling thread.
 *
 * @return
 *   Number of callbacks run.
 */
__rte_experimental
int
rte_mps_exit_notify_poll(void);

/**
 * File descriptor readable while deferred callbacks are pending.
 *
 * An eventfd the application can add to its own epoll or poll loop before
 * calling rte_mps_exit_notify_poll().
 *
 * @return
 *   The descriptor, or -EINVAL if not initialised.
 */
__rte_experimental
int
rte_mps_exit_notify_fd(void);

/**
 * Declare a worker and create its command channel.
 *
 * Main process only; must precede any fork of the worker. Creates the two
 * command rings (main to worker and back) in shared memory.
 *
 * @param worker
 *   Worker index, below RTE_MPS_MAX_WORKERS.
 * @return
 *   0 on success, -EINVAL, -EEXIST, -EPERM (forked worker) or -ENOMEM.
 */
__rte_experimental
int
rte_mps_worker_add(unsigned int worker);

/**
 * Forget a worker; it must not be running.
 *
 * @param worker
 *   Worker index.
 * @return
 *   0 on success, -ENOENT, -EBUSY if running, or -EPERM.
 */
__rte_experimental
int
rte_mps_worker_remove(unsigned int worker);

/**
 * Declare that a worker must stop when another exits.
 *
 * @param worker
 *   The dependent worker.
 * @param on
 *   The worker it depends on.
 * @return
 *   0 on success, -ENOENT if either is unknown, -EINVAL if equal.
 */
__rte_experimental
int
rte_mps_worker_depend(unsigned int worker, unsigned int on);

/**
 * Declare a mutual dependency (a pair), as with l2fwd's paired ports.
 *
 * @param a
 *   First worker.
 * @param b
 *   Second worker.
 * @return
 *   0 on success, -ENOENT or -EINVAL.
 */
__rte_experimental
int
rte_mps_worker_pair(unsigned int a, unsigned int b);

/**
 * Record the process now running a worker and watch it.
 *
 * rte_mps_fork() does this itself when given a worker index. The command
 * rings are emptied and the worker's state becomes running.
 *
 * @param worker
 *   Worker index.
 * @param pid
 *   Process running it.
 * @return
 *   0 on success, -ENOENT, -EBUSY if a live process already runs it, or
 *   -ESRCH if pid is not alive.
 */
__rte_experimental
int
rte_mps_worker_attach(unsigned int worker, pid_t pid);

/**
 * Pid of the process running a worker.
 *
 * @param worker
 *   Worker index.
 * @return
 *   The pid, 0 if none runs it, or -ENOENT.
 */
__rte_experimental
int
rte_mps_worker_pid(unsigned int worker);

/**
 * Set the bound on waiting for a stopped worker to exit.
 *
 * After sending STOP, the tracker waits this long for the worker to exit,
 * then sends SIGKILL and waits as long again.
 *
 * @param timeout_ms
 *   Bound in milliseconds (default 500).
 * @return
 *   0 on success, -EINVAL if zero.
 */
__rte_experimental
int
rte_mps_tracker_set_timeout(unsigned int timeout_ms);

/**
 * Stop a set of workers as if one of them had exited.
 *
 * The dependents of the given workers are stopped as well. Recovery is
 * asynchronous; rte_mps_group_wait() reports when it is over.
 *
 * @param mask
 *   Bit i set for worker i.
 * @return
 *   0 on success, -EINVAL if a bit names an unknown worker.
 */
__rte_experimental
int
rte_mps_group_stop(uint64_t mask);

/**
 * Wait until a group of stopped workers is ready to restart.
 *
 * Ready means: every worker that exited or depended on one that did has
 * exited (after STOP, or after SIGKILL when it did not comply) and its
 * resources have been reset. Exits that happen while a recovery is in
 * progress are coalesced into it.
 *
 * @param ready
 *   Output: bit i set for each worker i to restart.
 * @param timeout_ms
 *   Bound on the wait; 0 polls, a negative value waits forever.
 * @return
 *   Number of workers ready (0 on time-out), or a negative errno value.
 */
__rte_experimental
int
rte_mps_group_wait(uint64_t *ready, int timeout_ms);

/**
 * Send a command to a worker and wait for its acknowledgement.
 *
 * @param worker
 *   Worker index.
 * @param cmd
 *   Command (RTE_MPS_CMD_STOP or an application value >= RTE_MPS_CMD_USER).
 * @param timeout_ms
 *   Bound on the wait for the ack; 0 does not wait.
 * @return
 *   0 when acknowledged (or sent, with timeout 0), -ETIMEDOUT, -ENOENT,
 *   -ENOBUFS if the ring is full.
 */
__rte_experimental
int
rte_mps_cmd_send(unsigned int worker, uint32_t cmd, unsigned int timeout_ms);

/**
 * Worker side: fetch the next pending command, without blocking.
 *
 * Cheap enough for a forwarding loop.
 *
 * @param worker
 *   The calling worker's index.
 * @return
 *   The command, 0 if none is pending, or -ENOENT.
 */
__rte_experimental
int
rte_mps_cmd_poll(unsigned int worker);

/**
 * Worker side: acknowledge the last command fetched.
 *
 * @param worker
 *   The calling worker's index.
 * @param cmd
 *   The command being acknowledged.
 * @return
 *   0 on success, -ENOENT or -ENOBUFS.
 */
__rte_experimental
int
rte_mps_cmd_ack(unsigned int worker, uint32_t cmd);

/**
 * Add an lcore id whose mempool caches are flushed on worker reset.
 *
 * @param worker
 *   Worker index.
 * @param lcore_id
 *   Lcore id the worker runs as.
 * @return
 *   0 on success, -ENOENT, -EINVAL or -ENOSPC.
 */
__rte_experimental
int
rte_mps_res_lcore_cache(unsigned int worker, unsigned int lcore_id);

/**
 * Add a TX buffer (in shared memory) whose mbufs are freed on reset.
 *
 * @param worker
 *   Worker index.
 * @param buf
 *   Buffer from rte_zmalloc() or a memzone.
 * @return
 *   0 on success, -ENOENT, -EINVAL or -ENOSPC.
 */
__rte_experimental
int
rte_mps_res_tx_buffer(unsigned int worker, struct rte_eth_dev_tx_buffer *buf);

/**
 * Flag in the length of a listed TX buffer while rte_mps_tx_buffer_flush()
 * hands its packets to the port.
 */
#define RTE_MPS_TX_BUFFER_IN_FLIGHT 0x8000

/**
 * Send the packets of a listed TX buffer, safely against kill -9.
 *
 * The same as rte_eth_tx_buffer_flush(), except that the packets stay
 * listed while they are handed to the port, marked in flight
 * (RTE_MPS_TX_BUFFER_IN_FLIGHT in the length), and the buffer is emptied
 * once the port has returned. A worker killed in between leaves them
 * listed: rte_mps_res_reset() then frees those that are not free already
 * (in a mempool cache or common ring, where the driver put them). Unsent
 * packets go to the buffer's error callback, as with DPDK's function.
 *
 * @param port_id
 *   Port to send on.
 * @param queue_id
 *   TX queue.
 * @param buffer
 *   The buffer, listed with rte_mps_res_tx_buffer().
 * @return
 *   Number of packets sent.
 */
static inline uint16_t
rte_mps_tx_buffer_flush(uint16_t port_id, uint16_t queue_id,
		struct rte_eth_dev_tx_buffer *buffer)
{
	uint16_t n = buffer->length;
	uint16_t sent;

	if (n == 0)
		return 0;
	rte_atomic_store_explicit(&buffer->length, (uint16_t)(n | RTE_MPS_TX_BUFFER_IN_FLIGHT),
			rte_memory_order_release);
	sent = rte_eth_tx_burst(port_id, queue_id, buffer->pkts, n);
	rte_atomic_store_explicit(&buffer->length, 0, rte_memory_order_release);
	if (unlikely(sent != n)) {
		if (buffer->error_callback != NULL) {
			buffer->error_callback(&buffer->pkts[sent], (uint16_t)(n - sent),
					buffer->error_userdata);
		} else {
			uint16_t i;

			for (i = sent; i < n; i++)
				rte_pktmbuf_free(buffer->pkts[i]);
		}
	}
	return sent;
}

/**
 * Buffer a packet for sending, safely against kill -9.
 *
 * The same as rte_eth_tx_buffer(), but the packet is listed in the buffer
 * before the count says so, and a full buffer is sent with
 * rte_mps_tx_buffer_flush().
 *
 * @param port_id
 *   Port to send on.
 * @param queue_id
 *   TX queue.
 * @param buffer
 *   The buffer, listed with rte_mps_res_tx_buffer().
 * @param tx_pkt
 *   The packet.
 * @return
 *   Number of packets sent (0 while the buffer is not full).
 */
static inline uint16_t
rte_mps_tx_buffer(uint16_t port_id, uint16_t queue_id,
		struct rte_eth_dev_tx_buffer *buffer, struct rte_mbuf *tx_pkt)
{
	uint16_t len = buffer->length;

	buffer->pkts[len] = tx_pkt;
	rte_atomic_store_explicit(&buffer->length, (uint16_t)(len + 1), rte_memory_order_release);
	if (len + 1 < buffer->size)
		return 0;
	return rte_mps_tx_buffer_flush(port_id, queue_id, buffer);
}

/**
 * Add an in-hand burst array (in shared memory) emptied on reset.
 *
 * @param worker
 *   Worker index.
 * @param burst
 *   Burst array from rte_zmalloc() or a memzone.
 * @return
 *   0 on success, -ENOENT, -EINVAL or -ENOSPC.
 */
__rte_experimental
int
rte_mps_res_burst(unsigned int worker, struct rte_mps_burst *burst);

/**
 * Add a ring of mbufs that is drained (mbufs freed) on reset.
 *
 * @param worker
 *   Worker index.
 * @param ring
 *   The ring.
 * @return
 *   0 on success, -ENOENT, -EINVAL or -ENOSPC.
 */
__rte_experimental
int
rte_mps_res_ring(unsigned int worker, struct rte_ring *ring);

/**
 * List an mbuf pool as private to a worker and the workers stopped with it.
 *
 * When a reset covers every worker that lists mp, mp is rebuilt rather
 * than patched: the mbufs of mp found in the workers' TX buffers, burst
 * arrays and rings are dropped from them, every lcore cache of mp is
 * emptied, its common ring is reset, and each of its mbufs is initialised
 * again (rte_pktmbuf_init()) and put back once. Whatever a worker killed at
 * any instruction left behind (a cache or ring operation half done, an mbuf
 * in two places or in none) is then gone: the pool is whole again.
 *
 * Until that reset, lcore cache flushes (rte_mps_lcore_cache_flush(),
 * lcore reclaims, rte_mps_lcore_release()) leave the caches of mp alone.
 * If a worker that is not reset also lists mp, the pool is not rebuilt
 * (a warning is logged) and its mbufs are given back one by one.
 *
 * The pool is not rebuilt either while a worker that lists it has a live
 * process, including a child forked for it with rte_mps_fork() and not yet
 * attached (fork workers of such a pool with rte_mps_fork(worker)).
 *
 * Only for a pool that nothing outside these workers holds mbufs of while
 * they are stopped: no other process may use it, and the devices whose
 * queues use it must keep no mbufs of their own (no RX descriptors filled
 * in advance, no TX completions pending), as with net_null, or net_pcap
 * without infinite_rx. Stop such queues first, or do not list the pool.
 *
 * @param worker
 *   Worker index.
 * @param mp
 *   An mbuf pool from rte_pktmbuf_pool_create(), fully populated, with a
 *   ring-based mempool driver.
 * @return
 *   0 on success, -ENOENT, -ENOSPC, -EINVAL (not a fully populated mbuf
 *   pool) or -ENOTSUP (a pool that is not ring based, or with pinned
 *   external buffers).
 */
__rte_experimental
int
rte_mps_res_mempool(unsigned int worker, struct rte_mempool *mp);

/**
 * Reset a worker's resources: flush its lcore caches, free the mbufs in
 * its TX buffers, burst arrays and rings, rebuild its listed mbuf pools
 * (rte_mps_res_mempool()), and empty its command rings.
 * An mbuf listed in two places (a worker killed while moving it from its
 * burst array to a TX buffer) is freed once.
 *
 * The worker must not be running.
 *
 * @param worker
 *   Worker index.
 * @return
 *   Number of objects returned to pools, -ENOENT, or -EBUSY if running.
 */
__rte_experimental
int
rte_mps_res_reset(unsigned int worker);

/**
 * Count where the objects of a mempool are.
 *
 * Objects in registered TX buffers, burst arrays and rings belonging to mp
 * are counted in in_lists. Objects held by drivers or by the application
 * elsewhere show up as unaccounted.
 *
 * @param mp
 *   The mempool.
 * @param audit
 *   Output.
 * @return
 *   0 on success, -EINVAL.
 */
__rte_experimental
int
rte_mps_mempool_audit(struct rte_mempool *mp, struct rte_mps_audit *audit);

/**
 * Fork a worker process under the fork contract.
 *
 * Refused when memory would not be shared with the child: without
 * hugepages (--no-huge), or when the registry is not in a shared mapping.
 * In the child: parent-death signal SIGKILL, library locks reinitialised,
 * a process slot of type RTE_MPS_PROC_FORKED, and library calls needing
 * memory reservation, IPC or threads refused with -EPERM. In the parent,
 * when worker is a worker index, the child is attached to it before the
 * function returns.
 *
 * @param worker
 *   Worker index, or RTE_MPS_NO_WORKER.
 * @return
 *   In the parent, the child's pid; in the child, 0; on failure a negative
 *   errno value (rte_errno is also set):
 *   - -ENOTSUP: memory not shared (no hugepages or private mapping).
 *   - -EPERM: called in a forked worker.
 *   - -EINVAL: not initialised, or unknown worker.
 *   - -EAGAIN: fork() failed.
 */
__rte_experimental
pid_t
rte_mps_fork(int worker);

/**
 * Tell whether the calling process is a worker forked by rte_mps_fork().
 *
 * @return
 *   1 if forked worker, 0 otherwise.
 */
__rte_experimental
int
rte_mps_is_forked(void);

/**
 * Leave a forked worker: release its floating lcores and process slot,
 * then _exit().
 *
 * @param code
 *   Exit code.
 */
__rte_experimental
__rte_noreturn void
rte_mps_child_exit(int code);

#ifdef __cplusplus
}
#endif

#endif /* RTE_MPSUPPORT_H */
