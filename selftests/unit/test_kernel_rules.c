// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of module/kernel_rules.c: which vmalloc callers and slab
 * caches become suspects (vmalloc-growth, vmalloc-orphan, slab-growth),
 * and what those suspects say.
 *
 * The rules take trends computed by ls_trend_compute() with the floor of
 * ls_slab_min_growth() / LS_VMALLOC_MIN_GROWTH_KB; here the trends are
 * written by hand, as the trend computation would leave them (fixtures
 * shared with the KUnit suite leakscope_kernel_rules, in ls_fixtures.h).
 */
#include "kselftest_harness.h"

#include "kernel_rules.h"
#include "ls_fixtures.h"

#define MAXS	4

/* One field: not empty, NUL-terminated inside @len, no whitespace. */
static bool field_ok(const char *s, size_t len)
{
	size_t n = strnlen(s, len);

	return n > 0 && n < len && !strpbrk(s, " \t\n\r\v\f");
}

static bool suspect_ok(const struct ls_suspect *s)
{
	return field_ok(s->subject, sizeof(s->subject)) &&
	       field_ok(s->evidence, sizeof(s->evidence)) &&
	       field_ok(s->next, sizeof(s->next));
}

TEST(floors)
{
	EXPECT_EQ(512, LS_VMALLOC_MIN_GROWTH_KB);
	EXPECT_EQ(512, ls_slab_min_growth(false));
	EXPECT_EQ(LS_SLAB_MIN_GROWTH_KB, ls_slab_min_growth(false));
	EXPECT_EQ(16 * 1024, ls_slab_min_growth(true));
	EXPECT_EQ(60, LS_SLAB_RECLAIMABLE_MIN_PERSIST_PCT);
}

TEST(vmalloc_growth_named_by_caller)
{
	struct ls_vmalloc_view v;
	struct ls_suspect out[MAXS];

	ls_fx_vm_view(&v, "ls_leaky_vmalloc_one+0x16/0x70[ls_leaky]", "", 40, 2720);
	ls_fx_kr_growing(&v.size, 340, 2380, 19921, 14);
	ASSERT_EQ(1U, ls_vmalloc_suspects(&v, out, MAXS));
	EXPECT_EQ((int)LS_SUSPECT_VMALLOC_GROWTH, (int)out[0].kind);
	EXPECT_STREQ("vmalloc:ls_leaky_vmalloc_one+0x16/0x70[ls_leaky]",
		     out[0].subject);
	EXPECT_EQ(2380, out[0].growth_kb);
	EXPECT_EQ(19921, out[0].rate_kb_min);
	EXPECT_EQ(100U, out[0].persistence_pct);
	EXPECT_EQ(3U, out[0].severity);
	EXPECT_STREQ("+2380_kB_in_7_s,_40_areas_now_(2720_kB),_rising_in_14_of_14_intervals",
		     out[0].evidence);
	EXPECT_NE(NULL, strstr(out[0].next, "vmalloc"));
	EXPECT_TRUE(suspect_ok(&out[0]));
}

TEST(steady_or_collecting_caller_is_no_suspect)
{
	struct ls_vmalloc_view v;
	struct ls_suspect out[MAXS];

	/* Big, but flat: allocated once, kept (a per-cpu chunk, a bpf pack). */
	ls_fx_vm_view(&v, "pcpu_create_chunk+0x167/0x1b0", "", 1, 2052);
	EXPECT_EQ(0U, ls_vmalloc_suspects(&v, out, MAXS));
	/* Churn that went up and came back: steady too. */
	ls_fx_vm_view(&v, "kernel_clone+0xbf/0x430", "", 57, 1140);
	v.size.rises = 5;
	v.size.falls = 5;
	v.size.max = 4000;
	EXPECT_EQ(0U, ls_vmalloc_suspects(&v, out, MAXS));
	/* Too few samples to say. */
	v.size.n = 3;
	v.size.verdict = LS_VERDICT_COLLECTING;
	EXPECT_EQ(0U, ls_vmalloc_suspects(&v, out, MAXS));
	/* No samples at all. */
	memset(&v.size, 0, sizeof(v.size));
	v.size.verdict = LS_VERDICT_GROWING;
	EXPECT_EQ(0U, ls_vmalloc_suspects(&v, out, MAXS));
}

