// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite leakscope_keyed_history: module/keyed_history.c, the
 * per-key series of vmalloc callers, slab caches and cgroups (three or
 * six values a sample, each its own series).  Keys kept sorted, a
 * key absent from a sample dropped (and starting over if it comes back),
 * each key's ring bounded by the window and resized with it, growth and
 * trend of what the ring holds (in full, or from the ends when it cannot
 * be growing), the cap on keys, and the report's slot
 * freed with its key (a leak here is kmemleak's to find: the VM run ends
 * with a scan).
 */
#include <kunit/test.h>
#include <linux/slab.h>

#include "keyed_history.h"
#include "self_mem.h"

#define WINDOW	16

struct kh_ctx {
	struct ls_keyed_history kh;
	struct ls_kh_sample cur[8];
	s64 t_ms;
};

static int kh_init(struct kunit *test)
{
	struct kh_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_ASSERT_EQ(test, 0, ls_kh_init(&c->kh, 3));
	test->priv = c;
	return 0;
}

static void kh_exit(struct kunit *test)
{
	struct kh_ctx *c = test->priv;

	ls_kh_free(&c->kh);
}

static void put(struct ls_kh_sample *s, u64 key, s64 v0, s64 v1, s64 v2)
{
	memset(s, 0, sizeof(*s));
	s->key = key;
	snprintf(s->name, sizeof(s->name), "key%llu", key);
	s->v[0] = v0;
	s->v[1] = v1;
	s->v[2] = v2;
}

/* One sample of @n keys, a second after the last. */
static void sample(struct kh_ctx *c, u32 n, u32 window)
{
	c->t_ms += 1000;
	ls_kh_sample(&c->kh, c->cur, n, c->t_ms, window);
}

/* The index of @key, or -1. */
static int find(struct kh_ctx *c, u64 key)
{
	u32 i, samples;

	for (i = 0; i < c->kh.nr; i++)
		if (ls_kh_latest(&c->kh, i, &samples)->key == key)
			return i;
	return -1;
}

static u32 samples_of(struct kh_ctx *c, u32 i)
{
	u32 samples;

	ls_kh_latest(&c->kh, i, &samples);
	return samples;
}

static void keys_sorted_latest_wins(struct kunit *test)
{
	struct kh_ctx *c = test->priv;
	const struct ls_kh_sample *s;
	u32 samples;

	put(&c->cur[0], 10, 1, 0, 0);
	put(&c->cur[1], 20, 2, 0, 0);
	put(&c->cur[2], 30, 3, 0, 0);
	sample(c, 3, WINDOW);
	KUNIT_ASSERT_EQ(test, 3U, c->kh.nr);
	KUNIT_EXPECT_FALSE(test, c->kh.capped);

	put(&c->cur[0], 5, 50, 0, 0);
	put(&c->cur[1], 20, 200, 0, 0);
	c->cur[1].attr[0] = 0xabc;
	strscpy(c->cur[1].name, "renamed", sizeof(c->cur[1].name));
	put(&c->cur[2], 40, 400, 0, 0);
	sample(c, 3, WINDOW);
	/* 10 and 30 were not in it: gone.  The rest in key order. */
	KUNIT_ASSERT_EQ(test, 3U, c->kh.nr);
	KUNIT_EXPECT_EQ(test, 5ULL, ls_kh_latest(&c->kh, 0, &samples)->key);
	KUNIT_EXPECT_EQ(test, 1U, samples);
	s = ls_kh_latest(&c->kh, 1, &samples);
	KUNIT_EXPECT_EQ(test, 20ULL, s->key);
	KUNIT_EXPECT_EQ(test, 2U, samples);
	KUNIT_EXPECT_EQ(test, 200, s->v[0]);
	KUNIT_EXPECT_EQ(test, 0xabcULL, s->attr[0]);
	KUNIT_EXPECT_STREQ(test, "renamed", s->name);
	KUNIT_EXPECT_EQ(test, 198, ls_kh_growth(&c->kh, 1, 0));
	KUNIT_EXPECT_EQ(test, 40ULL, ls_kh_latest(&c->kh, 2, &samples)->key);
	KUNIT_EXPECT_EQ(test, -1, find(c, 10));
	KUNIT_EXPECT_EQ(test, -1, find(c, 30));

	/* An empty sample: every key gone. */
	sample(c, 0, WINDOW);
	KUNIT_EXPECT_EQ(test, 0U, c->kh.nr);
}

