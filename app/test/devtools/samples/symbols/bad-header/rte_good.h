/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

#ifndef RTE_GOOD_H
#define RTE_GOOD_H

/**
 * @file
 * A sample library whose map, header and sources agree.
 */

#include <stdint.h>

#include <rte_compat.h>


/** A callback type: not an exported function. */
typedef int (*rte_good_cb)(void *arg);

/**
 * Count.
 *
 * @return
 *   The count.
 */
__rte_experimental uint32_t
rte_good_count(void);

/**
 * Run a callback.
 *
 * @param cb
 *   The callback.
 * @param arg
 *   Its argument.
 * @return
 *   What the callback returned.
 */
__rte_experimental
int
rte_good_run(rte_good_cb cb, void *arg);

/** An inline helper: not exported either. */
static inline int *
rte_good_first(void *array)
{
	int *first = array;
	return first;
}


#endif /* RTE_GOOD_H */
