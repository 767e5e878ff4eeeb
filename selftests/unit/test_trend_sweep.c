// SPDX-License-Identifier: GPL-2.0
/*
 * The shapes the trend rule (module/trend.c) is designed against, swept
 * rather than sampled, each with the verdict it must give.  Windows of 16,
 * 64 (the default) and 256 samples, a threshold (min_growth) of 512 kB as
 * the slab and vmalloc rules use:
 *
 *  - a rise that happened once: a ramp of every length up to a quarter of
 *    the window, at every position, with every tail: never growing;
 *  - a ramp of any length, at any position, followed by a level tail of at
 *    least 3/8 of the window plus one sample: never growing (the time a
 *    verdict takes to clear, in README);
 *  - steps up and down, a shrinking series, sawtooths of every period and
 *    phase: never growing;
 *  - a leak through the whole window of 1.5x the threshold or more,
 *    clean or under noise below an eighth of the threshold, or that
 *    pauses for up to an eighth of the window and resumes: growing;
 *  - a leak seen through a ring that has wrapped, gathered oldest first as
 *    the histories do: the same verdict as the same samples in a row.
 */
#include "kselftest_harness.h"

#include "trend.h"
#include "ls_fixtures.h"

#define MIN_GROWTH	512LL	/* kB, as the slab and vmalloc rules pass it */
#define BASE		100000LL
#define MAXN		256

static s64 scratch[LS_TREND_SCRATCH_LEN];
static s64 t[MAXN], v[MAXN];
static struct ls_trend tr;
static const u32 windows[] = { 16, 64, 256 };

static u32 rnd_state = 88172645u;

static s64 noise(s64 amp)
{
	return ls_fx_noise(&rnd_state, amp);
}

static int verdict(u32 n)
{
	u32 i;

	for (i = 0; i < n; i++)
		t[i] = 5000000 + (s64)i * 1000;
	ls_trend_compute(t, v, n, n, MIN_GROWTH, scratch, &tr);
	return (int)tr.verdict;
}

/* Level at BASE, a linear ramp of @len samples from @at to BASE + @rise */
static void ramp(u32 n, u32 at, u32 len, s64 rise)
{
	u32 i;

	for (i = 0; i < n; i++) {
		if (i < at)
			v[i] = BASE;
		else if (i < at + len)
			v[i] = BASE + rise * (i - at + 1) / len;
		else
			v[i] = BASE + rise;
	}
}

/* The largest tail after which a stopped rise may still read as growing */
static u32 clear_after(u32 n)
{
	return 3 * n / 8 + 1;
}

TEST(rise_once_never_grows)
{
	static const s64 rises[] = { MIN_GROWTH, 4 * MIN_GROWTH,
				     100 * MIN_GROWTH };
	u32 w, r, len, at, n;

	for (w = 0; w < ARRAY_SIZE(windows); w++) {
		n = windows[w];
		for (r = 0; r < ARRAY_SIZE(rises); r++)
			for (len = 1; len <= n / 4; len++)
				for (at = 0; at + len <= n; at++) {
					ramp(n, at, len, rises[r]);
					ASSERT_NE((int)LS_VERDICT_GROWING, verdict(n))
						TH_LOG("n %u: a ramp of %u at %u (+%lld kB)",
						       n, len, at, rises[r]);
				}
	}
}

TEST(stopped_rise_clears)
{
	u32 w, len, at, n;

	for (w = 0; w < ARRAY_SIZE(windows); w++) {
		n = windows[w];
		for (len = 1; len <= n; len++)
			for (at = 0; at + len + clear_after(n) <= n; at++) {
				ramp(n, at, len, 8 * MIN_GROWTH);
				ASSERT_NE((int)LS_VERDICT_GROWING, verdict(n))
					TH_LOG("n %u: a ramp of %u at %u, level for %u",
					       n, len, at, n - at - len);
			}
	}
}

/* A leak that runs until @stop and is level after: the moment it clears */
TEST(leak_that_stops_clears_in_time)
{
	u32 w, n, tail, i;

	for (w = 0; w < ARRAY_SIZE(windows); w++) {
		n = windows[w];
		for (tail = 0; tail <= n; tail++) {
			/* the newest @tail samples are level */
			for (i = 0; i < n; i++)
				v[i] = BASE + 2 * MIN_GROWTH *
					(s64)(i < n - tail ? i : n - tail) /
					(n / 4);
			if (!tail)
				ASSERT_EQ((int)LS_VERDICT_GROWING, verdict(n))
					TH_LOG("n %u: a leak in progress", n);
			if (tail >= clear_after(n))
				ASSERT_NE((int)LS_VERDICT_GROWING, verdict(n))
					TH_LOG("n %u: stopped %u samples ago",
					       n, tail);
		}
	}
}

TEST(steps_and_shrinking)
{
	u32 w, at, n, i;

	for (w = 0; w < ARRAY_SIZE(windows); w++) {
		n = windows[w];
		for (at = 1; at < n; at++) {
			for (i = 0; i < n; i++)	/* step down */
				v[i] = i < at ? BASE + 50 * MIN_GROWTH : BASE;
			ASSERT_NE((int)LS_VERDICT_GROWING, verdict(n));
			for (i = 0; i < n; i++)	/* up, then back down */
				v[i] = i >= at && i < at + n / 2 ?
					BASE + 50 * MIN_GROWTH : BASE;
			ASSERT_NE((int)LS_VERDICT_GROWING, verdict(n));
		}
		for (i = 0; i < n; i++)
			v[i] = BASE + 50 * MIN_GROWTH - (s64)i * MIN_GROWTH / 4;
		ASSERT_NE((int)LS_VERDICT_GROWING, verdict(n));
	}
}

