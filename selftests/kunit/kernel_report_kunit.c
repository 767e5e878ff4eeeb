// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite leakscope_kernel_report: module/kernel_report.c, from the
 * vmalloc and slab walkers' records (walker_fakes.c stands in for the
 * walkers and the module tracker) to the rows the vmalloc and slab files
 * print: areas grouped by caller (callers whose hashes collide too),
 * caches by name, each row's values, verdict and place, the caller's name
 * (a symbol, a module gone, or a hashed pointer), the slab file's text,
 * and the suspects named.
 */
#include <kunit/test.h>
#include <linux/hash.h>
#include <linux/vmalloc.h>

#include "kernel_report.h"
#include "walker_fakes.h"

#define WINDOW	16
#define SUS	8

struct kr_ctx {
	struct ls_kernel_history kh;
	struct ls_kernel_report *r;
	struct ls_suspect sus[SUS];
	u32 found;
	s64 t_ms;
};

/* Callers of vmalloc as sprint_symbol() sees them: this module's text. */
static noinline int ls_fake_caller_a(void) { return 1; }
static noinline int ls_fake_caller_b(void) { return 2; }
static noinline int ls_fake_caller_c(void) { return 3; }
static noinline int ls_fake_caller_d(void) { return 4; }
#define CALLER_A	((unsigned long)ls_fake_caller_a)
#define CALLER_B	((unsigned long)ls_fake_caller_b)
#define CALLER_C	((unsigned long)ls_fake_caller_c)
#define CALLER_D	((unsigned long)ls_fake_caller_d)
/* The text of a module unloaded since: what ls_modtrack_orphan() knows */
#define GONE_TEXT	0xffffffffc0de0000UL

static int kr_init(struct kunit *test)
{
	struct kr_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, c);
	ls_fake_reset();
	KUNIT_ASSERT_EQ(test, 0, ls_kernel_history_init(&c->kh));
	test->priv = c;
	return 0;
}

static void kr_exit(struct kunit *test)
{
	struct kr_ctx *c = test->priv;

	ls_kernel_report_put(c->r);
	ls_kernel_history_free(&c->kh);
}

static void gone_module(const char *name, unsigned long text)
{
	ls_fake.orphan_lo = text;
	ls_fake.orphan_hi = text + 0x1000;
	strscpy(ls_fake.orphan_module, name, sizeof(ls_fake.orphan_module));
}

/* Area @i: @kb kB (guard page included, as vmallocinfo counts it). */
static void area(u32 i, unsigned long caller, u32 kb, u32 pages,
		 unsigned long flags)
{
	ls_fake.areas[i].caller = caller;
	ls_fake.areas[i].size = (unsigned long)kb << 10;
	ls_fake.areas[i].nr_pages = pages;
	ls_fake.areas[i].flags = flags;
	if (ls_fake.nr_areas <= i)
		ls_fake.nr_areas = i + 1;
}

/* Cache @i: @total objects of @size bytes, @active of them in use. */
static void cache(u32 i, const char *name, u32 size, u64 active, u64 total,
		  u64 slabs, bool reclaimable)
{
	struct ls_slab_cache *s = &ls_fake.caches[i];

	memset(s, 0, sizeof(*s));
	strscpy(s->name, name, sizeof(s->name));
	s->object_size = size;
	s->size = size;
	s->active_objs = active;
	s->total_objs = total;
	s->slabs = slabs;
	s->reclaimable = reclaimable;
	if (ls_fake.nr_caches <= i)
		ls_fake.nr_caches = i + 1;
}

/* One sample, a second after the last, and the report built from it. */
static void sample(struct kunit *test)
{
	struct kr_ctx *c = test->priv;

	c->t_ms += 1000;
	ls_kernel_history_sample(&c->kh, c->t_ms, WINDOW);
	ls_kernel_report_put(c->r);
	c->r = ls_kernel_report_build(&c->kh, c->sus, SUS, &c->found);
	KUNIT_ASSERT_NOT_NULL(test, c->r);
}

/*
 * The slab file's rows, r->slab_text, as a string: the report keeps their
 * length, not a terminating NUL.
 */