TEST(orphan_named_by_module_without_growth)
{
	struct ls_vmalloc_view v;
	struct ls_suspect out[MAXS];

	ls_fx_vm_view(&v, "ls_leaky+0x36[unloaded]", "ls_leaky", 39, 2652);
	/* Flat since the module left: no growth at all. */
	ASSERT_EQ(1U, ls_vmalloc_suspects(&v, out, MAXS));
	EXPECT_EQ((int)LS_SUSPECT_VMALLOC_ORPHAN, (int)out[0].kind);
	EXPECT_STREQ("module:ls_leaky", out[0].subject);
	/* Everything it holds is leaked. */
	EXPECT_EQ(2652, out[0].growth_kb);
	EXPECT_EQ(4U, out[0].severity);
	EXPECT_NE(NULL, strstr(out[0].evidence,
			       "39_areas,_2652_kB_left_by_unloaded_module_ls__leaky_(caller_ls__leaky+0x36[unloaded])"))
		TH_LOG("%s", out[0].evidence);
	/* A name's own '_' is "__" in evidence and next (ls_words_copy()). */
	EXPECT_NE(NULL, strstr(out[0].next, "ls__leaky"));
	EXPECT_TRUE(suspect_ok(&out[0]));

	/* Even with a single sample (just loaded, or the module just went). */
	v.size.n = 1;
	v.size.verdict = LS_VERDICT_COLLECTING;
	ASSERT_EQ(1U, ls_vmalloc_suspects(&v, out, MAXS));
	EXPECT_STREQ("module:ls_leaky", out[0].subject);

	/* Still growing when it went: one suspect, the orphan, not two. */
	ls_fx_kr_growing(&v.size, 272, 2380, 19921, 14);
	ASSERT_EQ(1U, ls_vmalloc_suspects(&v, out, MAXS));
	EXPECT_EQ((int)LS_SUSPECT_VMALLOC_ORPHAN, (int)out[0].kind);

	/* Its areas all gone: nothing left to name. */
	ls_fx_vm_view(&v, "ls_leaky+0x36[unloaded]", "ls_leaky", 0, 0);
	EXPECT_EQ(0U, ls_vmalloc_suspects(&v, out, MAXS));
}

TEST(orphan_ranks_above_growth)
{
	struct ls_vmalloc_view v;
	struct ls_suspect out[2];

	ls_fx_vm_view(&v, "ls_leaky+0x36[unloaded]", "ls_leaky", 39, 2652);
	ls_fx_kr_growing(&v.size, 272, 2380, 19921, 14);
	ASSERT_EQ(1U, ls_vmalloc_suspects(&v, out, 2));
	ls_fx_vm_view(&v, "drv_alloc+0x10/0x40[drv]", "", 10, 680);
	ls_fx_kr_growing(&v.size, 68, 612, 5000, 14);
	ASSERT_EQ(1U, ls_vmalloc_suspects(&v, out + 1, 1));
	ls_suspects_rank(out, 2);
	/* Faster and more severe: the orphan first. */
	EXPECT_STREQ("module:ls_leaky", out[0].subject);
	EXPECT_EQ(1U, out[0].rank);
	EXPECT_EQ(2U, out[1].rank);
}

TEST(slab_unreclaimable_named_at_the_floor)
{
	struct ls_slab_view s;
	struct ls_suspect out[MAXS];

	ls_fx_slab_view(&s, "ls_leaky_cache", false, ls_slab_min_growth(false), 14);
	ASSERT_EQ(1U, ls_slab_suspects(&s, out, MAXS));
	EXPECT_EQ((int)LS_SUSPECT_SLAB_GROWTH, (int)out[0].kind);
	EXPECT_STREQ("slab:ls_leaky_cache", out[0].subject);
	EXPECT_EQ(512, out[0].growth_kb);
	EXPECT_EQ(512 * 60 / 7, out[0].rate_kb_min);
	EXPECT_EQ(100U, out[0].persistence_pct);
	EXPECT_EQ(3U, out[0].severity);
	EXPECT_STREQ("+1024_objects_(+512_kB)_in_7_s,_4096_active_of_512_bytes,_unreclaimable",
		     out[0].evidence);
	EXPECT_TRUE(suspect_ok(&out[0]));

	/* Below the floor the trend is steady: nothing. */
	ls_fx_slab_view(&s, "ls_leaky_cache", false, 511, 14);
	s.size.verdict = LS_VERDICT_STEADY;
	EXPECT_EQ(0U, ls_slab_suspects(&s, out, MAXS));
	/* Low persistence does not matter for an unreclaimable cache. */
	ls_fx_slab_view(&s, "kmalloc-512", false, 4096, 5);
	s.size.falls = 2;
	ASSERT_EQ(1U, ls_slab_suspects(&s, out, MAXS));
	EXPECT_EQ(35U, out[0].persistence_pct);
}

