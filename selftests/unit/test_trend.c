// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of module/trend.c: ring index math and trend verdicts.
 */
#include "kselftest_harness.h"

#include "trend.h"
#include "ls_fixtures.h"

#define KB		1024LL
#define MAXN		1024

static s64 scratch[LS_TREND_SCRATCH_LEN];
static s64 t[MAXN], v[MAXN];
static struct ls_trend tr;

static u32 rnd_state = 2463534242u;

static u32 rnd(void)
{
	return ls_fx_rnd(&rnd_state);
}

static s64 noise(s64 amp)
{
	return ls_fx_noise(&rnd_state, amp);
}

static void times(u32 n, s64 step_ms)
{
	u32 i;

	for (i = 0; i < n; i++)
		t[i] = 1000000 + (s64)i * step_ms;
}

static void compute(u32 n, s64 min_growth)
{
	/* a window as long as the series: judged from 8 samples on */
	ls_trend_compute(t, v, n, n, min_growth, scratch, &tr);
}

/* Ring */

TEST(ring_push_and_order)
{
	struct ls_ring r;
	u32 i, slot;

	ls_ring_reset(&r, 5);
	ASSERT_EQ(5U, r.cap);
	ASSERT_EQ(0U, r.count);
	ASSERT_EQ(0U, r.head);
	for (i = 0; i < 3; i++) {
		slot = ls_ring_push(&r);
		ASSERT_EQ(i, slot);
	}
	ASSERT_EQ(3U, r.count);
	for (i = 0; i < 3; i++)
		ASSERT_EQ(i, ls_ring_slot(&r, i));
}

TEST(ring_wrap_drops_oldest)
{
	struct ls_ring r;
	u32 vals[5], i, slot;

	ls_ring_reset(&r, 5);
	/* Push 0..11: the ring must then hold 7..11, oldest first. */
	for (i = 0; i < 12; i++) {
		slot = ls_ring_push(&r);
		ASSERT_LT(slot, 5U);
		ASSERT_EQ(i % 5, slot);
		vals[slot] = i;
		ASSERT_EQ(i + 1 < 5 ? i + 1 : 5U, r.count);
	}
	ASSERT_EQ(5U, r.count);
	ASSERT_EQ(2U, r.head);
	for (i = 0; i < 5; i++)
		ASSERT_EQ(7 + i, vals[ls_ring_slot(&r, i)]);
	/* Exactly full, head back at 0. */
	ls_ring_reset(&r, 5);
	for (i = 0; i < 10; i++)
		vals[ls_ring_push(&r)] = i;
	ASSERT_EQ(0U, r.head);
	for (i = 0; i < 5; i++)
		ASSERT_EQ(5 + i, vals[ls_ring_slot(&r, i)]);
}

TEST(ring_cap_one)
{
	struct ls_ring r;
	u32 i;

	ls_ring_reset(&r, 1);
	for (i = 0; i < 4; i++) {
		ASSERT_EQ(0U, ls_ring_push(&r));
		ASSERT_EQ(1U, r.count);
		ASSERT_EQ(0U, ls_ring_slot(&r, 0));
	}
}

TEST(ring_cap_zero_holds_nothing)
{
	struct ls_ring r;

	ls_ring_reset(&r, 0);
	ASSERT_EQ(0U, ls_ring_push(&r));
	ASSERT_EQ(0U, r.count);
}

TEST(ring_reset)
{
	struct ls_ring r;
	u32 i;

	ls_ring_reset(&r, 4);
	for (i = 0; i < 6; i++)
		ls_ring_push(&r);
	ls_ring_reset(&r, 8);
	ASSERT_EQ(8U, r.cap);
	ASSERT_EQ(0U, r.count);
	ASSERT_EQ(0U, r.head);
	ASSERT_EQ(0U, ls_ring_push(&r));
	ASSERT_EQ(0U, ls_ring_slot(&r, 0));
}

