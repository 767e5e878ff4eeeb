// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite leakscope_self_mem: module/self_mem.c charges what the
 * allocator took and uncharges exactly that, so self_kb returns to where
 * it was when everything is freed.
 */
#include <kunit/test.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "self_mem.h"

#define LS_MEM_HEAD	16	/* sizeof(struct ls_mem_head) */

static void small_block_charges_its_bucket(struct kunit *test)
{
	u64 before = ls_mem_bytes();
	char *p = ls_mem_zalloc(100, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, before + kmalloc_size_roundup(100 + LS_MEM_HEAD),
			ls_mem_bytes());
	KUNIT_EXPECT_EQ(test, 0, p[0] | p[99]);
	KUNIT_EXPECT_TRUE(test, IS_ALIGNED((unsigned long)p, 16));
	ls_mem_free(p);
	KUNIT_EXPECT_EQ(test, before, ls_mem_bytes());
}

static void large_block_charges_pages(struct kunit *test)
{
	size_t size = 3 * PAGE_SIZE * 64 + 1;
	u64 before = ls_mem_bytes(), charged;
	u8 *p = ls_mem_alloc(size, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	charged = ls_mem_bytes() - before;
	/* Whichever way kvmalloc went: whole pages, at least the size. */
	KUNIT_EXPECT_GE(test, charged, (u64)size + LS_MEM_HEAD);
	KUNIT_EXPECT_EQ(test, 0ULL, charged % PAGE_SIZE);
	p[size - 1] = 1;
	ls_mem_free(p);
	KUNIT_EXPECT_EQ(test, before, ls_mem_bytes());
}

static void array_overflow_refused(struct kunit *test)
{
	u64 before = ls_mem_bytes();

	KUNIT_EXPECT_NULL(test, ls_mem_array(SIZE_MAX / 2, 4, GFP_KERNEL));
	KUNIT_EXPECT_NULL(test, ls_mem_alloc(SIZE_MAX - 8, GFP_KERNEL | __GFP_NOWARN));
	ls_mem_free(NULL);
	KUNIT_EXPECT_EQ(test, before, ls_mem_bytes());
}

static struct kunit_case self_mem_cases[] = {
	KUNIT_CASE(small_block_charges_its_bucket),
	KUNIT_CASE(large_block_charges_pages),
	KUNIT_CASE(array_overflow_refused),
	{}
};

static struct kunit_suite self_mem_suite = {
	.name = "leakscope_self_mem",
	.test_cases = self_mem_cases,
};

kunit_test_suites(&self_mem_suite);