TEST(slab_reclaimable_needs_16_mib_and_persistence)
{
	struct ls_slab_view s;
	struct ls_suspect out[MAXS], unrec;

	ASSERT_EQ(16384, ls_slab_min_growth(true));
	/* 16 MiB, rising in 8 of 14 intervals (57 %): not enough. */
	ls_fx_slab_view(&s, "dentry", true, 16384, 8);
	EXPECT_EQ(57U, s.size.persistence_pct);
	EXPECT_EQ(0U, ls_slab_suspects(&s, out, MAXS));
	/* 59 % */
	s.size.persistence_pct = 59;
	EXPECT_EQ(0U, ls_slab_suspects(&s, out, MAXS));
	/* 60 %: named, mildly. */
	s.size.persistence_pct = 60;
	ASSERT_EQ(1U, ls_slab_suspects(&s, out, MAXS));
	EXPECT_STREQ("slab:dentry", out[0].subject);
	EXPECT_EQ(1U, out[0].severity);
	EXPECT_NE(NULL, strstr(out[0].evidence, "reclaimable"));
	EXPECT_EQ(NULL, strstr(out[0].evidence, "unreclaimable"));
	EXPECT_TRUE(suspect_ok(&out[0]));
	/* Steady growth of 16 MiB: named. */
	ls_fx_slab_view(&s, "dentry", true, 16384, 14);
	ASSERT_EQ(1U, ls_slab_suspects(&s, out, MAXS));
	/* The same growth in an unreclaimable cache ranks above it. */
	ls_fx_slab_view(&s, "kmalloc-1k", false, 16384, 14);
	ASSERT_EQ(1U, ls_slab_suspects(&s, &unrec, 1));
	out[1] = unrec;
	ls_suspects_rank(out, 2);
	EXPECT_STREQ("slab:kmalloc-1k", out[0].subject);
	/* Below 16 MiB ls_trend_compute() leaves it steady: nothing. */
	ls_fx_slab_view(&s, "dentry", true, 16383, 14);
	s.size.verdict = LS_VERDICT_STEADY;
	EXPECT_EQ(0U, ls_slab_suspects(&s, out, MAXS));
}

TEST(slab_steady_or_collecting_is_no_suspect)
{
	struct ls_slab_view s;
	struct ls_suspect out[MAXS];

	ls_fx_slab_view(&s, "kmalloc-4k", false, 4096, 14);
	s.size.verdict = LS_VERDICT_STEADY;
	EXPECT_EQ(0U, ls_slab_suspects(&s, out, MAXS));
	s.size.verdict = LS_VERDICT_COLLECTING;
	EXPECT_EQ(0U, ls_slab_suspects(&s, out, MAXS));
	s.size.n = 0;
	s.size.verdict = LS_VERDICT_GROWING;
	EXPECT_EQ(0U, ls_slab_suspects(&s, out, MAXS));
}

TEST(fields_are_whitespace_free_and_bounded)
{
	struct ls_vmalloc_view v;
	struct ls_slab_view s;
	struct ls_suspect out[MAXS];
	char longname[LS_KR_NAME_LEN];

	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';

	/* A caller or cache name with blanks (never from %pS, but still). */
	ls_fx_vm_view(&v, "odd caller\t+0x1/0x2 [m]", "", 3, 204);
	ls_fx_kr_growing(&v.size, 0, 204 * 4, 1000, 14);
	ASSERT_EQ(1U, ls_vmalloc_suspects(&v, out, MAXS));
	EXPECT_TRUE(suspect_ok(&out[0]));
	EXPECT_STREQ("vmalloc:odd_caller_+0x1/0x2_[m]", out[0].subject);

	/* Longest names: everything cut to its field, NUL-terminated. */
	ls_fx_vm_view(&v, longname, longname, 1LL << 40, 1LL << 50);
	ASSERT_EQ(1U, ls_vmalloc_suspects(&v, out, MAXS));
	EXPECT_TRUE(suspect_ok(&out[0]));
	EXPECT_EQ(LS_SUBJECT_LEN - 1, (int)strlen(out[0].subject));
	EXPECT_EQ(LS_EVIDENCE_LEN - 1, (int)strlen(out[0].evidence));
	EXPECT_GT(LS_NEXT_LEN, (int)strlen(out[0].next));
	ls_fx_vm_view(&v, longname, "", 1, 68);
	ls_fx_kr_growing(&v.size, 0, 1LL << 50, 1LL << 50, 14);
	ASSERT_EQ(1U, ls_vmalloc_suspects(&v, out, MAXS));
	EXPECT_TRUE(suspect_ok(&out[0]));

	ls_fx_slab_view(&s, "a cache\nname", true, 1LL << 40, 14);
	ASSERT_EQ(1U, ls_slab_suspects(&s, out, MAXS));
	EXPECT_STREQ("slab:a_cache_name", out[0].subject);
	EXPECT_TRUE(suspect_ok(&out[0]));
	ls_fx_slab_view(&s, longname, false, 1LL << 40, 14);
	ASSERT_EQ(1U, ls_slab_suspects(&s, out, MAXS));
	EXPECT_TRUE(suspect_ok(&out[0]));
	EXPECT_EQ(LS_SUBJECT_LEN - 1, (int)strlen(out[0].subject));
}

