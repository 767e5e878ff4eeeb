/* SPDX-License-Identifier: GPL-2.0 */
/* Strict parsing of command-line values (PIDs, counts, intervals). */
#ifndef LS_ARGS_H
#define LS_ARGS_H

/*
 * A positive decimal integer, 1..max: digits only (no sign, no blanks),
 * at most 10 of them.  0 on success, -1 otherwise.
 */
int ls_parse_posint(const char *s, unsigned long max, unsigned long *out);

/*
 * Seconds as "N", "N." or "N.D" with at most 3 decimals ("0.5", "2",
 * "1.250"), in milliseconds, within [min_ms, max_ms].  0 or -1.
 */
int ls_parse_seconds(const char *s, unsigned int min_ms, unsigned int max_ms,
		     unsigned int *ms);

#endif /* LS_ARGS_H */
