// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite leakscope_cgroups_rules: module/cgroups_rules.c in the
 * kernel build (the host tests, selftests/unit/test_cgroups_rules.c, hold
 * the rest): a cgroup whose processes multiply is task-growth, named
 * alone; a sum that grows with no process named is anon-growth; growth a
 * process in it is named for is left to that process.
 */
#include <kunit/test.h>

#include "cgroups_rules.h"

/* A cgroup of 4 processes, 16 samples over 15 s, nothing moving. */
static void cg_flat(struct ls_cg_view *c)
{
	static const s64 now[LS_CG_NR] = { 4, 8192, 0, 0 };
	int s;

	memset(c, 0, sizeof(*c));
	strscpy(c->path, "/svc", sizeof(c->path));
	for (s = 0; s < LS_CG_NR; s++) {
		struct ls_trend *t = &c->trend[s];

		t->n = 16;
		t->span_ms = 15000;
		t->first = now[s];
		t->last = now[s];
		t->min = now[s];
		t->max = now[s];
		t->verdict = LS_VERDICT_STEADY;
	}
}

static void cg_grow(struct ls_cg_view *c, enum ls_cg_series s, s64 growth)
{
	struct ls_trend *t = &c->trend[s];

	t->last = t->first + growth;
	t->max = t->last;
	t->growth = growth;
	t->rate_per_min = growth * 4;
	t->rises = 12;
	t->persistence_pct = 80;
	t->peak_rise = growth;
	t->verdict = LS_VERDICT_GROWING;
}

#define CG_OUT	4

/* A view and room for its suspects: on the heap, not the (KASAN) stack. */
struct cg_ctx {
	struct ls_cg_view c;
	struct ls_suspect out[CG_OUT];
};

static struct cg_ctx *cg_ctx(struct kunit *test)
{
	struct cg_ctx *x = kunit_kzalloc(test, sizeof(*x), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, x);
	cg_flat(&x->c);
	return x;
}

static void cg_task_growth_alone(struct kunit *test)
{
	struct cg_ctx *x = cg_ctx(test);

	cg_grow(&x->c, LS_CG_PROCS, 12);
	cg_grow(&x->c, LS_CG_ANON, 12288);
	cg_grow(&x->c, LS_CG_SHMEM, 7776);
	KUNIT_ASSERT_EQ(test, 1U, ls_cg_suspects(&x->c, x->out, CG_OUT));
	KUNIT_EXPECT_STREQ(test, "task-growth",
			   ls_suspect_kind_name(x->out[0].kind));
	KUNIT_EXPECT_STREQ(test, "cgroup:/svc", x->out[0].subject);
	KUNIT_EXPECT_EQ(test, 12288LL, x->out[0].growth_kb);
	KUNIT_EXPECT_EQ(test, (int)LS_VERDICT_GROWING, (int)ls_cg_verdict(&x->c));
}

static void cg_anon_unnamed_and_named(struct kunit *test)
{
	struct cg_ctx *x = cg_ctx(test);

	cg_grow(&x->c, LS_CG_ANON, 4096);
	KUNIT_ASSERT_EQ(test, 1U, ls_cg_suspects(&x->c, x->out, CG_OUT));
	KUNIT_EXPECT_STREQ(test, "anon-growth",
			   ls_suspect_kind_name(x->out[0].kind));
	x->c.proc_kinds = BIT(LS_SUSPECT_ANON_GROWTH);
	KUNIT_EXPECT_EQ(test, 0U, ls_cg_suspects(&x->c, x->out, CG_OUT));
}

static void cg_steady_names_nothing(struct kunit *test)
{
	struct cg_ctx *x = cg_ctx(test);

	KUNIT_EXPECT_EQ(test, 0U, ls_cg_suspects(&x->c, NULL, 0));
	KUNIT_EXPECT_EQ(test, (int)LS_VERDICT_STEADY, (int)ls_cg_verdict(&x->c));
}

static struct kunit_case cgroups_rules_cases[] = {
	KUNIT_CASE(cg_task_growth_alone),
	KUNIT_CASE(cg_anon_unnamed_and_named),
	KUNIT_CASE(cg_steady_names_nothing),
	{}
};

static struct kunit_suite cgroups_rules_suite = {
	.name = "leakscope_cgroups_rules",
	.test_cases = cgroups_rules_cases,
};

kunit_test_suites(&cgroups_rules_suite);
