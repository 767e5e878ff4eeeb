// SPDX-License-Identifier: GPL-2.0
/*
 * ls-bench-spawn: the benchmark's population.  Forks NPROCS processes that
 * each map NREGIONS separate anonymous regions (alternating protections,
 * so neighbours never merge into one VMA), touch them, and sleep.  Prints
 * "ready" once all are in place; SIGTERM takes them all down.
 *
 * Usage: ls-bench-spawn NPROCS NREGIONS
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static void child(int nregions)
{
	long page = sysconf(_SC_PAGESIZE);
	int i;

	/* Die with the parent, whatever kills it. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	for (i = 0; i < nregions; i++) {
		int prot = (i & 1) ? PROT_READ : PROT_READ | PROT_WRITE;
		char *p = mmap(NULL, page, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			_exit(1);
		p[0] = 1;
		if (mprotect(p, page, prot))
			_exit(1);
	}
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	int nprocs, nregions, i;
	pid_t *pids;

	if (argc != 3) {
		fprintf(stderr, "usage: %s NPROCS NREGIONS\n", argv[0]);
		return 2;
	}
	nprocs = atoi(argv[1]);
	nregions = atoi(argv[2]);
	pids = calloc(nprocs, sizeof(*pids));
	if (!pids || nprocs <= 0 || nregions <= 0)
		return 2;
	signal(SIGTERM, SIG_IGN);
	for (i = 0; i < nprocs; i++) {
		pids[i] = fork();
		if (pids[i] < 0) {
			perror("fork");
			break;
		}
		if (pids[i] == 0) {
			signal(SIGTERM, SIG_DFL);
			child(nregions);
		}
	}
	printf("ready %d processes, %d regions each\n", i, nregions);
	fflush(stdout);
	signal(SIGTERM, SIG_DFL);
	pause();
	return 0;
}
