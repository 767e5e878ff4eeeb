/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-cgroup history: at each sample the tracked processes are summed by
 * their cgroup v2 id, and each cgroup's sums are a keyed series, so its
 * growth, rate, persistence and verdict come from the same rule as a
 * process's.  The paths are made when the report is built, at a read.
 */
#ifndef LS_CGROUPS_HISTORY_H
#define LS_CGROUPS_HISTORY_H

#include <linux/kref.h>

#include "cgroup_path.h"
#include "cgroups_rules.h"
#include "keyed_history.h"
#include "keysort.h"
#include "procs_history.h"

#define LS_CGROUPS_MAX	1024	/* cgroups per sample; more: caps_hit=cgroups */

/* One row of the cgroups file. */
struct ls_cgroup_row {
	u64 id;
	char path[LS_CGROUP_FIELD_LEN];
	u32 samples;
	u32 processes, threads, stacks, orphans;
	s64 vsz_kb, anon_kb, shmem_kb, locked_kb;
	s64 procs_growth;
	s64 anon_growth_kb, anon_rate_kb_min;
	u32 persistence_pct;		/* of its anon series */
	const char *verdict;
	u32 idx;			/* its entry in the history */
	u32 proc_kinds;			/* kinds its processes are named for, or pending */
};

/* An immutable, refcounted snapshot, as the procs report. */
struct ls_cgroups_report {
	struct kref ref;
	u32 nr;
	bool capped;
	struct ls_cgroup_row rows[];	/* by growth, largest first */
};

struct ls_cgroups_history {
	/*
	 * One keyed series per cgroup (the key is its id), all six sums in
	 * each sample: one entry, one push, one page touched per cgroup.
	 */
	struct ls_keyed_history kh;
	struct ls_kh_sample *cur;	/* [LS_CGROUPS_MAX] */
	bool capped;
};

int ls_cgroups_history_init(struct ls_cgroups_history *ch);
void ls_cgroups_history_free(struct ls_cgroups_history *ch);
void ls_cgroups_history_reset(struct ls_cgroups_history *ch);

/*
 * Sum every process tracked in @ph (just sampled) by cgroup, and add
 * that sample at @t_ms.  Caller holds ls_state.sample_lock; sleeps.
 */
void ls_cgroups_history_sample(struct ls_cgroups_history *ch,
			       struct ls_procs_history *ph, s64 t_ms,
			       u32 window);

/*
 * A new report of every cgroup, and its suspects into @sus (room for
 * @max; how many there are in *@found).  It also completes @procs, not yet
 * published: each row's cgroup path, and each of @psus[0..@npsus) (the
 * process suspects) names its cgroup in its evidence.  NULL when out of
 * memory.  Sleeps (cgroup paths).
 */
struct ls_cgroups_report *
ls_cgroups_report_build(struct ls_cgroups_history *ch,
			struct ls_procs_report *procs,
			struct ls_suspect *psus, u32 npsus,
			struct ls_suspect *sus, u32 max, u32 *found);
void ls_cgroups_report_put(struct ls_cgroups_report *r);

#endif /* LS_CGROUPS_HISTORY_H */
