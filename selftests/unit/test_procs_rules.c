// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of module/procs_rules.c: which per-process trends
 * become suspects (thread-stack-leak, thread-growth, zombie-growth,
 * mapping-growth, anon-growth, shmem-growth, mlock-growth), and what
 * those suspects say.
 */
#include "kselftest_harness.h"

#include "ls_fixtures.h"

static bool no_space(const char *s)
{
	return *s && !strpbrk(s, " \t\n\r\v\f");
}

TEST(stack_leak_named_when_orphans_grow_and_threads_do_not)
{
	struct ls_ps_view p;
	struct ls_suspect out[4];

	ls_fx_ps_stack_leaker(&p);
	ASSERT_EQ(1U, ls_ps_suspects(&p, out, 4));
	ASSERT_EQ((int)LS_SUSPECT_THREAD_STACK_LEAK, (int)out[0].kind);
	ASSERT_STREQ("pid:4242:leaky", out[0].subject);
	ASSERT_STREQ("+27_stacks_of_252_kB_in_8_s,_1_threads_alive,_29_orphaned_stacks_(7308_kB)",
		     out[0].evidence);
	/* Growth and rate in kB: stacks times their size. */
	ASSERT_EQ(27 * 252, out[0].growth_kb);
	ASSERT_EQ(202 * 252, out[0].rate_kb_min);
	ASSERT_EQ(100U, out[0].persistence_pct);
	ASSERT_EQ(3U, out[0].severity);
	ASSERT_NE(NULL, strstr(out[0].next, "regions_4242"));
	ASSERT_TRUE(ls_ps_growing(&p));
}

TEST(no_stack_leak_when_threads_grow_too)
{
	struct ls_ps_view p;
	struct ls_suspect out[4];

	/* More threads, each with its own stack: named as thread growth. */
	ls_fx_ps_stack_leaker(&p);
	p.now[LS_PS_THREADS] = 3;
	ls_fx_ps_grow(&p, LS_PS_THREADS, 27, 202, 16);
	ASSERT_EQ(1U, ls_ps_suspects(&p, out, 4));
	ASSERT_EQ((int)LS_SUSPECT_THREAD_GROWTH, (int)out[0].kind);
	ASSERT_TRUE(ls_ps_growing(&p));
}

TEST(no_stack_leak_when_orphans_climb_no_higher)
{
	struct ls_ps_view p;
	struct ls_suspect out[4];

	/* A young pool that filled glibc's cache early: a plateau since. */
	ls_fx_ps_stack_leaker(&p);
	p.trend[LS_PS_ORPHANS].peak_rise = 0;
	ASSERT_EQ(0U, ls_ps_suspects(&p, out, 4));
	/* Nor is the row growing (70_procs_leaks checks both). */
	ASSERT_FALSE(ls_ps_growing(&p));
}

TEST(stack_leak_severity_4_beyond_glibc_cache)
{
	struct ls_ps_view p;
	struct ls_suspect out[1];

	ls_fx_ps_stack_leaker(&p);
	p.orphan_kb = LS_GLIBC_STACK_CACHE_KB;
	ASSERT_EQ(1U, ls_ps_suspects(&p, out, 1));
	ASSERT_EQ(3U, out[0].severity);
	ASSERT_EQ(NULL, strstr(out[0].evidence, "40_MiB"));

	p.orphan_kb = LS_GLIBC_STACK_CACHE_KB + 1;
	ASSERT_EQ(1U, ls_ps_suspects(&p, out, 1));
	ASSERT_EQ(4U, out[0].severity);
	ASSERT_NE(NULL, strstr(out[0].evidence, "40_MiB"));
	ASSERT_TRUE(no_space(out[0].evidence));
	/* 4 outranks 3 at equal rate. */
	ASSERT_LT(3U, out[0].severity);
}

