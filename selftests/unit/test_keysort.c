// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of module/keysort.c: the sampler's sort of (key, index)
 * pairs, checked against qsort on ordered, reversed, random and tied input;
 * and of ls_lower_bound(), against a linear scan.
 */
#include <stdlib.h>

#include "kselftest_harness.h"

#include "keysort.h"

#define N 5000

static struct ls_key a[N], tmp[N], want[N];

/* The reference: by key, then by index (which is stability). */
static int cmp_ref(const void *x, const void *y)
{
	const struct ls_key *p = x, *q = y;

	if (p->key != q->key)
		return p->key < q->key ? -1 : 1;
	return p->idx < q->idx ? -1 : p->idx > q->idx;
}

static void fill(u32 n, u64 (*key)(u32 i))
{
	u32 i;

	for (i = 0; i < n; i++) {
		a[i].key = key(i);
		a[i].idx = i;
	}
	memcpy(want, a, n * sizeof(*a));
	qsort(want, n, sizeof(*want), cmp_ref);
}

static bool sorted_like_ref(u32 n)
{
	u32 i;

	ls_keysort(a, tmp, n);
	for (i = 0; i < n; i++)
		if (a[i].key != want[i].key || a[i].idx != want[i].idx)
			return false;
	return true;
}

static u64 k_up(u32 i) { return i * 3ULL; }
static u64 k_down(u32 i) { return (u64)(N - i); }
static u64 k_rand(u32 i) { return ((u64)rand() << 31) ^ rand(); }
static u64 k_few(u32 i) { return rand() % 4; }
static u64 k_same(u32 i) { return 7; }
/* pids that wrapped around: two ascending runs */
static u64 k_wrap(u32 i) { return (i + N / 3) % N; }

TEST(orders)
{
	static u64 (*const keys[])(u32) = {
		k_up, k_down, k_rand, k_few, k_same, k_wrap,
	};
	static const u32 sizes[] = { 0, 1, 2, 3, 7, 64, 1000, N };
	u32 k, s;

	srand(1);
	for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
		for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
			fill(sizes[s], keys[k]);
			EXPECT_TRUE(sorted_like_ref(sizes[s]))
				TH_LOG("key kind %u, n=%u", k, sizes[s]);
		}
}

TEST(signed_keys)
{
	static const s64 v[] = { 5, -3, 0, S64_MAX, -S64_MAX - 1, 1, -1 };
	u32 i, n = sizeof(v) / sizeof(v[0]);

	for (i = 0; i < n; i++) {
		a[i].key = ls_key_s64(v[i]);
		a[i].idx = i;
	}
	ls_keysort(a, tmp, n);
	for (i = 1; i < n; i++)
		EXPECT_LT(v[a[i - 1].idx], v[a[i].idx]);
	for (i = 0; i < n; i++) {
		a[i].key = ls_key_s64_desc(v[i]);
		a[i].idx = i;
	}
	ls_keysort(a, tmp, n);
	for (i = 1; i < n; i++)
		EXPECT_GT(v[a[i - 1].idx], v[a[i].idx]);
}

/* The first index whose value is at least @v, by a scan. */
static u32 first_at_least(const u64 *vals, u32 n, u64 v)
{
	u32 i;

	for (i = 0; i < n && vals[i] < v; i++)
		;
	return i;
}

/* Every target, below, between, on and above runs of equal values. */
TEST(lower_bound)
{
	static const u32 sizes[] = { 0, 1, 2, 3, 7, 64, 1000 };
	static u64 vals[1000];
	u32 s, n, i, v, got;

	for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		n = sizes[s];
		/* Ascending in steps of 0 or 2: ties and gaps both. */
		for (i = 0; i < n; i++)
			vals[i] = i ? vals[i - 1] + 2 * (random() % 2) : 1;
		for (v = 0; v <= (n ? vals[n - 1] + 2 : 2); v++) {
			got = ls_lower_bound(n, j, vals[j] < v);
			ASSERT_EQ(first_at_least(vals, n, v), got)
				TH_LOG("n=%u, value %u", n, v);
		}
	}
}

TEST_HARNESS_MAIN
