/* SPDX-License-Identifier: GPL-2.0 */
/* The few kernel-style helpers the reader uses, for libc builds. */
#ifndef LS_COMPILER_H
#define LS_COMPILER_H

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

#ifndef __printf
#define __printf(a, b)	__attribute__((format(printf, a, b)))
#endif

#endif /* LS_COMPILER_H */
