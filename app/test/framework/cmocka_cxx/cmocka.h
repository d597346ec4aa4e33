/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-mp-pack contributors
 */

/*
 * libcmocka 1.1's <cmocka.h> declares its functions without extern "C"
 * guards; with -Dtest_framework=cmocka this wrapper is found first so the
 * C++ test sources link against the C library.
 */

#ifndef MP_PACK_CMOCKA_CXX_H
#define MP_PACK_CMOCKA_CXX_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif
#include_next <cmocka.h>
#ifdef __cplusplus
}
#endif

#endif /* MP_PACK_CMOCKA_CXX_H */
