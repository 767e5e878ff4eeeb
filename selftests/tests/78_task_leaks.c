// SPDX-License-Identifier: GPL-2.0
/*
 * Tasks that accumulate are named, each by its kind, and nothing else is.
 *
 * With interval_ms=500, three leakers and three non-leakers start at the
 * same moment:
 *	thread-pile			thread-growth (threads that never exit)
 *	zombie-pile			zombie-growth (a parent that never reaps)
 *	clone-stack -g -p 300 -s 256	mapping-growth (clone() stacks without
 *					guard pages: one anon region that grows)
 *	threadpool			a fixed-size thread pool
 *	prefork				a pre-fork server recycling its workers
 *	zombie-pile -p 100 -r 800	a parent that reaps every child within
 *					a second
 * Within 30 s every leaker must be in `suspects` with its kind and subject
 * pid:PID:COMM, and its `procs` verdict must have been `growing`; for
 * 10 s more the watch goes on.  At every poll, from the first, the
 * suspects are exactly the leakers with their kinds: nothing else is
 * named (a non-leaker, a prefork worker, the test itself, init, the
 * kernel memory the leakers' tasks hold, a meminfo item they move), and
 * no non-leaker's verdict may be `growing`.  A row's verdict is growing
 * exactly when its process is named.
 *
 * Then: meminfo's KernelStack, growing with the thread pile, has the
 * thread-growth suspect as its next step (seen at some poll); and the
 * zombie pile's `zombies` column agrees with its zombie children in /proc,
 * counted before and after a `sample`.
 *
 * The test is the children's subreaper: the zombies of the killed pile
 * are reparented to it and reaped at the end, not left to init.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ls_test_util.h"
#include "ls_procs_util.h"
#include "ls_repro_set.h"

#define POLL_MS		500
#define DETECT_MS	30000
#define WATCH_MS	10000
#define NR_REPROS	6
#define PILE		0	/* the thread pile */
#define ZOMBIES		1	/* the parent that never reaps */

static const struct ls_repro repro_init[NR_REPROS] = {
	[PILE] = { .name = "thread-pile", .kind = "thread-growth",
	  .argv = { "ls-repro-thread-pile", "-p", "300", NULL } },
	[ZOMBIES] = { .name = "zombie-pile", .kind = "zombie-growth",
	  .argv = { "ls-repro-zombie-pile", "-p", "300", NULL } },
	{ .name = "clone-stack", .kind = "mapping-growth",
	  .argv = { "ls-repro-clone-stack", "-g", "-p", "300", "-s", "256",
		    NULL } },
	{ .name = "threadpool", .argv = { "ls-repro-threadpool", NULL } },
	{ .name = "prefork", .argv = { "ls-repro-prefork", NULL } },
	{ .name = "zombie-pile",
	  .argv = { "ls-repro-zombie-pile", "-p", "100", "-r", "800", NULL } },
};

FIXTURE(task_leaks) {
	struct ls_repro r[NR_REPROS];
};

FIXTURE_SETUP(task_leaks)
{
	int ret;

	memcpy(self->r, repro_init, sizeof(self->r));
	ASSERT_EQ(0, prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0));
	ASSERT_EQ(0, ls_unload());
	ret = ls_load("interval_ms=500");
	ASSERT_EQ(0, ret) TH_LOG("load %s: %s", ls_ko_path(), strerror(-ret));
}

FIXTURE_TEARDOWN(task_leaks)
{
	int i;

	for (i = 0; i < NR_REPROS; i++)
		ls_kill_wait(self->r[i].pid);
	ls_reap_all();
	EXPECT_EQ(0, ls_unload());
}

/* Is @pid named by some suspect in @sus? */
static bool named(const struct ls_doc *sus, pid_t pid)
{
	const char *subject;
	pid_t p;
	int i;

	for (i = 0; i < sus->nrows; i++) {
		subject = ls_row_field(sus, &sus->rows[i], "subject");
		if (ls_subject_pid(subject, &p, NULL) && p == pid)
			return true;
	}
	return false;
}

/*
 * One poll: read suspects, procs and summary, note what the leakers got,
 * and return the number of violations.  *@kstack is set when KernelStack
 * is growing with the thread pile's suspect as its next step.
 */
