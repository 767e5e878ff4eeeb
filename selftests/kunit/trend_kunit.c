// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite leakscope_trend: module/trend.c (ring index math and trend
 * verdicts) built for the kernel, as it runs in leakscope.ko.
 */
#include <kunit/test.h>

#include "trend.h"
#include "ls_fixtures.h"

#define KB	1024LL
#define MAXN	1024

struct trend_ctx {
	s64 scratch[LS_TREND_SCRATCH_LEN];
	s64 t[MAXN], v[MAXN];
	struct ls_trend tr;
	u32 rnd;
};

static int trend_init(struct kunit *test)
{
	struct trend_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, c);
	c->rnd = 2463534242u;
	test->priv = c;
	return 0;
}

static void times(struct trend_ctx *c, u32 n, s64 step_ms)
{
	u32 i;

	for (i = 0; i < n; i++)
		c->t[i] = 1000000 + (s64)i * step_ms;
}

static void compute(struct trend_ctx *c, u32 n, s64 min_growth)
{
	ls_trend_compute(c->t, c->v, n, n, min_growth, c->scratch, &c->tr);
}

static void ring_wrap_drops_oldest(struct kunit *test)
{
	struct ls_ring r;
	u32 vals[5], i, slot;

	ls_ring_reset(&r, 5);
	for (i = 0; i < 12; i++) {
		slot = ls_ring_push(&r);
		KUNIT_ASSERT_LT(test, slot, 5U);
		KUNIT_EXPECT_EQ(test, i % 5, slot);
		vals[slot] = i;
	}
	KUNIT_EXPECT_EQ(test, 5U, r.count);
	KUNIT_EXPECT_EQ(test, 2U, r.head);
	for (i = 0; i < 5; i++)
		KUNIT_EXPECT_EQ(test, 7 + i, vals[ls_ring_slot(&r, i)]);

	ls_ring_reset(&r, 0);
	KUNIT_EXPECT_EQ(test, 0U, ls_ring_push(&r));
	KUNIT_EXPECT_EQ(test, 0U, r.count);
}

static void verdict_names(struct kunit *test)
{
	KUNIT_EXPECT_STREQ(test, "collecting", ls_verdict_name(LS_VERDICT_COLLECTING));
	KUNIT_EXPECT_STREQ(test, "steady", ls_verdict_name(LS_VERDICT_STEADY));
	KUNIT_EXPECT_STREQ(test, "growing", ls_verdict_name(LS_VERDICT_GROWING));
	KUNIT_EXPECT_STREQ(test, "unknown", ls_verdict_name((enum ls_verdict)3));
}

static void flat(struct kunit *test)
{
	struct trend_ctx *c = test->priv;
	u32 i;

	times(c, 64, 1000);
	for (i = 0; i < 64; i++)
		c->v[i] = 5000;
	compute(c, 64, KB);
	KUNIT_EXPECT_EQ(test, 64U, c->tr.n);
	KUNIT_EXPECT_EQ(test, LS_VERDICT_STEADY, c->tr.verdict);
	KUNIT_EXPECT_EQ(test, 0, c->tr.growth);
	KUNIT_EXPECT_EQ(test, 0, c->tr.rate_per_min);
	KUNIT_EXPECT_EQ(test, 0U, c->tr.rises);
	KUNIT_EXPECT_EQ(test, 0U, c->tr.falls);
	KUNIT_EXPECT_EQ(test, 5000, c->tr.min);
	KUNIT_EXPECT_EQ(test, 5000, c->tr.max);
	KUNIT_EXPECT_EQ(test, 63000, c->tr.span_ms);
}

static void sawtooth(struct kunit *test)
{
	struct trend_ctx *c = test->priv;
	u32 i;

	/* 8 periods of 8 samples: up 7 times by 10 MB, down once by 70 MB. */
	times(c, 64, 1000);
	for (i = 0; i < 64; i++)
		c->v[i] = 100 * KB + (i % 8) * 10 * KB;
	compute(c, 64, KB);
	KUNIT_EXPECT_EQ(test, LS_VERDICT_STEADY, c->tr.verdict);
	KUNIT_EXPECT_EQ(test, 56U, c->tr.rises);
	KUNIT_EXPECT_EQ(test, 7U, c->tr.falls);
	KUNIT_EXPECT_EQ(test, 70 * KB, c->tr.growth);
}

/*
 * The VM test's sawtooth (8 MiB in steps over 3 s, then freed, sampled
 * every 500 ms) seen through windows of fewer than four periods: every
 * window length from 8 samples on, at every phase, must stay steady.
 */
