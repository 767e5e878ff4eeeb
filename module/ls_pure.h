/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Types shim for the pure library (trend, suspects, control).
 *
 * These files are built twice: into leakscope.ko and into host unit tests.
 * Everything they need from the environment comes through this header, so
 * the kernel build sees only kernel headers and the host build only libc.
 */
#ifndef LS_PURE_H
#define LS_PURE_H

#ifdef __KERNEL__

#include <linux/types.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/limits.h>
#include <linux/kernel.h>
#include <linux/bits.h>

#else /* host */

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>

/* The kernel's own definitions (asm-generic/int-ll64.h), not <stdint.h>'s. */
typedef signed char s8;
typedef unsigned char u8;
typedef short s16;
typedef unsigned short u16;
typedef int s32;
typedef unsigned int u32;
typedef long long s64;
typedef unsigned long long u64;

#define U32_MAX ((u32)~0U)
#define S32_MAX ((s32)(U32_MAX >> 1))
#define U64_MAX ((u64)~0ULL)
#define S64_MAX ((s64)(U64_MAX >> 1))
#define S64_MIN ((s64)(-S64_MAX - 1))

#define BIT(nr) (1UL << (nr))
#define BIT_ULL(nr) (1ULL << (nr))

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

#endif /* __KERNEL__ */

#endif /* LS_PURE_H */
