// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of module/track_sample.c: the fixed-point logarithm,
 * exponential and weights against libm, the countdown's mean, and that
 * the weighted estimates of objects and bytes are unbiased: millions of
 * allocations of several sizes, each estimate within four standard errors
 * (and a few per cent) of the truth, with fixed seeds so a run repeats.
 */
#include <math.h>

#include "kselftest_harness.h"

#include "track_sample.h"

TEST(neg_log_matches_libm)
{
	static const u32 us[] = { 0, 1, 2, 3, 100, 65535, 1u << 20,
				  0x7fffffff, 0x80000000u, 0xc0000000u,
				  0xfffffff0u, 0xfffffffeu, 0xffffffffu };
	u32 i;

	for (i = 0; i < ARRAY_SIZE(us); i++) {
		double want = -log(((double)us[i] + 1) / 4294967296.0);
		double got = (double)ls_ts_neg_log_q24(us[i]) / (1 << 24);

		EXPECT_LT(fabs(got - want), 1e-5)
			TH_LOG("u=%u: %.9f, libm %.9f", us[i], got, want);
	}
	for (i = 0; i < 100000; i++) {
		u32 u = i * 42949u + 17;
		double want = -log(((double)u + 1) / 4294967296.0);

		ASSERT_LT(fabs((double)ls_ts_neg_log_q24(u) / (1 << 24) - want),
			  1e-5);
	}
}

TEST(prob_and_weight_match_libm)
{
	static const u32 means[] = { LS_TS_MEAN_MIN, 4096, LS_TS_MEAN_DEFAULT,
				     1u << 24, LS_TS_MEAN_MAX };
	static const u32 sizes[] = { 1, 8, 16, 64, 100, 192, 1024, 2047,
				     4096, 8192, 65536, 1u << 20, 4u << 20,
				     1u << 30, 0xffffffffu };
	u32 i, j;

	for (i = 0; i < ARRAY_SIZE(means); i++)
		for (j = 0; j < ARRAY_SIZE(sizes); j++) {
			double x = (double)sizes[j] / means[i];
			double p = -expm1(-x), w = 1 / p;
			double gp = (double)ls_ts_prob_q32(sizes[j], means[i]) /
				    4294967296.0;
			double gw = (double)ls_ts_weight_q16(sizes[j], means[i]) /
				    LS_TS_WEIGHT_ONE;
			double ge = (double)ls_ts_exp_neg_q32(sizes[j], means[i]) /
				    4294967296.0;

			EXPECT_LT(fabs(ge - exp(-x)), 1e-8)
				TH_LOG("exp: s=%u M=%u", sizes[j], means[i]);
			/* p in Q32: relative 1e-5, or a few units of 2^-32 */
			EXPECT_LT(fabs(gp - p), fmax(1e-5 * p, 4e-9))
				TH_LOG("p: s=%u M=%u: %.12g, libm %.12g",
				       sizes[j], means[i], gp, p);
			/* 1/p in Q16: relative 1e-5, or a unit of 2^-16 */
			EXPECT_LT(fabs(gw - w), fmax(1e-5 * w, 2.0 / 65536))
				TH_LOG("w: s=%u M=%u: %.9g, libm %.9g",
				       sizes[j], means[i], gw, w);
		}
	EXPECT_EQ(0ULL, ls_ts_weight_q16(0, LS_TS_MEAN_DEFAULT));
	EXPECT_EQ(0ULL, ls_ts_prob_q32(0, LS_TS_MEAN_DEFAULT));
	/* never a zero probability: the Bernoulli fallback samples it sometimes */
	EXPECT_GE(ls_ts_prob_q32(1, LS_TS_MEAN_MAX), 1ULL);
}

TEST(draws_have_the_mean)
{
	struct ls_ts_state st;
	const u32 n = 1000000;
	double sum = 0, sq = 0, m;
	u32 i;

	ls_ts_init(&st, 4096, 1);
	for (i = 0; i < n; i++) {
		st.rnd += LS_TS_GOLDEN;
		m = (double)ls_ts_draw(4096, (u32)(ls_ts_mix(st.rnd) >> 32));
		sum += m;
		sq += m * m;
	}
	m = sum / n;
	/* exponential: mean M, sd M; 4 standard errors of the mean is 0.4% */
	EXPECT_LT(fabs(m - 4096) / 4096, 0.004) TH_LOG("mean %.2f", m);
	EXPECT_LT(fabs(sqrt(sq / n - m * m) - 4096) / 4096, 0.01);
	EXPECT_GE(ls_ts_draw(4096, 0xffffffffu), 1);
}

