/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/*
 * mp_client's check of the server's memzone (check_server_info(), local to
 * its main.cpp), as a client finds it after another build's server.
 * Input: the memzone's length (2 bytes, up to the layout's size + 64), the
 * client's -n (1 byte), then the memzone's first bytes.
 */

#include "fuzz_common.h"

#include "../../../examples/multi_process/client_server_mp/mp_client/main.cpp"

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const size_t len = fuzz::take(data, size, 2) % (sizeof(cs::server_info) + 65);
	const auto id = static_cast<unsigned int>(fuzz::take(data, size, 1) % cs::max_clients);
	fuzz::memzone mz(len, data, size);
	std::string err;

	const int ret = check_server_info(mz.addr, mz.len, id, err);
	if (ret != 0 && ((ret != -EPROTO && ret != -EINVAL) || err.empty()))
		abort();
	if (ret != 0)
		return 0;
	/* What passes is this build's layout, with every index the client uses in range. */
	const auto *info = static_cast<const cs::server_info *>(mz.addr);
	if (len < sizeof(cs::server_info) || info->magic != cs::info_magic ||
	    info->version != cs::info_version || id >= info->num_clients ||
	    info->num_clients > cs::max_clients || info->nb_ports > cs::max_ports)
		abort();
	for (unsigned int i = 0; i < info->nb_ports; i++)
		if (info->paired[i] >= RTE_MAX_ETHPORTS)
			abort();
	return 0;
}