static const char *slab_text(struct kunit *test)
{
	struct kr_ctx *c = test->priv;
	char *text;

	KUNIT_ASSERT_NOT_NULL(test, c->r->slab_text);
	text = kunit_kzalloc(test, c->r->slab_text_len + 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, text);
	memcpy(text, c->r->slab_text, c->r->slab_text_len);
	return text;
}

/* "name+0x.../0x...[leakscope_kunit]": one field, this module's. */
static void expect_symbol(struct kunit *test, const char *caller,
			  const char *name)
{
	static const char mod[] = "[leakscope_kunit]";
	size_t len = strlen(caller);

	KUNIT_EXPECT_EQ_MSG(test, 0, strncmp(caller, name, strlen(name)),
			    "caller %s", caller);
	KUNIT_EXPECT_EQ_MSG(test, 0, strncmp(caller + strlen(name), "+0x", 3),
			    "caller %s", caller);
	KUNIT_EXPECT_NOT_NULL(test, strstr(caller, "/0x"));
	KUNIT_EXPECT_NULL(test, strchr(caller, ' '));
	KUNIT_ASSERT_GT(test, len, sizeof(mod));
	KUNIT_EXPECT_STREQ(test, mod, caller + len - (sizeof(mod) - 1));
}

static const struct ls_suspect *suspect_of(struct kunit *test,
					   enum ls_suspect_kind kind)
{
	struct kr_ctx *c = test->priv;
	u32 i;

	for (i = 0; i < min_t(u32, c->found, SUS); i++)
		if (c->sus[i].kind == kind)
			return &c->sus[i];
	KUNIT_FAIL_AND_ABORT(test, "no suspect of kind %d", kind);
	return NULL;
}

static void vmalloc_grouped_by_caller(struct kunit *test)
{
	struct kr_ctx *c = test->priv;
	const struct ls_vmalloc_row *v;
	char kinds[64];

	area(0, CALLER_A, 12, 2, VM_ALLOC);
	area(1, CALLER_B, 8, 0, VM_IOREMAP);
	area(2, CALLER_A, 12, 2, VM_ALLOC | VM_USERMAP);
	area(3, CALLER_C, 16, 3, VM_MAP);
	area(4, CALLER_A, 12, 2, VM_ALLOC);
	area(5, CALLER_D, 4, 0, 0);
	area(6, CALLER_C, 24, 5, VM_DMA_COHERENT);
	sample(test);
	KUNIT_ASSERT_EQ(test, 4U, c->r->nr_vmalloc);
	KUNIT_EXPECT_FALSE(test, c->r->vmalloc_capped);
	KUNIT_EXPECT_EQ(test, 7U, c->r->longest_hold_us);

	/* Nothing has grown yet: by size, largest first. */
	v = &c->r->vmalloc[0];
	expect_symbol(test, v->caller, "ls_fake_caller_c");
	KUNIT_EXPECT_EQ(test, 2, v->areas);
	KUNIT_EXPECT_EQ(test, 40, v->size_kb);
	KUNIT_EXPECT_EQ(test, 8, v->pages);
	ls_vmalloc_kinds(kinds, sizeof(kinds), v->kinds);
	KUNIT_EXPECT_STREQ(test, "vmap,dma-coherent", kinds);

	v = &c->r->vmalloc[1];
	expect_symbol(test, v->caller, "ls_fake_caller_a");
	KUNIT_EXPECT_STREQ(test, "", v->module);
	KUNIT_EXPECT_EQ(test, 3, v->areas);
	KUNIT_EXPECT_EQ(test, 36, v->size_kb);
	KUNIT_EXPECT_EQ(test, 6, v->pages);
	KUNIT_EXPECT_EQ(test, 1U, v->samples);
	KUNIT_EXPECT_EQ(test, 0, v->growth_kb);
	KUNIT_EXPECT_STREQ(test, "collecting", v->verdict);
	ls_vmalloc_kinds(kinds, sizeof(kinds), v->kinds);
	KUNIT_EXPECT_STREQ(test, "vmalloc,user", kinds);

	v = &c->r->vmalloc[2];
	expect_symbol(test, v->caller, "ls_fake_caller_b");
	KUNIT_EXPECT_EQ(test, 8, v->size_kb);
	ls_vmalloc_kinds(kinds, sizeof(kinds), v->kinds);
	KUNIT_EXPECT_STREQ(test, "ioremap", kinds);

	v = &c->r->vmalloc[3];
	expect_symbol(test, v->caller, "ls_fake_caller_d");
	ls_vmalloc_kinds(kinds, sizeof(kinds), v->kinds);
	KUNIT_EXPECT_STREQ(test, "other", kinds);
	KUNIT_EXPECT_EQ(test, 0U, c->found);
}

