// SPDX-License-Identifier: GPL-2.0
/*
 * Verdicts a person can trust (README, "Growth means sustained growth").
 *
 * rise_once_never_named: with sampling already under way (interval_ms=250,
 * samples=64: a 16 s window, so that a 2 s burst stays within a quarter
 * of it even on the slow debug kernel), programs and a kernel module start and take
 * memory once, mid-window, then keep it: 24 MB of malloc, 8 MB mlocked,
 * 8 MB written to tmpfs, a thread pool coming to its size, ls_leaky.ko
 * growing its slab cache and its vmalloc caller for 2 s and stopping.
 * Watched for a full window plus 10 s after the last rise, the suspects
 * are the empty set at every poll: none of them, nor anything else.
 *
 * leak_that_stops_clears: ls_leaky.ko leaks for 15 s and stops.  While it
 * leaks, the suspects are exactly {vmalloc-growth of its caller,
 * slab-growth of its cache}; once it stops (its own dmesg line), both go
 * within 3/8 of the window plus one sample (25 samples, 6.25 s; 2 s of
 * slack for a loaded host), and the rows' verdicts agree with the
 * suspects at every poll.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ls_test_util.h"
#include "ls_procs_util.h"

#define INTERVAL_MS	250
#define SAMPLES		64
#define WINDOW_MS	(INTERVAL_MS * SAMPLES)
/* A stopped rise clears within 3/8 of the window plus one sample */
#define CLEAR_MS	((3 * SAMPLES / 8 + 1) * INTERVAL_MS)
#define SLACK_MS	2000
#define LEAKY_CALLER	"ls_leaky_vmalloc_one"
#define LEAKY_CACHE	"slab:ls_leaky_cache"
#define NR_REPROS	4
#define LS_MAX_SUSPECT_LINES	32

FIXTURE(verdicts) {
	pid_t repro[NR_REPROS];
	int kmsg;
};

FIXTURE_SETUP(verdicts)
{
	char params[64];
	int ret;

	memset(self->repro, 0, sizeof(self->repro));
	self->kmsg = -1;
	ASSERT_EQ(0, ls_unload());
	ret = ls_mod_unload_retry(LS_LEAKY_MODNAME, 5000);
	ASSERT_TRUE(!ret || ret == -ENOENT);
	snprintf(params, sizeof(params), "interval_ms=%d samples=%d",
		 INTERVAL_MS, SAMPLES);
	ret = ls_load(params);
	ASSERT_EQ(0, ret) TH_LOG("load %s: %s", ls_ko_path(), strerror(-ret));
	self->kmsg = ls_kmsg_open();
	ASSERT_LE(0, self->kmsg);
}

FIXTURE_TEARDOWN(verdicts)
{
	int i, ret;

	for (i = 0; i < NR_REPROS; i++)
		ls_kill_wait(self->repro[i]);
	unlink("/dev/shm/ls-rise-once");
	if (self->kmsg >= 0)
		close(self->kmsg);
	ret = ls_mod_unload_retry(LS_LEAKY_MODNAME, 5000);
	EXPECT_TRUE(!ret || ret == -ENOENT);
	EXPECT_EQ(0, ls_unload());
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char * const *)a, *(char * const *)b);
}

/*
 * The suspects as "kind subject" lines, sorted, into @out; the number of
 * them, or -errno.  On a KASAN kernel, other caches' slab-growth is left
 * out (ls_kernel_has_kasan()).
 */
