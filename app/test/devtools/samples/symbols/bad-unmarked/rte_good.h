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

#ifdef __cplusplus
extern "C" {
#endif

/** A callback type: not an exported function. */
typedef int (*rte_good_cb)(void *arg);

/**
 * Count.
 *
 * @return
 *   The count.
 */
__rte_experimental
uint32_t
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

/** A structure whose definition is not a function. */
struct rte_good_pair {
	int a; /**< First. */
	int b; /**< Second. */
};

/** An inline helper taking a struct: not exported either. */
static inline int
rte_good_sum(const struct rte_good_pair *p)
{
	return p->a + p->b;
}

/**
 * Declared after an inline function with a struct parameter.
 *
 * @return
 *   The count.
 */
__rte_experimental
uint32_t
rte_good_after(void);

#ifdef __cplusplus
}
#endif

#endif /* RTE_GOOD_H */
