// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite leakscope_control: module/control.c, the parser of writes to
 * the debugfs control file and of module parameter values.
 */
#include <kunit/test.h>

#include "control.h"

static int parse(struct ls_control_cmd *cmd, const char *s)
{
	return ls_control_parse(s, strlen(s), cmd);
}

static bool all_false(const struct ls_control_cmd *cmd)
{
	static const struct ls_control_cmd zero;

	return !memcmp(cmd, &zero, sizeof(*cmd));
}

/* A refused write leaves *cmd all-false, whatever it held before. */
static void refused(struct kunit *test, const char *s)
{
	struct ls_control_cmd cmd;

	memset(&cmd, 0xa5, sizeof(cmd));
	KUNIT_EXPECT_EQ_MSG(test, -EINVAL, parse(&cmd, s), "accepted \"%s\"", s);
	KUNIT_EXPECT_TRUE_MSG(test, all_false(&cmd), "dirty after \"%s\"", s);
}

static void valid_tokens(struct kunit *test)
{
	struct ls_control_cmd cmd;

	KUNIT_ASSERT_EQ(test, 0, parse(&cmd, "reset\n"));
	KUNIT_EXPECT_TRUE(test, cmd.reset);
	KUNIT_EXPECT_FALSE(test, cmd.sample);
	KUNIT_EXPECT_FALSE(test, cmd.set_interval);

	KUNIT_ASSERT_EQ(test, 0, parse(&cmd, "  \t sample\x20\n\n"));
	KUNIT_EXPECT_TRUE(test, cmd.sample);

	KUNIT_ASSERT_EQ(test, 0, parse(&cmd, "interval_ms=250 samples=128 reset sample\n"));
	KUNIT_EXPECT_TRUE(test, cmd.set_interval);
	KUNIT_EXPECT_EQ(test, 250U, cmd.interval_ms);
	KUNIT_EXPECT_TRUE(test, cmd.set_samples);
	KUNIT_EXPECT_EQ(test, 128U, cmd.samples);
	KUNIT_EXPECT_TRUE(test, cmd.reset);
	KUNIT_EXPECT_TRUE(test, cmd.sample);
}

static void valid_range_edges(struct kunit *test)
{
	struct ls_control_cmd cmd;

	KUNIT_ASSERT_EQ(test, 0, parse(&cmd, "interval_ms=100"));
	KUNIT_EXPECT_EQ(test, 100U, cmd.interval_ms);
	KUNIT_ASSERT_EQ(test, 0, parse(&cmd, "interval_ms=3600000"));
	KUNIT_EXPECT_EQ(test, 3600000U, cmd.interval_ms);
	KUNIT_ASSERT_EQ(test, 0, parse(&cmd, "samples=8"));
	KUNIT_EXPECT_EQ(test, 8U, cmd.samples);
	KUNIT_ASSERT_EQ(test, 0, parse(&cmd, "samples=1024"));
	KUNIT_EXPECT_EQ(test, 1024U, cmd.samples);
	KUNIT_ASSERT_EQ(test, 0, parse(&cmd, "samples=0000001024"));
	KUNIT_EXPECT_EQ(test, 1024U, cmd.samples);
}

static void valid_pid(struct kunit *test)
{
	struct ls_control_cmd cmd;

	KUNIT_ASSERT_EQ(test, 0, parse(&cmd, "pid=1234\n"));
	KUNIT_EXPECT_TRUE(test, cmd.set_pid);
	KUNIT_EXPECT_EQ(test, 1234U, cmd.pid);
	KUNIT_EXPECT_FALSE(test, cmd.set_interval);
	KUNIT_ASSERT_EQ(test, 0, parse(&cmd, "pid=0 reset"));
	KUNIT_EXPECT_TRUE(test, cmd.set_pid);
	KUNIT_EXPECT_EQ(test, 0U, cmd.pid);
	KUNIT_EXPECT_TRUE(test, cmd.reset);
	KUNIT_ASSERT_EQ(test, 0, parse(&cmd, "pid=4194304"));
	KUNIT_EXPECT_EQ(test, 4194304U, cmd.pid);
}

static void valid_not_nul_terminated(struct kunit *test)
{
	static const char raw[] = { 's', 'a', 'm', 'p', 'l', 'e', 'X', 'Y' };
	struct ls_control_cmd cmd;

	KUNIT_EXPECT_EQ(test, 0, ls_control_parse(raw, 6, &cmd));
	KUNIT_EXPECT_TRUE(test, cmd.sample);
	KUNIT_EXPECT_EQ(test, -EINVAL, ls_control_parse(raw, 7, &cmd));
	KUNIT_EXPECT_EQ(test, 0, ls_control_parse("samples=16garbage", 10, &cmd));
	KUNIT_EXPECT_EQ(test, 16U, cmd.samples);
}

