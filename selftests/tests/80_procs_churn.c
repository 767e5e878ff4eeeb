// SPDX-License-Identifier: GPL-2.0
/*
 * procs, regions and suspects stay well-formed while processes and
 * threads come and go, and procs holds no stale rows afterwards.
 *
 * With interval_ms=100, about 200 tasks churn for 15 s (longer, up to
 * 90 s, until the readers have checked more than 30 files: a debug kernel
 * on a loaded host reads slowly, and what counts is reads, not their
 * speed): 10 forkers each keep 10 short-lived children (each lives 0-20
 * ms), and 5 threaders each keep 18 pthreads that live 0-20 ms and are
 * joined and recreated.  Two reader threads read procs, regions and
 * suspects in a loop and check every file against the format (header,
 * columns, field count, values, order, unique pids).  One of them also moves `pid=` around, alternating
 * between a long-lived churner and a short-lived child picked from /proc,
 * and asks for a `sample` now and then.
 *
 * Expected outcomes that are not errors: regions with status=gone (the
 * chosen pid exited before the read, or before the write), regions with
 * status=busy or a pid= write refused with EBUSY (its mmap lock was held
 * for more than a second, by a process being torn down on a slow debug
 * kernel) and a procs row whose verdict is `busy` (its mmap lock was
 * taken).  Any other failed read or write, or any malformed file, is an
 * error.
 *
 * After the churn stops and every child is reaped, one more `sample`:
 * then every pid in procs must be a live user process, and every user
 * process in /proc (not a kernel thread, not a zombie) must have a row or
 * share the mm of one that has.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ls_test_util.h"
#include "ls_procs_util.h"

#define NR_FORKERS	10
#define FORK_KIDS	10
#define NR_THREADERS	5
#define THREADER_THREADS 18
#define NR_CHURNERS	(NR_FORKERS + NR_THREADERS)
#define CHURN_MS	15000	/* at least */
#define MIN_READS	30	/* and until the readers checked more files */
#define CHURN_MAX_MS	90000	/* than this, for at most this long */
#define MAX_LIFE_MS	20
#define MAX_PIDS	8192
#define MAX_LOGGED	20

static const char * const procs_cols[] = {
	"pid", "comm", "samples", "vsz_kb", "anon_kb", "shmem_kb",
	"locked_kb", "heap_kb", "anon_regions", "stacks", "orphans",
	"threads", "zombies", "vsz_growth_kb", "vsz_rate_kb_min",
	"anon_growth_kb", "anon_rate_kb_min", "verdict", "cgroup",
};

static const char * const regions_cols[] = {
	"start", "end", "perms", "kind", "size_kb", "new", "name",
};

static const char * const suspects_cols[] = {
	"rank", "kind", "subject", "growth_kb", "rate_kb_min", "persist_pct",
	"evidence", "next",
};

static const char * const region_kinds[] = {
	"heap", "stack", "thread-stack", "orphan-stack", "guard", "anon",
	"shmem", "file", "special",
};

static const char * const suspect_kinds[] = {
	"thread-stack-leak", "anon-growth", "shmem-growth", "mlock-growth",
	"slab-growth", "vmalloc-growth", "vmalloc-orphan",
	"unaccounted-growth", "thread-growth", "zombie-growth",
	"mapping-growth", "task-growth",
};

static const char * const verdicts[] = {
	"collecting", "steady", "growing", "busy",
};

#define IN(s, set) in_set((s), (set), sizeof(set) / sizeof((set)[0]))

static bool in_set(const char *s, const char * const *set, size_t n)
{
	size_t i;

	for (i = 0; s && i < n; i++)
		if (!strcmp(s, set[i]))
			return true;
	return false;
}

/* ---- churners ---------------------------------------------------------- */

static void sleep_random(unsigned int *seed)
{
	ls_sleep_ms(rand_r(seed) % (MAX_LIFE_MS + 1));
}

