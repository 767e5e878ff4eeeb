// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of module/control.c: control writes and parameter values.
 */
#include "kselftest_harness.h"

#include "control.h"

static struct ls_control_cmd cmd;

/* Parse a C string (without its NUL) the way a write() would hand it over. */
static int parse(const char *s)
{
	return ls_control_parse(s, strlen(s), &cmd);
}

/* Fill *cmd with junk, so a refusal has to clear it. */
static void dirty(void)
{
	memset(&cmd, 0xa5, sizeof(cmd));
}

static bool all_false(void)
{
	static const struct ls_control_cmd zero;

	return !cmd.set_interval && !cmd.set_samples && !cmd.reset &&
	       !cmd.sample && !memcmp(&cmd, &zero, sizeof(cmd));
}

#define REFUSED(s) do {						\
	const char *_w = (s);						\
									\
	dirty();							\
	EXPECT_EQ(-EINVAL, parse(_w)) TH_LOG("accepted \"%s\"", _w);	\
	EXPECT_TRUE(all_false()) TH_LOG("dirty after \"%s\"", _w);	\
} while (0)

TEST(valid_single_tokens)
{
	dirty();
	ASSERT_EQ(0, parse("reset"));
	ASSERT_TRUE(cmd.reset);
	ASSERT_FALSE(cmd.sample);
	ASSERT_FALSE(cmd.set_interval);
	ASSERT_FALSE(cmd.set_samples);

	dirty();
	ASSERT_EQ(0, parse("sample"));
	ASSERT_TRUE(cmd.sample);
	ASSERT_FALSE(cmd.reset);

	dirty();
	ASSERT_EQ(0, parse("interval_ms=500"));
	ASSERT_TRUE(cmd.set_interval);
	ASSERT_EQ(500U, cmd.interval_ms);
	ASSERT_FALSE(cmd.set_samples);
	ASSERT_FALSE(cmd.reset);
	ASSERT_FALSE(cmd.sample);

	dirty();
	ASSERT_EQ(0, parse("samples=32"));
	ASSERT_TRUE(cmd.set_samples);
	ASSERT_EQ(32U, cmd.samples);
	ASSERT_FALSE(cmd.set_interval);
}

TEST(valid_echo_newline_and_whitespace)
{
	ASSERT_EQ(0, parse("reset\n"));
	ASSERT_TRUE(cmd.reset);
	ASSERT_EQ(0, parse("  \t sample\x20\n\n"));
	ASSERT_TRUE(cmd.sample);
	ASSERT_EQ(0, parse("interval_ms=1000\n"));
	ASSERT_EQ(1000U, cmd.interval_ms);
	ASSERT_EQ(0, parse("\tsamples=8\t"));
	ASSERT_EQ(8U, cmd.samples);
}

TEST(valid_combinations)
{
	ASSERT_EQ(0, parse("interval_ms=250 samples=128 reset sample\n"));
	ASSERT_TRUE(cmd.set_interval);
	ASSERT_EQ(250U, cmd.interval_ms);
	ASSERT_TRUE(cmd.set_samples);
	ASSERT_EQ(128U, cmd.samples);
	ASSERT_TRUE(cmd.reset);
	ASSERT_TRUE(cmd.sample);

	ASSERT_EQ(0, parse("sample\treset"));
	ASSERT_TRUE(cmd.sample);
	ASSERT_TRUE(cmd.reset);
	ASSERT_FALSE(cmd.set_interval);

	ASSERT_EQ(0, parse("samples=64\ninterval_ms=100"));
	ASSERT_EQ(64U, cmd.samples);
	ASSERT_EQ(100U, cmd.interval_ms);
}

TEST(valid_pid)
{
	ASSERT_EQ(0, parse("pid=1234\n"));
	ASSERT_TRUE(cmd.set_pid);
	ASSERT_EQ(1234U, cmd.pid);
	ASSERT_FALSE(cmd.set_interval);
	ASSERT_EQ(0, parse("pid=0 reset"));
	ASSERT_TRUE(cmd.set_pid);
	ASSERT_EQ(0U, cmd.pid);
	ASSERT_TRUE(cmd.reset);
	ASSERT_EQ(0, parse("pid=4194304"));
	ASSERT_EQ(4194304U, cmd.pid);
}