static void absent_key_starts_over(struct kunit *test)
{
	struct kh_ctx *c = test->priv;
	struct ls_trend t;
	int i;

	for (i = 0; i < 5; i++) {
		put(&c->cur[0], 7, 100 * i, 0, 0);
		sample(c, 1, WINDOW);
	}
	KUNIT_ASSERT_EQ(test, 0, find(c, 7));
	KUNIT_EXPECT_EQ(test, 5U, samples_of(c, 0));
	KUNIT_EXPECT_EQ(test, 400, ls_kh_growth(&c->kh, 0, 0));

	put(&c->cur[0], 8, 1, 0, 0);
	sample(c, 1, WINDOW);
	KUNIT_EXPECT_EQ(test, -1, find(c, 7));

	/* Back at 1000: a new series, not +900 on the old one. */
	put(&c->cur[0], 7, 1000, 0, 0);
	sample(c, 1, WINDOW);
	i = find(c, 7);
	KUNIT_ASSERT_GE(test, i, 0);
	KUNIT_EXPECT_EQ(test, 1U, samples_of(c, i));
	KUNIT_EXPECT_EQ(test, 0, ls_kh_growth(&c->kh, i, 0));
	ls_kh_trend(&c->kh, i, 0, 1, &t);
	KUNIT_EXPECT_EQ(test, 1U, t.n);
	KUNIT_EXPECT_EQ(test, 1000, t.first);
	KUNIT_EXPECT_EQ(test, LS_VERDICT_COLLECTING, t.verdict);
}

static void ring_bounded_by_window(struct kunit *test)
{
	struct kh_ctx *c = test->priv;
	struct ls_trend t;
	int i;

	for (i = 0; i < 10; i++) {
		put(&c->cur[0], 1, 100 * i, 0, 0);
		sample(c, 1, 8);
	}
	/* The newest 8: 200 .. 900. */
	KUNIT_EXPECT_EQ(test, 8U, samples_of(c, 0));
	KUNIT_EXPECT_EQ(test, 700, ls_kh_growth(&c->kh, 0, 0));
	ls_kh_trend(&c->kh, 0, 0, 1, &t);
	KUNIT_EXPECT_EQ(test, 8U, t.n);
	KUNIT_EXPECT_EQ(test, 200, t.first);
	KUNIT_EXPECT_EQ(test, 900, t.last);
	KUNIT_EXPECT_EQ(test, 7000, t.span_ms);
}

static void ring_capped_at_samples_max(struct kunit *test)
{
	struct kh_ctx *c = test->priv;
	int i;

	for (i = 0; i < LS_KH_SAMPLES_MAX + 2; i++) {
		put(&c->cur[0], 1, i, 0, 0);
		sample(c, 1, 1024);
	}
	KUNIT_EXPECT_EQ(test, (u32)LS_KH_SAMPLES_MAX, samples_of(c, 0));
	KUNIT_EXPECT_EQ(test, LS_KH_SAMPLES_MAX - 1, ls_kh_growth(&c->kh, 0, 0));
}

