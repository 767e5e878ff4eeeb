// SPDX-License-Identifier: GPL-2.0
/*
 * leakscope under kernel lockdown (integrity), as under Secure Boot
 * (KERNEL-NOTES E).  Lockdown is raised at run time through
 * /sys/kernel/security/lockdown after the (unsigned) module is loaded; it
 * can never be lowered again and no unsigned module loads afterwards, so
 * this test must stay the LAST one of the boot (hence 99_).
 *
 * Under integrity lockdown debugfs opens only files whose mode has no
 * write bit (fs/debugfs/file.c debugfs_locked_down()):
 *  - the 0400 files (summary suspects procs regions vmalloc slab) still
 *    open and read, with their usual header;
 *  - control (0600) cannot be opened at all: EPERM for O_WRONLY and for
 *    O_RDONLY alike (the check is on the inode mode, not the open mode);
 *  - the module parameters in /sys/module/leakscope/parameters still work
 *    (sysfs, not debugfs), and so does the reader, which selects the pid
 *    for `regions` through the pid parameter;
 *  - loading an unsigned module fails with EPERM
 *    (LOCKDOWN_MODULE_SIGNATURE); unloading still works.
 *
 * Skipped when the kernel has no lockdown LSM or no securityfs (the small
 * debug test kernel).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ls_test_util.h"

#define SECFS_DIR	"/sys/kernel/security"
#define LOCKDOWN	SECFS_DIR "/lockdown"
#define READER		"/bin/leakscope"

static const char * const ro_files[] = {
	"summary", "suspects", "procs", "regions", "vmalloc", "slab",
};

FIXTURE(lockdown) {
	int unused;
};

FIXTURE_SETUP(lockdown)
{
	ASSERT_EQ(0, ls_unload());
}

FIXTURE_TEARDOWN(lockdown)
{
	EXPECT_EQ(0, ls_unload());
	EXPECT_FALSE(ls_loaded());
}

/* The lockdown file, without its newline; 0 or -errno. */
static int lockdown_read(char *buf, size_t len)
{
	char *text, *nl;
	int ret;

	ret = ls_read_path(LOCKDOWN, &text, NULL);
	if (ret)
		return ret;
	nl = strchr(text, '\n');
	if (nl)
		*nl = '\0';
	snprintf(buf, len, "%s", text);
	free(text);
	return 0;
}

/*
 * Run argv with stdout and stderr into a temporary file; return the exit
 * status (or 128 + signal, or -errno), output in *out (malloc'd).
 */