/*
 * @n allocations of @size through the countdown at mean @mean (switching
 * to @mean2 half way, as widening does): the estimate against the truth,
 * in standard errors.
 */
static double run_one(u32 size, u32 n, u32 mean, u32 mean2, u64 seed,
		      double *rel)
{
	struct ls_ts_state st;
	double est = 0, p1 = -expm1(-(double)size / mean),
	       p2 = -expm1(-(double)size / mean2), var;
	u64 w;
	u32 i;

	ls_ts_init(&st, mean, seed);
	for (i = 0; i < n; i++) {
		if (ls_ts_step(&st, size, i < n / 2 ? mean : mean2, &w))
			est += (double)w / LS_TS_WEIGHT_ONE;
	}
	/* variance of sum(1/p over samples): n (1 - p) / p per half */
	var = (n / 2) * (1 - p1) / p1 + (n - n / 2) * (1 - p2) / p2;
	*rel = (est - n) / n;
	return var > 0 ? fabs(est - n) / sqrt(var) : fabs(est - n);
}

TEST(unbiased_by_size)
{
	static const u32 sizes[] = { 8, 64, 192, 1024, 4096, 16384, 131072 };
	double z, rel;
	u32 i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		z = run_one(sizes[i], 2000000, 4096, 4096, 7 + i, &rel);
		EXPECT_LT(z, 4.0) TH_LOG("size %u: %.2f SE, %.3f%%", sizes[i],
					 z, 100 * rel);
		EXPECT_LT(fabs(rel), 0.05) TH_LOG("size %u", sizes[i]);
	}
	/* the default mean, sizes around it */
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		z = run_one(sizes[i] * 64, 1000000, LS_TS_MEAN_DEFAULT,
			    LS_TS_MEAN_DEFAULT, 100 + i, &rel);
		EXPECT_LT(z, 4.0) TH_LOG("size %u at 512K: %.2f SE", sizes[i] * 64, z);
	}
}

TEST(unbiased_across_widening)
{
	static const u32 sizes[] = { 32, 512, 8192 };
	double z, rel;
	u32 i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		z = run_one(sizes[i], 2000000, 2048, 8192, 31 + i, &rel);
		EXPECT_LT(z, 4.0) TH_LOG("size %u: %.2f SE, %.3f%%", sizes[i],
					 z, 100 * rel);
	}
}

/* A mixed stream: objects and bytes per size class at once. */
TEST(unbiased_mixed_stream)
{
	static const u32 sizes[] = { 8, 96, 256, 2048, 65536 };
	double obj[ARRAY_SIZE(sizes)] = { 0 }, bytes = 0, truth = 0;
	u32 cnt[ARRAY_SIZE(sizes)] = { 0 };
	struct ls_ts_state st;
	u64 r = 99, w;
	u32 i, k;

	ls_ts_init(&st, 8192, 5);
	for (i = 0; i < 3000000; i++) {
		r = ls_ts_mix(r + i);
		k = r % ARRAY_SIZE(sizes);
		cnt[k]++;
		truth += sizes[k];
		if (ls_ts_step(&st, sizes[k], 8192, &w)) {
			obj[k] += (double)w / LS_TS_WEIGHT_ONE;
			bytes += (double)w / LS_TS_WEIGHT_ONE * sizes[k];
		}
	}
	for (k = 0; k < ARRAY_SIZE(sizes); k++) {
		double p = -expm1(-(double)sizes[k] / 8192);
		double se = sqrt(cnt[k] * (1 - p) / p);

		EXPECT_LT(fabs(obj[k] - cnt[k]), 4 * se + 1)
			TH_LOG("size %u: %.0f of %u", sizes[k], obj[k], cnt[k]);
	}
	EXPECT_LT(fabs(bytes - truth) / truth, 0.02)
		TH_LOG("bytes %.0f of %.0f", bytes, truth);
}

TEST_HARNESS_MAIN
