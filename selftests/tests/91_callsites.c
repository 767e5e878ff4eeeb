// SPDX-License-Identifier: GPL-2.0
/*
 * Who allocates: sampled call-site tracking, end to end, with ls_leaky.ko
 * (selftests/kmod) leaking slab objects from two named functions and
 * churning two populations that stay flat:
 *
 *  - ls_leaky_strdup_leak() kstrdup()s 2,000-byte strings (kmalloc-2k,
 *    through a wrapper: the kmalloc event's call site is kstrdup),
 *  - ls_leaky_kc_leak() allocates from its own cache ls_leaky_kc,
 *  - ls_leaky_churn_alloc() allocates from ls_leaky_churn and frees each
 *    object 5 periods later with kmem_cache_free(),
 *  - ls_leaky_rcu_alloc() kmalloc()s 1,000 bytes and frees them 5 periods
 *    later with kfree_rcu(), whose frees reach the allocator in bulk
 *    (kfree_bulk()), which no kfree event traces.
 *
 * With track=all and with track=auto (the default mean of 512 KiB between
 * samples), within 30 s: the slab-growth suspects of kmalloc-2k and
 * ls_leaky_kc each name their leaking function as the call site behind
 * their growth (the first past kstrdup), and point at
 * `leakscope callsites --cache NAME`; within 30 s more the callsites file
 * has growing rows for both, whose stacks (the stacks file) hold the
 * function, in the module; no row of the churning functions grows and no suspect names
 * them.  The reader's callsites command shows the site; track=off empties
 * the file and the reader says how to turn tracking on.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ls_test_util.h"

#define LEAKY_PARAMS	"vm_leak=0 objs_per_tick=0 period_ms=100 new_per_tick=64 " \
			"strdup_bytes=2000 kc_obj_size=2048 churn_obj_size=1024 rcu_bytes=1000"
#define NAME_MS		30000
#define STRDUP_CACHE	"kmalloc-2k"
#define STRDUP_SITE	"ls_leaky_strdup_leak"
#define KC_CACHE	"ls_leaky_kc"
#define KC_SITE		"ls_leaky_kc_leak"

/* Functions whose memory never grows: no row of theirs may. */
static const char * const flat_sites[] = {
	"ls_leaky_churn_alloc", "ls_leaky_rcu_alloc",
};

static const struct ls_row *suspect_of(const struct ls_doc *d,
				       const char *subject)
{
	int i;

	for (i = 0; i < d->nrows; i++) {
		const char *k = ls_row_field(d, &d->rows[i], "kind");
		const char *s = ls_row_field(d, &d->rows[i], "subject");

		if (k && s && !strcmp(k, "slab-growth") && !strcmp(s, subject))
			return &d->rows[i];
	}
	return NULL;
}

/* Does the slab-growth suspect of @cache name @site, and the next step? */
static bool suspect_names(const struct ls_doc *d, const char *cache,
			  const char *site)
{
	char subject[96], want[96], next[128];
	const struct ls_row *r;
	const char *ev, *nx;

	snprintf(subject, sizeof(subject), "slab:%s", cache);
	r = suspect_of(d, subject);
	if (!r)
		return false;
	ev = ls_row_field(d, r, "evidence");
	nx = ls_row_field(d, r, "next");
	ls_as_words(want, sizeof(want), site);
	snprintf(subject, sizeof(subject), "leakscope callsites --cache %s",
		 cache);
	ls_as_words(next, sizeof(next), subject);
	return ev && nx && strstr(ev, want) && strstr(ev, "[ls__leaky]") &&
	       !strcmp(nx, next);
}

/* A suspect that names a churning function, or NULL. */
static const struct ls_row *names_flat(const struct ls_doc *d)
{
	char want[96];
	size_t i;
	int k;

	for (k = 0; k < d->nrows; k++) {
		const char *ev = ls_row_field(d, &d->rows[k], "evidence");
		const char *s = ls_row_field(d, &d->rows[k], "subject");

		/* KASAN's quarantine holds freed objects (ls_test_util.h) */
		if (s && strstr(s, "ls_leaky_churn") && !ls_kernel_has_kasan())
			return &d->rows[k];
		for (i = 0; i < ARRAY_SIZE(flat_sites); i++) {
			ls_as_words(want, sizeof(want), flat_sites[i]);
			if (ev && strstr(ev, want))
				return &d->rows[k];
		}
	}
	return NULL;
}

/* Is stack @id in the stacks file, with a frame in @site's function? */
static bool stack_has(const char *id, const char *site)
{
	char *text, *line, *next, want[96];
	bool found = false;

	if (ls_read_file("stacks", &text))
		return false;
	snprintf(want, sizeof(want), " %s+0x", site);
	next = text;
	while ((line = ls_next_line(&next)))
		if (!strncmp(line, id, strlen(id)) &&
		    line[strlen(id)] == ' ' && strstr(line, want) &&
		    strstr(line, "[ls_leaky]"))
			found = true;
	free(text);
	return found;
}

static void dump_all(void)
{
	static const char * const files[] = { "suspects", "callsites", "slab" };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(files); i++)
		ls_dump_file(files[i]);
}

FIXTURE(callsites) {
	int unused;
};

FIXTURE_SETUP(callsites)
{
	int ret;

	ASSERT_EQ(0, ls_unload());
	ret = ls_mod_unload_retry(LS_LEAKY_MODNAME, 5000);
	ASSERT_TRUE(ret == 0 || ret == -ENOENT) TH_LOG("rmmod ls_leaky: %s",
						       strerror(-ret));
}

