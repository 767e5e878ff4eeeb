// SPDX-License-Identifier: GPL-2.0
/* Sparklines in Unicode blocks or ASCII; see sparkline.h. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "compiler.h"
#include "sparkline.h"

/* U+2581 LOWER ONE EIGHTH BLOCK .. U+2588 FULL BLOCK, in UTF-8 */
static const char * const utf8_levels[] = {
	"\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83", "\xe2\x96\x84",
	"\xe2\x96\x85", "\xe2\x96\x86", "\xe2\x96\x87", "\xe2\x96\x88",
};

static const char ascii_levels[] = "_.-=#";

static bool names_utf8(const char *s)
{
	for (; *s; s++)
		if (!strncasecmp(s, "utf-8", 5) || !strncasecmp(s, "utf8", 4))
			return true;
	return false;
}

bool ls_locale_utf8(const char *lc_all, const char *lc_ctype, const char *lang)
{
	if (lc_all && *lc_all)
		return names_utf8(lc_all);
	if (lc_ctype && *lc_ctype)
		return names_utf8(lc_ctype);
	return lang && names_utf8(lang);
}

bool ls_env_utf8(void)
{
	return ls_locale_utf8(getenv("LC_ALL"), getenv("LC_CTYPE"),
			      getenv("LANG"));
}

/* Level 0..levels-1 of v in [min, max], rounded to nearest; exact for any s64. */
static unsigned int level(long long v, long long min, long long max,
			  unsigned int levels)
{
	unsigned long long range = (unsigned long long)max - (unsigned long long)min;
	unsigned long long off = (unsigned long long)v - (unsigned long long)min;

	if (!range)
		return 0;
	/* off <= range: keep off * (levels - 1) + range / 2 from overflowing */
	while (range > ULLONG_MAX / levels) {
		range >>= 1;
		off >>= 1;
	}
	return (off * (levels - 1) + range / 2) / range;
}

size_t ls_sparkline(char *buf, size_t len, const long long *v, size_t n,
		    bool utf8)
{
	unsigned int levels = utf8 ? ARRAY_SIZE(utf8_levels) :
				     sizeof(ascii_levels) - 1;
	long long min = LLONG_MAX, max = LLONG_MIN;
	size_t i, pos = 0, drawn = 0;

	if (!len)
		return 0;
	for (i = 0; i < n; i++) {
		if (v[i] == LS_SPARK_UNKNOWN)
			continue;
		if (v[i] < min)
			min = v[i];
		if (v[i] > max)
			max = v[i];
	}
	for (i = 0; i < n; i++) {
		const char *s;
		char one[2] = " ";
		size_t l;

		if (v[i] != LS_SPARK_UNKNOWN) {
			unsigned int lv = level(v[i], min, max, levels);

			if (utf8) {
				s = utf8_levels[lv];
			} else {
				one[0] = ascii_levels[lv];
				s = one;
			}
		} else {
			s = one;
		}
		l = strlen(s);
		if (pos + l >= len)
			break;
		memcpy(buf + pos, s, l);
		pos += l;
		drawn++;
	}
	/* no trailing blanks: a series that ends unknown ends early */
	while (pos && buf[pos - 1] == ' ') {
		pos--;
		drawn--;
	}
	buf[pos] = '\0';
	return drawn;
}
