// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite leakscope_kernel_btf: module/btf.c and compat_btf.c on the
 * running kernel's own BTF, found the way leakscope.ko finds it.  The
 * layouts it reads for public structures must be the ones this module
 * was compiled with (sizeof, offsetof: the same kernel), and the private
 * ones the walkers need must be there, with the lock types they take.
 */
#include <kunit/test.h>
#include <linux/list.h>
#include <linux/rbtree.h>
#include <linux/spinlock.h>
#include <linux/stddef.h>
#include <linux/vmalloc.h>

#include "compat.h"
#include "compat_btf.h"

/* As leakscope.ko does at load, and after its walkers have set up */
static int kernel_btf_suite_init(struct kunit_suite *suite)
{
	ls_compat_init();
	return ls_kernel_btf_init();
}

static void kernel_btf_suite_exit(struct kunit_suite *suite)
{
	ls_kernel_btf_done();		/* its index: kmemleak would see it */
}

static const struct ls_btf *kbtf(struct kunit *test)
{
	const struct ls_btf *btf = ls_kernel_btf();

	KUNIT_ASSERT_NOT_NULL_MSG(test, btf, "no kernel BTF: disabled=%s",
				  ls_compat_disabled());
	return btf;
}

/* Offset and size of @path in struct @sname, by BTF */
static void member(struct kunit *test, const char *sname, const char *path,
		   u32 want_off, u32 want_size)
{
	const struct ls_btf *btf = kbtf(test);
	u32 id = ls_btf_find_struct(btf, sname, NULL), off, size;

	KUNIT_ASSERT_NE_MSG(test, 0U, id, "struct %s", sname);
	KUNIT_ASSERT_EQ_MSG(test, 0,
			    ls_btf_member_bytes(btf, id, path, &off, &size),
			    "%s.%s", sname, path);
	KUNIT_EXPECT_EQ_MSG(test, want_off, off, "%s.%s", sname, path);
	KUNIT_EXPECT_EQ_MSG(test, want_size, size, "%s.%s", sname, path);
}

static void kernel_btf_found(struct kunit *test)
{
	const struct ls_btf *btf = kbtf(test);

	/* Thousands of types: the whole section, not a prefix of it */
	KUNIT_EXPECT_GT(test, btf->nr_types, 1000U);
	KUNIT_EXPECT_EQ(test, (u32)(btf->strs + btf->strs_len -
				    (const char *)btf->data), btf->size);
}

static void public_layouts_match_the_compiler(struct kunit *test)
{
	const struct ls_btf *btf = kbtf(test);

	KUNIT_EXPECT_EQ(test, (s64)sizeof(struct list_head),
			ls_btf_type_size(btf, ls_btf_find_struct(btf, "list_head",
								 NULL)));
	KUNIT_EXPECT_EQ(test, (s64)sizeof(struct vm_struct),
			ls_btf_type_size(btf, ls_btf_find_struct(btf, "vm_struct",
								 NULL)));
	member(test, "vm_struct", "addr", offsetof(struct vm_struct, addr),
	       sizeof(void *));
	member(test, "vm_struct", "caller", offsetof(struct vm_struct, caller),
	       sizeof(void *));
	member(test, "vm_struct", "nr_pages",
	       offsetof(struct vm_struct, nr_pages), sizeof(unsigned int));
	member(test, "vmap_area", "va_start",
	       offsetof(struct vmap_area, va_start), sizeof(unsigned long));
	member(test, "vmap_area", "list", offsetof(struct vmap_area, list),
	       sizeof(struct list_head));
	member(test, "vmap_area", "vm", offsetof(struct vmap_area, vm),
	       sizeof(void *));
}

static void private_layouts_the_walkers_need(struct kunit *test)
{
	static const char * const kn[] = { "list_lock", "partial", NULL };
	static const char * const vn[] = { "busy.head", "busy.lock", NULL };
	const struct ls_btf *btf = kbtf(test);
	u32 id, bit, bits, type;

	id = ls_btf_find_struct(btf, "kmem_cache_node", kn);
	KUNIT_ASSERT_NE(test, 0U, id);
	KUNIT_ASSERT_EQ(test, 0, ls_btf_member(btf, id, "list_lock", &bit,
					       &bits, &type));
	KUNIT_EXPECT_TRUE(test, ls_btf_is_typedef(btf, type, "spinlock_t"));
	KUNIT_EXPECT_EQ(test, (s64)sizeof(spinlock_t),
			ls_btf_type_size(btf, type));

	id = ls_btf_find_struct(btf, "vmap_node", vn);
	KUNIT_ASSERT_NE(test, 0U, id);
	KUNIT_ASSERT_EQ(test, 0, ls_btf_member(btf, id, "busy.lock", &bit,
					       &bits, &type));
	KUNIT_EXPECT_TRUE(test, ls_btf_is_typedef(btf, type, "spinlock_t"));
	KUNIT_EXPECT_FALSE(test, ls_btf_is_typedef(btf, type,
						   "raw_spinlock_t"));

	KUNIT_EXPECT_NE(test, 0U, ls_btf_find_struct(btf, "kmem_cache", NULL));
	KUNIT_EXPECT_NE(test, 0U, ls_btf_find_struct(btf, "slab", NULL));
}

static struct kunit_case kernel_btf_cases[] = {
	KUNIT_CASE(kernel_btf_found),
	KUNIT_CASE(public_layouts_match_the_compiler),
	KUNIT_CASE(private_layouts_the_walkers_need),
	{}
};

static struct kunit_suite kernel_btf_suite = {
	.name = "leakscope_kernel_btf",
	.suite_init = kernel_btf_suite_init,
	.suite_exit = kernel_btf_suite_exit,
	.test_cases = kernel_btf_cases,
};

kunit_test_suite(kernel_btf_suite);