static void sawtooth_short_windows(struct kunit *test)
{
	struct trend_ctx *c = test->priv;
	u32 n, phase, i;

	for (n = LS_TREND_MIN_SAMPLES; n <= 24; n++) {
		for (phase = 0; phase < 6; phase++) {
			times(c, n, 500);
			for (i = 0; i < n; i++)
				c->v[i] = 4000 * KB + ((i + phase) % 6) * 1600 * KB;
			compute(c, n, KB);
			KUNIT_EXPECT_NE_MSG(test, LS_VERDICT_GROWING, c->tr.verdict,
					    "n=%u phase=%u", n, phase);
			KUNIT_EXPECT_GT(test, c->tr.drawdown, 0);
		}
	}
}

/* A triangle sawtooth of every period from 2 to 16, at every phase. */
static void sawtooth_every_period(struct kunit *test)
{
	struct trend_ctx *c = test->priv;
	u32 p, ph, i, x;

	for (p = 2; p <= 16; p++) {
		for (ph = 0; ph < p; ph++) {
			times(c, 64, 1000);
			for (i = 0; i < 64; i++) {
				x = (i + ph) % p;
				c->v[i] = 1000 * KB +
					  100 * KB * (x < p / 2 ? x : p - x) / p;
			}
			compute(c, 64, KB);
			KUNIT_EXPECT_EQ_MSG(test, LS_VERDICT_STEADY, c->tr.verdict,
					    "period %u phase %u", p, ph);
		}
	}
}

static void step_then_flat(struct kunit *test)
{
	struct trend_ctx *c = test->priv;
	u32 at, i;

	for (at = 1; at < 64; at++) {
		times(c, 64, 1000);
		for (i = 0; i < 64; i++)
			c->v[i] = i < at ? 1000 * KB : 1500 * KB;
		compute(c, 64, KB);
		KUNIT_EXPECT_EQ_MSG(test, LS_VERDICT_STEADY, c->tr.verdict, "step at %u", at);
		KUNIT_EXPECT_EQ(test, 1U, c->tr.rises);
		KUNIT_EXPECT_EQ(test, 500 * KB, c->tr.growth);
	}
	/* Early in the window: the Theil-Sen median ignores it. */
	for (i = 0; i < 64; i++)
		c->v[i] = i < 5 ? 1000 * KB : 1500 * KB;
	compute(c, 64, KB);
	KUNIT_EXPECT_EQ(test, 0, c->tr.rate_per_min);
}

static void steady_growth(struct kunit *test)
{
	struct trend_ctx *c = test->priv;
	u32 i;

	times(c, 64, 1000);
	for (i = 0; i < 64; i++)
		c->v[i] = 1000 * KB + i * 256;
	compute(c, 64, KB);
	KUNIT_EXPECT_EQ(test, LS_VERDICT_GROWING, c->tr.verdict);
	KUNIT_EXPECT_EQ(test, 256 * 60, c->tr.rate_per_min);
	KUNIT_EXPECT_EQ(test, 63 * 256, c->tr.growth);
	KUNIT_EXPECT_EQ(test, 63U, c->tr.rises);
	KUNIT_EXPECT_EQ(test, 0U, c->tr.falls);
	KUNIT_EXPECT_EQ(test, 100U, c->tr.persistence_pct);
	KUNIT_EXPECT_EQ(test, c->tr.first, c->tr.min);
	KUNIT_EXPECT_EQ(test, c->tr.last, c->tr.max);
}

static void noisy_growth(struct kunit *test)
{
	struct trend_ctx *c = test->priv;
	u32 i, round;

	/* +100 kB a sample, noise up to +-150 kB: some intervals fall. */
	for (round = 0; round < 50; round++) {
		times(c, 64, 1000);
		for (i = 0; i < 64; i++)
			c->v[i] = 1000 * KB + i * 100 + ls_fx_noise(&c->rnd, 150);
		compute(c, 64, KB);
		KUNIT_EXPECT_EQ_MSG(test, LS_VERDICT_GROWING, c->tr.verdict, "round %u", round);
		KUNIT_EXPECT_GT(test, c->tr.falls, 0U);
		/* Theil-Sen stays near the true 6000 kB/min. */
		KUNIT_EXPECT_GT(test, c->tr.rate_per_min, 5000);
		KUNIT_EXPECT_LT(test, c->tr.rate_per_min, 7000);
	}
}