static int suspect_set(char *out, size_t len)
{
	char line[LS_MAX_SUSPECT_LINES][160], *sorted[LS_MAX_SUSPECT_LINES];
	int ks, ss, i, n, m;
	struct ls_doc d;
	size_t used = 0;

	out[0] = '\0';
	n = ls_doc_load(&d, "suspects");
	if (n)
		return n;
	ks = ls_doc_col(&d, "kind");
	ss = ls_doc_col(&d, "subject");
	n = d.nrows < LS_MAX_SUSPECT_LINES ? d.nrows : LS_MAX_SUSPECT_LINES;
	for (i = 0, m = 0; ks >= 0 && ss >= 0 && i < n; i++) {
		/* KASAN's quarantine (ls_test_util.h), not ls_leaky's cache */
		if (!strcmp(d.rows[i].f[ks], "slab-growth") &&
		    strcmp(d.rows[i].f[ss], LEAKY_CACHE) &&
		    ls_kernel_has_kasan())
			continue;
		snprintf(line[m], sizeof(line[m]), "%s %s", d.rows[i].f[ks],
			 d.rows[i].f[ss]);
		sorted[m] = line[m];
		m++;
	}
	qsort(sorted, m, sizeof(sorted[0]), cmp_str);
	for (i = 0; i < m && used < len; i++)
		used += snprintf(out + used, len - used, "%s\n", sorted[i]);
	n = m;
	ls_doc_free(&d);
	return n;
}

static void dump(const char *name)
{
	char *text = NULL;

	if (!ls_read_file(name, &text))
		ls_dump(name, text);
	free(text);
}

TEST_F_TIMEOUT(verdicts, rise_once_never_named, 120)
{
	static char * const malloc_argv[] = { "ls-repro-malloc-drip", "-p",
		"100", "-s", "2048", "-n", "12", NULL };
	static char * const mlock_argv[] = { "ls-repro-mlock-drip", "-p",
		"100", "-s", "1024", "-n", "8", NULL };
	static char * const tmpfs_argv[] = { "ls-repro-tmpfs-grow", "-r",
		"8192", "-t", "1", "/dev/shm/ls-rise-once", NULL };
	static char * const pool_argv[] = { "ls-repro-threadpool", "-p",
		"200", "-t", "4", NULL };
	static const char * const names[NR_REPROS] = {
		"malloc-drip", "mlock-drip", "tmpfs-grow", "threadpool",
	};
	char * const *argv[NR_REPROS] = {
		malloc_argv, mlock_argv, tmpfs_argv, pool_argv,
	};
	char set[4096], msg[256];
	long long t_rise, t_end;
	int i, n, polls = 0, ret;

	/* Sampling is under way: a third of a window */
	ls_sleep_ms(WINDOW_MS / 3);
	for (i = 0; i < NR_REPROS; i++) {
		self->repro[i] = ls_repro_start(names[i], argv[i]);
		ASSERT_LT(0, self->repro[i]) TH_LOG("%s: %s", names[i],
						   strerror(-self->repro[i]));
	}
	ret = ls_leaky_load("period_ms=100 max_ticks=20 vm_kb=64 obj_size=2048 objs_per_tick=32");
	ASSERT_EQ(0, ret) TH_LOG("load %s: %s", ls_leaky_ko_path(),
				 strerror(-ret));
	/* The last of them is done in 2 s (ls_leaky says when) */
	ret = ls_kmsg_wait(self->kmsg, "ls_leaky: stopped after", msg,
			   sizeof(msg), 10000);
	ASSERT_EQ(0, ret) TH_LOG("ls_leaky did not stop: %s", strerror(-ret));
	t_rise = ls_now_ms();
	t_end = t_rise + WINDOW_MS + 10000;

	while (ls_now_ms() < t_end) {
		n = suspect_set(set, sizeof(set));
		ASSERT_LE(0, n) TH_LOG("suspects: %s", strerror(-n));
		polls++;
		if (n) {
			TH_LOG("%lld ms after the last rise, named:\n%s",
			       ls_now_ms() - t_rise, set);
			dump("suspects");
			dump("procs");
			dump("summary");
		}
		ASSERT_EQ(0, n);
		ls_sleep_ms(500);
	}
	ksft_print_msg("nothing named in %d polls over %d ms after the rise\n",
		       polls, WINDOW_MS + 10000);
}

/* The verdict column of the row whose @key_col is @key in file @name */
static const char *row_verdict(struct ls_doc *d, const char *name,
			       const char *key_col, const char *key)
{
	int kc, vc, i;

	if (ls_doc_load(d, name))
		return NULL;
	kc = ls_doc_col(d, key_col);
	vc = ls_doc_col(d, "verdict");
	for (i = 0; kc >= 0 && vc >= 0 && i < d->nrows; i++)
		if (!strncmp(d->rows[i].f[kc], key, strlen(key)))
			return d->rows[i].f[vc];
	return NULL;
}

