// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite leakscope_procs_history: module/procs_history.c, from the
 * process walker's records (walker_fakes.c stands in for walk_procs.c) to
 * the rows of the procs file: values, growth, rate and verdict of a
 * growing, a flat and a rise-once process, a pid reused or gone, walks of
 * slices and the cgroup sums kept across them, the window changed, and a
 * process too young to judge.
 */
#include <kunit/test.h>

#include "procs_history.h"
#include "walker_fakes.h"

#define WINDOW	16
#define SUS	8

struct ph_ctx {
	struct ls_procs_history ph;
	struct ls_procs_report *r;
	struct ls_suspect sus[SUS];
	u32 found;
	s64 t_ms;
};

static int ph_init(struct kunit *test)
{
	struct ph_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, c);
	ls_fake_reset();
	KUNIT_ASSERT_EQ(test, 0, ls_procs_history_init(&c->ph));
	test->priv = c;
	return 0;
}

static void ph_exit(struct kunit *test)
{
	struct ph_ctx *c = test->priv;

	ls_procs_report_put(c->r);
	ls_procs_history_free(&c->ph);
}

/* Walk record @i: a walked, one-threaded process of 100 MB. */
static struct ls_proc *proc(u32 i, s32 tgid, u64 start, const char *comm)
{
	struct ls_proc *p = &ls_fake.procs[i];

	memset(p, 0, sizeof(*p));
	p->tgid = tgid;
	p->start_ns = start;
	strscpy(p->comm, comm, sizeof(p->comm));
	p->threads = 1;
	p->vsz_kb = 100000;
	p->anon_kb = 5000;
	p->heap_kb = 132;
	p->anon_regions = 5;
	p->walked = true;
	if (ls_fake.nr_procs <= i)
		ls_fake.nr_procs = i + 1;
	return p;
}

/* One sample, a second after the last, and a new report of it. */
static void sample(struct kunit *test, u32 window)
{
	struct ph_ctx *c = test->priv;

	c->t_ms += 1000;
	ls_procs_history_sample(&c->ph, c->t_ms, window, 0);
	ls_procs_report_put(c->r);
	c->r = ls_procs_report_build(&c->ph, c->sus, SUS, &c->found);
	KUNIT_ASSERT_NOT_NULL(test, c->r);
}

static const struct ls_proc_row *row_of(struct kunit *test, s32 pid)
{
	struct ph_ctx *c = test->priv;
	u32 i;

	for (i = 0; i < c->r->nr; i++)
		if (c->r->rows[i].pid == pid)
			return &c->r->rows[i];
	KUNIT_FAIL_AND_ABORT(test, "no row for pid %d", pid);
	return NULL;
}

static void row_values(struct kunit *test)
{
	struct ph_ctx *c = test->priv;
	const struct ls_proc_row *row;
	struct ls_proc *p;
	int i;

	p = proc(0, 42, 1, "my prog");
	p->vsz_kb = 10000;
	p->anon_kb = 2000;
	p->shmem_kb = 300;
	p->locked_kb = 40;
	p->stacks = 2;
	p->orphans = 1;
	p->threads = 3;
	sample(test, WINDOW);
	KUNIT_ASSERT_EQ(test, 1U, c->r->nr);
	KUNIT_EXPECT_FALSE(test, c->r->capped);
	row = &c->r->rows[0];
	KUNIT_EXPECT_EQ(test, 42, row->pid);
	KUNIT_EXPECT_STREQ(test, "my_prog", row->comm);
	KUNIT_EXPECT_EQ(test, 1U, row->samples);
	KUNIT_EXPECT_EQ(test, 10000, row->vsz_kb);
	KUNIT_EXPECT_EQ(test, 2000, row->anon_kb);
	KUNIT_EXPECT_EQ(test, 300, row->shmem_kb);
	KUNIT_EXPECT_EQ(test, 40, row->locked_kb);
	KUNIT_EXPECT_EQ(test, 132, row->heap_kb);
	KUNIT_EXPECT_EQ(test, 5U, row->anon_regions);
	KUNIT_EXPECT_EQ(test, 2U, row->stacks);
	KUNIT_EXPECT_EQ(test, 1U, row->orphans);
	KUNIT_EXPECT_EQ(test, 3U, row->threads);
	KUNIT_EXPECT_EQ(test, 0, row->vsz_growth_kb);
	KUNIT_EXPECT_EQ(test, 0, row->anon_growth_kb);
	KUNIT_EXPECT_STREQ(test, "collecting", row->verdict);
	KUNIT_EXPECT_EQ(test, 0U, c->found);

	/* Half the window is what a row needs to be judged. */
	for (i = 1; i < WINDOW / 2; i++)
		sample(test, WINDOW);
	KUNIT_EXPECT_EQ(test, 8U, c->r->rows[0].samples);
	KUNIT_EXPECT_STREQ(test, "steady", c->r->rows[0].verdict);

	/* VMAs not walked this time (mm busy): the row says so. */
	p->walked = false;
	sample(test, WINDOW);
	KUNIT_EXPECT_STREQ(test, "busy", c->r->rows[0].verdict);
}

