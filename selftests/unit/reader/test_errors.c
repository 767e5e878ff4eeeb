// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests: open/read failures are explained by their true cause.
 * ls_classify() is tested on synthetic probes (so root, lockdown and a
 * missing debugfs need no special host), ls_table_load() on real files.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "kselftest_harness.h"

#include "errors.h"
#include "lsfile.h"

#define NOBODY 65534

static struct ls_probe probe(int err, bool real, bool root, int debugfs,
			     int module, int dir_exists, enum ls_lockdown ld)
{
	struct ls_probe p = {
		.err = err, .real = real, .root = root, .debugfs = debugfs,
		.module = module, .dir_exists = dir_exists, .lockdown = ld,
	};

	return p;
}

static const char *explain(struct ls_probe p, struct ls_err *e)
{
	ls_explain(&p, "/D", "/D/summary", e);
	return e->kind == LS_ERR_SYSTEM ? e->msg : "(wrong error kind)";
}

TEST(lockdown_parse)
{
	EXPECT_EQ(LS_LOCKDOWN_NONE, ls_lockdown_parse("[none] integrity confidentiality\n"));
	EXPECT_EQ(LS_LOCKDOWN_INTEGRITY, ls_lockdown_parse("none [integrity] confidentiality\n"));
	EXPECT_EQ(LS_LOCKDOWN_CONFIDENTIALITY,
		  ls_lockdown_parse("none integrity [confidentiality]\n"));
	EXPECT_EQ(LS_LOCKDOWN_UNKNOWN, ls_lockdown_parse(""));
	EXPECT_EQ(LS_LOCKDOWN_UNKNOWN, ls_lockdown_parse("none integrity confidentiality"));
}

/* Real path: a missing mount or module wins over EACCES (non-root). */
TEST(order_real_path)
{
	/* nothing set up, not root: even root would fail, say what to fix */
	EXPECT_EQ(LS_CAUSE_NO_DEBUGFS,
		  ls_classify(&(struct ls_probe){ .err = EACCES, .real = true,
			      .debugfs = 0, .module = 0 }));
	EXPECT_EQ(LS_CAUSE_NO_DEBUGFS,
		  ls_classify(&(struct ls_probe){ .err = ENOENT, .real = true,
			      .root = true, .debugfs = 0, .module = 1 }));
	EXPECT_EQ(LS_CAUSE_NO_MODULE,
		  ls_classify(&(struct ls_probe){ .err = EACCES, .real = true,
			      .debugfs = 1, .module = 0 }));
	EXPECT_EQ(LS_CAUSE_NO_MODULE,
		  ls_classify(&(struct ls_probe){ .err = ENOENT, .real = true,
			      .root = true, .debugfs = 1, .module = 0,
			      .dir_exists = 0 }));
	/* mounted and loaded: EACCES as non-root is the missing privilege */
	EXPECT_EQ(LS_CAUSE_NOT_ROOT,
		  ls_classify(&(struct ls_probe){ .err = EACCES, .real = true,
			      .debugfs = 1, .module = 1, .dir_exists = -1 }));
	/* unknowable (e.g. no /sys): fall back on errno */
	EXPECT_EQ(LS_CAUSE_NOT_ROOT,
		  ls_classify(&(struct ls_probe){ .err = EACCES, .real = true,
			      .debugfs = -1, .module = -1, .dir_exists = -1 }));
	/* non-root under lockdown still cannot traverse: root is the cause */
	EXPECT_EQ(LS_CAUSE_NOT_ROOT,
		  ls_classify(&(struct ls_probe){ .err = EPERM, .real = true,
			      .debugfs = 1, .module = 1,
			      .lockdown = LS_LOCKDOWN_INTEGRITY }));
}

TEST(lockdown_cause)
{
	struct ls_probe p = probe(EPERM, true, true, 1, 1, 1, LS_LOCKDOWN_INTEGRITY);

	EXPECT_EQ(LS_CAUSE_LOCKDOWN, ls_classify(&p));
	p.lockdown = LS_LOCKDOWN_CONFIDENTIALITY;
	EXPECT_EQ(LS_CAUSE_LOCKDOWN, ls_classify(&p));
	p.lockdown = LS_LOCKDOWN_NONE;
	EXPECT_EQ(LS_CAUSE_DENIED, ls_classify(&p));
	p.lockdown = LS_LOCKDOWN_UNKNOWN;
	EXPECT_EQ(LS_CAUSE_DENIED, ls_classify(&p));
	/* EACCES is not what lockdown returns */
	p = probe(EACCES, true, true, 1, 1, 1, LS_LOCKDOWN_INTEGRITY);
	EXPECT_EQ(LS_CAUSE_DENIED, ls_classify(&p));
}

