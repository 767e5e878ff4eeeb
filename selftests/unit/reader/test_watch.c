// SPDX-License-Identifier: GPL-2.0
/* Host tests: sparklines, the locale test and watch's keyed history. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"

#include "history.h"
#include "sparkline.h"

#define U LS_SPARK_UNKNOWN
#define B1 "\xe2\x96\x81"
#define B2 "\xe2\x96\x82"
#define B3 "\xe2\x96\x83"
#define B4 "\xe2\x96\x84"
#define B5 "\xe2\x96\x85"
#define B6 "\xe2\x96\x86"
#define B7 "\xe2\x96\x87"
#define B8 "\xe2\x96\x88"

static char buf[LS_SPARK_BUFLEN(LS_HIST_LEN)];

static const char *spark(const long long *v, size_t n, bool utf8)
{
	ls_sparkline(buf, sizeof(buf), v, n, utf8);
	return buf;
}

TEST(sparkline_ascii)
{
	const long long up[] = { 0, 1, 2, 3, 4 };
	const long long step[] = { 100, 100, 200, 200, 400 };
	const long long flat[] = { 5, 5, 5 };
	const long long gaps[] = { 1, U, 9, U, U };

	EXPECT_STREQ("_.-=#", spark(up, 5, false));
	/* 100..400: 200 is a third of the way, rounded to level 1 of 0..4 */
	EXPECT_STREQ("__..#", spark(step, 5, false));
	EXPECT_STREQ("___", spark(flat, 3, false));
	EXPECT_STREQ("_ #", spark(gaps, 5, false));
	EXPECT_STREQ("", spark(gaps + 3, 2, false));
	EXPECT_STREQ("", spark(up, 0, false));
	EXPECT_EQ(1, ls_sparkline(buf, sizeof(buf), flat, 1, false));
	EXPECT_STREQ("_", buf);
}

TEST(sparkline_utf8)
{
	const long long up[] = { 0, 1, 2, 3, 4, 5, 6, 7 };
	const long long three[] = { 1000, 2000, 4000 };
	const long long flat[] = { 7, 7 };

	EXPECT_STREQ(B1 B2 B3 B4 B5 B6 B7 B8, spark(up, 8, true));
	EXPECT_STREQ(B1 B3 B8, spark(three, 3, true));
	EXPECT_STREQ(B1 B1, spark(flat, 2, true));
	EXPECT_EQ(3, strlen(B1));
}

TEST(sparkline_extremes)
{
	const long long wide[] = { LLONG_MIN + 1, 0, LLONG_MAX };
	const long long neg[] = { -40, -20, 0 };

	EXPECT_STREQ("_-#", spark(wide, 3, false));
	EXPECT_STREQ(B1 B8, spark(wide + 1, 2, true));
	EXPECT_STREQ(B8 B1, spark((const long long[]){ LLONG_MAX, LLONG_MIN + 1 }, 2, true));
	EXPECT_STREQ("_-#", spark(neg, 3, false));
}

TEST(sparkline_truncates)
{
	const long long up[] = { 0, 1, 2, 3, 4 };
	char small[8];

	/* 7 bytes and a NUL: two 3-byte blocks fit, not three */
	EXPECT_EQ(2, ls_sparkline(small, sizeof(small), up, 5, true));
	EXPECT_STREQ(B1 B3, small);
	EXPECT_EQ(5, ls_sparkline(small, 6, up, 5, false));
	EXPECT_EQ(4, ls_sparkline(small, 5, up, 5, false));
	EXPECT_STREQ("_.-=", small);
	EXPECT_EQ(0, ls_sparkline(small, 0, up, 5, false));
}

TEST(locale_utf8)
{
	EXPECT_TRUE(ls_locale_utf8(NULL, NULL, "en_US.UTF-8"));
	EXPECT_TRUE(ls_locale_utf8(NULL, NULL, "C.utf8"));
	EXPECT_TRUE(ls_locale_utf8(NULL, NULL, "de_DE.Utf-8@euro"));
	EXPECT_FALSE(ls_locale_utf8(NULL, NULL, "C"));
	EXPECT_FALSE(ls_locale_utf8(NULL, NULL, NULL));
	EXPECT_FALSE(ls_locale_utf8(NULL, NULL, "en_US.ISO-8859-1"));
	/* LC_ALL wins over everything, LC_CTYPE over LANG; empty means unset */
	EXPECT_FALSE(ls_locale_utf8("C", "C.UTF-8", "en_US.UTF-8"));
	EXPECT_TRUE(ls_locale_utf8("C.UTF-8", "C", "C"));
	EXPECT_FALSE(ls_locale_utf8("", "POSIX", "en_US.UTF-8"));
	EXPECT_TRUE(ls_locale_utf8("", "", "en_US.UTF-8"));
	EXPECT_TRUE(ls_locale_utf8(NULL, "C.UTF-8", "C"));
}

