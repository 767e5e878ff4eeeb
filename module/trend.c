// SPDX-License-Identifier: GPL-2.0
/*
 * Trend detection for leakscope: is a series of samples growing for real?
 *
 * A leak is sustained growth.  Memory allocated once and then kept (a step,
 * or a ramp that stops: a cache warming up), or memory that goes up and
 * down with no net trend (a sawtooth), must not be reported.  So the
 * verdict needs several independent signs at once: a rise that climbs
 * through the whole window (the median of each quarter of the samples
 * above the one before: a rise that happened once lifts at most two), a
 * robust slope (Theil–Sen: the median of pairwise slopes, which one step
 * or a few spikes cannot move), more rising than falling intervals, and a
 * floor that rose (the median and the minimum of the newest quarter of
 * samples above those of the oldest quarter).  When a leak stops, its
 * newest two quarters level off and the verdict clears.
 *
 * Everything is integer arithmetic that saturates rather than wraps, so a
 * corrupted or absurd sample gives an absurd number, never undefined
 * behaviour.  This file is pure: no allocation, no locks, no printing.
 */

#include "ls_pure.h"
#include "trend.h"

#define LS_MS_PER_MIN	60000

/* Rings */

u32 ls_ring_push(struct ls_ring *r)
{
	u32 slot = r->head;

	if (!r->cap)
		return 0;
	/* Compare instead of '%' so a cap near U32_MAX cannot overflow. */
	r->head = (r->head + 1 >= r->cap) ? 0 : r->head + 1;
	if (r->count < r->cap)
		r->count++;
	return slot;
}

u32 ls_ring_slot(const struct ls_ring *r, u32 i)
{
	u32 start, slot;

	if (!r->cap)
		return 0;
	/* The oldest sample sits @count slots behind @head. */
	start = r->head >= r->count ? r->head - r->count
				    : r->head + (r->cap - r->count);
	slot = start + i;
	if (slot >= r->cap || slot < start)
		slot -= r->cap;
	return slot;
}

void ls_ring_reset(struct ls_ring *r, u32 cap)
{
	r->cap = cap;
	r->head = 0;
	r->count = 0;
}

/* Verdicts */

static const char * const ls_verdict_names[] = {
	[LS_VERDICT_COLLECTING]	= "collecting",
	[LS_VERDICT_STEADY]	= "steady",
	[LS_VERDICT_GROWING]	= "growing",
};

const char *ls_verdict_name(enum ls_verdict v)
{
	if ((unsigned int)v >= ARRAY_SIZE(ls_verdict_names))
		return "unknown";
	return ls_verdict_names[v];
}

/* Saturating arithmetic */

/*
 * Results are kept within [-S64_MAX, S64_MAX]: leaving S64_MIN out means a
 * result can always be negated and divided by -1 safely.
 */
static s64 ls_sat_sub(s64 a, s64 b)
{
	if (b < 0 && a > S64_MAX + b)
		return S64_MAX;
	if (b > 0 && a < -S64_MAX + b)
		return -S64_MAX;
	return a - b;
}

static s64 ls_sat_add(s64 a, s64 b)
{
	if (b > 0 && a > S64_MAX - b)
		return S64_MAX;
	if (b < 0 && a < -S64_MAX - b)
		return -S64_MAX;
	return a + b;
}

/* floor((a + b) / 2) without forming a + b, which could overflow. */
static s64 ls_avg(s64 a, s64 b)
{
	return (a & b) + ((a ^ b) >> 1);
}

/*
 * @dv per @dt milliseconds, as units per minute; @dt > 0.  Split into
 * quotient and remainder so dv * 60000 is never formed when it would
 * overflow, and saturate when even the quotient is too large.
 */
