// SPDX-License-Identifier: GPL-2.0
/*
 * A stable natural merge sort of (key, index) pairs.
 *
 * The kernel's sort() is a heapsort: O(n log n) however ordered the input
 * is, with an indirect call per comparison and a three-way swap of the
 * whole record per move.  The sampler sorts thousands of records each
 * sample, most of them already in order; merging runs costs one pass for
 * those and about log2(n) passes for random keys, comparing inline.
 */
#include "keysort.h"

/* One past the end of the ascending run that starts at @i. */
static u32 ls_run_end(const struct ls_key *a, u32 i, u32 n)
{
	while (i + 1 < n && a[i].key <= a[i + 1].key)
		i++;
	return i + 1;
}

/* Merge a[lo..mid) and a[mid..hi) into out[lo..hi); ties from the left. */
static void ls_merge(const struct ls_key *a, struct ls_key *out, u32 lo,
		     u32 mid, u32 hi)
{
	u32 i = lo, j = mid, k = lo;

	while (i < mid && j < hi)
		out[k++] = a[j].key < a[i].key ? a[j++] : a[i++];
	while (i < mid)
		out[k++] = a[i++];
	while (j < hi)
		out[k++] = a[j++];
}

void ls_keysort(struct ls_key *a, struct ls_key *tmp, u32 n)
{
	struct ls_key *src = a, *dst = tmp, *t;
	u32 runs;

	if (n < 2)
		return;
	do {
		u32 i = 0;

		/* Each pass merges neighbouring runs pairwise: runs halve. */
		runs = 0;
		while (i < n) {
			u32 mid = ls_run_end(src, i, n);
			u32 end = mid < n ? ls_run_end(src, mid, n) : n;

			ls_merge(src, dst, i, mid, end);
			i = end;
			runs++;
		}
		t = src;
		src = dst;
		dst = t;
	} while (runs > 1);
	if (src != a)
		memcpy(a, src, n * sizeof(*a));
}
