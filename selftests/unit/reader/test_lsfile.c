// SPDX-License-Identifier: GPL-2.0
/* Host tests: parsing of leakscope debugfs files (good and malformed). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"

#include "columns.h"
#include "lsfile.h"

#define HDR(file) "# leakscope " file " v1 interval_ms=1000 samples=64 held=12 window_ms=11000 caps_hit=- disabled=-\n"
#define SUM_COLS "item now_kb growth_kb rate_kb_min persist_pct verdict next\n"

static int parse(struct ls_table *t, const char *name, const char *text,
		 struct ls_err *e)
{
	memset(e, 0, sizeof(*e));
	return ls_table_parse_mem(t, name, "F", text, strlen(text), e);
}

static char *slurp(const char *name, size_t *len)
{
	char path[PATH_MAX];
	FILE *f;
	char *buf;

	snprintf(path, sizeof(path), "%s/%s", DATA_DIR, name);
	f = fopen(path, "r");
	if (!f)
		return NULL;
	buf = malloc(1 << 16);
	*len = fread(buf, 1, 1 << 16, f);
	fclose(f);
	return buf;
}

/* Parse text and expect failure of kind with exactly message msg. */
#define EXPECT_BAD(name, text, want_kind, want_msg) do {		\
	struct ls_table _t;						\
	struct ls_err _e;						\
	EXPECT_EQ(-1, parse(&_t, name, text, &_e));			\
	EXPECT_EQ(want_kind, _e.kind);					\
	EXPECT_STREQ(want_msg, _e.msg);					\
	ls_table_free(&_t);						\
} while (0)

TEST(spec_summary)
{
	struct ls_table t;
	struct ls_err e = { 0 };
	size_t len;
	char *buf = slurp("summary", &len);
	static const char * const items[] = { "Active(anon)", "Inactive(anon)",
		"AnonPages", "Mapped", "Shmem", "Unevictable", "Mlocked", "Slab",
		"SReclaimable", "SUnreclaim", "VmallocUsed", "KernelStack",
		"PageTables", "Unaccounted", "leakscope" };
	size_t i;

	ASSERT_NE(NULL, buf);
	ASSERT_EQ(0, ls_table_parse(&t, "summary", "summary", buf, len, &e));
	EXPECT_STREQ("summary", t.name);
	EXPECT_EQ(1, t.version);
	EXPECT_EQ(7, t.nmeta);
	EXPECT_STREQ("1234", ls_table_meta(&t, "self_kb"));
	EXPECT_STREQ("1000", ls_table_meta(&t, "interval_ms"));
	EXPECT_STREQ("64", ls_table_meta(&t, "samples"));
	EXPECT_STREQ("12", ls_table_meta(&t, "held"));
	EXPECT_STREQ("11000", ls_table_meta(&t, "window_ms"));
	EXPECT_STREQ("-", ls_table_meta(&t, "caps_hit"));
	EXPECT_STREQ("-", ls_table_meta(&t, "disabled"));
	EXPECT_EQ(NULL, ls_table_meta(&t, "nope"));
	ASSERT_EQ(7, t.ncols);
	EXPECT_STREQ("item", t.cols[0]);
	EXPECT_STREQ("next", t.cols[6]);
	ASSERT_EQ(15, t.nrows);
	for (i = 0; i < 15; i++)
		EXPECT_STREQ(items[i], ls_table_cell(&t, i, 0));
	EXPECT_STREQ("tmpfs:df_-t_tmpfs", ls_table_cell(&t, 4, 6));
	EXPECT_STREQ("-", ls_table_cell(&t, 10, 1));
	EXPECT_STREQ("disabled", ls_table_cell(&t, 10, 5));
	EXPECT_STREQ("-64", ls_table_cell(&t, 13, 2));
	ls_table_free(&t);
}

TEST(spec_suspects)
{
	struct ls_table t;
	struct ls_err e = { 0 };
	size_t len;
	char *buf = slurp("suspects", &len);

	ASSERT_NE(NULL, buf);
	ASSERT_EQ(0, ls_table_parse(&t, "suspects", "suspects", buf, len, &e));
	ASSERT_EQ(8, t.ncols);
	ASSERT_EQ(2, t.nrows);
	EXPECT_STREQ("1", ls_table_cell(&t, 0, 0));
	EXPECT_STREQ("shmem-growth", ls_table_cell(&t, 0, 1));
	EXPECT_STREQ("meminfo:Shmem", ls_table_cell(&t, 0, 2));
	EXPECT_STREQ("Shmem_+20480_kB_in_30_s,_rising_in_29_of_30_intervals",
		     ls_table_cell(&t, 0, 6));
	EXPECT_STREQ("tmpfs:df_-t_tmpfs;_ipcs_-m", ls_table_cell(&t, 0, 7));
	EXPECT_STREQ("vmalloc_used:symbol", ls_table_meta(&t, "disabled"));
	ls_table_free(&t);
}

