// SPDX-License-Identifier: GPL-2.0
/* The callsites and stacks files; see callsites.h. */
#include <string.h>

#include "callsites.h"
#include "columns.h"

int ls_track_check(const struct ls_table *t, struct ls_err *e)
{
	const char *track = ls_table_meta(t, "track");

	if (!track || strcmp(track, "off"))
		return 0;
	ls_err_set(e, LS_ERR_STATE, "call-site tracking is off: %s",
		   LS_TRACK_HOWTO);
	return -1;
}

bool ls_cgroup_below(const char *cgroup, const char *want)
{
	size_t n = strlen(want);

	/* "/a/" is "/a"; "/" is the root, above every path */
	while (n > 1 && want[n - 1] == '/')
		n--;
	if (strncmp(cgroup, want, n))
		return false;
	if (!cgroup[n])
		return true;
	return want[0] == '/' && (cgroup[n] == '/' || want[n - 1] == '/');
}

struct callsite_cols {
	const struct ls_callsite_filter *flt;
	int class, cgroup;
};

static bool keep_callsite(const struct ls_table *t, size_t row, const void *arg)
{
	const struct callsite_cols *cc = arg;

	if (cc->flt->cache &&
	    strcmp(ls_table_cell(t, row, cc->class), cc->flt->cache))
		return false;
	return !cc->flt->cgroup ||
	       ls_cgroup_below(ls_table_cell(t, row, cc->cgroup), cc->flt->cgroup);
}

static int no_column(const char *path, const char *col, struct ls_err *e)
{
	ls_err_set(e, LS_ERR_MALFORMED, "%s:2: no column '%s'", path, col);
	return -1;
}

int ls_callsites_filter(struct ls_table *t, const struct ls_callsite_filter *flt,
			const char *path, struct ls_err *e)
{
	struct callsite_cols cc = {
		.flt = flt,
		.class = ls_table_col(t, "class"),
		.cgroup = ls_table_col(t, "cgroup"),
	};

	if (!flt->cache && !flt->cgroup)
		return 0;
	if (flt->cache && cc.class < 0)
		return no_column(path, "class", e);
	if (flt->cgroup && cc.cgroup < 0)
		return no_column(path, "cgroup", e);
	ls_table_keep_rows(t, keep_callsite, &cc);
	return 0;
}

struct stack_sel {
	int col;
	long long id;
};

static bool keep_stack(const struct ls_table *t, size_t row, const void *arg)
{
	const struct stack_sel *sel = arg;
	long long v;

	return ls_field_int(ls_table_cell(t, row, sel->col), &v) && v == sel->id;
}

int ls_stacks_select(struct ls_table *t, const char *id, const char *path,
		     struct ls_err *e)
{
	struct stack_sel sel = { .col = ls_table_col(t, "stack") };

	if (sel.col < 0)
		return no_column(path, "stack", e);
	if (!ls_field_int(id, &sel.id) || sel.id < 0) {
		ls_err_set(e, LS_ERR_STATE, "no stack '%.40s' in %s", id, path);
		return -1;
	}
	ls_table_keep_rows(t, keep_stack, &sel);
	if (!t->nrows) {
		ls_err_set(e, LS_ERR_STATE,
			   "no stack %lld in %s (it may have been dropped: leakscope stacks lists them)",
			   sel.id, path);
		return -1;
	}
	return 0;
}
