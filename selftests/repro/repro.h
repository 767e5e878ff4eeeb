/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the leak reproducers (NAME.c -> ls-repro-NAME):
 * parsing a numeric option, the drips' common options, and sleeping to
 * the next tick of a fixed period.  Header-only (static inline) so that every reproducer stays a
 * single translation unit and the Makefile's one-source rule still holds.
 *
 * Include it after the program's own system headers (and _GNU_SOURCE).
 * Each program defines its own usage(), since its options differ; it
 * prints the program's usage to stderr and exits with status 2.
 */
#ifndef LS_REPRO_H
#define LS_REPRO_H

#include <errno.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

/* Defined by each reproducer: print its usage and exit(2). */
static void usage(const char *prog);

/*
 * Parse @s as a whole decimal number in [min, max]; anything else (empty,
 * trailing characters, out of range) is a usage error and exits.
 */
static inline long parse_num(const char *s, const char *prog, long min,
			     long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		usage(prog);
	return v;
}

/*
 * The options of the reproducers that leak one thing per period:
 * -p PERIOD_MS, -s KIB (at least @min_kib) and -n COUNT, over the defaults
 * the caller put in *@period_ms, *@kib and *@count.  Anything else, or an
 * operand, is a usage error and exits.
 */
static inline void parse_drip_opts(int argc, char **argv, long *period_ms,
				   long *kib, long min_kib, long *count)
{
	int opt;

	while ((opt = getopt(argc, argv, "p:s:n:h")) != -1) {
		switch (opt) {
		case 'p':
			*period_ms = parse_num(optarg, argv[0], 1, 86400000);
			break;
		case 's':
			*kib = parse_num(optarg, argv[0], min_kib, 1048576);
			break;
		case 'n':
			*count = parse_num(optarg, argv[0], 0, 1000000000);
			break;
		default:
			usage(argv[0]);
		}
	}
	if (optind != argc)
		usage(argv[0]);
}

/*
 * Advance the absolute CLOCK_MONOTONIC deadline @next by @ms and sleep
 * until it, so that a period loop does not drift with the time its work
 * takes.  Start with clock_gettime(CLOCK_MONOTONIC, next).
 */
static inline void sleep_until(struct timespec *next, long ms)
{
	next->tv_sec += ms / 1000;
	next->tv_nsec += (ms % 1000) * 1000000L;
	if (next->tv_nsec >= 1000000000L) {
		next->tv_nsec -= 1000000000L;
		next->tv_sec++;
	}
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, next, NULL) ==
	       EINTR)
		;
}

#endif /* LS_REPRO_H */