TEST(spec_suspects_empty)
{
	struct ls_table t;
	struct ls_err e;

	ASSERT_EQ(0, parse(&t, "suspects", HDR("suspects")
		  "rank kind subject growth_kb rate_kb_min persist_pct evidence next\n", &e));
	EXPECT_EQ(8, t.ncols);
	EXPECT_EQ(0, t.nrows);
	ls_table_free(&t);
}

TEST(spec_control)
{
	struct ls_table t;
	struct ls_err e = { 0 };
	size_t len;
	char *buf = slurp("control", &len);

	ASSERT_NE(NULL, buf);
	ASSERT_EQ(0, ls_table_parse(&t, "control", "control", buf, len, &e));
	ASSERT_EQ(2, t.ncols);
	ASSERT_EQ(2, t.nrows);
	EXPECT_STREQ("interval_ms", ls_table_cell(&t, 0, 0));
	EXPECT_STREQ("500", ls_table_cell(&t, 0, 1));
	EXPECT_STREQ("samples", ls_table_cell(&t, 1, 0));
	EXPECT_STREQ("32", ls_table_cell(&t, 1, 1));
	ls_table_free(&t);
}

TEST(separators_tabs_and_padding)
{
	struct ls_table t;
	struct ls_err e;

	ASSERT_EQ(0, parse(&t, "control",
		  "#  leakscope\tcontrol   v1\n  setting\tvalue  \n\tsamples   64 \n", &e));
	EXPECT_EQ(0, t.nmeta);
	EXPECT_STREQ("samples", ls_table_cell(&t, 0, 0));
	EXPECT_STREQ("64", ls_table_cell(&t, 0, 1));
	ls_table_free(&t);
}

TEST(many_rows)
{
	size_t n = 50000, i, cap = n * 40 + 256, len;
	char *text = malloc(cap);
	struct ls_table t;
	struct ls_err e;

	ASSERT_NE(NULL, text);
	len = snprintf(text, cap, HDR("control") "setting value\n");
	for (i = 0; i < n; i++)
		len += snprintf(text + len, cap - len, "k%zu %zu\n", i, i);
	ASSERT_EQ(0, parse(&t, "control", text, &e));
	EXPECT_EQ(n, t.nrows);
	EXPECT_STREQ("k49999", ls_table_cell(&t, n - 1, 0));
	ls_table_free(&t);
	free(text);
}

TEST(empty_file)
{
	EXPECT_BAD("summary", "", LS_ERR_MALFORMED,
		   "F: empty file (expected '# leakscope summary v1 ...')");
}

TEST(missing_header)
{
	EXPECT_BAD("summary", SUM_COLS "Shmem 1 2 3 4 steady procs\n",
		   LS_ERR_MALFORMED,
		   "F:1: missing header (expected '# leakscope summary v1 ...')");
	EXPECT_BAD("summary", "# leakscope\n", LS_ERR_MALFORMED,
		   "F:1: missing header (expected '# leakscope summary v1 ...')");
	EXPECT_BAD("summary", "# leakscopes summary v1\n" SUM_COLS,
		   LS_ERR_MALFORMED,
		   "F:1: missing header (expected '# leakscope summary v1 ...')");
	EXPECT_BAD("summary", "#leakscope summary v1\n" SUM_COLS,
		   LS_ERR_MALFORMED,
		   "F:1: missing header (expected '# leakscope summary v1 ...')");
	EXPECT_BAD("summary", "\n", LS_ERR_MALFORMED,
		   "F:1: missing header (expected '# leakscope summary v1 ...')");
}

TEST(wrong_file_name)
{
	EXPECT_BAD("summary", HDR("suspects") SUM_COLS, LS_ERR_MALFORMED,
		   "F:1: header names file 'suspects', expected 'summary'");
	EXPECT_BAD("summary", HDR("Summary") SUM_COLS, LS_ERR_MALFORMED,
		   "F:1: header names file 'Summary', expected 'summary'");
}

