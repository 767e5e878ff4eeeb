// SPDX-License-Identifier: GPL-2.0
/*
 * Column typing by name.  Integer columns are named after their unit
 * (now_kb, rate_kb_min, persist_pct, window_ms) or are one of a few
 * well-known counters; flag columns hold a true or a false word (regions
 * new/-, slab yes/no); later file formats add names here.  Hex addresses (regions start/end) stay strings.
 */
#include <limits.h>
#include <string.h>

#include "columns.h"
#include "compiler.h"

static const char * const numeric_names[] = {
	"rank", "pid", "value", "threads", "stacks", "areas", "pages",
	"objsize", "active_objs", "total_objs",
	/* procs */
	"samples", "anon_regions", "orphans", "zombies",
	/* slab: size is the object slot in bytes (objsize plus metadata) */
	"size", "slabs",
	/* callsites (and stacks: stack) */
	"objects", "stack", "oldest_s", "median_s",
	/* cgroups */
	"processes", "procs_growth",
};

static const char * const numeric_suffixes[] = {
	"_kb", "_kb_min", "_pct", "_ms", "_count", "_pages", "_objs",
};

static const char * const prose_names[] = { "evidence", "next" };

static const char * const list_names[] = { "frames" };

/*
 * Flag columns: the true word or the false word; any other value ("-")
 * is unknown.  A flag whose false word is "-" has no unknown.
 */
static const struct {
	const char *name;
	const char *word;
	const char *no;
} flag_cols[] = {
	{ "new", "new", "-" },		/* regions: VMA appeared since the baseline */
	{ "reclaimable", "yes", "no" },	/* slab: SLAB_RECLAIM_ACCOUNT cache */
};

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n > m && !strcmp(s + n - m, suffix);
}

bool ls_col_numeric(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(numeric_names); i++)
		if (!strcmp(name, numeric_names[i]))
			return true;
	for (i = 0; i < ARRAY_SIZE(numeric_suffixes); i++)
		if (ends_with(name, numeric_suffixes[i]))
			return true;
	return false;
}

bool ls_col_prose(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(prose_names); i++)
		if (!strcmp(name, prose_names[i]))
			return true;
	return false;
}

bool ls_col_list(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(list_names); i++)
		if (!strcmp(name, list_names[i]))
			return true;
	return false;
}

const char *ls_col_flag(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(flag_cols); i++)
		if (!strcmp(name, flag_cols[i].name))
			return flag_cols[i].word;
	return NULL;
}

const char *ls_col_flag_no(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(flag_cols); i++)
		if (!strcmp(name, flag_cols[i].name))
			return flag_cols[i].no;
	return NULL;
}

bool ls_field_is_null(const char *s)
{
	return s[0] == '-' && s[1] == '\0';
}

bool ls_field_int(const char *s, long long *out)
{
	bool neg = false;
	unsigned long long v = 0, lim;

	if (*s == '-') {
		neg = true;
		s++;
	}
	if (!*s)
		return false;
	lim = neg ? (unsigned long long)LLONG_MAX + 1 : (unsigned long long)LLONG_MAX;
	for (; *s; s++) {
		unsigned int d;

		if (*s < '0' || *s > '9')
			return false;
		d = *s - '0';
		if (v > (lim - d) / 10)
			return false;
		v = v * 10 + d;
	}
	if (neg)
		*out = v == (unsigned long long)LLONG_MAX + 1 ? LLONG_MIN : -(long long)v;
	else
		*out = (long long)v;
	return true;
}

long long ls_add_sat(long long a, long long b)
{
	long long s;

	if (__builtin_add_overflow(a, b, &s))
		return b < 0 ? LLONG_MIN : LLONG_MAX;
	return s;
}
