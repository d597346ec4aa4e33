/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

#include "rte_good.h"

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_good_after,26.03)
uint32_t
rte_good_after(void)
{
	return 2;
}

uint32_t
rte_good_count(void)
{
	return 1;
}

RTE_EXPORT_INTERNAL_SYMBOL(rte_good_run)
int
rte_good_run(rte_good_cb cb, void *arg)
{
	return cb(arg);
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_good_hidden, 26.03)
uint32_t
rte_good_hidden(void)
{
	return 3;
}