TEST(newer_version)
{
	EXPECT_BAD("summary", "# leakscope summary v2 interval_ms=1000\n" SUM_COLS,
		   LS_ERR_VERSION,
		   "F: format v2 is newer than this reader understands (v1): upgrade leakscope");
	/* the version is checked before anything a newer format may change */
	EXPECT_BAD("summary", "# leakscope summary v17 what ever\n\x01\n",
		   LS_ERR_VERSION,
		   "F: format v17 is newer than this reader understands (v1): upgrade leakscope");
	EXPECT_BAD("summary", "# leakscope summary v0\n" SUM_COLS, LS_ERR_VERSION,
		   "F: unknown format version v0 (this reader understands v1)");
}

TEST(bad_version_token)
{
	EXPECT_BAD("summary", "# leakscope summary\n" SUM_COLS, LS_ERR_MALFORMED,
		   "F:1: bad format version ''");
	EXPECT_BAD("summary", "# leakscope summary 1\n" SUM_COLS, LS_ERR_MALFORMED,
		   "F:1: bad format version '1'");
	EXPECT_BAD("summary", "# leakscope summary v\n" SUM_COLS, LS_ERR_MALFORMED,
		   "F:1: bad format version 'v'");
	EXPECT_BAD("summary", "# leakscope summary v1x\n" SUM_COLS,
		   LS_ERR_MALFORMED, "F:1: bad format version 'v1x'");
	EXPECT_BAD("summary", "# leakscope summary v-1\n" SUM_COLS,
		   LS_ERR_MALFORMED, "F:1: bad format version 'v-1'");
	EXPECT_BAD("summary", "# leakscope summary v1234567890\n" SUM_COLS,
		   LS_ERR_MALFORMED, "F:1: bad format version 'v1234567890'");
}

TEST(bad_header_fields)
{
	EXPECT_BAD("summary", "# leakscope summary v1 held\n" SUM_COLS,
		   LS_ERR_MALFORMED,
		   "F:1: bad header field (expected key=value) 'held'");
	EXPECT_BAD("summary", "# leakscope summary v1 =3\n" SUM_COLS,
		   LS_ERR_MALFORMED,
		   "F:1: bad header field (expected key=value) '=3'");
	EXPECT_BAD("summary", "# leakscope summary v1 held=\n" SUM_COLS,
		   LS_ERR_MALFORMED,
		   "F:1: bad header field (expected key=value) 'held='");
	EXPECT_BAD("summary", "# leakscope summary v1 held=1 held=2\n" SUM_COLS,
		   LS_ERR_MALFORMED, "F:1: duplicate header field 'held'");
}

TEST(too_many_header_fields)
{
	char text[2048] = "# leakscope control v1";
	int i;

	for (i = 0; i < LS_MAX_META; i++)
		sprintf(text + strlen(text), " k%d=%d", i, i);
	strcat(text, "\nsetting value\n");
	{
		struct ls_table t;
		struct ls_err e;

		ASSERT_EQ(0, parse(&t, "control", text, &e));
		EXPECT_EQ(LS_MAX_META, t.nmeta);
		ls_table_free(&t);
	}
	strcpy(strstr(text, "\n"), " one=more\nsetting value\n");
	EXPECT_BAD("control", text, LS_ERR_MALFORMED,
		   "F:1: too many header fields");
}

TEST(missing_columns)
{
	EXPECT_BAD("summary", HDR("summary"), LS_ERR_MALFORMED,
		   "F:2: missing column-name line");
	EXPECT_BAD("summary", HDR("summary") "\n", LS_ERR_MALFORMED,
		   "F:2: empty column-name line");
	EXPECT_BAD("summary", HDR("summary") "# item now_kb\n", LS_ERR_MALFORMED,
		   "F:2: expected column names, found a comment line");
}

TEST(bad_columns)
{
	char text[1024];
	int i;

	EXPECT_BAD("summary", HDR("summary") "item now-kb\n", LS_ERR_MALFORMED,
		   "F:2: bad column name 'now-kb'");
	EXPECT_BAD("summary", HDR("summary") "item now_kb item\n",
		   LS_ERR_MALFORMED, "F:2: duplicate column 'item'");
	strcpy(text, HDR("control"));
	for (i = 0; i <= LS_MAX_COLUMNS; i++)
		sprintf(text + strlen(text), "c%d ", i);
	strcat(text, "\n");
	EXPECT_BAD("control", text, LS_ERR_MALFORMED, "F:2: too many columns");
}