static void resized_when_window_changes(struct kunit *test)
{
	struct kh_ctx *c = test->priv;
	struct ls_trend t;
	int i;

	for (i = 0; i < 8; i++) {
		put(&c->cur[0], 1, i, 0, 0);
		sample(c, 1, 8);
	}
	/* Smaller: the newest 4 kept, with the new one: 5 6 7 8. */
	put(&c->cur[0], 1, 8, 0, 0);
	sample(c, 1, 4);
	KUNIT_EXPECT_EQ(test, 4U, samples_of(c, 0));
	KUNIT_EXPECT_EQ(test, 3, ls_kh_growth(&c->kh, 0, 0));
	/* Larger: all 4 kept, and room to grow: 5 .. 9. */
	put(&c->cur[0], 1, 9, 0, 0);
	sample(c, 1, 16);
	KUNIT_EXPECT_EQ(test, 5U, samples_of(c, 0));
	KUNIT_EXPECT_EQ(test, 4, ls_kh_growth(&c->kh, 0, 0));
	ls_kh_trend(&c->kh, 0, 0, 1, &t);
	KUNIT_EXPECT_EQ(test, 5U, t.n);
	KUNIT_EXPECT_EQ(test, 5, t.first);
	KUNIT_EXPECT_EQ(test, 9, t.last);
	/* 5 samples, and a window of 16 judges on 8. */
	KUNIT_EXPECT_EQ(test, LS_VERDICT_COLLECTING, t.verdict);
	for (i = 10; i < 30; i++) {
		put(&c->cur[0], 1, i, 0, 0);
		sample(c, 1, 16);
	}
	KUNIT_EXPECT_EQ(test, 16U, samples_of(c, 0));
	KUNIT_EXPECT_EQ(test, 15, ls_kh_growth(&c->kh, 0, 0));
}

static void growth_is_newest_minus_oldest(struct kunit *test)
{
	struct kh_ctx *c = test->priv;
	static const s64 up_down[] = { 100, 500, 50, 300 };
	u32 i;

	for (i = 0; i < ARRAY_SIZE(up_down); i++) {
		put(&c->cur[0], 1, up_down[i], 300 - 66 * i, 42);
		sample(c, 1, WINDOW);
	}
	/* Not the 450 between its lowest and highest. */
	KUNIT_EXPECT_EQ(test, 200, ls_kh_growth(&c->kh, 0, 0));
	KUNIT_EXPECT_EQ(test, -198, ls_kh_growth(&c->kh, 0, 1));
	KUNIT_EXPECT_EQ(test, 0, ls_kh_growth(&c->kh, 0, 2));
}

/*
 * Four keys over a full window, a second apart, judged on a 512 floor as
 * a vmalloc caller's size is.
 */
static void trend_climb_once_ramp_flat(struct kunit *test)
{
	struct kh_ctx *c = test->priv;
	struct ls_trend t;
	s64 i;

	for (i = 0; i < WINDOW; i++) {
		put(&c->cur[0], 1, 1000 + 68 * i, 0, 0);
		put(&c->cur[1], 2, i < 4 ? 1000 : 3000, 0, 0);
		put(&c->cur[2], 3, 1000 + 500 * min_t(s64, i, 4), 0, 0);
		put(&c->cur[3], 4, 5000, 0, 0);
		sample(c, 4, WINDOW);
	}
	KUNIT_ASSERT_EQ(test, 4U, c->kh.nr);

	/* A steady climb, 68 kB a second. */
	ls_kh_trend(&c->kh, 0, 0, 512, &t);
	KUNIT_EXPECT_EQ(test, LS_VERDICT_GROWING, t.verdict);
	KUNIT_EXPECT_EQ(test, 16U, t.n);
	KUNIT_EXPECT_EQ(test, 1020, t.growth);
	KUNIT_EXPECT_EQ(test, 4080, t.rate_per_min);
	KUNIT_EXPECT_EQ(test, 15U, t.rises);
	KUNIT_EXPECT_EQ(test, 100U, t.persistence_pct);
	KUNIT_EXPECT_EQ(test, 15000, t.span_ms);

	/* Up once by 2000, then level: grown, but steady. */
	ls_kh_trend(&c->kh, 1, 0, 512, &t);
	KUNIT_EXPECT_EQ(test, LS_VERDICT_STEADY, t.verdict);
	KUNIT_EXPECT_EQ(test, 2000, t.growth);
	KUNIT_EXPECT_EQ(test, 1U, t.rises);

	/* A ramp of four that stops: the last two quarters are level. */
	ls_kh_trend(&c->kh, 2, 0, 512, &t);
	KUNIT_EXPECT_EQ(test, LS_VERDICT_STEADY, t.verdict);
	KUNIT_EXPECT_EQ(test, 2000, t.growth);
	KUNIT_EXPECT_EQ(test, 4U, t.rises);

	/* Flat: known from the ends. */
	ls_kh_trend(&c->kh, 3, 0, 512, &t);
	KUNIT_EXPECT_EQ(test, LS_VERDICT_STEADY, t.verdict);
	KUNIT_EXPECT_EQ(test, 16U, t.n);
	KUNIT_EXPECT_EQ(test, 5000, t.first);
	KUNIT_EXPECT_EQ(test, 5000, t.last);
	KUNIT_EXPECT_EQ(test, 0, t.growth);
	KUNIT_EXPECT_EQ(test, 0, t.rate_per_min);
	KUNIT_EXPECT_EQ(test, 15000, t.span_ms);

	/* The climb's other values, flat at 0, read flat. */
	ls_kh_trend(&c->kh, 0, 1, 1, &t);
	KUNIT_EXPECT_EQ(test, LS_VERDICT_STEADY, t.verdict);
	KUNIT_EXPECT_EQ(test, 0, t.growth);
}