/*
 * Over a full window: pid 100 leaks 1 MB a second, 300 took 20 MB once
 * at its 4th sample, 50 and 200 are flat.
 */
static void growing_flat_and_rise_once(struct kunit *test)
{
	struct ph_ctx *c = test->priv;
	const struct ls_proc_row *row;
	struct ls_proc *grower;
	s64 i;

	proc(0, 50, 1, "idle");
	grower = proc(1, 100, 1, "grower");
	proc(2, 200, 1, "flat");
	for (i = 0; i < WINDOW; i++) {
		struct ls_proc *once = proc(3, 300, 1, "once");

		grower->anon_kb = 5000 + 1024 * i;
		grower->vsz_kb = 100000 + 1024 * i;
		once->anon_kb += i >= 3 ? 20480 : 0;
		once->vsz_kb += i >= 3 ? 20480 : 0;
		sample(test, WINDOW);
	}
	KUNIT_ASSERT_EQ(test, 4U, c->r->nr);
	/* By growth, largest first; equal growth in pid order. */
	KUNIT_EXPECT_EQ(test, 300, c->r->rows[0].pid);
	KUNIT_EXPECT_EQ(test, 100, c->r->rows[1].pid);
	KUNIT_EXPECT_EQ(test, 50, c->r->rows[2].pid);
	KUNIT_EXPECT_EQ(test, 200, c->r->rows[3].pid);

	row = row_of(test, 100);
	KUNIT_EXPECT_EQ(test, 16U, row->samples);
	KUNIT_EXPECT_EQ(test, 5000 + 15 * 1024, row->anon_kb);
	KUNIT_EXPECT_EQ(test, 15360, row->anon_growth_kb);
	KUNIT_EXPECT_EQ(test, 61440, row->anon_rate_kb_min);
	KUNIT_EXPECT_EQ(test, 15360, row->vsz_growth_kb);
	KUNIT_EXPECT_EQ(test, 61440, row->vsz_rate_kb_min);
	KUNIT_EXPECT_STREQ(test, "growing", row->verdict);

	/* Grew more, but once: steady, and its growth shown. */
	row = row_of(test, 300);
	KUNIT_EXPECT_EQ(test, 20480, row->anon_growth_kb);
	KUNIT_EXPECT_EQ(test, 20480, row->vsz_growth_kb);
	KUNIT_EXPECT_STREQ(test, "steady", row->verdict);

	row = row_of(test, 200);
	KUNIT_EXPECT_EQ(test, 0, row->anon_growth_kb);
	KUNIT_EXPECT_EQ(test, 0, row->anon_rate_kb_min);
	KUNIT_EXPECT_STREQ(test, "steady", row->verdict);

	/* One suspect: the leak. */
	KUNIT_ASSERT_EQ(test, 1U, c->found);
	KUNIT_EXPECT_EQ(test, LS_SUSPECT_ANON_GROWTH, c->sus[0].kind);
	KUNIT_EXPECT_STREQ(test, "pid:100:grower", c->sus[0].subject);
	KUNIT_EXPECT_EQ(test, 15360, c->sus[0].growth_kb);
	KUNIT_EXPECT_EQ(test, 61440, c->sus[0].rate_kb_min);
	KUNIT_EXPECT_EQ(test, 100U, c->sus[0].persistence_pct);
	KUNIT_EXPECT_STREQ(test,
			   "RssAnon_+15360_kB_in_15_s,_rising_in_15_of_15_intervals,_heap_132_kB,_5_anon_regions",
			   c->sus[0].evidence);
	KUNIT_EXPECT_EQ(test, 0U, c->r->pending);
}

