// SPDX-License-Identifier: GPL-2.0
/*
 * ls-repro-threadpool: a non-leaker whose threads come and go.
 *
 * A pool of worker pthreads is created, does a little work, is joined,
 * and is created again, every period, forever.  Each join hands the
 * thread's stack to glibc's stack cache (up to 40 MiB) and the next
 * pthread_create() takes it from there, so the same few stacks are reused:
 * between rounds they are stack-shaped regions no live thread uses, but
 * their number goes up and down within the pool size and never trends.
 * leakscope must tell this apart from a thread-stack leak.  The default
 * stack size (RLIMIT_STACK, 8 MiB) is kept on purpose: 4 x 8 MiB fits in
 * the cache, as in most real programs.
 *
 * Usage: ls-repro-threadpool [-p PERIOD_MS] [-t THREADS] [-s STACK_KIB]
 * Prints its pid first.  Runs until killed.
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

#define MAX_THREADS	64

static void usage(const char *prog)
{
	fprintf(stderr,
		"Usage: %s [-p PERIOD_MS] [-t THREADS] [-s STACK_KIB]\n"
		"  create, join and recreate a pool of pthreads every period\n"
		"  -p  period in ms (default 300)\n"
		"  -t  pool size, 1..%d (default 4)\n"
		"  -s  stack size in KiB (default: glibc's, from RLIMIT_STACK)\n",
		prog, MAX_THREADS);
	exit(2);
}

static void *worker(void *arg)
{
	volatile char scratch[4096];
	size_t i;

	for (i = 0; i < sizeof(scratch); i++)
		scratch[i] = (char)((unsigned long)arg + i);
	return NULL;
}

int main(int argc, char **argv)
{
	long period_ms = 300, nthreads = 4, stack_kib = 0, i;
	pthread_t t[MAX_THREADS];
	struct timespec next;
	pthread_attr_t attr;
	int opt, err;

	while ((opt = getopt(argc, argv, "p:t:s:h")) != -1) {
		switch (opt) {
		case 'p':
			period_ms = parse_num(optarg, argv[0], 1, 86400000);
			break;
		case 't':
			nthreads = parse_num(optarg, argv[0], 1, MAX_THREADS);
			break;
		case 's':
			stack_kib = parse_num(optarg, argv[0], 16, 1048576);
			break;
		default:
			usage(argv[0]);
		}
	}
	if (optind != argc)
		usage(argv[0]);

	pthread_attr_init(&attr);
	if (stack_kib) {
		err = pthread_attr_setstacksize(&attr, stack_kib * 1024);
		if (err) {
			fprintf(stderr, "pthread_attr_setstacksize: %s\n",
				strerror(err));
			return 1;
		}
	}

	printf("%d\n", getpid());
	fflush(stdout);

	clock_gettime(CLOCK_MONOTONIC, &next);
	for (;;) {
		for (i = 0; i < nthreads; i++) {
			err = pthread_create(&t[i], &attr, worker, (void *)i);
			if (err) {
				fprintf(stderr, "pthread_create: %s\n",
					strerror(err));
				return 1;
			}
		}
		/* Every thread is joined: its stack goes back to the cache. */
		for (i = 0; i < nthreads; i++)
			pthread_join(t[i], NULL);
		sleep_until(&next, period_ms);
	}
	return 0;
}
