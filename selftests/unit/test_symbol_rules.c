// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of module/symbol_rules.c: which addresses found for a
 * private kernel symbol may be read.  Each refusal the resolver can meet
 * on a real kernel is here with the facts it would see: a code symbol, a
 * module's variable of the same name, an alias (another symbol starts
 * there, as kallsyms names __stop_BTF's address after .BTF_ids), an
 * address outside the image's data (per-CPU offsets, freed init data).
 */
#include "kselftest_harness.h"

#include "symbol_rules.h"

/* A plausible x86-64 image: rodata, then data, then bss */
static const struct ls_image_ranges image = {
	.start = {
		[LS_RANGE_RODATA] = 0xffffffff82000000UL,
		[LS_RANGE_DATA] = 0xffffffff83000000UL,
		[LS_RANGE_BSS] = 0xffffffff84000000UL,
	},
	.end = {
		[LS_RANGE_RODATA] = 0xffffffff82c00000UL,
		[LS_RANGE_DATA] = 0xffffffff83800000UL,
		[LS_RANGE_BSS] = 0xffffffff84400000UL,
	},
};

static const unsigned long anchors[LS_RANGE_NR] = {
	[LS_RANGE_RODATA] = 0xffffffff82000100UL,
	[LS_RANGE_DATA] = 0xffffffff83000100UL,
	[LS_RANGE_BSS] = 0xffffffff84000100UL,
};

static const char *verdict(const char *name, int ret, unsigned long addr,
			   const char *where, unsigned long size)
{
	struct ls_symbol_facts f = {
		.name = name, .ret = ret, .addr = addr, .where = where,
		.size = size,
	};

	return ls_symbol_verdict(&f, false, &image);
}

#define ACCEPTED(v)	ASSERT_EQ(NULL, (v))
#define REFUSED(why, v)	ASSERT_STREQ(why, (v) ?: "(accepted)")

TEST(data_symbol_accepted)
{
	ACCEPTED(verdict("slab_caches", -EINVAL, 0xffffffff83001000UL,
			 "slab_caches+0x0/0x10", 16));
	ACCEPTED(verdict("nr_vmalloc_pages", -EINVAL, 0xffffffff84000200UL,
			 "nr_vmalloc_pages+0x0/0x8", 8));
	ACCEPTED(verdict("hex_asc", -EINVAL, 0xffffffff82000100UL,
			 "hex_asc+0x0/0x11", 17));
}

TEST(missing_symbol)
{
	REFUSED("symbol", verdict("vmap_area_list", -ENOENT, 0, NULL, 16));
	/* No address but another error: the lookup itself failed */
	REFUSED("lookup", verdict("vmap_area_list", -EILSEQ, 0, NULL, 16));
}

TEST(code_symbol)
{
	/* The disabled probe registered: the name is code */
	REFUSED("not-data", verdict("schedule", 0, 0xffffffff81e00000UL,
				    "schedule+0x4/0xd0", 8));
	/*
	 * Refused for another reason (noinstr, blacklisted, in the middle
	 * of an instruction): not proof of data
	 */
	REFUSED("lookup", verdict("default_idle", -EILSEQ,
				  0xffffffff81e10000UL,
				  "default_idle+0x0/0x20", 8));
	REFUSED("lookup", verdict("do_int3", -EBUSY, 0xffffffff81e20000UL,
				  "do_int3+0x0/0x20", 8));
	/*
	 * -EINVAL at a text address (a blacklisted function): the name
	 * matches, the range does not
	 */
	REFUSED("range", verdict("do_nmi", -EINVAL, 0xffffffff81e30000UL,
				 "do_nmi+0x0/0x140", 8));
}

TEST(module_symbol)
{
	/* kallsyms_lookup_name() fell back to a module's variable */
	REFUSED("module", verdict("slab_caches", -EINVAL,
				  0xffffffffc0a01000UL,
				  "slab_caches+0x0/0x10 [evil]", 16));
	REFUSED("module", verdict("slab_caches", -EINVAL, 0xffffffff83001000UL,
				  NULL, 16));
}