/*
 * Callers whose hashes collide, areas of them interleaved: each area is
 * counted for its own caller, the callers come out in address order, and
 * the next sample starts from an empty table (a slot left behind would
 * count a new caller's areas for an old one).
 */
static void vmalloc_callers_colliding(struct kunit *test)
{
	struct kr_ctx *c = test->priv;
	const struct ls_kh_sample *k;
	unsigned long x[4], cand;
	u32 n = 0, slot, samples;

	slot = hash_long(GONE_TEXT, LS_VM_SLOTS_BITS);
	x[n++] = GONE_TEXT;
	for (cand = GONE_TEXT + 1; n < 4; cand++)
		if (hash_long(cand, LS_VM_SLOTS_BITS) == slot)
			x[n++] = cand;

	area(0, x[2], 8, 1, VM_ALLOC);
	area(1, x[0], 12, 2, VM_ALLOC);
	area(2, x[2], 8, 1, VM_ALLOC);
	area(3, x[1], 20, 4, VM_ALLOC);
	area(4, x[0], 12, 2, VM_ALLOC);
	area(5, x[2], 8, 1, VM_ALLOC);
	sample(test);
	/* Values: areas, kB, pages */
	KUNIT_ASSERT_EQ(test, 3U, c->kh.vmalloc.nr);
	k = ls_kh_latest(&c->kh.vmalloc, 0, &samples);
	KUNIT_EXPECT_EQ(test, (u64)x[0], k->key);
	KUNIT_EXPECT_EQ(test, 2, k->v[0]);
	KUNIT_EXPECT_EQ(test, 24, k->v[1]);
	KUNIT_EXPECT_EQ(test, 4, k->v[2]);
	k = ls_kh_latest(&c->kh.vmalloc, 1, &samples);
	KUNIT_EXPECT_EQ(test, (u64)x[1], k->key);
	KUNIT_EXPECT_EQ(test, 1, k->v[0]);
	KUNIT_EXPECT_EQ(test, 20, k->v[1]);
	k = ls_kh_latest(&c->kh.vmalloc, 2, &samples);
	KUNIT_EXPECT_EQ(test, (u64)x[2], k->key);
	KUNIT_EXPECT_EQ(test, 3, k->v[0]);
	KUNIT_EXPECT_EQ(test, 24, k->v[1]);

	/* x[0] and x[2] gone, x[3] new: it takes no slot of theirs. */
	ls_fake.nr_areas = 0;
	area(0, x[3], 40, 9, VM_ALLOC);
	area(1, x[1], 20, 4, VM_ALLOC);
	area(2, x[3], 40, 9, VM_ALLOC);
	sample(test);
	KUNIT_ASSERT_EQ(test, 2U, c->kh.vmalloc.nr);
	k = ls_kh_latest(&c->kh.vmalloc, 0, &samples);
	KUNIT_EXPECT_EQ(test, (u64)x[1], k->key);
	KUNIT_EXPECT_EQ(test, 1, k->v[0]);
	KUNIT_EXPECT_EQ(test, 2U, samples);
	k = ls_kh_latest(&c->kh.vmalloc, 1, &samples);
	KUNIT_EXPECT_EQ(test, (u64)x[3], k->key);
	KUNIT_EXPECT_EQ(test, 2, k->v[0]);
	KUNIT_EXPECT_EQ(test, 80, k->v[1]);
	KUNIT_EXPECT_EQ(test, 18, k->v[2]);
	KUNIT_EXPECT_EQ(test, 1U, samples);
}