static s64 ls_rate_per_min(s64 dv, s64 dt)
{
	s64 q, r, lo;

	/*
	 * One division when dv * 60000 fits, which is every real series:
	 * it equals the split form below, both truncating toward zero.
	 */
	if (dv <= S64_MAX / LS_MS_PER_MIN && dv >= -(S64_MAX / LS_MS_PER_MIN))
		return dv * LS_MS_PER_MIN / dt;
	q = dv / dt;
	r = dv % dt;

	if (q > S64_MAX / LS_MS_PER_MIN)
		return S64_MAX;
	if (q < -(S64_MAX / LS_MS_PER_MIN))
		return -S64_MAX;
	if (dt <= S64_MAX / LS_MS_PER_MIN)
		lo = r * LS_MS_PER_MIN / dt;	/* |r| < dt: cannot overflow */
	else
		lo = r / (dt / LS_MS_PER_MIN);	/* a window of millennia */
	return ls_sat_add(q * LS_MS_PER_MIN, lo);
}

/*
 * How much each quarter's median must rise over the one before: an
 * eighth of the smallest growth that counts (at least 1).  A leak that
 * grows by G over the window lifts each quarter by about G / 4, and G is
 * at least min_growth, so this costs no real leak anything; and a level
 * series whose noise stays below it can never pass for a climb.
 */
static s64 ls_climb_step(s64 min_growth)
{
	return min_growth >= 8 ? min_growth / 8 : 1;
}

/* Selection */

static void ls_swap(s64 *a, s64 *b)
{
	s64 t = *a;

	*a = *b;
	*b = t;
}

static s64 ls_median3(s64 a, s64 b, s64 c)
{
	if (a > b)
		ls_swap(&a, &b);
	if (b > c)
		ls_swap(&b, &c);
	return a > b ? a : b;
}

/*
 * Reorder @a[0..n) so that a[k] is the k-th smallest, everything before it
 * is <= and everything after it is >=; return a[k].
 *
 * Iterative quickselect, so stack use is constant.  The three-way partition
 * (<, ==, > pivot) matters here: a step-then-flat series gives mostly equal
 * slopes, on which a two-way partition would go quadratic.  Expected time is
 * O(n); n is at most LS_TREND_SCRATCH_LEN, which bounds the worst case.
 */
static s64 ls_select(s64 *a, u32 n, u32 k)
{
	u32 lo = 0, hi = n;

	while (hi - lo > 1) {
		s64 p = ls_median3(a[lo], a[lo + (hi - lo) / 2], a[hi - 1]);
		u32 lt = lo, i = lo, gt = hi;

		while (i < gt) {
			if (a[i] < p)
				ls_swap(&a[lt++], &a[i++]);
			else if (a[i] > p)
				ls_swap(&a[i], &a[--gt]);
			else
				i++;
		}
		/* [lo, lt) < p, [lt, gt) == p (never empty), [gt, hi) > p */
		if (k < lt)
			hi = lt;
		else if (k >= gt)
			lo = gt;
		else
			return p;
	}
	return a[k];
}

/*
 * Median of @a[0..n), n >= 1; reorders @a.  For even n, the floor of the
 * mean of the two middle values.
 */
static s64 ls_median(s64 *a, u32 n)
{
	u32 k = n / 2, i;
	s64 upper = ls_select(a, n, k), lower;

	if (n & 1)
		return upper;
	/* ls_select() left the lower half in a[0..k), unordered. */
	lower = a[0];
	for (i = 1; i < k; i++)
		if (a[i] > lower)
			lower = a[i];
	return ls_avg(lower, upper);
}

/* Median of @len values starting at @v, via @scratch. */
static s64 ls_median_of(const s64 *v, u32 len, s64 *scratch)
{
	u32 i;

	for (i = 0; i < len; i++)
		scratch[i] = v[i];
	return ls_median(scratch, len);
}

/*
 * Theil–Sen slope in units per minute: the median of the slopes between
 * every pair of at most @points points spread evenly over the
 * window (always including the first and the last sample).
 */
