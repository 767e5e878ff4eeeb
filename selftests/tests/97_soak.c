// SPDX-License-Identifier: GPL-2.0
/*
 * Soak: leakscope's own memory (self_kb) stays flat over thousands of
 * samples at interval_ms=100 while everything it tracks churns.
 *
 * leakscope is loaded with interval_ms=100 samples=64 (twice: as by
 * default, and with track=all, see the variants) and, for the whole run:
 *  - FORKERS processes each keep FORK_KIDS short-lived children (0-20 ms,
 *    some memory touched) alive, with pid_max lowered to PID_MAX so that
 *    pids wrap every few seconds and come back as other processes: the
 *    procs history drops a history whose pid is reused, or gone;
 *  - THREADERS processes each keep THREADER_THREADS threads (0-20 ms)
 *    alive, created and joined (stacks are mmaps, and vmalloc areas);
 *  - an exec'er keeps its pid while it changes its mm: it re-executes
 *    this binary (LS_SOAK_FD in its environment), maps and touches some
 *    memory, runs a thread and executes again, every 20-100 ms;
 *  - a cycler loads ls_leaky.ko (free_on_unload=1: it frees all it took,
 *    so what is measured is leakscope, not ls_leaky), lets it allocate for
 *    a second and unloads it, so its slab cache and vmalloc caller come
 *    and go, and module tracking records it every time;
 *  - a reader reads every file (summary, suspects, procs, regions,
 *    vmalloc, slab, control) in a loop, checks each starts with its header
 *    and has self_kb=, and after each pass moves `pid` between the exec'er
 *    and the newest child of a forker (gone by the next read, often).
 *
 * The parent reads summary once a second: its header's self_kb=, held=
 * and window_ms= (the sampler's real pace: (held - 1) / window_ms, summed
 * over time, estimates the samples taken) and the `leakscope` row.  The
 * first measurement is taken once the window is full and one more
 * window has passed (the churn has been running for all of it); the end
 * measurement as the run ends, with the churn still running.  Each is the
 * median of MEASURE_READS reads.  end <= first * (100 + SLACK_PCT) / 100
 * is asserted, and so is the `leakscope` row not `growing` at the end.
 *
 * Why comparing the two is fair: self_kb is a fixed part (the tables sized
 * for the caps) plus about 4 kB per tracked process and 2 kB per vmalloc
 * caller or slab cache, and every ring is allocated at its full size
 * (samples=64) when its process or key appears, so the cost of a process
 * does not depend on its age.  The churn's population is the same at both
 * points: each forker refills to FORK_KIDS as soon as one exits, threads
 * share their process's mm (one row each threader), the exec'er is one row
 * whatever it runs; the pids differ, their number does not (by a few, a
 * few kB).  The kernel keys are the same but for ls_leaky's cache and
 * caller, which may be there at one point only (two keys, about 4 kB).
 * The buffers that only grow (the vmalloc walk's, at least 4096 records)
 * reach their high-water mark in the first window, since the churn has
 * the same shape throughout.  What a read in flight holds (a report, a
 * regions walk: tens of kB) is transient: hence the medians.  5% of the
 * fixed 9 MB is about 450 kB: against that, these differences are noise,
 * and a leak of about 600 bytes a sample fails the default run (some 700
 * samples between the two points), 45 bytes a sample the long one
 * (10,000).  A leak of 1 kB a sample (a copy of the module that never
 * frees one ls_mem_alloc() a sample) ended 7.8% up on 6.12 and failed.
 *
 * Duration: SOAK_SECONDS (120 s) from load, each variant, for `make
 * check`: about 850 samples under TCG on the Debian kernels (a sample
 * takes them 15-25 ms,
 * the churn competing), about 400 on the debug kernel (70-150 ms).  Or
 * LS_SOAK_SECONDS from the environment: the kernel passes an unknown
 * NAME=VALUE on its command line to init's environment, so
 * `selftests/vm/run.sh --tests '97_*' --append LS_SOAK_SECONDS=1800
 * --timeout 2700` (`make soak`) runs the long version, 10,000 samples and
 * more.  The end is never earlier than half the duration after the first
 * measurement.  Nothing here is timed: the durations only set how long it
 * soaks, and the pace is printed, not asserted.
 *
 * On the debug kernel the runner's closing kmemleak scan, after this test
 * has unloaded everything, fails the run on any unreferenced object.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ls_test_util.h"

#define INTERVAL_MS	100
#define SAMPLES		64
#define SOAK_SECONDS	120
#define SOAK_MAX_SECONDS 86400
#define SLACK_PCT	5
#define MEASURE_READS	5
#define PROGRESS_S	60

#define FORKERS		4
#define FORK_KIDS	8
#define THREADERS	2
#define THREADER_THREADS 8
#define MAX_LIFE_MS	20
#define PID_MAX		1024	/* allowed down to 301 (RESERVED_PIDS + 1) */
#define PID_MAX_PATH	"/proc/sys/kernel/pid_max"

