// SPDX-License-Identifier: GPL-2.0
/*
 * Process leaks are named, and nothing else is.
 *
 * With interval_ms=500, four leakers and three non-leakers start at the
 * same moment:
 *	clone-stack -p 300 -s 256	thread-stack-leak (clone() stacks never unmapped)
 *	pthread-nojoin			thread-stack-leak (joinable threads never joined)
 *	malloc-drip			anon-growth
 *	mlock-drip			mlock-growth
 *	flat, sawtooth, threadpool	nothing, ever
 * Within 30 s every leaker must be in `suspects` with its kind and subject
 * pid:PID:COMM, and its `procs` verdict must have been `growing`; for
 * 10 s more the watch goes on.  At every poll, from the first, the
 * suspects are exactly leakers with their kinds: nothing else is named
 * (a non-leaker, the test itself, init, a meminfo item the leakers
 * move), and no non-leaker's verdict may be `growing`: a false suspect is
 * a failure even if it goes away again.
 *
 * Then `pid=` of clone-stack takes a baseline; 3 s later `regions` must
 * show the stacks leaked since as new orphan-stack regions (252 kB, each
 * with a new 4 kB guard directly below), while the main [stack] is kind
 * stack and not new.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ls_test_util.h"
#include "ls_procs_util.h"
#include "ls_repro_set.h"

#define POLL_MS		500
#define DETECT_MS	30000
#define WATCH_MS	10000
#define BASELINE_MS	3000
#define NR_REPROS	7

static const struct ls_repro repro_init[NR_REPROS] = {
	{ .name = "clone-stack", .kind = "thread-stack-leak",
	  .argv = { "ls-repro-clone-stack", "-p", "300", "-s", "256", NULL } },
	{ .name = "pthread-nojoin", .kind = "thread-stack-leak",
	  .argv = { "ls-repro-pthread-nojoin", NULL } },
	{ .name = "malloc-drip", .kind = "anon-growth",
	  .argv = { "ls-repro-malloc-drip", NULL } },
	{ .name = "mlock-drip", .kind = "mlock-growth",
	  .argv = { "ls-repro-mlock-drip", NULL } },
	{ .name = "flat", .argv = { "ls-repro-flat", NULL } },
	{ .name = "sawtooth", .argv = { "ls-repro-sawtooth", NULL } },
	{ .name = "threadpool", .argv = { "ls-repro-threadpool", NULL } },
};

FIXTURE(procs_leaks) {
	struct ls_repro r[NR_REPROS];
};

FIXTURE_SETUP(procs_leaks)
{
	int ret;

	memcpy(self->r, repro_init, sizeof(self->r));
	ASSERT_EQ(0, ls_unload());
	ret = ls_load("interval_ms=500");
	ASSERT_EQ(0, ret) TH_LOG("load %s: %s", ls_ko_path(), strerror(-ret));
}

FIXTURE_TEARDOWN(procs_leaks)
{
	int i;

	for (i = 0; i < NR_REPROS; i++)
		ls_kill_wait(self->r[i].pid);
	EXPECT_EQ(0, ls_unload());
}

/*
 * One poll: read suspects and procs, note what the leakers got, and
 * return the number of violations (a non-leaker named or growing, a
 * leaker's pid with the wrong comm).  With @verbose they are logged with
 * both files; the test goes on either way, to show the whole picture.
 */
static int poll_once(struct __test_metadata *_metadata, struct ls_repro *r,
		     long long t, bool verbose)
{
	struct ls_doc sus, procs;
	int bad, ret;

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
	bad = ls_repros_judge(_metadata, r, NR_REPROS, &sus, &procs, t, verbose);

	if (bad && verbose) {
		ls_dump("suspects", sus.raw);
		ls_dump("procs", procs.raw);
	}
	ls_doc_free(&sus);
	ls_doc_free(&procs);
	return bad;
}

