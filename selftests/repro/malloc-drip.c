// SPDX-License-Identifier: GPL-2.0
/*
 * ls-repro-malloc-drip: the plainest leak, malloc() without free().
 *
 * Every period it mallocs a chunk and fills it (memset with a non-zero
 * byte, so every page is really faulted in and counted), then forgets the
 * pointer.  RssAnon in /proc/PID/status grows by the chunk size per period;
 * no thread stacks are involved.  Chunks above glibc's mmap threshold
 * (128 KiB by default) each get their own anonymous mapping, smaller ones
 * come from the brk heap: either way the memory is anonymous and private.
 *
 * Usage: ls-repro-malloc-drip [-p PERIOD_MS] [-s CHUNK_KIB] [-n COUNT]
 * Prints its pid first.  Runs until killed (after COUNT chunks it keeps
 * them and sleeps).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "repro.h"

static void usage(const char *prog)
{
	fprintf(stderr,
		"Usage: %s [-p PERIOD_MS] [-s CHUNK_KIB] [-n COUNT]\n"
		"  malloc and fill one chunk per period, never free it\n"
		"  -p  period in ms (default 200)\n"
		"  -s  chunk size in KiB (default 256)\n"
		"  -n  stop after COUNT chunks, keep them (default: no end)\n",
		prog);
	exit(2);
}

int main(int argc, char **argv)
{
	long period_ms = 200, chunk_kib = 256, count = -1, n;
	struct timespec next;

	parse_drip_opts(argc, argv, &period_ms, &chunk_kib, 1, &count);

	printf("%d\n", getpid());
	fflush(stdout);

	clock_gettime(CLOCK_MONOTONIC, &next);
	for (n = 0; count < 0 || n < count; n++) {
		char *p = malloc(chunk_kib * 1024);

		if (!p) {
			perror("malloc");
			return 1;
		}
		memset(p, 0x5a, chunk_kib * 1024);
		/* Keep the stores: the compiler must not drop an unused buffer. */
		asm volatile("" : : "r"(p) : "memory");
		/* p is dropped here, never freed: that is the leak. */
		sleep_until(&next, period_ms);
	}
	for (;;)
		pause();
	return 0;
}