static void check_size_growth(struct __test_metadata *_metadata,
			      enum ls_ps_series s, enum ls_suspect_kind kind,
			      const char *word)
{
	struct ls_ps_view p;
	struct ls_suspect out[4];
	char prefix[32];

	ls_fx_ps_flat(&p, 77, "grower");
	p.now[s] = 5000;
	ls_fx_ps_grow(&p, s, 20480, 40960, 29);
	ASSERT_EQ(1U, ls_ps_suspects(&p, out, 4));
	ASSERT_EQ((int)kind, (int)out[0].kind);
	ASSERT_STREQ("pid:77:grower", out[0].subject);
	ASSERT_EQ(20480, out[0].growth_kb);
	ASSERT_EQ(40960, out[0].rate_kb_min);
	ASSERT_EQ(96U, out[0].persistence_pct);
	ASSERT_LE(1U, out[0].severity);
	ASSERT_GE(4U, out[0].severity);
	snprintf(prefix, sizeof(prefix), "%s_+20480_kB_in_30_s", word);
	ASSERT_EQ(0, strncmp(out[0].evidence, prefix, strlen(prefix)))
		TH_LOG("evidence %s", out[0].evidence);
	ASSERT_NE(NULL, strstr(out[0].evidence, "rising_in_29_of_30_intervals"));
	ASSERT_TRUE(no_space(out[0].evidence));
	ASSERT_TRUE(no_space(out[0].next));
	ASSERT_NE(NULL, strstr(out[0].next, "regions_77"));
	ASSERT_TRUE(ls_ps_growing(&p));
}

TEST(anon_growth_named)
{
	check_size_growth(_metadata, LS_PS_ANON, LS_SUSPECT_ANON_GROWTH,
			  "RssAnon");
}

TEST(shmem_growth_named)
{
	check_size_growth(_metadata, LS_PS_SHMEM, LS_SUSPECT_SHMEM_GROWTH,
			  "RssShmem");
}

TEST(mlock_growth_named)
{
	check_size_growth(_metadata, LS_PS_LOCKED, LS_SUSPECT_MLOCK_GROWTH,
			  "VmLck");
}

TEST(flat_process_names_nothing)
{
	struct ls_ps_view p;
	struct ls_suspect out[4];
	int s;

	ls_fx_ps_flat(&p, 1, "init");
	ASSERT_EQ(0U, ls_ps_suspects(&p, out, 4));
	ASSERT_FALSE(ls_ps_growing(&p));

	/* Still collecting: nothing either. */
	for (s = 0; s < LS_PS_NR; s++) {
		p.trend[s].n = 3;
		p.trend[s].verdict = LS_VERDICT_COLLECTING;
	}
	ASSERT_EQ(0U, ls_ps_suspects(&p, out, 4));
	ASSERT_FALSE(ls_ps_growing(&p));
}

/*
 * A thread pile: threads that block forever.  Named thread-growth, its
 * growth in kB each thread's user stack plus its kernel stack; its VSZ
 * (their stacks) is not named again as mapping growth, nor the pages of
 * those stacks as anon growth.
 */
TEST(thread_growth_named)
{
	struct ls_ps_view p;
	struct ls_suspect out[4];

	ls_fx_ps_flat(&p, 321, "pile");
	p.stack_kb = 8196;
	p.kstack_kb = 16;
	ls_fx_ps_grow(&p, LS_PS_THREADS, 30, 60, 29);
	ls_fx_ps_grow(&p, LS_PS_VSZ, 30 * 8196, 60 * 8196, 29);
	ls_fx_ps_grow(&p, LS_PS_ANON, 30 * 8, 60 * 8, 29);
	ASSERT_EQ(1U, ls_ps_suspects(&p, out, 4));
	ASSERT_EQ((int)LS_SUSPECT_THREAD_GROWTH, (int)out[0].kind);
	ASSERT_STREQ("thread-growth", ls_suspect_kind_name(out[0].kind));
	ASSERT_STREQ("pid:321:pile", out[0].subject);
	ASSERT_EQ(30 * 8212, out[0].growth_kb);
	ASSERT_EQ(60 * 8212, out[0].rate_kb_min);
	ASSERT_STREQ("+30_threads_in_30_s,_31_alive,_about_8212_kB_each_(user_stack_8196_kB_+_kernel_stack_16_kB),_254572_kB_in_all",
		     out[0].evidence);
	ASSERT_NE(NULL, strstr(out[0].next, "/proc/321/task/*/stack"));
	ASSERT_TRUE(no_space(out[0].next));
	ASSERT_TRUE(ls_ps_growing(&p));
}

