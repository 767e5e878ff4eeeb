/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-process history: each process (tgid + start time, so a reused pid
 * never inherits the old process's history) keeps a bounded ring of its
 * own samples, and every sample produces a new procs report.
 */
#ifndef LS_PROCS_HISTORY_H
#define LS_PROCS_HISTORY_H

#include <linux/kref.h>

#include "cgroup_path.h"
#include "cgroup_sums.h"
#include "procs_rules.h"
#include "walk_procs.h"

/* Per-process ring length: the window, but at most this many samples. */
#define LS_PROC_SAMPLES_MAX	128

struct ls_ptrack;

/* One row of the procs file. */
struct ls_proc_row {
	s32 pid;
	char comm[LS_COMM_LEN];
	u32 samples;
	s64 vsz_kb, anon_kb, shmem_kb, locked_kb, heap_kb;
	u32 anon_regions, stacks, orphans, threads, zombies;
	s64 vsz_growth_kb, vsz_rate_kb_min;
	s64 anon_growth_kb, anon_rate_kb_min;
	const char *verdict;
	u32 pending;			/* ls_ps_pending() */
	u64 cgroup_id;
	char cgroup[LS_CGROUP_FIELD_LEN];	/* set by the cgroups report */
};

/* An immutable, refcounted snapshot: readers format it with no lock held. */
struct ls_procs_report {
	struct kref ref;
	u32 nr;
	bool capped;			/* more processes than LS_PROCS_MAX */
	bool sps_capped;		/* more threads than LS_SPS_MAX */
	bool zombies_capped;		/* more zombies than LS_ZOMBIES_MAX */
	u32 busy;			/* mms skipped in the last walk */
	u32 pass_samples;		/* samples one pass over all took */
	u32 pending;			/* ls_ps_pending() of every row */
	struct ls_proc_row rows[];
};

struct ls_procs_history {
	struct ls_procs_walk walk;
	struct ls_ptrack **tab;		/* tracked processes, by (tgid, start) */
	struct ls_ptrack **next;	/* the table being built */
	u32 nr;
	bool capped;			/* more processes than LS_PROCS_MAX */
	struct ls_cg_sums cg;		/* the tracked processes, by cgroup */
	s64 *lin_t, *lin_v, *ts_scratch;
};

int ls_procs_history_init(struct ls_procs_history *ph);
void ls_procs_history_free(struct ls_procs_history *ph);
void ls_procs_history_reset(struct ls_procs_history *ph);

/*
 * Walk every process and add one sample at @t_ms, keeping at most @window
 * samples per process.  Caller holds ls_state.sample_lock; sleeps.
 */
void ls_procs_history_sample(struct ls_procs_history *ph, s64 t_ms,
			     u32 window, u32 budget_us);

/*
 * A new report of every tracked process, sorted by growth, and its
 * suspects into @sus (room for @max; returns how many there are in
 * *@found).  NULL when out of memory.
 */
struct ls_procs_report *ls_procs_report_build(struct ls_procs_history *ph,
					      struct ls_suspect *sus, u32 max,
					      u32 *found);
void ls_procs_report_put(struct ls_procs_report *r);

/*
 * The tracked processes summed by cgroup, sorted by id, *@nr of them;
 * NULL when the sums could not be kept (no memory): none this sample.
 */
const struct ls_cg_sum *
ls_procs_history_by_cgroup(struct ls_procs_history *ph, u32 *nr);

#endif /* LS_PROCS_HISTORY_H */
