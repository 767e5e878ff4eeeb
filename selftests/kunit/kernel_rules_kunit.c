// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite leakscope_kernel_rules: module/kernel_rules.c, which vmalloc
 * callers and slab caches become suspects (vmalloc-growth, vmalloc-orphan,
 * slab-growth) and what they say.
 *
 * The host test (selftests/unit/test_kernel_rules.c) hands the rules
 * trends written by hand.  Here every trend comes from a series of
 * samples through ls_trend_compute(), with the window and the floors the
 * kernel report gives it, so what is checked is the whole decision: a
 * steady climb is named, memory taken once or held flat is not.
 */
#include <kunit/test.h>

#include "kernel_rules.h"
#include "ls_fixtures.h"

/* 16 samples a second apart, a window of 16: every sample is judged. */
#define N	16

struct kr_ctx {
	s64 scratch[LS_TREND_SCRATCH_LEN];
	s64 t[N], v[N];
	struct ls_suspect out[4];
};

static int kr_init(struct kunit *test)
{
	struct kr_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	u32 i;

	KUNIT_ASSERT_NOT_NULL(test, c);
	for (i = 0; i < N; i++)
		c->t[i] = 5000 + i * 1000;
	test->priv = c;
	return 0;
}

/* v[i] = @base + @step * i */
static void climb(struct kr_ctx *c, s64 base, s64 step)
{
	u32 i;

	for (i = 0; i < N; i++)
		c->v[i] = base + step * i;
}

/* @base, and @base + @rise from sample @at on: memory taken once */
static void rise_once(struct kr_ctx *c, s64 base, s64 rise, u32 at)
{
	u32 i;

	for (i = 0; i < N; i++)
		c->v[i] = base + (i >= at ? rise : 0);
}

/* The trend of the first @n samples, in a window of N, above @floor */
static void trend(struct kr_ctx *c, u32 n, s64 floor, struct ls_trend *t)
{
	ls_trend_compute(c->t, c->v, n, N, floor, c->scratch, t);
}

static void vm_from_series(struct kr_ctx *c, struct ls_vmalloc_view *v,
			   const char *module, s64 areas, u32 n)
{
	ls_fx_vm_view(v, "drv_alloc+0x10/0x40[drv]", module, areas,
		      c->v[n - 1]);
	trend(c, n, LS_VMALLOC_MIN_GROWTH_KB, &v->size);
}

/* A cache of 512-byte objects: two a kB, all active. */
static void slab_from_series(struct kr_ctx *c, struct ls_slab_view *s,
			     const char *name, bool reclaimable, u32 n)
{
	u32 i;

	ls_fx_slab_view(s, name, reclaimable, 0, 0);
	trend(c, n, ls_slab_min_growth(reclaimable), &s->size);
	s->size_kb = c->v[n - 1];
	s->active_objs = 2 * s->size_kb;
	for (i = 0; i < N; i++)
		c->v[i] *= 2;
	trend(c, n, 1, &s->objs);
}

static void vmalloc_steady_climb_named(struct kunit *test)
{
	struct kr_ctx *c = test->priv;
	struct ls_vmalloc_view v;

	/* One 68 kB area a second: +1020 kB, 4080 kB a minute. */
	climb(c, 1000, 68);
	vm_from_series(c, &v, "", 16, N);
	KUNIT_EXPECT_EQ(test, LS_VERDICT_GROWING, v.size.verdict);
	KUNIT_ASSERT_EQ(test, 1U, ls_vmalloc_suspects(&v, c->out, 4));
	KUNIT_EXPECT_EQ(test, LS_SUSPECT_VMALLOC_GROWTH, c->out[0].kind);
	KUNIT_EXPECT_STREQ(test, "vmalloc:drv_alloc+0x10/0x40[drv]",
			   c->out[0].subject);
	KUNIT_EXPECT_EQ(test, 1020, c->out[0].growth_kb);
	KUNIT_EXPECT_EQ(test, 4080, c->out[0].rate_kb_min);
	KUNIT_EXPECT_EQ(test, 100U, c->out[0].persistence_pct);
	KUNIT_EXPECT_EQ(test, 3U, c->out[0].severity);
	KUNIT_EXPECT_STREQ(test,
			   "+1020_kB_in_15_s,_16_areas_now_(2020_kB),_rising_in_15_of_15_intervals",
			   c->out[0].evidence);
	/* Judged: nothing left pending. */
	KUNIT_EXPECT_EQ(test, 0U, ls_vmalloc_pending(&v));
}

