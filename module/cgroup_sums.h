/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The tracked processes summed by cgroup, kept up to date as records come,
 * change and go rather than summed again at every sample: a sample visits
 * a slice of the processes, and what it costs must follow the slice, not
 * every process the box runs.
 */
#ifndef LS_CGROUP_SUMS_H
#define LS_CGROUP_SUMS_H

#include <linux/types.h>

#include "walk_procs.h"

/* One cgroup's processes, summed. */
struct ls_cg_sum {
	u64 id;
	u32 procs, threads, stacks, orphans;
	s64 vsz_kb, anon_kb, shmem_kb, locked_kb;
};

/*
 * Sorted by id.  An entry whose processes all went stays (at zero) until
 * the next ls_cg_sums_compact().  lost: an entry could not be added (no
 * memory), and the sums no longer add up: rebuild them from the records.
 */
struct ls_cg_sums {
	struct ls_cg_sum *e;
	u32 nr, cap;
	bool lost;
};

/*
 * A tracked record changes from @old to @now: either may be NULL (the
 * process starts or stops being tracked).
 */
void ls_cg_sums_move(struct ls_cg_sums *s, const struct ls_proc *old,
		     const struct ls_proc *now);

/* Drop the cgroups no tracked process is in any more. */
void ls_cg_sums_compact(struct ls_cg_sums *s);

/* No process: every entry gone, the sums consistent again. */
void ls_cg_sums_clear(struct ls_cg_sums *s);

void ls_cg_sums_free(struct ls_cg_sums *s);

#endif /* LS_CGROUP_SUMS_H */