TEST(count_beyond_max)
{
	struct ls_vmalloc_view v;
	struct ls_slab_view s;
	struct ls_suspect out[3], canary;
	u32 n = 0, max = 2, i;

	memset(&canary, 0x5a, sizeof(canary));
	out[2] = canary;

	/* No room: counted, nothing written. */
	ls_fx_vm_view(&v, "ls_leaky+0x36[unloaded]", "ls_leaky", 39, 2652);
	EXPECT_EQ(1U, ls_vmalloc_suspects(&v, out + 2, 0));
	ls_fx_slab_view(&s, "ls_leaky_cache", false, 1024, 14);
	EXPECT_EQ(1U, ls_slab_suspects(&s, out + 2, 0));
	EXPECT_EQ(0, memcmp(&out[2], &canary, sizeof(canary)));

	/* As the report builds them: five named, the first two kept. */
	for (i = 0; i < 3; i++) {
		char caller[32];

		snprintf(caller, sizeof(caller), "f%u+0x1/0x10[m]", i);
		ls_fx_vm_view(&v, caller, "", 10, 680);
		ls_fx_kr_growing(&v.size, 68, 612, 5000, 14);
		n += ls_vmalloc_suspects(&v, out + (n < max ? n : max),
					 max - (n < max ? n : max));
	}
	for (i = 0; i < 2; i++) {
		ls_fx_slab_view(&s, i ? "c1" : "c0", false, 1024, 14);
		n += ls_slab_suspects(&s, out + (n < max ? n : max),
				      max - (n < max ? n : max));
	}
	EXPECT_EQ(5U, n);
	EXPECT_STREQ("vmalloc:f0+0x1/0x10[m]", out[0].subject);
	EXPECT_STREQ("vmalloc:f1+0x1/0x10[m]", out[1].subject);
	EXPECT_EQ(0, memcmp(&out[2], &canary, sizeof(canary)));
}

/*
 * A cache or caller too young to judge that already grew by its floor is
 * pending: meminfo's slab or VmallocUsed suspect waits for it.
 */
TEST(young_growth_is_pending)
{
	struct ls_vmalloc_view v;
	struct ls_slab_view s;

	ls_fx_vm_view(&v, "drv_alloc+0x10/0x40", "", 20, 4096);
	ls_fx_kr_growing(&v.size, 1024, LS_VMALLOC_MIN_GROWTH_KB, 600, 14);
	ASSERT_EQ(0U, ls_vmalloc_pending(&v));		/* judged */
	v.size.verdict = LS_VERDICT_COLLECTING;
	ASSERT_EQ(1U << LS_SUSPECT_VMALLOC_GROWTH, ls_vmalloc_pending(&v));
	v.size.growth = LS_VMALLOC_MIN_GROWTH_KB - 1;
	ASSERT_EQ(0U, ls_vmalloc_pending(&v));		/* too little */
	v.size.growth = LS_VMALLOC_MIN_GROWTH_KB;
	snprintf(v.module, sizeof(v.module), "drv");	/* an orphan */
	ASSERT_EQ(0U, ls_vmalloc_pending(&v));

	ls_fx_slab_view(&s, "young_cache", false, LS_SLAB_MIN_GROWTH_KB, 14);
	ASSERT_EQ(0U, ls_slab_pending(&s));
	s.size.verdict = LS_VERDICT_COLLECTING;
	ASSERT_EQ(1U << LS_SUSPECT_SLAB_GROWTH, ls_slab_pending(&s));
	/* reclaimable: its own, larger floor */
	ls_fx_slab_view(&s, "dentry", true, LS_SLAB_MIN_GROWTH_KB, 14);
	s.size.verdict = LS_VERDICT_COLLECTING;
	ASSERT_EQ(0U, ls_slab_pending(&s));
	s.size.n = 0;
	ASSERT_EQ(0U, ls_slab_pending(&s));
}

TEST_HARNESS_MAIN
