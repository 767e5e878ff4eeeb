/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A set of reproducers run side by side, leakers and non-leakers, and
 * what leakscope says of each over time (70_procs_leaks, 78_task_leaks):
 * started together, polled together, judged by one rule: every leaker is
 * named with its kind and subject pid:PID:COMM and its procs row is
 * growing; no non-leaker is ever named nor growing; nothing else is named.
 *
 * Include after kselftest_harness.h (TH_LOG) and ls_procs_util.h.
 * Header-only, like ls_procs_util.h.
 */
#ifndef LS_REPRO_SET_H
#define LS_REPRO_SET_H

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "ls_test_util.h"
#include "ls_procs_util.h"

struct ls_repro {
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

/*
 * Start every reproducer and note its subject.  Returns 0, or -errno
 * with *@failed the one that did not start (or is gone already).
 */
static inline int ls_repros_start(struct ls_repro *r, int n, int *failed)
{
	char comm[32];
	int i;

	*failed = 0;
	for (i = 0; i < n; i++) {
		r[i].named_ms = -1;
		r[i].growing_ms = -1;
		r[i].bad_last_ms = -1;
		r[i].pid = ls_repro_start(r[i].name, r[i].argv);
		if (r[i].pid < 0) {
			*failed = i;
			return r[i].pid;
		}
	}
	for (i = 0; i < n; i++) {
		if (!ls_proc_comm(r[i].pid, comm, sizeof(comm))) {
			*failed = i;
			return -ESRCH;
		}
		snprintf(r[i].subject, sizeof(r[i].subject), "pid:%d:%s",
			 r[i].pid, comm);
	}
	return 0;
}

static inline void ls_repros_kill(struct ls_repro *r, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		ls_kill_wait(r[i].pid);
		r[i].pid = 0;
	}
}

static inline struct ls_repro *ls_repro_by_pid(struct ls_repro *r, int n,
					       pid_t pid)
{
	int i;

	for (i = 0; i < n; i++)
		if (r[i].pid == pid)
			return &r[i];
	return NULL;
}

static inline void ls_repro_note_bad(struct ls_repro *x, long long t)
{
	if (x->bad_last_ms == t)
		return;
	if (!x->bad_polls++)
		x->bad_first_ms = t;
	x->bad_last_ms = t;
}

/*
 * One poll's judgement of @sus and @procs at @t ms: note what the
 * leakers got, return the number of violations (something named that is
 * no leaker, a non-leaker named or growing, a leaker named with the wrong
 * subject or kind).  With @verbose each is logged.
 */
static inline int ls_repros_judge(struct __test_metadata *_metadata,
				  struct ls_repro *r, int n,
				  const struct ls_doc *sus,
				  const struct ls_doc *procs, long long t,
				  bool verbose)
{
	const char *kind, *subject, *verdict;
	struct ls_repro *x;
	int i, bad = 0;
	pid_t pid;

	for (i = 0; i < sus->nrows; i++) {
		kind = ls_row_field(sus, &sus->rows[i], "kind");
		subject = ls_row_field(sus, &sus->rows[i], "subject");
		x = kind && ls_subject_pid(subject, &pid, NULL) ?
			ls_repro_by_pid(r, n, pid) : NULL;
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
			ls_repro_note_bad(x, t);
			bad++;
		} else if (!x->kind) {
			if (verbose)
				TH_LOG("at %lld ms: non-leaker %s (pid %d) named: %s %s",
				       t, x->name, x->pid, kind, subject);
			ls_repro_note_bad(x, t);
			bad++;
		} else if (strcmp(kind, x->kind)) {
			if (verbose)
				TH_LOG("at %lld ms: %s named %s, want %s", t,
				       x->name, kind, x->kind);
			ls_repro_note_bad(x, t);
			bad++;
		} else if (x->named_ms < 0) {
			x->named_ms = t;
		}
	}

	for (i = 0; i < n; i++) {
		verdict = ls_row_field(procs, ls_procs_row(procs, r[i].pid),
				       "verdict");
		if (!verdict || strcmp(verdict, "growing"))
			continue;	/* not sampled yet, or not growing */
		if (!r[i].kind) {
			if (verbose)
				TH_LOG("at %lld ms: non-leaker %s (pid %d) has verdict growing",
				       t, r[i].name, r[i].pid);
			ls_repro_note_bad(&r[i], t);
			bad++;
		} else if (r[i].growing_ms < 0) {
			r[i].growing_ms = t;
		}
	}
	return bad;
}

static inline bool ls_repros_all_named(const struct ls_repro *r, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (r[i].kind && (r[i].named_ms < 0 || r[i].growing_ms < 0))
			return false;
	return true;
}

/* Every child must still be running: a reproducer that died proves nothing. */
static inline int ls_repros_check_alive(struct __test_metadata *_metadata,
					struct ls_repro *r, int n)
{
	int i, st, dead = 0;

	for (i = 0; i < n; i++) {
		if (waitpid(r[i].pid, &st, WNOHANG) == r[i].pid) {
			TH_LOG("ls-repro-%s (pid %d) exited, status %#x",
			       r[i].name, r[i].pid, st);
			r[i].pid = 0;
			dead++;
		}
	}
	return dead;
}

/*
 * What each got, by @t ms: a line per leaker, the non-leakers'
 * violations; when a leaker was never named, suspects and procs as they
 * read now.
 */
static inline void ls_repros_report(struct __test_metadata *_metadata,
				    const struct ls_repro *r, int n,
				    long long t)
{
	int i;

	for (i = 0; i < n; i++) {
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
			ksft_print_msg("%-15s %-18s named after %5lld ms, growing after %5lld ms\n",
				       r[i].name, r[i].kind, r[i].named_ms,
				       r[i].growing_ms);
	}
	if (!ls_repros_all_named(r, n)) {
		ls_dump_file("suspects");
		ls_dump_file("procs");
	}
}

#endif /* LS_REPRO_SET_H */
