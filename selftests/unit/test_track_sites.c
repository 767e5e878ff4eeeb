// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of module/track_sites.c: which symbols are the
 * allocator or a kmalloc wrapper, as sprint_symbol() prints them.
 */
#include "kselftest_harness.h"

#include "track_sites.h"

TEST(skipped)
{
	static const char *const yes[] = {
		"kstrdup+0x2e/0x60", "kmemdup+0x1a/0x40",
		"__kmalloc_noprof+0x1a0/0x4c0", "__kmalloc+0x4b/0x140",
		"kmalloc_trace+0x25/0x90", "__kmalloc_large_node_noprof+0x11/0x90",
		"__kvmalloc_node_noprof+0x3f/0x100", "kvmalloc_node+0x1c/0xb0",
		"kmem_cache_alloc_noprof+0xf5/0x2a0", "krealloc_noprof+0x44/0x90",
		"__traceiter_kmalloc+0x2d/0x50", "kstrdup.cold+0x0/0x10",
		"kmemdup_nul+0x1/0x2", "kasprintf", "devm_kmalloc+0x3/0x90",
	};
	static const char *const no[] = {
		"ls_leaky_grow+0x2a/0x90 [ls_leaky]", "kstrdupx+0x1/0x2",
		"kmalloc_foo+0x1/0x2 [drv]", "alloc_inode+0x20/0x100",
		"_noprof+0x1/0x2", "", "0xffffffffc0001234",
		"__kmalloc_reserve+0x1/0x2", "kmallocX",
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(yes); i++)
		EXPECT_TRUE(ls_site_skip(yes[i])) TH_LOG("yes[%u]", i);
	for (i = 0; i < ARRAY_SIZE(no); i++)
		EXPECT_FALSE(ls_site_skip(no[i])) TH_LOG("no[%u]", i);
}

TEST(null)
{
	const char *none = NULL;

	EXPECT_EQ(false, ls_site_skip(none));
}

TEST(long_names_are_not_read_past)
{
	char s[200];

	memset(s, 'k', sizeof(s) - 1);
	s[sizeof(s) - 1] = '\0';
	EXPECT_FALSE(ls_site_skip(s));
}

TEST_HARNESS_MAIN