TEST(param_pid)
{
	u32 v = 7;

	ASSERT_EQ(0, ls_parse_pid("42\n", &v));
	ASSERT_EQ(42U, v);
	ASSERT_EQ(0, ls_parse_pid("0", &v));
	ASSERT_EQ(0U, v);
	ASSERT_EQ(-EINVAL, ls_parse_pid("4194305", &v));
	ASSERT_EQ(-EINVAL, ls_parse_pid("-1", &v));
	ASSERT_EQ(0U, v);
}

TEST(valid_track)
{
	static const char *const words[] = { "off", "auto", "all" };
	char buf[32];
	u32 i;

	for (i = 0; i < 3; i++) {
		snprintf(buf, sizeof(buf), "track=%s\n", words[i]);
		ASSERT_EQ(0, parse(buf));
		ASSERT_TRUE(cmd.set_track);
		ASSERT_EQ(i, cmd.track);
		ASSERT_FALSE(cmd.set_track_mean);
		ASSERT_STREQ(words[i], ls_track_word(i));
	}
	ASSERT_EQ(0, parse("track_mean_kb=64 track=all sample"));
	ASSERT_TRUE(cmd.set_track_mean);
	ASSERT_EQ(64U, cmd.track_mean_kb);
	ASSERT_EQ((u32)LS_TRACK_SET_ALL, cmd.track);
	ASSERT_TRUE(cmd.sample);
	ASSERT_EQ(-EINVAL, parse("track_mean_kb=1 track_mean_kb0=1"));
	ASSERT_STREQ("?", ls_track_word(3));
}

TEST(invalid_track)
{
	REFUSED("track=");
	REFUSED("track=on");
	REFUSED("track=ALL");
	REFUSED("track=all track=off");
	REFUSED("track=al");
	REFUSED("track=alll");
	REFUSED("track=1");
	REFUSED("track");
	REFUSED("tracks=all");
	REFUSED("track_mean_kb=0");
	REFUSED("track_mean_kb=1048577");
	REFUSED("track_mean_kb=");
	REFUSED("track_mean_kb=64 track_mean_kb=64");
	REFUSED("track=all interval_ms=1");
}

TEST(param_track)
{
	u32 v = 7;

	ASSERT_EQ(0, ls_parse_track("all\n", &v));
	ASSERT_EQ((u32)LS_TRACK_SET_ALL, v);
	ASSERT_EQ(0, ls_parse_track("off", &v));
	ASSERT_EQ((u32)LS_TRACK_SET_OFF, v);
	ASSERT_EQ(0, ls_parse_track("auto", &v));
	ASSERT_EQ((u32)LS_TRACK_SET_AUTO, v);
	ASSERT_EQ(-EINVAL, ls_parse_track("auto\n\n", &v));
	ASSERT_EQ(-EINVAL, ls_parse_track(" all", &v));
	ASSERT_EQ(-EINVAL, ls_parse_track("", &v));
	ASSERT_EQ(-EINVAL, ls_parse_track("allx", &v));
	ASSERT_EQ(-EINVAL, ls_parse_track(NULL, &v));
	ASSERT_EQ((u32)LS_TRACK_SET_AUTO, v);
	ASSERT_EQ(0, ls_parse_track_mean_kb("512\n", &v));
	ASSERT_EQ(512U, v);
	ASSERT_EQ(-EINVAL, ls_parse_track_mean_kb("0", &v));
	ASSERT_EQ(-EINVAL, ls_parse_track_mean_kb("1048577", &v));
	ASSERT_EQ(512U, v);
}

TEST(valid_range_edges)
{
	ASSERT_EQ(0, parse("interval_ms=100"));
	ASSERT_EQ(100U, cmd.interval_ms);
	ASSERT_EQ(0, parse("interval_ms=3600000"));
	ASSERT_EQ(3600000U, cmd.interval_ms);
	ASSERT_EQ(0, parse("samples=8"));
	ASSERT_EQ(8U, cmd.samples);
	ASSERT_EQ(0, parse("samples=1024"));
	ASSERT_EQ(1024U, cmd.samples);
	/* Leading zeros are fine while the value is in range and <= 10 digits. */
	ASSERT_EQ(0, parse("samples=0016"));
	ASSERT_EQ(16U, cmd.samples);
	ASSERT_EQ(0, parse("interval_ms=0000000500"));
	ASSERT_EQ(500U, cmd.interval_ms);
	ASSERT_EQ(0, parse("samples=0000001024"));
	ASSERT_EQ(1024U, cmd.samples);
}