#define READER		0
#define EXECER		1
#define CYCLER		2
#define FORKER0		3
#define THREADER0	(FORKER0 + FORKERS)
#define KIDS		(THREADER0 + THREADERS)

#define LEAKY_PARAMS	"period_ms=20 vm_kb=64 objs_per_tick=16 free_on_unload=1"
#define LEAKY_UP_MS	1000
#define LEAKY_DOWN_MS	500
#define UNLOAD_MS	60000

#define FD_ENV		"LS_SOAK_FD"
#define SECONDS_ENV	"LS_SOAK_SECONDS"

static const char * const all_files[] = {
	"summary", "suspects", "procs", "regions", "vmalloc", "slab", "control",
	"callsites", "stacks",
};

#define NR_ALL_FILES	9

struct shared {
	int stop;			/* __atomic: set by the parent */
	pid_t execer;
	pid_t newest[FORKERS];		/* each forker's newest child */
	unsigned long forks[FORKERS];
	unsigned long wraps[FORKERS];	/* a child's pid below the one before */
	unsigned long threads[THREADERS];
	unsigned long execs;
	unsigned long leaky_cycles;
	unsigned long reads[NR_ALL_FILES];
	unsigned long pid_writes, pid_busy;
	long long self_kb_max;		/* in any header the reader read */
	char last_error[KIDS][256];
};

static bool stopped(struct shared *sh)
{
	return __atomic_load_n(&sh->stop, __ATOMIC_RELAXED);
}

static void kid_fail(struct shared *sh, int kid, int code, const char *fmt, ...)
	__printf(4, 5) __noreturn;

static void kid_fail(struct shared *sh, int kid, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sh->last_error[kid], sizeof(sh->last_error[kid]), fmt, ap);
	va_end(ap);
	_exit(code);
}

static void sleep_random(unsigned int *seed, int max_ms)
{
	ls_sleep_ms(rand_r(seed) % (max_ms + 1));
}

/* ---- the exec'er: a constructor, so that it runs before the harness ---- */

static void *execer_thread(void *arg)
{
	char stack_use[8192];

	memset(stack_use, 1, sizeof(stack_use));
	asm volatile("" : : "r"(stack_use) : "memory");
	return arg;
}

/*
 * One image of the exec'er: a new mm with a heap, an anonymous mapping and
 * a thread stack, then execve() of the same binary (same pid, new mm).
 * /proc/self/exe is this test, as static as it is.
 */
static void __attribute__((constructor)) execer_image(void)
{
	const char *env = getenv(FD_ENV);
	char *const argv[] = { "ls-soak-execer", NULL };
	unsigned int seed = getpid() ^ (unsigned int)ls_now_ms();
	struct shared *sh;
	pthread_t t;
	char *p;

	if (!env)
		return;
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED,
		  atoi(env), 0);
	if (sh == MAP_FAILED)
		_exit(10);
	if (stopped(sh))
		_exit(0);
	sh->execs++;
	p = malloc(64 << 10);
	if (p)
		memset(p, 1, 64 << 10);
	p = mmap(NULL, 256 << 10, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p != MAP_FAILED)
		memset(p, 1, 256 << 10);
	if (!pthread_create(&t, NULL, execer_thread, NULL))
		pthread_join(t, NULL);
	ls_sleep_ms(20 + rand_r(&seed) % 81);
	execv("/proc/self/exe", argv);
	kid_fail(sh, EXECER, 11, "execv /proc/self/exe: %s", strerror(errno));
}

/* ---- the other children ------------------------------------------------ */

