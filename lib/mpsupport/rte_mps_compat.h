/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

#ifndef RTE_MPS_COMPAT_H
#define RTE_MPS_COMPAT_H

/**
 * @file
 * Differences between the DPDK releases the pack supports (22.11 and later).
 *
 * Not for direct inclusion: rte_mpsupport.h includes it. The pack is
 * written against the API of DPDK 23.11 and later; on an older release
 * this header supplies the part of it the pack uses, under the same names,
 * so that the rest of the pack has no version test of its own:
 * - the rte_atomic_*_explicit() operations and rte_memory_order_* values
 *   of rte_stdatomic.h (23.11), on plain fields, as DPDK defines them when
 *   it is built without enable_stdatomic;
 * - rte_tel_data_add_dict_uint() (23.03), which replaced
 *   rte_tel_data_add_dict_u64();
 * - rte_thread_create_control() (23.11), with rte_thread_create() and
 *   rte_thread_setname() (for code built with ALLOW_EXPERIMENTAL_API: the
 *   thread API of 22.11 is experimental). Unlike DPDK's, the thread keeps
 *   its creator's CPU affinity: the library sets it afterwards anyway.
 */

#include <rte_version.h>

#if RTE_VERSION < RTE_VERSION_NUM(23, 11, 0, 0)

#include <pthread.h>

#include <rte_lcore.h>
#include <rte_thread.h>

#ifndef RTE_ATOMIC
#define RTE_ATOMIC(type) type
#define rte_memory_order_relaxed __ATOMIC_RELAXED
#define rte_memory_order_acquire __ATOMIC_ACQUIRE
#define rte_memory_order_release __ATOMIC_RELEASE
#define rte_memory_order_acq_rel __ATOMIC_ACQ_REL
#define rte_memory_order_seq_cst __ATOMIC_SEQ_CST
#define rte_atomic_load_explicit(ptr, mo) __atomic_load_n(ptr, mo)
#define rte_atomic_store_explicit(ptr, val, mo) __atomic_store_n(ptr, val, mo)
#define rte_atomic_exchange_explicit(ptr, val, mo) __atomic_exchange_n(ptr, val, mo)
#define rte_atomic_fetch_add_explicit(ptr, val, mo) __atomic_fetch_add(ptr, val, mo)
#define rte_atomic_fetch_sub_explicit(ptr, val, mo) __atomic_fetch_sub(ptr, val, mo)
#define rte_atomic_compare_exchange_strong_explicit(ptr, exp, des, mo_ok, mo_fail) \
	__atomic_compare_exchange_n(ptr, exp, des, 0, mo_ok, mo_fail)
#define rte_atomic_compare_exchange_weak_explicit(ptr, exp, des, mo_ok, mo_fail) \
	__atomic_compare_exchange_n(ptr, exp, des, 1, mo_ok, mo_fail)
#endif

#if RTE_VERSION < RTE_VERSION_NUM(23, 3, 0, 0)
#define rte_tel_data_add_dict_uint rte_tel_data_add_dict_u64
#endif

#ifdef ALLOW_EXPERIMENTAL_API
static inline int
rte_thread_create_control(rte_thread_t *thread_id, const char *name,
		rte_thread_func thread_func, void *arg)
{
	int ret = rte_thread_create(thread_id, NULL, thread_func, arg);

	if (ret == 0)
		rte_thread_setname((pthread_t)thread_id->opaque_id, name);
	return ret;
}
#endif

#else /* DPDK 23.11 and later */

#include <rte_stdatomic.h>
#include <rte_thread.h>

#endif

#endif /* RTE_MPS_COMPAT_H */
