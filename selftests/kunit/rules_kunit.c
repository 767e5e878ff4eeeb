// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suites leakscope_meminfo_rules and leakscope_procs_rules:
 * module/meminfo_rules.c and module/procs_rules.c, which growing series
 * become suspects and what those suspects say.
 */
#include <kunit/test.h>

#include "ls_fixtures.h"

/* --- meminfo */

static struct ls_mi_row *mi_steady(struct kunit *test)
{
	struct ls_mi_row *rows;

	rows = kunit_kcalloc(test, LS_MI_NR, sizeof(*rows), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, rows);
	ls_fx_mi_steady(rows);
	return rows;
}

static struct ls_suspect *suspects(struct kunit *test, u32 n)
{
	struct ls_suspect *s = kunit_kcalloc(test, n, sizeof(*s), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, s);
	return s;
}

static void mi_names(struct kunit *test)
{
	int i;

	for (i = 0; i < LS_MI_NR; i++) {
		KUNIT_EXPECT_STREQ(test, ls_fx_mi_names[i], ls_mi_rules[i].name);
		KUNIT_EXPECT_NULL(test, strpbrk(ls_mi_rules[i].next, " \t\n"));
		KUNIT_EXPECT_GT(test, ls_mi_rules[i].min_growth_kb, 0);
	}
}

static void mi_nothing_growing(struct kunit *test)
{
	struct ls_mi_row *rows = mi_steady(test);
	struct ls_suspect *out = suspects(test, LS_MI_NR);

	KUNIT_EXPECT_EQ(test, 0U, ls_mi_suspects(rows, out, LS_MI_NR));
}

static void mi_shmem_growth(struct kunit *test)
{
	struct ls_mi_row *rows = mi_steady(test);
	struct ls_suspect *out = suspects(test, LS_MI_NR);

	ls_fx_mi_mark(rows, LS_MI_SHMEM, 20480);
	/* Shmem pages sit on the anon LRU: those grow too, and stay quiet. */
	ls_fx_mi_mark(rows, LS_MI_ACTIVE_ANON, 20480);
	KUNIT_ASSERT_EQ(test, 1U, ls_mi_suspects(rows, out, LS_MI_NR));
	KUNIT_EXPECT_EQ(test, LS_SUSPECT_SHMEM_GROWTH, out[0].kind);
	KUNIT_EXPECT_STREQ(test, "meminfo:Shmem", out[0].subject);
	KUNIT_EXPECT_EQ(test, 20480, out[0].growth_kb);
	KUNIT_EXPECT_EQ(test, 40960, out[0].rate_kb_min);
	KUNIT_EXPECT_EQ(test, 96U, out[0].persistence_pct);
	KUNIT_EXPECT_STREQ(test, "Shmem_+20480_kB_in_30_s,_rising_in_29_of_30_intervals",
			   out[0].evidence);
}

static void mi_unevictable_only_when_mlocked_is_quiet(struct kunit *test)
{
	struct ls_mi_row *rows = mi_steady(test);
	struct ls_suspect *out = suspects(test, LS_MI_NR);

	ls_fx_mi_mark(rows, LS_MI_UNEVICTABLE, 4096);
	ls_fx_mi_mark(rows, LS_MI_MLOCKED, 4096);
	KUNIT_ASSERT_EQ(test, 1U, ls_mi_suspects(rows, out, LS_MI_NR));
	KUNIT_EXPECT_STREQ(test, "meminfo:Mlocked", out[0].subject);
	rows[LS_MI_MLOCKED].trend.verdict = LS_VERDICT_STEADY;
	KUNIT_ASSERT_EQ(test, 1U, ls_mi_suspects(rows, out, LS_MI_NR));
	KUNIT_EXPECT_STREQ(test, "meminfo:Unevictable", out[0].subject);
	KUNIT_EXPECT_EQ(test, LS_SUSPECT_MLOCK_GROWTH, out[0].kind);
}

static void mi_unreclaimable_slab_outranks(struct kunit *test)
{
	struct ls_mi_row *rows = mi_steady(test);
	struct ls_suspect *out = suspects(test, LS_MI_NR);

	ls_fx_mi_mark(rows, LS_MI_SRECLAIMABLE, 20480);
	ls_fx_mi_mark(rows, LS_MI_SUNRECLAIM, 20480);
	KUNIT_ASSERT_EQ(test, 2U, ls_mi_suspects(rows, out, LS_MI_NR));
	ls_suspects_rank(out, 2);
	KUNIT_EXPECT_STREQ(test, "meminfo:SUnreclaim", out[0].subject);
	KUNIT_EXPECT_STREQ(test, "meminfo:SReclaimable", out[1].subject);
	KUNIT_EXPECT_LT(test, out[1].severity, out[0].severity);
}

