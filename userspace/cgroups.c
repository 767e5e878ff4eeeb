// SPDX-License-Identifier: GPL-2.0
/* The cgroups file and procs' cgroup column; see cgroups.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "callsites.h"
#include "cgroups.h"
#include "columns.h"

struct cgroup_below {
	int col;
	const char *want;
};

static bool keep_below(const struct ls_table *t, size_t row, const void *arg)
{
	const struct cgroup_below *b = arg;

	return ls_cgroup_below(ls_table_cell(t, row, b->col), b->want);
}

int ls_cgroup_filter(struct ls_table *t, const char *want, const char *path,
		     struct ls_err *e)
{
	struct cgroup_below b = { ls_table_col(t, "cgroup"), want };

	if (b.col < 0) {
		ls_err_set(e, LS_ERR_MALFORMED, "%s:2: no column 'cgroup'",
			   path);
		return -1;
	}
	ls_table_keep_rows(t, keep_below, &b);
	return 0;
}

/* A cell as a number, 0 when it holds none ("-"). */
static long long cell_ll(const struct ls_table *t, size_t row, int col)
{
	long long v;

	return ls_field_int(ls_table_cell(t, row, col), &v) ? v : 0;
}

struct rank_ctx {
	const struct ls_table *t;
	int col;
};

/* Larger first; ties in file order. */
static int cmp_desc(const void *a, const void *b, void *arg)
{
	const struct rank_ctx *rc = arg;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	long long vx = cell_ll(rc->t, x, rc->col);
	long long vy = cell_ll(rc->t, y, rc->col);

	if (vx != vy)
		return vx < vy ? 1 : -1;
	return x < y ? -1 : x > y;
}

static void rank(size_t *idx, const struct ls_table *t, int col)
{
	struct rank_ctx rc = { t, col };
	size_t r;

	for (r = 0; r < t->nrows; r++)
		idx[r] = r;
	qsort_r(idx, t->nrows, sizeof(*idx), cmp_desc, &rc);
}

/* Columns summed into "other"; the rest are "-" (and verdict, cgroup). */
static const char * const summed[] = {
	"processes", "threads", "vsz_kb", "anon_kb", "shmem_kb", "locked_kb",
	"stacks", "orphans", "procs_growth", "anon_growth_kb",
	"anon_rate_kb_min",
};

static void fill_other(struct ls_table *t, const bool *keep,
		       struct ls_cgroup_other *o, const char **row)
{
	int verdict = ls_table_col(t, "verdict");
	int cgroup = ls_table_col(t, "cgroup");
	bool growing = false;
	unsigned int c;
	size_t r, k;

	for (c = 0; c < t->ncols; c++) {
		snprintf(o->cell[c], sizeof(o->cell[c]), "-");
		row[c] = o->cell[c];
	}
	for (k = 0; k < ARRAY_SIZE(summed); k++) {
		int col = ls_table_col(t, summed[k]);
		long long sum = 0;

		if (col < 0)
			continue;
		for (r = 0; r < t->nrows; r++)
			if (!keep[r])
				sum = ls_add_sat(sum, cell_ll(t, r, col));
		snprintf(o->cell[col], sizeof(o->cell[col]), "%lld", sum);
	}
	for (r = 0; verdict >= 0 && r < t->nrows; r++)
		if (!keep[r] && !strcmp(ls_table_cell(t, r, verdict), "growing"))
			growing = true;
	if (verdict >= 0)
		snprintf(o->cell[verdict], sizeof(o->cell[verdict]), "%s",
			 growing ? "growing" : "steady");
	snprintf(o->cell[cgroup], sizeof(o->cell[cgroup]), "other");
}

int ls_cgroups_cap(struct ls_table *t, unsigned long top,
		   struct ls_cgroup_other *o)
{
	int size = ls_table_col(t, "anon_kb");
	int growth = ls_table_col(t, "anon_growth_kb");
	size_t *by_size, *by_growth, r, i, kept = 0, out = 0;
	const char *other[LS_MAX_COLUMNS];
	bool *keep;

	if (!top || t->nrows <= top || size < 0 || growth < 0 ||
	    ls_table_col(t, "cgroup") < 0)
		return 0;
	by_size = calloc(t->nrows, sizeof(*by_size));
	by_growth = calloc(t->nrows, sizeof(*by_growth));
	keep = calloc(t->nrows, sizeof(*keep));
	if (!by_size || !by_growth || !keep) {
		free(by_size);
		free(by_growth);
		free(keep);
		return -1;
	}
	rank(by_size, t, size);
	rank(by_growth, t, growth);
	/* In turn from each ranking: a big steady cgroup and a small growing one. */
	for (i = 0; kept < top && i < t->nrows; i++) {
		if (!keep[by_growth[i]]) {
			keep[by_growth[i]] = true;
			kept++;
		}
		if (kept < top && !keep[by_size[i]]) {
			keep[by_size[i]] = true;
			kept++;
		}
	}
	fill_other(t, keep, o, other);
	for (r = 0; r < t->nrows; r++) {
		if (!keep[r])
			continue;
		if (out != r)
			memcpy(t->cells + out * t->ncols,
			       t->cells + r * t->ncols,
			       t->ncols * sizeof(*t->cells));
		out++;
	}
	/* top < nrows: the "other" row takes the place of a dropped one. */
	memcpy(t->cells + out * t->ncols, other, t->ncols * sizeof(*t->cells));
	t->nrows = out + 1;
	free(by_size);
	free(by_growth);
	free(keep);
	return 0;
}