TEST(missing_dir_or_file)
{
	struct ls_probe p = probe(ENOENT, true, true, 1, 1, 0, LS_LOCKDOWN_UNKNOWN);

	EXPECT_EQ(LS_CAUSE_NO_DIR, ls_classify(&p));
	p.dir_exists = 1;
	EXPECT_EQ(LS_CAUSE_NO_FILE, ls_classify(&p));
	p.dir_exists = -1;
	EXPECT_EQ(LS_CAUSE_NO_FILE, ls_classify(&p));
	p.err = ENOTDIR;
	p.dir_exists = 0;
	EXPECT_EQ(LS_CAUSE_NO_DIR, ls_classify(&p));
	p.err = EIO;
	EXPECT_EQ(LS_CAUSE_OTHER, ls_classify(&p));
}

/* LEAKSCOPE_DIR: mount and module checks do not apply. */
TEST(fake_dir_skips_system_checks)
{
	struct ls_probe p = probe(ENOENT, false, true, 0, 0, 0, LS_LOCKDOWN_UNKNOWN);

	EXPECT_EQ(LS_CAUSE_NO_DIR, ls_classify(&p));
	p.err = EACCES;
	p.root = false;
	EXPECT_EQ(LS_CAUSE_NOT_ROOT, ls_classify(&p));
}

TEST(messages)
{
	struct ls_err e;

	EXPECT_STREQ("debugfs is not mounted on /sys/kernel/debug: mount -t debugfs none /sys/kernel/debug",
		     explain(probe(ENOENT, true, true, 0, 1, 0, LS_LOCKDOWN_UNKNOWN), &e));
	EXPECT_STREQ("the leakscope kernel module is not loaded: modprobe leakscope (or insmod module/leakscope.ko)",
		     explain(probe(ENOENT, true, true, 1, 0, 0, LS_LOCKDOWN_UNKNOWN), &e));
	EXPECT_STREQ("permission denied reading /D/summary: leakscope needs root (try: sudo leakscope)",
		     explain(probe(EACCES, true, false, 1, 1, -1, LS_LOCKDOWN_UNKNOWN), &e));
	EXPECT_STREQ("/D/summary is blocked by kernel lockdown (integrity): debugfs refuses files with write permission; set options as module parameters",
		     explain(probe(EPERM, true, true, 1, 1, 1, LS_LOCKDOWN_INTEGRITY), &e));
	EXPECT_STREQ("/D/summary is blocked by kernel lockdown (confidentiality): debugfs refuses files with write permission; set options as module parameters",
		     explain(probe(EPERM, true, true, 1, 1, 1, LS_LOCKDOWN_CONFIDENTIALITY), &e));
	EXPECT_STREQ("/D does not exist although the leakscope module is loaded: see dmesg",
		     explain(probe(ENOENT, true, true, 1, 1, 0, LS_LOCKDOWN_UNKNOWN), &e));
	EXPECT_STREQ("LEAKSCOPE_DIR=/D: no such directory",
		     explain(probe(ENOENT, false, true, -1, -1, 0, LS_LOCKDOWN_UNKNOWN), &e));
	EXPECT_STREQ("/D/summary: no such file (does the loaded leakscope module match this reader?)",
		     explain(probe(ENOENT, false, true, -1, -1, 1, LS_LOCKDOWN_UNKNOWN), &e));
	EXPECT_STREQ("/D/summary: Permission denied",
		     explain(probe(EACCES, false, true, -1, -1, 1, LS_LOCKDOWN_UNKNOWN), &e));
	EXPECT_STREQ("/D/summary: Input/output error",
		     explain(probe(EIO, true, true, 1, 1, 1, LS_LOCKDOWN_UNKNOWN), &e));
}

FIXTURE(dir) {
	char path[64];
	char file[128];
};

FIXTURE_SETUP(dir)
{
	strcpy(self->path, "/tmp/ls-reader-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->path));
	ASSERT_EQ(0, chmod(self->path, 0755));
	snprintf(self->file, sizeof(self->file), "%s/summary", self->path);
}

FIXTURE_TEARDOWN(dir)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", self->path);
	if (system(cmd))
		TH_LOG("cleanup of %s failed", self->path);
}

static void write_file(const char *path, const char *text, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);

	if (fd >= 0) {
		if (write(fd, text, strlen(text)) < 0)
			perror("write");
		close(fd);
	}
	chmod(path, mode);
}