TEST(ring_huge_cap_no_wrap)
{
	/* Index math near U32_MAX must not overflow. */
	struct ls_ring r = { .cap = U32_MAX, .head = 5, .count = U32_MAX };

	ASSERT_EQ(5U, ls_ring_slot(&r, 0));
	ASSERT_EQ(4U, ls_ring_slot(&r, U32_MAX - 1));
	ASSERT_EQ(U32_MAX - 1, ls_ring_slot(&r, U32_MAX - 6));
	ASSERT_EQ(0U, ls_ring_slot(&r, U32_MAX - 5));
	r.head = U32_MAX - 1;
	ASSERT_EQ(U32_MAX - 1, ls_ring_push(&r));
	ASSERT_EQ(0U, r.head);
}

/* Verdict names */

TEST(verdict_names)
{
	ASSERT_STREQ("collecting", ls_verdict_name(LS_VERDICT_COLLECTING));
	ASSERT_STREQ("steady", ls_verdict_name(LS_VERDICT_STEADY));
	ASSERT_STREQ("growing", ls_verdict_name(LS_VERDICT_GROWING));
	ASSERT_STREQ("unknown", ls_verdict_name((enum ls_verdict)3));
	ASSERT_STREQ("unknown", ls_verdict_name((enum ls_verdict)-1));
}

/* Trends that are not leaks */

TEST(flat)
{
	u32 i;

	times(64, 1000);
	for (i = 0; i < 64; i++)
		v[i] = 5000;
	compute(64, KB);
	ASSERT_EQ(64U, tr.n);
	ASSERT_EQ(LS_VERDICT_STEADY, (int)tr.verdict);
	ASSERT_EQ(0, tr.growth);
	ASSERT_EQ(0, tr.rate_per_min);
	ASSERT_EQ(0U, tr.rises);
	ASSERT_EQ(0U, tr.falls);
	ASSERT_EQ(0U, tr.persistence_pct);
	ASSERT_EQ(5000, tr.min);
	ASSERT_EQ(5000, tr.max);
	ASSERT_EQ(63000, tr.span_ms);
}

/* Value of a sawtooth of @shape at phase @x of period @p, amplitude ~@amp. */
static s64 saw(int shape, u32 x, u32 p, s64 amp)
{
	switch (shape) {
	case 0:		/* ramp up, then drop (a cache filled and flushed) */
		return amp * x / p;
	case 1:		/* jump up, then drain */
		return amp * (p - 1 - x) / p;
	default:	/* triangle */
		return amp * (x < p / 2 ? x : p - x) / p;
	}
}

TEST(sawtooth_example)
{
	u32 i;

	/* 8 periods of 8 samples: up 7 times by 10 MB, down once by 70 MB. */
	times(64, 1000);
	for (i = 0; i < 64; i++)
		v[i] = 100 * KB + (i % 8) * 10 * KB;
	compute(64, KB);
	ASSERT_EQ(LS_VERDICT_STEADY, (int)tr.verdict);
	ASSERT_EQ(56U, tr.rises);
	ASSERT_EQ(7U, tr.falls);
	ASSERT_EQ(70 * KB, tr.growth);
}

/*
 * The VM test's sawtooth: 8 MiB allocated in steps over 3 s, then freed,
 * sampled every 500 ms, seen through a window of fewer than four periods
 * (the module's first seconds).  Every window length from 8 samples on,
 * at every phase, must stay steady: what falls back is churn.
 */
TEST(sawtooth_short_windows)
{
	u32 n, phase, i;

	for (n = LS_TREND_MIN_SAMPLES; n <= 24; n++) {
		for (phase = 0; phase < 6; phase++) {
			times(n, 500);
			for (i = 0; i < n; i++)
				v[i] = 4000 * KB + ((i + phase) % 6) * 1600 * KB;
			compute(n, KB);
			ASSERT_NE(LS_VERDICT_GROWING, (int)tr.verdict)
				TH_LOG("n=%u phase=%u", n, phase);
			ASSERT_GT(tr.drawdown, 0);
		}
	}
}