/* A pool that grew to its size within the window and stayed: steady. */
TEST(thread_pool_at_its_size_not_named)
{
	struct ls_ps_view p;
	struct ls_suspect out[4];

	ls_fx_ps_flat(&p, 322, "pool");
	p.now[LS_PS_THREADS] = 17;
	p.trend[LS_PS_THREADS].growth = 16;	/* rose once, then flat */
	p.trend[LS_PS_THREADS].verdict = LS_VERDICT_STEADY;
	p.trend[LS_PS_VSZ].growth = 16 * 8196;
	ASSERT_EQ(0U, ls_ps_suspects(&p, out, 4));
	ASSERT_FALSE(ls_ps_growing(&p));
}

TEST(zombie_growth_named)
{
	struct ls_ps_view p;
	struct ls_suspect out[4];

	ls_fx_ps_flat(&p, 555, "noreap");
	ls_fx_ps_grow(&p, LS_PS_ZOMBIES, 60, 120, 29);
	ASSERT_EQ(1U, ls_ps_suspects(&p, out, 4));
	ASSERT_EQ((int)LS_SUSPECT_ZOMBIE_GROWTH, (int)out[0].kind);
	ASSERT_STREQ("zombie-growth", ls_suspect_kind_name(out[0].kind));
	ASSERT_STREQ("pid:555:noreap", out[0].subject);
	ASSERT_EQ(60, out[0].growth_kb);
	ASSERT_STREQ("+60_zombie_children_in_30_s,_60_unreaped_now,_rising_in_29_of_30_intervals",
		     out[0].evidence);
	ASSERT_NE(NULL, strstr(out[0].next, "--ppid_555"));
	ASSERT_TRUE(no_space(out[0].next));
	ASSERT_TRUE(ls_ps_growing(&p));

	/* A parent that reaps late but reaps: its zombies come and go. */
	ls_fx_ps_flat(&p, 556, "reaper");
	p.now[LS_PS_ZOMBIES] = 4;
	p.trend[LS_PS_ZOMBIES].growth = 2;
	ASSERT_EQ(0U, ls_ps_suspects(&p, out, 4));
	ASSERT_FALSE(ls_ps_growing(&p));
}

/*
 * Item 7 of issue 13: VSZ +47 MB/min, RSS +2 MB/min, no stack shape
 * (clone() stacks without guard pages merge into one region).  Named
 * mapping-growth, whether or not the slower anon growth is named too.
 */