/*
 * Over a full window: A leaks a 68 kB area a second, B holds 2052 kB,
 * and two 8 kB areas are left by a module gone.
 */
static void vmalloc_rows_over_a_window(struct kunit *test)
{
	struct kr_ctx *c = test->priv;
	const struct ls_vmalloc_row *v;
	const struct ls_suspect *s;
	u32 i, j;

	gone_module("gone_drv", GONE_TEXT);
	for (i = 0; i < WINDOW; i++) {
		ls_fake.nr_areas = 0;
		area(0, CALLER_B, 2052, 512, VM_ALLOC);
		area(1, GONE_TEXT + 0x36, 8, 1, VM_ALLOC);
		area(2, GONE_TEXT + 0x36, 8, 1, VM_ALLOC);
		for (j = 0; j <= i; j++)
			area(3 + j, CALLER_A, 68, 17, VM_ALLOC);
		sample(test);
	}
	KUNIT_ASSERT_EQ(test, 3U, c->r->nr_vmalloc);

	/* The orphan first: nothing will ever free it. */
	v = &c->r->vmalloc[0];
	KUNIT_EXPECT_STREQ(test, "gone_drv+0x36[unloaded]", v->caller);
	KUNIT_EXPECT_STREQ(test, "gone_drv", v->module);
	KUNIT_EXPECT_STREQ(test, "orphan", v->verdict);
	KUNIT_EXPECT_EQ(test, 2, v->areas);
	KUNIT_EXPECT_EQ(test, 16, v->size_kb);

	/* Then by growth. */
	v = &c->r->vmalloc[1];
	expect_symbol(test, v->caller, "ls_fake_caller_a");
	KUNIT_EXPECT_EQ(test, 16U, v->samples);
	KUNIT_EXPECT_EQ(test, 16, v->areas);
	KUNIT_EXPECT_EQ(test, 1088, v->size_kb);
	KUNIT_EXPECT_EQ(test, 272, v->pages);
	KUNIT_EXPECT_EQ(test, 1020, v->growth_kb);
	KUNIT_EXPECT_EQ(test, 4080, v->rate_kb_min);
	KUNIT_EXPECT_EQ(test, 100U, v->persistence_pct);
	KUNIT_EXPECT_STREQ(test, "growing", v->verdict);

	v = &c->r->vmalloc[2];
	expect_symbol(test, v->caller, "ls_fake_caller_b");
	KUNIT_EXPECT_EQ(test, 2052, v->size_kb);
	KUNIT_EXPECT_EQ(test, 0, v->growth_kb);
	KUNIT_EXPECT_STREQ(test, "steady", v->verdict);

	KUNIT_ASSERT_EQ(test, 2U, c->found);
	s = suspect_of(test, LS_SUSPECT_VMALLOC_ORPHAN);
	KUNIT_EXPECT_STREQ(test, "module:gone_drv", s->subject);
	KUNIT_EXPECT_EQ(test, 16, s->growth_kb);
	s = suspect_of(test, LS_SUSPECT_VMALLOC_GROWTH);
	KUNIT_EXPECT_EQ(test, 0, strncmp(s->subject, "vmalloc:", 8));
	KUNIT_EXPECT_STREQ(test, c->r->vmalloc[1].caller, s->subject + 8);
	KUNIT_EXPECT_EQ(test, 1020, s->growth_kb);
	KUNIT_EXPECT_STREQ(test,
			   "+1020_kB_in_15_s,_16_areas_now_(1088_kB),_rising_in_15_of_15_intervals",
			   s->evidence);
	KUNIT_EXPECT_EQ(test, 0U, c->r->pending);
}

/*
 * A caller keeps its name until a module comes or goes: then the module
 * it lies in may be gone, and its areas are that module's orphans.
 */