TEST(drawdown_is_the_largest_fall_from_a_peak)
{
	static const s64 series[] = { 10, 50, 40, 60, 20, 30, 70, 65 };
	u32 i;

	times(8, 1000);
	for (i = 0; i < 8; i++)
		v[i] = series[i];
	compute(8, 1);
	ASSERT_EQ(40, tr.drawdown);	/* 60 -> 20 */
	/* 60 gained, 40 given back: more than half, so not a leak. */
	ASSERT_EQ(LS_VERDICT_STEADY, (int)tr.verdict);
}

TEST(sawtooth_every_period_and_phase)
{
	/*
	 * Every sawtooth with at least four periods in the window, whatever
	 * its shape, period and phase, is steady even though its amplitude
	 * is 100 times the growth threshold.
	 */
	u32 n, p, ph, i;
	int shape, cases = 0;

	for (shape = 0; shape < 3; shape++)
		for (n = 8; n <= 512; n *= 2)
			for (p = 2; p <= n / 4; p++)
				for (ph = 0; ph < p; ph++) {
					times(n, 1000);
					for (i = 0; i < n; i++)
						v[i] = 1000 * KB +
						       saw(shape, (i + ph) % p, p, 100 * KB);
					compute(n, KB);
					if (tr.verdict != LS_VERDICT_STEADY)
						TH_LOG("shape %d n %u period %u phase %u: %s",
						       shape, n, p, ph,
						       ls_verdict_name(tr.verdict));
					ASSERT_EQ(LS_VERDICT_STEADY, (int)tr.verdict);
					cases++;
				}
	ASSERT_GT(cases, 10000);
}

TEST(step_then_flat)
{
	u32 at, i;

	/* One step, wherever it falls in the window. */
	for (at = 1; at < 64; at++) {
		times(64, 1000);
		for (i = 0; i < 64; i++)
			v[i] = i < at ? 1000 * KB : 1500 * KB;
		compute(64, KB);
		ASSERT_EQ(LS_VERDICT_STEADY, (int)tr.verdict);
		ASSERT_EQ(1U, tr.rises);
		ASSERT_EQ(500 * KB, tr.growth);
	}
	/* Early in the window: the Theil–Sen median ignores it. */
	for (i = 0; i < 64; i++)
		v[i] = i < 5 ? 1000 * KB : 1500 * KB;
	compute(64, KB);
	ASSERT_EQ(0, tr.rate_per_min);
}

TEST(three_quick_steps_early_then_flat)
{
	u32 i;

	times(64, 1000);
	for (i = 0; i < 64; i++)
		v[i] = 1000 * KB + (i < 3 ? i : 3) * 200 * KB;
	compute(64, KB);
	ASSERT_EQ(3U, tr.rises);
	ASSERT_EQ(0U, tr.falls);
	ASSERT_EQ(600 * KB, tr.growth);
	ASSERT_EQ(0, tr.rate_per_min);
	ASSERT_EQ(LS_VERDICT_STEADY, (int)tr.verdict);
}

TEST(single_spike_at_end)
{
	u32 i;

	/* Flat with small jitter, then one spike: not a raised floor. */
	times(64, 1000);
	for (i = 0; i < 64; i++)
		v[i] = 1000 * KB + (i % 2) + (i % 3 == 0);
	v[63] = 5000 * KB;
	compute(64, KB);
	ASSERT_EQ(LS_VERDICT_STEADY, (int)tr.verdict);
}

TEST(shrinking)
{
	u32 i;

	times(64, 1000);
	for (i = 0; i < 64; i++)
		v[i] = 1000 * KB - i * KB;
	compute(64, KB);
	ASSERT_EQ(LS_VERDICT_STEADY, (int)tr.verdict);
	ASSERT_EQ(-60 * KB, tr.rate_per_min);
	ASSERT_EQ(63U, tr.falls);
}

TEST(growth_below_threshold)
{
	u32 i;

	/* Grows steadily, but by less than min_growth over the window. */
	times(64, 1000);
	for (i = 0; i < 64; i++)
		v[i] = 1000 * KB + i;
	compute(64, KB);
	ASSERT_EQ(LS_VERDICT_STEADY, (int)tr.verdict);
	ASSERT_EQ(60, tr.rate_per_min);
	compute(64, 63);
	ASSERT_EQ(LS_VERDICT_STEADY, (int)tr.verdict);	/* floor rose by 48 only */
	compute(64, 48);
	ASSERT_EQ(LS_VERDICT_GROWING, (int)tr.verdict);
}

