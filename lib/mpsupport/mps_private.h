/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

#ifndef MPS_PRIVATE_H
#define MPS_PRIVATE_H

#include <stdint.h>
#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <vector>

#include <rte_thread.h>

#include <rte_common.h>
#include <rte_log.h>

#include "rte_mpsupport.h"

/*
 * Exported functions are marked as DPDK marks them since 25.07: inside a
 * DPDK tree of that kind, its build makes the version map from these
 * marks; everywhere else they are empty and version.map is used.
 */
#if __has_include(<eal_export.h>)
#include <eal_export.h>
#endif
#ifndef RTE_EXPORT_EXPERIMENTAL_SYMBOL
#define RTE_EXPORT_EXPERIMENTAL_SYMBOL(symbol, ver)
#endif

#ifndef RTE_LOG_DEFAULT_LOGTYPE
#define RTE_LOG_DEFAULT_LOGTYPE lib.mpsupport
#endif

extern int mps_logtype;
#define RTE_LOGTYPE_MPS mps_logtype

#define MPS_LOG(level, ...) \
	mps::log_line(RTE_LOG_ ## level, "MPS: " __VA_ARGS__)

namespace mps {

/*
 * rte_log() through the library's log type; in a forked worker, one write()
 * to stderr instead: the log stream's lock and syslog's may have been held
 * by another thread of the parent at fork() time (mps_common.cpp).
 */
void log_line(uint32_t level, const char *fmt, ...) __rte_format_printf(2, 3);

/* Shared-memory layout. Plain fixed-width words; no process-local pointers
 * (hugepage addresses are the same in every process of a DPDK group). */

/* Process slot state word: bits 0-1 state, 2-31 generation, 32-63 pid. */
enum : uint64_t {
	SLOT_FREE = 0,
	SLOT_CLAIMING = 1,
	SLOT_LIVE = 2,
};

/* Lcore word: bits 0-1 kind, 2-7 process slot, 8-31 slot generation
 * (low 24 bits), 32-63 thread id (floating) or 0. */
enum : uint64_t {
	LC_FREE = 0,
	LC_EAL = 1,
	LC_FLOAT = 2,
	LC_RECLAIM = 3,
};

constexpr unsigned int LCORE_WORDS = RTE_MAX_LCORE / 64;
static_assert(RTE_MAX_LCORE % 64 == 0, "lcore sets are 64-bit words");
static_assert(RTE_MPS_MAX_PROCS <= 64, "slot index is 6 bits");

struct alignas(64) proc_slot {
	uint64_t state;        /* atomic, see SLOT_* */
	uint64_t start_time;
	int32_t pid;
	int32_t parent_pid;
	uint32_t type;
	int32_t worker;
	uint64_t lcores[LCORE_WORDS];
};

/* Worker states. */
enum : uint32_t {
	W_NONE = 0,     /* not declared */
	W_IDLE = 1,     /* declared, nothing running */
	W_RUNNING = 2,
	W_STOPPING = 3,
	W_READY = 4,    /* stopped, resources reset, may restart */
};

enum : uint32_t {
	RES_NONE = 0,
	RES_LCORE = 1,
	RES_TXBUF = 2,
	RES_BURST = 3,
	RES_RING = 4,
	RES_POOL = 5,    /* mempool rebuilt when its workers are reset */
	RES_RXQ = 6,     /* port (addr) and RX queue (lcore) the worker reads */
	RES_TXQ = 7,     /* port (addr) and TX queue (lcore) the worker sends on */
};

struct res_entry {
	uint32_t type;
	uint32_t lcore;
	uint64_t addr;    /* hugepage address, same in every process */
};
static_assert(sizeof(res_entry) == 16, "res_entry layout");

struct worker_slot {
	uint32_t state;       /* atomic, W_* */
	int32_t pid;
	uint64_t start_time;
	uint64_t deps;        /* bit j: stops when worker j exits */
	uint32_t restarts;
	uint32_t owner_pid;   /* process running the tracker */
	uint64_t cmd_seq;
	res_entry res[RTE_MPS_MAX_RES];
};
static_assert(sizeof(worker_slot) == 40 + 16 * RTE_MPS_MAX_RES, "worker_slot layout");

struct shared {
	uint64_t magic;
	uint32_t version;
	uint32_t size;
	uint32_t max_lcore;
	uint32_t max_procs;
	uint32_t max_workers;
	int32_t primary_pid;
	uint64_t primary_start;
	uint64_t pid_ns;      /* inode of the primary's pid namespace, 0 unknown */
	uint64_t rebuilding;  /* lcore word of a process rebuilding a pool, or 0 */
	uint8_t pad0[64 - 56];
	uint64_t lcore[RTE_MAX_LCORE];
	proc_slot procs[RTE_MPS_MAX_PROCS];
	worker_slot workers[RTE_MPS_MAX_WORKERS];
};
static_assert(sizeof(proc_slot) % 64 == 0, "proc_slot is cache aligned");
static_assert(offsetof(shared, lcore) == 64, "shared header is one line");
static_assert(sizeof(shared) == 64 + 8 * RTE_MAX_LCORE +
	      sizeof(proc_slot) * RTE_MPS_MAX_PROCS +
	      sizeof(worker_slot) * RTE_MPS_MAX_WORKERS, "shared layout");

/* Atomic helpers on plain shared words. */
template <typename T>
static inline T
load(const T *p)
{
	return rte_atomic_load_explicit(p, rte_memory_order_acquire);
}

template <typename T>
static inline void
store(T *p, T v)
{
	rte_atomic_store_explicit(p, v, rte_memory_order_release);
}

template <typename T>
static inline bool
cas(T *p, T &expected, T desired)
{
	return rte_atomic_compare_exchange_strong_explicit(p, &expected, desired,
			rte_memory_order_acq_rel, rte_memory_order_acquire);
}

static inline uint64_t
slot_word(uint64_t state, uint32_t gen, int32_t pid)
{
	return (state & 3) | ((uint64_t)(gen & 0x3fffffff) << 2) |
		((uint64_t)(uint32_t)pid << 32);
}

static inline uint64_t
slot_state(uint64_t w)
{
	return w & 3;
}

static inline uint32_t
slot_gen(uint64_t w)
{
	return (uint32_t)(w >> 2) & 0x3fffffff;
}

static inline int32_t
slot_pid(uint64_t w)
{
	return (int32_t)(w >> 32);
}

static inline uint64_t
lc_word(uint64_t kind, unsigned int slot, uint32_t gen, uint32_t tid)
{
	return (kind & 3) | ((uint64_t)(slot & 63) << 2) |
		((uint64_t)(gen & 0xffffff) << 8) | ((uint64_t)tid << 32);
}

static inline uint64_t
lc_kind(uint64_t w)
{
	return w & 3;
}

static inline unsigned int
lc_slot(uint64_t w)
{
	return (unsigned int)(w >> 2) & 63;
}

static inline uint32_t
lc_gen(uint64_t w)
{
	return (uint32_t)(w >> 8) & 0xffffff;
}

/* pidfd system calls (glibc's declarations lack C linkage for C++). */
static inline int
pidfd_open(pid_t pid, unsigned int flags)
{
	return (int)syscall(SYS_pidfd_open, pid, flags);
}

static inline int
pidfd_send_signal(int pidfd, int sig, siginfo_t *info, unsigned int flags)
{
	return (int)syscall(SYS_pidfd_send_signal, pidfd, sig, info, flags);
}

/* This process's attachment to the group (mps_init.cpp). */
struct process_state {
	shared *sh;          /* the registry memzone, nullptr before rte_mps_init() */
	int slot;            /* own process slot, -1 if none */
	uint32_t gen;        /* generation of own slot */
	bool forked;         /* forked worker (rte_mps_fork child) */
	int32_t pid;
};
extern process_state self;

/*
 * A mutex held for a scope. unlock() and lock() drop it around a call that
 * must not run under it. Every lock of the library is taken this way, but
 * for the fork handlers, which hold the locks across fork().
 */
class mutex_guard {
public:
	explicit mutex_guard(pthread_mutex_t &m) : m_(m) { lock(); }
	mutex_guard(pthread_mutex_t &m, std::try_to_lock_t) : m_(m)
	{
		held_ = pthread_mutex_trylock(&m_) == 0;
	}
	~mutex_guard()
	{
		if (held_)
			unlock();
	}
	mutex_guard(const mutex_guard &) = delete;
	mutex_guard &operator=(const mutex_guard &) = delete;
	void lock()
	{
		pthread_mutex_lock(&m_);
		held_ = true;
	}
	void unlock()
	{
		held_ = false;
		pthread_mutex_unlock(&m_);
	}
	bool owns_lock() const { return held_; }
	/* In a forked child that reinitialised the lock: nothing to unlock. */
	void forget() { held_ = false; }

private:
	pthread_mutex_t &m_;
	bool held_ = false;
};

/* Common (mps_common.cpp): set rte_errno and the thread's message; return -err. */
int fail(int err, const char *fmt, ...) __rte_format_printf(2, 3);
void clear_error();

/* Whether len bytes at addr hold a registry this build can use (magic,
 * layout version, sizes); 0, or -EPROTO with the reason in the error text. */
int check_memzone(const void *addr, size_t len);

/* A telemetry parameter that names a pid: decimal digits, 1..INT_MAX. */
int parse_pid_param(const char *params, int *pid);
uint64_t now_ns();
int unpin_thread(rte_thread_t thread);

/* Liveness (mps_proc.cpp), the only reader of /proc. */
bool proc_alive(pid_t pid, uint64_t start_time);
int proc_ppid(pid_t pid);
bool proc_mapping_shared(const void *addr);
const char *proc_type_name(uint32_t type);

/* Registry (mps_registry.cpp). */
bool slot_word_alive(const shared *sh, unsigned int slot, uint64_t w);
int slot_register(uint32_t type, int32_t parent_pid, int32_t worker,
		const uint64_t *lcores);
void slot_release_own();
int reclaim_dead_slots();

/* Lcores (mps_lcore.cpp). */
extern pthread_mutex_t lcore_reclaim_mutex;
bool lc_owner_alive(const shared *sh, uint64_t w);
/* Pid of an lcore word's owner, 0 if free or its slot was reused. */
int32_t lc_owner_pid(const shared *sh, uint64_t w);
void lcore_release_slot(unsigned int slot, uint32_t gen, bool flush);
void lcore_forget_thread();
/* The calling thread's EAL lcore id, under a floating one it may hold. */
unsigned int lcore_eal_id();
/* Take in the group's table the ids EAL gives registered threads. */
int lcore_callbacks_register();
void lcore_callbacks_unregister();
int lcore_snapshot_pools();
/* may_wait: rounds that wait on other producers' puts, and watch for a
 * stuck tail, when the quick ones free nothing. */
int reclaim_lcores(bool may_wait = true);
/* rte_mps_lcore_reclaim(), whose rounds may wait or not. */
int lcore_reclaim(bool may_wait);
/* The last reclaim left ids of dead owners taken (a put it could not
 * complete yet, a pool awaiting its rebuild): the notify thread tries again. */
extern std::atomic<bool> lcores_left;
int lcore_hold_dead(std::vector<std::pair<unsigned int, uint64_t>> &held, unsigned int wait_ms);
void lcore_release_held(std::vector<std::pair<unsigned int, uint64_t>> &held);
void lcore_reclaim_forked_child();
/* Puts dead processes left half done that this process completed: found by
 * their objects, and known only by the stuck tail (unwritten). */
extern std::atomic<uint64_t> dead_puts_completed, dead_puts_unwritten;

/* Exit notification (mps_notify.cpp). */
int notify_start();
void notify_stop();
void notify_forked_child();
int notify_watch_member(pid_t pid);
int notify_ipc_register();
void notify_ipc_unregister();
int announce_member(pid_t pid);
/* Watch fd for pids announced by the fork server; closed by notify_stop(). */
int notify_announce_fd(int fd);

/* Stop this process's fork server, close the announcement socket (rte_mps_fini()). */
void forksrv_fini();
/* Fork server (mps_forksrv.cpp): a start request, checked. */
struct forksrv_request {
	const char *entry;              /* in the message */
	char *cwd;                      /* in the message */
	std::vector<char *> args;       /* into the message */
	std::vector<char *> env;        /* into the message */
};
/*
 * Check the start request buf[0..got) (got may exceed bufsize: then it is
 * refused) that came with nfds fds, ctrunc if more were cut, from a peer
 * of uid peer_uid: 0 with req pointing into buf, or -1 with one line in
 * text saying why.
 */
int forksrv_parse(char *buf, size_t bufsize, size_t got, bool ctrunc, unsigned int nfds,
		uid_t peer_uid, pid_t peer_pid, forksrv_request *req, char *text, size_t textlen);
struct fs_msg;
/*
 * Check a message of got bytes from the launcher of a running secondary:
 * the signal to send the secondary (SIGINT or SIGTERM), or 0 when the
 * message is not a signal request (ignored).
 */
int forksrv_signal(const fs_msg *m, size_t got);
extern pthread_mutex_t notify_mutex;

/* Worker table (mps_worker.cpp). */
worker_slot *worker_slot_of(unsigned int w);
bool worker_alive(unsigned int w);
int check_main_process(const char *what);
/* Unit tests only: called by rte_mps_worker_attach() between its pidfd and
 * its start-time read (app/test/mpsupport/test_hazards.cpp). */
extern void (*test_hook_attach)(pid_t pid);

/* Recovery thread (mps_recovery.cpp). Its lock also guards the local side
 * of the worker table: exit registrations, pidfds, pending and ready sets. */
struct recovery_state {
	pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	pthread_cond_t wake;        /* the recovery thread */
	pthread_cond_t ready_cond;  /* rte_mps_group_wait() */
	bool cond_init = false;
	bool running = false;
	bool quit = false;
	rte_thread_t thread;
	uint64_t pending = 0;       /* exited or asked to stop, not yet handled */
	uint64_t ready = 0;
	uint64_t undead = 0;        /* alive after SIGKILL and its bound */
	unsigned int timeout_ms = 500;
	int exit_handle[RTE_MPS_MAX_WORKERS];
	int pidfd[RTE_MPS_MAX_WORKERS];
	/*
	 * Steps of the last recovery (CLOCK_MONOTONIC ns), read by telemetry:
	 * the tracker woken, STOP sent to the live ones, every process gone,
	 * the reset done (the group then reported ready).
	 */
	std::atomic<uint64_t> last_wake_ns{0};
	std::atomic<uint64_t> last_stop_ns{0};
	std::atomic<uint64_t> last_gone_ns{0};
	std::atomic<uint64_t> last_reset_ns{0};
};
extern recovery_state recovery;
int recovery_start();                                   /* lock held */
void recovery_request(uint64_t mask);                   /* lock held */
void recovery_unwatch(mutex_guard &lk, unsigned int w); /* lock held */
void recovery_worker_exited(const rte_mps_exit_info *info, void *arg);
void recovery_stop();
void recovery_forked_child();

/* Command channel (mps_cmd.cpp). */
int cmd_channel_create(unsigned int w);
void cmd_channel_free(unsigned int w);
void cmd_channel_drain(unsigned int w);
void cmd_channel_drain_acks(unsigned int w);
void cmd_channel_forget();
void cmd_send_stop(unsigned int w);
void cmd_send_capture(unsigned int w);

/* Capture (mps_capture.cpp). */
void capture_fork_prepare();
void capture_fork_parent();
void capture_fork_child();
void capture_forked_child(int worker, bool standby);
void capture_join_standby();
extern bool capture_join_pending;    /* a standby, not yet taking part */
void capture_prepare_fork(int worker);
void capture_reset(uint64_t mask);
void capture_apply_command();

/* Resources (mps_res.cpp). */
int res_reset_worker(unsigned int worker);
int res_reset_set(uint64_t mask);
void res_settle_dead();
bool res_pool_awaits_rebuild(const struct rte_mempool *mp, uint64_t resetting);
void pool_ring_objs(const struct rte_mempool *mp, std::vector<void *> &out);
extern pthread_mutex_t res_launch_mutex;
void res_launch_forked_child();
int lcore_cache_flush_in_reset(unsigned int lcore, uint64_t mask);

/* Fork (mps_fork.cpp): locks held across rte_mps_fork()'s fork(),
 * reinitialised in the child. */
void fork_prepare();
void fork_parent();
void fork_child();
bool forking_thread_lasts();

} /* namespace mps */

#endif /* MPS_PRIVATE_H */
