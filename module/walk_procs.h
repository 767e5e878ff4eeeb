/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LS_WALK_PROCS_H
#define LS_WALK_PROCS_H

#include <linux/math64.h>
#include <linux/sched.h>
#include <linux/types.h>

#include "keysort.h"

struct vm_area_struct;

#define LS_PROCS_MAX	8192	/* processes per sample; more: caps_hit=procs */
#define LS_SPS_MAX	65536	/* thread stack pointers per sample */
#define LS_ZOMBIES_MAX	4096	/* zombies per pass; more: caps_hit=zombies */
/* Pids and threads visited in one RCU read-side section of a walk. */
#define LS_COLLECT_BATCH	256

/* One process (one mm) at one moment.  Sizes in kB. */
struct ls_proc {
	pid_t tgid;
	u64 start_ns;			/* with tgid, the process's identity */
	char comm[TASK_COMM_LEN];
	u64 cgroup_id;			/* its cgroup v2 id; 0: no cgroups */
	u32 threads;			/* live threads, over every task of the mm */
	s64 vsz_kb;
	s64 anon_kb;
	s64 shmem_kb;
	s64 locked_kb;
	s64 heap_kb;
	u32 anon_regions;		/* accessible private anonymous VMAs */
	s64 anon_max_kb;		/* ... the largest of them */
	u32 zombies;			/* its children that are zombies */
	u32 stacks;			/* stack-shaped VMAs */
	u32 orphans;			/* ... that no live thread's SP is in */
	s64 orphan_kb;
	s64 stack_kb;			/* size of the largest stack-shaped VMA */
	bool walked;			/* false: mm busy or exiting, VMAs unknown */
	bool sps_truncated;		/* too many threads: orphans not counted */
	u32 map_count;			/* VMAs, to tell whether the layout changed */
	int mm_users;			/* users of the mm, when collected */
	u32 walk_age;			/* visits since its VMAs were last walked */
};

/*
 * A process whose VMA count, VSZ and thread count are all unchanged since
 * its last visit keeps that visit's VMA figures instead of being walked
 * again (its counters are always read fresh); every LS_WALK_REFRESH
 * visits it is walked anyway.  On a box of thousands of idle processes
 * this is most of the sampler's cost.  The forced walks are spread by
 * pid, so that they do not all fall on one sample.
 */
#define LS_WALK_REFRESH		16

/* A pinned mm and the record it belongs to; sorted by mm to find sharers. */
struct ls_mm_ref {
	struct mm_struct *mm;
	u32 idx;
};

/* A zombie's parent, and later how many zombies that parent has. */
struct ls_zombie {
	pid_t tgid;			/* the parent process */
	u32 count;
	u64 start_ns;
};

/* Buffers for one walk, allocated once; the walk itself never allocates. */
struct ls_procs_walk {
	struct ls_proc *procs;		/* [LS_PROCS_MAX], nr used */
	u32 nr;
	struct ls_proc *sorted;		/* [LS_PROCS_MAX]: procs, put in pid order */
	struct ls_mm_ref *refs;		/* [nr]: the mmgrab()bed mm of each record */
	struct ls_mm_ref *refs_by_mm;	/* [nr]: refs, sharers of an mm together */
	struct ls_key *keys, *keys_tmp;	/* [LS_PROCS_MAX]: sort scratch */
	u32 *sp_first;			/* its stack pointers: sps[sp_first..+sp_nr) */
	u32 *sp_nr;
	u32 *keep;			/* indices of the records kept, one per mm */
	unsigned long *sps;		/* [LS_SPS_MAX] */
	u32 nr_sps;
	bool sps_capped;
	u32 busy;			/* mms skipped: lock busy or contended */

	/*
	 * This walk's slice of the pid space, [slice_lo, slice_hi): a walk
	 * visits processes in pid order from where the last one stopped, as
	 * many as fit its time budget.  full: this slice was all of them.
	 */
	int cursor;			/* where the next walk starts */
	int slice_lo, slice_hi;
	bool full;
	u32 pass_walks;			/* walks the last complete pass took */
	u32 walks_this_pass;
	u64 ns_per_proc;		/* cost of one process, averaged */

	/*
	 * Zombies: a zombie process has no mm and no record, so it is
	 * counted for its parent instead, as the pass meets its pid:
	 * zseen[0..nr_zseen) this pass, one per zombie; zpar[0..nr_zpar)
	 * the last complete pass, one per parent, by tgid.  A parent gets
	 * the count of the last complete pass: on most machines that is this
	 * very walk (a pass is one walk); where a pass takes several, at
	 * most one pass old.
	 */
	struct ls_zombie *zseen;	/* [LS_ZOMBIES_MAX] */
	struct ls_zombie *zpar;		/* [LS_ZOMBIES_MAX] */
	u32 nr_zseen, nr_zpar;
	bool zcapped, zcapped_pass;	/* more zombies than LS_ZOMBIES_MAX */
};

int ls_procs_walk_alloc(struct ls_procs_walk *w);
void ls_procs_walk_free(struct ls_procs_walk *w);

/*
 * Visit the next slice of processes, each once, and fill
 * w->procs[0..w->nr), sorted by tgid.  The slice is as many processes as
 * about @budget_us of walking allows (at least LS_SLICE_MIN, so that a
 * pass always moves on): on most machines every process, every sample;
 * on one with thousands of processes, a pass over all of them takes
 * several samples and the sampler's cost stays bounded.  @prev(@ctx, p): the record of process p
 * from its previous visit, or NULL.
 * Sleeps (mmput, cond_resched): call from process context, no lock held.
 */
#define LS_SLICE_MIN	64
void ls_procs_walk(struct ls_procs_walk *w, u32 budget_us,
		   const struct ls_proc *(*prev)(void *ctx,
						 const struct ls_proc *p),
		   void *ctx);

/*
 * What the last slice cost, @ns for its walk and for what the caller did
 * with its records (merged them into its history): the next slice's size
 * follows it, averaged over about 4 slices.
 */
static inline void ls_procs_walk_cost(struct ls_procs_walk *w, u64 ns)
{
	u64 cost;

	if (!w->nr)
		return;
	cost = div_u64(ns, w->nr);
	w->ns_per_proc = w->ns_per_proc ? (w->ns_per_proc * 3 + cost) / 4 : cost;
}

/* The tests that classify a VMA, shared by the procs and regions walks. */
bool ls_vma_is_guard(struct vm_area_struct *vma);
bool ls_vma_is_stack_shaped(struct vm_area_struct *prev,
			    struct vm_area_struct *vma);
bool ls_sp_within(const unsigned long *sps, u32 nr, unsigned long start,
		  unsigned long end);
/*
 * Saved user stack pointers of @leader's live threads into @sps (room for
 * @cap), sorted; returns how many, and sets *@truncated when some did not
 * fit.  Caller holds rcu_read_lock().
 */
u32 ls_thread_sps(struct task_struct *leader, unsigned long *sps, u32 cap,
		  bool *truncated);

#endif /* LS_WALK_PROCS_H */