TEST(min_growth_zero_means_one)
{
	u32 i;

	times(64, 1000);
	for (i = 0; i < 64; i++)
		v[i] = 7;
	compute(64, 0);
	ASSERT_EQ(LS_VERDICT_STEADY, (int)tr.verdict);
	compute(64, -5);
	ASSERT_EQ(LS_VERDICT_STEADY, (int)tr.verdict);
}

/* Leaks */

TEST(steady_growth)
{
	u32 i;

	times(64, 1000);
	for (i = 0; i < 64; i++)
		v[i] = 1000 * KB + i * 256;
	compute(64, KB);
	ASSERT_EQ(LS_VERDICT_GROWING, (int)tr.verdict);
	ASSERT_EQ(256 * 60, tr.rate_per_min);
	ASSERT_EQ(63 * 256, tr.growth);
	ASSERT_EQ(63U, tr.rises);
	ASSERT_EQ(0U, tr.falls);
	ASSERT_EQ(100U, tr.persistence_pct);
	ASSERT_EQ(1000 * KB, tr.first);
	ASSERT_EQ(1000 * KB + 63 * 256, tr.last);
	ASSERT_EQ(tr.first, tr.min);
	ASSERT_EQ(tr.last, tr.max);
}

TEST(noisy_growth)
{
	u32 i, round;

	/* +100 kB a sample, noise up to +-150 kB: some intervals fall. */
	for (round = 0; round < 50; round++) {
		times(64, 1000);
		for (i = 0; i < 64; i++)
			v[i] = 1000 * KB + i * 100 + noise(150);
		compute(64, KB);
		ASSERT_EQ(LS_VERDICT_GROWING, (int)tr.verdict);
		ASSERT_GT(tr.falls, 0U);
		/* Theil–Sen stays near the true 6000 kB/min. */
		ASSERT_GT(tr.rate_per_min, 5000);
		ASSERT_LT(tr.rate_per_min, 7000);
	}
}

TEST(growth_with_sawtooth_on_top)
{
	u32 i;

	/* A leak under a garbage-collected heap: the bottom rises. */
	times(128, 1000);
	for (i = 0; i < 128; i++)
		v[i] = 1000 * KB + i * 200 + (i % 10) * 300;
	compute(128, KB);
	ASSERT_EQ(LS_VERDICT_GROWING, (int)tr.verdict);
}

TEST(slow_staircase)
{
	u32 i;

	/* Rises by 512 kB every 4th interval, flat in between. */
	times(64, 1000);
	for (i = 0; i < 64; i++)
		v[i] = 1000 * KB + (i / 4) * 512;
	compute(64, KB);
	ASSERT_EQ(LS_VERDICT_GROWING, (int)tr.verdict);
	ASSERT_EQ(15U, tr.rises);
	ASSERT_EQ(0U, tr.falls);
	ASSERT_EQ(15U * 100 / 63, tr.persistence_pct);
	ASSERT_GT(tr.rate_per_min, 0);
}

/*
 * The 70_procs_leaks flake on a loaded debug kernel: a young thread pool's
 * orphaned stacks, sampled coarsely, rise to the pool size in two steps,
 * dip once, and stay.  Its newest half reaches no higher than its oldest
 * (peak_rise 0, which procs_rules.c also asks for), and its quarters do
 * not climb (4, 4 after 0.5, 3.5): steady.
 */
TEST(pool_filling_its_cache_has_no_peak_rise)
{
	static const s64 orphans[8] = { 0, 1, 4, 4, 3, 4, 4, 4 };
	u32 i;

	times(8, 500);
	for (i = 0; i < 8; i++)
		v[i] = orphans[i];
	compute(8, 3);
	ASSERT_EQ(LS_VERDICT_STEADY, (int)tr.verdict);
	ASSERT_EQ(0, tr.peak_rise);
}

