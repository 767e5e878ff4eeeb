/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the leak reproducers (NAME.c -> ls-repro-NAME):
 * parsing a numeric option and sleeping to the next tick of a fixed
 * period.  Header-only (static inline) so that every reproducer stays a
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
