/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/*
 * Command channel: two single-producer single-consumer rings per worker,
 * main to worker and back. An entry packs a sequence number with the
 * command, so that the main process knows which command an ack answers.
 *
 * Single producer, single consumer, and so immune to a user killed in the
 * middle of an operation (no other user waits on its tail): each end has
 * one user at a time. In the main process, the tracker and
 * rte_mps_cmd_send() both send and both take acks (the reset drains
 * them): cmd_mutex serialises them, and no other process sends. The
 * worker is the only one that takes commands while it runs: the main
 * drains the command ring only when the worker is gone (the reset), never
 * at attach, where the new worker may already poll.
 */

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

#include <rte_errno.h>
#include <rte_ring.h>

#include "rte_mps_capture.h"

#include "mps_private.h"

namespace mps {

namespace {

constexpr unsigned int CMD_RING_SIZE = 64;

/* The main process's side of every channel: enqueues of commands and
 * dequeues of acks. */
pthread_mutex_t cmd_mutex = PTHREAD_MUTEX_INITIALIZER;

/* Rings looked up once per process (a forked child inherits them). */
struct rte_ring *cmd_ring[RTE_MPS_MAX_WORKERS];
struct rte_ring *ack_ring[RTE_MPS_MAX_WORKERS];
thread_local uint32_t last_seq[RTE_MPS_MAX_WORKERS];

void
ring_names(unsigned int w, char *cmd, char *ack, size_t len)
{
	snprintf(cmd, len, "mps_cmd_%u", w);
	snprintf(ack, len, "mps_ack_%u", w);
}

bool
lookup_rings(unsigned int w)
{
	char cn[RTE_RING_NAMESIZE], an[RTE_RING_NAMESIZE];

	if (cmd_ring[w] != nullptr && ack_ring[w] != nullptr)
		return true;
	if (self.forked)
		return false;    /* no lookups (tailq locks) after fork */
	ring_names(w, cn, an, sizeof(cn));
	cmd_ring[w] = rte_ring_lookup(cn);
	ack_ring[w] = rte_ring_lookup(an);
	return cmd_ring[w] != nullptr && ack_ring[w] != nullptr;
}

inline void *
encode(uint32_t seq, uint32_t cmd)
{
	return reinterpret_cast<void *>(static_cast<uintptr_t>(
			(static_cast<uint64_t>(seq) << 32) | cmd));
}

inline uint32_t
decode_seq(void *p)
{
	return static_cast<uint32_t>(reinterpret_cast<uintptr_t>(p) >> 32);
}

inline uint32_t
decode_cmd(void *p)
{
	return static_cast<uint32_t>(reinterpret_cast<uintptr_t>(p));
}

void
drain(struct rte_ring *r)
{
	void *obj;

	if (r == nullptr)
		return;
	while (rte_ring_dequeue(r, &obj) == 0)
		;
}

struct rte_ring *
find_or_create(const char *name)
{
	struct rte_ring *r = rte_ring_lookup(name);

	if (r == nullptr)
		r = rte_ring_create(name, CMD_RING_SIZE, SOCKET_ID_ANY,
				RING_F_SP_ENQ | RING_F_SC_DEQ);
	return r;
}

uint32_t
next_seq(unsigned int w)
{
	return static_cast<uint32_t>(rte_atomic_fetch_add_explicit(&self.sh->workers[w].cmd_seq,
			1, rte_memory_order_acq_rel)) + 1;
}

} /* namespace */

int
cmd_channel_create(unsigned int w)
{
	char cn[RTE_RING_NAMESIZE], an[RTE_RING_NAMESIZE];

	ring_names(w, cn, an, sizeof(cn));
	struct rte_ring *c = find_or_create(cn);
	struct rte_ring *a = find_or_create(an);
	if (c == nullptr || a == nullptr)
		return fail(ENOMEM, "cannot create command rings of worker %u: %s", w,
				rte_strerror(rte_errno));
	drain(c);
	drain(a);
	cmd_ring[w] = c;
	ack_ring[w] = a;
	return 0;
}

void
cmd_channel_free(unsigned int w)
{
	if (lookup_rings(w)) {
		rte_ring_free(cmd_ring[w]);
		rte_ring_free(ack_ring[w]);
	}
	cmd_ring[w] = ack_ring[w] = nullptr;
}

void
cmd_channel_drain(unsigned int w)
{
	if (lookup_rings(w)) {
		mutex_guard lk(cmd_mutex);
		drain(cmd_ring[w]);
		drain(ack_ring[w]);
	}
}

void
cmd_channel_drain_acks(unsigned int w)
{
	if (lookup_rings(w)) {
		mutex_guard lk(cmd_mutex);
		drain(ack_ring[w]);
	}
}

void
cmd_channel_forget()
{
	for (unsigned int w = 0; w < RTE_MPS_MAX_WORKERS; w++)
		cmd_ring[w] = ack_ring[w] = nullptr;
}

void
cmd_send_stop(unsigned int w)
{
	if (!lookup_rings(w))
		return;
	mutex_guard lk(cmd_mutex);
	if (rte_ring_enqueue(cmd_ring[w], encode(next_seq(w), RTE_MPS_CMD_STOP)) != 0)
		MPS_LOG(WARNING, "command ring of worker %u full\n", w);
}

/* Not acknowledged: the worker says in shared memory what it applied. */
void
cmd_send_capture(unsigned int w)
{
	if (!lookup_rings(w))
		return;
	mutex_guard lk(cmd_mutex);
	if (rte_ring_enqueue(cmd_ring[w], encode(next_seq(w), RTE_MPS_CMD_CAPTURE)) != 0)
		MPS_LOG(WARNING, "command ring of worker %u full\n", w);
}

} /* namespace mps */

