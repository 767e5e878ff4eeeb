// SPDX-License-Identifier: GPL-2.0
/*
 * ls-repro-zombie-pile: a parent that never reaps its children.
 *
 * Every period it forks a child that exits at once.  Without -r the
 * parent never calls wait(): each child stays a zombie, holding its
 * task_struct, its pid and its signal struct, and the parent's zombie
 * count climbs.  leakscope must name the parent zombie-growth.
 *
 * With -r REAP_MS it reaps each child REAP_MS after forking it: a parent
 * that reaps late, but reaps.  Its zombie count goes up and down around
 * REAP_MS / PERIOD_MS and never climbs: it must never be named.
 *
 * Usage: ls-repro-zombie-pile [-p PERIOD_MS] [-r REAP_MS] [-n COUNT]
 * Prints its pid first.  Runs until killed; its zombies are reaped by
 * init then.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "repro.h"

#define MAX_PENDING	4096

static void usage(const char *prog)
{
	fprintf(stderr,
		"Usage: %s [-p PERIOD_MS] [-r REAP_MS] [-n COUNT]\n"
		"  fork one child per period that exits at once\n"
		"  -p  period in ms (default 300)\n"
		"  -r  reap each child REAP_MS after its fork (default: never)\n"
		"  -n  fork COUNT children, then sleep (default: no end)\n",
		prog);
	exit(2);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

int main(int argc, char **argv)
{
	long period_ms = 300, reap_ms = -1, count = -1, n;
	static pid_t pending[MAX_PENDING];
	static long long born[MAX_PENDING];
	unsigned int head = 0, tail = 0;
	struct timespec next;
	pid_t pid;
	int opt;

	while ((opt = getopt(argc, argv, "p:r:n:h")) != -1) {
		switch (opt) {
		case 'p':
			period_ms = parse_num(optarg, argv[0], 1, 86400000);
			break;
		case 'r':
			reap_ms = parse_num(optarg, argv[0], 0, 86400000);
			break;
		case 'n':
			count = parse_num(optarg, argv[0], 0, 1000000000);
			break;
		default:
			usage(argv[0]);
		}
	}
	if (optind != argc)
		usage(argv[0]);
	/* SIGCHLD at its default: ignored, yet children stay zombies. */
	signal(SIGCHLD, SIG_DFL);
	printf("%d\n", getpid());
	fflush(stdout);

	clock_gettime(CLOCK_MONOTONIC, &next);
	for (n = 0; count < 0 || n < count; n++) {
		pid = fork();
		if (pid < 0) {
			perror("fork");
			return 1;
		}
		if (!pid)
			_exit(0);
		if (reap_ms >= 0 && tail - head < MAX_PENDING) {
			pending[tail % MAX_PENDING] = pid;
			born[tail % MAX_PENDING] = now_ms();
			tail++;
		}
		sleep_until(&next, period_ms);
		while (head != tail &&
		       now_ms() - born[head % MAX_PENDING] >= reap_ms) {
			waitpid(pending[head % MAX_PENDING], NULL, 0);
			head++;
		}
	}
	for (;;)
		pause();
	return 0;
}