static void expect_same_trend(struct kunit *test, const struct ls_trend *a,
			      const struct ls_trend *b)
{
	KUNIT_EXPECT_EQ(test, a->verdict, b->verdict);
	KUNIT_EXPECT_EQ(test, a->n, b->n);
	KUNIT_EXPECT_EQ(test, a->growth, b->growth);
	KUNIT_EXPECT_EQ(test, a->rate_per_min, b->rate_per_min);
	KUNIT_EXPECT_EQ(test, a->rises, b->rises);
	KUNIT_EXPECT_EQ(test, a->persistence_pct, b->persistence_pct);
}

/*
 * The sparse trend: a series that rose by less than its floor is judged
 * from its ends (no rise counts, the rate over the span); one that rose
 * by more, exactly as ls_kh_trend() judges it.
 */
static void sparse_trend_from_ends(struct kunit *test)
{
	struct kh_ctx *c = test->priv;
	struct ls_trend full, t;
	s64 i;

	for (i = 0; i < WINDOW; i++) {
		put(&c->cur[0], 1, 1000 + 68 * i, 1000 + 30 * (i % 2), 0);
		put(&c->cur[1], 2, i < 4 ? 1000 : 3000, 0, 0);
		sample(c, 2, WINDOW);
	}
	/* The climb, and the rise-once: above the floor, judged in full. */
	ls_kh_trend(&c->kh, 0, 0, 512, &full);
	ls_kh_trend_sparse(&c->kh, 0, 0, 512, &t);
	KUNIT_EXPECT_EQ(test, LS_VERDICT_GROWING, t.verdict);
	expect_same_trend(test, &full, &t);
	ls_kh_trend(&c->kh, 1, 0, 512, &full);
	ls_kh_trend_sparse(&c->kh, 1, 0, 512, &t);
	KUNIT_EXPECT_EQ(test, LS_VERDICT_STEADY, t.verdict);
	expect_same_trend(test, &full, &t);

	/* A sawtooth of 30 under a floor of 512: steady, from the ends. */
	ls_kh_trend(&c->kh, 0, 1, 512, &full);
	ls_kh_trend_sparse(&c->kh, 0, 1, 512, &t);
	KUNIT_EXPECT_EQ(test, LS_VERDICT_STEADY, full.verdict);
	KUNIT_EXPECT_EQ(test, LS_VERDICT_STEADY, t.verdict);
	KUNIT_EXPECT_EQ(test, 8U, full.rises);
	KUNIT_EXPECT_EQ(test, 0U, t.rises);
	KUNIT_EXPECT_EQ(test, 16U, t.n);
	KUNIT_EXPECT_EQ(test, 1000, t.first);
	KUNIT_EXPECT_EQ(test, 1030, t.last);
	KUNIT_EXPECT_EQ(test, 30, t.growth);
	KUNIT_EXPECT_EQ(test, 120, t.rate_per_min);
	KUNIT_EXPECT_EQ(test, 15000, t.span_ms);
}

/*
 * After a reset every ring is empty until the next sample, which may not
 * come (a walk that failed, or was killed): a report built then reads
 * each key as collecting, from nothing.
 */
