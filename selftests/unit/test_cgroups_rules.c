// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of module/cgroups_rules.c: when a cgroup's totals make
 * a cgroup suspect (task-growth, anon-growth, shmem-growth, mlock-growth),
 * when a process in it names the growth instead, and what they say.
 */
#include "kselftest_harness.h"

#include "cgroups_rules.h"

/* A cgroup of 4 processes, 16 samples over 15 s, nothing moving. */
static void cg_flat(struct ls_cg_view *c, const char *path)
{
	static const s64 now[LS_CG_NR] = { 4, 8192, 0, 0 };
	int s;

	memset(c, 0, sizeof(*c));
	snprintf(c->path, sizeof(c->path), "%s", path);
	for (s = 0; s < LS_CG_NR; s++) {
		struct ls_trend *t = &c->trend[s];

		t->n = 16;
		t->span_ms = 15000;
		t->first = t->last = t->min = t->max = now[s];
		t->verdict = LS_VERDICT_STEADY;
	}
}

/* Series @s rose by @growth, @rate a minute, in @rises of 15 intervals. */
static void cg_grow(struct ls_cg_view *c, enum ls_cg_series s, s64 growth,
		    s64 rate, u32 rises)
{
	struct ls_trend *t = &c->trend[s];

	t->last = t->first + growth;
	t->max = t->last;
	t->growth = growth;
	t->rate_per_min = rate;
	t->rises = rises;
	t->persistence_pct = rises * 100 / (t->n - 1);
	t->peak_rise = growth;
	t->verdict = LS_VERDICT_GROWING;
}

static bool no_space(const char *s)
{
	return *s && !strpbrk(s, " \t\n\r\v\f");
}

TEST(flat_cgroup_is_steady_and_named_nowhere)
{
	struct ls_cg_view c;
	struct ls_suspect out[4];

	cg_flat(&c, "/system.slice/pool.service");
	ASSERT_EQ(0U, ls_cg_suspects(&c, out, 4));
	ASSERT_EQ((int)LS_VERDICT_STEADY, (int)ls_cg_verdict(&c));
}

TEST(young_cgroup_is_collecting)
{
	struct ls_cg_view c;

	cg_flat(&c, "/a");
	c.trend[LS_CG_ANON].verdict = LS_VERDICT_COLLECTING;
	ASSERT_EQ((int)LS_VERDICT_COLLECTING, (int)ls_cg_verdict(&c));
}

/* Workers that each hold memory, more of them all the time. */
TEST(more_workers_is_task_growth_not_anon_growth)
{
	struct ls_cg_view c;
	struct ls_suspect out[4];

	cg_flat(&c, "/leaky");
	cg_grow(&c, LS_CG_PROCS, 15, 60, 15);
	cg_grow(&c, LS_CG_ANON, 15 * 2048, 60 * 2048, 15);
	ASSERT_EQ(1U, ls_cg_suspects(&c, out, 4));
	ASSERT_STREQ("task-growth", ls_suspect_kind_name(out[0].kind));
	ASSERT_STREQ("cgroup:/leaky", out[0].subject);
	ASSERT_EQ(15 * 2048, out[0].growth_kb);
	ASSERT_EQ(60 * 2048, out[0].rate_kb_min);
	ASSERT_EQ(100U, out[0].persistence_pct);
	ASSERT_STREQ("+15_processes_in_15_s,_now_19,_rising_in_15_of_15_intervals;_anon_+30720_kB,_shmem_+0_kB,_locked_+0_kB",
		     out[0].evidence);
	ASSERT_NE(NULL, strstr(out[0].next, "procs_--cgroup_/leaky"));
	ASSERT_TRUE(no_space(out[0].evidence));
	ASSERT_TRUE(no_space(out[0].next));
	ASSERT_EQ((int)LS_VERDICT_GROWING, (int)ls_cg_verdict(&c));
}

