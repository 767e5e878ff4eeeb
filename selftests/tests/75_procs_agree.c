// SPDX-License-Identifier: GPL-2.0
/*
 * procs agrees with /proc/PID/status, for every process.
 *
 * Each round: list /proc, read every listed process's /proc/PID/status,
 * write `sample`, read every status again at once, then read procs.  Each
 * row must match what status said around the sample: vsz_kb = VmSize,
 * anon_kb = RssAnon, shmem_kb = RssShmem, locked_kb = VmLck, threads =
 * Threads summed over the processes that share the mm (and only one of
 * them has a row).  The read after the sample is the comparison; the one
 * before only widens the range for a process that changed meanwhile
 * (say, a reproducer left running by an earlier test), so for an idle
 * process the check is equality.
 *
 * Among the processes: a helper with four extra pthreads (Threads 5), and
 * a helper with two extra pthreads whose CLONE_VM child (not CLONE_THREAD:
 * a separate process on the same mm) must be folded into the helper's row
 * with threads 3 + 1 = 4.  Both also hold anonymous, shared and locked
 * memory, so no compared column is trivially zero.
 *
 * Tolerance, and why:
 * - The module is loaded with interval_ms=3600000, so the only samples
 *   are ours: the row is from the `sample` write, which returned before
 *   the second status reads began.  Everything we allocate (the pid list,
 *   the status buffer, touched in advance) is allocated before the first
 *   reads, so this process maps nothing in between, and every other
 *   process we started sleeps.
 * - VmSize (mm->total_vm), VmLck (mm->locked_vm) and Threads change only
 *   by mmap/munmap/mlock and clone/exit: they must lie between the two
 *   reads exactly (equal, for an idle process).  The test process itself
 *   is allowed SELF_SLACK_KB, in case libc maps something for its own
 *   file reads.
 * - RssAnon/RssShmem.  On 6.1 (SPLIT_RSS_COUNTING) each thread counts its
 *   own page faults in task->rss_stat and folds them into the mm's
 *   counters every 64 events (TASK_RSS_EVENTS_THRESH, mm/memory.c), so the
 *   counter both sides read lags the truth by up to 64 pages per thread
 *   per counter, and a thread that runs between the two reads may fold
 *   its lag in.  On 6.12 both sides sum the percpu counters exactly
 *   (get_mm_counter_sum() in /proc, percpu_counter_sum_positive() in the
 *   module) and only real faults between the reads differ.  Either way a
 *   sleeping process shows the same number twice; we allow 64 pages per
 *   thread of the mm (256 kB per thread with 4 kB pages) for a thread
 *   that runs, plus SELF_SLACK_KB for this process.
 * - A process that exits between the first status read and the second
 *   is skipped (a status read fails), as is one that starts after the
 *   pid list was taken (it may have a row we cannot check: not an error).
 *   Zombies and kernel threads have no mm and no row.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ls_test_util.h"
#include "ls_procs_util.h"

#define MAX_PIDS	4096
#define ROUNDS		5
#define RSS_EVENTS	64		/* TASK_RSS_EVENTS_THRESH */
#define SELF_SLACK_KB	1024
#define STATUS_LEN	8192

struct helper {
	pid_t pid;
	pid_t sharer;		/* its CLONE_VM child, or 0 */
	int extra_threads;
};