static void mi_disabled_and_cap(struct kunit *test)
{
	struct ls_mi_row *rows = mi_steady(test);
	struct ls_suspect *out = suspects(test, 2);
	int i;

	ls_fx_mi_mark(rows, LS_MI_VMALLOC_USED, 8192);
	rows[LS_MI_VMALLOC_USED].valid = false;
	KUNIT_EXPECT_EQ(test, 0U, ls_mi_suspects(rows, out, 2));

	for (i = 0; i < LS_MI_NR; i++)
		ls_fx_mi_mark(rows, i, 8192);
	/* AnonPages Shmem Mlocked SReclaimable SUnreclaim VmallocUsed Unaccounted */
	KUNIT_EXPECT_EQ(test, 7U, ls_mi_suspects(rows, out, 2));
	KUNIT_EXPECT_EQ(test, LS_SUSPECT_ANON_GROWTH, out[0].kind);
	KUNIT_EXPECT_EQ(test, LS_SUSPECT_SHMEM_GROWTH, out[1].kind);
}

static struct kunit_case meminfo_rules_cases[] = {
	KUNIT_CASE(mi_names),
	KUNIT_CASE(mi_nothing_growing),
	KUNIT_CASE(mi_shmem_growth),
	KUNIT_CASE(mi_unevictable_only_when_mlocked_is_quiet),
	KUNIT_CASE(mi_unreclaimable_slab_outranks),
	KUNIT_CASE(mi_disabled_and_cap),
	{}
};

static struct kunit_suite meminfo_rules_suite = {
	.name = "leakscope_meminfo_rules",
	.test_cases = meminfo_rules_cases,
};

/* --- procs */

/* The fixtures of ls_fixtures.h, each in memory of its own. */
static struct ls_ps_view *ps_alloc(struct kunit *test)
{
	struct ls_ps_view *p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	return p;
}

static struct ls_ps_view *ps_flat(struct kunit *test, s32 pid, const char *comm)
{
	struct ls_ps_view *p = ps_alloc(test);

	ls_fx_ps_flat(p, pid, comm);
	return p;
}

static struct ls_ps_view *ps_stack_leaker(struct kunit *test)
{
	struct ls_ps_view *p = ps_alloc(test);

	ls_fx_ps_stack_leaker(p);
	return p;
}

static void ps_stack_leak_named(struct kunit *test)
{
	struct ls_ps_view *p = ps_stack_leaker(test);
	struct ls_suspect *out = suspects(test, 4);

	KUNIT_ASSERT_EQ(test, 1U, ls_ps_suspects(p, out, 4));
	KUNIT_EXPECT_EQ(test, LS_SUSPECT_THREAD_STACK_LEAK, out[0].kind);
	KUNIT_EXPECT_STREQ(test, "pid:4242:leaky", out[0].subject);
	KUNIT_EXPECT_STREQ(test,
			   "+27_stacks_of_252_kB_in_8_s,_1_threads_alive,_29_orphaned_stacks_(7308_kB)",
			   out[0].evidence);
	KUNIT_EXPECT_EQ(test, 27 * 252, out[0].growth_kb);
	KUNIT_EXPECT_EQ(test, 202 * 252, out[0].rate_kb_min);
	KUNIT_EXPECT_EQ(test, 3U, out[0].severity);
	KUNIT_EXPECT_NOT_NULL(test, strstr(out[0].next, "regions_4242"));
	KUNIT_EXPECT_TRUE(test, ls_ps_growing(p));

	/* Beyond glibc's stack cache: severity 4. */
	p->orphan_kb = LS_GLIBC_STACK_CACHE_KB + 1;
	KUNIT_ASSERT_EQ(test, 1U, ls_ps_suspects(p, out, 4));
	KUNIT_EXPECT_EQ(test, 4U, out[0].severity);
}

static void ps_no_stack_leak_when_threads_grow(struct kunit *test)
{
	struct ls_ps_view *p = ps_stack_leaker(test);
	struct ls_suspect *out = suspects(test, 4);

	/* More threads, each with its stack: thread-growth instead. */
	p->now[LS_PS_THREADS] = 3;
	ls_fx_ps_grow(p, LS_PS_THREADS, 27, 202, 16);
	KUNIT_ASSERT_EQ(test, 1U, ls_ps_suspects(p, out, 4));
	KUNIT_EXPECT_EQ(test, LS_SUSPECT_THREAD_GROWTH, out[0].kind);
	KUNIT_EXPECT_TRUE(test, ls_ps_growing(p));
}

static void ps_no_stack_leak_when_orphans_plateau(struct kunit *test)
{
	struct ls_ps_view *p = ps_stack_leaker(test);
	struct ls_suspect *out = suspects(test, 4);

	p->trend[LS_PS_ORPHANS].peak_rise = 0;
	KUNIT_EXPECT_EQ(test, 0U, ls_ps_suspects(p, out, 4));
	KUNIT_EXPECT_FALSE(test, ls_ps_growing(p));
}

