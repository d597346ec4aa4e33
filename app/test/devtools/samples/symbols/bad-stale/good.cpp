/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

#include "rte_good.h"

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_good_count, 26.03)
uint32_t
rte_good_count(void)
{
	return 1;
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_good_run, 26.03)
int
rte_good_run(rte_good_cb cb, void *arg)
{
	return cb(arg);
}