static void growth_below_threshold(struct kunit *test)
{
	struct trend_ctx *c = test->priv;
	u32 i;

	times(c, 64, 1000);
	for (i = 0; i < 64; i++)
		c->v[i] = 1000 * KB + i;
	compute(c, 64, KB);
	KUNIT_EXPECT_EQ(test, LS_VERDICT_STEADY, c->tr.verdict);
	KUNIT_EXPECT_EQ(test, 60, c->tr.rate_per_min);
	compute(c, 64, 48);
	KUNIT_EXPECT_EQ(test, LS_VERDICT_GROWING, c->tr.verdict);
}

static void collecting_below_min_samples(struct kunit *test)
{
	struct trend_ctx *c = test->priv;
	u32 n, i;

	times(c, 16, 1000);
	for (i = 0; i < 16; i++)
		c->v[i] = i * KB;
	for (n = 0; n < LS_TREND_MIN_SAMPLES; n++) {
		compute(c, n, 1);
		KUNIT_EXPECT_EQ(test, n, c->tr.n);
		KUNIT_EXPECT_EQ(test, LS_VERDICT_COLLECTING, c->tr.verdict);
	}
	compute(c, LS_TREND_MIN_SAMPLES, 1);
	KUNIT_EXPECT_EQ(test, LS_VERDICT_GROWING, c->tr.verdict);
}

static void rate_units(struct kunit *test)
{
	struct trend_ctx *c = test->priv;
	u32 i;

	/* +100 kB every 500 ms is 12000 kB/min. */
	times(c, 32, 500);
	for (i = 0; i < 32; i++)
		c->v[i] = 4000 + i * 100;
	compute(c, 32, KB);
	KUNIT_EXPECT_EQ(test, 12000, c->tr.rate_per_min);
	KUNIT_EXPECT_EQ(test, 15500, c->tr.span_ms);
	/* +1 kB every hour is 0 kB/min in integers, never negative. */
	times(c, 32, 3600000);
	for (i = 0; i < 32; i++)
		c->v[i] = i;
	compute(c, 32, 1);
	KUNIT_EXPECT_EQ(test, 0, c->tr.rate_per_min);
	KUNIT_EXPECT_EQ(test, LS_VERDICT_STEADY, c->tr.verdict);
	/* 10 units every 250 ms over 1024 samples: 2400 a minute. */
	times(c, MAXN, 250);
	for (i = 0; i < MAXN; i++)
		c->v[i] = 10 * i;
	compute(c, MAXN, KB);
	KUNIT_EXPECT_EQ(test, 2400, c->tr.rate_per_min);
}

static void extreme_values_saturate(struct kunit *test)
{
	struct trend_ctx *c = test->priv;
	u32 i;

	times(c, 64, 1);
	for (i = 0; i < 64; i++)
		c->v[i] = i % 2 ? S64_MAX : S64_MIN;
	compute(c, 64, KB);
	KUNIT_EXPECT_EQ(test, S64_MAX, c->tr.growth);
	KUNIT_EXPECT_EQ(test, 32U, c->tr.rises);
	KUNIT_EXPECT_EQ(test, 31U, c->tr.falls);
	/* Equal timestamps: pairs skipped, no division by zero. */
	for (i = 0; i < 64; i++) {
		c->t[i] = 5000;
		c->v[i] = i;
	}
	compute(c, 64, 1);
	KUNIT_EXPECT_EQ(test, 0, c->tr.rate_per_min);
	KUNIT_EXPECT_EQ(test, LS_VERDICT_STEADY, c->tr.verdict);
}

static struct kunit_case trend_cases[] = {
	KUNIT_CASE(ring_wrap_drops_oldest),
	KUNIT_CASE(verdict_names),
	KUNIT_CASE(flat),
	KUNIT_CASE(sawtooth),
	KUNIT_CASE(sawtooth_short_windows),
	KUNIT_CASE(sawtooth_every_period),
	KUNIT_CASE(step_then_flat),
	KUNIT_CASE(steady_growth),
	KUNIT_CASE(noisy_growth),
	KUNIT_CASE(growth_below_threshold),
	KUNIT_CASE(collecting_below_min_samples),
	KUNIT_CASE(rate_units),
	KUNIT_CASE(extreme_values_saturate),
	{}
};

static struct kunit_suite trend_suite = {
	.name = "leakscope_trend",
	.init = trend_init,
	.test_cases = trend_cases,
};

kunit_test_suite(trend_suite);