TEST(field_count)
{
	EXPECT_BAD("summary", HDR("summary") SUM_COLS
		   "Shmem 1 2 3 4 steady procs\nSlab 1 2 3 4 steady\n",
		   LS_ERR_MALFORMED, "F:4: 6 fields, expected 7");
	EXPECT_BAD("summary", HDR("summary") SUM_COLS
		   "Shmem 1 2 3 4 steady procs extra\n",
		   LS_ERR_MALFORMED, "F:3: more than 7 fields, expected 7");
	EXPECT_BAD("summary", HDR("summary") SUM_COLS "Shmem 1 2 3 4 steady procs\n\n",
		   LS_ERR_MALFORMED, "F:4: empty line");
	EXPECT_BAD("summary", HDR("summary") SUM_COLS "   \n",
		   LS_ERR_MALFORMED, "F:3: empty line");
}

TEST(not_an_integer)
{
	static const char * const bad[] = { "abc", "12k", "1.5", "+5", "--1",
		"1-", "99999999999999999999", "0x10", "" };
	char text[512], want[128];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (!*bad[i])
			continue;
		snprintf(text, sizeof(text), HDR("summary") SUM_COLS
			 "Shmem 1 %s 3 4 steady procs\n", bad[i]);
		snprintf(want, sizeof(want),
			 "F:3: column growth_kb: '%s' is not an integer", bad[i]);
		EXPECT_BAD("summary", text, LS_ERR_MALFORMED, want);
	}
	/* text columns take anything */
	{
		struct ls_table t;
		struct ls_err e;

		ASSERT_EQ(0, parse(&t, "summary", HDR("summary") SUM_COLS
			  "12 -9223372036854775808 9223372036854775807 - 0 x 5\n", &e));
		ls_table_free(&t);
	}
}

TEST(no_trailing_newline)
{
	EXPECT_BAD("summary", HDR("summary") SUM_COLS "Shmem 1 2 3 4 steady procs",
		   LS_ERR_MALFORMED, "F:3: no newline at end of file (truncated?)");
	EXPECT_BAD("summary", "# leakscope summary v1", LS_ERR_MALFORMED,
		   "F:1: no newline at end of file (truncated?)");
}

TEST(crlf_and_control_chars)
{
	static const char text[] = HDR("summary") SUM_COLS "Shmem 1 2\0 3 4 steady procs\n";
	struct ls_table t;
	struct ls_err e;

	EXPECT_BAD("summary", "# leakscope summary v1\r\n" SUM_COLS,
		   LS_ERR_MALFORMED,
		   "F:1: carriage return in line (CRLF line endings?)");
	EXPECT_BAD("summary", HDR("summary") SUM_COLS "Shmem 1 2 3 4 steady\x1b[0m procs\n",
		   LS_ERR_MALFORMED, "F:3: control character 0x1b");
	EXPECT_BAD("summary", HDR("summary") SUM_COLS "Shmem 1 2 3 4 steady\x7f procs\n",
		   LS_ERR_MALFORMED, "F:3: control character 0x7f");
	EXPECT_EQ(-1, ls_table_parse_mem(&t, "summary", "F", text,
					 sizeof(text) - 1, &e));
	EXPECT_STREQ("F:3: control character 0x00", e.msg);
	ls_table_free(&t);
}

TEST(huge_file)
{
	size_t len = (size_t)LS_FILE_MAX + 1;
	char *buf = malloc(len);
	struct ls_table t;
	struct ls_err e;

	ASSERT_NE(NULL, buf);
	memset(buf, 'x', len);
	EXPECT_EQ(-1, ls_table_parse(&t, "summary", "F", buf, len, &e));
	EXPECT_EQ(LS_ERR_MALFORMED, e.kind);
	EXPECT_STREQ("F: larger than 16 MiB: refused", e.msg);
	ls_table_free(&t);
}

TEST(long_field_is_quoted_short)
{
	char text[4096], field[1001];
	struct ls_table t;
	struct ls_err e;

	memset(field, '9', 1000);
	field[1000] = '\0';
	field[0] = 'x';
	snprintf(text, sizeof(text), HDR("control") "setting value\nk %s\n", field);
	EXPECT_EQ(-1, parse(&t, "control", text, &e));
	EXPECT_EQ(NULL, strchr(e.msg, '\n'));
	EXPECT_LT(strlen(e.msg), 120);
	ls_table_free(&t);
}

TEST(field_int)
{
	long long v;

	EXPECT_TRUE(ls_field_int("0", &v));
	EXPECT_EQ(0, v);
	EXPECT_TRUE(ls_field_int("-42", &v));
	EXPECT_EQ(-42, v);
	EXPECT_TRUE(ls_field_int("9223372036854775807", &v));
	EXPECT_EQ(LLONG_MAX, v);
	EXPECT_TRUE(ls_field_int("-9223372036854775808", &v));
	EXPECT_EQ(LLONG_MIN, v);
	EXPECT_FALSE(ls_field_int("9223372036854775808", &v));
	EXPECT_FALSE(ls_field_int("-9223372036854775809", &v));
	EXPECT_FALSE(ls_field_int("", &v));
	EXPECT_FALSE(ls_field_int("-", &v));
	EXPECT_FALSE(ls_field_int(" 1", &v));
	EXPECT_TRUE(ls_field_is_null("-"));
	EXPECT_FALSE(ls_field_is_null("--"));
	EXPECT_FALSE(ls_field_is_null("-1"));
}