static void forker_main(unsigned int seed)
{
	int alive = 0;
	pid_t pid;

	for (;;) {
		while (alive < FORK_KIDS) {
			seed = seed * 1103515245 + 12345;
			pid = fork();
			if (!pid) {
				char touch[8192];

				memset(touch, 1, sizeof(touch));
				asm volatile("" : : "r"(touch) : "memory");
				sleep_random(&seed);
				_exit(0);
			}
			if (pid > 0)
				alive++;
			else
				ls_sleep_ms(1);
		}
		if (waitpid(-1, NULL, 0) > 0)
			alive--;
	}
}

static void *short_thread(void *arg)
{
	unsigned int seed = (unsigned long)arg;

	sleep_random(&seed);
	return NULL;
}

static void threader_main(unsigned int seed)
{
	pthread_t t[THREADER_THREADS];
	bool live[THREADER_THREADS] = { false };
	int i;

	for (i = 0;; i = (i + 1) % THREADER_THREADS) {
		if (live[i])
			pthread_join(t[i], NULL);
		seed = seed * 1103515245 + 12345;
		live[i] = !pthread_create(&t[i], NULL, short_thread,
					  (void *)(unsigned long)seed);
		if (!live[i])
			ls_sleep_ms(1);
	}
}

/* ---- checking the files ------------------------------------------------ */

struct shared {
	atomic_bool stop;
	pthread_mutex_t lock;
	int errors;
	long reads[2];
	long gone;		/* regions reads with status=gone or busy */
	long busy;		/* procs rows with verdict busy */
	long pid_writes;
	pid_t churners[NR_CHURNERS];
	pid_t min_pid;
};

