// SPDX-License-Identifier: GPL-2.0
/*
 * ls-repro-thread-pile: threads that never exit.
 *
 * Every period it starts a thread that blocks forever (a worker waiting
 * for work that never comes, a connection handler stuck on a peer that
 * is gone).  Each one holds its user stack and a kernel stack: the
 * thread count, VSZ and meminfo's KernelStack climb, RSS barely moves.
 * leakscope must name it thread-growth.  The stack size is set
 * explicitly so the test does not depend on RLIMIT_STACK.
 *
 * Usage: ls-repro-thread-pile [-p PERIOD_MS] [-s STACK_KIB] [-n COUNT]
 * Prints its pid first.  Runs until killed (after COUNT threads it keeps
 * them and sleeps).
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
		"  start one thread per period that blocks forever\n"
		"  -p  period in ms (default 300)\n"
		"  -s  thread stack size in KiB (default 256)\n"
		"  -n  start COUNT threads, then hold them (default: no end)\n",
		prog);
	exit(2);
}

static void *stuck(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

int main(int argc, char **argv)
{
	long period_ms = 300, stack_kib = 256, count = -1, n;
	struct timespec next;
	pthread_attr_t attr;
	pthread_t t;
	int err;

	parse_drip_opts(argc, argv, &period_ms, &stack_kib, 64, &count);
	pthread_attr_init(&attr);
	err = pthread_attr_setstacksize(&attr, stack_kib * 1024);
	if (err) {
		fprintf(stderr, "pthread_attr_setstacksize: %s\n", strerror(err));
		return 1;
	}
	printf("%d\n", getpid());
	fflush(stdout);

	clock_gettime(CLOCK_MONOTONIC, &next);
	for (n = 0; count < 0 || n < count; n++) {
		err = pthread_create(&t, &attr, stuck, NULL);
		if (err) {
			fprintf(stderr, "pthread_create: %s\n", strerror(err));
			return 1;
		}
		sleep_until(&next, period_ms);
	}
	for (;;)
		pause();
	return 0;
}
