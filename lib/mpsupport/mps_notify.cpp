/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <initializer_list>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>

#include "mps_private.h"

namespace mps {

pthread_mutex_t notify_mutex = PTHREAD_MUTEX_INITIALIZER;

namespace {

constexpr unsigned int MAX_REG = 256;
constexpr unsigned int QUEUE_SIZE = 256;
constexpr unsigned int MAX_RUNNING = 8;
constexpr uint64_t WAKE_EVENT = UINT64_MAX;
constexpr uint64_t ANNOUNCE_EVENT = UINT64_MAX - 1;
constexpr char IPC_NAME[] = "mps_member";

enum : uint8_t {
	R_FREE = 0,
	R_WATCHING,   /* pidfd in the epoll set */
	R_QUEUED,     /* fired, callback deferred to rte_mps_exit_notify_poll() */
	R_MEMBERS,    /* pid 0: every member exit */
};

struct reg {
	uint8_t state;
	bool internal;     /* member watch of the primary */
	bool child;        /* own child at registration */
	uint32_t gen;
	pid_t pid;
	int pidfd;
	unsigned int flags;
	rte_mps_exit_cb_t cb;
	void *arg;
};

struct deferred {
	int handle;
	rte_mps_exit_info info;
};

struct ipc_msg {
	int32_t pid;
	int32_t reserved;
	uint64_t start_time;
};
static_assert(sizeof(ipc_msg) <= RTE_MP_MAX_PARAM_LEN, "IPC message fits");

struct notifier_state {
	pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
	reg regs[MAX_REG] = {};
	deferred queue[QUEUE_SIZE] = {};
	unsigned int q_head = 0;
	unsigned int q_tail = 0;
	/*
	 * Callbacks running now, and on which thread: the notify thread and
	 * any thread in rte_mps_exit_notify_poll() may each run one.
	 */
	struct {
		int handle = -1;
		pthread_t thread;
	} running[MAX_RUNNING];
	int epfd = -1;
	int wakefd = -1;
	int deferfd = -1;
	int announcefd = -1;       /* pids forked by the fork server */
	bool started = false;
	bool ipc = false;
	rte_thread_t thread;
};

notifier_state notifier;

inline int
make_handle(unsigned int idx, uint32_t gen)
{
	return (int)(((gen & 0x7fffff) << 8) | idx);
}

reg *
find(int handle)
{
	if (handle < 0)
		return nullptr;
	unsigned int idx = (unsigned int)handle & 0xff;
	reg *r = &notifier.regs[idx];
	if (r->state == R_FREE || make_handle(idx, r->gen) != handle)
		return nullptr;
	return r;
}

void
release(reg *r)
{
	if (r->pidfd >= 0) {
		epoll_ctl(notifier.epfd, EPOLL_CTL_DEL, r->pidfd, nullptr);
		close(r->pidfd);
	}
	r->pidfd = -1;
	r->state = R_FREE;
}

/* Exit status of an exited child; reap it only when asked. */
void
child_status(pid_t pid, bool reap, rte_mps_exit_info *info)
{
	siginfo_t si;

	for (int tries = 0; tries < 100; tries++) {
		memset(&si, 0, sizeof(si));
		int opts = WEXITED | WNOHANG | (reap ? 0 : WNOWAIT);
		if (waitid(P_PID, (id_t)pid, &si, opts) < 0)
			return;    /* reaped by someone else: status unknown */
		if (si.si_pid == pid)
			break;
		usleep(10);
	}
	if (si.si_pid != pid)
		return;
	info->flags |= RTE_MPS_EXIT_STATUS_KNOWN;
	if (si.si_code == CLD_EXITED) {
		info->exit_code = si.si_status;
	} else {
		info->exit_code = -1;
		info->signal = si.si_status;
	}
}

void
run_callback(mutex_guard &lk, int handle, rte_mps_exit_cb_t cb, void *arg,
		const rte_mps_exit_info *info)
{
	unsigned int slot;

	for (;;) {
		for (slot = 0; slot < MAX_RUNNING; slot++)
			if (notifier.running[slot].handle < 0)
				break;
		if (slot < MAX_RUNNING)
			break;
		pthread_cond_wait(&notifier.cond, &notify_mutex);
	}
	notifier.running[slot].handle = handle;
	notifier.running[slot].thread = pthread_self();
	lk.unlock();
	cb(info, arg);
	lk.lock();
	notifier.running[slot].handle = -1;
	pthread_cond_broadcast(&notifier.cond);
}

/* Dispatch one fired registration (lock held; may drop it). */
void
dispatch(mutex_guard &lk, int h, const rte_mps_exit_info *info)
{
	reg *r = find(h);

	if (r == nullptr)
		return;    /* unregistered while the lock was dropped */
	if (r->flags & RTE_MPS_NOTIFY_DEFER) {
		if (notifier.q_tail - notifier.q_head >= QUEUE_SIZE) {
			MPS_LOG(ERR, "deferred exit queue full, pid %d dropped\n", (int)info->pid);
			if (r->state != R_MEMBERS)
				release(r);
			return;
		}
		notifier.queue[notifier.q_tail % QUEUE_SIZE] = { h, *info };
		notifier.q_tail++;
		uint64_t one = 1;
		if (write(notifier.deferfd, &one, sizeof(one)) < 0)
			MPS_LOG(DEBUG, "eventfd write failed\n");
		return;
	}
	rte_mps_exit_cb_t cb = r->cb;
	void *arg = r->arg;
	if (r->state != R_MEMBERS)
		release(r);
	run_callback(lk, h, cb, arg, info);
}

void member_exited(const rte_mps_exit_info *info, void *arg);

/* Called with the lock held when the pidfd of regs[idx] becomes readable. */
void
handle_exit(mutex_guard &lk, unsigned int idx)
{
	pid_t pid = notifier.regs[idx].pid;
	rte_mps_exit_info info = {};
	int fired[MAX_REG];
	unsigned int nb = 0;
	bool reap = false;
	bool child = false;

	info.pid = pid;
	info.exit_code = -1;
	info.detect_ns = now_ns();

	/* Every registration for this pid fires now; status is read once. */
	for (unsigned int i = 0; i < MAX_REG; i++) {
		reg *o = &notifier.regs[i];
		if (o->state != R_WATCHING || o->pid != pid)
			continue;
		reap |= (o->flags & RTE_MPS_NOTIFY_REAP) != 0;
		child |= o->child;
		epoll_ctl(notifier.epfd, EPOLL_CTL_DEL, o->pidfd, nullptr);
		close(o->pidfd);
		o->pidfd = -1;
		o->state = R_QUEUED;
		fired[nb++] = make_handle(i, o->gen);
	}
	if (child) {
		child_status(pid, false, &info);
		if (reap) {
			rte_mps_exit_info tmp = info;
			child_status(pid, true, &tmp);
		}
	}
	for (unsigned int k = 0; k < nb; k++) {
		reg *o = find(fired[k]);
		if (o == nullptr)
			continue;
		if (o->internal) {
			release(o);
			lk.unlock();
			member_exited(&info, nullptr);
			lk.lock();
		} else {
			dispatch(lk, fired[k], &info);
		}
	}
}

int ipc_handler(const struct rte_mp_msg *msg, const void *);

/*
 * The fork server cannot use IPC: it announces the secondaries it forks on
 * a socket, in the records the IPC message carries.
 */
void
read_announcements()
{
	struct rte_mp_msg msg = {};
	ipc_msg m;

	while (recv(notifier.announcefd, &m, sizeof(m), MSG_DONTWAIT) == (ssize_t)sizeof(m)) {
		msg.len_param = sizeof(m);
		memcpy(msg.param, &m, sizeof(m));
		ipc_handler(&msg, nullptr);
	}
}

/* Bounds of the pause before another try at the ids a reclaim left. */
constexpr int RETRY_MIN_MS = 50;
constexpr int RETRY_MAX_MS = 1600;

void
retry_left()
{
	if (self.sh == nullptr)
		return;
	mutex_guard reclaim(lcore_reclaim_mutex, std::try_to_lock);
	if (!reclaim.owns_lock())
		return;
	int k = rte_mps_lcore_reclaim();
	if (k > 0)
		MPS_LOG(INFO, "%d lcore ids reclaimed on a second try\n", k);
}

uint32_t
thread_main(void *)
{
	struct epoll_event ev[16];
	int retry_ms = RETRY_MIN_MS;
	uint64_t retry_at = 0;

	for (;;) {
		/*
		 * The reclaims run at each exit are quick: they wait on no
		 * other put, so that every exit that comes is seen first. Ids
		 * they had to leave (a put a dead process left half done that
		 * waits on another, or on a stuck tail) are then tried again by
		 * a reclaim that may wait, less and less often: nothing else
		 * may come to reclaim them when every producer of a pool waits
		 * on that put. Exits coming meanwhile do not put the try off.
		 */
		const bool left = lcores_left.load(std::memory_order_relaxed);
		int timeout = -1;
		if (!left) {
			retry_at = 0;
			retry_ms = RETRY_MIN_MS;
		} else {
			const uint64_t now = now_ns() / 1000000;
			if (retry_at == 0)
				retry_at = now + retry_ms;
			timeout = retry_at > now ? (int)(retry_at - now) : 0;
		}
		int k = epoll_wait(notifier.epfd, ev, 16, timeout);
		if (left && now_ns() / 1000000 >= retry_at) {
			retry_left();
			retry_ms = RTE_MIN(retry_ms * 2, RETRY_MAX_MS);
			retry_at = 0;
		}
		if (k == 0)
			continue;
		if (k < 0) {
			if (errno == EINTR)
				continue;
			MPS_LOG(ERR, "epoll_wait failed: %s\n", strerror(errno));
			return 0;
		}
		mutex_guard lk(notify_mutex);
		for (int i = 0; i < k; i++) {
			if (ev[i].data.u64 == WAKE_EVENT) {
				if (!notifier.started)
					return 0;
				uint64_t v;
				if (read(notifier.wakefd, &v, sizeof(v)) < 0)
					continue;
				continue;
			}
			if (ev[i].data.u64 == ANNOUNCE_EVENT) {
				lk.unlock();
				read_announcements();
				lk.lock();
				continue;
			}
			int h = (int)ev[i].data.u64;
			reg *r = find(h);
			if (r == nullptr || r->state != R_WATCHING)
				continue;
			handle_exit(lk, (unsigned int)h & 0xff);
		}
	}
	return 0;
}

int
add_reg(pid_t pid, unsigned int flags, rte_mps_exit_cb_t cb, void *arg, bool internal)
{
	int pidfd = -1;

	if (pid > 0) {
		pidfd = (int)pidfd_open(pid, 0);
		if (pidfd < 0)
			return fail(errno == ESRCH ? ESRCH : errno, "cannot watch pid %d: %s",
					(int)pid, strerror(errno));
	}
	bool child = pid > 0 && proc_ppid(pid) == getpid();

	mutex_guard lk(notify_mutex);
	for (unsigned int i = 0; i < MAX_REG; i++) {
		reg *r = &notifier.regs[i];
		if (r->state != R_FREE)
			continue;
		r->gen++;
		r->pid = pid;
		r->pidfd = pidfd;
		r->flags = flags;
		r->cb = cb;
		r->arg = arg;
		r->internal = internal;
		r->child = child;
		int h = make_handle(i, r->gen);
		if (pid == RTE_MPS_PID_MEMBERS) {
			r->state = R_MEMBERS;
			return h;
		}
		struct epoll_event ev = {};
		ev.events = EPOLLIN;
		ev.data.u64 = (uint64_t)h;
		if (epoll_ctl(notifier.epfd, EPOLL_CTL_ADD, pidfd, &ev) < 0) {
			int err = errno;
			close(pidfd);
			return fail(err, "epoll_ctl on pidfd of %d: %s", (int)pid, strerror(err));
		}
		r->state = R_WATCHING;
		return h;
	}
	if (pidfd >= 0)
		close(pidfd);
	return fail(ENOSPC, "too many exit registrations (%u)", MAX_REG);
}

/* Primary: a member exited; reclaim what it held and tell the watchers. */
void
member_exited(const rte_mps_exit_info *info, void *)
{
	/*
	 * A worker reset holds the reclaim lock for a while: do not hold the
	 * watchers back for it, tell them first and reclaim after.
	 */
	bool later = false;
	if (self.sh != nullptr) {
		mutex_guard reclaim(lcore_reclaim_mutex, std::try_to_lock);
		if (reclaim.owns_lock()) {
			int k = lcore_reclaim(false);
			reclaim.unlock();
			MPS_LOG(INFO, "member pid %d exited; %d lcore ids reclaimed\n",
					(int)info->pid, k < 0 ? 0 : k);
		} else {
			later = true;
		}
	}
	{
		mutex_guard lk(notify_mutex);
		int hs[MAX_REG];
		unsigned int nb = 0;
		for (unsigned int i = 0; i < MAX_REG; i++)
			if (notifier.regs[i].state == R_MEMBERS)
				hs[nb++] = make_handle(i, notifier.regs[i].gen);
		for (unsigned int k = 0; k < nb; k++)
			dispatch(lk, hs[k], info);
	}
	if (later) {
		int k = lcore_reclaim(false);
		MPS_LOG(INFO, "member pid %d exited; %d lcore ids reclaimed\n", (int)info->pid,
				k < 0 ? 0 : k);
	}
	/* called on another thread (IPC): the notify thread makes the patient tries */
	uint64_t one = 1;
	if (lcores_left.load(std::memory_order_relaxed) && notifier.wakefd >= 0 &&
			write(notifier.wakefd, &one, sizeof(one)) < 0)
		MPS_LOG(ERR, "cannot wake the notification thread\n");
}

int
ipc_handler(const struct rte_mp_msg *msg, const void *)
{
	ipc_msg m;

	if (msg->len_param < (int)sizeof(m)) {
		MPS_LOG(ERR, "short %s message (%d bytes)\n", IPC_NAME, msg->len_param);
		return 0;
	}
	memcpy(&m, msg->param, sizeof(m));
	if (m.pid <= 0) {
		MPS_LOG(ERR, "%s message with pid %d\n", IPC_NAME, (int)m.pid);
		return 0;
	}
	if (!proc_alive(m.pid, m.start_time)) {
		/*
		 * Dead before its announcement was read (the notify thread was
		 * busy with a reclaim, say): its watchers must hear of the exit
		 * all the same, or it is never cleaned up after.
		 */
		MPS_LOG(INFO, "member pid %d announced but already gone\n", (int)m.pid);
		rte_mps_exit_info info = {};
		info.pid = m.pid;
		info.exit_code = -1;
		info.detect_ns = now_ns();
		member_exited(&info, nullptr);
		return 0;
	}
	notify_watch_member(m.pid);
	return 0;
}

} /* namespace */

int
notify_start()
{
	if (notifier.started)
		return 0;
	notifier.epfd = epoll_create1(EPOLL_CLOEXEC);
	notifier.wakefd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	notifier.deferfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (notifier.epfd < 0 || notifier.wakefd < 0 || notifier.deferfd < 0) {
		int err = errno;
		notify_stop();
		return fail(err, "cannot create epoll or eventfd: %s", strerror(err));
	}
	struct epoll_event ev = {};
	ev.events = EPOLLIN;
	ev.data.u64 = WAKE_EVENT;
	epoll_ctl(notifier.epfd, EPOLL_CTL_ADD, notifier.wakefd, &ev);
	notifier.started = true;
	int ret = rte_thread_create_control(&notifier.thread, "mps-notify", thread_main, nullptr);
	if (ret != 0) {
		notifier.started = false;
		notify_stop();
		return fail(ret, "cannot create the notification thread: %s", strerror(ret));
	}
	unpin_thread(notifier.thread);
	return 0;
}

void
notify_stop()
{
	if (notifier.started) {
		{
			mutex_guard lk(notify_mutex);
			notifier.started = false;
		}
		uint64_t one = 1;
		if (write(notifier.wakefd, &one, sizeof(one)) < 0)
			MPS_LOG(ERR, "cannot wake the notification thread\n");
		rte_thread_join(notifier.thread, nullptr);
	}
	mutex_guard lk(notify_mutex);
	for (unsigned int i = 0; i < MAX_REG; i++)
		if (notifier.regs[i].state != R_FREE)
			release(&notifier.regs[i]);
	notifier.q_head = notifier.q_tail = 0;
	for (int *fd : { &notifier.epfd, &notifier.wakefd, &notifier.deferfd,
			&notifier.announcefd }) {
		if (*fd >= 0)
			close(*fd);
		*fd = -1;
	}
}

void
notify_forked_child()
{
	/* The thread did not survive fork(): forget it, keep the parent's fds. */
	pthread_mutex_init(&notify_mutex, nullptr);
	pthread_cond_init(&notifier.cond, nullptr);
	notifier.started = false;
	notifier.ipc = false;
	for (auto &run : notifier.running)
		run.handle = -1;
	for (unsigned int i = 0; i < MAX_REG; i++)
		notifier.regs[i].state = R_FREE;
	notifier.q_head = notifier.q_tail = 0;
	/* the primary's end of the fork servers' announcements is not for us */
	if (notifier.announcefd >= 0)
		close(notifier.announcefd);
	notifier.epfd = notifier.wakefd = notifier.deferfd = notifier.announcefd = -1;
}

int
notify_announce_fd(int fd)
{
	mutex_guard lk(notify_mutex);
	if (!notifier.started)
		return fail(EINVAL, "mpsupport is not initialised");
	if (notifier.announcefd >= 0)
		return fail(EEXIST, "an announcement socket is already watched");
	struct epoll_event ev = {};
	ev.events = EPOLLIN;
	ev.data.u64 = ANNOUNCE_EVENT;
	if (epoll_ctl(notifier.epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
		return fail(errno, "epoll_ctl on the announcement socket: %s", strerror(errno));
	notifier.announcefd = fd;
	return 0;
}

int
notify_watch_member(pid_t pid)
{
	int ret = add_reg(pid, 0, member_exited, nullptr, true);
	if (ret < 0 && ret != -ESRCH) {
		MPS_LOG(ERR, "cannot watch member pid %d: %s\n", (int)pid, rte_mps_strerror());
		return ret;
	}
	if (ret == -ESRCH) {
		rte_mps_exit_info info = {};
		info.pid = pid;
		info.exit_code = -1;
		info.detect_ns = now_ns();
		member_exited(&info, nullptr);
	}
	return 0;
}

int
notify_ipc_register()
{
	if (rte_mp_action_register(IPC_NAME, ipc_handler) < 0) {
		if (rte_errno == ENOTSUP) {
			MPS_LOG(WARNING, "IPC disabled: secondaries cannot announce themselves\n");
			return 0;
		}
		if (rte_errno != EEXIST)
			return fail(rte_errno, "cannot register IPC action %s: %s", IPC_NAME,
					rte_strerror(rte_errno));
	}
	notifier.ipc = true;
	return 0;
}

void
notify_ipc_unregister()
{
	if (notifier.ipc)
		rte_mp_action_unregister(IPC_NAME);
	notifier.ipc = false;
}

int
announce_member(pid_t pid)
{
	if (rte_eal_process_type() == RTE_PROC_PRIMARY)
		return notify_watch_member(pid);

	struct rte_mp_msg msg = {};
	ipc_msg m = {};
	m.pid = pid;
	if (rte_mps_proc_start_time(pid, &m.start_time) < 0)
		return 0;    /* already gone: the primary's reclaim sweep handles it */
	strncpy(msg.name, IPC_NAME, sizeof(msg.name) - 1);
	msg.len_param = sizeof(m);
	memcpy(msg.param, &m, sizeof(m));
	if (rte_mp_sendmsg(&msg) < 0)
		MPS_LOG(WARNING, "cannot announce pid %d to the primary: %s\n", (int)pid,
				rte_strerror(rte_errno));
	return 0;
}

} /* namespace mps */

using namespace mps;

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_exit_notify_register, 22.11)
int
rte_mps_exit_notify_register(pid_t pid, unsigned int flags, rte_mps_exit_cb_t cb, void *arg)
{
	if (self.forked)
		return fail(EPERM, "exit notification is not available in a forked worker");
	if (self.sh == nullptr || !notifier.started)
		return fail(EINVAL, "mpsupport is not initialised");
	if (cb == nullptr)
		return fail(EINVAL, "null callback");
	if (pid < 0)
		return fail(EINVAL, "bad pid %d", (int)pid);
	if (flags & ~(RTE_MPS_NOTIFY_DEFER | RTE_MPS_NOTIFY_REAP | RTE_MPS_NOTIFY_ONESHOT))
		return fail(EINVAL, "unknown flags 0x%x", flags);
	if (pid == RTE_MPS_PID_MEMBERS && rte_eal_process_type() != RTE_PROC_PRIMARY)
		return fail(EINVAL, "only the primary can watch every member");
	return add_reg(pid, flags, cb, arg, false);
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_exit_notify_unregister, 22.11)
int
rte_mps_exit_notify_unregister(int handle)
{
	if (handle < 0)
		return fail(ENOENT, "unknown exit registration %d", handle);
	mutex_guard lk(notify_mutex);
	/* Until no other thread runs its callback, whichever thread runs it. */
	auto running_elsewhere = [handle] {
		for (const auto &run : notifier.running)
			if (run.handle == handle && !pthread_equal(run.thread, pthread_self()))
				return true;
		return false;
	};
	while (running_elsewhere())
		pthread_cond_wait(&notifier.cond, &notify_mutex);
	reg *r = find(handle);
	if (r == nullptr || r->internal)
		return fail(ENOENT, "unknown or already fired exit registration %d", handle);
	release(r);
	return 0;
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_exit_notify_poll, 22.11)
int
rte_mps_exit_notify_poll(void)
{
	int count = 0;

	if (notifier.deferfd < 0)
		return 0;
	mutex_guard lk(notify_mutex);
	uint64_t v;
	if (read(notifier.deferfd, &v, sizeof(v)) < 0 && errno != EAGAIN)
		MPS_LOG(DEBUG, "eventfd read failed\n");
	while (notifier.q_head != notifier.q_tail) {
		deferred d = notifier.queue[notifier.q_head % QUEUE_SIZE];
		notifier.q_head++;
		reg *r = find(d.handle);
		if (r == nullptr)
			continue;     /* unregistered meanwhile */
		rte_mps_exit_cb_t cb = r->cb;
		void *arg = r->arg;
		if (r->state == R_QUEUED)
			release(r);
		run_callback(lk, d.handle, cb, arg, &d.info);
		count++;
	}
	return count;
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_exit_notify_fd, 22.11)
int
rte_mps_exit_notify_fd(void)
{
	if (notifier.deferfd < 0)
		return fail(EINVAL, "mpsupport is not initialised");
	return notifier.deferfd;
}
