// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests: Prometheus label escaping (backslash, double quote, newline,
 * stray bytes), the names --prometheus accepts and leakscope_up.  The whole exposition is
 * checked end to end by test_cli_prom.sh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"

#include "prom.h"

static char *label(const char *s)
{
	static char out[256];
	FILE *f = fmemopen(out, sizeof(out), "w");

	ls_prom_label(f, s);
	fclose(f);
	return out;
}

TEST(label_plain)
{
	EXPECT_STREQ("\"meminfo:Shmem\"", label("meminfo:Shmem"));
	EXPECT_STREQ("\"\"", label(""));
}

TEST(label_escapes)
{
	EXPECT_STREQ("\"a\\\\b\"", label("a\\b"));
	EXPECT_STREQ("\"a\\\"b\"", label("a\"b"));
	EXPECT_STREQ("\"a\\nb\"", label("a\nb"));
	EXPECT_STREQ("\"\\\\\\\"\\n\"", label("\\\"\n"));
	/* a tab and other characters are kept as they are */
	EXPECT_STREQ("\"a\tb{}=,\"", label("a\tb{}=,"));
}

TEST(label_utf8)
{
	EXPECT_STREQ("\"caf\xc3\xa9\"", label("caf\xc3\xa9"));
	/* a stray byte becomes U+FFFD: label values must be UTF-8 */
	EXPECT_STREQ("\"a\xef\xbf\xbd\x62\"", label("a\xff\x62"));
	EXPECT_STREQ("\"\xef\xbf\xbd\"", label("\xc3"));
}

TEST(set_names)
{
	EXPECT_EQ(LS_PROM_ALL, ls_prom_set("all"));
	EXPECT_EQ(LS_PROM_SUMMARY, ls_prom_set("summary"));
	EXPECT_EQ(LS_PROM_SUSPECTS, ls_prom_set("suspects"));
	EXPECT_EQ(LS_PROM_PROCS, ls_prom_set("procs"));
	EXPECT_EQ(LS_PROM_VMALLOC, ls_prom_set("vmalloc"));
	EXPECT_EQ(LS_PROM_SLAB, ls_prom_set("slab"));
	EXPECT_EQ(LS_PROM_CALLSITES, ls_prom_set("callsites"));
	EXPECT_EQ(0, ls_prom_set("stacks"));
	EXPECT_EQ(0, ls_prom_set("regions"));
	EXPECT_EQ(0, ls_prom_set("control"));
	EXPECT_EQ(0, ls_prom_set(""));
}

TEST(cgroup_below)
{
	EXPECT_TRUE(ls_cgroup_below("/a/b", "/a"));
	EXPECT_TRUE(ls_cgroup_below("/a", "/a"));
	EXPECT_TRUE(ls_cgroup_below("/a/b", "/a/"));
	EXPECT_TRUE(ls_cgroup_below("/a", "/"));
	EXPECT_TRUE(ls_cgroup_below("/", "/"));
	EXPECT_TRUE(ls_cgroup_below("irq", "irq"));
	EXPECT_FALSE(ls_cgroup_below("/ab", "/a"));
	EXPECT_FALSE(ls_cgroup_below("/a", "/a/b"));
	EXPECT_FALSE(ls_cgroup_below("irq", "/"));
	EXPECT_FALSE(ls_cgroup_below("-", "/"));
	EXPECT_FALSE(ls_cgroup_below("irqs", "irq"));
}

static char *up(bool is_up)
{
	static char out[512];
	FILE *f = fmemopen(out, sizeof(out), "w");

	ls_prom_print_up(f, is_up);
	fclose(f);
	return out;
}

TEST(up_family)
{
	static const char head[] =
		"# HELP leakscope_up 1 when the reader read the module's files, "
		"0 when it could not (export --textfile says why on stderr).\n"
		"# TYPE leakscope_up gauge\n";
	char want[512];

	snprintf(want, sizeof(want), "%sleakscope_up 1\n", head);
	EXPECT_STREQ(want, up(true));
	snprintf(want, sizeof(want), "%sleakscope_up 0\n", head);
	EXPECT_STREQ(want, up(false));
}

/* Nothing read, nothing printed: not even leakscope_up 1. */
TEST(up_only_when_read)
{
	char out[256] = "";
	struct ls_err e = { 0 };
	FILE *f = fmemopen(out, sizeof(out), "w");

	EXPECT_EQ(-1, ls_prom_print(f, "/nonexistent/leakscope", false,
				    LS_PROM_ALL, &e));
	fclose(f);
	EXPECT_STREQ("", out);
	EXPECT_NE(LS_ERR_NONE, e.kind);
}

TEST_HARNESS_MAIN