static void reset_empties_rings(struct kunit *test)
{
	struct kh_ctx *c = test->priv;
	struct ls_trend t;
	int i;

	for (i = 0; i < 3; i++) {
		put(&c->cur[0], 1, 1000 + 100 * i, 0, 0);
		put(&c->cur[1], 2, 7, 7, 7);
		sample(c, 2, WINDOW);
	}
	ls_kh_reset(&c->kh);
	KUNIT_ASSERT_EQ(test, 2U, c->kh.nr);
	for (i = 0; i < 2; i++) {
		KUNIT_EXPECT_EQ(test, 0U, samples_of(c, i));
		KUNIT_EXPECT_EQ(test, 0, ls_kh_growth(&c->kh, i, 0));
		memset(&t, 0x5a, sizeof(t));
		ls_kh_trend(&c->kh, i, 0, 1, &t);
		KUNIT_EXPECT_EQ(test, 0U, t.n);
		KUNIT_EXPECT_EQ(test, 0, t.growth);
		KUNIT_EXPECT_EQ(test, LS_VERDICT_COLLECTING, t.verdict);
	}
	/* The next sample starts each key over. */
	put(&c->cur[0], 1, 5000, 0, 0);
	sample(c, 2, WINDOW);
	KUNIT_EXPECT_EQ(test, 1U, samples_of(c, 0));
	KUNIT_EXPECT_EQ(test, 0, ls_kh_growth(&c->kh, 0, 0));
}

static void kvfree_action(void *p)
{
	kvfree(p);
}

static void keys_capped(struct kunit *test)
{
	struct kh_ctx *c = test->priv;
	struct ls_kh_sample *many;
	u32 i, samples;

	many = kvcalloc(LS_KH_MAX + 1, sizeof(*many), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, many);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, kvfree_action,
							   many));
	for (i = 0; i <= LS_KH_MAX; i++)
		put(&many[i], i + 1, i, 0, 0);
	ls_kh_sample(&c->kh, many, LS_KH_MAX + 1, 1000, WINDOW);
	/* The lowest keys kept, and the cap said. */
	KUNIT_EXPECT_TRUE(test, c->kh.capped);
	KUNIT_ASSERT_EQ(test, (u32)LS_KH_MAX, c->kh.nr);
	KUNIT_EXPECT_EQ(test, 1ULL, ls_kh_latest(&c->kh, 0, &samples)->key);
	KUNIT_EXPECT_EQ(test, (u64)LS_KH_MAX,
			ls_kh_latest(&c->kh, LS_KH_MAX - 1, &samples)->key);

	ls_kh_sample(&c->kh, many, LS_KH_MAX, 2000, WINDOW);
	KUNIT_EXPECT_FALSE(test, c->kh.capped);
	KUNIT_EXPECT_EQ(test, 2U, samples_of(c, LS_KH_MAX - 1));
	ls_kh_sample(&c->kh, many + LS_KH_MAX, 1, 3000, WINDOW);
	KUNIT_EXPECT_EQ(test, 1U, c->kh.nr);
}

/* What the report puts in a slot: ls_mem_alloc() memory, like everything. */
static char *slot_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = ls_mem_alloc(n, GFP_KERNEL);

	if (p)
		memcpy(p, s, n);
	return p;
}

/*
 * The report's slot: NULL while the key is new, kept across samples,
 * freed with the key.  Written after each sample, so KASAN would see
 * a slot freed too early, and kmemleak one never freed.
 */