static void forker_main(struct shared *sh, int id)
{
	unsigned int seed = 1000 + id;
	int alive = 0, status;
	pid_t pid, last = 0;

	while (!stopped(sh)) {
		while (alive < FORK_KIDS) {
			seed = seed * 1103515245 + 12345;
			pid = fork();
			if (!pid) {
				char touch[16384];

				memset(touch, 1, sizeof(touch));
				asm volatile("" : : "r"(touch) : "memory");
				sleep_random(&seed, MAX_LIFE_MS);
				_exit(0);
			}
			if (pid < 0) {
				/* pid_max is low: a wrap may find none free. */
				if (errno != EAGAIN)
					kid_fail(sh, FORKER0 + id, 1, "fork: %s",
						 strerror(errno));
				ls_sleep_ms(1);
				continue;
			}
			alive++;
			sh->forks[id]++;
			sh->wraps[id] += pid < last;
			last = pid;
			__atomic_store_n(&sh->newest[id], pid, __ATOMIC_RELAXED);
		}
		pid = waitpid(-1, &status, 0);
		if (pid < 0)
			kid_fail(sh, FORKER0 + id, 2, "waitpid: %s", strerror(errno));
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			kid_fail(sh, FORKER0 + id, 3, "child %d: status 0x%x", pid,
				 status);
		alive--;
	}
	while (alive && waitpid(-1, NULL, 0) > 0)
		alive--;
	_exit(0);
}

static void *short_thread(void *arg)
{
	unsigned int seed = (unsigned long)arg;

	sleep_random(&seed, MAX_LIFE_MS);
	return NULL;
}

static void threader_main(struct shared *sh, int id)
{
	pthread_t t[THREADER_THREADS];
	bool live[THREADER_THREADS] = { false };
	unsigned int seed = 2000 + id;
	int i, err;

	for (i = 0; !stopped(sh); i = (i + 1) % THREADER_THREADS) {
		if (live[i]) {
			err = pthread_join(t[i], NULL);
			if (err)
				kid_fail(sh, THREADER0 + id, 1, "pthread_join: %s",
					 strerror(err));
		}
		seed = seed * 1103515245 + 12345;
		err = pthread_create(&t[i], NULL, short_thread,
				     (void *)(unsigned long)seed);
		live[i] = !err;
		if (!err)
			sh->threads[id]++;
		else if (err == EAGAIN)
			ls_sleep_ms(1);		/* no pid free: pid_max is low */
		else
			kid_fail(sh, THREADER0 + id, 2, "pthread_create: %s",
				 strerror(err));
	}
	for (i = 0; i < THREADER_THREADS; i++)
		if (live[i])
			pthread_join(t[i], NULL);
	_exit(0);
}

/* Sleeps @ms, or less once the parent says stop. */
static void nap(struct shared *sh, int ms)
{
	for (; ms > 0 && !stopped(sh); ms -= 50)
		ls_sleep_ms(ms < 50 ? ms : 50);
}

static void cycler_main(struct shared *sh)
{
	int ret;

	while (!stopped(sh)) {
		ret = ls_leaky_load(LEAKY_PARAMS);
		if (ret)
			kid_fail(sh, CYCLER, 1, "load %s: %s", ls_leaky_ko_path(),
				 strerror(-ret));
		nap(sh, LEAKY_UP_MS);
		ret = ls_mod_unload_retry(LS_LEAKY_MODNAME, UNLOAD_MS);
		if (ret)
			kid_fail(sh, CYCLER, 2, "unload ls_leaky: %s",
				 strerror(-ret));
		sh->leaky_cycles++;
		nap(sh, LEAKY_DOWN_MS);
	}
	_exit(0);
}

/* self_kb= of a header line; -1 when it has none. */
static long long header_self_kb(const char *text)
{
	const char *nl = strchr(text, '\n'), *p = strstr(text, " self_kb=");
	long long v;

	if (!p || (nl && p > nl) || sscanf(p, " self_kb=%lld", &v) != 1)
		return -1;
	return v;
}

/* The next pid for `regions`: the exec'er, or a forker's newest child. */
static pid_t next_pid(struct shared *sh, unsigned long pass)
{
	if (pass % 2 == 0)
		return sh->execer;
	return __atomic_load_n(&sh->newest[(pass / 2) % FORKERS],
			       __ATOMIC_RELAXED);
}