static int poll_once(struct __test_metadata *_metadata, struct ls_repro *r,
		     long long t, bool verbose, bool *kstack)
{
	struct ls_doc sus, procs, sum;
	const char *verdict, *next;
	const struct ls_row *row;
	int i, bad, ret;
	char want[96];
	bool same;
	pid_t pid;

	ret = ls_doc_load(&sus, "suspects");
	if (ret) {
		TH_LOG("suspects at %lld ms: %s %s", t, strerror(-ret), sus.err);
		ls_doc_free(&sus);
		return -1;
	}
	ret = ls_doc_load(&procs, "procs");
	if (ret) {
		TH_LOG("procs at %lld ms: %s %s", t, strerror(-ret), procs.err);
		ls_doc_free(&sus);
		ls_doc_free(&procs);
		return -1;
	}
	ret = ls_doc_load(&sum, "summary");
	if (ret) {
		TH_LOG("summary at %lld ms: %s %s", t, strerror(-ret), sum.err);
		ls_doc_free(&sus);
		ls_doc_free(&procs);
		ls_doc_free(&sum);
		return -1;
	}

	bad = ls_repros_judge(_metadata, r, NR_REPROS, &sus, &procs, t, verbose);

	/*
	 * A growing row is a named process: checked when both files show
	 * the same sample (no sample fell between the two reads).
	 */
	same = ls_doc_kv(&sus, "held") && ls_doc_kv(&procs, "held") &&
	       ls_doc_kv(&sus, "window_ms") && ls_doc_kv(&procs, "window_ms") &&
	       !strcmp(ls_doc_kv(&sus, "held"), ls_doc_kv(&procs, "held")) &&
	       !strcmp(ls_doc_kv(&sus, "window_ms"),
		       ls_doc_kv(&procs, "window_ms"));
	for (i = 0; same && i < procs.nrows; i++) {
		row = &procs.rows[i];
		verdict = ls_row_field(&procs, row, "verdict");
		if (!verdict || strcmp(verdict, "growing"))
			continue;
		pid = atoi(row->f[0]);
		if (!named(&sus, pid)) {
			if (verbose)
				TH_LOG("at %lld ms: pid %d growing, not named",
				       t, pid);
			bad++;
		}
	}

	row = ls_doc_row(&sum, "KernelStack");
	verdict = ls_row_field(&sum, row, "verdict");
	next = ls_row_field(&sum, row, "next");
	snprintf(want, sizeof(want), "thread-growth_%s", r[PILE].subject);
	if (verdict && next && !strcmp(verdict, "growing") &&
	    strstr(next, want))
		*kstack = true;

	if (bad && verbose) {
		ls_dump("suspects", sus.raw);
		ls_dump("procs", procs.raw);
	}
	ls_doc_free(&sus);
	ls_doc_free(&procs);
	ls_doc_free(&sum);
	return bad;
}

/* Zombie children of @parent, from /proc/PID/stat (state Z, ppid). */
static int count_zombies(pid_t parent)
{
	char path[300], buf[512], state, *p;
	struct dirent *de;
	int n = 0, ppid;
	DIR *d;
	FILE *f;

	d = opendir("/proc");
	if (!d)
		return -1;
	while ((de = readdir(d))) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", de->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		p = fgets(buf, sizeof(buf), f);
		fclose(f);
		/* comm may hold anything: parse after its last ')' */
		p = p ? strrchr(buf, ')') : NULL;
		if (p && sscanf(p + 1, " %c %d", &state, &ppid) == 2 &&
		    state == 'Z' && ppid == parent)
			n++;
	}
	closedir(d);
	return n;
}

TEST_F_TIMEOUT(task_leaks, leakers_named_others_not, 150)
{
	struct ls_repro *r = self->r;
	long long t0, t, t_all = -1, col;
	int i, bad_polls = 0, ret, before, after;
	bool kstack = false;
	struct ls_doc d;

	ret = ls_repros_start(r, NR_REPROS, &i);
	ASSERT_EQ(0, ret) TH_LOG("start ls-repro-%s: %s", r[i].name,
				 strerror(-ret));

	t0 = ls_now_ms();
	for (;;) {
		t = ls_now_ms() - t0;
		ASSERT_EQ(0, ls_repros_check_alive(_metadata, r, NR_REPROS));
		ret = poll_once(_metadata, r, t, bad_polls < 3, &kstack);
		if (ret < 0)
			ASSERT_EQ(0, ret);	/* a read failed: logged */
		if (ret > 0)
			bad_polls++;
		if (t_all < 0 && ls_repros_all_named(r, NR_REPROS))
			t_all = t;
		if (t_all >= 0 && t - t_all >= WATCH_MS)
			break;
		if (t_all < 0 && t > DETECT_MS)
			break;
		ls_sleep_ms(POLL_MS);
	}
	ls_repros_report(_metadata, r, NR_REPROS, t);
	ASSERT_LE(0, t_all) TH_LOG("not every leaker named within %d ms",
				   DETECT_MS);
	ksft_print_msg("all leakers named after %lld ms; watched %lld ms more\n",
		       t_all, t - t_all);

	if (!kstack) {
		ASSERT_EQ(0, ls_doc_load(&d, "summary"));
		ls_dump("summary", d.raw);
		ls_doc_free(&d);
	}
	EXPECT_TRUE(kstack) TH_LOG("KernelStack never growing with next %s",
				   r[PILE].subject);

	/* The zombies column against /proc, around a sample. */
	before = count_zombies(r[ZOMBIES].pid);
	ASSERT_EQ(0, ls_control_str("sample"));
	ASSERT_EQ(0, ls_doc_load(&d, "procs"));
	after = count_zombies(r[ZOMBIES].pid);
	ASSERT_TRUE(ls_row_num(&d, ls_procs_row(&d, r[ZOMBIES].pid),
			       "zombies", &col))
		ls_dump("procs", d.raw);
	ls_doc_free(&d);
	ksft_print_msg("zombie-pile: zombies %lld, /proc %d..%d\n", col,
		       before, after);
	EXPECT_LE(before, col);
	EXPECT_GE(after, col);
	EXPECT_LT(20, col);

	ls_repros_kill(r, NR_REPROS);
	ls_reap_all();
	EXPECT_EQ(0, bad_polls) TH_LOG("%d polls named a non-leaker or had one growing",
				       bad_polls);
}

TEST_HARNESS_MAIN
