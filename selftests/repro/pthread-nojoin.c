// SPDX-License-Identifier: GPL-2.0
/*
 * ls-repro-pthread-nojoin: joinable pthreads that exit and are never joined.
 *
 * glibc frees (or caches for reuse) a thread's stack only when the thread
 * is joined, or when a detached thread exits.  A joinable thread that has
 * exited and is never joined keeps its whole stack mapped forever, waiting
 * for a pthread_join() that never comes: each one is an orphaned stack,
 * [guard ---p][stack rw-p], that no live thread uses.  This is the leak of
 * the method's classic case, made by the library rather than by hand as in
 * ls-repro-clone-stack.
 *
 * The stack size is set explicitly (pthread_attr_setstacksize) so that the
 * leak is fast and independent of RLIMIT_STACK: with the defaults, 256 KiB
 * every 300 ms, the orphans pass glibc's 40 MiB stack cache size in under
 * a minute, which rules out "it is only the cache" as an explanation.
 *
 * Usage: ls-repro-pthread-nojoin [-p PERIOD_MS] [-s STACK_KIB] [-n COUNT]
 * Prints its pid first.  Runs until killed (after COUNT threads it keeps
 * the leaked stacks and sleeps).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "repro.h"

static void usage(const char *prog)
{
	fprintf(stderr,
		"Usage: %s [-p PERIOD_MS] [-s STACK_KIB] [-n COUNT]\n"
		"  start one joinable pthread per period; it exits and is never joined\n"
		"  -p  period in ms (default 300)\n"
		"  -s  thread stack size in KiB (default 256)\n"
		"  -n  stop after COUNT threads, keep their stacks (default: no end)\n",
		prog);
	exit(2);
}

/* Touch a little of the stack, as real work would, then return (exit). */
static void *thread_fn(void *arg)
{
	volatile char scratch[1024];
	size_t i;

	for (i = 0; i < sizeof(scratch); i++)
		scratch[i] = (char)((unsigned long)arg + i);
	return NULL;
}

int main(int argc, char **argv)
{
	long period_ms = 300, stack_kib = 256, count = -1, n;
	struct timespec next;
	pthread_attr_t attr;
	pthread_t t;
	int err;

	/* PTHREAD_STACK_MIN is 16 KiB on x86-64. */
	parse_drip_opts(argc, argv, &period_ms, &stack_kib, 16, &count);

	printf("%d\n", getpid());
	fflush(stdout);

	pthread_attr_init(&attr);
	err = pthread_attr_setstacksize(&attr, stack_kib * 1024);
	if (err) {
		fprintf(stderr, "pthread_attr_setstacksize: %s\n", strerror(err));
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &next);
	for (n = 0; count < 0 || n < count; n++) {
		err = pthread_create(&t, &attr, thread_fn, (void *)n);
		if (err) {
			fprintf(stderr, "pthread_create: %s\n", strerror(err));
			return 1;
		}
		/* No pthread_join(t), no pthread_detach(t): that is the leak. */
		sleep_until(&next, period_ms);
	}
	for (;;)
		pause();
	return 0;
}