TEST_F(dir, load_ok)
{
	struct ls_table t;
	struct ls_err e = { 0 };

	write_file(self->file, "# leakscope summary v1 held=1\nitem now_kb\nShmem 4\n", 0400);
	ASSERT_EQ(0, ls_table_load(&t, self->path, "summary", false, &e));
	EXPECT_EQ(1, t.nrows);
	ls_table_free(&t);
}

TEST_F(dir, load_missing_dir)
{
	struct ls_table t;
	struct ls_err e;
	char want[256], dir[128];

	snprintf(dir, sizeof(dir), "%s/nope", self->path);
	snprintf(want, sizeof(want), "LEAKSCOPE_DIR=%s: no such directory", dir);
	EXPECT_EQ(-1, ls_table_load(&t, dir, "summary", false, &e));
	EXPECT_EQ(LS_ERR_SYSTEM, e.kind);
	EXPECT_STREQ(want, e.msg);
	ls_table_free(&t);
}

TEST_F(dir, load_missing_file)
{
	struct ls_table t;
	struct ls_err e;
	char want[256];

	snprintf(want, sizeof(want),
		 "%s/suspects: no such file (does the loaded leakscope module match this reader?)",
		 self->path);
	EXPECT_EQ(-1, ls_table_load(&t, self->path, "suspects", false, &e));
	EXPECT_STREQ(want, e.msg);
	ls_table_free(&t);
}

TEST_F(dir, load_directory)
{
	struct ls_table t;
	struct ls_err e;
	char want[256];

	ASSERT_EQ(0, mkdir(self->file, 0700));
	snprintf(want, sizeof(want), "%s: Is a directory", self->file);
	EXPECT_EQ(-1, ls_table_load(&t, self->path, "summary", false, &e));
	EXPECT_STREQ(want, e.msg);
	ls_table_free(&t);
}

/* Beyond the cap: refused after reading LS_FILE_MAX + 1 bytes. */
TEST_F(dir, load_huge)
{
	struct ls_table t;
	struct ls_err e;
	char want[256];

	write_file(self->file, "", 0600);
	ASSERT_EQ(0, truncate(self->file, (off_t)LS_FILE_MAX + 4096));
	snprintf(want, sizeof(want), "%s: larger than 16 MiB: refused", self->file);
	EXPECT_EQ(-1, ls_table_load(&t, self->path, "summary", false, &e));
	EXPECT_EQ(LS_ERR_MALFORMED, e.kind);
	EXPECT_STREQ(want, e.msg);
	ls_table_free(&t);
}

/* Exactly at the cap is fine (a valid file padded with records). */
TEST_F(dir, load_at_cap)
{
	size_t len = LS_FILE_MAX, pos;
	char *buf = malloc(len);
	struct ls_table t;
	struct ls_err e = { 0 };
	FILE *f;

	ASSERT_NE(NULL, buf);
	pos = sprintf(buf, "# leakscope summary v1\nitem\n");
	memset(buf + pos, 'a', len - pos);
	for (; pos + 64 <= len; pos += 64)
		buf[pos + 63] = '\n';
	buf[len - 1] = '\n';
	f = fopen(self->file, "w");
	ASSERT_NE(NULL, f);
	ASSERT_EQ(len, fwrite(buf, 1, len, f));
	fclose(f);
	free(buf);
	ASSERT_EQ(0, ls_table_load(&t, self->path, "summary", false, &e))
		TH_LOG("%s", e.msg);
	EXPECT_GT(t.nrows, 200000);
	ls_table_free(&t);
}

/*
 * EACCES as a non-root user.  As root, a child drops to nobody first, so
 * the fixture's teardown still runs with privileges.
 */
TEST_F(dir, load_not_root)
{
	struct ls_table t;
	struct ls_err e;
	char want[256];
	int status;
	pid_t pid;

	write_file(self->file, "# leakscope summary v1\nitem\n", 0000);
	snprintf(want, sizeof(want),
		 "permission denied reading %s: leakscope needs root (try: sudo leakscope)",
		 self->file);
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		if (geteuid() == 0 &&
		    (setresgid(NOBODY, NOBODY, NOBODY) ||
		     setresuid(NOBODY, NOBODY, NOBODY)))
			_exit(2);
		if (ls_table_load(&t, self->path, "summary", false, &e) != -1)
			_exit(3);
		if (strcmp(want, e.msg)) {
			fprintf(stderr, "got: %s\n", e.msg);
			_exit(4);
		}
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

TEST_HARNESS_MAIN