static void reader_main(struct shared *sh)
{
	char want[64], cmd[32], *buf;
	unsigned long pass;
	long long kb;
	pid_t pid;
	int f, ret;

	for (pass = 0; !stopped(sh); pass++) {
		for (f = 0; f < NR_ALL_FILES; f++) {
			ret = ls_read_file(all_files[f], &buf);
			if (ret)
				kid_fail(sh, READER, 1, "read %s: %s", all_files[f],
					 strerror(-ret));
			snprintf(want, sizeof(want), "# leakscope %s v",
				 all_files[f]);
			if (strncmp(buf, want, strlen(want)))
				kid_fail(sh, READER, 2, "%s starts with '%.60s'",
					 all_files[f], buf);
			kb = header_self_kb(buf);
			free(buf);
			if (kb <= 0)
				kid_fail(sh, READER, 3, "%s: no self_kb= in its header",
					 all_files[f]);
			if (kb > sh->self_kb_max)
				sh->self_kb_max = kb;
			sh->reads[f]++;
		}
		pid = next_pid(sh, pass);
		if (pid <= 0)
			continue;
		snprintf(cmd, sizeof(cmd), "pid=%d", pid);
		/*
		 * A pid that has gone is accepted (regions says so); EBUSY is
		 * an mmap lock held for more than a second, by a process being
		 * torn down on a slow debug kernel.
		 */
		ret = ls_control_str(cmd);
		if (ret == -EBUSY)
			sh->pid_busy++;
		else if (ret)
			kid_fail(sh, READER, 4, "write %s: %s", cmd, strerror(-ret));
		else
			sh->pid_writes++;
	}
	_exit(0);
}

/* ---- the parent --------------------------------------------------------- */

struct point {
	long long self_kb;		/* median of MEASURE_READS */
	long long row_kb;		/* the leakscope row's now_kb, same read */
	char verdict[16];		/* the leakscope row's, last read */
	long long samples;		/* estimated samples by then */
	long long at_ms;		/* since load */
};

struct reading {
	long long self_kb, row_kb, held, window_ms, samples, sample_us;
	char verdict[16];
};

/* One read of summary.  0 or -errno/-EBADMSG with @why set. */
static int read_summary(struct reading *r, char *why, size_t len)
{
	const struct ls_row *row;
	const char *v, *now;
	struct ls_doc d;
	int ret;

	ret = ls_doc_load(&d, "summary");
	if (ret) {
		snprintf(why, len, "summary: %s (%s)", strerror(-ret), d.err);
		ls_doc_free(&d);
		return ret;
	}
	row = ls_doc_row(&d, "leakscope");
	v = row ? ls_row_field(&d, row, "verdict") : NULL;
	now = row ? ls_row_field(&d, row, "now_kb") : NULL;
	if (!ls_doc_kv_num(&d, "self_kb", &r->self_kb) ||
	    !ls_doc_kv_num(&d, "held", &r->held) ||
	    !ls_doc_kv_num(&d, "window_ms", &r->window_ms) ||
	    !ls_doc_kv_num(&d, "samples", &r->samples) ||
	    !ls_doc_kv_num(&d, "sample_us", &r->sample_us) || !v || !now ||
	    !ls_parse_ll(now, &r->row_kb)) {
		snprintf(why, len,
			 "summary without self_kb, held, window_ms, samples, sample_us or a leakscope row");
		ls_dump("summary", d.raw);
		ls_doc_free(&d);
		return -EBADMSG;
	}
	snprintf(r->verdict, sizeof(r->verdict), "%s", v);
	ls_doc_free(&d);
	return 0;
}

/* Median of MEASURE_READS reads, 200 ms apart. */
static int measure(struct point *p, long long samples, long long since,
		   char *why, size_t len)
{
	long long kb[MEASURE_READS], row[MEASURE_READS];
	struct reading r;
	int i, ret;

	for (i = 0; i < MEASURE_READS; i++) {
		if (i)
			ls_sleep_ms(200);
		ret = read_summary(&r, why, len);
		if (ret)
			return ret;
		kb[i] = r.self_kb;
		row[i] = r.row_kb;
	}
	qsort(kb, MEASURE_READS, sizeof(kb[0]), ls_cmp_ll);
	qsort(row, MEASURE_READS, sizeof(row[0]), ls_cmp_ll);
	p->self_kb = kb[MEASURE_READS / 2];
	p->row_kb = row[MEASURE_READS / 2];
	snprintf(p->verdict, sizeof(p->verdict), "%s", r.verdict);
	p->samples = samples;
	p->at_ms = ls_now_ms() - since;
	return 0;
}

static void note_point(const char *what, const struct point *p)
{
	ksft_print_msg("%s: self_kb=%lld (leakscope row %lld kB, %s) at %lld s, ~%lld samples\n",
		       what, p->self_kb, p->row_kb, p->verdict, p->at_ms / 1000,
		       p->samples);
}

