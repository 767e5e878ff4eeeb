// SPDX-License-Identifier: GPL-2.0
/*
 * Who takes the pages no counter shows: call-site tracking of pages and
 * percpu memory, end to end, with ls_leaky.ko (selftests/kmod):
 *
 *  - ls_leaky_pages_leak() alloc_pages()s order-0 pages and keeps them
 *    (MemFree falls, no meminfo counter rises: Unaccounted grows),
 *  - ls_leaky_percpu_leak() __alloc_percpu()s 2,048-byte areas and keeps
 *    them (Percpu, which leakscope's ledger leaves in Unaccounted),
 *  - ls_leaky_pages_churn_alloc() alloc_pages()s as many and frees each
 *    page 5 periods later: a flat population.
 *
 * With track=all and with track=auto (which arms pages and percpu while
 * Unaccounted grows), at the default mean of 512 KiB between samples,
 * within 30 s: the top growing site of class `pages` in the callsites file
 * is ls_leaky_pages_leak(), that of class `percpu` ls_leaky_percpu_leak()
 * (both past the page and percpu allocators' own frames: a page event has
 * no call site, the site comes from its stack), and the unaccounted-growth
 * suspect names one of them, in the module, with `leakscope callsites
 * --cache CLASS` of that one's class as its next step; within 30 s more
 * both rows are growing.  The churning function's row never grows and no
 * suspect names it.  The header says both kinds are traced.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ls_test_util.h"

/* 32 pages and 32 areas of 2 KiB per CPU every 100 ms, for 90 s at most. */
#define LEAKY_PARAMS	"vm_leak=0 objs_per_tick=0 period_ms=100 new_per_tick=32 " \
			"max_ticks=900 leak_pages=1 page_order=0 percpu_bytes=2048 " \
			"churn_pages=1"
#define NAME_MS		30000
#define PAGES_CLASS	"pages"
#define PAGES_SITE	"ls_leaky_pages_leak"
#define PERCPU_CLASS	"percpu"
#define PERCPU_SITE	"ls_leaky_percpu_leak"
#define CHURN_SITE	"ls_leaky_pages_churn_alloc"
#define SUBJECT		"meminfo:Unaccounted"

/* The row of class @cls that grew most (ties: the file's order), or NULL. */
static const struct ls_row *top_of(const struct ls_doc *d, const char *cls)
{
	const struct ls_row *top = NULL;
	long long g, best = 0;
	int i;

	for (i = 0; i < d->nrows; i++) {
		const char *c = ls_row_field(d, &d->rows[i], "class");

		if (!c || strcmp(c, cls) ||
		    !ls_parse_ll(ls_row_field(d, &d->rows[i], "growth_kb"), &g))
			continue;
		if (g > best) {
			best = g;
			top = &d->rows[i];
		}
	}
	return top;
}

/*
 * Does the unaccounted-growth suspect name @fn, in the module, and point
 * at the callsites of class @cls?
 */
static bool suspect_names(const struct ls_doc *d, const char *fn,
			  const char *cls)
{
	char want[96], next[128], text[128];
	const char *k, *s, *ev, *nx;
	int i;

	ls_as_words(want, sizeof(want), fn);
	snprintf(text, sizeof(text), "leakscope callsites --cache %s", cls);
	ls_as_words(next, sizeof(next), text);
	for (i = 0; i < d->nrows; i++) {
		k = ls_row_field(d, &d->rows[i], "kind");
		s = ls_row_field(d, &d->rows[i], "subject");
		ev = ls_row_field(d, &d->rows[i], "evidence");
		nx = ls_row_field(d, &d->rows[i], "next");
		if (k && s && ev && nx && !strcmp(k, "unaccounted-growth") &&
		    !strcmp(s, SUBJECT) && strstr(ev, want) &&
		    strstr(ev, "[ls__leaky]") && !strcmp(nx, next))
			return true;
	}
	return false;
}

/* A suspect that names the churning function, or NULL. */
static const struct ls_row *names_churn(const struct ls_doc *d)
{
	char want[96];
	int k;

	ls_as_words(want, sizeof(want), CHURN_SITE);
	for (k = 0; k < d->nrows; k++) {
		const char *ev = ls_row_field(d, &d->rows[k], "evidence");

		if (ev && strstr(ev, want))
			return &d->rows[k];
	}
	return NULL;
}

static void dump_all(void)
{
	static const char * const files[] = { "summary", "suspects",
					      "callsites" };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(files); i++)
		ls_dump_file(files[i]);
}

FIXTURE(pages) {
	int unused;
};

FIXTURE_SETUP(pages)
{
	int ret;

	ASSERT_EQ(0, ls_unload());
	ret = ls_mod_unload_retry(LS_LEAKY_MODNAME, 5000);
	ASSERT_TRUE(ret == 0 || ret == -ENOENT) TH_LOG("rmmod ls_leaky: %s",
						       strerror(-ret));
}

