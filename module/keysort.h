/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sorting records by a 64-bit key through a small (key, index) array, so
 * that big records are moved once, into their final place, and never
 * swapped around by a comparison sort.
 */
#ifndef LS_KEYSORT_H
#define LS_KEYSORT_H

#include "ls_pure.h"

struct ls_key {
	u64 key;
	u32 idx;
};

/*
 * Stable ascending sort of @a[0..n) by key, @tmp holding n more.  A
 * natural merge sort: input that is already in order (processes come in
 * pid order, callers in address order) costs one pass.
 */
void ls_keysort(struct ls_key *a, struct ls_key *tmp, u32 n);

/* Keys that sort signed values: ascending, and descending. */
static inline u64 ls_key_s64(s64 v)
{
	return (u64)v ^ (1ULL << 63);
}

static inline u64 ls_key_s64_desc(s64 v)
{
	return ~ls_key_s64(v);
}

#endif /* LS_KEYSORT_H */