static void caller_renamed_when_module_goes(struct kunit *test)
{
	struct kr_ctx *c = test->priv;
	char name[64];

	area(0, CALLER_A, 12, 2, VM_ALLOC);
	sample(test);
	expect_symbol(test, c->r->vmalloc[0].caller, "ls_fake_caller_a");

	gone_module("unloaded_drv", CALLER_A - 0x40);
	sample(test);
	expect_symbol(test, c->r->vmalloc[0].caller, "ls_fake_caller_a");
	KUNIT_EXPECT_EQ(test, 0U, c->found);

	ls_fake.modtrack_gen++;
	sample(test);
	KUNIT_EXPECT_STREQ(test, "unloaded_drv+0x40[unloaded]",
			   c->r->vmalloc[0].caller);
	KUNIT_EXPECT_STREQ(test, "unloaded_drv", c->r->vmalloc[0].module);
	KUNIT_EXPECT_STREQ(test, "orphan", c->r->vmalloc[0].verdict);
	KUNIT_ASSERT_EQ(test, 1U, c->found);
	KUNIT_EXPECT_STREQ(test, "module:unloaded_drv", c->sus[0].subject);

	/* A caller in no code at all: a hashed pointer, never the address. */
	ls_fake.nr_areas = 0;
	area(0, 0x1234, 8, 1, VM_ALLOC);
	sample(test);
	KUNIT_ASSERT_EQ(test, 1U, c->r->nr_vmalloc);
	strscpy(name, c->r->vmalloc[0].caller, sizeof(name));
	KUNIT_EXPECT_EQ_MSG(test, 0, strncmp(name, "unknown:", 8), "caller %s", name);
	KUNIT_EXPECT_STRNEQ(test, "unknown:0000000000001234", name);
	KUNIT_EXPECT_NULL(test, strstr(name, "0x1234"));
}

static void young_caller_pending(struct kunit *test)
{
	struct kr_ctx *c = test->priv;
	u32 i;

	/* 136 kB a second for 6 s: +680 kB, and 8 samples needed. */
	for (i = 0; i < 6; i++) {
		area(i, CALLER_A, 136, 34, VM_ALLOC);
		sample(test);
	}
	KUNIT_EXPECT_STREQ(test, "collecting", c->r->vmalloc[0].verdict);
	KUNIT_EXPECT_EQ(test, 680, c->r->vmalloc[0].growth_kb);
	KUNIT_EXPECT_EQ(test, 0U, c->found);
	KUNIT_EXPECT_EQ(test, 1U << LS_SUSPECT_VMALLOC_GROWTH, c->r->pending);
}

static void slab_grouped_by_name(struct kunit *test)
{
	struct kr_ctx *c = test->priv;
	char want[2 * LS_SLAB_ROW_MAX];
	const struct ls_slab_row *s;
	int len;

	cache(0, "kmalloc-64", 64, 1000, 1024, 16, false);
	cache(1, "dentry", 192, 2000, 2100, 100, true);
	/* Two caches of one name are one row. */
	cache(2, "kmalloc-64", 64, 24, 64, 1, false);
	sample(test);
	KUNIT_ASSERT_EQ(test, 2U, c->r->nr_slab);
	KUNIT_EXPECT_FALSE(test, c->r->slab_capped);
	KUNIT_EXPECT_EQ(test, 3U, c->r->slab_hold_us);

	/* No growth yet: by size.  2100 * 192 bytes is 393 kB. */
	s = &c->r->slab[0];
	KUNIT_EXPECT_STREQ(test, "dentry", s->name);
	KUNIT_EXPECT_TRUE(test, s->reclaimable);
	KUNIT_EXPECT_EQ(test, 192U, s->object_size);
	KUNIT_EXPECT_EQ(test, 2000, s->active_objs);
	KUNIT_EXPECT_EQ(test, 2100, s->total_objs);
	KUNIT_EXPECT_EQ(test, 100, s->slabs);
	KUNIT_EXPECT_EQ(test, 393, s->size_kb);

	s = &c->r->slab[1];
	KUNIT_EXPECT_STREQ(test, "kmalloc-64", s->name);
	KUNIT_EXPECT_FALSE(test, s->reclaimable);
	KUNIT_EXPECT_EQ(test, 64U, s->object_size);
	KUNIT_EXPECT_EQ(test, 64U, s->size);
	KUNIT_EXPECT_EQ(test, 1024, s->active_objs);
	KUNIT_EXPECT_EQ(test, 1088, s->total_objs);
	KUNIT_EXPECT_EQ(test, 17, s->slabs);
	KUNIT_EXPECT_EQ(test, 64 + 4, s->size_kb);
	KUNIT_EXPECT_EQ(test, 1U, s->samples);
	KUNIT_EXPECT_STREQ(test, "collecting", s->verdict);

	/* The file's text: the rows, in their order. */
	len = ls_slab_row_format(want, sizeof(want), &c->r->slab[0]);
	ls_slab_row_format(want + len, sizeof(want) - len, &c->r->slab[1]);
	KUNIT_EXPECT_STREQ(test, want, slab_text(test));
}

