/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/*
 * librte_mpsupport's check of a registry memzone that another build may
 * have written: the input is the memzone's first bytes (the rest zero) and
 * its length.
 */

#include <string.h>

#include <new>

#include "fuzz_common.h"
#include "mps_private.h"

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static mps::shared *mz = static_cast<mps::shared *>(
		aligned_alloc(64, RTE_ALIGN_CEIL(sizeof(mps::shared), 64)));
	size_t len = sizeof(mps::shared);

	if (size >= 2) {
		/* The first two bytes shorten the memzone by up to 64 kB. */
		len -= RTE_MIN(len, static_cast<size_t>(data[0] | data[1] << 8));
		data += 2;
		size -= 2;
	}
	memset(static_cast<void *>(mz), 0, sizeof(*mz));
	memcpy(static_cast<void *>(mz), data, RTE_MIN(size, sizeof(*mz)));
	const int ret = mps::check_memzone(mz, len);
	if (ret != 0 && (ret != -EPROTO || rte_mps_strerror()[0] == '\0'))
		abort();
	/* Only this build's own header passes. */
	if (ret == 0 && (len < sizeof(*mz) || mz->magic != RTE_MPS_MAGIC ||
			 mz->version != RTE_MPS_LAYOUT_VERSION || mz->size != sizeof(*mz)))
		abort();
	return 0;
}
