/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

#include <cerrno>
#include <cstring>

#include <rte_errno.h>

#include "messaging.h"

namespace simple_mp {

send_status
send_message(const channel &c, const char *text, std::size_t len)
{
	void *buf;

	if (len >= message_size)
		return send_status::too_long;
	if (rte_mempool_get(c.pool, &buf) < 0)
		return send_status::pool_empty;

	memcpy(buf, text, len);
	static_cast<char *>(buf)[len] = '\0';

	if (rte_ring_enqueue(c.send_ring, buf) < 0) {
		rte_mempool_put(c.pool, buf);
		return send_status::ring_full;
	}
	return send_status::ok;
}

bool
receive_message(const channel &c, char *out)
{
	void *msg;

	if (rte_ring_dequeue(c.recv_ring, &msg) < 0)
		return false;
	memcpy(out, msg, message_size);
	out[message_size - 1] = '\0';
	rte_mempool_put(c.pool, msg);
	return true;
}

/* Create the shared objects, or find them. 8< */
int
channel_create(channel &c, int socket_id)
{
	const unsigned int flags = 0;

	c.send_ring = rte_ring_create(ring_primary_to_secondary, ring_size,
				      socket_id, flags);
	c.recv_ring = rte_ring_create(ring_secondary_to_primary, ring_size,
				      socket_id, flags);
	c.pool = rte_mempool_create(message_pool_name, pool_size, message_size,
				    pool_cache_size, 0, nullptr, nullptr,
				    nullptr, nullptr, socket_id, flags);
	if (c.send_ring == nullptr || c.recv_ring == nullptr ||
	    c.pool == nullptr)
		return -rte_errno;
	return 0;
}

int
channel_lookup(channel &c, const char **missing)
{
	/* What the primary sends on, the secondary receives on. */
	c.recv_ring = rte_ring_lookup(ring_primary_to_secondary);
	c.send_ring = rte_ring_lookup(ring_secondary_to_primary);
	c.pool = rte_mempool_lookup(message_pool_name);

	if (c.recv_ring == nullptr)
		*missing = ring_primary_to_secondary;
	else if (c.send_ring == nullptr)
		*missing = ring_secondary_to_primary;
	else if (c.pool == nullptr)
		*missing = message_pool_name;
	else
		return 0;
	return -ENOENT;
}
/* >8 End of creating or finding the shared objects. */

} /* namespace simple_mp */
