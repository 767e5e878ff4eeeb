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

#define POLL_MS		500
#define DETECT_MS	30000
#define WATCH_MS	10000
#define NR_REPROS	6
#define PILE		0	/* the thread pile */
#define ZOMBIES		1	/* the parent that never reaps */

struct repro {
	const char *name;
	const char *kind;	/* the suspect kind it must get, NULL: none */
	char *argv[10];
	pid_t pid;
	char subject[64];	/* pid:PID:COMM */
	long long named_ms;	/* first poll that named it right, -1 */
	long long growing_ms;	/* first poll with procs verdict growing, -1 */
	int bad_polls;		/* non-leaker: polls that named it or had it growing */
	long long bad_first_ms, bad_last_ms;
};

static const struct repro repro_init[NR_REPROS] = {
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
	struct repro r[NR_REPROS];
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

static struct repro *by_pid(struct repro *r, pid_t pid)
{
	int i;

	for (i = 0; i < NR_REPROS; i++)
		if (r[i].pid == pid)
			return &r[i];
	return NULL;
}

static void note_bad(struct repro *x, long long t)
{
	if (x->bad_last_ms == t)
		return;
	if (!x->bad_polls++)
		x->bad_first_ms = t;
	x->bad_last_ms = t;
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
static int poll_once(struct __test_metadata *_metadata, struct repro *r,
		     long long t, bool verbose, bool *kstack)
{
	struct ls_doc sus, procs, sum;
	const char *kind, *subject, *verdict, *next;
	const struct ls_row *row;
	int i, bad = 0, ret;
	struct repro *x;
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

	for (i = 0; i < sus.nrows; i++) {
		kind = ls_row_field(&sus, &sus.rows[i], "kind");
		subject = ls_row_field(&sus, &sus.rows[i], "subject");
		x = kind && ls_subject_pid(subject, &pid, NULL) ?
			by_pid(r, pid) : NULL;
		/* The exact set: anything but a leaker is a false suspect */
		if (!x && kind && !strcmp(kind, "slab-growth") &&
		    ls_kernel_has_kasan())
			continue;	/* KASAN's quarantine: ls_test_util.h */
		if (!x) {
			if (verbose)
				TH_LOG("at %lld ms: named what is no leaker: %s %s",
				       t, kind ?: "?", subject ?: "?");
			bad++;
			continue;
		}
		if (strcmp(subject, x->subject)) {
			if (verbose)
				TH_LOG("at %lld ms: subject %s, want %s", t,
				       subject, x->subject);
			note_bad(x, t);
			bad++;
		} else if (!x->kind) {
			if (verbose)
				TH_LOG("at %lld ms: non-leaker %s (pid %d) named: %s %s",
				       t, x->name, x->pid, kind, subject);
			note_bad(x, t);
			bad++;
		} else if (strcmp(kind, x->kind)) {
			if (verbose)
				TH_LOG("at %lld ms: %s named %s, want %s", t,
				       x->name, kind, x->kind);
			note_bad(x, t);
			bad++;
		} else if (x->named_ms < 0) {
			x->named_ms = t;
		}
	}

	for (i = 0; i < NR_REPROS; i++) {
		verdict = ls_row_field(&procs, ls_procs_row(&procs, r[i].pid),
				       "verdict");
		if (!verdict)
			continue;	/* not sampled yet */
		if (strcmp(verdict, "growing"))
			continue;
		if (!r[i].kind) {
			if (verbose)
				TH_LOG("at %lld ms: non-leaker %s (pid %d) has verdict growing",
				       t, r[i].name, r[i].pid);
			note_bad(&r[i], t);
			bad++;
		} else if (r[i].growing_ms < 0) {
			r[i].growing_ms = t;
		}
	}

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

static bool all_named(const struct repro *r)
{
	int i;

	for (i = 0; i < NR_REPROS; i++)
		if (r[i].kind && (r[i].named_ms < 0 || r[i].growing_ms < 0))
			return false;
	return true;
}

/* Every child must still be running: a reproducer that died proves nothing. */
static int check_alive(struct __test_metadata *_metadata, struct repro *r)
{
	int i, st, dead = 0;

	for (i = 0; i < NR_REPROS; i++) {
		if (waitpid(r[i].pid, &st, WNOHANG) == r[i].pid) {
			TH_LOG("ls-repro-%s (pid %d) exited, status %#x",
			       r[i].name, r[i].pid, st);
			r[i].pid = 0;
			dead++;
		}
	}
	return dead;
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
	struct repro *r = self->r;
	long long t0, t, t_all = -1, col;
	int i, bad_polls = 0, ret, before, after;
	bool kstack = false;
	char comm[32];
	struct ls_doc d;

	for (i = 0; i < NR_REPROS; i++) {
		r[i].named_ms = -1;
		r[i].growing_ms = -1;
		r[i].bad_last_ms = -1;
		r[i].pid = ls_repro_start(r[i].name, r[i].argv);
		ASSERT_LT(0, r[i].pid) TH_LOG("start ls-repro-%s: %s",
					       r[i].name, strerror(-r[i].pid));
	}
	for (i = 0; i < NR_REPROS; i++) {
		ASSERT_TRUE(ls_proc_comm(r[i].pid, comm, sizeof(comm)))
			TH_LOG("ls-repro-%s is gone", r[i].name);
		snprintf(r[i].subject, sizeof(r[i].subject), "pid:%d:%s",
			 r[i].pid, comm);
	}

	t0 = ls_now_ms();
	for (;;) {
		t = ls_now_ms() - t0;
		ASSERT_EQ(0, check_alive(_metadata, r));
		ret = poll_once(_metadata, r, t, bad_polls < 3, &kstack);
		if (ret < 0)
			ASSERT_EQ(0, ret);	/* a read failed: logged */
		if (ret > 0)
			bad_polls++;
		if (t_all < 0 && all_named(r))
			t_all = t;
		if (t_all >= 0 && t - t_all >= WATCH_MS)
			break;
		if (t_all < 0 && t > DETECT_MS)
			break;
		ls_sleep_ms(POLL_MS);
	}
	for (i = 0; i < NR_REPROS; i++) {
		if (!r[i].kind) {
			if (r[i].bad_polls)
				TH_LOG("non-leaker %s (pid %d) named or growing in %d polls, from %lld to %lld ms",
				       r[i].name, r[i].pid, r[i].bad_polls,
				       r[i].bad_first_ms, r[i].bad_last_ms);
			continue;
		}
		if (r[i].named_ms < 0 || r[i].growing_ms < 0)
			TH_LOG("%s (pid %d): %s %s after %lld ms, verdict growing %s",
			       r[i].name, r[i].pid, r[i].kind,
			       r[i].named_ms < 0 ? "not named" : "named",
			       t, r[i].growing_ms < 0 ? "never" : "seen");
		else
			ksft_print_msg("%-15s %-16s named after %5lld ms, growing after %5lld ms\n",
				       r[i].name, r[i].kind, r[i].named_ms,
				       r[i].growing_ms);
	}
	if (t_all < 0) {
		ASSERT_EQ(0, ls_doc_load(&d, "suspects"));
		ls_dump("suspects", d.raw);
		ls_doc_free(&d);
		ASSERT_EQ(0, ls_doc_load(&d, "procs"));
		ls_dump("procs", d.raw);
		ls_doc_free(&d);
	}
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

	for (i = 0; i < NR_REPROS; i++) {
		ls_kill_wait(r[i].pid);
		r[i].pid = 0;
	}
	ls_reap_all();
	EXPECT_EQ(0, bad_polls) TH_LOG("%d polls named a non-leaker or had one growing",
				       bad_polls);
}

TEST_HARNESS_MAIN
