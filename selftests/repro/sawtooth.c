// SPDX-License-Identifier: GPL-2.0
/*
 * ls-repro-sawtooth: a non-leaker whose memory goes up and down with no
 * net trend.
 *
 * Each period it allocates a block in equal steps spread over the first
 * half of the period (1 MiB every 187 ms with the defaults, up to 8 MiB),
 * frees all of it at once, and stays at the bottom for the second half.
 * This is a cache or a batch buffer that is filled and then dropped: VSZ
 * and RssAnon rise through most samples of the ramp and fall in one, so
 * only the long run shows there is no growth, which is exactly what
 * leakscope must see.  The steps are separate mmap()s, and the drop is a
 * munmap() of each, so the memory really goes back to the kernel (a
 * malloc()/free() sawtooth would depend on glibc's trim heuristics).
 *
 * Usage: ls-repro-sawtooth [-p PERIOD_MS] [-s MAX_KIB] [-n STEPS]
 * Prints its pid first.  Runs until killed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "repro.h"

#define MAX_STEPS	64

static void usage(const char *prog)
{
	fprintf(stderr,
		"Usage: %s [-p PERIOD_MS] [-s MAX_KIB] [-n STEPS]\n"
		"  allocate up to MAX_KIB in STEPS steps over half a period, free it all\n"
		"  -p  period in ms (default 3000)\n"
		"  -s  peak size in KiB (default 8192)\n"
		"  -n  steps per ramp, 1..%d (default 8)\n", prog, MAX_STEPS);
	exit(2);
}

int main(int argc, char **argv)
{
	long period_ms = 3000, max_kib = 8192, steps = 8, step_ms, i;
	char *block[MAX_STEPS];
	struct timespec next;
	size_t step_len;
	int opt;

	while ((opt = getopt(argc, argv, "p:s:n:h")) != -1) {
		switch (opt) {
		case 'p':
			period_ms = parse_num(optarg, argv[0], 2, 86400000);
			break;
		case 's':
			max_kib = parse_num(optarg, argv[0], 4, 16 * 1048576);
			break;
		case 'n':
			steps = parse_num(optarg, argv[0], 1, MAX_STEPS);
			break;
		default:
			usage(argv[0]);
		}
	}
	if (optind != argc)
		usage(argv[0]);
	step_len = ((max_kib * 1024 / steps) + 4095) & ~4095UL;
	step_ms = period_ms / 2 / steps;

	printf("%d\n", getpid());
	fflush(stdout);

	clock_gettime(CLOCK_MONOTONIC, &next);
	for (;;) {
		/* Ramp: one step at a time over the first half period. */
		for (i = 0; i < steps; i++) {
			block[i] = mmap(NULL, step_len, PROT_READ | PROT_WRITE,
					MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (block[i] == MAP_FAILED) {
				perror("mmap");
				return 1;
			}
			memset(block[i], 0x5a, step_len);
			sleep_until(&next, step_ms);
		}
		/* Drop: all of it at once, then rest at the bottom. */
		for (i = 0; i < steps; i++)
			munmap(block[i], step_len);
		sleep_until(&next, period_ms - steps * step_ms);
	}
	return 0;
}