TEST(valid_not_nul_terminated)
{
	/* The parser must respect len and never look for a NUL. */
	const char raw[] = { 's', 'a', 'm', 'p', 'l', 'e', 'X', 'Y' };

	ASSERT_EQ(0, ls_control_parse(raw, 6, &cmd));
	ASSERT_TRUE(cmd.sample);
	ASSERT_EQ(-EINVAL, ls_control_parse(raw, 7, &cmd));
	ASSERT_EQ(0, ls_control_parse("samples=16garbage", 10, &cmd));
	ASSERT_EQ(16U, cmd.samples);
}

TEST(valid_max_length)
{
	char buf[LS_CONTROL_MAX_LEN + 2];

	/* 256 bytes: the token, then spaces. */
	memset(buf, ' ', sizeof(buf));
	memcpy(buf, "reset", 5);
	ASSERT_EQ(0, ls_control_parse(buf, LS_CONTROL_MAX_LEN, &cmd));
	ASSERT_TRUE(cmd.reset);
	/* 257 bytes: refused, however harmless. */
	dirty();
	ASSERT_EQ(-EINVAL, ls_control_parse(buf, LS_CONTROL_MAX_LEN + 1, &cmd));
	ASSERT_TRUE(all_false());
}

TEST(invalid_empty)
{
	dirty();
	ASSERT_EQ(-EINVAL, ls_control_parse("", 0, &cmd));
	ASSERT_TRUE(all_false());
	dirty();
	ASSERT_EQ(-EINVAL, ls_control_parse(NULL, 0, &cmd));
	ASSERT_TRUE(all_false());
	dirty();
	ASSERT_EQ(-EINVAL, ls_control_parse(NULL, 5, &cmd));
	ASSERT_TRUE(all_false());
	REFUSED(" ");
	REFUSED("\n");
	REFUSED(" \t\n\x20\n\t ");
}

TEST(invalid_bytes)
{
	/* NUL inside, even after a valid token. */
	dirty();
	ASSERT_EQ(-EINVAL, ls_control_parse("reset\0", 6, &cmd));
	ASSERT_TRUE(all_false());
	dirty();
	ASSERT_EQ(-EINVAL, ls_control_parse("res\0et", 6, &cmd));
	ASSERT_TRUE(all_false());
	dirty();
	ASSERT_EQ(-EINVAL, ls_control_parse("\0", 1, &cmd));
	ASSERT_TRUE(all_false());
	REFUSED("reset\r\n");
	REFUSED("reset\x7f");
	REFUSED("reset\x01");
	REFUSED("sample\x1b[0m");
	REFUSED("reset\v");
	REFUSED("reset\f");
	REFUSED("samples=16\xc2\xa0");
	REFUSED("\xffreset");
}

TEST(invalid_tokens)
{
	REFUSED("resets");
	REFUSED("rese");
	REFUSED("RESET");
	REFUSED("Sample");
	REFUSED("reset,sample");
	REFUSED("reset;");
	REFUSED("PID=1");
	REFUSED("pid");
	REFUSED("pid=-1");
	REFUSED("pid=4194305");
	REFUSED("pid=1 pid=2");
	REFUSED("interval=500");
	REFUSED("interval_ms");
	REFUSED("samples");
	REFUSED("=500");
	REFUSED("=");
	REFUSED("interval_ms:500");
	REFUSED("interval_ms =500");
	REFUSED("interval_ms= 500");
	REFUSED("interval_ms==500");
	REFUSED("samples=16=16");
	REFUSED("reset=1");
	REFUSED("sample=");
	/* One bad token spoils the good ones. */
	REFUSED("reset bogus");
	REFUSED("interval_ms=500 samples=7");
	REFUSED("sample samples=2000 interval_ms=500");
}