TEST(peak_rise)
{
	u32 i;

	/* Still climbing: the newest half's top over the oldest half's. */
	times(64, 1000);
	for (i = 0; i < 64; i++)
		v[i] = 1000 * KB + (i / 4) * 512;
	compute(64, KB);
	ASSERT_EQ((s64)(15 - 7) * 512, tr.peak_rise);
	/* Odd n: the middle sample belongs to the oldest half. */
	times(5, 1000);
	for (i = 0; i < 5; i++)
		v[i] = i == 2 ? 9 : 1;
	compute(5, 1);
	ASSERT_EQ(0, tr.peak_rise);
	v[2] = 1;
	v[3] = 9;
	compute(5, 1);
	ASSERT_EQ(8, tr.peak_rise);
	/* Shrinking, a single sample, none: 0. */
	for (i = 0; i < 5; i++)
		v[i] = 10 - i;
	compute(5, 1);
	ASSERT_EQ(0, tr.peak_rise);
	compute(1, 1);
	ASSERT_EQ(0, tr.peak_rise);
	compute(0, 1);
	ASSERT_EQ(0, tr.peak_rise);
}

TEST(collecting_below_min_samples)
{
	u32 n, i;

	times(MAXN, 1000);
	for (i = 0; i < MAXN; i++)
		v[i] = i * KB;
	for (n = 0; n < LS_TREND_MIN_SAMPLES; n++) {
		compute(n, 1);
		ASSERT_EQ(n, tr.n);
		ASSERT_EQ(LS_VERDICT_COLLECTING, (int)tr.verdict);
	}
	/* Stats are still filled in for a partial window. */
	compute(5, 1);
	ASSERT_EQ(4 * KB, tr.growth);
	ASSERT_EQ(4U, tr.rises);
	ASSERT_EQ(60 * KB, tr.rate_per_min);
	compute(0, 1);
	ASSERT_EQ(0, tr.growth);
	ASSERT_EQ(0, tr.rate_per_min);
	compute(LS_TREND_MIN_SAMPLES, 1);
	ASSERT_EQ(LS_VERDICT_GROWING, (int)tr.verdict);
}

/*
 * A series is judged once it holds half its window: a slab cache born in
 * a burst of allocations is all rise until the burst ends.
 */
TEST(young_series_collecting)
{
	u32 n, i;

	times(MAXN, 1000);
	for (i = 0; i < MAXN; i++)
		v[i] = i * KB;
	ASSERT_EQ(8U, ls_trend_min_samples(0));
	ASSERT_EQ(8U, ls_trend_min_samples(17));
	ASSERT_EQ(32U, ls_trend_min_samples(64));
	ASSERT_EQ(512U, ls_trend_min_samples(1024));
	for (n = 0; n <= 64; n++) {
		ls_trend_compute(t, v, n, 64, 1, scratch, &tr);
		ASSERT_EQ(n < 32 ? LS_VERDICT_COLLECTING : LS_VERDICT_GROWING,
			  (int)tr.verdict) TH_LOG("n %u of 64", n);
	}
	/* Level, young: collecting too, from the ends as from the samples */
	ls_trend_ends(t[0], 5, t[20], 5, 21, 64, &tr);
	ASSERT_EQ(LS_VERDICT_COLLECTING, (int)tr.verdict);
	ls_trend_ends(t[0], 5, t[40], 5, 41, 64, &tr);
	ASSERT_EQ(LS_VERDICT_STEADY, (int)tr.verdict);
}

TEST(rate_units)
{
	u32 i;

	/* +100 kB every 500 ms is 12000 kB/min. */
	times(32, 500);
	for (i = 0; i < 32; i++)
		v[i] = 4000 + i * 100;
	compute(32, KB);
	ASSERT_EQ(12000, tr.rate_per_min);
	ASSERT_EQ(15500, tr.span_ms);
	/* +1 kB every hour is 0 kB/min in integers, never negative. */
	times(32, 3600000);
	for (i = 0; i < 32; i++)
		v[i] = i;
	compute(32, 1);
	ASSERT_EQ(0, tr.rate_per_min);
	ASSERT_EQ(LS_VERDICT_STEADY, (int)tr.verdict);
}