/* Workers replaced before any one of them is judged: the sum grows. */
TEST(anon_sum_grows_with_no_process_named)
{
	struct ls_cg_view c;
	struct ls_suspect out[4];

	cg_flat(&c, "/svc");
	cg_grow(&c, LS_CG_ANON, 4096, 16384, 12);
	ASSERT_EQ(1U, ls_cg_suspects(&c, out, 4));
	ASSERT_STREQ("anon-growth", ls_suspect_kind_name(out[0].kind));
	ASSERT_STREQ("cgroup:/svc", out[0].subject);
	ASSERT_STREQ("anon_+4096_kB_in_15_s_over_its_4_processes_(+0),_rising_in_12_of_15_intervals,_no_process_in_it_named",
		     out[0].evidence);
	ASSERT_EQ(80U, out[0].persistence_pct);
}

TEST(anon_growth_left_to_the_process_named_for_it)
{
	static const enum ls_suspect_kind by[] = {
		LS_SUSPECT_ANON_GROWTH, LS_SUSPECT_MLOCK_GROWTH,
		LS_SUSPECT_THREAD_GROWTH, LS_SUSPECT_THREAD_STACK_LEAK,
		LS_SUSPECT_MAPPING_GROWTH,
	};
	struct ls_cg_view c;
	struct ls_suspect out[4];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(by); i++) {
		cg_flat(&c, "/svc");
		cg_grow(&c, LS_CG_ANON, 4096, 16384, 12);
		c.proc_kinds = BIT(by[i]);
		ASSERT_EQ(0U, ls_cg_suspects(&c, out, 4));
		/* The row still says what its sum does. */
		ASSERT_EQ((int)LS_VERDICT_GROWING, (int)ls_cg_verdict(&c));
	}
	/* A process named for another kind does not explain anon. */
	cg_flat(&c, "/svc");
	cg_grow(&c, LS_CG_ANON, 4096, 16384, 12);
	c.proc_kinds = BIT(LS_SUSPECT_SHMEM_GROWTH);
	ASSERT_EQ(1U, ls_cg_suspects(&c, out, 4));
}

/* Processes that arrived brought their memory: not a sum that grows. */
TEST(no_memory_growth_when_processes_arrived)
{
	struct ls_cg_view c;
	struct ls_suspect out[4];

	cg_flat(&c, "/");
	/* Seven started in the window's first seconds: a step, not growth. */
	c.trend[LS_CG_PROCS].last += 7;
	c.trend[LS_CG_PROCS].growth = 7;
	cg_grow(&c, LS_CG_ANON, 46236, 121947, 26);
	cg_grow(&c, LS_CG_SHMEM, 3320, 12753, 8);
	cg_grow(&c, LS_CG_LOCKED, 10368, 38345, 31);
	ASSERT_EQ(0U, ls_cg_suspects(&c, out, 4));
	/* The row says what its sums do. */
	ASSERT_EQ((int)LS_VERDICT_GROWING, (int)ls_cg_verdict(&c));
	/* Back to as many as at the start (one left): judged again. */
	c.trend[LS_CG_PROCS].growth = 0;
	ASSERT_EQ(3U, ls_cg_suspects(&c, out, 4));
	c.trend[LS_CG_PROCS].growth = -1;
	ASSERT_EQ(3U, ls_cg_suspects(&c, out, 4));
}

TEST(task_growth_named_even_when_a_process_is)
{
	struct ls_cg_view c;
	struct ls_suspect out[4];

	/* No process is ever named for the number of processes. */
	cg_flat(&c, "/svc");
	cg_grow(&c, LS_CG_PROCS, 10, 40, 10);
	c.proc_kinds = BIT(LS_SUSPECT_ANON_GROWTH) | BIT(LS_SUSPECT_THREAD_GROWTH);
	ASSERT_EQ(1U, ls_cg_suspects(&c, out, 4));
	ASSERT_STREQ("task-growth", ls_suspect_kind_name(out[0].kind));
}