TEST(mapping_growth_named)
{
	struct ls_ps_view p;
	struct ls_suspect out[4];

	ls_fx_ps_flat(&p, 9, "mapper");
	p.anon_max_kb = 98304;
	ls_fx_ps_grow(&p, LS_PS_VSZ, 24064, 48128, 29);
	ls_fx_ps_grow(&p, LS_PS_ANON, 1024, 2048, 12);
	p.trend[LS_PS_ANON].verdict = LS_VERDICT_STEADY;
	ASSERT_EQ(1U, ls_ps_suspects(&p, out, 4));
	ASSERT_EQ((int)LS_SUSPECT_MAPPING_GROWTH, (int)out[0].kind);
	ASSERT_STREQ("mapping-growth", ls_suspect_kind_name(out[0].kind));
	ASSERT_EQ(24064, out[0].growth_kb);
	ASSERT_EQ(48128, out[0].rate_kb_min);
	ASSERT_STREQ("VSZ_+24064_kB_in_30_s,_RssAnon_+1024_kB;_5_anon_regions,_largest_98304_kB",
		     out[0].evidence);
	ASSERT_NE(NULL, strstr(out[0].next, "regions_9"));
	ASSERT_TRUE(ls_ps_growing(&p));

	/* The anon growth named too: both, they are different memory. */
	p.trend[LS_PS_ANON].verdict = LS_VERDICT_GROWING;
	ASSERT_EQ(2U, ls_ps_suspects(&p, out, 4));
	ASSERT_EQ((int)LS_SUSPECT_ANON_GROWTH, (int)out[0].kind);
	ASSERT_EQ((int)LS_SUSPECT_MAPPING_GROWTH, (int)out[1].kind);

	/* VSZ alone (a PROT_NONE reserve that grows): mapping-growth. */
	ls_fx_ps_flat(&p, 9, "mapper");
	ls_fx_ps_grow(&p, LS_PS_VSZ, 65536, 131072, 29);
	ASSERT_EQ(1U, ls_ps_suspects(&p, out, 4));
	ASSERT_EQ((int)LS_SUSPECT_MAPPING_GROWTH, (int)out[0].kind);
}

/* VSZ growing with resident memory (malloc-drip, mlock-drip): not again. */
TEST(mapping_growth_not_named_for_resident_growth)
{
	struct ls_ps_view p;
	struct ls_suspect out[4];

	ls_fx_ps_flat(&p, 10, "malloc-drip");
	ls_fx_ps_grow(&p, LS_PS_VSZ, 20480, 40960, 29);
	ls_fx_ps_grow(&p, LS_PS_ANON, 20480, 40960, 29);
	ASSERT_EQ(1U, ls_ps_suspects(&p, out, 4));
	ASSERT_EQ((int)LS_SUSPECT_ANON_GROWTH, (int)out[0].kind);

	ls_fx_ps_flat(&p, 11, "mlock-drip");
	ls_fx_ps_grow(&p, LS_PS_VSZ, 8192, 16384, 29);
	ls_fx_ps_grow(&p, LS_PS_ANON, 8192, 16384, 29);
	ls_fx_ps_grow(&p, LS_PS_LOCKED, 8192, 16384, 29);
	ASSERT_EQ(1U, ls_ps_suspects(&p, out, 4));
	ASSERT_EQ((int)LS_SUSPECT_MLOCK_GROWTH, (int)out[0].kind);

	ls_fx_ps_flat(&p, 12, "tmpfs");
	ls_fx_ps_grow(&p, LS_PS_VSZ, 8192, 16384, 29);
	ls_fx_ps_grow(&p, LS_PS_SHMEM, 8192, 16384, 29);
	ASSERT_EQ(1U, ls_ps_suspects(&p, out, 4));
	ASSERT_EQ((int)LS_SUSPECT_SHMEM_GROWTH, (int)out[0].kind);
}

/*
 * A thread-stack leak whose orphan count is not judged yet while its VSZ
 * already is: the stacks explain the VSZ, nothing is named (and the row
 * is not growing) until the orphans are; then thread-stack-leak alone.
 */
TEST(mapping_growth_not_named_for_stacks)
{
	struct ls_ps_view p;
	struct ls_suspect out[4];

	ls_fx_ps_stack_leaker(&p);
	ls_fx_ps_grow(&p, LS_PS_VSZ, 27 * 256, 202 * 256, 16);
	p.trend[LS_PS_ORPHANS].verdict = LS_VERDICT_STEADY;
	ASSERT_EQ(0U, ls_ps_suspects(&p, out, 4));
	ASSERT_FALSE(ls_ps_growing(&p));
	p.trend[LS_PS_ORPHANS].verdict = LS_VERDICT_GROWING;
	ASSERT_EQ(1U, ls_ps_suspects(&p, out, 4));
	ASSERT_EQ((int)LS_SUSPECT_THREAD_STACK_LEAK, (int)out[0].kind);
}

