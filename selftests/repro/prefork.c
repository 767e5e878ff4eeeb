// SPDX-License-Identifier: GPL-2.0
/*
 * ls-repro-prefork: a pre-fork server that recycles its workers.
 *
 * The parent keeps WORKERS worker processes.  Each worker takes a little
 * memory, serves for a random 200-1500 ms and exits (as a worker that
 * has served its quota of requests does); the parent reaps it at once
 * (a blocking wait()) and forks a replacement.  Processes come and go
 * all the time, but nothing accumulates: neither zombies of the parent,
 * nor its threads, nor its memory.  It must never be named.
 *
 * Usage: ls-repro-prefork [-w WORKERS]
 * Prints its pid first.  Runs until killed (its workers die with it).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "repro.h"

static void usage(const char *prog)
{
	fprintf(stderr,
		"Usage: %s [-w WORKERS]\n"
		"  keep WORKERS short-lived worker processes (default 4)\n",
		prog);
	exit(2);
}

static void worker(unsigned int seed)
{
	size_t len = 256 * 1024;
	char *buf;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	srand(seed);
	buf = malloc(len);
	if (buf)
		memset(buf, 1, len);
	usleep(200000 + rand() % 1300000);
	free(buf);
	_exit(0);
}

static pid_t spawn(unsigned int seed)
{
	pid_t pid = fork();

	if (!pid)
		worker(seed);
	return pid;
}

int main(int argc, char **argv)
{
	long workers = 4, i;
	unsigned int seed = 1;
	int opt;

	while ((opt = getopt(argc, argv, "w:h")) != -1) {
		if (opt != 'w')
			usage(argv[0]);
		workers = parse_num(optarg, argv[0], 1, 1000);
	}
	if (optind != argc)
		usage(argv[0]);
	printf("%d\n", getpid());
	fflush(stdout);

	for (i = 0; i < workers; i++)
		if (spawn(seed++) < 0) {
			perror("fork");
			return 1;
		}
	for (;;) {
		if (wait(NULL) < 0) {
			if (errno == EINTR)
				continue;
			perror("wait");
			return 1;
		}
		while (spawn(seed++) < 0)
			sleep(1);
	}
	return 0;
}