static void vmalloc_once_or_flat_names_nothing(struct kunit *test)
{
	struct kr_ctx *c = test->priv;
	struct ls_vmalloc_view v;
	u32 i;

	/* 2000 kB taken at the 5th sample, then held. */
	rise_once(c, 1000, 2000, 4);
	vm_from_series(c, &v, "", 30, N);
	KUNIT_EXPECT_EQ(test, 2000, v.size.growth);
	KUNIT_EXPECT_EQ(test, LS_VERDICT_STEADY, v.size.verdict);
	KUNIT_EXPECT_EQ(test, 0U, ls_vmalloc_suspects(&v, c->out, 4));
	KUNIT_EXPECT_EQ(test, 0U, ls_vmalloc_pending(&v));

	/* A short ramp that stops: four rises, then level for good. */
	for (i = 0; i < N; i++)
		c->v[i] = 1000 + 500 * min(i, 4U);
	vm_from_series(c, &v, "", 30, N);
	KUNIT_EXPECT_EQ(test, 2000, v.size.growth);
	KUNIT_EXPECT_EQ(test, 4U, v.size.rises);
	KUNIT_EXPECT_EQ(test, LS_VERDICT_STEADY, v.size.verdict);
	KUNIT_EXPECT_EQ(test, 0U, ls_vmalloc_suspects(&v, c->out, 4));

	/* Big and flat: a per-cpu chunk. */
	climb(c, 2052, 0);
	vm_from_series(c, &v, "", 1, N);
	KUNIT_EXPECT_EQ(test, 0U, ls_vmalloc_suspects(&v, c->out, 4));
}

static void vmalloc_young_growth_pending(struct kunit *test)
{
	struct kr_ctx *c = test->priv;
	struct ls_vmalloc_view v;

	/* 6 of the 8 samples a window of 16 needs: still collecting. */
	climb(c, 1000, 136);
	vm_from_series(c, &v, "", 6, 6);
	KUNIT_EXPECT_EQ(test, LS_VERDICT_COLLECTING, v.size.verdict);
	KUNIT_EXPECT_EQ(test, 0U, ls_vmalloc_suspects(&v, c->out, 4));
	/* +680 kB, past the 512 kB floor: VmallocUsed waits for it. */
	KUNIT_EXPECT_EQ(test, 1U << LS_SUSPECT_VMALLOC_GROWTH,
			ls_vmalloc_pending(&v));
	/* +340 kB: not yet. */
	climb(c, 1000, 68);
	vm_from_series(c, &v, "", 6, 6);
	KUNIT_EXPECT_EQ(test, 0U, ls_vmalloc_pending(&v));
}

static void vmalloc_orphan_named_whatever_its_trend(struct kunit *test)
{
	struct kr_ctx *c = test->priv;
	struct ls_vmalloc_view v;

	/* Flat since the module left, and only 2 samples old. */
	climb(c, 2652, 0);
	vm_from_series(c, &v, "gone_drv", 39, 2);
	strscpy(v.caller, "gone_drv+0x36[unloaded]", sizeof(v.caller));
	KUNIT_EXPECT_EQ(test, LS_VERDICT_COLLECTING, v.size.verdict);
	KUNIT_ASSERT_EQ(test, 1U, ls_vmalloc_suspects(&v, c->out, 4));
	KUNIT_EXPECT_EQ(test, LS_SUSPECT_VMALLOC_ORPHAN, c->out[0].kind);
	KUNIT_EXPECT_STREQ(test, "module:gone_drv", c->out[0].subject);
	/* All of it is leaked: its growth is what it holds. */
	KUNIT_EXPECT_EQ(test, 2652, c->out[0].growth_kb);
	KUNIT_EXPECT_EQ(test, 4U, c->out[0].severity);
	KUNIT_EXPECT_STREQ(test,
			   "39_areas,_2652_kB_left_by_unloaded_module_gone__drv_(caller_gone__drv+0x36[unloaded])",
			   c->out[0].evidence);
	KUNIT_EXPECT_STREQ(test,
			   "the_gone__drv_driver's_exit_path:_vfree_what_it_allocated",
			   c->out[0].next);
	/* An orphan is named at once: nothing waits for it. */
	KUNIT_EXPECT_EQ(test, 0U, ls_vmalloc_pending(&v));

	/* Climbing when its module went: one suspect, the orphan. */
	climb(c, 1000, 68);
	vm_from_series(c, &v, "gone_drv", 16, N);
	KUNIT_ASSERT_EQ(test, 1U, ls_vmalloc_suspects(&v, c->out, 4));
	KUNIT_EXPECT_EQ(test, LS_SUSPECT_VMALLOC_ORPHAN, c->out[0].kind);

	/* Every area freed: nothing left to name. */
	climb(c, 0, 0);
	vm_from_series(c, &v, "gone_drv", 0, N);
	KUNIT_EXPECT_EQ(test, 0U, ls_vmalloc_suspects(&v, c->out, 4));
}

