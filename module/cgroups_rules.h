/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-cgroup series (sums over the processes in one cgroup) and the rules
 * that name a cgroup (anon-growth, shmem-growth, mlock-growth,
 * task-growth).  Pure logic: built into the module and into the host unit
 * tests.
 */
#ifndef LS_CGROUPS_RULES_H
#define LS_CGROUPS_RULES_H

#include "ls_pure.h"
#include "suspects.h"
#include "trend.h"

enum ls_cg_series {
	LS_CG_PROCS,		/* processes in it, a count */
	LS_CG_ANON,
	LS_CG_SHMEM,
	LS_CG_LOCKED,
	LS_CG_NR
};

/* Smallest net growth over the window that is not noise, per series. */
extern const s64 ls_cg_min_growth[LS_CG_NR];

#define LS_CG_PATH_LEN 96

/* What the rules see of one cgroup. */
struct ls_cg_view {
	char path[LS_CG_PATH_LEN];	/* a field: no whitespace */
	struct ls_trend trend[LS_CG_NR];
	/*
	 * The kinds (a bit per enum ls_suspect_kind) that some process in
	 * this cgroup is named as a suspect of, or will be once it is old
	 * enough to judge (ls_ps_pending()): its growth is then that
	 * process's, named precisely.
	 */
	u32 proc_kinds;
};

/*
 * Write @c's suspects to @out (room for @max); return how many there are.
 * A cgroup is named when a series of its totals grows while no process
 * in it is named for that growth: task-growth when its number of
 * processes grows (alone: the memory they hold is its evidence, not named
 * again), else anon-growth, shmem-growth and mlock-growth, but only while
 * it has no more processes than at the start of the window: processes
 * that arrive bring their memory with them, which is either task-growth
 * or no leak at all (a service started, workers that come and go).
 */
u32 ls_cg_suspects(const struct ls_cg_view *c, struct ls_suspect *out,
		   u32 max);

/* A cgroup row's verdict: whether any of its series grows. */
enum ls_verdict ls_cg_verdict(const struct ls_cg_view *c);

#endif /* LS_CGROUPS_RULES_H */