TEST(invalid_empty_value)
{
	REFUSED("interval_ms=");
	REFUSED("samples=");
	REFUSED("samples=\n");
	REFUSED("interval_ms= reset");
}

TEST(invalid_duplicates)
{
	REFUSED("interval_ms=500 interval_ms=500");
	REFUSED("interval_ms=500 interval_ms=600");
	REFUSED("samples=16 samples=32");
	REFUSED("reset reset");
	REFUSED("sample sample");
	REFUSED("sample reset sample");
	/* A duplicate whose first copy was itself bad. */
	REFUSED("samples=1 samples=16");
}

TEST(invalid_range)
{
	REFUSED("interval_ms=0");
	REFUSED("interval_ms=99");
	REFUSED("interval_ms=3600001");
	REFUSED("interval_ms=4294967295");
	REFUSED("interval_ms=4294967296");
	REFUSED("interval_ms=9999999999");
	REFUSED("samples=0");
	REFUSED("samples=7");
	REFUSED("samples=1025");
	REFUSED("samples=4294967304");	/* 2^32 + 8: would wrap to 8 in a u32 */
	REFUSED("interval_ms=4294967396");	/* 2^32 + 100 */
}

TEST(invalid_number_forms)
{
	REFUSED("samples=00000000016");		/* 11 digits, value fine */
	REFUSED("interval_ms=00000001000");
	REFUSED("interval_ms=99999999999");
	REFUSED("samples=+16");
	REFUSED("samples=-16");
	REFUSED("samples=0x10");
	REFUSED("samples=0X10");
	REFUSED("samples=1e2");
	REFUSED("samples=16.0");
	REFUSED("samples=16k");
	REFUSED("samples=16abc");
	REFUSED("samples=a16");
	REFUSED("interval_ms=1_000");
	REFUSED("interval_ms=1,000");
}

TEST(invalid_too_long)
{
	char buf[600];
	size_t i;

	/* 257+ bytes of otherwise valid tokens. */
	buf[0] = '\0';
	for (i = 0; strlen(buf) <= LS_CONTROL_MAX_LEN; i++)
		strcat(buf, i ? " sample" : "sample");
	dirty();
	ASSERT_EQ(-EINVAL, parse(buf));
	ASSERT_TRUE(all_false());
	dirty();
	ASSERT_EQ(-EINVAL, ls_control_parse(buf, sizeof(buf), &cmd));
	ASSERT_TRUE(all_false());
	/* A huge length never reads the bytes. */
	ASSERT_EQ(-EINVAL, ls_control_parse("reset", (size_t)-1, &cmd));
}

TEST(random_bytes_never_crash)
{
	/*
	 * 100000 deterministic pseudo-random writes; a third are drawn from
	 * the grammar's own alphabet so many get deep into the token parser.
	 * Each buffer is exactly as long as the write, so ASan catches any
	 * read past len.
	 */
	static const char alpha[] = "resampl_intvm=0123456789 \t\n\0x+-";
	static const char * const words[] = {
		"reset", "sample", "interval_ms=", "samples=", " ", "\n",
		"100", "1024", "3600000", "8", "0", "=", "00000000001",
	};
	u32 state = 0x12345678, round, i, ok = 0;

	for (round = 0; round < 100000; round++) {
		size_t len, pos = 0;
		char tmp[320];
		char *buf;
		int ret;

		state = state * 1103515245 + 12345;
		len = (state >> 8) % 300;
		for (i = 0; i < len; i++) {
			state = state * 1103515245 + 12345;
			switch (round % 3) {
			case 0:
				tmp[i] = (char)(state >> 16);
				break;
			case 1:
				tmp[i] = alpha[(state >> 16) % (sizeof(alpha) - 1)];
				break;
			default:
				break;
			}
		}
		if (round % 3 == 2) {
			while (pos < 280) {
				const char *w;

				state = state * 1103515245 + 12345;
				if ((state >> 16) % 8 == 0)
					break;
				w = words[(state >> 16) % ARRAY_SIZE(words)];
				memcpy(tmp + pos, w, strlen(w));
				pos += strlen(w);
			}
			len = pos;
		}
		buf = malloc(len ? len : 1);
		ASSERT_NE(NULL, buf);
		memcpy(buf, tmp, len);
		dirty();
		ret = ls_control_parse(buf, len, &cmd);
		free(buf);
		ASSERT_TRUE(ret == 0 || ret == -EINVAL);
		if (ret) {
			ASSERT_TRUE(all_false());
		} else {
			ok++;
			ASSERT_TRUE(cmd.reset || cmd.sample || cmd.set_interval ||
				    cmd.set_samples);
			if (cmd.set_interval) {
				ASSERT_GE(cmd.interval_ms, (u32)LS_INTERVAL_MS_MIN);
				ASSERT_LE(cmd.interval_ms, (u32)LS_INTERVAL_MS_MAX);
			}
			if (cmd.set_samples) {
				ASSERT_GE(cmd.samples, (u32)LS_SAMPLES_MIN);
				ASSERT_LE(cmd.samples, (u32)LS_SAMPLES_MAX);
			}
		}
	}
	/* The generator must reach the accepting paths too. */
	TH_LOG("%u of 100000 accepted", ok);
	ASSERT_GT(ok, 100U);
}

