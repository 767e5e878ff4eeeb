// SPDX-License-Identifier: GPL-2.0
/*
 * ls-repro-flat: a non-leaker that allocates once and then stays flat.
 *
 * It allocates a block (8 MiB by default), writes every page of it so the
 * memory is resident, and sleeps forever holding it.  Its VSZ and RssAnon
 * make one step at start-up and never move again: a step followed by a
 * plateau is not growth, and leakscope must never name it.
 *
 * Usage: ls-repro-flat [-s SIZE_KIB]
 * Prints its pid first.  Runs until killed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "repro.h"

static void usage(const char *prog)
{
	fprintf(stderr,
		"Usage: %s [-s SIZE_KIB]\n"
		"  allocate and touch SIZE_KIB once, then sleep forever\n"
		"  -s  size in KiB (default 8192)\n", prog);
	exit(2);
}

int main(int argc, char **argv)
{
	long size_kib = 8192;
	char *p;
	int opt;

	while ((opt = getopt(argc, argv, "s:h")) != -1) {
		switch (opt) {
		case 's':
			size_kib = parse_num(optarg, argv[0], 1, 16 * 1048576);
			break;
		default:
			usage(argv[0]);
		}
	}
	if (optind != argc)
		usage(argv[0]);

	p = malloc(size_kib * 1024);
	if (!p) {
		perror("malloc");
		return 1;
	}
	/* Non-zero bytes: every page is faulted in and stays resident. */
	memset(p, 0x5a, size_kib * 1024);
	asm volatile("" : : "r"(p) : "memory");

	printf("%d\n", getpid());
	fflush(stdout);
	for (;;)
		pause();
	return 0;
}
