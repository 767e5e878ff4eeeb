// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite leakscope_keysort: module/keysort.c, the stable merge sort
 * the sampler orders processes, mms, rows and vmalloc areas with.
 */
#include <kunit/test.h>
#include <linux/random.h>
#include <linux/slab.h>

#include "keysort.h"

#define N 3000

/* Ascending by key, equal keys in index order (the sort is stable). */
static bool ordered(const struct ls_key *a, u32 n)
{
	u32 i;

	for (i = 1; i < n; i++)
		if (a[i - 1].key > a[i].key ||
		    (a[i - 1].key == a[i].key && a[i - 1].idx > a[i].idx))
			return false;
	return true;
}

static void check(struct kunit *test, u32 n, u64 (*key)(u32 i))
{
	struct ls_key *a = kunit_kcalloc(test, n + 1, sizeof(*a), GFP_KERNEL);
	struct ls_key *tmp = kunit_kcalloc(test, n + 1, sizeof(*a), GFP_KERNEL);
	u64 sum = 0, after = 0;
	u32 i;

	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, tmp);
	for (i = 0; i < n; i++) {
		a[i].key = key(i);
		a[i].idx = i;
		sum += a[i].key * 31 + i;
	}
	ls_keysort(a, tmp, n);
	for (i = 0; i < n; i++)
		after += a[i].key * 31 + a[i].idx;
	KUNIT_EXPECT_TRUE_MSG(test, ordered(a, n), "n=%u", n);
	/* The same pairs, only moved. */
	KUNIT_EXPECT_EQ(test, sum, after);
}

static u64 k_up(u32 i) { return i; }
static u64 k_down(u32 i) { return N - i; }
static u64 k_rand(u32 i) { return get_random_u64(); }
static u64 k_few(u32 i) { return get_random_u32() % 3; }
static u64 k_wrap(u32 i) { return (i + N / 2) % N; }

static void keysort_orders(struct kunit *test)
{
	static u64 (*const keys[])(u32) = { k_up, k_down, k_rand, k_few,
					    k_wrap };
	static const u32 sizes[] = { 0, 1, 2, 5, 100, N };
	u32 k, s;

	for (k = 0; k < ARRAY_SIZE(keys); k++)
		for (s = 0; s < ARRAY_SIZE(sizes); s++)
			check(test, sizes[s], keys[k]);
}

static void keysort_signed_keys(struct kunit *test)
{
	KUNIT_EXPECT_LT(test, ls_key_s64(-1), ls_key_s64(0));
	KUNIT_EXPECT_LT(test, ls_key_s64(S64_MIN), ls_key_s64(S64_MAX));
	KUNIT_EXPECT_GT(test, ls_key_s64_desc(-1), ls_key_s64_desc(0));
	KUNIT_EXPECT_GT(test, ls_key_s64_desc(S64_MIN), ls_key_s64_desc(5));
}

static struct kunit_case keysort_cases[] = {
	KUNIT_CASE(keysort_orders),
	KUNIT_CASE(keysort_signed_keys),
	{}
};

static struct kunit_suite keysort_suite = {
	.name = "leakscope_keysort",
	.test_cases = keysort_cases,
};

kunit_test_suite(keysort_suite);