FIXTURE_TEARDOWN(pages)
{
	int ret = ls_mod_unload_retry(LS_LEAKY_MODNAME, 5000);

	EXPECT_TRUE(ret == 0 || ret == -ENOENT);
	EXPECT_EQ(0, ls_unload());
}

FIXTURE_VARIANT(pages) {
	const char *params;
};

FIXTURE_VARIANT_ADD(pages, all) {
	.params = "interval_ms=500 track=all",
};

FIXTURE_VARIANT_ADD(pages, auto) {
	.params = "interval_ms=500 track=auto",
};

TEST_F_TIMEOUT(pages, leaks_named_churn_not, 180)
{
	bool pages_top = false, percpu_top = false, named = false;
	const struct ls_row *r;
	long long t0, t = 0;
	struct ls_doc s, d;
	char *out;
	int ret;

	ret = ls_load(variant->params);
	ASSERT_EQ(0, ret) TH_LOG("load %s: %s", ls_ko_path(), strerror(-ret));
	ret = ls_leaky_load(LEAKY_PARAMS);
	ASSERT_EQ(0, ret) TH_LOG("load %s: %s", ls_leaky_ko_path(),
				 strerror(-ret));
	t0 = ls_now_ms();

	while ((!pages_top || !percpu_top || !named) && t < NAME_MS) {
		ls_sleep_ms(250);
		ASSERT_EQ(0, ls_doc_load(&s, "suspects")) TH_LOG("%s", s.err);
		t = ls_now_ms() - t0;
		r = names_churn(&s);
		if (r)
			ls_dump("suspects", s.raw);
		ASSERT_EQ(NULL, r) TH_LOG("at %lld ms: %s %s", t,
					  ls_row_field(&s, r, "subject"),
					  ls_row_field(&s, r, "evidence"));
		named = named ||
			suspect_names(&s, PAGES_SITE, PAGES_CLASS) ||
			suspect_names(&s, PERCPU_SITE, PERCPU_CLASS);
		ls_doc_free(&s);

		ASSERT_EQ(0, ls_doc_load(&d, "callsites")) TH_LOG("%s", d.err);
		r = top_of(&d, PAGES_CLASS);
		pages_top = pages_top ||
			    (r && ls_site_is(ls_row_field(&d, r, "site"),
					  PAGES_SITE));
		r = top_of(&d, PERCPU_CLASS);
		percpu_top = percpu_top ||
			     (r && ls_site_is(ls_row_field(&d, r, "site"),
					   PERCPU_SITE));
		r = ls_site_row(&d, NULL, CHURN_SITE);
		if (r && !strcmp(ls_row_field(&d, r, "verdict"), "growing"))
			ls_dump("callsites", d.raw);
		EXPECT_TRUE(!r || strcmp(ls_row_field(&d, r, "verdict"),
					 "growing")) TH_LOG("%s grows at %lld ms",
							    CHURN_SITE, t);
		ls_doc_free(&d);
	}
	if (!pages_top || !percpu_top || !named)
		dump_all();
	ASSERT_TRUE(pages_top) TH_LOG("%s is not the top %s site in %d ms",
				      PAGES_SITE, PAGES_CLASS, NAME_MS);
	ASSERT_TRUE(percpu_top) TH_LOG("%s is not the top %s site in %d ms",
				       PERCPU_SITE, PERCPU_CLASS, NAME_MS);
	ASSERT_TRUE(named) TH_LOG("%s names neither leak in %d ms", SUBJECT,
				  NAME_MS);
	ksft_print_msg("%s: both leaks named after %lld ms\n", variant->params,
		       t);

	/* The rows grow; the churn's does not; both kinds traced. */
	EXPECT_STREQ("growing",
		     ls_wait_growing(PAGES_CLASS, PAGES_SITE, NAME_MS));
	EXPECT_STREQ("growing",
		     ls_wait_growing(PERCPU_CLASS, PERCPU_SITE, NAME_MS));
	ASSERT_EQ(0, ls_doc_load(&d, "callsites")) TH_LOG("%s", d.err);
	EXPECT_STREQ("traced", ls_doc_kv(&d, "pages"));
	EXPECT_STREQ("traced", ls_doc_kv(&d, "percpu"));
	r = ls_site_row(&d, NULL, CHURN_SITE);
	if (r)
		EXPECT_STRNE("growing", ls_row_field(&d, r, "verdict"))
			TH_LOG("%s grows", CHURN_SITE);
	ls_doc_free(&d);

	/* The reader, filtered by class. */
	out = NULL;
	EXPECT_EQ(0, ls_run_reader(&out, "callsites", "--cache", PAGES_CLASS));
	EXPECT_TRUE(out && strstr(out, PAGES_SITE)) TH_LOG("%s", out);
	free(out);
	out = NULL;
	EXPECT_EQ(0, ls_run_reader(&out, "callsites", "--cache", PERCPU_CLASS));
	EXPECT_TRUE(out && strstr(out, PERCPU_SITE)) TH_LOG("%s", out);
	free(out);
}

TEST_HARNESS_MAIN
