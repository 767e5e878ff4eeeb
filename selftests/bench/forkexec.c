// SPDX-License-Identifier: GPL-2.0
/*
 * ls-bench-forkexec: a macro workload for what call-site tracking costs a
 * whole system's allocations: NCHILDREN times, one after the other, make
 * two pipes, fork, exec /bin/cat in the child with the pipes as its stdin
 * and stdout, write BYTES through it and read them back, and reap it.
 * Fork, exec, exit and pipes allocate and free slab objects and pages of
 * many kinds (task, mm, VMAs, files, pipe buffers, page tables).
 * Prints the wall time of the whole, in milliseconds:
 *
 *   forkexec 200 children 16384 bytes 812.4 ms
 *
 * Usage: ls-bench-forkexec NCHILDREN BYTES   (BYTES at most 65536: one
 * pipe's worth each way, so that neither side waits for the other)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_BYTES 65536

static char out[MAX_BYTES], in[MAX_BYTES];

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* One child: 0 when BYTES went through cat and came back intact. */
static int one(size_t bytes)
{
	int to[2], from[2], status;
	size_t done = 0;
	ssize_t n;
	pid_t pid;

	if (pipe(to) || pipe(from)) {
		perror("pipe");
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		perror("fork");
		return -1;
	}
	if (pid == 0) {
		if (dup2(to[0], 0) < 0 || dup2(from[1], 1) < 0)
			_exit(127);
		close(to[0]);
		close(to[1]);
		close(from[0]);
		close(from[1]);
		execl("/bin/cat", "cat", (char *)NULL);
		_exit(127);
	}
	close(to[0]);
	close(from[1]);
	if (write(to[1], out, bytes) != (ssize_t)bytes) {
		perror("write");
		return -1;
	}
	close(to[1]);
	while ((n = read(from[0], in + done, sizeof(in) - done)) > 0)
		done += n;
	close(from[0]);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		fprintf(stderr, "child %d failed\n", (int)pid);
		return -1;
	}
	if (done != bytes || memcmp(in, out, bytes)) {
		fprintf(stderr, "child %d: %zu bytes back of %zu\n", (int)pid,
			done, bytes);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	long children, bytes, i;
	double t0;

	if (argc != 3) {
		fprintf(stderr, "usage: %s NCHILDREN BYTES\n", argv[0]);
		return 2;
	}
	children = atol(argv[1]);
	bytes = atol(argv[2]);
	if (children <= 0 || bytes < 0 || bytes > MAX_BYTES) {
		fprintf(stderr, "%s: NCHILDREN > 0, 0 <= BYTES <= %d\n",
			argv[0], MAX_BYTES);
		return 2;
	}
	for (i = 0; i < bytes; i++)
		out[i] = (char)(i * 131 + 7);
	t0 = now_ms();
	for (i = 0; i < children; i++)
		if (one(bytes))
			return 1;
	printf("forkexec %ld children %ld bytes %.1f ms\n", children, bytes,
	       now_ms() - t0);
	return 0;
}