TEST(add_saturates)
{
	EXPECT_EQ(3, ls_add_sat(1, 2));
	EXPECT_EQ(-1, ls_add_sat(LLONG_MAX, LLONG_MIN));
	EXPECT_EQ(LLONG_MAX, ls_add_sat(LLONG_MAX, 1));
	EXPECT_EQ(LLONG_MIN, ls_add_sat(LLONG_MIN, LLONG_MIN));
	EXPECT_EQ(LLONG_MIN, ls_add_sat(-2, LLONG_MIN));
}

TEST(column_types)
{
	static const char * const num[] = { "now_kb", "growth_kb", "rate_kb_min",
		"persist_pct", "rank", "value", "window_ms", "pid" };
	static const char * const text[] = { "item", "verdict", "next", "kind",
		"subject", "evidence", "setting", "_kb" };
	size_t i;

	for (i = 0; i < sizeof(num) / sizeof(num[0]); i++)
		EXPECT_TRUE(ls_col_numeric(num[i]));
	for (i = 0; i < sizeof(text) / sizeof(text[0]); i++)
		EXPECT_FALSE(ls_col_numeric(text[i]));
	EXPECT_TRUE(ls_col_prose("evidence"));
	EXPECT_TRUE(ls_col_prose("next"));
	EXPECT_FALSE(ls_col_prose("subject"));
}

/* stacks: the last column, frames, takes the rest of its line. */
TEST(list_column_rest_of_line)
{
	struct ls_table t;
	struct ls_err e;

	ASSERT_EQ(0, parse(&t, "stacks", HDR("stacks") "stack frames\n"
			   "17 a+0x1/0x2 b+0x3/0x4[mod]\tc+0x5/0x6  \n"
			   "  18\t\tonly+0x1/0x2\n", &e));
	EXPECT_EQ(2, t.nrows);
	EXPECT_TRUE(ls_col_list("frames"));
	EXPECT_FALSE(ls_col_list("site"));
	EXPECT_STREQ("17", ls_table_cell(&t, 0, 0));
	EXPECT_STREQ("a+0x1/0x2 b+0x3/0x4[mod] c+0x5/0x6", ls_table_cell(&t, 0, 1));
	EXPECT_STREQ("only+0x1/0x2", ls_table_cell(&t, 1, 1));
	ls_table_free(&t);
}

TEST(list_column_empty)
{
	EXPECT_BAD("stacks", HDR("stacks") "stack frames\n17 \t \n",
		   LS_ERR_MALFORMED, "F:3: 1 fields, expected 2");
	EXPECT_BAD("stacks", HDR("stacks") "stack frames\nx17 a\n",
		   LS_ERR_MALFORMED, "F:3: column stack: 'x17' is not an integer");
}

/* A list column that is not the last is an ordinary one: one field. */
TEST(list_column_not_last)
{
	EXPECT_BAD("stacks", HDR("stacks") "frames stack\na b 17\n",
		   LS_ERR_MALFORMED, "F:3: more than 2 fields, expected 2");
}

TEST(spec_callsites)
{
	struct ls_table t;
	struct ls_err e = { 0 };
	size_t len;
	char *buf = slurp("callsites", &len);

	ASSERT_NE(NULL, buf);
	ASSERT_EQ(0, ls_table_parse(&t, "callsites", "callsites", buf, len, &e));
	EXPECT_EQ(6, t.nrows);
	EXPECT_EQ(12, t.ncols);
	EXPECT_STREQ("all", ls_table_meta(&t, "track"));
	EXPECT_STREQ("97/4096", ls_table_meta(&t, "stacks"));
	EXPECT_TRUE(ls_col_numeric("objects"));
	EXPECT_TRUE(ls_col_numeric("stack"));
	EXPECT_TRUE(ls_col_numeric("oldest_s"));
	EXPECT_FALSE(ls_col_numeric("site"));
	EXPECT_STREQ("ls_leaky_strdup_leak+0x2a/0x90[ls_leaky]",
		     ls_table_cell(&t, 0, ls_table_col(&t, "site")));
	ls_table_free(&t);
}

TEST_HARNESS_MAIN