/*
 * Over a full window: leaky_cache grows 48 kB (96 objects of 512 bytes)
 * a second, dentry 24 kB, big_flat not at all.
 */
static void slab_rows_over_a_window(struct kunit *test)
{
	struct kr_ctx *c = test->priv;
	const struct ls_slab_row *s;
	u64 i;

	for (i = 0; i < WINDOW; i++) {
		cache(0, "big_flat", 4096, 1000, 1000, 1000, false);
		cache(1, "leaky_cache", 512, 4160 + 96 * i, 4160 + 96 * i,
		      (4160 + 96 * i) / 8, false);
		cache(2, "dentry", 192, 10240 + 128 * i, 10240 + 128 * i,
		      (10240 + 128 * i) / 21, true);
		sample(test);
	}
	KUNIT_ASSERT_EQ(test, 3U, c->r->nr_slab);
	s = &c->r->slab[0];
	KUNIT_EXPECT_STREQ(test, "leaky_cache", s->name);
	KUNIT_EXPECT_EQ(test, 16U, s->samples);
	KUNIT_EXPECT_EQ(test, 5600, s->active_objs);
	KUNIT_EXPECT_EQ(test, 700, s->slabs);
	KUNIT_EXPECT_EQ(test, 2800, s->size_kb);
	KUNIT_EXPECT_EQ(test, 720, s->growth_kb);
	KUNIT_EXPECT_EQ(test, 2880, s->rate_kb_min);
	KUNIT_EXPECT_EQ(test, 100U, s->persistence_pct);
	KUNIT_EXPECT_STREQ(test, "growing", s->verdict);

	/* Reclaimable: 360 kB is far below its floor. */
	s = &c->r->slab[1];
	KUNIT_EXPECT_STREQ(test, "dentry", s->name);
	KUNIT_EXPECT_EQ(test, 360, s->growth_kb);
	KUNIT_EXPECT_STREQ(test, "steady", s->verdict);

	s = &c->r->slab[2];
	KUNIT_EXPECT_STREQ(test, "big_flat", s->name);
	KUNIT_EXPECT_EQ(test, 4000, s->size_kb);
	KUNIT_EXPECT_EQ(test, 0, s->growth_kb);
	KUNIT_EXPECT_STREQ(test, "steady", s->verdict);

	KUNIT_ASSERT_EQ(test, 1U, c->found);
	KUNIT_EXPECT_EQ(test, LS_SUSPECT_SLAB_GROWTH, c->sus[0].kind);
	KUNIT_EXPECT_STREQ(test, "slab:leaky_cache", c->sus[0].subject);
	KUNIT_EXPECT_STREQ(test,
			   "+1440_objects_(+720_kB)_in_15_s,_5600_active_of_512_bytes,_unreclaimable",
			   c->sus[0].evidence);
}

