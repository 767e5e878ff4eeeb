// SPDX-License-Identifier: GPL-2.0
/*
 * Settings through control and through module parameters: good values
 * apply and show in control's rows, in every header and in
 * /sys/module/leakscope/parameters; bad values fail with EINVAL and change
 * nothing.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "ls_test_util.h"

FIXTURE(settings) {
	int unused;
};

FIXTURE_SETUP(settings)
{
	ASSERT_EQ(0, ls_unload());
}

FIXTURE_TEARDOWN(settings)
{
	EXPECT_EQ(0, ls_unload());
}

/*
 * interval_ms and samples agree in control's rows, every file's header and
 * the module parameters, and equal want_i/want_s.  Logs and returns false
 * otherwise.
 */
static bool settings_are(struct __test_metadata *_metadata, long long want_i,
			 long long want_s, const char *after)
{
	long long ci, cs, pi, ps, hi, hs;
	struct ls_doc d;
	bool ok = true;
	int f, ret;

	ret = ls_control_settings(&ci, &cs);
	if (ret) {
		TH_LOG("after %s: control unreadable: %s", after, strerror(-ret));
		return false;
	}
	if (ci != want_i || cs != want_s) {
		TH_LOG("after %s: control has interval_ms=%lld samples=%lld, want %lld %lld",
		       after, ci, cs, want_i, want_s);
		ok = false;
	}
	if (ls_param_read("interval_ms", &pi) || ls_param_read("samples", &ps)) {
		TH_LOG("after %s: cannot read %s/*", after, LS_PARAM_DIR);
		return false;
	}
	if (pi != want_i || ps != want_s) {
		TH_LOG("after %s: parameters have interval_ms=%lld samples=%lld, want %lld %lld",
		       after, pi, ps, want_i, want_s);
		ok = false;
	}
	for (f = 0; f < LS_NR_FILES; f++) {
		ret = ls_doc_load(&d, ls_files[f]);
		if (ret || !ls_doc_kv_num(&d, "interval_ms", &hi) ||
		    !ls_doc_kv_num(&d, "samples", &hs) || hi != want_i ||
		    hs != want_s) {
			TH_LOG("after %s: %s header wrong (want interval_ms=%lld samples=%lld) %s",
			       after, ls_files[f], want_i, want_s, d.err);
			ls_dump(ls_files[f], d.raw);
			ok = false;
		}
		ls_doc_free(&d);
	}
	return ok;
}

static long long held_count(struct __test_metadata *_metadata)
{
	struct ls_doc d;
	long long h = -1;

	if (ls_doc_load(&d, "summary") || !ls_doc_kv_num(&d, "held", &h))
		TH_LOG("summary header: no samples count: %s", d.err);
	ls_doc_free(&d);
	return h;
}

struct good {
	const char *write;
	long long interval_ms, samples;	/* expected afterwards */
};

TEST_F(settings, control_good)
{
	static const struct good good[] = {
		{ "interval_ms=500", 500, 64 },
		{ "interval_ms=600\n", 600, 64 },
		{ "samples=32", 600, 32 },
		{ "samples=24\n", 600, 24 },
		{ "interval_ms=700 samples=16", 700, 16 },
		{ "samples=20\tinterval_ms=800\n", 800, 20 },
		{ "  interval_ms=100   samples=8  ", 100, 8 },
		{ "interval_ms=3600000 samples=1024", 3600000, 1024 },
		{ "interval_ms=0000001000 samples=64", 1000, 64 },
		{ "reset", 1000, 64 },
		{ "reset\n", 1000, 64 },
		{ "sample", 1000, 64 },
		{ "sample\n", 1000, 64 },
		{ "reset sample interval_ms=900", 900, 64 },
	};
	char what[64];
	long long h0, h1;
	size_t i;
	int ret;

	ret = ls_load("");
	ASSERT_EQ(0, ret) TH_LOG("load: %s", strerror(-ret));
	ASSERT_TRUE(settings_are(_metadata, 1000, 64, "load"));
	for (i = 0; i < ARRAY_SIZE(good); i++) {
		snprintf(what, sizeof(what), "'%.*s'",
			 (int)strcspn(good[i].write, "\n"), good[i].write);
		h0 = held_count(_metadata);
		ret = ls_control_str(good[i].write);
		ASSERT_EQ(0, ret) TH_LOG("write %s: %s", what, strerror(-ret));
		h1 = held_count(_metadata);
		EXPECT_TRUE(settings_are(_metadata, good[i].interval_ms,
					 good[i].samples, what));
		/* held counts the samples in the ring: never above samples. */
		EXPECT_LE(h1, good[i].samples);
		if (!strncmp(good[i].write, "reset", 5)) {
			/* Empty, then one sample; a timer tick may add one. */
			EXPECT_LE(1, h1) TH_LOG("%s: held=%lld", what, h1);
			EXPECT_GE(2 + !!strstr(good[i].write, "sample"), h1)
				TH_LOG("%s: held=%lld", what, h1);
		} else if (!strcmp(good[i].write, "sample") ||
			   !strcmp(good[i].write, "sample\n")) {
			/* Synchronous: the sample is in when write returns. */
			EXPECT_LE(h0 + 1 < good[i].samples ? h0 + 1 :
				  good[i].samples, h1)
				TH_LOG("%s: held %lld -> %lld", what, h0, h1);
		}
	}
}