/*
 * The row's verdict and the suspects never disagree: over every subset
 * of growing series, the row is growing exactly when something is named,
 * and any series growing well beyond its floor (VSZ beyond what stacks
 * explain) names something.
 */
TEST(verdict_and_suspects_agree)
{
	struct ls_ps_view p;
	struct ls_suspect out[8];
	u32 mask, n;
	int s;

	for (mask = 1; mask < 1U << LS_PS_NR; mask++) {
		ls_fx_ps_flat(&p, 7, "any");
		p.stack_kb = 252;
		p.kstack_kb = 16;
		for (s = 0; s < LS_PS_NR; s++)
			if (mask & (1U << s))
				ls_fx_ps_grow(&p, s, s == LS_PS_VSZ ? 1 << 20 :
					      4 * ls_ps_min_growth[s], 100, 20);
		n = ls_ps_suspects(&p, out, 8);
		ASSERT_EQ(n > 0, ls_ps_growing(&p)) TH_LOG("mask %#x", mask);
		ASSERT_LT(0U, n) TH_LOG("mask %#x names nothing", mask);
	}
}

TEST(uncomputed_series_are_ignored)
{
	struct ls_ps_view p;
	struct ls_suspect out[4];
	int s;

	/* trend.n == 0: never computed, whatever the verdict field says. */
	memset(&p, 0, sizeof(p));
	p.pid = 5;
	for (s = 0; s < LS_PS_NR; s++)
		p.trend[s].verdict = LS_VERDICT_GROWING;
	ASSERT_EQ(0U, ls_ps_suspects(&p, out, 4));
	ASSERT_FALSE(ls_ps_growing(&p));
}

TEST(subject_format)
{
	struct ls_ps_view p;
	struct ls_suspect out[1];

	/* Whitespace in a comm must not split the field. */
	ls_fx_ps_stack_leaker(&p);
	p.pid = 4194304;
	snprintf(p.comm, sizeof(p.comm), "%s", "my prog\tx");
	ASSERT_EQ(1U, ls_ps_suspects(&p, out, 1));
	ASSERT_STREQ("pid:4194304:my_prog_x", out[0].subject);

	/* A full-length comm (15 bytes) fits whole. */
	snprintf(p.comm, sizeof(p.comm), "%s", "ls-repro-clone-");
	ASSERT_EQ(1U, ls_ps_suspects(&p, out, 1));
	ASSERT_STREQ("pid:4194304:ls-repro-clone-", out[0].subject);

	/* An empty comm still gives three parts. */
	p.comm[0] = '\0';
	p.pid = 12;
	ASSERT_EQ(1U, ls_ps_suspects(&p, out, 1));
	ASSERT_EQ(0, strncmp(out[0].subject, "pid:12:", 7));
	ASSERT_TRUE(no_space(out[0].subject));
}

TEST(evidence_and_next_have_no_whitespace)
{
	struct ls_ps_view p;
	struct ls_suspect out[4];
	u32 i, n;

	ls_fx_ps_stack_leaker(&p);
	p.pid = 2147483647;
	snprintf(p.comm, sizeof(p.comm), "%s", "a b c d e f g h");
	p.orphan_kb = 1LL << 40;
	p.stack_kb = 1LL << 20;
	/* more anon than the locked growth explains: both named */
	ls_fx_ps_grow(&p, LS_PS_ANON, 1LL << 42, 1LL << 41, 29);
	ls_fx_ps_grow(&p, LS_PS_SHMEM, 1LL << 40, 1LL << 41, 29);
	ls_fx_ps_grow(&p, LS_PS_LOCKED, 1LL << 40, 1LL << 41, 29);
	n = ls_ps_suspects(&p, out, 4);
	ASSERT_EQ(4U, n);
	for (i = 0; i < n; i++) {
		ASSERT_TRUE(no_space(out[i].subject)) TH_LOG("%u", i);
		ASSERT_TRUE(no_space(out[i].evidence)) TH_LOG("%u: %s", i, out[i].evidence);
		ASSERT_TRUE(no_space(out[i].next)) TH_LOG("%u: %s", i, out[i].next);
		ASSERT_GT(sizeof(out[i].evidence), strlen(out[i].evidence));
		ASSERT_GT(sizeof(out[i].next), strlen(out[i].next));
	}
}