TEST(sawtooth_every_period_and_phase)
{
	u32 n = 64, period, phase, i;

	for (period = 2; period <= n / 4; period++)
		for (phase = 0; phase < period; phase++) {
			for (i = 0; i < n; i++)
				v[i] = BASE + 20 * MIN_GROWTH *
					(s64)((i + phase) % period) / period;
			ASSERT_NE((int)LS_VERDICT_GROWING, verdict(n))
				TH_LOG("period %u phase %u", period, phase);
		}
}

TEST(leak_through_the_window_grows)
{
	/*
	 * The floor, the medians of the oldest and newest quarters, must
	 * rise by the threshold: a linear leak gains about 4/3 of it over
	 * the window by then.
	 */
	static const s64 totals[] = { 3 * MIN_GROWTH / 2, 2 * MIN_GROWTH,
				      1000 * MIN_GROWTH };
	u32 w, k, n, i;

	for (w = 0; w < ARRAY_SIZE(windows); w++) {
		n = windows[w];
		for (k = 0; k < ARRAY_SIZE(totals); k++) {
			/* smooth */
			for (i = 0; i < n; i++)
				v[i] = BASE + totals[k] * i / (n - 1);
			ASSERT_EQ((int)LS_VERDICT_GROWING, verdict(n))
				TH_LOG("n %u, +%lld kB", n, totals[k]);
		}
		/* in steps: one stack of 1 MB every 4 samples */
		for (i = 0; i < n; i++)
			v[i] = BASE + (s64)(i / 4) * 1024;
		ASSERT_EQ((int)LS_VERDICT_GROWING, verdict(n)) TH_LOG("n %u", n);
	}
}

TEST(slow_leak_under_noise_grows)
{
	u32 w, n, i, run;

	for (w = 0; w < ARRAY_SIZE(windows); w++) {
		n = windows[w];
		for (run = 0; run < 200; run++) {
			/* 2x the threshold over the window, noise below 1/8 */
			for (i = 0; i < n; i++)
				v[i] = BASE + 2 * MIN_GROWTH * i / (n - 1) +
				       noise(MIN_GROWTH / 16);
			ASSERT_EQ((int)LS_VERDICT_GROWING, verdict(n))
				TH_LOG("n %u run %u", n, run);
			/* the same noise on a level series */
			for (i = 0; i < n; i++)
				v[i] = BASE + noise(MIN_GROWTH / 16);
			ASSERT_NE((int)LS_VERDICT_GROWING, verdict(n));
		}
	}
}

TEST(leak_that_pauses_and_resumes)
{
	u32 w, n, at, len, i;
	s64 level;

	for (w = 0; w < ARRAY_SIZE(windows); w++) {
		n = windows[w];
		for (len = 1; len <= n / 8; len++)
			for (at = 1; at + len < n; at++) {
				level = 0;
				for (i = 0; i < n; i++) {
					if (i && (i < at || i >= at + len))
						level += 4 * MIN_GROWTH / n;
					v[i] = BASE + level;
				}
				ASSERT_EQ((int)LS_VERDICT_GROWING, verdict(n))
					TH_LOG("n %u: paused %u at %u", n, len,
					       at);
			}
	}
}

/* Oldest first out of a wrapped ring, as the histories gather */
TEST(wrapped_ring_same_verdict)
{
	static s64 ring_t[64], ring_v[64];
	struct ls_ring r;
	s64 gt[64], gv[64], value;
	u32 pushes, slot, i, total = 64 + 37;
	struct ls_trend direct;

	ls_ring_reset(&r, 64);
	for (pushes = 0; pushes < total; pushes++) {
		slot = ls_ring_push(&r);
		ring_t[slot] = 5000000 + (s64)pushes * 1000;
		/* level, a leak from sample 40 on */
		value = pushes < 40 ? BASE : BASE + (pushes - 40) * 64;
		ring_v[slot] = value;
	}
	ASSERT_EQ(64U, r.count);
	for (i = 0; i < r.count; i++) {
		slot = ls_ring_slot(&r, i);
		gt[i] = ring_t[slot];
		gv[i] = ring_v[slot];
	}
	ls_trend_compute(gt, gv, 64, r.cap, MIN_GROWTH, scratch, &tr);
	for (i = 0; i < 64; i++) {
		t[i] = 5000000 + (s64)(total - 64 + i) * 1000;
		v[i] = total - 64 + i < 40 ? BASE :
			BASE + (total - 64 + i - 40) * 64;
	}
	ls_trend_compute(t, v, 64, 64, MIN_GROWTH, scratch, &direct);
	ASSERT_EQ(0, memcmp(gv, v, sizeof(gv)));
	ASSERT_EQ((int)direct.verdict, (int)tr.verdict);
	ASSERT_EQ(direct.rate_per_min, tr.rate_per_min);
	/* 61 of 64 samples leaking, +3840 kB: growing */
	ASSERT_EQ(LS_VERDICT_GROWING, (int)tr.verdict);
}

TEST_HARNESS_MAIN