static void note_progress(const struct reading *r, long long ms,
			  long long kb_max, long long samples)
{
	ksft_print_msg("%lld s: self_kb=%lld (max %lld, %s), about %lld samples, sample_us=%lld\n",
		       ms / 1000, r->self_kb, kb_max, r->verdict, samples,
		       r->sample_us);
}

static long long soak_seconds(void)
{
	const char *s = getenv(SECONDS_ENV);
	long long v;

	if (s && ls_parse_ll(s, &v) && v >= 30 && v <= SOAK_MAX_SECONDS)
		return v;
	return SOAK_SECONDS;
}

FIXTURE(soak) {
	struct shared *sh;
	pid_t kids[KIDS];
	char pid_max[32];
	long long loaded_ms;
};

/*
 * Twice: as loaded by default, and with call-site tracking armed for
 * everything (track=all), where the churn also churns call-site keys
 * (every fork, exec, thread and ls_leaky load allocates from its own
 * stacks) and the records table fills and empties.  The table is
 * allocated at its full size when armed: part of the fixed self_kb.
 */
FIXTURE_VARIANT(soak) {
	const char *params;
};

FIXTURE_VARIANT_ADD(soak, untracked) {
	.params = "",
};

FIXTURE_VARIANT_ADD(soak, tracked) {
	.params = " track=all",
};

FIXTURE_SETUP(soak)
{
	char *old, buf[64];
	int fd, ret, n;

	memset(self->kids, 0, sizeof(self->kids));
	self->pid_max[0] = '\0';
	ASSERT_EQ(0, ls_unload());
	ret = ls_mod_unload_retry(LS_LEAKY_MODNAME, 5000);
	ASSERT_TRUE(ret == 0 || ret == -ENOENT);
	ASSERT_EQ(0, access(ls_leaky_ko_path(), R_OK))
		TH_LOG("%s: %s", ls_leaky_ko_path(), strerror(errno));

	/* Shared with the exec'er through its images: a memfd, kept open. */
	fd = memfd_create("ls-soak", 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ftruncate(fd, sizeof(*self->sh)));
	self->sh = mmap(NULL, sizeof(*self->sh), PROT_READ | PROT_WRITE,
			MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, self->sh);
	ASSERT_LE(0, dup2(fd, 100));
	close(fd);

	ASSERT_EQ(0, ls_read_path(PID_MAX_PATH, &old, NULL));
	snprintf(self->pid_max, sizeof(self->pid_max), "%s", old);
	free(old);
	fd = open(PID_MAX_PATH, O_WRONLY);
	ASSERT_LE(0, fd);
	n = snprintf(buf, sizeof(buf), "%d", PID_MAX);
	ASSERT_EQ(n, write(fd, buf, n)) TH_LOG("pid_max=%d: %s", PID_MAX,
					       strerror(errno));
	close(fd);

	snprintf(buf, sizeof(buf), "interval_ms=%d samples=%d%s", INTERVAL_MS,
		 SAMPLES, variant->params);
	ret = ls_load(buf);
	ASSERT_EQ(0, ret) TH_LOG("load: %s", strerror(-ret));
	self->loaded_ms = ls_now_ms();
}

FIXTURE_TEARDOWN(soak)
{
	int i, ret, fd;

	if (self->sh)
		__atomic_store_n(&self->sh->stop, 1, __ATOMIC_RELAXED);
	for (i = 0; i < KIDS; i++) {
		if (self->kids[i] > 0) {
			kill(self->kids[i], SIGKILL);
			waitpid(self->kids[i], NULL, 0);
		}
	}
	ret = ls_mod_unload_retry(LS_LEAKY_MODNAME, UNLOAD_MS);
	EXPECT_TRUE(ret == 0 || ret == -ENOENT);
	EXPECT_EQ(0, ls_unload());
	if (self->pid_max[0]) {
		fd = open(PID_MAX_PATH, O_WRONLY);
		EXPECT_LE(0, fd);
		if (fd >= 0) {
			EXPECT_LT(0, write(fd, self->pid_max,
					   strlen(self->pid_max)));
			close(fd);
		}
	}
}

