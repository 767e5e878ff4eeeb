// SPDX-License-Identifier: GPL-2.0
/*
 * ls-repro-tmpfs-grow: a file on tmpfs that grows at a steady rate.
 *
 * Appends real (non-zero) data to a file, RATE KiB per second in ten steps
 * a second, so tmpfs allocates pages and Shmem in /proc/meminfo grows
 * steadily while no process's memory does.
 *
 * Usage: ls-repro-tmpfs-grow [-r KIB_PER_S] [-t SECONDS] [PATH]
 * PATH is the file to grow, or a directory to grow ls-grow in (default
 * /dev/shm/ls-grow).  Runs forever, or for -t seconds; the file is left in
 * place either way (the caller removes it).  Prints its pid first.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "repro.h"

#define STEPS_PER_S	10
#define DEFAULT_PATH	"/dev/shm/ls-grow"

static void usage(const char *prog)
{
	fprintf(stderr,
		"Usage: %s [-r KIB_PER_S] [-t SECONDS] [PATH]\n"
		"  append to a tmpfs file at a steady rate\n"
		"  -r  rate in KiB per second (default 1024)\n"
		"  -t  stop after SECONDS (default: never)\n"
		"  PATH  file, or directory to create ls-grow in (default %s)\n",
		prog, DEFAULT_PATH);
	exit(2);
}

static int write_all(int fd, const char *buf, size_t len)
{
	ssize_t r;

	while (len) {
		r = write(fd, buf, len);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += r;
		len -= r;
	}
	return 0;
}

int main(int argc, char **argv)
{
	long rate_kib = 1024, seconds = 0, step;
	unsigned long long target, written = 0;
	const char *arg = DEFAULT_PATH;
	char path[4096], buf[65536];
	struct timespec next;
	struct stat st;
	size_t chunk;
	int opt, fd;

	while ((opt = getopt(argc, argv, "r:t:h")) != -1) {
		switch (opt) {
		case 'r':
			rate_kib = parse_num(optarg, argv[0], 1, 16 * 1024 * 1024);
			break;
		case 't':
			seconds = parse_num(optarg, argv[0], 1, 100000000);
			break;
		default:
			usage(argv[0]);
		}
	}
	if (optind + 1 < argc)
		usage(argv[0]);
	if (optind < argc)
		arg = argv[optind];
	if (!stat(arg, &st) && S_ISDIR(st.st_mode))
		snprintf(path, sizeof(path), "%s/ls-grow", arg);
	else
		snprintf(path, sizeof(path), "%s", arg);

	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0) {
		fprintf(stderr, "%s: open %s: %s\n", argv[0], path,
			strerror(errno));
		return 1;
	}
	/* Non-zero bytes: every page is really written and allocated. */
	memset(buf, 0xa5, sizeof(buf));

	printf("%d\n", getpid());
	printf("growing %s by %ld KiB/s\n", path, rate_kib);
	fflush(stdout);

	clock_gettime(CLOCK_MONOTONIC, &next);
	for (step = 1; !seconds || step <= seconds * STEPS_PER_S; step++) {
		/* Cumulative target, so rounding never drifts the rate. */
		target = (unsigned long long)rate_kib * 1024 * step / STEPS_PER_S;
		while (written < target) {
			chunk = target - written < sizeof(buf) ?
				target - written : sizeof(buf);
			if (write_all(fd, buf, chunk)) {
				fprintf(stderr, "%s: write %s: %s\n", argv[0],
					path, strerror(errno));
				return 1;
			}
			written += chunk;
		}
		sleep_until(&next, 1000 / STEPS_PER_S);
	}
	close(fd);
	printf("wrote %llu KiB to %s\n", written / 1024, path);
	return 0;
}
