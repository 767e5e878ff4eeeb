// SPDX-License-Identifier: GPL-2.0
/*
 * Sampling by bytes: fixed-point logarithm, exponential and weights (see
 * track_sample.h for the method).  Pure code, no allocation, no locks.
 */

#include "ls_pure.h"
#include "track_sample.h"

#define LS_TS_LN2_Q32		2977044472ULL	/* ln 2 * 2^32, rounded */
#define LS_TS_EXP_M1_Q32	1580030169ULL	/* exp(-1) * 2^32, rounded */
#define LS_TS_ONE_Q31		BIT_ULL(31)
#define LS_TS_SERIES_TERMS	16	/* f^16/16! < 2^-44 for f < 1 */

u64 ls_ts_neg_log_q24(u32 u)
{
	u64 v = (u64)u + 1, m, frac = 0;
	u32 k = 0, i;

	if (v >> 32)
		return 0;		/* U = 1 */
	while (v >> (k + 1))
		k++;			/* k = floor(log2 v), 0..31 */
	/*
	 * The fraction of log2 v, one bit per squaring of the mantissa
	 * m = v / 2^k in [1, 2), held in Q31 so that m * m fits 64 bits.
	 * Each step truncates: the result is low by under 2^-23 of a bit.
	 */
	m = v << (31 - k);
	for (i = 1; i <= LS_TS_LOG_SHIFT; i++) {
		m = (m * m) >> 31;
		if (m >= 2 * LS_TS_ONE_Q31) {
			m >>= 1;
			frac |= 1ULL << (LS_TS_LOG_SHIFT - i);
		}
	}
	/* -ln(v / 2^32) = (32 - log2 v) ln 2 */
	return ((((u64)32 << LS_TS_LOG_SHIFT) - (((u64)k << LS_TS_LOG_SHIFT) +
		frac)) * LS_TS_LN2_Q32) >> 32;
}

s64 ls_ts_draw(u32 mean, u32 u)
{
	/* mean < 2^31 and -ln U < 23 (Q24: < 2^29): the product fits. */
	u64 r = ((u64)mean * ls_ts_neg_log_q24(u)) >> LS_TS_LOG_SHIFT;

	return r ? (s64)r : 1;
}

/* exp(-f) for f in [0, 1) in Q32, by its series: alternating, shrinking. */
static u64 ls_ts_exp_frac(u64 f)
{
	s64 sum = (s64)LS_TS_P_ONE;
	u64 term = LS_TS_P_ONE;
	u32 n;

	for (n = 1; n <= LS_TS_SERIES_TERMS && term; n++) {
		term = ((term * f) >> 32) / n;	/* term, f < 2^32 */
		sum += (n & 1) ? -(s64)term : (s64)term;
	}
	return sum > 0 ? (u64)sum : 0;
}

u64 ls_ts_exp_neg_q32(u32 bytes, u32 mean)
{
	u64 x, e;
	u32 k;

	if (!mean)
		return 0;
	x = ((u64)bytes << 32) / mean;	/* bytes < 2^32: fits */
	k = x >> 32;
	if (k >= 32)
		return 0;		/* exp(-32) * 2^32 < 1 */
	e = ls_ts_exp_frac(x & (LS_TS_P_ONE - 1));
	while (k--)
		e = (e * LS_TS_EXP_M1_Q32 + BIT_ULL(31)) >> 32;
	return e;
}

u64 ls_ts_prob_q32(u32 bytes, u32 mean)
{
	u64 x, p;

	if (!bytes)
		return 0;
	if (!mean)
		return LS_TS_P_ONE;
	if ((u64)bytes * 256 < mean) {
		/*
		 * x < 1/256: 1 - exp(-x) = x - x^2/2 + x^3/6 - ..., which
		 * keeps the precision the subtraction below would lose.
		 */
		x = ((u64)bytes << 32) / mean;		/* < 2^24 */
		p = x - ((x * x) >> 33) + ((((x * x) >> 32) * x) >> 32) / 6;
	} else {
		p = LS_TS_P_ONE - ls_ts_exp_neg_q32(bytes, mean);
	}
	return p ? p : 1;
}

u64 ls_ts_weight_q16(u32 bytes, u32 mean)
{
	u64 p;

	if (!bytes)
		return 0;
	if (!mean)
		return LS_TS_WEIGHT_ONE;
	if ((u64)bytes * 256 < mean) {
		/* 1/(1 - exp(-x)) = 1/x + 1/2 + x/12 - x^3/720 ..., x < 1/256 */
		return (((u64)mean << LS_TS_WEIGHT_SHIFT) + bytes / 2) / bytes +
		       LS_TS_WEIGHT_ONE / 2 +
		       ((u64)bytes << LS_TS_WEIGHT_SHIFT) / (12ULL * mean);
	}
	p = ls_ts_prob_q32(bytes, mean);		/* >= 2^32/257 here */
	return ((LS_TS_P_ONE << LS_TS_WEIGHT_SHIFT) + p / 2) / p;
}

u64 ls_ts_mix(u64 z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static u32 ls_ts_rand(struct ls_ts_state *st)
{
	st->rnd += LS_TS_GOLDEN;
	return (u32)(ls_ts_mix(st->rnd) >> 32);
}

void ls_ts_init(struct ls_ts_state *st, u32 mean, u64 seed)
{
	st->rnd = seed;
	st->mean = mean;
	st->countdown = ls_ts_draw(mean, ls_ts_rand(st));
}

bool ls_ts_step(struct ls_ts_state *st, u32 bytes, u32 mean, u64 *weight_q16)
{
	st->countdown -= bytes;
	if (st->countdown > 0)
		return false;
	*weight_q16 = ls_ts_weight_q16(bytes, st->mean);
	/*
	 * The next point lies an exponential spacing past this one, which
	 * lay inside this allocation: add spacings (of the mean now in
	 * force) until one lands past its end.
	 */
	st->mean = mean;
	do {
		st->countdown += ls_ts_draw(mean, ls_ts_rand(st));
	} while (st->countdown <= 0);
	return true;
}