static void churn_error(struct shared *sh, const char *file,
			const char *raw, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void churn_error(struct shared *sh, const char *file,
			const char *raw, const char *fmt, ...)
{
	va_list ap;
	int n;

	pthread_mutex_lock(&sh->lock);
	n = ++sh->errors;
	if (n <= MAX_LOGGED) {
		fprintf(stderr, "# error %d (%s): ", n, file);
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
		fprintf(stderr, "\n");
		if (raw && n <= 3)
			ls_dump(file, raw);
	}
	pthread_mutex_unlock(&sh->lock);
}

static bool check_cols(struct shared *sh, const struct ls_doc *d,
		       const char *file, const char * const *cols, int n)
{
	int i;

	if (strcmp(d->file, file) || strcmp(d->version, "v1")) {
		churn_error(sh, file, d->raw, "header names %s %s", d->file,
			    d->version);
		return false;
	}
	if (d->ncols != n) {
		churn_error(sh, file, d->raw, "%d columns, want %d", d->ncols, n);
		return false;
	}
	for (i = 0; i < n; i++) {
		if (strcmp(d->cols[i], cols[i])) {
			churn_error(sh, file, d->raw, "column %d is %s, want %s", i,
				    d->cols[i], cols[i]);
			return false;
		}
	}
	return true;
}

static bool num_or_dash(const char *s)
{
	long long v;

	return s && (!strcmp(s, "-") || ls_parse_ll(s, &v));
}

static void check_procs(struct shared *sh, const struct ls_doc *d)
{
	long long pids[MAX_PIDS], v;
	int i, j, n = 0;

	if (!check_cols(sh, d, "procs", procs_cols, 19))
		return;
	if (!ls_doc_kv_num(d, "busy", &v) || v < 0)
		churn_error(sh, "procs", d->raw, "header busy=%s",
			    ls_doc_kv(d, "busy") ?: "(none)");
	for (i = 0; i < d->nrows; i++) {
		const struct ls_row *r = &d->rows[i];

		if (r->n != 19) {
			churn_error(sh, "procs", d->raw, "row %d has %d fields", i,
				    r->n);
			return;
		}
		if (!ls_parse_ll(r->f[0], &v) || v <= 0) {
			churn_error(sh, "procs", d->raw, "row %d: pid %s", i,
				    r->f[0]);
			return;
		}
		if (n < MAX_PIDS)
			pids[n++] = v;
		if (!ls_parse_ll(r->f[2], &v) || v < 1)
			churn_error(sh, "procs", d->raw, "row %d: samples %s", i,
				    r->f[2]);
		for (j = 3; j < 17; j++)
			if (!num_or_dash(r->f[j]))
				churn_error(sh, "procs", d->raw, "row %d: %s=%s", i,
					    procs_cols[j], r->f[j]);
		if (!IN(r->f[17], verdicts))
			churn_error(sh, "procs", d->raw, "row %d: verdict %s", i,
				    r->f[17]);
		if (!strcmp(r->f[17], "busy")) {
			pthread_mutex_lock(&sh->lock);
			sh->busy++;
			pthread_mutex_unlock(&sh->lock);
		}
	}
	qsort(pids, n, sizeof(pids[0]), ls_cmp_ll);
	for (i = 1; i < n; i++)
		if (pids[i] == pids[i - 1])
			churn_error(sh, "procs", d->raw, "pid %lld has two rows",
				    pids[i]);
}

/* @want_pid: the pid this reader last wrote, or 0 when it cannot know. */
static void check_regions(struct shared *sh, const struct ls_doc *d,
			  pid_t want_pid)
{
	const char *status, *pid;
	unsigned long long s, e, prev_end = 0;
	long long size;
	char wp[16];
	int i;

	if (!check_cols(sh, d, "regions", regions_cols, 7))
		return;
	status = ls_doc_kv(d, "status");
	pid = ls_doc_kv(d, "pid");
	if (!status || !pid) {
		churn_error(sh, "regions", d->raw, "header without pid= or status=");
		return;
	}
	if (!strcmp(status, "no-pid")) {
		if (strcmp(pid, "-"))
			churn_error(sh, "regions", d->raw, "status=no-pid with pid=%s",
				    pid);
	} else if (!strcmp(status, "gone") || !strcmp(status, "busy")) {
		pthread_mutex_lock(&sh->lock);
		sh->gone++;
		pthread_mutex_unlock(&sh->lock);
	} else if (strcmp(status, "ok")) {
		churn_error(sh, "regions", d->raw, "status=%s", status);
	}
	if (strcmp(status, "ok") && d->nrows)
		churn_error(sh, "regions", d->raw, "status=%s with %d rows", status,
			    d->nrows);
	if (want_pid) {
		snprintf(wp, sizeof(wp), "%d", want_pid);
		if (strcmp(pid, wp))
			churn_error(sh, "regions", d->raw, "pid=%s, last written %s",
				    pid, wp);
	}
	for (i = 0; i < d->nrows; i++) {
		const struct ls_row *r = &d->rows[i];

		if (r->n != 7) {
			churn_error(sh, "regions", d->raw, "row %d has %d fields", i,
				    r->n);
			return;
		}
		if (strlen(r->f[0]) != 14 || strlen(r->f[1]) != 14 ||
		    strncmp(r->f[0], "0x", 2) || strncmp(r->f[1], "0x", 2) ||
		    sscanf(r->f[0], "%llx", &s) != 1 ||
		    sscanf(r->f[1], "%llx", &e) != 1 || s >= e ||
		    s < prev_end) {
			churn_error(sh, "regions", d->raw, "row %d: range %s-%s", i,
				    r->f[0], r->f[1]);
			return;
		}
		prev_end = e;
		if (strlen(r->f[2]) != 4)
			churn_error(sh, "regions", d->raw, "row %d: perms %s", i,
				    r->f[2]);
		if (!IN(r->f[3], region_kinds))
			churn_error(sh, "regions", d->raw, "row %d: kind %s", i,
				    r->f[3]);
		if (!ls_parse_ll(r->f[4], &size) ||
		    (unsigned long long)size != (e - s) >> 10)
			churn_error(sh, "regions", d->raw, "row %d: size_kb %s", i,
				    r->f[4]);
		if (strcmp(r->f[5], "new") && strcmp(r->f[5], "-"))
			churn_error(sh, "regions", d->raw, "row %d: new %s", i,
				    r->f[5]);
	}
}

static void check_suspects(struct shared *sh, const struct ls_doc *d)
{
	long long rank;
	int i;

	if (!check_cols(sh, d, "suspects", suspects_cols, 8))
		return;
	for (i = 0; i < d->nrows; i++) {
		const struct ls_row *r = &d->rows[i];

		if (r->n != 8) {
			churn_error(sh, "suspects", d->raw, "row %d has %d fields", i,
				    r->n);
			return;
		}
		if (!ls_parse_ll(r->f[0], &rank) || rank != i + 1)
			churn_error(sh, "suspects", d->raw, "row %d: rank %s", i,
				    r->f[0]);
		if (!IN(r->f[1], suspect_kinds))
			churn_error(sh, "suspects", d->raw, "row %d: kind %s", i,
				    r->f[1]);
	}
}

static void read_check(struct shared *sh, const char *file, pid_t want_pid)
{
	struct ls_doc d;
	int ret;

	ret = ls_doc_load(&d, file);
	if (ret) {
		churn_error(sh, file, d.raw, "read/parse: %s (%s)", strerror(-ret),
			    d.err);
		ls_doc_free(&d);
		return;
	}
	if (!strcmp(file, "procs"))
		check_procs(sh, &d);
	else if (!strcmp(file, "regions"))
		check_regions(sh, &d, want_pid);
	else
		check_suspects(sh, &d);
	ls_doc_free(&d);
}

/* A pid to watch: a long-lived churner, or a short-lived one from /proc. */
static pid_t pick_pid(struct shared *sh, unsigned int *seed, long iter,
		      pid_t *pids)
{
	int n, i, tries;

	if (iter % 2 == 0)
		return sh->churners[rand_r(seed) % NR_CHURNERS];
	n = ls_list_pids(pids, MAX_PIDS);
	for (tries = 0; n > 0 && tries < 16; tries++) {
		i = rand_r(seed) % n;
		if (pids[i] > sh->min_pid)
			return pids[i];
	}
	return sh->churners[rand_r(seed) % NR_CHURNERS];
}

struct reader_arg {
	struct shared *sh;
	int id;
};

static void *reader(void *p)
{
	struct reader_arg *a = p;
	struct shared *sh = a->sh;
	unsigned int seed = 42 + a->id;
	pid_t *pids = NULL, want = 0, cur = 0;
	char cmd[32];
	long iter;
	int ret;

	if (a->id == 0)
		pids = calloc(MAX_PIDS, sizeof(*pids));
	for (iter = 0; !atomic_load(&sh->stop); iter++) {
		if (a->id == 0) {
			want = pick_pid(sh, &seed, iter, pids);
			snprintf(cmd, sizeof(cmd), "pid=%d", want);
			ret = ls_control_str(cmd);
			if (ret && ret != -EBUSY) {
				churn_error(sh, "control", NULL, "write %s: %s", cmd,
					    strerror(-ret));
			} else if (!ret) {
				sh->pid_writes++;
				cur = want;
			} else {
				/* Refused: the pid it had (0: unknown) stays. */
				want = cur;
			}
			if (iter % 10 == 5) {
				ret = ls_control_str("sample");
				if (ret)
					churn_error(sh, "control", NULL,
						    "write sample: %s",
						    strerror(-ret));
			}
		}
		read_check(sh, "regions", want);
		read_check(sh, "procs", 0);
		read_check(sh, "suspects", 0);
		pthread_mutex_lock(&sh->lock);
		sh->reads[a->id] += 3;
		pthread_mutex_unlock(&sh->lock);
	}
	free(pids);
	return NULL;
}

static long total_reads(struct shared *sh)
{
	long n;

	pthread_mutex_lock(&sh->lock);
	n = sh->reads[0] + sh->reads[1];
	pthread_mutex_unlock(&sh->lock);
	return n;
}

/* ---- the test ---------------------------------------------------------- */

FIXTURE(procs_churn) {
	struct shared sh;
	pid_t pids[MAX_PIDS];
};

FIXTURE_SETUP(procs_churn)
{
	int ret;

	memset(&self->sh, 0, sizeof(self->sh));
	pthread_mutex_init(&self->sh.lock, NULL);
	/* Orphaned grandchildren come to us, to be reaped. */
	ASSERT_EQ(0, prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0));
	ASSERT_EQ(0, ls_unload());
	ret = ls_load("interval_ms=100");
	ASSERT_EQ(0, ret) TH_LOG("load %s: %s", ls_ko_path(), strerror(-ret));
}