TEST(count_beyond_max)
{
	struct ls_ps_view p;
	struct ls_suspect out[3];

	ls_fx_ps_stack_leaker(&p);
	ls_fx_ps_grow(&p, LS_PS_ANON, 8192, 8192, 29);	/* beyond locked */
	ls_fx_ps_grow(&p, LS_PS_SHMEM, 4096, 8192, 29);
	ls_fx_ps_grow(&p, LS_PS_LOCKED, 4096, 8192, 29);

	/* Four suspects, room for two: all counted, two written, no more. */
	memset(out, 0xa5, sizeof(out));
	ASSERT_EQ(4U, ls_ps_suspects(&p, out, 2));
	ASSERT_EQ((int)LS_SUSPECT_THREAD_STACK_LEAK, (int)out[0].kind);
	ASSERT_EQ((int)LS_SUSPECT_ANON_GROWTH, (int)out[1].kind);
	ASSERT_EQ(0xa5a5a5a5U, (u32)out[2].kind);

	/* No room at all: still counted, nothing written. */
	ASSERT_EQ(4U, ls_ps_suspects(&p, NULL, 0));

	ASSERT_EQ(4U, ls_ps_suspects(&p, out, 3));
	ASSERT_EQ((int)LS_SUSPECT_SHMEM_GROWTH, (int)out[2].kind);
}

/*
 * mlock-drip: every page it mallocs it locks.  Its anon growth is its
 * locked growth: one suspect, mlock-growth.  Anon growth beyond what is
 * locked is named as well.
 */
TEST(locked_anon_named_once)
{
	struct ls_ps_view p;
	struct ls_suspect out[4];

	ls_fx_ps_flat(&p, 42, "mlock-drip");
	ls_fx_ps_grow(&p, LS_PS_ANON, 8192, 16384, 29);
	ls_fx_ps_grow(&p, LS_PS_LOCKED, 8192, 16384, 29);
	ASSERT_EQ(1U, ls_ps_suspects(&p, out, 4));
	ASSERT_EQ((int)LS_SUSPECT_MLOCK_GROWTH, (int)out[0].kind);
	/* up to a threshold more anon than locked: still the same memory */
	ls_fx_ps_flat(&p, 42, "mlock-drip");
	ls_fx_ps_grow(&p, LS_PS_ANON, 8192 + 1024, 16384, 29);
	ls_fx_ps_grow(&p, LS_PS_LOCKED, 8192, 16384, 29);
	ASSERT_EQ(1U, ls_ps_suspects(&p, out, 4));
	ls_fx_ps_flat(&p, 42, "mlock-drip");
	ls_fx_ps_grow(&p, LS_PS_ANON, 8192 + 1025, 16384, 29);
	ls_fx_ps_grow(&p, LS_PS_LOCKED, 8192, 16384, 29);
	ASSERT_EQ(2U, ls_ps_suspects(&p, out, 4));
	ASSERT_EQ((int)LS_SUSPECT_ANON_GROWTH, (int)out[0].kind);
	ASSERT_EQ((int)LS_SUSPECT_MLOCK_GROWTH, (int)out[1].kind);
}