/* A row's text is kept between samples only while the row reads the same. */
static void slab_text_follows_rows(struct kunit *test)
{
	struct kr_ctx *c = test->priv;
	char want[LS_SLAB_ROW_MAX];
	u32 i;

	cache(0, "kmalloc-64", 64, 1000, 1024, 16, false);
	for (i = 0; i < 8; i++) {
		sample(test);
		ls_slab_row_format(want, sizeof(want), &c->r->slab[0]);
		KUNIT_EXPECT_STREQ(test, want, slab_text(test));
	}
	/* The 8th sample judged it: the verdict changed, and the text. */
	KUNIT_EXPECT_NOT_NULL(test, strstr(slab_text(test), " steady\n"));

	cache(0, "kmalloc-64", 64, 1001, 1024, 16, false);
	sample(test);
	ls_slab_row_format(want, sizeof(want), &c->r->slab[0]);
	KUNIT_EXPECT_STREQ(test, want, slab_text(test));
	KUNIT_EXPECT_NOT_NULL(test, strstr(slab_text(test), " 1001 "));
}

static void slab_row_format(struct kunit *test)
{
	struct ls_slab_row row = {
		.name = "kmalloc-64", .object_size = 64, .size = 64,
		.active_objs = 1000, .total_objs = 1024, .slabs = 16,
		.size_kb = 64, .verdict = "steady",
	};
	char buf[LS_SLAB_ROW_MAX];
	int len;

	len = ls_slab_row_format(buf, sizeof(buf), &row);
	KUNIT_EXPECT_STREQ(test,
			   "kmalloc-64                    64      64        1000        1024       16         64 no                   0            0           0 steady\n",
			   buf);
	KUNIT_EXPECT_EQ(test, (int)strlen(buf), len);

	/* The widest row there can be still fits, newline and all. */
	memset(row.name, 'x', sizeof(row.name) - 1);
	row.object_size = U32_MAX;
	row.size = U32_MAX;
	row.active_objs = S64_MIN;
	row.total_objs = S64_MIN;
	row.slabs = S64_MIN;
	row.size_kb = S64_MIN;
	row.reclaimable = true;
	row.growth_kb = S64_MIN;
	row.rate_kb_min = S64_MIN;
	row.persistence_pct = U32_MAX;
	row.verdict = "collecting";
	len = ls_slab_row_format(buf, sizeof(buf), &row);
	KUNIT_EXPECT_LT(test, len, LS_SLAB_ROW_MAX - 1);
	KUNIT_EXPECT_EQ(test, '\n', buf[len - 1]);
}

static void vmalloc_kinds_names(struct kunit *test)
{
	char buf[64];

	ls_vmalloc_kinds(buf, sizeof(buf), 0);
	KUNIT_EXPECT_STREQ(test, "-", buf);
	ls_vmalloc_kinds(buf, sizeof(buf), LS_VMK_VMAP | LS_VMK_DMA);
	KUNIT_EXPECT_STREQ(test, "vmap,dma-coherent", buf);
	ls_vmalloc_kinds(buf, sizeof(buf), 0x3f);
	KUNIT_EXPECT_STREQ(test, "vmalloc,vmap,ioremap,user,dma-coherent,other",
			   buf);
	/* Cut to the buffer, never past it. */
	ls_vmalloc_kinds(buf, 10, 0x3f);
	KUNIT_EXPECT_STREQ(test, "vmalloc,v", buf);
}

static void caps_said(struct kunit *test)
{
	struct kr_ctx *c = test->priv;

	gone_module("gone_drv", GONE_TEXT);
	area(0, GONE_TEXT + 0x10, 8, 1, VM_ALLOC);
	area(1, GONE_TEXT + 0x20, 8, 1, VM_ALLOC);
	cache(0, "kmalloc-64", 64, 1000, 1024, 16, false);
	ls_fake.vmalloc_truncated = true;
	ls_fake.slab_truncated = true;
	sample(test);
	KUNIT_EXPECT_TRUE(test, c->r->vmalloc_capped);
	KUNIT_EXPECT_TRUE(test, c->r->slab_capped);
	KUNIT_EXPECT_EQ(test, 2U, c->found);

	/* Room for one suspect: both counted, one written. */
	ls_kernel_report_put(c->r);
	memset(c->sus, 0x5a, sizeof(c->sus));
	c->r = ls_kernel_report_build(&c->kh, c->sus, 1, &c->found);
	KUNIT_ASSERT_NOT_NULL(test, c->r);
	KUNIT_EXPECT_EQ(test, 2U, c->found);
	KUNIT_EXPECT_EQ(test, LS_SUSPECT_VMALLOC_ORPHAN, c->sus[0].kind);
	KUNIT_EXPECT_EQ(test, 0x5a5a5a5aU, (u32)c->sus[1].kind);
}

