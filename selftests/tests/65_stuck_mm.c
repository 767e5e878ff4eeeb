// SPDX-License-Identifier: GPL-2.0
/*
 * Somebody else's process never stalls leakscope.
 *
 * ls_mmap_holder.ko holds a process's mmap lock for writing for several
 * seconds, as a thread stuck in a fault on a hung NFS or FUSE mount can,
 * while `pid` points at that process.  Throughout:
 *  - the periodic sampler keeps sampling (held= keeps climbing);
 *  - regions says status=busy within a couple of seconds, not a hang;
 *  - selecting that pid again (a new baseline) fails with EBUSY within a
 *    couple of seconds and changes nothing;
 *  - rmmod leakscope works.
 *
 * And `pid` is a pid of the initial namespace, as procs lists them, even
 * when written from inside another pid namespace.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ls_test_util.h"

#define HOLDER_MODNAME	"ls_mmap_holder"
#define HOLDER_KO	"/lib/leakscope/ls_mmap_holder.ko"
#define HOLD_MS		9000

FIXTURE(stuck) {
	pid_t victim;
};

FIXTURE_SETUP(stuck)
{
	int ret;

	self->victim = fork();
	ASSERT_LE(0, self->victim);
	if (!self->victim) {
		for (;;)
			pause();
	}
	ASSERT_EQ(0, ls_unload());
	/* samples=1024: held= keeps counting for the whole test */
	ret = ls_load("interval_ms=200 samples=1024");
	ASSERT_EQ(0, ret) TH_LOG("load %s: %s", ls_ko_path(), strerror(-ret));
}

FIXTURE_TEARDOWN(stuck)
{
	int ret;

	if (self->victim > 0) {
		kill(self->victim, SIGKILL);
		waitpid(self->victim, NULL, 0);
	}
	ret = ls_mod_unload_retry(HOLDER_MODNAME, HOLD_MS + 10000);
	EXPECT_TRUE(!ret || ret == -ENOENT) TH_LOG("unload %s: %s",
						   HOLDER_MODNAME,
						   strerror(-ret));
	EXPECT_EQ(0, ls_unload());
}

static long long held(void)
{
	struct ls_doc d;
	long long n = -1;

	if (!ls_doc_load(&d, "summary"))
		ls_doc_kv_num(&d, "held", &n);
	ls_doc_free(&d);
	return n;
}

/* The regions header's status=, into @status. */
static int regions_status(char *status, size_t len)
{
	struct ls_doc d;
	int ret;

	ret = ls_doc_load(&d, "regions");
	if (!ret)
		snprintf(status, len, "%s", ls_doc_kv(&d, "status") ?: "(none)");
	ls_doc_free(&d);
	return ret;
}

TEST_F(stuck, sampler_never_waits_for_a_stuck_mm)
{
	char arg[64], pidstr[16], status[32];
	long long t0, t, before, after, n;
	pid_t writer;
	int ret, wstatus;

	snprintf(pidstr, sizeof(pidstr), "%d", self->victim);
	ASSERT_EQ(0, ls_param_write("pid", pidstr));
	ASSERT_EQ(0, regions_status(status, sizeof(status)));
	ASSERT_STREQ("ok", status);

	snprintf(arg, sizeof(arg), "pid=%d hold_ms=%d", self->victim, HOLD_MS);
	ret = ls_load_path(HOLDER_KO, arg);
	ASSERT_EQ(0, ret) TH_LOG("load %s: %s", HOLDER_KO, strerror(-ret));
	t0 = ls_now_ms();
	before = held();

	/* regions: busy, and soon */
	ASSERT_EQ(0, regions_status(status, sizeof(status)));
	t = ls_now_ms() - t0;
	EXPECT_STREQ("busy", status);
	EXPECT_GT(3000, t) TH_LOG("regions took %lld ms", t);

	/* A new baseline of the stuck process: refused, nothing changed */
	ASSERT_EQ(0, ls_param_write("pid", "1"));
	writer = fork();
	ASSERT_LE(0, writer);
	if (!writer)
		_exit(ls_param_write("pid", pidstr) == -EBUSY ? 0 : 1);
	ASSERT_EQ(writer, waitpid(writer, &wstatus, 0));
	t = ls_now_ms() - t0;
	EXPECT_TRUE(WIFEXITED(wstatus) && !WEXITSTATUS(wstatus))
		TH_LOG("writing pid=%d while its mmap lock is held: not EBUSY",
		       self->victim);
	EXPECT_EQ(0, ls_param_read("pid", &n));
	EXPECT_EQ(1, n);

	/* The sampler went on all along: 200 ms apart, 1 s apart at worst */
	ls_sleep_ms(1000);
	after = held();
	t = ls_now_ms() - t0;
	ASSERT_GT(HOLD_MS - 2000, t) TH_LOG("too slow: the hold is nearly over");
	EXPECT_LE(before + t / 1000, after)
		TH_LOG("held %lld -> %lld in %lld ms of a stuck mm", before,
		       after, t);

	/* And leakscope unloads while the lock is still held */
	EXPECT_EQ(0, ls_unload_retry(3000));
	EXPECT_FALSE(ls_loaded());
	EXPECT_GT(HOLD_MS, ls_now_ms() - t0) TH_LOG("unloaded only after the hold");
}

/*
 * Does regions show exactly the VMAs of /proc/@pid/maps, start by start?
 * (@pid's maps must not change meanwhile: init's do not.)
 */
static bool regions_are_of(pid_t pid)
{
	char path[64], *maps = NULL, *line, *pos;
	unsigned long long start, shown;
	struct ls_doc d;
	bool same = false;
	int i = 0, col;

	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	if (ls_read_path(path, &maps, NULL) || ls_doc_load(&d, "regions"))
		goto out;
	col = ls_doc_col(&d, "start");
	same = col >= 0 && !strcmp(ls_doc_kv(&d, "status") ?: "", "ok");
	pos = maps;
	while (same && (line = ls_next_line(&pos))) {
		if (strstr(line, "[vsyscall]"))	/* in maps, no VMA */
			continue;
		start = strtoull(line, NULL, 16);
		same = i < d.nrows &&
		       sscanf(d.rows[i].f[col], "%llx", &shown) == 1 &&
		       shown == start;
		i++;
	}
	same = same && i == d.nrows;
	ls_doc_free(&d);
out:
	free(maps);
	return same;
}

/*
 * From inside a new pid namespace, where the test is pid 1: pid=1 is the
 * VM's init, not the test, in what it selects and in what regions shows
 * there and outside.
 */
TEST_F(stuck, pid_is_of_the_initial_namespace)
{
	int wstatus;
	pid_t inner;

	ASSERT_EQ(0, unshare(CLONE_NEWPID)) TH_LOG("unshare: %s",
						   strerror(errno));
	inner = fork();		/* the new namespace's pid 1 */
	ASSERT_LE(0, inner);
	if (!inner)
		_exit(getpid() == 1 && !ls_param_write("pid", "1") &&
		      regions_are_of(1) ? 0 : 1);
	ASSERT_EQ(inner, waitpid(inner, &wstatus, 0));
	EXPECT_TRUE(WIFEXITED(wstatus) && !WEXITSTATUS(wstatus))
		TH_LOG("inside a pid namespace, regions of pid 1 are not init's");
	EXPECT_TRUE(regions_are_of(1));
}

TEST_HARNESS_MAIN