static void pid_reused_starts_over(struct kunit *test)
{
	struct ph_ctx *c = test->priv;
	const struct ls_proc_row *row;
	struct ls_proc *p;
	int i;

	p = proc(0, 100, 1, "old");
	for (i = 0; i < 10; i++) {
		p->anon_kb = 5000 + 1024 * i;
		sample(test, WINDOW);
		/* Its own previous record, offered to the walk. */
		KUNIT_EXPECT_EQ(test, i > 0, ls_fake.had_prev[0]);
	}
	KUNIT_EXPECT_EQ(test, 9216, c->r->rows[0].anon_growth_kb);

	/* Same pid, another start time: another process. */
	p = proc(0, 100, 2, "new");
	p->anon_kb = 50000;
	sample(test, WINDOW);
	KUNIT_EXPECT_FALSE(test, ls_fake.had_prev[0]);
	KUNIT_ASSERT_EQ(test, 1U, c->r->nr);
	row = &c->r->rows[0];
	KUNIT_EXPECT_STREQ(test, "new", row->comm);
	KUNIT_EXPECT_EQ(test, 1U, row->samples);
	KUNIT_EXPECT_EQ(test, 50000, row->anon_kb);
	KUNIT_EXPECT_EQ(test, 0, row->anon_growth_kb);
	KUNIT_EXPECT_STREQ(test, "collecting", row->verdict);
}

static void gone_dropped_unvisited_kept(struct kunit *test)
{
	struct ph_ctx *c = test->priv;
	int i;

	for (i = 0; i < 3; i++) {
		proc(0, 10, 1, "a");
		proc(1, 20, 1, "b");
		proc(2, 30, 1, "c");
		sample(test, WINDOW);
	}
	KUNIT_ASSERT_EQ(test, 3U, c->r->nr);

	/* 20 exited: a walk over every pid did not see it. */
	proc(1, 30, 1, "c");
	ls_fake.nr_procs = 2;
	sample(test, WINDOW);
	KUNIT_ASSERT_EQ(test, 2U, c->r->nr);
	KUNIT_EXPECT_EQ(test, 4U, row_of(test, 10)->samples);
	KUNIT_EXPECT_EQ(test, 4U, row_of(test, 30)->samples);

	/* A walk of pids below 25 only: 30 was not looked at, and stays. */
	ls_fake.nr_procs = 1;
	ls_fake.slice_hi = 25;
	sample(test, WINDOW);
	KUNIT_ASSERT_EQ(test, 2U, c->r->nr);
	KUNIT_EXPECT_EQ(test, 5U, row_of(test, 10)->samples);
	KUNIT_EXPECT_EQ(test, 4U, row_of(test, 30)->samples);

	/* The rest of the pids, and 30 is gone now. */
	ls_fake.nr_procs = 0;
	ls_fake.slice_lo = 25;
	ls_fake.slice_hi = INT_MAX;
	sample(test, WINDOW);
	KUNIT_ASSERT_EQ(test, 1U, c->r->nr);
	KUNIT_EXPECT_EQ(test, 10, c->r->rows[0].pid);
}

/* What a walk of the model saw last: pid i*10 is model[i]. */
struct churn_proc {
	bool live;
	u64 start, cgroup;
	s64 anon_kb;
	u32 threads;
};

