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
 * with threads 3 + 1 = 4.  Each helper holds HELPER_ANON_MB of private
 * anonymous memory and HELPER_LOCK_MB more of it mlock()ed (RssAnon),
 * HELPER_SHMEM_MB of shared anonymous memory (RssShmem), every page
 * touched, then sleeps.  Their rows must show at least those amounts, and
 * locked_kb exactly HELPER_LOCK_MB: a column that reads zero, or holds
 * another column's number, fails (the three amounts differ).
 *
 * Tolerance, and why:
 * - The module is loaded with interval_ms=3600000, so the only samples
 *   are ours: the row is from the `sample` write, which returned before
 *   the second status reads began.  Everything we allocate (the pid list,
 *   the status buffer, touched in advance) is allocated before the first
 *   reads, so this process maps nothing in between, and every other
 *   process we started sleeps.
 * - A process that did not run between the two reads must match exactly,
 *   every column, on both kernels.  "Did not run": for every process of
 *   the mm, its compared status fields, its leader's context switches
 *   (status) and its thread group's faults and CPU ticks (/proc/PID/stat)
 *   are the same in both reads.  Nothing else moves a sleeping process's
 *   counters: VmSize (mm->total_vm), VmLck (mm->locked_vm) and Threads
 *   change only by its own mmap/munmap/mlock and clone/exit, RssAnon and
 *   RssShmem only by its own faults and unmaps (the VM has no swap, so
 *   reclaim takes none of its anonymous or shmem pages).  A count that
 *   went down (munmap) and came back needs a fault, and faults are
 *   counted.  The helpers sleep, so they are always compared exactly (the
 *   test fails if one is not).
 *   This holds on 6.1 despite SPLIT_RSS_COUNTING.  There each thread
 *   counts its own faults in task->rss_stat and folds them into the mm's
 *   counter every 64 faults (TASK_RSS_EVENTS_THRESH, check_sync_rss_stat()
 *   in mm/memory.c), when it unmaps (add_mm_rss_vec()) and at exit; only a
 *   thread itself folds its part.  So the mm's counter lags the truth,
 *   but /proc (task_mem() in fs/proc/task_mmu.c) and the module
 *   (ls_mm_counter(), module/compat_mm.h, from module/walk_procs.c) both
 *   read that same counter with get_mm_counter(): the same lagging number,
 *   which a sleeping process never changes.  On 6.12 both sum the same
 *   percpu counters (get_mm_counter_sum() in /proc,
 *   percpu_counter_sum_positive() in the module).  The helpers fold their
 *   lag in themselves (an munmap after touching) so that their RssAnon is
 *   the whole of what they touched, and the lower bounds above are exact.
 * - A process that ran between the reads (this test; anything an earlier
 *   test left running) is bracketed: each column within the range of its
 *   two reads.  VmSize, VmLck and Threads exactly so, but this process
 *   gets SELF_SLACK_KB in case libc maps something for its own file reads.
 *   RssAnon/RssShmem get 64 pages per thread of the mm (256 kB per thread
 *   with 4 kB pages) more: a process that runs may pass through values
 *   outside the range of its two reads (a fault, then an unmap), and on
 *   6.1 one thread folds up to 64 pages of lag in at once.
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
#define HELPER_ANON_MB	32
#define HELPER_SHMEM_MB	8
#define HELPER_LOCK_MB	4
#define SETTLE_MS	5000
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
 * The body of a helper process: extra threads, HELPER_ANON_MB of private
 * anonymous memory, HELPER_SHMEM_MB of shared anonymous memory (RssShmem),
 * HELPER_LOCK_MB more locked, and with @sharer a CLONE_VM child.  Reports
 * "pid sharer\n" on @fd, sleeps.
 */