static void regions_check(struct __test_metadata *_metadata,
			  const struct ls_doc *d, pid_t pid)
{
	int i, new_stacks = 0, running = 0, bad = 0, main_stack = 0;
	int in_setup = 0;
	unsigned long long s, e, ps, pe;
	const char *kind, *new, *name, *size, *pkind, *pnew;
	char want_pid[16];

	snprintf(want_pid, sizeof(want_pid), "%d", pid);
	EXPECT_STREQ("regions", d->file);
	EXPECT_STREQ(want_pid, ls_doc_kv(d, "pid") ?: "(none)");
	EXPECT_STREQ("ok", ls_doc_kv(d, "status") ?: "(none)");

	for (i = 0; i < d->nrows; i++) {
		const struct ls_row *r = &d->rows[i];

		kind = ls_row_field(d, r, "kind");
		new = ls_row_field(d, r, "new");
		name = ls_row_field(d, r, "name");
		size = ls_row_field(d, r, "size_kb");
		if (!kind || !new || !name || !size) {
			TH_LOG("row %d: missing fields", i);
			bad++;
			continue;
		}
		if (!strcmp(name, "[stack]")) {
			main_stack++;
			if (strcmp(kind, "stack") || strcmp(new, "-")) {
				TH_LOG("main [stack]: kind %s, new %s; want stack, -",
				       kind, new);
				bad++;
			}
			continue;
		}
		if (strcmp(new, "new"))
			continue;
		if (!strcmp(kind, "guard"))
			continue;	/* checked with the stack above it */
		/*
		 * clone-stack mmaps 256 kB read-write, then makes its lowest
		 * page the guard: a read in between sees one 256 kB anon
		 * region, the stack being set up, once.
		 */
		if (!strcmp(kind, "anon") && !strcmp(size, "256") &&
		    !in_setup++)
			continue;
		if (strcmp(kind, "orphan-stack") && strcmp(kind, "thread-stack")) {
			TH_LOG("row %d: new region of kind %s (%s kB %s)", i,
			       kind, size, name);
			bad++;
			continue;
		}
		new_stacks++;
		/*
		 * A clone-stack thread lives for microseconds: the newest
		 * stack may be caught in use, once.
		 */
		if (!strcmp(kind, "thread-stack"))
			running++;
		if (strcmp(size, "252")) {
			TH_LOG("row %d: new %s of %s kB, want 252", i, kind,
			       size);
			bad++;
		}
		/* The guard: the region right below, new too, 4 kB, adjacent. */
		if (i == 0) {
			TH_LOG("row 0: a stack with nothing below it");
			bad++;
			continue;
		}
		pkind = ls_row_field(d, &d->rows[i - 1], "kind");
		pnew = ls_row_field(d, &d->rows[i - 1], "new");
		if (sscanf(d->rows[i].f[0], "%llx", &s) != 1 ||
		    sscanf(d->rows[i].f[1], "%llx", &e) != 1 ||
		    sscanf(d->rows[i - 1].f[0], "%llx", &ps) != 1 ||
		    sscanf(d->rows[i - 1].f[1], "%llx", &pe) != 1 ||
		    !pkind || strcmp(pkind, "guard") || !pnew ||
		    strcmp(pnew, "new") || pe != s || pe - ps != 4096) {
			TH_LOG("row %d (%s-%s %s): no new 4 kB guard right below (%s-%s %s %s)",
			       i, d->rows[i].f[0], d->rows[i].f[1], kind,
			       d->rows[i - 1].f[0], d->rows[i - 1].f[1],
			       pkind ?: "?", pnew ?: "?");
			bad++;
		}
	}
	/* 3 s at one stack per 300 ms: about 10; allow for a slow VM. */
	if (new_stacks < 5) {
		TH_LOG("%d new stacks after %d ms, want >= 5", new_stacks,
		       BASELINE_MS);
		bad++;
	}
	if (running > 1) {
		TH_LOG("%d new stacks in use; clone-stack has at most one thread running",
		       running);
		bad++;
	}
	if (main_stack != 1) {
		TH_LOG("%d [stack] regions, want 1", main_stack);
		bad++;
	}
	if (bad)
		ls_dump("regions", d->raw);
	else
		ksft_print_msg("regions: %d new stacks with guards (%d in use)\n",
			       new_stacks, running);
	EXPECT_EQ(0, bad);
}

TEST_F_TIMEOUT(procs_leaks, leakers_named_others_not, 150)
{
	struct ls_repro *r = self->r;
	long long t0, t, t_all = -1;
	char buf[16];
	struct ls_doc d;
	int i, bad_polls = 0, ret;
	pid_t cs;

	ret = ls_repros_start(r, NR_REPROS, &i);
	ASSERT_EQ(0, ret) TH_LOG("start ls-repro-%s: %s", r[i].name,
				 strerror(-ret));

	/*
	 * Detection, then the watch.  Violations are checked at every poll;
	 * the first three polls with one are logged in full, and the test
	 * goes on so that the report shows all of them and the regions part.
	 */
	t0 = ls_now_ms();
	for (;;) {
		t = ls_now_ms() - t0;
		ASSERT_EQ(0, ls_repros_check_alive(_metadata, r, NR_REPROS));
		ret = poll_once(_metadata, r, t, bad_polls < 3);
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

	/* regions: a baseline at pid=, then what clone-stack leaks after it. */
	cs = r[0].pid;
	snprintf(buf, sizeof(buf), "pid=%d", cs);
	ret = ls_control_str(buf);
	ASSERT_EQ(0, ret) TH_LOG("write %s: %s", buf, strerror(-ret));
	ls_sleep_ms(BASELINE_MS);
	ASSERT_EQ(0, ls_repros_check_alive(_metadata, r, NR_REPROS));
	ret = ls_doc_load(&d, "regions");
	ASSERT_EQ(0, ret) TH_LOG("regions: %s %s", strerror(-ret), d.err);
	regions_check(_metadata, &d, cs);
	ls_doc_free(&d);

	ls_repros_kill(r, NR_REPROS);
	EXPECT_EQ(0, bad_polls) TH_LOG("%d polls named a non-leaker or had one growing",
				       bad_polls);
}

TEST_HARNESS_MAIN