static void refresh(struct ls_history *h, const char * const *keys,
		    const long long *v, size_t n)
{
	size_t i;

	if (ls_history_begin(h, n))
		abort();
	for (i = 0; i < n; i++)
		ls_history_push(h, i, keys[i], v[i]);
}

TEST(history_follows_keys)
{
	struct ls_history h = { 0 };
	const char * const k1[] = { "1 init", "977 thrd", "412 sshd" };
	const long long v1[] = { 10, 100, 50 };
	/* 412 gone, 977 reordered, 977 with another comm is another process */
	const char * const k2[] = { "977 thrd", "1 init", "977 other", "5000 new" };
	const long long v2[] = { 200, 10, 7, 1 };
	const char * const k3[] = { "412 sshd", "977 thrd" };
	const long long v3[] = { 60, U };
	const struct ls_hist_entry *e;

	refresh(&h, k1, v1, 3);
	EXPECT_EQ(1, ls_history_row(&h, 1)->n);
	ls_history_commit(&h);
	EXPECT_EQ(3, h.ncur);

	refresh(&h, k2, v2, 4);
	e = ls_history_row(&h, 0);
	EXPECT_STREQ("977 thrd", e->key);
	ASSERT_EQ(2, e->n);
	EXPECT_EQ(100, e->v[0]);
	EXPECT_EQ(200, e->v[1]);
	EXPECT_EQ(2, ls_history_row(&h, 1)->n);
	EXPECT_EQ(1, ls_history_row(&h, 2)->n);
	EXPECT_EQ(1, ls_history_row(&h, 3)->n);
	ls_history_commit(&h);
	EXPECT_EQ(4, h.ncur);

	/* 412 came back (pid reuse or not: it was gone, it starts over) */
	refresh(&h, k3, v3, 2);
	EXPECT_EQ(1, ls_history_row(&h, 0)->n);
	EXPECT_EQ(60, ls_history_row(&h, 0)->v[0]);
	e = ls_history_row(&h, 1);
	ASSERT_EQ(3, e->n);
	EXPECT_EQ(U, e->v[2]);
	ls_history_commit(&h);
	EXPECT_EQ(2, h.ncur);
	ls_history_free(&h);
}

TEST(history_keeps_the_last_readings)
{
	struct ls_history h = { 0 };
	const char * const k[] = { "1 init" };
	long long v;
	int i;

	for (i = 0; i < LS_HIST_LEN + 5; i++) {
		v = i;
		refresh(&h, k, &v, 1);
		ls_history_commit(&h);
	}
	ASSERT_EQ(1, h.ncur);
	EXPECT_EQ(LS_HIST_LEN, h.cur[0].n);
	EXPECT_EQ(5, h.cur[0].v[0]);
	EXPECT_EQ(LS_HIST_LEN + 4, h.cur[0].v[LS_HIST_LEN - 1]);
	/* an empty refresh forgets everything */
	refresh(&h, k, &v, 0);
	ls_history_commit(&h);
	EXPECT_EQ(0, h.ncur);
	ls_history_free(&h);
}

TEST(history_long_and_duplicate_keys)
{
	struct ls_history h = { 0 };
	char longkey[200];
	const char *k[2];
	const long long v[] = { 1, 2 };

	memset(longkey, 'x', sizeof(longkey) - 1);
	longkey[sizeof(longkey) - 1] = '\0';
	k[0] = longkey;
	k[1] = longkey;
	refresh(&h, k, v, 2);
	EXPECT_EQ(LS_HIST_KEY - 1, strlen(ls_history_row(&h, 0)->key));
	ls_history_commit(&h);
	refresh(&h, k, v, 1);
	EXPECT_EQ(2, ls_history_row(&h, 0)->n);
	ls_history_commit(&h);
	ls_history_free(&h);
}

TEST_HARNESS_MAIN
