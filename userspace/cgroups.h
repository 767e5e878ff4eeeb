/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The cgroups file and the cgroup column of procs: the reader's subtree
 * filter, and the cap on the cgroups that --prometheus and export write.
 */
#ifndef LS_CGROUPS_H
#define LS_CGROUPS_H

#include "errors.h"
#include "lsfile.h"

/* --prom-top's default: cgroups written, the rest summed as "other". */
#define LS_PROM_TOP_DEFAULT	50
#define LS_PROM_TOP_MAX		100000

/*
 * Keep the rows of t (procs or cgroups) whose cgroup is want or below
 * it.  -1 with *e set (LS_ERR_MALFORMED) when t has no cgroup column.
 */
int ls_cgroup_filter(struct ls_table *t, const char *want, const char *path,
		     struct ls_err *e);

/* Room for the values of the "other" row: one cell per column. */
struct ls_cgroup_other {
	char cell[LS_MAX_COLUMNS][32];
};

/*
 * Cap the rows of cgroups table t at top: the cgroups kept are taken in
 * turn from the largest (anon_kb) and the fastest growing
 * (anon_growth_kb), the others summed into one row whose cgroup is
 * "other" (its cells in *o, which must outlive t's use): counts and sizes
 * summed, verdict growing when any of them was, else steady; other
 * columns "-".  Rows keep the file's order.  Nothing to do with top or
 * fewer rows, or a table without those columns.  0, or -1 when out of
 * memory.
 */
int ls_cgroups_cap(struct ls_table *t, unsigned long top,
		   struct ls_cgroup_other *o);

#endif /* LS_CGROUPS_H */