TEST(non_uniform_timestamps)
{
	u32 i;

	/* Jittered intervals (100..2099 ms), value exactly 3 units per ms. */
	t[0] = 0;
	for (i = 1; i < 200; i++)
		t[i] = t[i - 1] + 100 + rnd() % 2000;
	for (i = 0; i < 200; i++)
		v[i] = 3 * t[i];
	compute(200, KB);
	ASSERT_EQ(180000, tr.rate_per_min);
	ASSERT_EQ(LS_VERDICT_GROWING, (int)tr.verdict);
	ASSERT_EQ(t[199], tr.span_ms);

	/* One long gap: the rate follows time, not sample count. */
	for (i = 0; i < 64; i++)
		t[i] = i < 32 ? i * 1000 : 600000 + i * 1000;
	for (i = 0; i < 64; i++)
		v[i] = t[i] / 1000;	/* 1 unit a second */
	compute(64, 1);
	ASSERT_EQ(60, tr.rate_per_min);
}

TEST(bad_timestamps_do_not_crash)
{
	u32 i;

	/* Equal and decreasing timestamps: pairs skipped, no division by 0. */
	for (i = 0; i < 64; i++) {
		t[i] = 5000;
		v[i] = i;
	}
	compute(64, 1);
	ASSERT_EQ(0, tr.rate_per_min);
	ASSERT_EQ(LS_VERDICT_STEADY, (int)tr.verdict);
	for (i = 0; i < 64; i++)
		t[i] = 100000 - i;
	compute(64, 1);
	ASSERT_EQ(0, tr.rate_per_min);
}

TEST(many_samples)
{
	u32 i;

	times(MAXN, 250);
	for (i = 0; i < MAXN; i++)
		v[i] = 10 * i;
	compute(MAXN, KB);
	ASSERT_EQ(2400, tr.rate_per_min);
	ASSERT_EQ(LS_VERDICT_GROWING, (int)tr.verdict);
	ASSERT_EQ(100U, tr.persistence_pct);
}

TEST(large_values_and_long_windows)
{
	u32 i;
	s64 base = 1LL << 50, step = 1LL << 40;

	/* Values near 2^50, one sample every 3 hours over 8 days. */
	times(64, 3 * 3600 * 1000LL);
	for (i = 0; i < 64; i++)
		v[i] = base + i * step;
	compute(64, KB);
	ASSERT_EQ(LS_VERDICT_GROWING, (int)tr.verdict);
	ASSERT_EQ(63 * step, tr.growth);
	ASSERT_EQ(step / 180, tr.rate_per_min);
	ASSERT_EQ(63 * 3 * 3600 * 1000LL, tr.span_ms);

	/* 2^50 per millisecond: 2^50 * 60000 does not fit, so it saturates. */
	times(64, 1);
	for (i = 0; i < 64; i++)
		v[i] = i * base;
	compute(64, KB);
	ASSERT_EQ(S64_MAX, tr.rate_per_min);
	ASSERT_EQ(LS_VERDICT_GROWING, (int)tr.verdict);
}

