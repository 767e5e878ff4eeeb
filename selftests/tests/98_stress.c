// SPDX-License-Identifier: GPL-2.0
/*
 * Stress: the module is loaded and unloaded 100 times in a row (every
 * third cycle with interval_ms=100 so the sampler timer fires often), and
 * every fifth cycle ls_leaky.ko is loaded and unloaded (free_on_unload=1)
 * while leakscope is up, so its module tracking and slab/vmalloc walkers
 * see a module and a cache come and go.  Meanwhile:
 *  - 4 reader processes open/read/close every leakscope file in a loop;
 *  - a fork churner forks short-lived children (which touch some memory)
 *    and reaps them, so the procs walker meets exiting tasks and mms;
 *  - a thread churner creates and joins threads (thread stacks are mmaps
 *    and, with VMAP_STACK, vmalloc areas).
 * While the parent is in delete_module only one reader keeps reading
 * (open files pin the module).  The readers tolerate the errors of a vanishing debugfs file (see
 * 60_unload_race.c: ENOENT, ENXIO, ENODEV, EIO); any other error, or a
 * file that does not start with its header, fails the test.  All children
 * must exit normally; both modules end unloaded.  What this is really for
 * is the console: the runner fails the run on any WARNING/BUG/lockdep/
 * KASAN/kmemleak report (run it on the debug test kernel too).
 *
 * All 100 cycles must complete.  Under TCG a load costs 100-200 ms
 * (module init reads its BTF layouts) and the churners compete for the
 * two CPUs: 100 cycles took 30-35 s on the Debian kernels; on the debug
 * kernel (KASAN, lockdep, kmemleak, UBSAN, debug objects) 81 cycles took
 * 420 s on a busy host, about 5.2 s a cycle; 100 cycles took 572 s on
 * a slower host (2026-12-07), close to the 600 s cap it had.  CAP_MS is
 * only a safety net against a slowdown that is no hang (each unload has
 * its own UNLOAD_MS), and hitting it fails the test with the number of
 * cycles reached.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ls_test_util.h"

#define READERS		4
#define KIDS		(READERS + 2)	/* + fork churner + thread churner */
#define FORKER		READERS
#define THREADER	(READERS + 1)
#define TARGET_CYCLES	100
#define CAP_MS		900000
#define PROGRESS_EVERY	25
#define UNLOAD_MS	60000
#define LEAKY_EVERY	5
#define FAST_EVERY	3
#define LEAKY_PARAMS	"period_ms=20 vm_kb=64 objs_per_tick=16 free_on_unload=1"

static const char * const all_files[] = {
	"summary", "suspects", "procs", "regions", "vmalloc", "slab", "control",
	"callsites", "stacks",
};
#define NR_ALL_FILES	9

struct shared {
	int stop;			/* __atomic: set by the parent */
	int unloading;			/* __atomic: parent in delete_module */
	unsigned long reads[READERS];	/* complete reads */
	unsigned long gone[READERS];	/* tolerated errors */
	unsigned long forks, threads;
	char last_error[KIDS][256];
};

FIXTURE(stress) {
	struct shared *sh;
	pid_t kids[KIDS];
};

FIXTURE_SETUP(stress)
{
	int ret;

	self->sh = ls_shared_map(sizeof(*self->sh));
	ASSERT_NE(NULL, self->sh);
	memset(self->kids, 0, sizeof(self->kids));
	ASSERT_EQ(0, ls_unload());
	ret = ls_mod_unload_retry(LS_LEAKY_MODNAME, 5000);
	ASSERT_TRUE(ret == 0 || ret == -ENOENT);
	ASSERT_EQ(0, access(ls_leaky_ko_path(), R_OK))
		TH_LOG("%s: %s", ls_leaky_ko_path(), strerror(errno));
}

FIXTURE_TEARDOWN(stress)
{
	int i, ret;

	__atomic_store_n(&self->sh->stop, 1, __ATOMIC_RELAXED);
	for (i = 0; i < KIDS; i++) {
		if (self->kids[i] > 0) {
			kill(self->kids[i], SIGKILL);
			waitpid(self->kids[i], NULL, 0);
		}
	}
	ret = ls_mod_unload_retry(LS_LEAKY_MODNAME, 5000);
	EXPECT_TRUE(ret == 0 || ret == -ENOENT);
	EXPECT_EQ(0, ls_unload());
	EXPECT_FALSE(ls_loaded());
}