/* Module parameters */

TEST(param_valid)
{
	u32 v = 0;

	ASSERT_EQ(0, ls_parse_interval_ms("500", &v));
	ASSERT_EQ(500U, v);
	ASSERT_EQ(0, ls_parse_interval_ms("500\n", &v));
	ASSERT_EQ(500U, v);
	ASSERT_EQ(0, ls_parse_interval_ms("100", &v));
	ASSERT_EQ(100U, v);
	ASSERT_EQ(0, ls_parse_interval_ms("3600000\n", &v));
	ASSERT_EQ(3600000U, v);
	ASSERT_EQ(0, ls_parse_interval_ms("0000000250\n", &v));
	ASSERT_EQ(250U, v);
	ASSERT_EQ(0, ls_parse_samples("32", &v));
	ASSERT_EQ(32U, v);
	ASSERT_EQ(0, ls_parse_samples("8\n", &v));
	ASSERT_EQ(8U, v);
	ASSERT_EQ(0, ls_parse_samples("1024", &v));
	ASSERT_EQ(1024U, v);
	ASSERT_EQ(0, ls_parse_samples("064", &v));
	ASSERT_EQ(64U, v);
}

TEST(param_invalid_leaves_value)
{
	static const char * const bad_interval[] = {
		"", "\n", " ", "99", "3600001", "0", "-500", "+500", "0x100",
		"500 ", " 500", "500\n\n", "\n500", "500\r\n", "500\t",
		"500ms", "5e2", "4294967796", "00000000500", "99999999999\n",
		"1000 reset", "interval_ms=500",
	};
	static const char * const bad_samples[] = {
		"", "\n", "7", "1025", "0", "-8", "64 ", "64\n\n", "0x40",
		"18446744073709551680", "00000000064\n", "6 4",
	};
	u32 v;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad_interval); i++) {
		v = 4242;
		EXPECT_EQ(-EINVAL, ls_parse_interval_ms(bad_interval[i], &v))
			TH_LOG("interval_ms accepted \"%s\"", bad_interval[i]);
		EXPECT_EQ(4242U, v);
	}
	for (i = 0; i < ARRAY_SIZE(bad_samples); i++) {
		v = 4242;
		EXPECT_EQ(-EINVAL, ls_parse_samples(bad_samples[i], &v))
			TH_LOG("samples accepted \"%s\"", bad_samples[i]);
		EXPECT_EQ(4242U, v);
	}
	v = 4242;
	ASSERT_EQ(-EINVAL, ls_parse_interval_ms(NULL, &v));
	ASSERT_EQ(-EINVAL, ls_parse_samples(NULL, &v));
	ASSERT_EQ(4242U, v);
}

TEST(param_long_string)
{
	char buf[4096];
	u32 v = 1;

	/* Only the first dozen bytes are ever examined. */
	memset(buf, '1', sizeof(buf) - 1);
	buf[sizeof(buf) - 1] = '\0';
	ASSERT_EQ(-EINVAL, ls_parse_interval_ms(buf, &v));
	ASSERT_EQ(-EINVAL, ls_parse_samples(buf, &v));
	ASSERT_EQ(1U, v);
}

TEST_HARNESS_MAIN