TEST(extreme_values_saturate)
{
	u32 i;

	/* Alternating extremes: every difference saturates, nothing wraps. */
	times(64, 1);
	for (i = 0; i < 64; i++)
		v[i] = i % 2 ? S64_MAX : S64_MIN;
	compute(64, KB);
	ASSERT_EQ(S64_MAX, tr.growth);
	ASSERT_EQ(S64_MIN, tr.min);
	ASSERT_EQ(S64_MAX, tr.max);
	ASSERT_EQ(32U, tr.rises);
	ASSERT_EQ(31U, tr.falls);
	ASSERT_NE(LS_VERDICT_COLLECTING, (int)tr.verdict);

	/* Falling from the top to the bottom. */
	for (i = 0; i < 64; i++)
		v[i] = i < 32 ? S64_MAX : S64_MIN;
	compute(64, KB);
	ASSERT_EQ(-S64_MAX, tr.growth);
	ASSERT_EQ(LS_VERDICT_STEADY, (int)tr.verdict);

	/* Extreme timestamps. */
	for (i = 0; i < 64; i++) {
		t[i] = i < 32 ? S64_MIN + i : S64_MAX - 64 + i;
		v[i] = i;
	}
	compute(64, 1);
	ASSERT_EQ(S64_MAX, tr.span_ms);
	ASSERT_GE(tr.rate_per_min, 0);

	/* Random garbage: must never trip the sanitizers. */
	for (i = 0; i < 2000; i++) {
		u32 j, n = 1 + rnd() % 200;

		for (j = 0; j < n; j++) {
			t[j] = (s64)((u64)rnd() << 32 | rnd());
			v[j] = (s64)((u64)rnd() << 32 | rnd());
		}
		compute(n, (s64)((u64)rnd() << 32 | rnd()));
		ASSERT_LE(tr.rises + tr.falls, n ? n - 1 : 0);
	}
}

/* A steady but noisy series: its shown rate is still a robust estimate. */
TEST(steady_noisy_rate_is_estimated)
{
	u32 i, n = 64;

	times(n, 500);
	for (i = 0; i < n; i++)
		v[i] = 1000 + noise(3);
	compute(n, 100);
	EXPECT_EQ(LS_VERDICT_STEADY, (int)tr.verdict);
	/* 3 kB of noise over 32 s cannot make a rate of more than a few kB/min */
	EXPECT_LT(tr.rate_per_min, 20);
	EXPECT_GT(tr.rate_per_min, -20);
}

/* The ends-only trend agrees with the full one where it is allowed. */
TEST(ends_only_trend)
{
	struct ls_trend ends;
	u32 i, n = 40;

	times(n, 1000);
	for (i = 0; i < n; i++)
		v[i] = 5000 + (i % 2);	/* rises by at most 1 */
	EXPECT_FALSE(ls_trend_may_grow(v[0], v[n - 1], n, n, 64));
	ls_trend_ends(t[0], v[0], t[n - 1], v[n - 1], n, n, &ends);
	compute(n, 64);
	EXPECT_EQ((int)tr.verdict, (int)ends.verdict);
	EXPECT_EQ(tr.growth, ends.growth);
	EXPECT_EQ(tr.span_ms, ends.span_ms);
	EXPECT_EQ(tr.first, ends.first);
	EXPECT_EQ(tr.last, ends.last);
	/* 1 kB over 39 s */
	EXPECT_EQ(1 * 60000 / 39000, ends.rate_per_min);

	/* Too few samples, or a rise below the floor: never growing. */
	EXPECT_FALSE(ls_trend_may_grow(0, 1000, LS_TREND_MIN_SAMPLES - 1, 8,
				       1));
	EXPECT_FALSE(ls_trend_may_grow(0, 63, 20, 20, 64));
	EXPECT_TRUE(ls_trend_may_grow(0, 64, 20, 20, 64));
	EXPECT_TRUE(ls_trend_may_grow(0, 1, 20, 20, 0));	/* floor taken as 1 */
	EXPECT_FALSE(ls_trend_may_grow(S64_MAX, -S64_MAX, 20, 20, 1));
	/* Younger than half its window: not judged yet */
	EXPECT_FALSE(ls_trend_may_grow(0, 1000, 31, 64, 1));
	EXPECT_TRUE(ls_trend_may_grow(0, 1000, 32, 64, 1));

	ls_trend_ends(0, 7, 0, 7, 0, 0, &ends);
	EXPECT_EQ(LS_VERDICT_COLLECTING, (int)ends.verdict);
	EXPECT_EQ(0, ends.rate_per_min);
	ls_trend_ends(100, 7, 100, 9, 3, 3, &ends);	/* no span: no rate */
	EXPECT_EQ(0, ends.rate_per_min);
	EXPECT_EQ(LS_VERDICT_COLLECTING, (int)ends.verdict);
}

TEST_HARNESS_MAIN
