/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sampling by bytes for call-site tracking: the math only.
 *
 * Allocated bytes are seen as a line on which sample points fall as a
 * Poisson process of mean spacing M bytes (jemalloc and tcmalloc do the
 * same).  An allocation of s bytes is sampled when it holds at least one
 * point, which happens with probability p = 1 - exp(-s/M), independently
 * of every other allocation; so weighing each sample by 1/p makes the sums
 * unbiased: E[sum of 1/p over samples] = objects, E[sum of s/p] = bytes.
 *
 * The process is run as a countdown: the bytes to the next point, drawn
 * from an exponential distribution of mean M (-M ln U, U uniform in
 * (0, 1]), less each allocation's size; an allocation that takes it to
 * zero or below is sampled and the countdown is drawn again (the spacing
 * is memoryless, so where inside the allocation the point fell does not
 * matter).
 *
 * No floating point: logarithms in fixed point by repeated squaring,
 * exp(-x) by its series, weights in Q16 (LS_TS_WEIGHT_ONE is 1.0).
 *
 * Pure code: built into the module and into the host unit tests.
 */
#ifndef LS_TRACK_SAMPLE_H
#define LS_TRACK_SAMPLE_H

#include "ls_pure.h"

#define LS_TS_WEIGHT_SHIFT	16
#define LS_TS_WEIGHT_ONE	BIT_ULL(LS_TS_WEIGHT_SHIFT)
#define LS_TS_LOG_SHIFT		24	/* -ln U in Q24 */
#define LS_TS_P_ONE		BIT_ULL(32)	/* probabilities in Q32 */

/* Mean bytes between samples: the setting's range, and how far widening goes. */
#define LS_TS_MEAN_DEFAULT	(512U * 1024)
#define LS_TS_MEAN_MIN		1024U
#define LS_TS_MEAN_MAX		BIT(30)

/* -ln((u + 1) / 2^32) in Q24: 0 for u = 2^32 - 1, 22.18 for u = 0. */
u64 ls_ts_neg_log_q24(u32 u);

/* A countdown of mean @mean bytes from the uniform @u: at least 1. */
s64 ls_ts_draw(u32 mean, u32 u);

/* exp(-x) for x = @bytes / @mean, in Q32. */
u64 ls_ts_exp_neg_q32(u32 bytes, u32 mean);

/* p = 1 - exp(-@bytes / @mean), in Q32, at least 1 (0 for 0 bytes). */
u64 ls_ts_prob_q32(u32 bytes, u32 mean);

/*
 * 1/p in Q16 for an allocation of @bytes sampled at mean @mean: exact to
 * a few parts per million for every size, small ones included (there
 * 1/p = M/s + 1/2 + s/12M to well within that).  0 for 0 bytes.
 */
u64 ls_ts_weight_q16(u32 bytes, u32 mean);

/* A 64-bit mix of a counter (splitmix64's finaliser): the per-CPU random. */
u64 ls_ts_mix(u64 x);
#define LS_TS_GOLDEN	0x9e3779b97f4a7c15ULL	/* splitmix64's step */

/*
 * The countdown, serially (one context, no nesting): what the module's
 * probe does with per-CPU, interrupt-safe operations (track.c).  The
 * tests run this one; the weight of a sampled allocation is that of the
 * mean its countdown was drawn with.
 */
struct ls_ts_state {
	s64 countdown;		/* bytes to the next sample point */
	u32 mean;		/* the mean countdown was drawn with */
	u64 rnd;		/* splitmix64 counter */
};

void ls_ts_init(struct ls_ts_state *st, u32 mean, u64 seed);

/* Account @bytes; true (and *@weight_q16) when this allocation is sampled. */
bool ls_ts_step(struct ls_ts_state *st, u32 bytes, u32 mean, u64 *weight_q16);

#endif /* LS_TRACK_SAMPLE_H */
