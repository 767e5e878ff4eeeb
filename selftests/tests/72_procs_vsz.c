// SPDX-License-Identifier: GPL-2.0
/*
 * A process whose VSZ is beyond 4 TiB still shows its growth: what a
 * program built with AddressSanitizer looks like (it reserves some 20 TiB
 * for its shadow memory at start).  A child reserves 6 TiB of PROT_NONE
 * address space (no memory, no commit charge), then maps STEP_KB more at
 * every `sample` the test takes.  The procs file must show its VSZ as it
 * is (/proc/PID/status's VmSize, in kB, beyond a u32 of kB), and the
 * growth as STEP_KB a sample; the row's verdict must be growing.  The
 * window is 16 samples, so that STEPS samples are enough to be judged
 * (ls_trend_min_samples(): half the window).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ls_procs_util.h"
#include "ls_test_util.h"

#define RESERVE_KB	(6LL << 30)	/* 6 TiB */
#define STEP_KB		(64LL << 10)	/* 64 MiB */
#define STEPS		12

/* The child: reserve, then one more step at each byte read from @fd. */
static void reserver(int fd)
{
	char c;

	if (mmap(NULL, RESERVE_KB << 10, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0) ==
	    MAP_FAILED)
		_exit(2);
	while (read(fd, &c, 1) == 1)
		if (mmap(NULL, STEP_KB << 10, PROT_NONE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1,
			 0) == MAP_FAILED)
			_exit(3);
	_exit(0);
}

/* VmSize of @pid in kB, or -1. */
static long long vm_size_kb(pid_t pid)
{
	char path[64], *text, *p;
	long long kb = -1;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	if (ls_read_path(path, &text, NULL))
		return -1;
	p = strstr(text, "VmSize:");
	if (p)
		kb = atoll(p + 7);
	free(text);
	return kb;
}

FIXTURE(vsz) {
	pid_t child;
	int fd;
};

FIXTURE_SETUP(vsz)
{
	pid_t parent = getpid();
	int p[2], ret;

	self->child = -1;
	self->fd = -1;
	ASSERT_EQ(0, ls_unload());
	ret = ls_load("interval_ms=3600000 samples=16");
	ASSERT_EQ(0, ret) TH_LOG("load %s: %s", ls_ko_path(), strerror(-ret));
	ASSERT_EQ(0, pipe(p));
	self->child = fork();
	ASSERT_LE(0, self->child);
	if (!self->child) {
		ls_die_with_parent(parent);
		close(p[1]);
		reserver(p[0]);
	}
	close(p[0]);
	self->fd = p[1];
}

FIXTURE_TEARDOWN(vsz)
{
	if (self->fd >= 0)
		close(self->fd);
	if (self->child > 0) {
		kill(self->child, SIGKILL);
		waitpid(self->child, NULL, 0);
	}
	EXPECT_EQ(0, ls_unload());
}

TEST_F_TIMEOUT(vsz, growth_beyond_4_tib, 120)
{
	long long vsz = -1, growth = -1, proc_kb = -1, t0;
	char pid[16];
	const struct ls_row *r = NULL;
	struct ls_doc d;
	int i;

	snprintf(pid, sizeof(pid), "%d", self->child);
	for (i = 0; i < STEPS; i++) {
		if (i)
			ASSERT_EQ(1, write(self->fd, "+", 1));
		/* The child maps before the next sample: wait for it. */
		t0 = ls_now_ms();
		while (vm_size_kb(self->child) < RESERVE_KB + i * STEP_KB &&
		       ls_now_ms() - t0 < 5000)
			ls_sleep_ms(10);
		ASSERT_LE(RESERVE_KB + i * STEP_KB, vm_size_kb(self->child))
			TH_LOG("the child did not map its step %d", i);
		ASSERT_EQ(0, ls_control_str("sample"));
	}
	proc_kb = vm_size_kb(self->child);
	ASSERT_EQ(0, ls_doc_load(&d, "procs")) TH_LOG("procs: %s", d.err);
	r = ls_doc_row(&d, pid);
	if (!r)
		ls_dump("procs", d.raw);
	ASSERT_NE(NULL, r);
	EXPECT_TRUE(ls_parse_ll(ls_row_field(&d, r, "vsz_kb"), &vsz));
	EXPECT_TRUE(ls_parse_ll(ls_row_field(&d, r, "vsz_growth_kb"),
				&growth));
	ksft_print_msg("pid %s: VmSize %lld kB; leakscope vsz_kb %lld, vsz_growth_kb %lld, verdict %s\n",
		       pid, proc_kb, vsz, growth,
		       ls_row_field(&d, r, "verdict"));
	EXPECT_EQ(proc_kb, vsz);
	/* A fitted line through equal steps: (STEPS - 1) steps, +/- one. */
	EXPECT_LE((STEPS - 2) * STEP_KB, growth);
	EXPECT_GE(STEPS * STEP_KB, growth);
	EXPECT_STREQ("growing", ls_row_field(&d, r, "verdict"));
	ls_doc_free(&d);
}

TEST_HARNESS_MAIN