TEST(shmem_and_mlock_each_their_own)
{
	struct ls_cg_view c;
	struct ls_suspect out[4];

	cg_flat(&c, "/db");
	cg_grow(&c, LS_CG_SHMEM, 8192, 32768, 14);
	cg_grow(&c, LS_CG_LOCKED, 512, 2048, 14);
	ASSERT_EQ(2U, ls_cg_suspects(&c, out, 4));
	ASSERT_STREQ("shmem-growth", ls_suspect_kind_name(out[0].kind));
	ASSERT_EQ(2U, out[0].severity);
	ASSERT_STREQ("mlock-growth", ls_suspect_kind_name(out[1].kind));
	ASSERT_EQ(3U, out[1].severity);
	ASSERT_EQ(512, out[1].growth_kb);

	c.proc_kinds = BIT(LS_SUSPECT_SHMEM_GROWTH);
	ASSERT_EQ(1U, ls_cg_suspects(&c, out, 4));
	ASSERT_STREQ("mlock-growth", ls_suspect_kind_name(out[0].kind));
	c.proc_kinds |= BIT(LS_SUSPECT_MLOCK_GROWTH);
	ASSERT_EQ(0U, ls_cg_suspects(&c, out, 4));
}

/* More processes: every sum over them grows (a shared file counts once each). */
TEST(task_growth_is_named_alone)
{
	struct ls_cg_view c;
	struct ls_suspect out[4];

	cg_flat(&c, "/x");
	cg_grow(&c, LS_CG_PROCS, 10, 40, 10);
	cg_grow(&c, LS_CG_ANON, 10240, 40960, 10);
	cg_grow(&c, LS_CG_SHMEM, 6480, 25920, 10);
	cg_grow(&c, LS_CG_LOCKED, 512, 2048, 14);
	ASSERT_EQ(1U, ls_cg_suspects(&c, out, 4));
	ASSERT_STREQ("task-growth", ls_suspect_kind_name(out[0].kind));
	ASSERT_STREQ("+10_processes_in_15_s,_now_14,_rising_in_10_of_15_intervals;_anon_+10240_kB,_shmem_+6480_kB,_locked_+512_kB",
		     out[0].evidence);
}

TEST(counts_beyond_room_and_null_out)
{
	struct ls_cg_view c;
	struct ls_suspect out[1];

	cg_flat(&c, "/x");
	cg_grow(&c, LS_CG_ANON, 4096, 16384, 12);
	cg_grow(&c, LS_CG_SHMEM, 8192, 32768, 14);
	cg_grow(&c, LS_CG_LOCKED, 512, 2048, 14);
	ASSERT_EQ(3U, ls_cg_suspects(&c, out, 1));
	ASSERT_STREQ("anon-growth", ls_suspect_kind_name(out[0].kind));
	ASSERT_EQ(3U, ls_cg_suspects(&c, NULL, 0));
}

TEST(growth_below_its_series_is_not_counted)
{
	struct ls_cg_view c;
	struct ls_suspect out[4];

	/* A series with no samples (trend.n 0) decides nothing. */
	cg_flat(&c, "/x");
	cg_grow(&c, LS_CG_PROCS, 10, 40, 10);
	c.trend[LS_CG_PROCS].n = 0;
	ASSERT_EQ(0U, ls_cg_suspects(&c, out, 4));
}

TEST(long_path_is_cut_to_a_field)
{
	struct ls_cg_view c;
	struct ls_suspect out[1];
	char path[LS_CG_PATH_LEN];

	memset(path, 'a', sizeof(path) - 1);
	path[0] = '/';
	path[sizeof(path) - 1] = '\0';
	cg_flat(&c, path);
	cg_grow(&c, LS_CG_ANON, 4096, 16384, 12);
	ASSERT_EQ(1U, ls_cg_suspects(&c, out, 1));
	ASSERT_EQ(LS_SUBJECT_LEN - 1, (int)strlen(out[0].subject));
	ASSERT_EQ(0, strncmp(out[0].subject, "cgroup:/aaa", 11));
	ASSERT_TRUE(no_space(out[0].next));
}

TEST_HARNESS_MAIN