/* The report's rows summed by cgroup agree with the history's sums. */
static void expect_sums_agree(struct kunit *test)
{
	struct ph_ctx *c = test->priv;
	const struct ls_cg_sum *sums;
	u32 nr, i, k, procs, threads;
	s64 anon, vsz;

	sums = ls_procs_history_by_cgroup(&c->ph, &nr);
	KUNIT_ASSERT_NOT_NULL(test, sums);
	for (k = 0; k < nr; k++) {
		procs = 0;
		threads = 0;
		anon = 0;
		vsz = 0;
		if (k)
			KUNIT_EXPECT_LT(test, sums[k - 1].id, sums[k].id);
		for (i = 0; i < c->r->nr; i++) {
			if (c->r->rows[i].cgroup_id != sums[k].id)
				continue;
			procs++;
			threads += c->r->rows[i].threads;
			anon += c->r->rows[i].anon_kb;
			vsz += c->r->rows[i].vsz_kb;
		}
		KUNIT_EXPECT_NE(test, 0U, procs);
		KUNIT_EXPECT_EQ(test, procs, sums[k].procs);
		KUNIT_EXPECT_EQ(test, threads, sums[k].threads);
		KUNIT_EXPECT_EQ(test, anon, sums[k].anon_kb);
		KUNIT_EXPECT_EQ(test, vsz, sums[k].vsz_kb);
	}
	/* Every row's cgroup has its entry. */
	for (i = 0; i < c->r->nr; i++) {
		for (k = 0; k < nr; k++)
			if (sums[k].id == c->r->rows[i].cgroup_id)
				break;
		KUNIT_EXPECT_LT(test, k, nr);
	}
}

/*
 * Walks of random slices over 16 pids that come, go, are reused, grow
 * and change cgroup: what was outside a slice stays as it was, what the
 * slice did not return is gone, and the cgroup sums kept by difference
 * always equal the rows summed again.
 */
static void slices_and_cgroup_sums(struct kunit *test)
{
	struct churn_proc model[LS_FAKE_PROCS] = {};
	struct ph_ctx *c = test->priv;
	u32 seed = 12345, round, i, n, rows;
	int lo, hi;

	for (round = 0; round < 200; round++) {
		seed = seed * 1103515245 + 12345;
		lo = (seed >> 8) % LS_FAKE_PROCS;
		hi = lo + 1 + (seed >> 16) % (LS_FAKE_PROCS - lo);
		ls_fake.slice_lo = lo * 10;
		ls_fake.slice_hi = hi == LS_FAKE_PROCS ? INT_MAX : hi * 10;
		n = 0;
		for (i = lo; i < hi; i++) {
			struct churn_proc *m = &model[i];
			struct ls_proc *p;
			u32 r;

			seed = seed * 1103515245 + 12345;
			r = seed >> 8;
			if (r % 5 == 0) {
				m->live = false;	/* gone */
				continue;
			}
			if (!m->live || r % 7 == 0)
				m->start = round + 1;	/* new, or pid reused */
			m->live = true;
			if (r % 3 == 0)
				m->cgroup = 1 + r % 4;
			m->anon_kb = 1000 + (r >> 4) % 5000;
			m->threads = 1 + r % 9;
			p = proc(n++, i * 10, m->start, "churn");
			p->cgroup_id = m->cgroup;
			p->anon_kb = m->anon_kb;
			p->threads = m->threads;
		}
		ls_fake.nr_procs = n;
		sample(test, WINDOW);

		rows = 0;
		for (i = 0; i < LS_FAKE_PROCS; i++) {
			const struct ls_proc_row *row;

			if (!model[i].live)
				continue;
			rows++;
			row = row_of(test, i * 10);
			KUNIT_EXPECT_EQ(test, model[i].anon_kb, row->anon_kb);
			KUNIT_EXPECT_EQ(test, model[i].cgroup, row->cgroup_id);
		}
		KUNIT_ASSERT_EQ(test, rows, c->r->nr);
		expect_sums_agree(test);
	}
}

static void window_changes(struct kunit *test)
{
	struct ph_ctx *c = test->priv;
	const struct ls_proc_row *row;
	struct ls_proc *p;
	int i;

	p = proc(0, 77, 1, "leaker");
	for (i = 0; i < 12; i++) {
		p->anon_kb = 5000 + 1024 * i;
		sample(test, WINDOW);
	}
	KUNIT_EXPECT_STREQ(test, "growing", c->r->rows[0].verdict);

	/* 8: the newest 8 kept, and this one pushes out the oldest: 5 .. 12. */
	p->anon_kb = 5000 + 1024 * 12;
	sample(test, 8);
	row = &c->r->rows[0];
	KUNIT_EXPECT_EQ(test, 8U, row->samples);
	KUNIT_EXPECT_EQ(test, 7 * 1024, row->anon_growth_kb);
	KUNIT_EXPECT_STREQ(test, "growing", row->verdict);
	KUNIT_EXPECT_EQ(test, 1U, c->found);

	/* 32: all 8 kept, one more, and 16 needed to judge again. */
	p->anon_kb = 5000 + 1024 * 13;
	sample(test, 32);
	row = &c->r->rows[0];
	KUNIT_EXPECT_EQ(test, 9U, row->samples);
	KUNIT_EXPECT_EQ(test, 8 * 1024, row->anon_growth_kb);
	KUNIT_EXPECT_STREQ(test, "collecting", row->verdict);
	KUNIT_EXPECT_EQ(test, 0U, c->found);
	/* Grown past its floor while collecting: pending. */
	KUNIT_EXPECT_EQ(test, 1U << LS_SUSPECT_ANON_GROWTH, c->r->pending);
}