static void helper_main(int fd, int extra_threads, bool sharer)
{
	static char vm_stack[64 * 1024] __attribute__((aligned(16)));
	size_t anon = (size_t)HELPER_ANON_MB << 20;
	size_t shmem = (size_t)HELPER_SHMEM_MB << 20;
	size_t lock = (size_t)HELPER_LOCK_MB << 20;
	char *priv, *shared, *locked, *fold, msg[64];
	pthread_t t;
	pid_t child = 0;
	int i, len;

	priv = mmap(NULL, anon, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	shared = mmap(NULL, shmem, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	locked = mmap(NULL, lock, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (priv == MAP_FAILED || shared == MAP_FAILED || locked == MAP_FAILED)
		_exit(1);
	memset(priv, 1, anon);
	memset(shared, 2, shmem);
	if (mlock(locked, lock))
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
	/*
	 * 6.1: fold this thread's unfolded faults into the mm's counters
	 * (an unmap of our own mm does: zap_pte_range() -> add_mm_rss_vec()
	 * -> sync_mm_rss()), so RssAnon holds everything touched above.
	 */
	fold = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (fold == MAP_FAILED)
		_exit(1);
	fold[0] = 1;
	munmap(fold, 4096);
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

/* Did the process not run between reads @a and @b (see the top)? */
static bool idle_between(const struct ls_pstatus *a,
			 const struct ls_pstatus *b)
{
	return a->vmsize_kb == b->vmsize_kb && a->vmlck_kb == b->vmlck_kb &&
	       a->rssanon_kb == b->rssanon_kb &&
	       a->rssshmem_kb == b->rssshmem_kb && a->threads == b->threads &&
	       a->ctxt == b->ctxt && a->faults == b->faults &&
	       a->cpu_ticks == b->cpu_ticks;
}

/*
 * Compare one procs row with the status of every process of its mm (read
 * before and after the sample): exactly (*exact set) when none of them
 * ran in between, else within the range of the two reads with the
 * tolerance at the top.  Returns the mismatches, logged.
 */
static int compare_row(struct __test_metadata *_metadata,
		       const struct ls_doc *d, const struct ls_row *row,
		       const struct ls_pstatus *pre,
		       const struct ls_pstatus *st, int n, const int *group,
		       int g, pid_t self_pid, bool *exact)
{
	long long vsz, anon, shmem, locked, threads, tol;
	long long thr_pre = 0, thr_post = 0;
	const struct ls_pstatus *s = &st[g], *b = &pre[g];
	long long page_kb = sysconf(_SC_PAGESIZE) / 1024;
	long long slack = 0;
	bool idle = true;
	int i, bad = 0;

	for (i = 0; i < n; i++) {
		if (group[i] != g)
			continue;
		thr_pre += pre[i].threads;
		thr_post += st[i].threads;
		/* This process runs: it writes `sample` and reads /proc. */
		if (st[i].pid == self_pid) {
			slack = SELF_SLACK_KB;
			idle = false;
		}
		if (!idle_between(&pre[i], &st[i]))
			idle = false;
	}
	*exact = idle;
	if (!ls_row_num(d, row, "vsz_kb", &vsz) ||
	    !ls_row_num(d, row, "anon_kb", &anon) ||
	    !ls_row_num(d, row, "shmem_kb", &shmem) ||
	    !ls_row_num(d, row, "locked_kb", &locked) ||
	    !ls_row_num(d, row, "threads", &threads)) {
		TH_LOG("pid %d: a compared column is not a number", s->pid);
		return 1;
	}
	tol = idle ? 0 : RSS_EVENTS * page_kb *
			 (thr_pre > thr_post ? thr_pre : thr_post) + slack;
	if (!within(vsz, b->vmsize_kb, s->vmsize_kb, slack)) {
		TH_LOG("pid %d: vsz_kb %lld, VmSize %lld..%lld kB (tolerance %lld%s)",
		       s->pid, vsz, b->vmsize_kb, s->vmsize_kb, slack,
		       idle ? ", idle" : "");
		bad++;
	}
	if (!within(locked, b->vmlck_kb, s->vmlck_kb, slack)) {
		TH_LOG("pid %d: locked_kb %lld, VmLck %lld..%lld kB (tolerance %lld%s)",
		       s->pid, locked, b->vmlck_kb, s->vmlck_kb, slack,
		       idle ? ", idle" : "");
		bad++;
	}
	if (!within(anon, b->rssanon_kb, s->rssanon_kb, tol)) {
		TH_LOG("pid %d: anon_kb %lld, RssAnon %lld..%lld kB (tolerance %lld%s)",
		       s->pid, anon, b->rssanon_kb, s->rssanon_kb, tol,
		       idle ? ", idle" : "");
		bad++;
	}
	if (!within(shmem, b->rssshmem_kb, s->rssshmem_kb, tol)) {
		TH_LOG("pid %d: shmem_kb %lld, RssShmem %lld..%lld kB (tolerance %lld%s)",
		       s->pid, shmem, b->rssshmem_kb, s->rssshmem_kb, tol,
		       idle ? ", idle" : "");
		bad++;
	}
	if (!within(threads, thr_pre, thr_post, 0)) {
		TH_LOG("pid %d: threads %lld, Threads summed over the mm %lld..%lld",
		       s->pid, threads, thr_pre, thr_post);
		bad++;
	}
	return bad;
}

/*
 * A helper's row holds what it touched (see the top): at least that much
 * anon and shmem, exactly HELPER_LOCK_MB locked.  Returns the mismatches.
 */
static int check_helper(struct __test_metadata *_metadata,
			const struct ls_doc *d, const struct helper *h,
			const char *what)
{
	const struct ls_row *row = ls_procs_row(d, h->pid);
	long long anon, shmem, locked, vsz;
	long long want_anon = (HELPER_ANON_MB + HELPER_LOCK_MB) << 10;
	long long want_shmem = HELPER_SHMEM_MB << 10;
	long long want_locked = HELPER_LOCK_MB << 10;
	int bad = 0;

	if (!ls_row_num(d, row, "anon_kb", &anon) ||
	    !ls_row_num(d, row, "shmem_kb", &shmem) ||
	    !ls_row_num(d, row, "locked_kb", &locked) ||
	    !ls_row_num(d, row, "vsz_kb", &vsz)) {
		TH_LOG("%s helper %d: no row or not numbers", what, h->pid);
		return 1;
	}
	if (anon < want_anon) {
		TH_LOG("%s helper %d: anon_kb %lld, touched %lld", what, h->pid,
		       anon, want_anon);
		bad++;
	}
	if (shmem < want_shmem) {
		TH_LOG("%s helper %d: shmem_kb %lld, touched %lld", what,
		       h->pid, shmem, want_shmem);
		bad++;
	}
	if (locked != want_locked) {
		TH_LOG("%s helper %d: locked_kb %lld, locked %lld", what, h->pid,
		       locked, want_locked);
		bad++;
	}
	if (vsz < want_anon + want_shmem) {
		TH_LOG("%s helper %d: vsz_kb %lld, mapped %lld", what, h->pid,
		       vsz, want_anon + want_shmem);
		bad++;
	}
	return bad;
}

/* One round; returns the mismatches (logged with both sides). */
static int round_once(struct __test_metadata *_metadata,
		      FIXTURE_DATA(procs_agree) *self, int *checked,
		      int *exactly)
{
	int n, i, j, k, nst = 0, bad = 0, ret, rows_of_group;
	int helpers_seen = 0;
	pid_t self_pid = getpid(), pid;
	bool exact;
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
				   nst, self->group, i, self_pid, &exact);
		(*checked)++;
		if (exact)
			(*exactly)++;
		/* The helpers sleep: they are compared exactly, or we fail. */
		pid = self->st[k].pid;
		if (!exact && (pid == self->threaded.pid ||
			       pid == self->sharing.pid)) {
			TH_LOG("helper %d ran between the two status reads", pid);
			bad++;
		}
		if (pid == self->threaded.pid || pid == self->sharing.pid)
			helpers_seen++;
	}
	if (helpers_seen != 2) {
		TH_LOG("%d of the 2 helpers compared", helpers_seen);
		bad++;
	}
	bad += check_helper(_metadata, &d, &self->threaded, "threaded");
	bad += check_helper(_metadata, &d, &self->sharing, "sharing");

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

/*
 * Wait until @pid has gone to sleep: two reads 100 ms apart that say it
 * did not run.  A helper has reported its pid but may still be on its way
 * to pause(), its threads and CLONE_VM child too.  False after SETTLE_MS.
 */
static bool settled(pid_t pid, char *buf, size_t len)
{
	struct ls_pstatus a, b;
	long long t0 = ls_now_ms();

	if (ls_pstatus_read(pid, &a, buf, len))
		return false;
	while (ls_now_ms() - t0 < SETTLE_MS) {
		ls_sleep_ms(100);
		if (ls_pstatus_read(pid, &b, buf, len))
			return false;
		if (idle_between(&a, &b))
			return true;
		a = b;
	}
	return false;
}

TEST_F_TIMEOUT(procs_agree, procs_matches_status, 120)
{
	int i, bad, checked, exactly;

	ASSERT_EQ(0, helper_start(&self->threaded, 4, false));
	ASSERT_EQ(0, helper_start(&self->sharing, 2, true));
	ASSERT_LT(0, self->sharing.sharer);
	/* kcmp(2) must work, or the sharer grouping would be a guess. */
	ASSERT_EQ(1, ls_same_mm(self->sharing.pid, self->sharing.sharer))
		TH_LOG("kcmp(KCMP_VM) %d %d", self->sharing.pid,
		       self->sharing.sharer);
	ASSERT_EQ(0, ls_same_mm(self->sharing.pid, self->threaded.pid));

	ASSERT_TRUE(settled(self->threaded.pid, self->buf, sizeof(self->buf)));
	ASSERT_TRUE(settled(self->sharing.pid, self->buf, sizeof(self->buf)));
	ASSERT_TRUE(settled(self->sharing.sharer, self->buf,
			    sizeof(self->buf)));

	for (i = 0; i < ROUNDS; i++) {
		checked = 0;
		exactly = 0;
		bad = round_once(_metadata, self, &checked, &exactly);
		ASSERT_EQ(0, bad) TH_LOG("round %d", i + 1);
		ASSERT_LE(4, checked) TH_LOG("round %d: only %d mms checked",
					     i + 1, checked);
		ksft_print_msg("round %d: %d mms compared, %d exactly (did not run)\n",
			       i + 1, checked, exactly);
		ls_sleep_ms(200);
	}
}

TEST_HARNESS_MAIN