/* A young process that already grew: the meminfo suspect waits for it */
TEST(pending_while_collecting)
{
	struct ls_ps_view p;

	ls_fx_ps_flat(&p, 43, "young");
	ls_fx_ps_grow(&p, LS_PS_ANON, 4096, 12288, 29);
	ASSERT_EQ(0U, ls_ps_pending(&p));	/* judged: no longer pending */
	p.trend[LS_PS_ANON].verdict = LS_VERDICT_COLLECTING;
	ASSERT_EQ(1U << LS_SUSPECT_ANON_GROWTH, ls_ps_pending(&p));
	p.trend[LS_PS_LOCKED] = p.trend[LS_PS_ANON];
	p.trend[LS_PS_SHMEM] = p.trend[LS_PS_ANON];
	ASSERT_EQ((1U << LS_SUSPECT_ANON_GROWTH) |
		  (1U << LS_SUSPECT_MLOCK_GROWTH) |
		  (1U << LS_SUSPECT_SHMEM_GROWTH), ls_ps_pending(&p));
	/* Below the threshold, or no samples: nothing pending */
	p.trend[LS_PS_ANON].growth = ls_ps_min_growth[LS_PS_ANON] - 1;
	p.trend[LS_PS_LOCKED].n = 0;
	ASSERT_EQ(1U << LS_SUSPECT_SHMEM_GROWTH, ls_ps_pending(&p));
}

TEST(min_growth_floors)
{
	ASSERT_EQ(3, ls_ps_min_growth[LS_PS_ORPHANS]);
	ASSERT_EQ(3, ls_ps_min_growth[LS_PS_THREADS]);
	ASSERT_EQ(3, ls_ps_min_growth[LS_PS_ZOMBIES]);
	ASSERT_EQ(1024, ls_ps_min_growth[LS_PS_ANON]);
	ASSERT_EQ(1024, ls_ps_min_growth[LS_PS_SHMEM]);
	ASSERT_EQ(1024, ls_ps_min_growth[LS_PS_VSZ]);
	ASSERT_EQ(256, ls_ps_min_growth[LS_PS_LOCKED]);
}

#define KB_TIB	(1LL << 30)	/* 1 TiB in kB */

/*
 * An ASan process: 20 TiB of VSZ, more than a u32 of kB holds.  Around its
 * base, growth and shrinking both survive the round trip.
 */
TEST(series_base_keeps_vsz_beyond_4_tib)
{
	s64 v = 20 * KB_TIB + 123, base = ls_ps_base_for(v);

	ASSERT_TRUE(ls_ps_fits(v, base));
	EXPECT_EQ(v, base + ls_ps_encode(v, base));
	EXPECT_TRUE(ls_ps_fits(v + KB_TIB, base));
	EXPECT_EQ(v + 8192, base + ls_ps_encode(v + 8192, base));
	EXPECT_EQ(v - KB_TIB, base + ls_ps_encode(v - KB_TIB, base));
	/* 2 TiB each way, not 4 up or down. */
	EXPECT_FALSE(ls_ps_fits(v + 3 * KB_TIB, base));
	EXPECT_FALSE(ls_ps_fits(v - 3 * KB_TIB, base));
	/* Out of range saturates, never wraps. */
	EXPECT_EQ(U32_MAX, ls_ps_encode(v + 5 * KB_TIB, base));
	EXPECT_EQ(0U, ls_ps_encode(base - 1, base));
}

/* Below 2 TiB the base is 0: values are stored as they are, to 4 TiB. */
TEST(series_base_is_zero_for_ordinary_values)
{
	EXPECT_EQ(0, ls_ps_base_for(0));
	EXPECT_EQ(0, ls_ps_base_for(2 * KB_TIB));
	EXPECT_EQ(12345U, ls_ps_encode(12345, 0));
	EXPECT_TRUE(ls_ps_fits((s64)U32_MAX, 0));
	EXPECT_FALSE(ls_ps_fits((s64)U32_MAX + 1, 0));
	EXPECT_FALSE(ls_ps_fits(-1, 0));
}

TEST_HARNESS_MAIN