static void young_process_pending(struct kunit *test)
{
	struct ph_ctx *c = test->priv;
	struct ls_proc *young;
	int i;

	young = proc(0, 500, 9, "young");
	for (i = 0; i < 5; i++) {
		young->anon_kb = 5000 + 1024 * i;
		young->locked_kb = 64 * i;
		sample(test, WINDOW);
		if (i == 1)	/* anon +1024, at its floor; locked +64 */
			KUNIT_EXPECT_EQ(test, 1U << LS_SUSPECT_ANON_GROWTH,
					c->r->pending);
	}
	KUNIT_EXPECT_STREQ(test, "collecting", c->r->rows[0].verdict);
	KUNIT_EXPECT_EQ(test, 4096, c->r->rows[0].anon_growth_kb);
	KUNIT_EXPECT_EQ(test, 0U, c->found);
	/* anon +4096; locked +256, at its own floor now. */
	KUNIT_EXPECT_EQ(test, (1U << LS_SUSPECT_ANON_GROWTH) |
			(1U << LS_SUSPECT_MLOCK_GROWTH), c->r->pending);
}

/*
 * A process built with AddressSanitizer reserves some 20 TiB: its samples
 * are kept as offsets from a base, and must read as the kB they were.
 */
static void huge_vsz_reads_true(struct kunit *test)
{
	struct ph_ctx *c = test->priv;
	const s64 tib20 = 20LL << 30;
	struct ls_proc *p;
	int i;

	p = proc(0, 600, 1, "asan");
	for (i = 0; i < WINDOW; i++) {
		p->vsz_kb = tib20 + 1024 * i;
		sample(test, WINDOW);
	}
	KUNIT_EXPECT_EQ(test, tib20 + 15 * 1024, c->r->rows[0].vsz_kb);
	KUNIT_EXPECT_EQ(test, 15360, c->r->rows[0].vsz_growth_kb);
	KUNIT_EXPECT_EQ(test, 61440, c->r->rows[0].vsz_rate_kb_min);
	/*
	 * VSZ growing with no resident memory and no stacks behind it is
	 * mappings of its own: the row is growing and a suspect says so,
	 * with the growth read true past the base.
	 */
	KUNIT_EXPECT_STREQ(test, "growing", c->r->rows[0].verdict);
	KUNIT_ASSERT_EQ(test, 1U, c->found);
	KUNIT_EXPECT_EQ(test, LS_SUSPECT_MAPPING_GROWTH, c->sus[0].kind);
	KUNIT_EXPECT_STREQ(test, "pid:600:asan", c->sus[0].subject);
	KUNIT_EXPECT_EQ(test, 15360, c->sus[0].growth_kb);
}

static struct kunit_case procs_history_cases[] = {
	KUNIT_CASE(row_values),
	KUNIT_CASE(growing_flat_and_rise_once),
	KUNIT_CASE(pid_reused_starts_over),
	KUNIT_CASE(gone_dropped_unvisited_kept),
	KUNIT_CASE(slices_and_cgroup_sums),
	KUNIT_CASE(window_changes),
	KUNIT_CASE(young_process_pending),
	KUNIT_CASE(huge_vsz_reads_true),
	{}
};

static struct kunit_suite procs_history_suite = {
	.name = "leakscope_procs_history",
	.init = ph_init,
	.exit = ph_exit,
	.test_cases = procs_history_cases,
};

kunit_test_suite(procs_history_suite);
