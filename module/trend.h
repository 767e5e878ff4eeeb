/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Ring index math and trend detection over a series of samples.
 *
 * Pure code: built into the module and into host unit tests.  No
 * allocation, no locks; all memory is provided by the caller.
 */
#ifndef LS_TREND_H
#define LS_TREND_H

#include "ls_pure.h"

#define LS_TREND_MIN_SAMPLES	8	/* never judged on fewer samples */
/* A rise must climb through each of this many parts of the window */
#define LS_TREND_PARTS		4
/* Theil–Sen uses at most this many points, evenly spread */
#define LS_TREND_TS_POINTS	64
/* ... or this many, for a series whose slope is shown but decides nothing */
#define LS_TREND_TS_POINTS_SHOWN	16
#define LS_TREND_SCRATCH_LEN	(LS_TREND_TS_POINTS * (LS_TREND_TS_POINTS - 1) / 2)

/*
 * A ring of @cap slots; the caller owns the storage and indexes it with the
 * slots returned here.  @head is the slot of the next write.  @cap must be
 * at least 1 (a zero-capacity ring never holds anything).
 */
struct ls_ring {
	u32 cap, head, count;
};

/* Returns the slot to write; drops the oldest sample when full. */
u32 ls_ring_push(struct ls_ring *r);
/* Slot of the i-th oldest sample, i < count (0 is the oldest). */
u32 ls_ring_slot(const struct ls_ring *r, u32 i);
void ls_ring_reset(struct ls_ring *r, u32 cap);

enum ls_verdict {
	LS_VERDICT_COLLECTING,
	LS_VERDICT_STEADY,
	LS_VERDICT_GROWING,
};

/* "collecting", "steady", "growing" ("unknown" for anything else) */
const char *ls_verdict_name(enum ls_verdict v);

struct ls_trend {
	u32 n;			/* samples used */
	s64 first, last, min, max;
	s64 growth;		/* last - first */
	s64 span_ms;		/* t[n-1] - t[0] */
	s64 rate_per_min;	/* Theil–Sen slope, value units per minute (integer) */
	u32 rises, falls;	/* intervals with v[i+1] > v[i], < v[i] */
	u32 persistence_pct;	/* rises * 100 / (n - 1): share of rising intervals */
	s64 drawdown;		/* largest fall from an earlier peak */
	/* Highest of the newest half over highest of the oldest, or 0. */
	s64 peak_rise;
	enum ls_verdict verdict;
};

/*
 * Compute the trend of @n samples (@t_ms strictly increasing; @v in any
 * unit, kB for meminfo).  @scratch must hold LS_TREND_SCRATCH_LEN values;
 * its contents are clobbered.  Differences and rates saturate at the s64
 * limits instead of wrapping.
 *
 * Verdict: COLLECTING below ls_trend_min_samples(@window), @window being
 * the samples the series' ring holds at most; GROWING when the rate is
 * positive, growth >= @min_growth, rises >= 3, rises > falls, the median
 * of each quarter of the samples exceeds the median of the quarter before
 * by at least @min_growth / 8 (the rise climbs through the whole window),
 * both the median and the minimum of the newest quarter exceed those of
 * the oldest by >= @min_growth (taken as 1 if smaller), and no fall from
 * an earlier peak exceeds half the growth; otherwise STEADY.  So a series
 * that rose once and then stayed level is never GROWING, and a leak that
 * stops clears within 3/8 of the window plus one sample (once more than
 * half of each of the two newest quarters is level).
 */
void ls_trend_compute(const s64 *t_ms, const s64 *v, u32 n, u32 window,
		      s64 min_growth, s64 *scratch, struct ls_trend *out);

/*
 * Most series on a machine never rise by their floor, and such a series
 * can only be "steady" (or "collecting").  A history with many of them
 * asks ls_trend_may_grow() with the ends alone, and when it says no, fills
 * the trend from the ends with ls_trend_ends() instead of gathering every
 * sample for ls_trend_compute(): n, first, last, growth, span, the rate
 * over the span, min/max of the two ends, no rise/fall counts.
 */
bool ls_trend_may_grow(s64 first, s64 last, u32 n, u32 window,
		       s64 min_growth);
void ls_trend_ends(s64 t_first, s64 first, s64 t_last, s64 last, u32 n,
		   u32 window, struct ls_trend *out);

/*
 * The samples a series must hold before it is judged: half of its @window
 * (the capacity of its ring), and at least LS_TREND_MIN_SAMPLES.  A
 * series younger than that (a process, a cache, a vmalloc caller that
 * appeared after sampling began, or every series after load or reset) is
 * "collecting": a cache created by a burst of allocations is all rise for
 * its first seconds, and nothing tells that from a leak until the burst
 * has had time to end.
 */
u32 ls_trend_min_samples(u32 window);

/*
 * Is @t still collecting (too young to judge) but already risen by
 * @min_growth?  The precise suspect it may become (a process, a cache, a
 * vmalloc caller) is pending, and the system-wide one of the same kind
 * waits for it rather than name "some process" or "some cache" first.
 */
bool ls_trend_pending(const struct ls_trend *t, s64 min_growth);

#endif /* LS_TREND_H */