static int run_cmd(char *const argv[], char **out)
{
	char tmpl[] = "/tmp/ls-lockdown-XXXXXX";
	int fd, status;
	pid_t pid;

	*out = NULL;
	fd = mkstemp(tmpl);
	if (fd < 0)
		return -errno;
	unlink(tmpl);
	pid = fork();
	if (pid < 0) {
		close(fd);
		return -errno;
	}
	if (!pid) {
		dup2(fd, 1);
		dup2(fd, 2);
		execv(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid) {
		close(fd);
		return -errno;
	}
	lseek(fd, 0, SEEK_SET);
	*out = calloc(1, 65536);
	if (*out && read(fd, *out, 65535) < 0)
		**out = '\0';
	close(fd);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

TEST_F(lockdown, integrity)
{
	char mode[128], *argv[4], *out, path[256];
	long long v;
	struct ls_doc d;
	struct stat st;
	size_t i;
	int fd, ret;

	if (stat(LOCKDOWN, &st) && !stat(SECFS_DIR, &st))
		mount("securityfs", SECFS_DIR, "securityfs", 0, NULL);
	if (stat(LOCKDOWN, &st))
		SKIP(return, "no %s (kernel without securityfs or the lockdown LSM)",
		     LOCKDOWN);
	ASSERT_EQ(0, lockdown_read(mode, sizeof(mode)));
	TH_LOG("lockdown before: %s", mode);
	if (!strstr(mode, "[none]"))
		SKIP(return, "lockdown already raised (%s): cannot load an unsigned module",
		     mode);

	ret = ls_load("");
	ASSERT_EQ(0, ret) TH_LOG("load %s: %s", ls_ko_path(), strerror(-ret));

	/* Raise it: what EFI Secure Boot does at boot. */
	fd = open(LOCKDOWN, O_WRONLY);
	ASSERT_LE(0, fd) TH_LOG("open %s: %s", LOCKDOWN, strerror(errno));
	ASSERT_EQ(9, write(fd, "integrity", 9))
		TH_LOG("write integrity: %s", strerror(errno));
	close(fd);
	ASSERT_EQ(0, lockdown_read(mode, sizeof(mode)));
	ASSERT_NE(NULL, strstr(mode, "[integrity]")) TH_LOG("lockdown: %s", mode);
	TH_LOG("lockdown now: %s", mode);

	/* The read-only files still open, read and parse. */
	for (i = 0; i < ARRAY_SIZE(ro_files); i++) {
		ret = ls_doc_load(&d, ro_files[i]);
		EXPECT_EQ(0, ret) TH_LOG("%s: %s %s", ro_files[i],
					 strerror(-ret), d.err);
		if (!ret) {
			EXPECT_STREQ(ro_files[i], d.file);
			EXPECT_STREQ("v1", d.version);
			EXPECT_TRUE(ls_doc_kv_num(&d, "interval_ms", &v))
				TH_LOG("%s header has no interval_ms", ro_files[i]);
			EXPECT_LT(0, d.ncols);
		}
		ls_doc_free(&d);
	}

	/* control has a write bit: refused whatever the open mode. */
	snprintf(path, sizeof(path), "%s/control", LS_DIR);
	fd = open(path, O_WRONLY);
	EXPECT_EQ(-1, fd);
	EXPECT_EQ(EPERM, errno) TH_LOG("open control O_WRONLY: %s",
				       fd < 0 ? strerror(errno) : "succeeded");
	if (fd >= 0)
		close(fd);
	fd = open(path, O_RDONLY);
	EXPECT_EQ(-1, fd);
	EXPECT_EQ(EPERM, errno) TH_LOG("open control O_RDONLY: %s",
				       fd < 0 ? strerror(errno) : "succeeded");
	if (fd >= 0)
		close(fd);
	EXPECT_EQ(-EPERM, ls_control_str("sample"));

	/* Module parameters still work. */
	ret = ls_param_write("interval_ms", "700");
	EXPECT_EQ(0, ret) TH_LOG("interval_ms <- 700: %s", strerror(-ret));
	ret = ls_param_write("pid", "1");
	EXPECT_EQ(0, ret) TH_LOG("pid <- 1: %s", strerror(-ret));
	ASSERT_EQ(0, ls_param_read("interval_ms", &v));
	EXPECT_EQ(700, v);
	ASSERT_EQ(0, ls_param_read("pid", &v));
	EXPECT_EQ(1, v);
	ret = ls_doc_load(&d, "summary");
	ASSERT_EQ(0, ret) TH_LOG("summary: %s", d.err);
	EXPECT_TRUE(ls_doc_kv_num(&d, "interval_ms", &v) && v == 700)
		TH_LOG("summary header: interval_ms=%s",
		       ls_doc_kv(&d, "interval_ms") ?: "(none)");
	ls_doc_free(&d);
	ret = ls_doc_load(&d, "regions");
	ASSERT_EQ(0, ret) TH_LOG("regions: %s", d.err);
	EXPECT_STREQ("1", ls_doc_kv(&d, "pid") ?: "(none)");
	EXPECT_STREQ("ok", ls_doc_kv(&d, "status") ?: "(none)");
	EXPECT_LT(0, d.nrows);
	ls_doc_free(&d);

	/* The reader. */
	argv[0] = READER;
	argv[1] = "summary";
	argv[2] = NULL;
	ret = run_cmd(argv, &out);
	EXPECT_EQ(0, ret) TH_LOG("leakscope summary: exit %d", ret);
	if (ret)
		ls_dump("leakscope summary", out);
	free(out);
	argv[1] = "regions";
	argv[2] = "1";
	argv[3] = NULL;
	ret = run_cmd(argv, &out);
	EXPECT_EQ(0, ret) TH_LOG("leakscope regions 1: exit %d", ret);
	if (ret)
		ls_dump("leakscope regions 1", out);
	free(out);

	/* An unsigned module no longer loads (leakscope again). */
	ret = ls_load("");
	EXPECT_EQ(-EPERM, ret) TH_LOG("second load: %s",
				      ret ? strerror(-ret) : "succeeded");

	/* Unloading is not restricted by lockdown. */
	ret = ls_unload_retry(5000);
	EXPECT_EQ(0, ret) TH_LOG("unload under lockdown: %s", strerror(-ret));
	EXPECT_FALSE(ls_loaded());
}

TEST_HARNESS_MAIN
