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
		/* page events: 6.1's and 6.12's allocator frames */
		"__alloc_pages+0x1c5/0x320", "__alloc_pages_noprof+0x1a1/0x350",
		"alloc_pages_mpol_noprof+0x94/0x1e0", "alloc_pages+0x90/0x1a0",
		"__get_free_pages+0xd/0x40", "get_free_pages_noprof+0xd/0x40",
		"__traceiter_mm_page_alloc+0x2d/0x50", "folio_alloc+0x1a/0x50",
		/* percpu: the event's site inside the wrappers on 6.1 */
		"pcpu_alloc+0x3b0/0x8a0", "pcpu_alloc_noprof+0x3b0/0x8a0",
		"__alloc_percpu+0x15/0x20",
	};
	static const char *const no[] = {
		"ls_leaky_grow+0x2a/0x90 [ls_leaky]", "kstrdupx+0x1/0x2",
		"kmalloc_foo+0x1/0x2 [drv]", "alloc_inode+0x20/0x100",
		"_noprof+0x1/0x2", "", "0xffffffffc0001234",
		"__kmalloc_reserve+0x1/0x2", "kmallocX",
		"ls_leaky_pages_leak+0x1e/0x70 [ls_leaky]",
		"alloc_pages_foo+0x1/0x2 [drv]", "vm_area_alloc_pages+0x1/0x2",
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(yes); i++)
		EXPECT_TRUE(ls_site_skip(yes[i])) TH_LOG("yes[%u]", i);
	for (i = 0; i < ARRAY_SIZE(no); i++)
		EXPECT_FALSE(ls_site_skip(no[i])) TH_LOG("no[%u]", i);
}

TEST(owners)
{
	static const struct {
		const char *sym;
		enum ls_site_owner owner;
	} cases[] = {
		{ "allocate_slab+0x12e/0x4a0", LS_OWNER_SLAB },
		{ "___kmalloc_large_node+0x3b/0xe0", LS_OWNER_SLAB },
		{ "__kmalloc_large_node_noprof+0x1d/0xb0", LS_OWNER_SLAB },
		{ "kmalloc_order+0x2a/0x90", LS_OWNER_SLAB },
		{ "vm_area_alloc_pages.constprop.0+0x1/0x2", LS_OWNER_VMALLOC },
		{ "__vmalloc_node_range_noprof+0x1/0x2", LS_OWNER_VMALLOC },
		{ "pcpu_populate_chunk+0x1/0x2", LS_OWNER_PERCPU },
		{ "pcpu_alloc_pages.constprop.0+0x1/0x2", LS_OWNER_PERCPU },
		{ "ls_leaky_pages_leak+0x1e/0x70 [ls_leaky]", LS_OWNER_NONE },
		{ "__alloc_pages+0x1c5/0x320", LS_OWNER_NONE },
		{ "kstrdup+0x2e/0x60", LS_OWNER_NONE },
		{ "", LS_OWNER_NONE },
		{ NULL, LS_OWNER_NONE },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		EXPECT_EQ(cases[i].owner, ls_site_owner(cases[i].sym))
			TH_LOG("%s", cases[i].sym ?: "NULL");
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