static void ps_size_growth_named(struct kunit *test)
{
	static const struct {
		enum ls_ps_series s;
		enum ls_suspect_kind kind;
		const char *prefix;
	} cases[] = {
		{ LS_PS_ANON, LS_SUSPECT_ANON_GROWTH, "RssAnon_+20480_kB_in_30_s" },
		{ LS_PS_SHMEM, LS_SUSPECT_SHMEM_GROWTH, "RssShmem_+20480_kB_in_30_s" },
		{ LS_PS_LOCKED, LS_SUSPECT_MLOCK_GROWTH, "VmLck_+20480_kB_in_30_s" },
	};
	struct ls_suspect *out = suspects(test, 4);
	struct ls_ps_view *p;
	u32 i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		p = ps_flat(test, 77, "grower");
		p->now[cases[i].s] = 5000;
		ls_fx_ps_grow(p, cases[i].s, 20480, 40960, 29);
		KUNIT_ASSERT_EQ(test, 1U, ls_ps_suspects(p, out, 4));
		KUNIT_EXPECT_EQ(test, cases[i].kind, out[0].kind);
		KUNIT_EXPECT_STREQ(test, "pid:77:grower", out[0].subject);
		KUNIT_EXPECT_EQ(test, 20480, out[0].growth_kb);
		KUNIT_EXPECT_EQ(test, 96U, out[0].persistence_pct);
		KUNIT_EXPECT_EQ_MSG(test, 0, strncmp(out[0].evidence, cases[i].prefix,
						     strlen(cases[i].prefix)),
				    "evidence %s", out[0].evidence);
		KUNIT_EXPECT_NULL(test, strpbrk(out[0].evidence, " \t\n"));
	}
}

static void ps_flat_names_nothing(struct kunit *test)
{
	struct ls_ps_view *p = ps_flat(test, 1, "init");
	struct ls_suspect *out = suspects(test, 4);

	KUNIT_EXPECT_EQ(test, 0U, ls_ps_suspects(p, out, 4));
	KUNIT_EXPECT_FALSE(test, ls_ps_growing(p));
	/* VSZ alone: mapping-growth, and the row growing with it. */
	ls_fx_ps_grow(p, LS_PS_VSZ, 65536, 131072, 29);
	KUNIT_ASSERT_EQ(test, 1U, ls_ps_suspects(p, out, 4));
	KUNIT_EXPECT_EQ(test, LS_SUSPECT_MAPPING_GROWTH, out[0].kind);
	KUNIT_EXPECT_TRUE(test, ls_ps_growing(p));
}

static void ps_subject_and_cap(struct kunit *test)
{
	struct ls_ps_view *p = ps_stack_leaker(test);
	struct ls_suspect *out = suspects(test, 3);

	p->pid = 4194304;
	strscpy(p->comm, "my prog\tx", sizeof(p->comm));
	/* more anon than the locked growth explains: both named */
	ls_fx_ps_grow(p, LS_PS_ANON, 8192, 8192, 29);
	ls_fx_ps_grow(p, LS_PS_SHMEM, 4096, 8192, 29);
	ls_fx_ps_grow(p, LS_PS_LOCKED, 4096, 8192, 29);
	memset(out, 0xa5, 3 * sizeof(*out));
	/* Four suspects, room for two: all counted, two written, no more. */
	KUNIT_EXPECT_EQ(test, 4U, ls_ps_suspects(p, out, 2));
	KUNIT_EXPECT_STREQ(test, "pid:4194304:my_prog_x", out[0].subject);
	KUNIT_EXPECT_EQ(test, LS_SUSPECT_THREAD_STACK_LEAK, out[0].kind);
	KUNIT_EXPECT_EQ(test, LS_SUSPECT_ANON_GROWTH, out[1].kind);
	KUNIT_EXPECT_EQ(test, 0xa5a5a5a5U, (u32)out[2].kind);
	KUNIT_EXPECT_EQ(test, 4U, ls_ps_suspects(p, NULL, 0));
}

static struct kunit_case procs_rules_cases[] = {
	KUNIT_CASE(ps_stack_leak_named),
	KUNIT_CASE(ps_no_stack_leak_when_threads_grow),
	KUNIT_CASE(ps_no_stack_leak_when_orphans_plateau),
	KUNIT_CASE(ps_size_growth_named),
	KUNIT_CASE(ps_flat_names_nothing),
	KUNIT_CASE(ps_subject_and_cap),
	{}
};

static struct kunit_suite procs_rules_suite = {
	.name = "leakscope_procs_rules",
	.test_cases = procs_rules_cases,
};

kunit_test_suites(&meminfo_rules_suite, &procs_rules_suite);