/* A 256-byte write is accepted, 257 bytes are refused. */
TEST_F(settings, control_length)
{
	char buf[300];
	long long i, s;
	int ret;

	ASSERT_EQ(0, ls_load(""));
	memset(buf, ' ', sizeof(buf));
	memcpy(buf, "interval_ms=500", 15);
	ret = ls_control_write(buf, 256);
	EXPECT_EQ(0, ret) TH_LOG("256-byte write: %s", strerror(-ret));
	ASSERT_EQ(0, ls_control_settings(&i, &s));
	EXPECT_EQ(500, i);
	memcpy(buf, "interval_ms=700", 15);
	ret = ls_control_write(buf, 257);
	EXPECT_EQ(-EINVAL, ret) TH_LOG("257-byte write: %s", strerror(-ret));
	ASSERT_EQ(0, ls_control_settings(&i, &s));
	EXPECT_EQ(500, i);
}

struct bad {
	const char *what;
	const char *buf;
	size_t len;
};

/* sizeof, not strlen: the literal's embedded NUL bytes are written too. */
#define BAD(what, lit) { what, lit, sizeof(lit) - 1 }

#define LONG_300 \
	"interval_ms=500                                                   " \
	"                                                                  " \
	"                                                                  " \
	"                                                                  " \
	"                                  "

TEST_F(settings, control_bad)
{
	static const struct bad bad[] = {
		BAD("unknown key", "bogus=1"),
		BAD("unknown token", "samples=16 frobnicate"),
		BAD("key without =", "interval_ms"),
		BAD("uppercase key", "INTERVAL_MS=500"),
		BAD("interval too small", "interval_ms=99"),
		BAD("interval 5", "interval_ms=5"),
		BAD("interval 0", "interval_ms=0"),
		BAD("interval too large", "interval_ms=3600001"),
		BAD("samples too small", "samples=7"),
		BAD("samples 1", "samples=1"),
		BAD("samples too large", "samples=1025"),
		BAD("empty value", "interval_ms="),
		BAD("empty value, newline", "samples=\n"),
		BAD("negative", "interval_ms=-500"),
		BAD("plus sign", "interval_ms=+500"),
		BAD("hex", "interval_ms=0x1f4"),
		BAD("trailing junk", "interval_ms=500ms"),
		BAD("space around =", "interval_ms = 500"),
		BAD("11 digits", "interval_ms=00000000500"),
		BAD("2^32 + 500", "interval_ms=4294967796"),
		BAD("empty write", ""),
		BAD("only newline", "\n"),
		BAD("only blanks", " \t "),
		BAD("NUL byte at end", "interval_ms=500\0"),
		BAD("NUL byte inside", "interval_ms=500\0samples=16"),
		BAD("control byte", "interval_ms=500\rsamples=16"),
		BAD("non-ASCII byte", "interval_ms=500 \xc3\xa9"),
		BAD("too long (300 bytes)", LONG_300),
		BAD("duplicate key", "samples=16 samples=16"),
		BAD("duplicate interval", "interval_ms=500 interval_ms=600"),
		BAD("half good", "interval_ms=500 samples=1"),
		BAD("half good, other order", "samples=16 interval_ms=99"),
		BAD("half good with reset", "reset interval_ms=50"),
	};
	long long i0, s0, i1, s1, h0, h1;
	char *c0, *c1, *nl0, *nl1;
	size_t k, len;
	int ret;

	ASSERT_EQ(0, ls_load("interval_ms=3600000 samples=40"));
	/* A long interval: no timer sample changes held under our feet. */
	ASSERT_EQ(0, ls_control_str("sample"));
	for (k = 0; k < ARRAY_SIZE(bad); k++) {
		len = bad[k].len;
		ASSERT_EQ(0, ls_read_file("control", &c0));
		h0 = held_count(_metadata);
		ret = ls_control_write(bad[k].buf, len);
		EXPECT_EQ(-EINVAL, ret)
			TH_LOG("%s (%zu bytes): got %s, want EINVAL",
			       bad[k].what, len, ret ? strerror(-ret) : "success");
		ASSERT_EQ(0, ls_read_file("control", &c1));
		h1 = held_count(_metadata);
		/* Rows after the header must be byte-identical. */
		nl0 = strchr(c0, '\n');
		nl1 = strchr(c1, '\n');
		if (!nl0 || !nl1 || strcmp(nl0, nl1) || h0 != h1) {
			TH_LOG("%s changed something (held %lld -> %lld)",
			       bad[k].what, h0, h1);
			ls_dump("control before", c0);
			ls_dump("control after", c1);
			_metadata->exit_code = KSFT_FAIL;
		}
		free(c0);
		free(c1);
		ASSERT_EQ(0, ls_param_read("interval_ms", &i1));
		ASSERT_EQ(0, ls_param_read("samples", &s1));
		EXPECT_EQ(3600000, i1) TH_LOG("%s", bad[k].what);
		EXPECT_EQ(40, s1) TH_LOG("%s", bad[k].what);
	}
	ASSERT_EQ(0, ls_control_settings(&i0, &s0));
	EXPECT_EQ(3600000, i0);
	EXPECT_EQ(40, s0);
}