static void slab_unreclaimable_climb_named(struct kunit *test)
{
	struct kr_ctx *c = test->priv;
	struct ls_slab_view s;

	/*
	 * 48 kB (96 objects) a second.  The newest quarter's median is 12
	 * samples above the oldest's: 576 kB, past the 512 kB floor.
	 */
	climb(c, 2080, 48);
	slab_from_series(c, &s, "leaky_cache", false, N);
	KUNIT_ASSERT_EQ(test, 1U, ls_slab_suspects(&s, c->out, 4));
	KUNIT_EXPECT_EQ(test, LS_SUSPECT_SLAB_GROWTH, c->out[0].kind);
	KUNIT_EXPECT_STREQ(test, "slab:leaky_cache", c->out[0].subject);
	KUNIT_EXPECT_EQ(test, 720, c->out[0].growth_kb);
	KUNIT_EXPECT_EQ(test, 2880, c->out[0].rate_kb_min);
	KUNIT_EXPECT_EQ(test, 3U, c->out[0].severity);
	KUNIT_EXPECT_STREQ(test,
			   "+1440_objects_(+720_kB)_in_15_s,_5600_active_of_512_bytes,_unreclaimable",
			   c->out[0].evidence);

	/* 40 kB a second: +600 kB, but the floor rose only 480. */
	climb(c, 2080, 40);
	slab_from_series(c, &s, "slow_cache", false, N);
	KUNIT_EXPECT_EQ(test, LS_VERDICT_STEADY, s.size.verdict);
	KUNIT_EXPECT_EQ(test, 0U, ls_slab_suspects(&s, c->out, 4));

	/* Taken once, then held: nothing. */
	rise_once(c, 2080, 4096, 3);
	slab_from_series(c, &s, "pool_cache", false, N);
	KUNIT_EXPECT_EQ(test, 0U, ls_slab_suspects(&s, c->out, 4));
	KUNIT_EXPECT_EQ(test, 0U, ls_slab_pending(&s));
}