static void *sleeper(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static int vm_child(void *arg)
{
	ls_die_with_parent((pid_t)(long)arg);
	for (;;)
		pause();
	return 0;
}

/*
 * The body of a helper process: extra threads, 1 MiB of private anonymous
 * memory, 256 kB of shared anonymous memory (RssShmem), 64 kB locked, and
 * with @sharer a CLONE_VM child.  Reports "pid sharer\n" on @fd, sleeps.
 */
static void helper_main(int fd, int extra_threads, bool sharer)
{
	static char vm_stack[64 * 1024] __attribute__((aligned(16)));
	char *priv, *shared, *locked, msg[64];
	pthread_t t;
	pid_t child = 0;
	int i, len;

	priv = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	shared = mmap(NULL, 256 << 10, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	locked = mmap(NULL, 64 << 10, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (priv == MAP_FAILED || shared == MAP_FAILED || locked == MAP_FAILED)
		_exit(1);
	memset(priv, 1, 1 << 20);
	memset(shared, 2, 256 << 10);
	if (mlock(locked, 64 << 10))
		_exit(1);
	for (i = 0; i < extra_threads; i++)
		if (pthread_create(&t, NULL, sleeper, NULL))
			_exit(1);
	if (sharer) {
		child = clone(vm_child, vm_stack + sizeof(vm_stack),
			      CLONE_VM | SIGCHLD, (void *)(long)getpid());
		if (child < 0)
			_exit(1);
	}
	len = snprintf(msg, sizeof(msg), "%d %d\n", getpid(), child);
	if (write(fd, msg, len) != len)
		_exit(1);
	close(fd);
	for (;;)
		pause();
}

static int helper_start(struct helper *h, int extra_threads, bool sharer)
{
	char buf[64] = "";
	int p[2], pid, child;
	pid_t parent = getpid();
	ssize_t r;

	h->extra_threads = extra_threads;
	if (pipe(p))
		return -errno;
	h->pid = fork();
	if (h->pid < 0)
		return -errno;
	if (!h->pid) {
		ls_die_with_parent(parent);
		close(p[0]);
		helper_main(p[1], extra_threads, sharer);
	}
	close(p[1]);
	r = read(p[0], buf, sizeof(buf) - 1);
	close(p[0]);
	if (r <= 0 || sscanf(buf, "%d %d", &pid, &child) != 2 ||
	    pid != h->pid)
		return -EPROTO;
	h->sharer = child;
	return 0;
}

FIXTURE(procs_agree) {
	struct helper threaded, sharing;
	pid_t pids[MAX_PIDS];
	struct ls_pstatus pre_all[MAX_PIDS];	/* by index in pids[] */
	int pre_ok[MAX_PIDS];
	struct ls_pstatus pre[MAX_PIDS];	/* pre_all, matched to st[] */
	struct ls_pstatus st[MAX_PIDS];
	int group[MAX_PIDS];	/* index of the first pid of the same mm */
	char buf[STATUS_LEN];
};

FIXTURE_SETUP(procs_agree)
{
	int ret;

	memset(&self->threaded, 0, sizeof(self->threaded));
	memset(&self->sharing, 0, sizeof(self->sharing));
	/* The CLONE_VM child is reparented to us when its parent dies. */
	ASSERT_EQ(0, prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0));
	ASSERT_EQ(0, ls_unload());
	ret = ls_load("interval_ms=3600000");
	ASSERT_EQ(0, ret) TH_LOG("load %s: %s", ls_ko_path(), strerror(-ret));
}

FIXTURE_TEARDOWN(procs_agree)
{
	ls_kill_wait(self->sharing.sharer);
	ls_kill_wait(self->sharing.pid);
	ls_kill_wait(self->threaded.pid);
	ls_reap_all();
	EXPECT_EQ(0, ls_unload());
}

/* got within [min(a, b) - tol, max(a, b) + tol]? */
static bool within(long long got, long long a, long long b, long long tol)
{
	long long lo = a < b ? a : b, hi = a < b ? b : a;

	return got >= lo - tol && got <= hi + tol;
}

/*
 * Compare one procs row with the status of every process of its mm (read
 * before and after the sample).  Returns the mismatches, logged.
 */
static int compare_row(struct __test_metadata *_metadata,
		       const struct ls_doc *d, const struct ls_row *row,
		       const struct ls_pstatus *pre,
		       const struct ls_pstatus *st, int n, const int *group,
		       int g, pid_t self_pid)
{
	long long vsz, anon, shmem, locked, threads, tol;
	long long thr_pre = 0, thr_post = 0;
	const struct ls_pstatus *s = &st[g], *b = &pre[g];
	long long page_kb = sysconf(_SC_PAGESIZE) / 1024;
	long long slack = 0;
	int i, bad = 0;

	for (i = 0; i < n; i++) {
		if (group[i] != g)
			continue;
		thr_pre += pre[i].threads;
		thr_post += st[i].threads;
		if (st[i].pid == self_pid)
			slack = SELF_SLACK_KB;
	}
	if (!ls_row_num(d, row, "vsz_kb", &vsz) ||
	    !ls_row_num(d, row, "anon_kb", &anon) ||
	    !ls_row_num(d, row, "shmem_kb", &shmem) ||
	    !ls_row_num(d, row, "locked_kb", &locked) ||
	    !ls_row_num(d, row, "threads", &threads)) {
		TH_LOG("pid %d: a compared column is not a number", s->pid);
		return 1;
	}
	tol = RSS_EVENTS * page_kb * (thr_pre > thr_post ? thr_pre : thr_post) +
	      slack;
	if (!within(vsz, b->vmsize_kb, s->vmsize_kb, slack)) {
		TH_LOG("pid %d: vsz_kb %lld, VmSize %lld..%lld kB (tolerance %lld)",
		       s->pid, vsz, b->vmsize_kb, s->vmsize_kb, slack);
		bad++;
	}
	if (!within(locked, b->vmlck_kb, s->vmlck_kb, slack)) {
		TH_LOG("pid %d: locked_kb %lld, VmLck %lld..%lld kB (tolerance %lld)",
		       s->pid, locked, b->vmlck_kb, s->vmlck_kb, slack);
		bad++;
	}
	if (!within(anon, b->rssanon_kb, s->rssanon_kb, tol)) {
		TH_LOG("pid %d: anon_kb %lld, RssAnon %lld..%lld kB (tolerance %lld)",
		       s->pid, anon, b->rssanon_kb, s->rssanon_kb, tol);
		bad++;
	}
	if (!within(shmem, b->rssshmem_kb, s->rssshmem_kb, tol)) {
		TH_LOG("pid %d: shmem_kb %lld, RssShmem %lld..%lld kB (tolerance %lld)",
		       s->pid, shmem, b->rssshmem_kb, s->rssshmem_kb, tol);
		bad++;
	}
	if (!within(threads, thr_pre, thr_post, 0)) {
		TH_LOG("pid %d: threads %lld, Threads summed over the mm %lld..%lld",
		       s->pid, threads, thr_pre, thr_post);
		bad++;
	}
	return bad;
}

/* One round; returns the mismatches (logged with both sides). */
static int round_once(struct __test_metadata *_metadata,
		      FIXTURE_DATA(procs_agree) *self, int *checked)
{
	int n, i, j, k, nst = 0, bad = 0, ret, rows_of_group;
	pid_t self_pid = getpid();
	const struct ls_row *row;
	struct ls_doc d;
	long long v;

	n = ls_list_pids(self->pids, MAX_PIDS);
	if (n < 0) {
		TH_LOG("list /proc: %s", strerror(-n));
		return 1;
	}
	/* Fault the status buffer in now, not between the sample and us. */
	memset(self->buf, 0, sizeof(self->buf));

	/* Before: a process that runs is bracketed by the two reads. */
	for (i = 0; i < n; i++)
		self->pre_ok[i] = !ls_pstatus_read(self->pids[i],
						   &self->pre_all[i], self->buf,
						   sizeof(self->buf));
	ret = ls_control_str("sample");
	if (ret) {
		TH_LOG("write sample: %s", strerror(-ret));
		return 1;
	}
	for (i = 0; i < n; i++) {
		/* Gone, kernel thread (no VmSize) or zombie: no row to check. */
		if (!self->pre_ok[i] ||
		    ls_pstatus_read(self->pids[i], &self->st[nst], self->buf,
				    sizeof(self->buf)))
			continue;
		if (self->st[nst].vmsize_kb < 0 || self->st[nst].state == 'Z' ||
		    self->pre_all[i].vmsize_kb < 0)
			continue;
		self->pre[nst] = self->pre_all[i];
		nst++;
	}
	ret = ls_doc_load(&d, "procs");
	if (ret) {
		TH_LOG("procs: %s %s", strerror(-ret), d.err);
		ls_doc_free(&d);
		return 1;
	}

	/* Group the processes by mm: group[i] = first index with i's mm. */
	for (i = 0; i < nst; i++) {
		self->group[i] = i;
		for (j = 0; j < i; j++) {
			if (self->group[j] != j)
				continue;
			ret = ls_same_mm(self->st[i].pid, self->st[j].pid);
			if (ret == 1) {
				self->group[i] = j;
				break;
			}
		}
	}

	for (i = 0; i < nst; i++) {
		if (self->group[i] != i)
			continue;
		/* Exactly one process of the mm has a row. */
		rows_of_group = 0;
		k = -1;
		for (j = i; j < nst; j++) {
			if (self->group[j] != i)
				continue;
			if (ls_procs_row(&d, self->st[j].pid)) {
				rows_of_group++;
				if (k < 0)
					k = j;
			}
		}
		if (rows_of_group != 1) {
			/* Gone since the status read: its mm is not compared. */
			if (!rows_of_group && !ls_is_user_process(self->st[i].pid))
				continue;
			TH_LOG("pid %d (and sharers): %d procs rows, want 1",
			       self->st[i].pid, rows_of_group);
			bad++;
			continue;
		}
		row = ls_procs_row(&d, self->st[k].pid);
		if (ls_row_num(&d, row, "samples", &v) && v < 1) {
			TH_LOG("pid %d: samples %lld", self->st[k].pid, v);
			bad++;
		}
		bad += compare_row(_metadata, &d, row, self->pre, self->st,
				   nst, self->group, i, self_pid);
		(*checked)++;
	}

	/* The two helpers, explicitly. */
	row = ls_procs_row(&d, self->threaded.pid);
	if (!ls_row_num(&d, row, "threads", &v) ||
	    v != 1 + self->threaded.extra_threads) {
		TH_LOG("threaded helper %d: threads %s, want %d",
		       self->threaded.pid,
		       ls_row_field(&d, row, "threads") ?: "(no row)",
		       1 + self->threaded.extra_threads);
		bad++;
	}
	row = ls_procs_row(&d, self->sharing.pid);
	if (!ls_row_num(&d, row, "threads", &v) ||
	    v != 2 + self->sharing.extra_threads) {
		TH_LOG("sharing helper %d: threads %s, want %d (its CLONE_VM child %d folded in)",
		       self->sharing.pid,
		       ls_row_field(&d, row, "threads") ?: "(no row)",
		       2 + self->sharing.extra_threads, self->sharing.sharer);
		bad++;
	}
	if (ls_procs_row(&d, self->sharing.sharer)) {
		TH_LOG("CLONE_VM child %d has a row of its own",
		       self->sharing.sharer);
		bad++;
	}
	if (bad)
		ls_dump("procs", d.raw);
	ls_doc_free(&d);
	return bad;
}

TEST_F_TIMEOUT(procs_agree, procs_matches_status, 120)
{
	int i, bad, checked;

	ASSERT_EQ(0, helper_start(&self->threaded, 4, false));
	ASSERT_EQ(0, helper_start(&self->sharing, 2, true));
	ASSERT_LT(0, self->sharing.sharer);
	/* kcmp(2) must work, or the sharer grouping would be a guess. */
	ASSERT_EQ(1, ls_same_mm(self->sharing.pid, self->sharing.sharer))
		TH_LOG("kcmp(KCMP_VM) %d %d", self->sharing.pid,
		       self->sharing.sharer);
	ASSERT_EQ(0, ls_same_mm(self->sharing.pid, self->threaded.pid));

	for (i = 0; i < ROUNDS; i++) {
		checked = 0;
		bad = round_once(_metadata, self, &checked);
		ASSERT_EQ(0, bad) TH_LOG("round %d", i + 1);
		ASSERT_LE(4, checked) TH_LOG("round %d: only %d mms checked",
					     i + 1, checked);
		if (!i)
			ksft_print_msg("%d processes' mms compared per round\n",
				       checked);
		ls_sleep_ms(200);
	}
}

TEST_HARNESS_MAIN