TEST(alias)
{
	/* __stop_BTF, named after the first .BTF_ids symbol */
	REFUSED("verify", verdict("__stop_BTF", -EINVAL, 0xffffffff82a00000UL,
				  "btf_ksym_iter_id+0x0/0x4", 0));
	/* Not the start of the symbol */
	REFUSED("verify", verdict("slab_caches", -EINVAL,
				  0xffffffff83001004UL,
				  "slab_caches+0x4/0x10", 8));
	/* A prefix or an extension of the name is another name */
	REFUSED("verify", verdict("slab_cache", -EINVAL, 0xffffffff83001000UL,
				  "slab_caches+0x0/0x10", 8));
	REFUSED("verify", verdict("slab_caches", -EINVAL,
				  0xffffffff83001000UL,
				  "slab_cache+0x0/0x10", 8));
	/* No symbol there at all: sprint_symbol() prints the address */
	REFUSED("verify", verdict("slab_caches", -EINVAL,
				  0xffffffff83001000UL,
				  "0xffffffff83001000", 8));
	REFUSED("verify", verdict("slab_caches", -EINVAL,
				  0xffffffff83001000UL, "+0x0/0x10", 8));
}

TEST(marker_alias_allowed)
{
	struct ls_symbol_facts f = {
		.name = "__start_BTF", .ret = -EINVAL,
		.addr = 0xffffffff82a00000UL,
		.where = "__stop_notes+0x0/0x0", .size = 24,
	};

	ACCEPTED(ls_symbol_verdict(&f, true, &image));
	/* ... but only at the start of a symbol, in no module, in range */
	f.where = "__stop_notes+0x8/0x10";
	REFUSED("verify", ls_symbol_verdict(&f, true, &image));
	f.where = "__stop_notes+0x0/0x0 [mod]";
	REFUSED("module", ls_symbol_verdict(&f, true, &image));
	f.where = "__stop_notes+0x0/0x0";
	f.addr = 0xffffffff81000000UL;
	REFUSED("range", ls_symbol_verdict(&f, true, &image));
	/* The range markers themselves are judged with no ranges yet */
	ACCEPTED(ls_symbol_verdict(&f, true, NULL));
}

TEST(outside_ranges)
{
	/* A per-CPU symbol is an offset, not an address */
	REFUSED("range", verdict("runqueues", -EINVAL, 0x33340UL,
				 "runqueues+0x0/0x1040", 8));
	/* __initdata: freed after boot, still in kallsyms */
	REFUSED("range", verdict("boot_command_line", -EINVAL,
				 0xffffffff83a00000UL,
				 "boot_command_line+0x0/0x800", 8));
	/* Starts inside, ends past the end */
	REFUSED("range", verdict("big", -EINVAL, 0xffffffff837ffff8UL,
				 "big+0x0/0x10", 16));
	ACCEPTED(verdict("big", -EINVAL, 0xffffffff837ffff8UL,
			 "big+0x0/0x8", 8));
	/* The end of a range is outside it */
	REFUSED("range", verdict("after", -EINVAL, 0xffffffff83800000UL,
				 "after+0x0/0x8", 1));
}

TEST(ranges_check)
{
	struct ls_image_ranges r = image;
	unsigned long a[LS_RANGE_NR];

	ACCEPTED(ls_image_ranges_check(&r, anchors));
	/* An anchor outside its range: the markers are not what they say */
	memcpy(a, anchors, sizeof(a));
	a[LS_RANGE_BSS] = anchors[LS_RANGE_DATA];
	REFUSED("range", ls_image_ranges_check(&r, a));
	/* Empty, reversed, too large */
	r.end[LS_RANGE_DATA] = r.start[LS_RANGE_DATA];
	REFUSED("range", ls_image_ranges_check(&r, anchors));
	r = image;
	r.end[LS_RANGE_DATA] = r.start[LS_RANGE_DATA] - 1;
	REFUSED("range", ls_image_ranges_check(&r, anchors));
	r = image;
	r.end[LS_RANGE_BSS] = r.start[LS_RANGE_BSS] + LS_RANGE_MAX_BYTES + 1;
	REFUSED("range", ls_image_ranges_check(&r, anchors));
	/* Overlapping */
	r = image;
	r.end[LS_RANGE_RODATA] = r.start[LS_RANGE_DATA] + 0x1000;
	REFUSED("range", ls_image_ranges_check(&r, anchors));
	/* Holds */
	ASSERT_TRUE(ls_image_ranges_hold(&image, 0xffffffff84000000UL, 8));
	ASSERT_FALSE(ls_image_ranges_hold(&image, 0xffffffff83ffffffUL, 1));
	ASSERT_FALSE(ls_image_ranges_hold(&image, 0xffffffff843ffff9UL, 8));
	ASSERT_TRUE(ls_image_ranges_hold(&image, 0xffffffff843ffff8UL, 8));
	ASSERT_FALSE(ls_image_ranges_hold(&image, 0xffffffff84000000UL,
					  ~0UL));
}

TEST_HARNESS_MAIN
