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

/*
 * The lower bound of a binary search in an array of @nr sorted entries:
 * the first index at which @below, an expression of the index @i, is
 * false (@nr when it holds everywhere).  @below must hold on a prefix of
 * the array and nowhere after it, e.g. "a[i].id < id" in ascending ids.
 * A macro, not a function with a comparator: the searches it serves run
 * once a process or a cgroup a sample, where an indirect call costs more
 * than the comparison.
 */
#define ls_lower_bound(nr, i, below) ({				\
	u32 __lb_lo = 0, __lb_hi = (nr);				\
									\
	while (__lb_lo < __lb_hi) {					\
		u32 __lb_mid = __lb_lo + (__lb_hi - __lb_lo) / 2;	\
		bool __lb_below = ({ u32 i = __lb_mid; (below); });	\
									\
		if (__lb_below)						\
			__lb_lo = __lb_mid + 1;				\
		else							\
			__lb_hi = __lb_mid;				\
	}								\
	__lb_lo;							\
})

#endif /* LS_KEYSORT_H */