static void invalid_writes(struct kunit *test)
{
	static const char * const bad[] = {
		"", " ", "\n", "reset\r\n", "reset\x7f", "\xffreset",
		"resets", "RESET", "reset,sample", "interval=500",
		"interval_ms", "=500", "interval_ms =500", "interval_ms= 500",
		"interval_ms==500", "reset=1", "sample=", "reset bogus",
		"interval_ms=", "samples=\n",
		"interval_ms=500 interval_ms=500", "reset reset",
		"interval_ms=99", "interval_ms=3600001", "interval_ms=4294967396",
		"samples=7", "samples=1025", "samples=4294967304",
		"samples=00000000016", "samples=+16", "samples=-16",
		"samples=0x10", "samples=16k", "interval_ms=1_000",
	};
	u32 i;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		refused(test, bad[i]);
}

static void invalid_pid(struct kunit *test)
{
	refused(test, "pid");
	refused(test, "pid=");
	refused(test, "PID=1");
	refused(test, "pid=-1");
	refused(test, "pid=4194305");
	refused(test, "pid=1 pid=2");
	refused(test, "pid=12ab");
	refused(test, "pid=1 samples=7");
}

static void invalid_too_long(struct kunit *test)
{
	struct ls_control_cmd cmd;
	char *buf;

	buf = kunit_kmalloc(test, LS_CONTROL_MAX_LEN + 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	memset(buf, ' ', LS_CONTROL_MAX_LEN + 1);
	memcpy(buf, "reset", 5);
	KUNIT_EXPECT_EQ(test, 0, ls_control_parse(buf, LS_CONTROL_MAX_LEN, &cmd));
	KUNIT_EXPECT_TRUE(test, cmd.reset);
	memset(&cmd, 0xa5, sizeof(cmd));
	KUNIT_EXPECT_EQ(test, -EINVAL, ls_control_parse(buf, LS_CONTROL_MAX_LEN + 1, &cmd));
	KUNIT_EXPECT_TRUE(test, all_false(&cmd));
	/* A huge length never reads the bytes. */
	KUNIT_EXPECT_EQ(test, -EINVAL, ls_control_parse("reset", (size_t)-1, &cmd));
}

/* Random writes, each in a buffer of exactly its length (KASAN). */
static void random_bytes_never_crash(struct kunit *test)
{
	struct ls_control_cmd cmd;
	u32 state = 0x12345678, round, i;
	size_t len;
	char *buf;
	int ret;

	for (round = 0; round < 2000; round++) {
		state = state * 1103515245 + 12345;
		len = (state >> 8) % 300;
		buf = kmalloc(len ? len : 1, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, buf);
		for (i = 0; i < len; i++) {
			state = state * 1103515245 + 12345;
			buf[i] = round % 2 ? (char)(state >> 16) :
				 "resampl_intvm=0123456789 \t\n"[(state >> 16) % 27];
		}
		memset(&cmd, 0xa5, sizeof(cmd));
		ret = ls_control_parse(buf, len, &cmd);
		kfree(buf);
		KUNIT_ASSERT_TRUE(test, ret == 0 || ret == -EINVAL);
		if (ret)
			KUNIT_ASSERT_TRUE(test, all_false(&cmd));
	}
}

static void params(struct kunit *test)
{
	u32 v = 7;

	KUNIT_EXPECT_EQ(test, 0, ls_parse_interval_ms("500\n", &v));
	KUNIT_EXPECT_EQ(test, 500U, v);
	KUNIT_EXPECT_EQ(test, 0, ls_parse_samples("32", &v));
	KUNIT_EXPECT_EQ(test, 32U, v);
	KUNIT_EXPECT_EQ(test, -EINVAL, ls_parse_samples("7", &v));
	KUNIT_EXPECT_EQ(test, -EINVAL, ls_parse_interval_ms("", &v));
	KUNIT_EXPECT_EQ(test, 32U, v);
	KUNIT_EXPECT_EQ(test, 0, ls_parse_pid("42\n", &v));
	KUNIT_EXPECT_EQ(test, 42U, v);
	KUNIT_EXPECT_EQ(test, -EINVAL, ls_parse_pid("4194305", &v));
	KUNIT_EXPECT_EQ(test, -EINVAL, ls_parse_pid("-1", &v));
	KUNIT_EXPECT_EQ(test, 42U, v);
}

static struct kunit_case control_cases[] = {
	KUNIT_CASE(valid_tokens),
	KUNIT_CASE(valid_range_edges),
	KUNIT_CASE(valid_pid),
	KUNIT_CASE(valid_not_nul_terminated),
	KUNIT_CASE(invalid_writes),
	KUNIT_CASE(invalid_pid),
	KUNIT_CASE(invalid_too_long),
	KUNIT_CASE(random_bytes_never_crash),
	KUNIT_CASE(params),
	{}
};

static struct kunit_suite control_suite = {
	.name = "leakscope_control",
	.test_cases = control_cases,
};

kunit_test_suite(control_suite);
