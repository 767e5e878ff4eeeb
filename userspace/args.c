// SPDX-License-Identifier: GPL-2.0
/* Command-line value parsing; see args.h. */
#include "args.h"

#define MAX_DIGITS 10

int ls_parse_posint(const char *s, unsigned long max, unsigned long *out)
{
	unsigned long long v = 0;
	unsigned int n;

	for (n = 0; s[n]; n++) {
		if (s[n] < '0' || s[n] > '9' || n == MAX_DIGITS)
			return -1;
		v = v * 10 + (s[n] - '0');
	}
	if (!n || !v || v > max)
		return -1;
	*out = v;
	return 0;
}

int ls_parse_seconds(const char *s, unsigned int min_ms, unsigned int max_ms,
		     unsigned int *ms)
{
	unsigned long long v = 0;
	unsigned int n, frac = 0, scale = 1000;

	for (n = 0; *s >= '0' && *s <= '9'; s++, n++) {
		if (n == MAX_DIGITS)
			return -1;
		v = v * 10 + (*s - '0');
	}
	if (!n)
		return -1;
	if (*s == '.') {
		for (s++, n = 0; *s >= '0' && *s <= '9'; s++, n++) {
			if (n == 3)
				return -1;
			scale /= 10;
			frac += (*s - '0') * scale;
		}
	}
	if (*s)
		return -1;
	v = v * 1000 + frac;
	if (v < min_ms || v > max_ms)
		return -1;
	*ms = v;
	return 0;
}
