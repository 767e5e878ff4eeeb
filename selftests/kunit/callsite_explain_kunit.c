// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite leakscope_callsite_explain: module/callsite_report.c's
 * ls_callsite_explain() and ls_callsite_explain_unaccounted(), over a
 * report built by hand.  A suspect names the growing site with the most
 * sampled growth, its share of all the sampled growth of its class; a
 * site that is not growing by its own verdict (armed a moment ago, its
 * objects in flight all new) is never named, however much it rose.
 */
#include <kunit/test.h>

#include "callsite_report.h"
#include "suspects.h"

#define GROWING		true
#define LEVEL		false

struct ce_spec {
	const char *cls, *site;
	s64 growth_kb;
	bool growing;
};

/* A report of @nr rows as @spec says (the rows are large: not on the stack). */
static void ce_report(struct kunit *test, struct ls_callsite_report *r,
		      const struct ce_spec *spec, u32 nr)
{
	u32 i;

	memset(r, 0, sizeof(*r));
	r->rows = kunit_kcalloc(test, nr, sizeof(*r->rows), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r->rows);
	for (i = 0; i < nr; i++) {
		struct ls_callsite_row *row = &r->rows[i];

		strscpy(row->cls, spec[i].cls, sizeof(row->cls));
		strscpy(row->site, spec[i].site, sizeof(row->site));
		row->growth_kb = spec[i].growth_kb;
		row->growing = spec[i].growing;
		row->verdict = row->growing ? "growing" : "collecting";
	}
	r->nr = nr;
}

static void ce_suspect(struct ls_suspect *s, const char *subject,
		       s64 growth_kb)
{
	memset(s, 0, sizeof(*s));
	s->kind = LS_SUSPECT_SLAB_GROWTH;
	strscpy(s->subject, subject, sizeof(s->subject));
	s->growth_kb = growth_kb;
	strscpy(s->evidence, "before", sizeof(s->evidence));
	strscpy(s->next, "before", sizeof(s->next));
}

/* The growing leak, not the larger rise of a site armed a moment ago. */
static void names_the_growing_site(struct kunit *test)
{
	static const struct ce_spec rows[] = {
		{ "kmalloc-1k", "rcu_alloc+0x76/0xf0[m]", 1100, LEVEL },
		{ "kmalloc-1k", "leak+0x11/0x34[m]", 900, GROWING },
		{ "kmalloc-1k", "slow+0x1/0x2[m]", 100, GROWING },
		{ "kmalloc-2k", "other+0x1/0x2[m]", 5000, GROWING },
	};
	struct ls_callsite_report r;
	struct ls_suspect s;

	ce_report(test, &r, rows, ARRAY_SIZE(rows));
	ce_suspect(&s, "slab:kmalloc-1k", 2000);
	KUNIT_ASSERT_TRUE(test, ls_callsite_explain(&r, "kmalloc-1k", &s));
	/* 900 of the class's 2100 kB of sampled growth */
	KUNIT_EXPECT_STREQ(test, s.evidence,
			   "kmalloc-1k:_42%_of_sampled_outstanding_growth_from_leak+0x11/0x34[m]");
	KUNIT_EXPECT_STREQ(test, s.next, "leakscope_callsites_--cache_kmalloc-1k");
}

/* Only sites that are not growing: the suspect keeps its own evidence. */
static void level_sites_name_nothing(struct kunit *test)
{
	static const struct ce_spec rows[] = {
		{ "kmalloc-1k", "rcu_alloc+0x76/0xf0[m]", 13000, LEVEL },
		{ "kmalloc-1k", "churn+0x1/0x2[m]", 500, LEVEL },
	};
	struct ls_callsite_report r;
	struct ls_suspect s;

	ce_report(test, &r, rows, ARRAY_SIZE(rows));
	ce_suspect(&s, "slab:kmalloc-1k", 13120);
	KUNIT_EXPECT_FALSE(test, ls_callsite_explain(&r, "kmalloc-1k", &s));
	KUNIT_EXPECT_STREQ(test, s.evidence, "before");
	KUNIT_EXPECT_STREQ(test, s.next, "before");
	KUNIT_EXPECT_FALSE(test, ls_callsite_explain(NULL, "kmalloc-1k", &s));
}

/* A growing site with less than a tenth of the cache's growth: not it. */
static void a_tenth_at_least(struct kunit *test)
{
	static const struct ce_spec rows[] = {
		{ "kmalloc-1k", "leak+0x11/0x34[m]", 99, GROWING },
	};
	struct ls_callsite_report r;
	struct ls_suspect s;

	ce_report(test, &r, rows, ARRAY_SIZE(rows));
	ce_suspect(&s, "slab:kmalloc-1k", 1000);
	KUNIT_EXPECT_FALSE(test, ls_callsite_explain(&r, "kmalloc-1k", &s));
	KUNIT_EXPECT_STREQ(test, s.evidence, "before");
	r.rows[0].growth_kb = 100;
	KUNIT_EXPECT_TRUE(test, ls_callsite_explain(&r, "kmalloc-1k", &s));
	KUNIT_EXPECT_STREQ(test, s.evidence,
			   "kmalloc-1k:_100%_of_sampled_outstanding_growth_from_leak+0x11/0x34[m]");
}

/* Unaccounted: pages and percpu only, the top growing one of both. */
static void unaccounted_pages_and_percpu(struct kunit *test)
{
	static const struct ce_spec rows[] = {
		{ "kmalloc-2k", "slab_leak+0x1/0x2[m]", 9000, GROWING },
		{ "pages-lru", "readahead+0x1/0x2", 8000, GROWING },
		{ "pages", "delayed_free+0x1/0x2[m]", 4000, LEVEL },
		{ "percpu", "pcpu_leak+0x1/0x2[m]", 3000, GROWING },
		{ "pages", "pages_leak+0x1/0x2[m]", 1000, GROWING },
	};
	struct ls_callsite_report r;
	struct ls_suspect s;

	ce_report(test, &r, rows, ARRAY_SIZE(rows));
	ce_suspect(&s, "meminfo:Unaccounted", 6000);
	s.kind = LS_SUSPECT_UNACCOUNTED_GROWTH;
	KUNIT_ASSERT_TRUE(test, ls_callsite_explain_unaccounted(&r, &s));
	/* 3000 of the 8000 kB that pages and percpu rows grew by */
	KUNIT_EXPECT_STREQ(test, s.evidence,
			   "Unaccounted:_37%_of_sampled_outstanding_growth_from_pcpu__leak+0x1/0x2[m]");
	KUNIT_EXPECT_STREQ(test, s.next, "leakscope_callsites_--cache_percpu");
}

static struct kunit_case callsite_explain_cases[] = {
	KUNIT_CASE(names_the_growing_site),
	KUNIT_CASE(level_sites_name_nothing),
	KUNIT_CASE(a_tenth_at_least),
	KUNIT_CASE(unaccounted_pages_and_percpu),
	{}
};

static struct kunit_suite callsite_explain_suite = {
	.name = "leakscope_callsite_explain",
	.test_cases = callsite_explain_cases,
};

kunit_test_suites(&callsite_explain_suite);