static bool tolerated(int err)
{
	return err == ENOENT || err == ENXIO || err == ENODEV || err == EIO;
}

static bool stopped(struct shared *sh)
{
	return __atomic_load_n(&sh->stop, __ATOMIC_RELAXED);
}

static void read_loop(struct shared *sh, int id)
{
	char path[NR_ALL_FILES][128], buf[4096];
	unsigned long done;
	size_t got;
	ssize_t r;
	int f, fd;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	for (f = 0; f < NR_ALL_FILES; f++)
		snprintf(path[f], sizeof(path[f]), "%s/%s", LS_DIR,
			 all_files[f]);
	while (!stopped(sh)) {
		done = sh->reads[id];
		for (f = 0; f < NR_ALL_FILES; f++) {
			/*
			 * An open file pins the module and delete_module never
			 * waits (EWOULDBLOCK): 4 readers of 7 files keep it
			 * pinned for good under TCG.  While the parent
			 * unloads, reader 0 alone goes on, with 1 ms gaps, so
			 * opens still race with the unload.
			 */
			if (__atomic_load_n(&sh->unloading, __ATOMIC_RELAXED)) {
				ls_sleep_ms(1);
				if (id)
					continue;
			}
			fd = open(path[f], O_RDONLY);
			if (fd < 0) {
				if (!tolerated(errno)) {
					snprintf(sh->last_error[id], 256,
						 "open %s: %s", path[f],
						 strerror(errno));
					_exit(1);
				}
				sh->gone[id]++;
				continue;
			}
			got = 0;
			while ((r = read(fd, buf,
					 sizeof(buf) - 1)) > 0) {
				if (!got) {
					buf[r] = '\0';
					if (strncmp(buf, "# leakscope ", 12)) {
						snprintf(sh->last_error[id], 256,
							 "%s starts with '%.60s'",
							 path[f], buf);
						_exit(3);
					}
				}
				got += r;
			}
			if (r < 0 && !tolerated(errno)) {
				snprintf(sh->last_error[id], 256, "read %s: %s",
					 path[f], strerror(errno));
				_exit(2);
			}
			close(fd);
			if (r < 0 || !got)
				sh->gone[id]++;
			else
				sh->reads[id]++;
		}
		/*
		 * A pass that read nothing ran while the module was out:
		 * spinning on ENOENT would only take CPU from the load it
		 * waits for.  1 ms apart, the passes still race with the
		 * files appearing.
		 */
		if (sh->reads[id] == done)
			ls_sleep_ms(1);
	}
	_exit(0);
}

static void fork_loop(struct shared *sh)
{
	pid_t pid;
	int status;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	while (!stopped(sh)) {
		pid = fork();
		if (pid < 0) {
			snprintf(sh->last_error[FORKER], 256, "fork: %s",
				 strerror(errno));
			_exit(1);
		}
		if (!pid) {
			/* Some anon memory, so the child's mm has content. */
			char *p = mmap(NULL, 256 << 10, PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

			if (p != MAP_FAILED)
				memset(p, 1, 256 << 10);
			_exit(0);
		}
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
		    WEXITSTATUS(status)) {
			snprintf(sh->last_error[FORKER], 256,
				 "short-lived child: status 0x%x", status);
			_exit(2);
		}
		sh->forks++;
	}
	_exit(0);
}

static void *thread_fn(void *arg)
{
	volatile char stack_use[8192];

	stack_use[0] = 1;
	stack_use[sizeof(stack_use) - 1] = 1;
	return arg;
}

static void thread_loop(struct shared *sh)
{
	pthread_t t[4];
	int i, err;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	while (!stopped(sh)) {
		for (i = 0; i < 4; i++) {
			err = pthread_create(&t[i], NULL, thread_fn, NULL);
			if (err) {
				snprintf(sh->last_error[THREADER], 256,
					 "pthread_create: %s", strerror(err));
				_exit(1);
			}
		}
		for (i = 0; i < 4; i++) {
			err = pthread_join(t[i], NULL);
			if (err) {
				snprintf(sh->last_error[THREADER], 256,
					 "pthread_join: %s", strerror(err));
				_exit(2);
			}
		}
		sh->threads += 4;
	}
	_exit(0);
}

