// SPDX-License-Identifier: GPL-2.0
/*
 * ls-repro-mlock-drip: locked memory that is never unlocked.
 *
 * Every period it maps an anonymous chunk and mlock()s it, and never
 * munlocks or unmaps it.  VmLck in /proc/PID/status (mm->locked_vm) grows
 * by the chunk size per period, and so do Mlocked and Unevictable in
 * /proc/meminfo: memory the kernel can neither reclaim nor swap.
 *
 * RLIMIT_MEMLOCK limits an unprivileged process (8 MiB by default on
 * recent kernels); root with CAP_IPC_LOCK is not limited.  We raise the
 * limit to infinity when allowed and carry on either way: mlock() fails
 * loudly once the limit is reached.
 *
 * Usage: ls-repro-mlock-drip [-p PERIOD_MS] [-s CHUNK_KIB] [-n COUNT]
 * Prints its pid first.  Runs until killed (after COUNT chunks it keeps
 * them locked and sleeps).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "repro.h"

static void usage(const char *prog)
{
	fprintf(stderr,
		"Usage: %s [-p PERIOD_MS] [-s CHUNK_KIB] [-n COUNT]\n"
		"  mmap and mlock one chunk per period, never unlock it\n"
		"  -p  period in ms (default 200)\n"
		"  -s  chunk size in KiB (default 128)\n"
		"  -n  stop after COUNT chunks, keep them locked (default: no end)\n",
		prog);
	exit(2);
}

int main(int argc, char **argv)
{
	long period_ms = 200, chunk_kib = 128, count = -1, n;
	struct rlimit unlimited = { RLIM_INFINITY, RLIM_INFINITY };
	struct timespec next;
	size_t len;
	char *p;

	parse_drip_opts(argc, argv, &period_ms, &chunk_kib, 4, &count);
	len = chunk_kib * 1024;

	/* Best effort: without CAP_SYS_RESOURCE the old limit stays. */
	setrlimit(RLIMIT_MEMLOCK, &unlimited);

	printf("%d\n", getpid());
	fflush(stdout);

	clock_gettime(CLOCK_MONOTONIC, &next);
	for (n = 0; count < 0 || n < count; n++) {
		p = mmap(NULL, len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED) {
			perror("mmap");
			return 1;
		}
		/* mlock() faults every page in and pins it. */
		if (mlock(p, len)) {
			perror("mlock");
			return 1;
		}
		/* Never munlock()ed, never munmap()ed: that is the leak. */
		sleep_until(&next, period_ms);
	}
	for (;;)
		pause();
	return 0;
}
