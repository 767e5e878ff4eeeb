/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sampled call-site tracking of outstanding allocations (issue 12): slab
 * (kmalloc, kmem_cache_alloc, kfree, kmem_cache_free), pages
 * (mm_page_alloc, mm_page_free) and percpu memory (percpu_alloc_percpu,
 * percpu_free_percpu).
 *
 * Off by default: no probe is registered and nothing is allocated.
 * `all` arms the tracepoints for every cache, pages and percpu, `auto`
 * for the caches ls_track_want_caches() names and the kinds
 * ls_track_want_kinds() asks for (none: disarmed).  Allocations are sampled
 * by bytes (track_sample.h); each sampled one is recorded with its call
 * site, a short stack, cache, size, weight, time and cgroup until its free
 * is seen.  All tables are preallocated when armed and freed when
 * disarmed, after the probes are unregistered and no probe runs any more.
 *
 * Every function here may sleep and is called from process context.
 */
#ifndef LS_TRACK_H
#define LS_TRACK_H

#include <linux/types.h>

enum ls_track_mode { LS_TRACK_OFF, LS_TRACK_AUTO, LS_TRACK_ALL };
enum ls_track_kind { LS_TRACK_SLAB, LS_TRACK_PAGES, LS_TRACK_PERCPU };

#define LS_TRACK_BUDGET_BYTES	(4U << 20)	/* records and stacks */
#define LS_TRACK_STACKS_CAP	4096
#define LS_TRACK_WANT_MAX	32		/* caches auto mode arms for */
#define LS_TRACK_CACHE_LARGE	"kmalloc-large"	/* a page-backed kmalloc */
/*
 * The classes of the other kinds.  A sampled page's class is decided at
 * each snapshot from what the page is then: "pages" for one no meminfo
 * counter shows (the Unaccounted ones), "pages-lru" (on an LRU list, in
 * the page cache or mapped), "pages-pgtable" (a page table),
 * "pages-vmalloc" (vmalloc's, by its stack); a slab page, a page-backed
 * kmalloc's and a percpu chunk's pages are left out (their slab and
 * percpu rows show them), counted in pages_elsewhere.
 */
#define LS_TRACK_CLASS_PAGES	"pages"
#define LS_TRACK_CLASS_PERCPU	"percpu"

/* One aggregate: (kind, cache, site, stack, cgroup). */
struct ls_track_row {
	u8 kind;
	const void *cache;	/* identity only, never dereferenced by the lead */
	char cache_name[32];	/* as the slab file prints it */
	/*
	 * The caller that matters: past allocator-internal and kmalloc-wrapper
	 * frames (kstrdup, kstrndup, kmemdup, kmemdup_nul, kvmalloc_node,
	 * kvasprintf, krealloc...), decided at snapshot time from the stack by
	 * symbol name (sprint_symbol), never in a probe.
	 */
	unsigned long site;
	u32 stack_id;		/* 0: none */
	u64 cgroup_id;		/* 0: irq / no task */
	u64 objects, bytes;	/* estimated outstanding (weighted) */
	/* allocation time of the oldest and the median record (ktime_get_ns's clock) */
	u64 oldest_ns, median_ns;
	u32 samples;		/* records behind this row */
};

struct ls_track_stats {
	u32 mode;		/* enum ls_track_mode */
	u32 mean_bytes;		/* sampling interval now (widened or not) */
	u64 sampled, dropped, freed, reused, nmi;
	u32 records, records_cap, stacks, stacks_cap;
	u64 table_bytes;	/* records and stacks, preallocated */
	u8 widened;		/* times the interval was doubled, now */
	/* Added for issue 12's first part: */
	u8 armed;		/* probes registered now */
	u8 bulk_seen;		/* bulk frees seen (kprobe on kmem_cache_free_bulk) */
	u8 layout;		/* slab layout known: caches named, kmem_cache sized */
	u32 mean_base;		/* the setting (track_mean_kb * 1024) */
	u64 stacks_full;	/* stacks not interned: table full */
	u64 repeats;		/* second kmalloc events of one large kmalloc (6.12) */
	u64 bulk_freed;		/* records removed by bulk frees */
	u64 bulk_missed;	/* bulk frees not seen (kprobe nested) */
	u64 nested;		/* events decided by the nested-IRQ fallback */
	u64 unsized;		/* kmem_cache events skipped: size unknown */
	u64 armed_ns;		/* when armed (ktime_get_ns), 0 if not */
	u32 rows;		/* aggregates before @cap cut them (snapshot) */
	/* Added for issue 12's pages and percpu parts: */
	u8 pages_on, percpu_on;	/* their events registered now */
	/* Sampled pages the last snapshot with rows left out (slab's, percpu's) */
	u64 pages_elsewhere;
};

int ls_track_init(void);	/* module init */
void ls_track_exit(void);	/* module exit */
/* Called with ls_state.sample_lock held. */
int ls_track_set_mode(enum ls_track_mode m);
enum ls_track_mode ls_track_mode(void);
/* The mean bytes between samples, in KiB: applies from the next draw. */
int ls_track_set_mean_kb(u32 kb);
/* Auto mode's set of caches, named as the slab file prints them. */
int ls_track_want_caches(const char *const *names, u32 nr);
/* Auto mode's kinds besides slab: pages, percpu memory. */
int ls_track_want_kinds(bool pages, bool percpu);
/*
 * Aggregate the outstanding records into @rows (sorted by bytes,
 * descending), may sleep, caller holds sample_lock.
 */
int ls_track_snapshot(struct ls_track_row *rows, u32 cap, u32 *nr,
		      struct ls_track_stats *st);
/* A stack's frames (for the stacks file): */
u32 ls_track_stack_frames(u32 id, unsigned long *frames, u32 cap);
u32 ls_track_stack_ids(u32 *ids, u32 cap);	/* every interned id */

#endif /* LS_TRACK_H */
