/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LS_WALK_SLAB_H
#define LS_WALK_SLAB_H

#include <linux/types.h>

#include "btf.h"

#define LS_SLAB_NAME_LEN	32	/* longer cache names are cut */
/*
 * Partial slabs counted per node and cache, half from each end of the list;
 * a longer list's free objects are extrapolated (as 6.12's
 * count_partial_free_approx() does with 10000).  Interrupts are off on that
 * CPU for the scan.
 */
#define LS_SLAB_SCAN_MAX	5000

/* One slab cache at one moment, counted the way /proc/slabinfo counts. */
struct ls_slab_cache {
	char name[LS_SLAB_NAME_LEN];
	u32 object_size, size;		/* s->object_size, s->size (bytes) */
	u32 objs_per_slab, order;	/* from s->oo */
	u64 active_objs, total_objs, slabs;
	bool reclaimable;		/* s->flags & SLAB_RECLAIM_ACCOUNT */
	bool partial_capped;		/* a partial list was longer than
					 * LS_SLAB_SCAN_MAX: free extrapolated
					 */
};

/*
 * Resolve slab_caches and slab_mutex and take the private layouts from
 * @btf (the running kernel's, or NULL when there is none), checking every
 * member.  On any failure the walker is disabled with a reason
 * (ls_compat_disable("slab", ...) and one warning) and 0 is returned all
 * the same.  Init only: after ls_compat_init(), before the files exist.
 * Nothing in @btf is kept.
 */
int ls_slab_init(const struct ls_btf *btf);

/* Whether ls_slab_init() found everything it needs. */
bool ls_slab_enabled(void);

/*
 * Fill @out[0..*@nr) with the slab caches, in slab_caches order, under
 * slab_mutex; *@truncated when there were more than @cap.  Never allocates.
 * Sleeps (mutex, cond_resched between caches): process context, with no
 * spinlock held.  -ENODEV when disabled, -EINTR when killed while waiting
 * for slab_mutex (*@nr is 0 then).
 */
int ls_slab_walk(struct ls_slab_cache *out, u32 cap, u32 *nr,
		 bool *truncated);

#endif /* LS_WALK_SLAB_H */