/*
 * A reset empties every series; when the vmalloc walk after it fails,
 * the report still comes out, each caller collecting from nothing.
 */
static void reset_then_walk_fails(struct kunit *test)
{
	struct kr_ctx *c = test->priv;
	u32 i;

	for (i = 0; i < 3; i++) {
		area(i, CALLER_A, 68, 17, VM_ALLOC);
		cache(0, "kmalloc-64", 64, 1000 + i, 1024, 16, false);
		sample(test);
	}
	ls_kernel_history_reset(&c->kh);
	ls_fake.vmalloc_err = -ENOMEM;
	sample(test);
	KUNIT_ASSERT_EQ(test, 1U, c->r->nr_vmalloc);
	KUNIT_EXPECT_EQ(test, 0U, c->r->vmalloc[0].samples);
	KUNIT_EXPECT_EQ(test, 0, c->r->vmalloc[0].growth_kb);
	KUNIT_EXPECT_STREQ(test, "collecting", c->r->vmalloc[0].verdict);
	/* What was last seen, until seen again. */
	KUNIT_EXPECT_EQ(test, 3, c->r->vmalloc[0].areas);
	KUNIT_ASSERT_EQ(test, 1U, c->r->nr_slab);
	KUNIT_EXPECT_EQ(test, 1U, c->r->slab[0].samples);
	KUNIT_EXPECT_EQ(test, 0, c->r->slab[0].growth_kb);
}

/* Callers and caches that are gone leave no row, and no memory. */
static void gone_rows_dropped(struct kunit *test)
{
	struct kr_ctx *c = test->priv;

	area(0, CALLER_A, 8, 1, VM_ALLOC);
	area(1, CALLER_B, 8, 1, VM_ALLOC);
	cache(0, "kmalloc-64", 64, 1000, 1024, 16, false);
	cache(1, "ext4_inode", 1024, 10, 16, 1, true);
	sample(test);
	sample(test);
	KUNIT_ASSERT_EQ(test, 2U, c->r->nr_vmalloc);
	KUNIT_ASSERT_EQ(test, 2U, c->r->nr_slab);

	ls_fake.nr_areas = 1;
	ls_fake.nr_caches = 1;
	sample(test);
	KUNIT_ASSERT_EQ(test, 1U, c->r->nr_vmalloc);
	expect_symbol(test, c->r->vmalloc[0].caller, "ls_fake_caller_a");
	KUNIT_ASSERT_EQ(test, 1U, c->r->nr_slab);
	KUNIT_EXPECT_STREQ(test, "kmalloc-64", c->r->slab[0].name);
	KUNIT_EXPECT_EQ(test, 3U, c->r->slab[0].samples);
}

static struct kunit_case kernel_report_cases[] = {
	KUNIT_CASE(vmalloc_grouped_by_caller),
	KUNIT_CASE(vmalloc_callers_colliding),
	KUNIT_CASE(vmalloc_rows_over_a_window),
	KUNIT_CASE(caller_renamed_when_module_goes),
	KUNIT_CASE(young_caller_pending),
	KUNIT_CASE(slab_grouped_by_name),
	KUNIT_CASE(slab_rows_over_a_window),
	KUNIT_CASE(slab_text_follows_rows),
	KUNIT_CASE(slab_row_format),
	KUNIT_CASE(vmalloc_kinds_names),
	KUNIT_CASE(caps_said),
	KUNIT_CASE(reset_then_walk_fails),
	KUNIT_CASE(gone_rows_dropped),
	{}
};

static struct kunit_suite kernel_report_suite = {
	.name = "leakscope_kernel_report",
	.init = kr_init,
	.exit = kr_exit,
	.test_cases = kernel_report_cases,
};

kunit_test_suite(kernel_report_suite);
