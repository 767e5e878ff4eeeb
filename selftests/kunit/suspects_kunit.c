// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite leakscope_suspects: module/suspects.c, kind names, the
 * ranking of suspects and field sanitising.
 */
#include <kunit/test.h>

#include "ls_fixtures.h"

static struct ls_suspect *alloc(struct kunit *test, u32 n)
{
	struct ls_suspect *s = kunit_kcalloc(test, n, sizeof(*s), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, s);
	return s;
}

static void kind_names(struct kunit *test)
{
	int k;

	KUNIT_ASSERT_EQ(test, (int)ARRAY_SIZE(ls_fx_kind_names), (int)LS_SUSPECT_KIND_NR);
	for (k = 0; k < LS_SUSPECT_KIND_NR; k++)
		KUNIT_EXPECT_STREQ(test, ls_fx_kind_names[k],
				   ls_suspect_kind_name((enum ls_suspect_kind)k));
	KUNIT_EXPECT_STREQ(test, "unknown", ls_suspect_kind_name(LS_SUSPECT_KIND_NR));
	KUNIT_EXPECT_STREQ(test, "unknown", ls_suspect_kind_name((enum ls_suspect_kind)-1));
}

static void score_formula(struct kunit *test)
{
	struct ls_suspect s;

	/* rate * severity * (50 + pct) / 150 */
	ls_fx_suspect(&s, LS_SUSPECT_ANON_GROWTH, "a", 1500, 100, 1);
	ls_suspects_rank(&s, 1);
	KUNIT_EXPECT_EQ(test, 1500, s.score);
	KUNIT_EXPECT_EQ(test, 1U, s.rank);
	ls_fx_suspect(&s, LS_SUSPECT_ANON_GROWTH, "a", 1000, 40, 3);
	ls_suspects_rank(&s, 1);
	KUNIT_EXPECT_EQ(test, 1800, s.score);
	/* Shrinking memory scores 0; out-of-range inputs are clamped. */
	ls_fx_suspect(&s, LS_SUSPECT_ANON_GROWTH, "a", -5000, 100, 4);
	ls_suspects_rank(&s, 1);
	KUNIT_EXPECT_EQ(test, 0, s.score);
	ls_fx_suspect(&s, LS_SUSPECT_ANON_GROWTH, "a", 1500, 1000, 9);
	ls_suspects_rank(&s, 1);
	KUNIT_EXPECT_EQ(test, 6000, s.score);
	ls_fx_suspect(&s, LS_SUSPECT_SLAB_GROWTH, "x", S64_MAX, 100, 4);
	ls_suspects_rank(&s, 1);
	KUNIT_EXPECT_EQ(test, S64_MAX / 150, s.score);
}

static void rank_order(struct kunit *test)
{
	struct ls_suspect *s = alloc(test, 5);
	u32 i;

	ls_fx_rank_mix(s);
	ls_suspects_rank(s, 5);
	KUNIT_EXPECT_STREQ(test, "meminfo:Shmem", s[0].subject);
	KUNIT_EXPECT_STREQ(test, "pid:42:srv", s[1].subject);
	KUNIT_EXPECT_STREQ(test, "mod:gone", s[2].subject);
	KUNIT_EXPECT_STREQ(test, "pid:100:a", s[3].subject);
	KUNIT_EXPECT_STREQ(test, "slab:kmalloc-64", s[4].subject);
	for (i = 0; i < 5; i++) {
		KUNIT_EXPECT_EQ(test, i + 1, s[i].rank);
		/* Records move whole: evidence travels with its subject. */
		KUNIT_EXPECT_STREQ(test, s[i].subject, s[i].evidence);
		if (i)
			KUNIT_EXPECT_GE(test, s[i - 1].score, s[i].score);
	}
}

static void rank_ties_kind_then_subject(struct kunit *test)
{
	struct ls_suspect *s = alloc(test, 6);

	ls_fx_rank_ties(s);
	ls_suspects_rank(s, 6);
	KUNIT_EXPECT_EQ(test, LS_SUSPECT_THREAD_STACK_LEAK, s[0].kind);
	KUNIT_EXPECT_STREQ(test, "y", s[1].subject);
	KUNIT_EXPECT_STREQ(test, "y", s[2].subject);
	/* Complete ties keep their input order (stable). */
	KUNIT_EXPECT_EQ(test, 1, s[1].growth_kb);
	KUNIT_EXPECT_EQ(test, 2, s[2].growth_kb);
	KUNIT_EXPECT_STREQ(test, "z", s[3].subject);
	KUNIT_EXPECT_STREQ(test, "a", s[4].subject);
	KUNIT_EXPECT_STREQ(test, "b", s[5].subject);
}

static void rank_empty(struct kunit *test)
{
	ls_suspects_rank(NULL, 0);
	KUNIT_SUCCEED(test);
}

static void field_copy(struct kunit *test)
{
	char buf[8];

	ls_field_copy(buf, sizeof(buf), "Web Con");
	KUNIT_EXPECT_STREQ(test, "Web_Con", buf);
	ls_field_copy(buf, sizeof(buf), "a\tb\nc");
	KUNIT_EXPECT_STREQ(test, "a_b_c", buf);
	ls_field_copy(buf, sizeof(buf), "\x01\x7f\xff");
	KUNIT_EXPECT_STREQ(test, "___", buf);
	ls_field_copy(buf, sizeof(buf), "");
	KUNIT_EXPECT_STREQ(test, "-", buf);
	ls_field_copy(buf, sizeof(buf), NULL);
	KUNIT_EXPECT_STREQ(test, "-", buf);
	ls_field_copy(buf, sizeof(buf), "abcdefghij");
	KUNIT_EXPECT_STREQ(test, "abcdefg", buf);
	memset(buf, 'X', sizeof(buf));
	ls_field_copy(buf, 5, "abcdefgh");
	KUNIT_EXPECT_STREQ(test, "abcd", buf);
	KUNIT_EXPECT_EQ(test, 'X', buf[5]);
	ls_field_copy(buf, 0, "abc");
	KUNIT_EXPECT_EQ(test, 'a', buf[0]);
}

static struct kunit_case suspects_cases[] = {
	KUNIT_CASE(kind_names),
	KUNIT_CASE(score_formula),
	KUNIT_CASE(rank_order),
	KUNIT_CASE(rank_ties_kind_then_subject),
	KUNIT_CASE(rank_empty),
	KUNIT_CASE(field_copy),
	{}
};

static struct kunit_suite suspects_suite = {
	.name = "leakscope_suspects",
	.test_cases = suspects_cases,
};

kunit_test_suite(suspects_suite);