TEST_F(settings, insmod_good)
{
	int ret;

	ret = ls_load("interval_ms=500 samples=32");
	ASSERT_EQ(0, ret) TH_LOG("load: %s", strerror(-ret));
	EXPECT_TRUE(settings_are(_metadata, 500, 32, "insmod"));
	ASSERT_EQ(0, ls_unload());
	ret = ls_load("samples=1024 interval_ms=3600000");
	ASSERT_EQ(0, ret) TH_LOG("load: %s", strerror(-ret));
	EXPECT_TRUE(settings_are(_metadata, 3600000, 1024, "insmod"));
	ASSERT_EQ(0, ls_unload());
	ret = ls_load("interval_ms=100 samples=8");
	ASSERT_EQ(0, ret) TH_LOG("load: %s", strerror(-ret));
	EXPECT_TRUE(settings_are(_metadata, 100, 8, "insmod"));
}

TEST_F(settings, insmod_bad)
{
	static const char * const bad[] = {
		"interval_ms=5", "interval_ms=99", "interval_ms=3600001",
		"interval_ms=abc", "interval_ms=-1", "samples=7",
		"samples=1025", "samples=", "interval_ms=500 samples=1",
	};
	size_t k;
	int ret;

	for (k = 0; k < ARRAY_SIZE(bad); k++) {
		ret = ls_load(bad[k]);
		EXPECT_EQ(-EINVAL, ret) TH_LOG("insmod %s: got %s, want EINVAL",
					       bad[k], ret ? strerror(-ret) : "success");
		EXPECT_FALSE(ls_loaded()) TH_LOG("loaded after insmod %s", bad[k]);
		ASSERT_EQ(0, ls_unload());
	}
}

TEST_F(settings, sysfs_params)
{
	static const char * const bad_interval[] = {
		"5", "99", "3600001", "abc", "-1", "500ms", "\n", "0x1f4",
		"4294967796",
	};
	static const char * const bad_samples[] = {
		"7", "1025", "x", "-8", "\n",
	};
	size_t k;
	int ret;

	ASSERT_EQ(0, ls_load("interval_ms=600 samples=48"));
	for (k = 0; k < ARRAY_SIZE(bad_interval); k++) {
		ret = ls_param_write("interval_ms", bad_interval[k]);
		EXPECT_EQ(-EINVAL, ret)
			TH_LOG("interval_ms <- '%s': got %s, want EINVAL",
			       bad_interval[k], ret ? strerror(-ret) : "success");
	}
	for (k = 0; k < ARRAY_SIZE(bad_samples); k++) {
		ret = ls_param_write("samples", bad_samples[k]);
		EXPECT_EQ(-EINVAL, ret)
			TH_LOG("samples <- '%s': got %s, want EINVAL",
			       bad_samples[k], ret ? strerror(-ret) : "success");
	}
	EXPECT_TRUE(settings_are(_metadata, 600, 48, "bad sysfs writes"));

	ret = ls_param_write("interval_ms", "800\n");
	EXPECT_EQ(0, ret) TH_LOG("interval_ms <- 800: %s", strerror(-ret));
	EXPECT_TRUE(settings_are(_metadata, 800, 48, "interval_ms <- 800"));
	ret = ls_param_write("samples", "16");
	EXPECT_EQ(0, ret) TH_LOG("samples <- 16: %s", strerror(-ret));
	EXPECT_TRUE(settings_are(_metadata, 800, 16, "samples <- 16"));

	/* And control writes show in the parameters (checked inside). */
	ASSERT_EQ(0, ls_control_str("interval_ms=250 samples=128\n"));
	EXPECT_TRUE(settings_are(_metadata, 250, 128, "control write"));
}

TEST_HARNESS_MAIN