/* Are the slab and vmalloc rows of ls_leaky "growing"? (-1: no row) */
static int rows_growing(bool *vm, bool *slab)
{
	struct ls_doc dv, ds;
	const char *v, *s;

	v = row_verdict(&dv, "vmalloc", "caller", LEAKY_CALLER);
	s = row_verdict(&ds, "slab", "cache", LEAKY_CACHE + 5);
	*vm = v && !strcmp(v, "growing");
	*slab = s && !strcmp(s, "growing");
	ls_doc_free(&dv);
	ls_doc_free(&ds);
	return v && s ? 0 : -1;
}

TEST_F_TIMEOUT(verdicts, leak_that_stops_clears, 120)
{
	char set[4096], want[256], msg[256];
	long long t0, t_named = -1, t_stop, t_clear = -1;
	bool vm, slab;
	int n, ret;

	snprintf(want, sizeof(want), "slab-growth %s\nvmalloc-growth vmalloc:%s",
		 LEAKY_CACHE, LEAKY_CALLER);
	ls_sleep_ms(WINDOW_MS / 3);
	ret = ls_leaky_load("period_ms=100 max_ticks=150 vm_kb=64 obj_size=2048 objs_per_tick=32");
	ASSERT_EQ(0, ret) TH_LOG("load %s: %s", ls_leaky_ko_path(),
				 strerror(-ret));
	t0 = ls_now_ms();

	/* Leaking: named, exactly these two, rows growing when named */
	for (;;) {
		ret = ls_kmsg_wait(self->kmsg, "ls_leaky: stopped after", msg,
				   sizeof(msg), 250);
		if (!ret)
			break;
		ASSERT_EQ(-ETIMEDOUT, ret);
		ASSERT_GT(60000, ls_now_ms() - t0);
		n = suspect_set(set, sizeof(set));
		ASSERT_LE(0, n);
		if (!n)
			continue;
		/*
		 * Sorted, "slab-growth slab:ls_leaky_cache" then
		 * "vmalloc-growth vmalloc:ls_leaky_vmalloc_one+0x.../0x...
		 * [ls_leaky]": one of them or both, and nothing else (the
		 * two may be named a sample apart).
		 */
		if (n == 2 && strncmp(set, want, strlen(want)))
			n = -1;
		else if (n == 1 &&
			 strncmp(set, want, strchr(want, '\n') + 1 - want) &&
			 strncmp(set, strchr(want, '\n') + 1,
				 strlen(strchr(want, '\n') + 1)))
			n = -1;
		if (n < 0 || n > 2)
			dump("suspects");
		ASSERT_TRUE(n == 1 || n == 2) TH_LOG("named:\n%s", set);
		if (n == 2 && t_named < 0) {
			t_named = ls_now_ms() - t0;
			if (!rows_growing(&vm, &slab))
				EXPECT_TRUE(vm && slab);
		}
	}
	t_stop = ls_now_ms();
	ASSERT_LE(0, t_named) TH_LOG("not both named while it leaked 15 s");

	/* Stopped: both clear in time, and stay cleared */
	while (ls_now_ms() - t_stop < CLEAR_MS + SLACK_MS + 4000) {
		n = suspect_set(set, sizeof(set));
		ASSERT_LE(0, n);
		if (!n && t_clear < 0)
			t_clear = ls_now_ms() - t_stop;
		if (t_clear >= 0) {
			ASSERT_EQ(0, n) TH_LOG("named again:\n%s", set);
			if (!rows_growing(&vm, &slab))
				EXPECT_FALSE(vm || slab);
		}
		ls_sleep_ms(250);
	}
	ASSERT_LE(0, t_clear) TH_LOG("still named:\n%s", set);
	ksft_print_msg("named %lld ms after it started; cleared %lld ms after it stopped (bound %d ms)\n",
		       t_named, t_clear, CLEAR_MS);
	EXPECT_GE(CLEAR_MS + SLACK_MS, t_clear);
}

TEST_HARNESS_MAIN