static pid_t spawn(struct shared *sh, int kid)
{
	pid_t pid = fork();

	if (pid)
		return pid;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (kid == EXECER) {
		char *const argv[] = { "ls-soak-execer", NULL };

		setenv(FD_ENV, "100", 1);
		execv("/proc/self/exe", argv);
		kid_fail(sh, EXECER, 11, "execv /proc/self/exe: %s",
			 strerror(errno));
	}
	close(100);
	if (kid == READER)
		reader_main(sh);
	if (kid == CYCLER)
		cycler_main(sh);
	if (kid < THREADER0)
		forker_main(sh, kid - FORKER0);
	threader_main(sh, kid - THREADER0);
	return 0;
}

/* A child that ended before the parent said stop: which, and why. */
static int kid_ended(pid_t *kids, int *status)
{
	int i;

	for (i = 0; i < KIDS; i++) {
		if (waitpid(kids[i], status, WNOHANG) == kids[i]) {
			kids[i] = 0;
			return i;
		}
	}
	return -1;
}

/*
 * The tracked variant: tracking was armed for all of it, sampled, saw
 * frees and interned stacks (the call-site keys the churn makes), so the
 * flat self_kb is the tracker's too.  How many allocations were sampled
 * follows the host: about 3,600 in 120 s on the Debian kernels, 898 on
 * the debug kernel (KASAN, lockdep) on a slow host; a few hundred have
 * been through every path of the tracker.
 */
static void expect_tracked(struct __test_metadata *_metadata)
{
	long long sampled = 0, freed = 0;
	struct ls_doc d;
	const char *v;

	ASSERT_EQ(0, ls_doc_load(&d, "callsites"));
	v = ls_doc_kv(&d, "track");
	EXPECT_STREQ("all", v ? v : "(none)");
	EXPECT_TRUE(ls_doc_kv_num(&d, "sampled", &sampled));
	EXPECT_TRUE(ls_doc_kv_num(&d, "freed", &freed));
	ksft_print_msg("tracked: %s records=%s stacks=%s sampled=%lld freed=%lld rows=%d\n",
		       v ? v : "-", ls_doc_kv(&d, "records") ?: "-",
		       ls_doc_kv(&d, "stacks") ?: "-", sampled, freed,
		       d.nrows);
	EXPECT_LT(200, sampled);
	EXPECT_LT(0, freed);
	/*
	 * Stacks are interned for good (bounded by the table); call-site
	 * rows are what is outstanding now, and the churn frees nearly
	 * everything it takes: there may be none at the end.
	 */
	v = ls_doc_kv(&d, "stacks");
	EXPECT_TRUE(v && atoi(v) > 0);
	ls_doc_free(&d);
}