FIXTURE_TEARDOWN(procs_churn)
{
	int i;

	for (i = 0; i < NR_CHURNERS; i++)
		if (self->sh.churners[i] > 0)
			kill(self->sh.churners[i], SIGKILL);
	ls_reap_all();
	EXPECT_EQ(0, ls_unload());
}

TEST_F_TIMEOUT(procs_churn, churn_while_reading, 180)
{
	struct shared *sh = &self->sh;
	struct reader_arg args[2] = { { sh, 0 }, { sh, 1 } };
	pthread_t readers[2];
	int i, n, bad = 0, rows = 0, ret;
	long long start;
	struct ls_doc d;
	long long v;
	pid_t pid;

	sh->min_pid = getpid();
	for (i = 0; i < NR_CHURNERS; i++) {
		pid = fork();
		ASSERT_LE(0, pid);
		if (!pid) {
			ls_die_with_parent(sh->min_pid);
			if (i < NR_FORKERS)
				forker_main(1000 + i);
			else
				threader_main(2000 + i);
			_exit(0);
		}
		sh->churners[i] = pid;
	}
	for (i = 0; i < 2; i++)
		ASSERT_EQ(0, pthread_create(&readers[i], NULL, reader,
					    &args[i]));
	start = ls_now_ms();
	do
		ls_sleep_ms(500);
	while (ls_now_ms() - start < CHURN_MS ||
	       (total_reads(sh) <= MIN_READS &&
		ls_now_ms() - start < CHURN_MAX_MS));
	atomic_store(&sh->stop, true);
	for (i = 0; i < 2; i++)
		pthread_join(readers[i], NULL);

	/* Count the tasks churning just before we stop them (diagnostic). */
	n = ls_list_pids(self->pids, MAX_PIDS);
	for (i = 0; i < NR_CHURNERS; i++) {
		kill(sh->churners[i], SIGKILL);
		ls_kill_wait(sh->churners[i]);
		sh->churners[i] = 0;
	}
	ls_reap_all();

	ksft_print_msg("%ld + %ld reads, %ld pid= writes, %ld regions gone or busy, %ld busy rows, %d errors, %d pids in /proc at the end of the churn\n",
		       sh->reads[0], sh->reads[1], sh->pid_writes, sh->gone,
		       sh->busy, sh->errors, n);
	EXPECT_EQ(0, sh->errors);
	EXPECT_LT(MIN_READS, total_reads(sh));

	/* No stale rows: one more sample, then procs against /proc. */
	ret = ls_control_str("sample");
	ASSERT_EQ(0, ret) TH_LOG("sample: %s", strerror(-ret));
	ret = ls_doc_load(&d, "procs");
	ASSERT_EQ(0, ret) TH_LOG("procs: %s %s", strerror(-ret), d.err);
	n = ls_list_pids(self->pids, MAX_PIDS);
	ASSERT_LT(0, n);

	for (i = 0; i < d.nrows; i++) {
		if (!ls_parse_ll(d.rows[i].f[0], &v))
			continue;	/* reported by the format checks */
		rows++;
		if (!ls_is_user_process(v)) {
			TH_LOG("procs row %lld: no such user process", v);
			bad++;
		}
	}
	for (i = 0; i < n; i++) {
		int j, shared = 0;

		if (!ls_is_user_process(self->pids[i]))
			continue;
		if (ls_procs_row(&d, self->pids[i]))
			continue;
		for (j = 0; j < d.nrows && !shared; j++)
			if (ls_parse_ll(d.rows[j].f[0], &v) &&
			    ls_same_mm(self->pids[i], v) == 1)
				shared = 1;
		if (!shared) {
			TH_LOG("process %d is not in procs", self->pids[i]);
			bad++;
		}
	}
	if (bad)
		ls_dump("procs", d.raw);
	else
		ksft_print_msg("after the churn: %d rows, all live, none missing\n",
			       rows);
	ls_doc_free(&d);
	EXPECT_EQ(0, bad);
}

TEST_HARNESS_MAIN
