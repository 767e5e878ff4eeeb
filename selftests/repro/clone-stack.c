// SPDX-License-Identifier: GPL-2.0
/*
 * ls-repro-clone-stack: the classic thread-stack leak.
 *
 * Every period it mmaps a thread stack with a 4 kB PROT_NONE guard page at
 * its low end, clone()s a thread on it that does a little work and leaves
 * with the raw exit syscall, and never munmaps the stack.  VSZ grows by
 * (stack size) at a fixed period; RSS grows only by the page or two the
 * thread touched at the top of its stack; the process never has more than
 * two threads.  Each step adds one anonymous rw-p region with a ---p guard
 * page right below it.
 *
 * The parent waits for each thread to be gone (CLONE_CHILD_CLEARTID: the
 * kernel clears the tid word and wakes the futex when the thread exits)
 * before the next step, so the thread count stays low; this does not free
 * the stack, exactly as a never-joined pthread's stack is never freed.
 *
 * With -g the stacks get no guard page: each new mapping lands right below
 * the last one and merges with it into one anonymous region that keeps
 * growing, with nothing stack-shaped about it.  VSZ grows by a stack a
 * period and RSS far slower: leakscope must name it mapping-growth.  The
 * stacks are MADV_NOHUGEPAGE, as MAP_STACK implies from 6.7 on: on 6.1 the
 * merged region would otherwise take a 2 MB huge page at the first touch
 * of each aligned 2 MB, and RSS would grow in 2 MB steps (anon growth, an
 * honest one, but not the case this mode shows).  A kernel without THP
 * (6.1's rt flavour) refuses the advice with EINVAL, and has nothing to
 * refuse it for.
 *
 * Usage: ls-repro-clone-stack [-p PERIOD_MS] [-s STACK_KIB] [-n COUNT] [-g] [-v]
 * Prints its pid first.  Runs forever, or leaks COUNT stacks and then
 * sleeps forever holding them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "repro.h"

#define GUARD_SIZE	4096UL

static unsigned long work_sink;

static void usage(const char *prog)
{
	fprintf(stderr,
		"Usage: %s [-p PERIOD_MS] [-s STACK_KIB] [-n COUNT] [-g] [-v]\n"
		"  leak one clone() thread stack (with a guard page) per period\n"
		"  -p  period in ms (default 1000)\n"
		"  -s  stack size in KiB, guard page included (default 1024)\n"
		"  -n  leak COUNT stacks, then hold them forever (default: no end)\n"
		"  -g  no guard pages: the stacks merge into one growing region\n"
		"  -v  print one line per leaked stack\n", prog);
	exit(2);
}

static int thread_fn(void *arg)
{
	unsigned long i, acc = (unsigned long)arg;
	char scratch[256];

	/* A tiny bit of work on the new stack. */
	for (i = 0; i < sizeof(scratch); i++)
		scratch[i] = (char)(acc + i);
	/* Make the compiler believe scratch is read: the stores stay. */
	asm volatile("" : : "r"(scratch) : "memory");
	for (i = 0; i < sizeof(scratch); i++)
		acc += scratch[i];
	__atomic_store_n(&work_sink, acc, __ATOMIC_RELAXED);

	/* The raw exit(2) of this thread only; never returns. */
	for (;;)
		syscall(SYS_exit, 0);
	return 0;
}

int main(int argc, char **argv)
{
	const int flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND |
			  CLONE_THREAD | CLONE_SYSVSEM | CLONE_PARENT_SETTID |
			  CLONE_CHILD_CLEARTID;
	long period_ms = 1000, count = -1, n;
	size_t stack_size = 1024 * 1024;
	pid_t tid;
	struct timespec next;
	bool verbose = false, guard = true;
	char *stack;
	pid_t cur;
	int opt;

	while ((opt = getopt(argc, argv, "p:s:n:gvh")) != -1) {
		switch (opt) {
		case 'p':
			period_ms = parse_num(optarg, argv[0], 1, 86400000);
			break;
		case 's':
			/* At least the guard page plus 12 kB of stack. */
			stack_size = parse_num(optarg, argv[0], 16, 1048576) * 1024;
			break;
		case 'n':
			count = parse_num(optarg, argv[0], 0, 1000000000);
			break;
		case 'g':
			guard = false;
			break;
		case 'v':
			verbose = true;
			break;
		default:
			usage(argv[0]);
		}
	}
	if (optind != argc)
		usage(argv[0]);
	stack_size = (stack_size + GUARD_SIZE - 1) & ~(GUARD_SIZE - 1);

	printf("%d\n", getpid());
	fflush(stdout);

	clock_gettime(CLOCK_MONOTONIC, &next);
	for (n = 0; count < 0 || n < count; n++) {
		stack = mmap(NULL, stack_size, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
		if (stack == MAP_FAILED) {
			perror("mmap");
			return 1;
		}
		/* EINVAL: no THP in this kernel (PREEMPT_RT 6.1): no huge page. */
		if (!guard && madvise(stack, stack_size, MADV_NOHUGEPAGE) &&
		    errno != EINVAL) {
			perror("madvise");
			return 1;
		}
		if (guard && mprotect(stack, GUARD_SIZE, PROT_NONE)) {
			perror("mprotect");
			return 1;
		}
		tid = 0;
		if (clone(thread_fn, stack + stack_size, flags, (void *)n,
			  &tid, NULL, &tid) < 0) {
			perror("clone");
			return 1;
		}
		/* Wait until the kernel clears tid: the thread is gone. */
		while ((cur = __atomic_load_n(&tid, __ATOMIC_ACQUIRE)))
			syscall(SYS_futex, &tid, FUTEX_WAIT, cur, NULL, NULL, 0);
		if (verbose) {
			printf("leaked stack %ld: %p-%p (guard %p-%p)\n", n + 1,
			       stack + GUARD_SIZE, stack + stack_size, stack,
			       stack + GUARD_SIZE);
			fflush(stdout);
		}
		/* The stack is never munmapped: that is the leak. */
		sleep_until(&next, period_ms);
	}
	for (;;)
		pause();
	return 0;
}