TEST_F_TIMEOUT(soak, self_kb_flat, SOAK_SECONDS + 600)
{
	long long secs = soak_seconds(), now, prev, end_ms, next_note;
	long long first_ms = 0, samples_x1000 = 0, kb_max = 0;
	struct point first = { 0 }, end = { 0 };
	unsigned long forks = 0, wraps = 0, threads = 0, reads = 0;
	struct shared *sh = self->sh;
	struct reading r;
	char why[256];
	int i, kid = -1, status = 0;

	ksft_print_msg("soaking %lld s at interval_ms=%d samples=%d (%s)\n", secs,
		       INTERVAL_MS, SAMPLES,
		       getenv(SECONDS_ENV) ? SECONDS_ENV : "the default");
	for (i = 0; i < KIDS; i++) {
		if (i == READER || i == EXECER)
			continue;	/* once there is something to read */
		self->kids[i] = spawn(sh, i);
		ASSERT_LT(0, self->kids[i]);
	}
	self->kids[EXECER] = spawn(sh, EXECER);
	ASSERT_LT(0, self->kids[EXECER]);
	sh->execer = self->kids[EXECER];
	self->kids[READER] = spawn(sh, READER);
	ASSERT_LT(0, self->kids[READER]);

	end_ms = self->loaded_ms + secs * 1000;
	next_note = self->loaded_ms + PROGRESS_S * 1000;
	prev = ls_now_ms();
	for (;;) {
		ls_sleep_ms(1000);
		kid = kid_ended(self->kids, &status);
		if (kid >= 0)
			break;
		ASSERT_EQ(0, read_summary(&r, why, sizeof(why))) TH_LOG("%s", why);
		now = ls_now_ms();
		/* The sampler's pace over the window, for the time since. */
		if (r.held > 1 && r.window_ms > 0)
			samples_x1000 += (now - prev) * (r.held - 1) * 1000 /
					 r.window_ms;
		prev = now;
		kb_max = r.self_kb > kb_max ? r.self_kb : kb_max;
		if (!first_ms && r.held >= r.samples &&
		    samples_x1000 >= 2000LL * r.samples) {
			ASSERT_EQ(0, measure(&first, samples_x1000 / 1000,
					     self->loaded_ms, why, sizeof(why)))
				TH_LOG("%s", why);
			first_ms = ls_now_ms();
			note_point("first", &first);
			/* The end is at least half the duration after. */
			if (end_ms < first_ms + secs * 500)
				end_ms = first_ms + secs * 500;
		}
		if (now >= next_note) {
			note_progress(&r, now - self->loaded_ms, kb_max,
				      samples_x1000 / 1000);
			next_note += PROGRESS_S * 1000;
		}
		if (first_ms && now >= end_ms)
			break;
	}
	if (kid < 0)
		ASSERT_EQ(0, measure(&end, samples_x1000 / 1000, self->loaded_ms,
				     why, sizeof(why))) TH_LOG("%s", why);

	__atomic_store_n(&sh->stop, 1, __ATOMIC_RELAXED);
	EXPECT_EQ(-1, kid) TH_LOG("child %d ended during the soak: %s %d: %s",
				  kid, WIFSIGNALED(status) ? "signal" : "status",
				  WIFSIGNALED(status) ? WTERMSIG(status) :
				  WEXITSTATUS(status),
				  kid >= 0 ? sh->last_error[kid] : "");
	for (i = 0; i < KIDS; i++) {
		if (self->kids[i] <= 0)
			continue;
		ASSERT_EQ(self->kids[i], waitpid(self->kids[i], &status, 0));
		self->kids[i] = 0;
		EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
			TH_LOG("child %d: %s %d: %s", i,
			       WIFSIGNALED(status) ? "killed by signal" :
			       "exit status",
			       WIFSIGNALED(status) ? WTERMSIG(status) :
			       WEXITSTATUS(status), sh->last_error[i]);
	}
	if (kid >= 0)
		return;

	for (i = 0; i < FORKERS; i++) {
		forks += sh->forks[i];
		wraps += sh->wraps[i];
	}
	for (i = 0; i < THREADERS; i++)
		threads += sh->threads[i];
	for (i = 0; i < NR_ALL_FILES; i++)
		reads += sh->reads[i];
	if (sh->self_kb_max > kb_max)
		kb_max = sh->self_kb_max;
	note_point("end", &end);
	ksft_print_msg("self_kb first %lld, end %lld (%+.2f%%), max seen %lld\n",
		       first.self_kb, end.self_kb,
		       100.0 * (end.self_kb - first.self_kb) / first.self_kb,
		       kb_max);
	ksft_print_msg("%lu forks (a forker saw pids wrap %lu times), %lu threads\n",
		       forks, wraps, threads);
	ksft_print_msg("%lu execs, %lu ls_leaky cycles\n", sh->execs,
		       sh->leaky_cycles);
	ksft_print_msg("%lu passes over every file, %lu pid writes (%lu busy)\n",
		       sh->reads[NR_ALL_FILES - 1], sh->pid_writes, sh->pid_busy);
	EXPECT_LT(0, first.self_kb);
	EXPECT_LE(end.self_kb * 100, first.self_kb * (100 + SLACK_PCT))
		TH_LOG("self_kb grew from %lld to %lld kB (more than %d%%)",
		       first.self_kb, end.self_kb, SLACK_PCT);
	EXPECT_STRNE("growing", end.verdict)
		TH_LOG("the summary's leakscope row is growing at the end");
	/* The churn ran, every kind of it, and pids wrapped. */
	EXPECT_LT(0UL, wraps);
	EXPECT_LT(0UL, threads);
	EXPECT_LT(1UL, sh->execs);
	EXPECT_LT(0UL, sh->leaky_cycles);
	if (variant->params[0])
		expect_tracked(_metadata);
	EXPECT_LT(0UL, reads);
}

/*
 * The harness's timeout for this test: the soak's length plus room for
 * loading, the children's exit and unloading (a constructor that runs
 * after the harness has registered the test).
 */
static void __attribute__((constructor(KSELFTEST_PRIO_TEST + 1)))
soak_timeout(void)
{
	_soak_self_kb_flat_object->timeout = soak_seconds() + 600;
}

TEST_HARNESS_MAIN
