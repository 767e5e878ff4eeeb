// SPDX-License-Identifier: GPL-2.0
/*
 * ls-bench-spawn: the benchmark's population.  Forks NPROCS processes that
 * each map NREGIONS separate anonymous regions (alternating protections,
 * so neighbours never merge into one VMA), touch them, and sleep.  Prints
 * "ready" once all are in place; SIGTERM takes them all down.
 *
 * With NCGROUPS, the processes are spread over that many cgroups,
 * DIR/g0 .. DIR/gN-1 (made here; DIR a directory of a mounted cgroup v2
 * hierarchy), process i in g(i % NCGROUPS): the fleet's shape, services
 * and containers of ten processes each, that leakscope's cgroups file sums.
 *
 * Usage: ls-bench-spawn NPROCS NREGIONS [NCGROUPS DIR]
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
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

/* Move @pid into DIR/gN.  Returns 0 or -1 (said). */
static int join_cgroup(const char *dir, int n, pid_t pid)
{
	char path[512], buf[16];
	int fd, len, ret = 0;

	snprintf(path, sizeof(path), "%s/g%d/cgroup.procs", dir, n);
	fd = open(path, O_WRONLY);
	if (fd < 0) {
		fprintf(stderr, "ls-bench-spawn: %s: %s\n", path, strerror(errno));
		return -1;
	}
	snprintf(buf, sizeof(buf), "%d", (int)pid);
	len = write(fd, buf, strlen(buf));
	if (len != (int)strlen(buf)) {
		fprintf(stderr, "ls-bench-spawn: %s: %s\n", path,
			len < 0 ? strerror(errno) : "short write");
		ret = -1;
	}
	close(fd);
	return ret;
}

static int make_cgroups(const char *dir, int n)
{
	char path[512];
	int i;

	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/g%d", dir, i);
		if (mkdir(path, 0755) && errno != EEXIST) {
			fprintf(stderr, "ls-bench-spawn: mkdir %s: %s\n", path,
				strerror(errno));
			return -1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	int nprocs, nregions, ncgroups = 0, i;
	const char *dir = NULL;
	pid_t *pids;

	if (argc != 3 && argc != 5) {
		fprintf(stderr, "usage: %s NPROCS NREGIONS [NCGROUPS DIR]\n",
			argv[0]);
		return 2;
	}
	nprocs = atoi(argv[1]);
	nregions = atoi(argv[2]);
	if (argc == 5) {
		ncgroups = atoi(argv[3]);
		dir = argv[4];
		if (ncgroups <= 0)
			return 2;
		if (make_cgroups(dir, ncgroups))
			return 1;
	}
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
		/* The parent moves it: a failure is seen, and fails the run. */
		if (dir && join_cgroup(dir, i % ncgroups, pids[i])) {
			while (i >= 0)
				kill(pids[i--], SIGKILL);
			return 1;
		}
	}
	printf("ready %d processes, %d regions each, in %d cgroups\n", i,
	       nregions, ncgroups);
	fflush(stdout);
	signal(SIGTERM, SIG_DFL);
	pause();
	return 0;
}