static void slab_reclaimable_needs_more(struct kunit *test)
{
	struct kr_ctx *c = test->priv;
	struct ls_slab_view s;
	u32 i;

	/* What names an unreclaimable cache is churn for dentries. */
	climb(c, 2080, 48);
	slab_from_series(c, &s, "dentry", true, N);
	KUNIT_EXPECT_EQ(test, LS_VERDICT_STEADY, s.size.verdict);
	KUNIT_EXPECT_EQ(test, 0U, ls_slab_suspects(&s, c->out, 4));

	/* 1400 kB a second: +21000 kB, the floor 16800 past 16 MiB. */
	climb(c, 100000, 1400);
	slab_from_series(c, &s, "dentry", true, N);
	KUNIT_ASSERT_EQ(test, 1U, ls_slab_suspects(&s, c->out, 4));
	KUNIT_EXPECT_EQ(test, 21000, c->out[0].growth_kb);
	KUNIT_EXPECT_EQ(test, 1U, c->out[0].severity);
	KUNIT_EXPECT_NOT_NULL(test, strstr(c->out[0].evidence,
					   ",_reclaimable:_check_it_survives_drop_caches"));

	/*
	 * A staircase, 3000 kB every other second: growing (+24000 kB,
	 * each quarter 6000 above the last), but rising in 8 of 15
	 * intervals, 53 %: not steady enough for a reclaimable cache ...
	 */
	for (i = 0; i < N; i++)
		c->v[i] = 100000 + 3000 * ((i + 1) / 2);
	slab_from_series(c, &s, "dentry", true, N);
	KUNIT_EXPECT_EQ(test, LS_VERDICT_GROWING, s.size.verdict);
	KUNIT_EXPECT_EQ(test, 53U, s.size.persistence_pct);
	KUNIT_EXPECT_EQ(test, 0U, ls_slab_suspects(&s, c->out, 4));
	/* ... and plenty for an unreclaimable one. */
	for (i = 0; i < N; i++)
		c->v[i] = 100000 + 3000 * ((i + 1) / 2);
	slab_from_series(c, &s, "kmalloc-512", false, N);
	KUNIT_ASSERT_EQ(test, 1U, ls_slab_suspects(&s, c->out, 4));
	KUNIT_EXPECT_EQ(test, 53U, c->out[0].persistence_pct);
	KUNIT_EXPECT_EQ(test, 3U, c->out[0].severity);
}

static void slab_young_growth_pending(struct kunit *test)
{
	struct kr_ctx *c = test->priv;
	struct ls_slab_view s;

	climb(c, 2080, 200);
	slab_from_series(c, &s, "young_cache", false, 5);
	KUNIT_EXPECT_EQ(test, LS_VERDICT_COLLECTING, s.size.verdict);
	KUNIT_EXPECT_EQ(test, 0U, ls_slab_suspects(&s, c->out, 4));
	KUNIT_EXPECT_EQ(test, 1U << LS_SUSPECT_SLAB_GROWTH, ls_slab_pending(&s));
	/* +800 kB is nothing for a reclaimable cache, young or not. */
	climb(c, 2080, 200);
	slab_from_series(c, &s, "dentry", true, 5);
	KUNIT_EXPECT_EQ(test, 0U, ls_slab_pending(&s));
}

/* Every suspect is counted; only those that fit are written. */
static void suspects_counted_beyond_room(struct kunit *test)
{
	struct kr_ctx *c = test->priv;
	struct ls_vmalloc_view v;
	struct ls_slab_view s;

	memset(c->out, 0x5a, sizeof(c->out));
	climb(c, 1000, 68);
	vm_from_series(c, &v, "", 16, N);
	KUNIT_EXPECT_EQ(test, 1U, ls_vmalloc_suspects(&v, c->out, 0));
	vm_from_series(c, &v, "gone_drv", 16, N);
	KUNIT_EXPECT_EQ(test, 1U, ls_vmalloc_suspects(&v, c->out, 0));
	climb(c, 2080, 48);
	slab_from_series(c, &s, "leaky_cache", false, N);
	KUNIT_EXPECT_EQ(test, 1U, ls_slab_suspects(&s, c->out, 0));
	KUNIT_EXPECT_EQ(test, 0x5a5a5a5aU, (u32)c->out[0].kind);
	KUNIT_EXPECT_EQ(test, 0x5a, (u8)c->out[0].subject[0]);
}

static struct kunit_case kernel_rules_cases[] = {
	KUNIT_CASE(vmalloc_steady_climb_named),
	KUNIT_CASE(vmalloc_once_or_flat_names_nothing),
	KUNIT_CASE(vmalloc_young_growth_pending),
	KUNIT_CASE(vmalloc_orphan_named_whatever_its_trend),
	KUNIT_CASE(slab_unreclaimable_climb_named),
	KUNIT_CASE(slab_reclaimable_needs_more),
	KUNIT_CASE(slab_young_growth_pending),
	KUNIT_CASE(suspects_counted_beyond_room),
	{}
};

static struct kunit_suite kernel_rules_suite = {
	.name = "leakscope_kernel_rules",
	.init = kr_init,
	.test_cases = kernel_rules_cases,
};

kunit_test_suite(kernel_rules_suite);
