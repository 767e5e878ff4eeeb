// SPDX-License-Identifier: GPL-2.0
/*
 * 20 load/unload cycles, each with a read of every file in between.  After
 * each unload neither the debugfs directory nor /sys/module/leakscope may
 * be left behind.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "kselftest_harness.h"
#include "ls_test_util.h"

#define CYCLES 20

FIXTURE(cycles) {
	int unused;
};

FIXTURE_SETUP(cycles)
{
	ASSERT_EQ(0, ls_unload());
}

FIXTURE_TEARDOWN(cycles)
{
	EXPECT_EQ(0, ls_unload());
}

TEST_F_TIMEOUT(cycles, load_read_unload, 300)
{
	long long t0 = ls_now_ms(), tl = 0, tu = 0, t;
	struct ls_doc d;
	struct stat st;
	int i, f, ret;

	for (i = 0; i < CYCLES; i++) {
		t = ls_now_ms();
		ret = ls_load("");
		tl += ls_now_ms() - t;
		ASSERT_EQ(0, ret) TH_LOG("cycle %d: load %s: %s", i + 1,
					 ls_ko_path(), strerror(-ret));
		for (f = 0; f < LS_NR_FILES; f++) {
			ret = ls_doc_load(&d, ls_files[f]);
			if (!ret && strcmp(d.file, ls_files[f])) {
				snprintf(d.err, sizeof(d.err), "header names %s",
					 d.file);
				ret = -EBADMSG;
			}
			if (ret) {
				TH_LOG("cycle %d: %s: %s", i + 1, ls_files[f],
				       d.err);
				ls_dump(ls_files[f], d.raw);
			}
			ls_doc_free(&d);
			ASSERT_EQ(0, ret);
			ls_doc_free(&d);
		}
		t = ls_now_ms();
		ret = ls_unload_retry(5000);
		tu += ls_now_ms() - t;
		ASSERT_EQ(0, ret) TH_LOG("cycle %d: unload: %s", i + 1,
					 strerror(-ret));
		ASSERT_NE(0, stat(LS_DIR, &st))
			TH_LOG("cycle %d: %s still there after unload", i + 1,
			       LS_DIR);
		ASSERT_EQ(ENOENT, errno);
		ASSERT_FALSE(ls_loaded())
			TH_LOG("cycle %d: /sys/module/%s still there", i + 1,
			       LS_MODNAME);
	}
	ksft_print_msg("%d cycles in %lld ms (load %lld ms, unload %lld ms total)\n",
		       CYCLES, ls_now_ms() - t0, tl, tu);
}

/* Loading twice fails with EEXIST and leaves the first instance working. */
TEST_F(cycles, double_load)
{
	struct ls_doc d;
	int ret;

	ret = ls_load("");
	ASSERT_EQ(0, ret) TH_LOG("load: %s", strerror(-ret));
	ret = ls_load("");
	EXPECT_EQ(-EEXIST, ret) TH_LOG("second load: %s", strerror(-ret));
	ret = ls_doc_load(&d, "summary");
	EXPECT_EQ(0, ret) TH_LOG("summary after second load: %s", d.err);
	ls_doc_free(&d);
}

TEST_HARNESS_MAIN