static s64 ls_theil_sen(const s64 *t_ms, const s64 *v, u32 n, u32 points,
			s64 *scratch)
{
	u32 m = n < points ? n : points;
	u32 j, k, cnt = 0;

	if (m < 2)
		return 0;
	for (j = 0; j < m; j++) {
		u32 a = (u32)((u64)j * (n - 1) / (m - 1));

		for (k = j + 1; k < m; k++) {
			u32 b = (u32)((u64)k * (n - 1) / (m - 1));
			s64 dt = ls_sat_sub(t_ms[b], t_ms[a]);

			/* Timestamps should increase; skip a pair that does not. */
			if (dt <= 0)
				continue;
			scratch[cnt++] = ls_rate_per_min(ls_sat_sub(v[b], v[a]), dt);
		}
	}
	return cnt ? ls_median(scratch, cnt) : 0;
}

/*
 * How much higher the newest half of @v reached than the oldest half did,
 * or 0: whether growth is still climbing.  Growth that reached its plateau
 * early in the window, say a thread pool filling glibc's stack cache as
 * it starts, has none however it got there.
 */
static s64 ls_peak_rise(const s64 *v, u32 n)
{
	u32 half = n - n / 2, i;	/* the newest half: v[half..n-1] */
	s64 old_max, new_max;

	if (n < 2)
		return 0;
	old_max = v[0];
	for (i = 1; i < half; i++)
		if (v[i] > old_max)
			old_max = v[i];
	new_max = v[half];
	for (i = half + 1; i < n; i++)
		if (v[i] > new_max)
			new_max = v[i];
	return new_max > old_max ? ls_sat_sub(new_max, old_max) : 0;
}

/*
 * Does the series climb through the whole window: is the median of each
 * quarter of @v (by sample count) above the median of the quarter before
 * by at least @step?  This is what makes growth sustained: memory taken
 * once, in one step or one short ramp, lifts at most two quarters above
 * the ones before wherever it happened, and then stays level; a leak lifts
 * every quarter over the one before it.  The medians make it robust to
 * spikes and noise smaller than @step.
 */
static bool ls_quarters_climb(const s64 *v, u32 n, s64 step, s64 *scratch)
{
	s64 prev = 0, m;
	u32 i, lo, len;

	for (i = 0; i < LS_TREND_PARTS; i++) {
		lo = (u32)((u64)i * n / LS_TREND_PARTS);
		len = (u32)((u64)(i + 1) * n / LS_TREND_PARTS) - lo;
		if (!len)
			return false;
		if (len > LS_TREND_SCRATCH_LEN)		/* past 8000 samples */
			len = LS_TREND_SCRATCH_LEN;
		m = ls_median_of(v + lo, len, scratch);
		if (i && ls_sat_sub(m, prev) < step)
			return false;
		prev = m;
	}
	return true;
}

u32 ls_trend_min_samples(u32 window)
{
	return window / 2 > LS_TREND_MIN_SAMPLES ? window / 2 :
						    LS_TREND_MIN_SAMPLES;
}

bool ls_trend_pending(const struct ls_trend *t, s64 min_growth)
{
	return t->n && t->verdict == LS_VERDICT_COLLECTING &&
	       t->growth >= (min_growth < 1 ? 1 : min_growth);
}