static void cache_slot_freed_with_key(struct kunit *test)
{
	struct kh_ctx *c = test->priv;
	void **slot;
	char *kept;
	int i;

	put(&c->cur[0], 1, 1, 0, 0);
	put(&c->cur[1], 2, 2, 0, 0);
	sample(c, 2, WINDOW);
	for (i = 0; i < 2; i++) {
		slot = ls_kh_cache(&c->kh, i);
		KUNIT_EXPECT_NULL(test, *slot);
		*slot = slot_strdup(i ? "two" : "one");
		KUNIT_ASSERT_NOT_NULL(test, *slot);
	}
	kept = *ls_kh_cache(&c->kh, 1);

	/* Key 1 gone: its slot goes with it; key 2 keeps its own. */
	put(&c->cur[0], 2, 2, 0, 0);
	sample(c, 1, WINDOW);
	sample(c, 1, WINDOW);
	KUNIT_ASSERT_EQ(test, 1U, c->kh.nr);
	KUNIT_EXPECT_PTR_EQ(test, (void *)kept, *ls_kh_cache(&c->kh, 0));
	KUNIT_EXPECT_STREQ(test, "two", kept);
	kept[0] = 'T';

	/* Resized with the window: still one slot, never two. */
	sample(c, 1, 8);
	slot = ls_kh_cache(&c->kh, 0);
	if (*slot)
		KUNIT_EXPECT_STREQ(test, "Two", (char *)*slot);
	else
		*slot = slot_strdup("again");
	/* ls_kh_free() in kh_exit frees what is left. */
}

/*
 * A history of six values a sample (a cgroup's): each value its own
 * series, kept apart through a resize of the ring; no history of none or
 * of more than LS_KH_NV_MAX.
 */
static void six_values_kept_apart(struct kunit *test)
{
	struct ls_keyed_history kh, bad;
	struct ls_kh_sample s;
	struct ls_trend t;
	s64 t_ms = 0;
	u32 i, k;

	KUNIT_EXPECT_EQ(test, -EINVAL, ls_kh_init(&bad, 0));
	KUNIT_EXPECT_EQ(test, -EINVAL, ls_kh_init(&bad, LS_KH_NV_MAX + 1));
	KUNIT_ASSERT_EQ(test, 0, ls_kh_init(&kh, 6));
	for (i = 0; i < 12; i++) {
		memset(&s, 0, sizeof(s));
		s.key = 42;
		/* Value k grows by k a sample: 0 is flat, 5 the steepest. */
		for (k = 0; k < 6; k++)
			s.v[k] = 1000 * k + k * i;
		t_ms += 1000;
		/* The ring shrinks from 16 to 8 slots at the ninth sample. */
		ls_kh_sample(&kh, &s, 1, t_ms, i < 8 ? 16 : 8);
	}
	KUNIT_ASSERT_EQ(test, 1U, kh.nr);
	for (k = 0; k < 6; k++) {
		/* The newest 8 samples, 4 .. 11: growth 7 k. */
		KUNIT_EXPECT_EQ(test, (s64)(7 * k), ls_kh_growth(&kh, 0, k));
		ls_kh_trend(&kh, 0, k, 1, &t);
		KUNIT_EXPECT_EQ(test, 8U, t.n);
		KUNIT_EXPECT_EQ(test, (s64)(1000 * k + 4 * k), t.first);
		KUNIT_EXPECT_EQ(test, (s64)(1000 * k + 11 * k), t.last);
	}
	KUNIT_EXPECT_EQ(test, 5055, ls_kh_latest(&kh, 0, &i)->v[5]);
	ls_kh_free(&kh);
}

static struct kunit_case keyed_history_cases[] = {
	KUNIT_CASE(keys_sorted_latest_wins),
	KUNIT_CASE(absent_key_starts_over),
	KUNIT_CASE(ring_bounded_by_window),
	KUNIT_CASE(ring_capped_at_samples_max),
	KUNIT_CASE(resized_when_window_changes),
	KUNIT_CASE(growth_is_newest_minus_oldest),
	KUNIT_CASE(trend_climb_once_ramp_flat),
	KUNIT_CASE(sparse_trend_from_ends),
	KUNIT_CASE(reset_empties_rings),
	KUNIT_CASE(keys_capped),
	KUNIT_CASE(cache_slot_freed_with_key),
	KUNIT_CASE(six_values_kept_apart),
	{}
};

static struct kunit_suite keyed_history_suite = {
	.name = "leakscope_keyed_history",
	.init = kh_init,
	.exit = kh_exit,
	.test_cases = keyed_history_cases,
};

kunit_test_suite(keyed_history_suite);
