/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LS_WALK_SLAB_H
#define LS_WALK_SLAB_H

#include <linux/types.h>

#include "btf.h"

#define LS_SLAB_NAME_LEN	32	/* longer cache names are cut */
/*
 * Partial slabs counted per node and cache in one hold of the node's
 * list_lock, with interrupts off on that CPU: a longer list's free objects
 * are extrapolated from half this many at each end, as 6.12's
 * count_partial_free_approx() does with 10000.  Each is a struct slab in
 * the memmap, likely a cache miss: ~1024 of them stay well under a
 * millisecond even at a few hundred nanoseconds a miss.  The hold is timed
 * (struct ls_slab_walk.longest_hold_us).
 */
#define LS_SLAB_SCAN_MAX	1024
/*
 * A node whose counts read the same as at the last walk reuses its free
 * count, unscanned; still, every node is scanned at least once every this
 * many walks (ls_slab_walk()).
 */
#define LS_SLAB_RESCAN		8

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

/* What a walk keeps of one node of one cache for the next walk. */
struct ls_slab_memo {
	const void *s, *n;		/* kmem_cache, kmem_cache_node: identity */
	long nr_slabs, total_objs;
	unsigned long nr_partial;
	unsigned long free;		/* free objects on its partial list */
	bool capped;			/* free was extrapolated */
	u32 scan_seq;			/* the walk that last scanned it */
};

/*
 * One walker's state across walks: zero-initialise once, free with
 * ls_slab_walk_free().  The memo arrays are grown between walks, never
 * under a lock; until they have room, the nodes that do not fit are
 * simply scanned.
 */
struct ls_slab_walk {
	struct ls_slab_memo *memo;	/* [nr_memo]: the last walk's, walk order */
	struct ls_slab_memo *next;	/* [memo_cap]: this walk's */
	u32 nr_memo, nr_next, memo_cap;
	u32 want;			/* memo records the last walk needed */
	u32 cursor;			/* where in memo to look next */
	u32 seq;			/* walks so far: staggers the rescans */
	bool exact;			/* the next walk scans every node */
	/* Of the last walk: */
	u32 longest_hold_us;		/* longest list_lock hold, irqs off */
	u32 scanned, reused;		/* nodes scanned, nodes not scanned */
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
 * slab_mutex; *@truncated when there were more than @cap.  @w carries what
 * the last walk saw, and says how long this one held a list_lock.
 * Sleeps (mutex, allocation of @w's memo, cond_resched between caches):
 * process context, with no spinlock held.  -ENODEV when disabled, -EINTR
 * when killed while waiting for slab_mutex (*@nr is 0 then).
 */
int ls_slab_walk(struct ls_slab_walk *w, struct ls_slab_cache *out, u32 cap,
		 u32 *nr, bool *truncated);

void ls_slab_walk_free(struct ls_slab_walk *w);

/*
 * For call-site tracking (track.c).  Each needs the walker enabled.
 *
 * ls_slab_cache_size(): s->size of the kmem_cache @s (0 when disabled):
 * any context, one read through the checked offset.
 * ls_slab_cache_of(): the cache a live slab object @obj sits in (the
 * merged one, whose name the slab file prints), NULL when @obj is not in
 * a slab (a large kmalloc's pages) or the walker is disabled.  Any
 * context; @obj must stay allocated meanwhile (it is being allocated).
 */
u32 ls_slab_cache_size(const void *s);
const void *ls_slab_cache_of(const void *obj);

/*
 * @names + i * LS_SLAB_NAME_LEN: the name the slab file prints for
 * @caches[i], or "?" for a cache no longer on slab_caches (never
 * dereferenced).  Sleeps (slab_mutex).
 */
int ls_slab_names_of(const void *const *caches, u32 nr, char *names);

/*
 * The caches named @names (as the slab file prints them) and their s->size;
 * NULL and 0 for a name not found.  Sleeps (slab_mutex).
 */
int ls_slab_lookup(const char *const *names, u32 nr, const void **caches,
		   u32 *sizes);

#endif /* LS_WALK_SLAB_H */