using namespace mps;

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_cmd_send, 22.11)
int
rte_mps_cmd_send(unsigned int worker, uint32_t cmd, unsigned int timeout_ms)
{
	if (worker_slot_of(worker) == nullptr || !lookup_rings(worker))
		return fail(ENOENT, "unknown worker %u", worker);
	if (cmd == 0)
		return fail(EINVAL, "command 0 is reserved");
	if (cmd == RTE_MPS_CMD_CAPTURE)
		return fail(EINVAL, "command %u is the library's", cmd);
	if (self.forked || !recovery.running)
		return fail(EPERM, "commands are sent by the process that declared the workers");
	uint32_t seq;
	{
		mutex_guard lk(cmd_mutex);
		seq = next_seq(worker);
		if (rte_ring_enqueue(cmd_ring[worker], encode(seq, cmd)) != 0)
			return fail(ENOBUFS, "command ring of worker %u is full", worker);
	}
	if (timeout_ms == 0)
		return 0;
	uint64_t deadline = now_ns() + static_cast<uint64_t>(timeout_ms) * 1000000ull;
	for (;;) {
		void *obj;
		bool acked = false;
		{
			mutex_guard lk(cmd_mutex);
			while (!acked && rte_ring_dequeue(ack_ring[worker], &obj) == 0)
				acked = decode_seq(obj) == seq && decode_cmd(obj) == cmd;
		}
		if (acked)
			return 0;
		if (now_ns() >= deadline)
			return fail(ETIMEDOUT, "worker %u did not acknowledge command %u in %u ms",
					worker, cmd, timeout_ms);
		usleep(50);
	}
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_cmd_poll, 22.11)
int
rte_mps_cmd_poll(unsigned int worker)
{
	void *obj;

	if (worker >= RTE_MPS_MAX_WORKERS)
		return -ENOENT;
	if (unlikely(cmd_ring[worker] == nullptr) && !lookup_rings(worker))
		return fail(ENOENT, "unknown worker %u", worker);
	if (unlikely(capture_join_pending))
		capture_join_standby();
	if (rte_ring_dequeue(cmd_ring[worker], &obj) != 0)
		return 0;
	if (unlikely(decode_cmd(obj) == RTE_MPS_CMD_CAPTURE)) {
		capture_apply_command();
		return 0;
	}
	last_seq[worker] = decode_seq(obj);
	return static_cast<int>(decode_cmd(obj));
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_mps_cmd_ack, 22.11)
int
rte_mps_cmd_ack(unsigned int worker, uint32_t cmd)
{
	if (worker >= RTE_MPS_MAX_WORKERS ||
			(ack_ring[worker] == nullptr && !lookup_rings(worker)))
		return fail(ENOENT, "unknown worker %u", worker);
	if (rte_ring_enqueue(ack_ring[worker], encode(last_seq[worker], cmd)) != 0)
		return fail(ENOBUFS, "ack ring of worker %u is full", worker);
	return 0;
}