void ls_trend_compute(const s64 *t_ms, const s64 *v, u32 n, u32 window,
		      s64 min_growth, s64 *scratch, struct ls_trend *out)
{
	s64 floor_rise = 0, peak;
	bool may_grow;
	u32 i, q;

	memset(out, 0, sizeof(*out));
	out->n = n;
	out->verdict = LS_VERDICT_COLLECTING;
	if (!n)
		return;

	out->first = v[0];
	out->last = v[n - 1];
	out->min = v[0];
	out->max = v[0];
	peak = v[0];
	for (i = 1; i < n; i++) {
		if (v[i] < out->min)
			out->min = v[i];
		if (v[i] > out->max)
			out->max = v[i];
		if (v[i] > v[i - 1])
			out->rises++;
		else if (v[i] < v[i - 1])
			out->falls++;
		if (v[i] > peak)
			peak = v[i];
		else if (ls_sat_sub(peak, v[i]) > out->drawdown)
			out->drawdown = ls_sat_sub(peak, v[i]);
	}
	out->growth = ls_sat_sub(out->last, out->first);
	out->span_ms = ls_sat_sub(t_ms[n - 1], t_ms[0]);
	out->peak_rise = ls_peak_rise(v, n);
	if (n > 1)
		out->persistence_pct = (u32)((u64)out->rises * 100 / (n - 1));

	/*
	 * Floor: compare the medians of the oldest and newest quarters, so a
	 * single spike at either end does not count as growth.  The quarters
	 * are capped to what @scratch holds (only matters past 8000 samples).
	 *
	 * Their minimums must have risen as well.  A sawtooth whose window
	 * does not hold a whole number of periods can have quarter medians
	 * that differ and a positive Theil–Sen slope (7% of a sweep over
	 * periods and phases, with four or more periods in the window); but
	 * once the window holds four periods each quarter holds a whole
	 * one, so both quarters reach the sawtooth's bottom and it is never
	 * taken for growth.  A leak lifts the bottom along with everything.
	 */
	q = n / 4;
	if (q > LS_TREND_SCRATCH_LEN)
		q = LS_TREND_SCRATCH_LEN;
	if (q) {
		s64 old = ls_median_of(v, q, scratch);
		s64 old_min = v[0], new_min = v[n - q], min_rise;

		floor_rise = ls_sat_sub(ls_median_of(v + (n - q), q, scratch), old);
		for (i = 1; i < q; i++) {
			if (v[i] < old_min)
				old_min = v[i];
			if (v[n - q + i] < new_min)
				new_min = v[n - q + i];
		}
		min_rise = ls_sat_sub(new_min, old_min);
		if (min_rise < floor_rise)
			floor_rise = min_rise;
	}

	/*
	 * "The floor rose" has to mean it rose: at least one unit.  And a leak
	 * gives little back: memory that fell by more than half of what it
	 * gained is churn (a sawtooth seen over less than the four periods
	 * the quarter test needs), not sustained growth.
	 */
	if (min_growth < 1)
		min_growth = 1;
	/* ls_trend_may_grow() first: its "no" is a shortcut elsewhere. */
	may_grow = ls_trend_may_grow(out->first, out->last, n, window,
				     min_growth) &&
		   out->rises >= 3 && out->rises > out->falls &&
		   floor_rise >= min_growth && out->drawdown <= out->growth / 2 &&
		   ls_quarters_climb(v, n, ls_climb_step(min_growth), scratch);

	/*
	 * The slope is the costly part (a division and a selection per pair
	 * of points).  Where it decides the verdict it gets every point it
	 * may; elsewhere it is only shown, and fewer points estimate it
	 * (still robustly: a step is not a rate).
	 */
	if (out->min == out->max)
		out->rate_per_min = 0;
	else
		out->rate_per_min = ls_theil_sen(t_ms, v, n,
						 may_grow ? LS_TREND_TS_POINTS :
						 LS_TREND_TS_POINTS_SHOWN,
						 scratch);

	if (n < ls_trend_min_samples(window))
		return;
	if (may_grow && out->rate_per_min > 0)
		out->verdict = LS_VERDICT_GROWING;
	else
		out->verdict = LS_VERDICT_STEADY;
}

void ls_trend_ends(s64 t_first, s64 first, s64 t_last, s64 last, u32 n,
		   u32 window, struct ls_trend *out)
{
	memset(out, 0, sizeof(*out));
	out->n = n;
	out->verdict = LS_VERDICT_COLLECTING;
	if (!n)
		return;
	out->first = first;
	out->last = last;
	out->min = first < last ? first : last;
	out->max = first < last ? last : first;
	out->growth = ls_sat_sub(last, first);
	out->span_ms = ls_sat_sub(t_last, t_first);
	if (out->span_ms > 0)
		out->rate_per_min = ls_rate_per_min(out->growth, out->span_ms);
	if (n >= ls_trend_min_samples(window))
		out->verdict = LS_VERDICT_STEADY;
}

bool ls_trend_may_grow(s64 first, s64 last, u32 n, u32 window,
		       s64 min_growth)
{
	if (min_growth < 1)
		min_growth = 1;
	return n >= ls_trend_min_samples(window) &&
	       ls_sat_sub(last, first) >= min_growth;
}
