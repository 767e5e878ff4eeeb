// SPDX-License-Identifier: GPL-2.0
/* Host tests: table alignment and JSON output of the reader. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"

#include "json.h"
#include "render.h"

static const char suspects[] =
	"# leakscope suspects v1 interval_ms=1000 samples=64 held=31 window_ms=30000 caps_hit=slab disabled=vmalloc_used:symbol\n"
	"rank kind subject growth_kb rate_kb_min persist_pct evidence next\n"
	"1 shmem-growth meminfo:Shmem 20480 40960 96 Shmem_+20480_kB procs\n"
	"12   anon-growth pid:42 -4 - 9 x_y tmpfs:df_-t_tmpfs\n";

static char *jstr(const char *s, bool prose)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	ls_json_string(f, s, prose);
	fclose(f);
	return out;
}

TEST(table_golden)
{
	char *out = render("suspects", suspects, false, "none", NULL, 0);

	ASSERT_NE(NULL, out);
	EXPECT_STREQ(
		"suspects: 31/64 samples, window 30.0 s, every 1000 ms, caps hit: slab, disabled: vmalloc_used:symbol\n"
		"rank  kind          subject        growth_kb  rate_kb_min  persist_pct  evidence         next\n"
		"   1  shmem-growth  meminfo:Shmem      20480        40960           96  Shmem +20480 kB  procs\n"
		"  12  anon-growth   pid:42                -4            -            9  x y              tmpfs:df -t tmpfs\n",
		out);
	free(out);
}

/* Every line: same column starts, no trailing blanks. */
TEST(table_alignment_summary)
{
	FILE *f = fopen(DATA_DIR "/summary", "r");
	char text[8192], *out, *line, *save = NULL;
	size_t len, starts = 0, n = 0;

	ASSERT_NE(NULL, f);
	len = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[len] = '\0';
	out = render("summary", text, false, NULL, NULL, 0);
	ASSERT_NE(NULL, out);
	strtok_r(out, "\n", &save);	/* window line */
	for (line = strtok_r(NULL, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save), n++) {
		size_t l = strlen(line);

		EXPECT_NE(' ', line[l - 1]) TH_LOG("trailing blank: '%s'", line);
		/* "next" starts at the same offset on every line */
		if (!starts)
			starts = strstr(line, "next") - line;
		EXPECT_GE(l, starts);
		EXPECT_EQ(' ', line[starts - 1]);
		EXPECT_NE(' ', line[starts]);
	}
	EXPECT_EQ(16, n);
	free(out);
}

TEST(table_prose_and_empty)
{
	char *out = render("suspects", "# leakscope suspects v1 held=3\n"
			   "rank kind subject growth_kb rate_kb_min persist_pct evidence next\n",
			   false, "no suspects: nothing grew steadily over the window", NULL, 0);

	ASSERT_NE(NULL, out);
	EXPECT_STREQ("suspects: 3 samples\nno suspects: nothing grew steadily over the window\n",
		     out);
	free(out);
	out = render("control", "# leakscope control v1\nsetting value\n", false, NULL, NULL, 0);
	EXPECT_STREQ("control:\nsetting  value\n", out);
	free(out);
}

TEST(json_golden)
{
	char *out = render("suspects", suspects, true, NULL, NULL, 0);

	ASSERT_NE(NULL, out);
	EXPECT_STREQ("{\"schema_version\":1,\"file\":\"suspects\",\"format_version\":1,"
		"\"meta\":{\"interval_ms\":1000,\"samples\":64,\"held\":31,\"window_ms\":30000,"
		"\"caps_hit\":[\"slab\"],\"disabled\":[\"vmalloc_used:symbol\"]},"
		"\"columns\":[\"rank\",\"kind\",\"subject\",\"growth_kb\",\"rate_kb_min\",\"persist_pct\",\"evidence\",\"next\"],"
		"\"rows\":[{\"rank\":1,\"kind\":\"shmem-growth\",\"subject\":\"meminfo:Shmem\",\"growth_kb\":20480,"
		"\"rate_kb_min\":40960,\"persist_pct\":96,\"evidence\":\"Shmem +20480 kB\",\"next\":\"procs\"},"
		"{\"rank\":12,\"kind\":\"anon-growth\",\"subject\":\"pid:42\",\"growth_kb\":-4,"
		"\"rate_kb_min\":null,\"persist_pct\":9,\"evidence\":\"x y\",\"next\":\"tmpfs:df -t tmpfs\"}]}\n",
		out);
	free(out);
}

TEST(json_meta_types)
{
	char *out = render("control",
			   "# leakscope control v1 caps_hit=- disabled=a:b,,c held=- mode=fast n=-3\n"
			   "setting value\nsamples -\n", true, NULL, NULL, 0);

	ASSERT_NE(NULL, out);
	EXPECT_STREQ("{\"schema_version\":1,\"file\":\"control\",\"format_version\":1,"
		"\"meta\":{\"caps_hit\":[],\"disabled\":[\"a:b\",\"c\"],\"held\":null,"
		"\"mode\":\"fast\",\"n\":-3},\"columns\":[\"setting\",\"value\"],"
		"\"rows\":[{\"setting\":\"samples\",\"value\":null}]}\n", out);
	free(out);
}

TEST(json_no_rows)
{
	char *out = render("control", "# leakscope control v1\nsetting value\n", true, NULL, NULL, 0);

	EXPECT_STREQ("{\"schema_version\":1,\"file\":\"control\",\"format_version\":1,"
		     "\"meta\":{},\"columns\":[\"setting\",\"value\"],\"rows\":[]}\n", out);
	free(out);
}

#define EXPECT_JSTR(want, in, prose) do {	\
	char *_s = jstr(in, prose);		\
	EXPECT_STREQ(want, _s);			\
	free(_s);				\
} while (0)

TEST(json_escaping)
{
	EXPECT_JSTR("\"plain\"", "plain", false);
	EXPECT_JSTR("\"\"", "", false);
	EXPECT_JSTR("\"a\\\"b\\\\c/d\"", "a\"b\\c/d", false);
	EXPECT_JSTR("\"\\u0001\\u001f\\n\\t\\r\\u007f\\u0008\\u000c\"",
		    "\x01\x1f\n\t\r\x7f\b\f", false);
	EXPECT_JSTR("\"a_b\"", "a_b", false);
	EXPECT_JSTR("\"a b \"", "a_b_", true);
	/* "__" is a '_' of the text's own: module ls_leaky */
	EXPECT_JSTR("\"by ls_leaky now\"", "by_ls__leaky_now", true);
	EXPECT_JSTR("\"__x\"", "____x", true);
	/* valid UTF-8 passes through */
	EXPECT_JSTR("\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"",
		    "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", false);
	/* invalid bytes become Latin-1 code points */
	EXPECT_JSTR("\"\\u00ff\\u00c3x\"", "\xff\xc3x", false);
	EXPECT_JSTR("\"\\u00c0\\u0080\"", "\xc0\x80", false);		/* overlong */
	EXPECT_JSTR("\"\\u00ed\\u00a0\\u0080\"", "\xed\xa0\x80", false);/* surrogate */
	EXPECT_JSTR("\"\\u00f4\\u0090\\u0080\\u0080\"", "\xf4\x90\x80\x80", false);
	EXPECT_JSTR("\"\\u00e2\\u0082\"", "\xe2\x82", false);		/* cut short */
}

TEST_HARNESS_MAIN