/* The harness timeout only backs up CAP_MS (plus the children's exit). */
TEST_F_TIMEOUT(stress, load_unload_under_load, CAP_MS / 1000 + 120)
{
	long long t0 = ls_now_ms(), t, worst = 0, took;
	long long load_ms = 0, load_worst = 0, unload_ms = 0;
	unsigned long reads = 0, gone = 0;
	int i, cycles = 0, leaky = 0, fast = 0, ret, status;
	const char *params;

	for (i = 0; i < KIDS; i++) {
		self->kids[i] = fork();
		ASSERT_LE(0, self->kids[i]);
		if (!self->kids[i]) {
			if (i < READERS)
				read_loop(self->sh, i);
			else if (i == FORKER)
				fork_loop(self->sh);
			else
				thread_loop(self->sh);
		}
	}

	while (cycles < TARGET_CYCLES && ls_now_ms() - t0 < CAP_MS) {
		params = cycles % FAST_EVERY == 1 ? "interval_ms=100" : "";
		fast += !!*params;
		t = ls_now_ms();
		ret = ls_load(params);
		t = ls_now_ms() - t;
		load_ms += t;
		load_worst = t > load_worst ? t : load_worst;
		ASSERT_EQ(0, ret) TH_LOG("cycle %d: load '%s': %s", cycles + 1,
					 params, strerror(-ret));
		if (cycles % LEAKY_EVERY == 2) {
			ret = ls_leaky_load(LEAKY_PARAMS);
			ASSERT_EQ(0, ret) TH_LOG("cycle %d: load %s: %s",
						 cycles + 1, ls_leaky_ko_path(),
						 strerror(-ret));
			ls_sleep_ms(120);
			ret = ls_mod_unload_retry(LS_LEAKY_MODNAME, UNLOAD_MS);
			ASSERT_EQ(0, ret) TH_LOG("cycle %d: unload ls_leaky: %s",
						 cycles + 1, strerror(-ret));
			leaky++;
		}
		ls_sleep_ms(*params ? 250 : 30);
		t = ls_now_ms();
		__atomic_store_n(&self->sh->unloading, 1, __ATOMIC_RELAXED);
		ret = ls_unload_retry(UNLOAD_MS);
		__atomic_store_n(&self->sh->unloading, 0, __ATOMIC_RELAXED);
		t = ls_now_ms() - t;
		unload_ms += t;
		worst = t > worst ? t : worst;
		ASSERT_EQ(0, ret) TH_LOG("cycle %d: unload: %s after %lld ms",
					 cycles + 1, strerror(-ret), t);
		cycles++;
		if (cycles % PROGRESS_EVERY == 0)
			ksft_print_msg("%d cycles after %lld ms\n", cycles,
				       ls_now_ms() - t0);
	}
	took = ls_now_ms() - t0;

	__atomic_store_n(&self->sh->stop, 1, __ATOMIC_RELAXED);
	for (i = 0; i < KIDS; i++) {
		ASSERT_EQ(self->kids[i], waitpid(self->kids[i], &status, 0));
		self->kids[i] = 0;
		EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
			TH_LOG("child %d: %s %d: %s", i,
			       WIFSIGNALED(status) ? "killed by signal" :
			       "exit status",
			       WIFSIGNALED(status) ? WTERMSIG(status) :
			       WEXITSTATUS(status), self->sh->last_error[i]);
		if (i < READERS) {
			reads += self->sh->reads[i];
			gone += self->sh->gone[i];
		}
	}
	ksft_print_msg("%d of %d load/unload cycles (%d with interval_ms=100, %d with ls_leaky) in %lld ms\n",
		       cycles, TARGET_CYCLES, fast, leaky, took);
	ksft_print_msg("loads %lld ms in all (slowest %lld ms), unloads %lld ms (slowest %lld ms)\n",
		       load_ms, load_worst, unload_ms, worst);
	ksft_print_msg("%lu reads, %lu gone; %lu forks, %lu threads\n", reads,
		       gone, self->sh->forks, self->sh->threads);
	EXPECT_EQ(TARGET_CYCLES, cycles)
		TH_LOG("only %d of %d cycles before the %d s safety cap",
		       cycles, TARGET_CYCLES, CAP_MS / 1000);
	EXPECT_LT(0, reads);
	EXPECT_LT(0UL, self->sh->forks);
	EXPECT_LT(0UL, self->sh->threads);
	EXPECT_FALSE(ls_loaded());
	EXPECT_FALSE(ls_mod_loaded(LS_LEAKY_MODNAME));
}

TEST_HARNESS_MAIN
