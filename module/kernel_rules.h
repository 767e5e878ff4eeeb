/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Rules that turn vmalloc callers and slab caches into suspects
 * (vmalloc-growth, vmalloc-orphan, slab-growth).  Pure logic: built into
 * the module and into the host unit tests.
 */
#ifndef LS_KERNEL_RULES_H
#define LS_KERNEL_RULES_H

#include "ls_pure.h"
#include "suspects.h"
#include "trend.h"

/* Smallest net growth over the window that is not noise. */
#define LS_VMALLOC_MIN_GROWTH_KB	512
#define LS_SLAB_MIN_GROWTH_KB		512
/*
 * Reclaimable caches (dentries, inodes) grow and shrink with the page
 * cache on a healthy box: they must grow far more, and steadily.
 */
#define LS_SLAB_RECLAIMABLE_MIN_GROWTH_KB	(16 * 1024)
#define LS_SLAB_RECLAIMABLE_MIN_PERSIST_PCT	60

#define LS_KR_NAME_LEN	64

/* One vmalloc caller, as the rules see it. */
struct ls_vmalloc_view {
	char caller[LS_KR_NAME_LEN];	/* symbol, field-safe */
	char module[LS_KR_NAME_LEN];	/* unloaded module it lies in, or "" */
	s64 areas, size_kb;
	struct ls_trend size;		/* trend of size_kb */
};

/* One slab cache, as the rules see it. */
struct ls_slab_view {
	char name[LS_KR_NAME_LEN];
	bool reclaimable;
	u32 object_size;
	s64 active_objs, size_kb;
	struct ls_trend objs;		/* trend of active_objs */
	struct ls_trend size;		/* trend of size_kb */
};

/* Min growth for a cache's size series. */
s64 ls_slab_min_growth(bool reclaimable);

/*
 * Write the suspects @v names to @out (room for @max); return how many
 * there are.  An orphaned caller (its module is gone) is a suspect as soon
 * as it holds memory: nothing can ever free it.
 */
u32 ls_vmalloc_suspects(const struct ls_vmalloc_view *v,
			struct ls_suspect *out, u32 max);

/*
 * The suspect kinds (a bit per enum ls_suspect_kind) that the caller or
 * cache @v may soon name: still collecting, already grown by its
 * threshold (ls_trend_pending()).  meminfo's VmallocUsed or slab suspect
 * waits for it.
 */
u32 ls_vmalloc_pending(const struct ls_vmalloc_view *v);
u32 ls_slab_pending(const struct ls_slab_view *v);
u32 ls_slab_suspects(const struct ls_slab_view *v, struct ls_suspect *out,
		     u32 max);

#endif /* LS_KERNEL_RULES_H */
