/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sparklines: a series of values drawn as one character per value, scaled
 * between the series' own minimum and maximum.
 */
#ifndef LS_SPARKLINE_H
#define LS_SPARKLINE_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

/* A value that is not known ("-"): drawn as a blank. */
#define LS_SPARK_UNKNOWN	LLONG_MIN

/* Bytes a sparkline of n values needs, with its NUL, in the worst case. */
#define LS_SPARK_BUFLEN(n)	((n) * 3 + 1)

/*
 * Should sparklines use Unicode blocks?  The locale's character set is taken
 * from the first of LC_ALL, LC_CTYPE, LANG that is set and not empty, as
 * setlocale() would; true if it names UTF-8 ("UTF-8", "utf8", any case).
 */
bool ls_locale_utf8(const char *lc_all, const char *lc_ctype, const char *lang);

/* Same, from the environment. */
bool ls_env_utf8(void);

/*
 * Draw v[0..n) into buf (len bytes, at least LS_SPARK_BUFLEN(n) for no
 * truncation): utf8 uses 8 levels, U+2581..U+2588 ("▁▂▃▄▅▆▇█"), otherwise
 * 5 ASCII levels "_.-=#".  The lowest known value is the lowest level, the
 * highest the highest; a flat series is drawn at the lowest level; unknown
 * values are blanks, except at the end, where they are left out (so a
 * series of unknowns is "").  Returns the number of characters drawn.
 */
size_t ls_sparkline(char *buf, size_t len, const long long *v, size_t n,
		    bool utf8);

#endif /* LS_SPARKLINE_H */