FIXTURE_TEARDOWN(callsites)
{
	int ret = ls_mod_unload_retry(LS_LEAKY_MODNAME, 5000);

	EXPECT_TRUE(ret == 0 || ret == -ENOENT);
	EXPECT_EQ(0, ls_unload());
}

FIXTURE_VARIANT(callsites) {
	const char *params;
};

FIXTURE_VARIANT_ADD(callsites, all) {
	.params = "interval_ms=500 track=all",
};

FIXTURE_VARIANT_ADD(callsites, auto) {
	.params = "interval_ms=500 track=auto",
};

TEST_F_TIMEOUT(callsites, leaks_named_churn_not, 180)
{
	bool strdup_named = false, kc_named = false;
	const struct ls_row *r;
	long long t0, t = 0;
	struct ls_doc s, d;
	char id[16], *out;
	size_t i;
	int ret;

	ret = ls_load(variant->params);
	ASSERT_EQ(0, ret) TH_LOG("load %s: %s", ls_ko_path(), strerror(-ret));
	ret = ls_leaky_load(LEAKY_PARAMS);
	ASSERT_EQ(0, ret) TH_LOG("load %s: %s", ls_leaky_ko_path(),
				 strerror(-ret));
	t0 = ls_now_ms();

	while ((!strdup_named || !kc_named) && t < NAME_MS) {
		ls_sleep_ms(250);
		ASSERT_EQ(0, ls_doc_load(&s, "suspects")) TH_LOG("%s", s.err);
		t = ls_now_ms() - t0;
		r = names_flat(&s);
		if (r)
			ls_dump("suspects", s.raw);
		ASSERT_EQ(NULL, r) TH_LOG("at %lld ms: %s %s", t,
					  ls_row_field(&s, r, "subject"),
					  ls_row_field(&s, r, "evidence"));
		strdup_named = strdup_named ||
			       suspect_names(&s, STRDUP_CACHE, STRDUP_SITE);
		kc_named = kc_named || suspect_names(&s, KC_CACHE, KC_SITE);
		ls_doc_free(&s);
	}
	if (!strdup_named || !kc_named)
		dump_all();
	ASSERT_TRUE(strdup_named) TH_LOG("slab:%s does not name %s in %d ms",
					 STRDUP_CACHE, STRDUP_SITE, NAME_MS);
	ASSERT_TRUE(kc_named) TH_LOG("slab:%s does not name %s in %d ms",
				     KC_CACHE, KC_SITE, NAME_MS);
	ksft_print_msg("%s: both leaks named after %lld ms\n", variant->params,
		       t);

	/* The rows: both leaks growing, with their stacks; churn flat. */
	EXPECT_STREQ("growing",
		     ls_wait_growing(STRDUP_CACHE, STRDUP_SITE, NAME_MS));
	EXPECT_STREQ("growing",
		     ls_wait_growing(KC_CACHE, KC_SITE, NAME_MS));
	ASSERT_EQ(0, ls_doc_load(&d, "callsites")) TH_LOG("%s", d.err);
	r = ls_site_row(&d, STRDUP_CACHE, STRDUP_SITE);
	if (!r)
		ls_dump("callsites", d.raw);
	ASSERT_NE(NULL, r);
	snprintf(id, sizeof(id), "%s", ls_row_field(&d, r, "stack"));
	EXPECT_TRUE(stack_has(id, STRDUP_SITE)) TH_LOG("stack %s", id);
	r = ls_site_row(&d, KC_CACHE, KC_SITE);
	ASSERT_NE(NULL, r);
	snprintf(id, sizeof(id), "%s", ls_row_field(&d, r, "stack"));
	EXPECT_TRUE(stack_has(id, KC_SITE)) TH_LOG("stack %s", id);
	for (i = 0; i < ARRAY_SIZE(flat_sites); i++) {
		r = ls_site_row(&d, NULL, flat_sites[i]);
		if (r)
			EXPECT_STRNE("growing", ls_row_field(&d, r, "verdict"))
				TH_LOG("%s grows", flat_sites[i]);
	}
	ls_doc_free(&d);

	/* The reader, filtered by cache. */
	out = NULL;
	EXPECT_EQ(0, ls_run_reader(&out, "callsites", "--cache", STRDUP_CACHE));
	EXPECT_TRUE(out && strstr(out, STRDUP_SITE)) TH_LOG("%s", out);
	free(out);
	EXPECT_EQ(0, ls_run_reader(NULL, "callsites", "--json", NULL));
	EXPECT_EQ(0, ls_run_reader(NULL, "stacks", "--json", NULL));

	/* Off: no probe, no rows, and the reader says how to turn it on. */
	ASSERT_EQ(0, ls_control_str("track=off"));
	ASSERT_EQ(0, ls_control_str("sample"));
	ASSERT_EQ(0, ls_doc_load(&d, "callsites")) TH_LOG("%s", d.err);
	EXPECT_STREQ("off", ls_doc_kv(&d, "track"));
	EXPECT_EQ(0, d.nrows);
	ls_doc_free(&d);
	out = NULL;
	EXPECT_NE(0, ls_run_reader(&out, "callsites", NULL, NULL));
	EXPECT_TRUE(out && strstr(out, "track=auto")) TH_LOG("%s", out);
	free(out);
}

TEST_HARNESS_MAIN
