/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Stand-ins for the walkers and the module tracker, linked into
 * leakscope_kunit.ko in place of walk_procs.c, walk_vmalloc.c, walk_slab.c
 * and modtrack.c: the histories under test (procs_history.c,
 * kernel_report.c) sample what a suite puts here instead of the running
 * kernel's processes, vmalloc areas and slab caches.
 *
 * One suite at a time (KUnit runs them one after another): a suite sets
 * what it needs and ls_fake_reset() clears it.
 */
#ifndef LS_WALKER_FAKES_H
#define LS_WALKER_FAKES_H

#include "walk_procs.h"
#include "walk_slab.h"
#include "walk_vmalloc.h"

#define LS_FAKE_PROCS	16
#define LS_FAKE_AREAS	64
#define LS_FAKE_CACHES	16

struct ls_fake_walkers {
	/* ls_procs_walk(): procs[0..nr_procs), sorted by tgid */
	struct ls_proc procs[LS_FAKE_PROCS];
	u32 nr_procs;
	/* The slice of pids this walk covers: [slice_lo, slice_hi) */
	int slice_lo, slice_hi;
	/* Whether the walk was given procs[i]'s previous record. */
	bool had_prev[LS_FAKE_PROCS];

	/* ls_vmalloc_walk() */
	struct ls_vm_area areas[LS_FAKE_AREAS];
	u32 nr_areas;
	bool vmalloc_truncated;
	int vmalloc_err;

	/* ls_slab_walk() */
	struct ls_slab_cache caches[LS_FAKE_CACHES];
	u32 nr_caches;
	bool slab_truncated;

	/* ls_modtrack_orphan(): [orphan_lo, orphan_hi) is gone module's text */
	unsigned long orphan_lo, orphan_hi;
	char orphan_module[32];
	u64 modtrack_gen;
	/*
	 * Call-site tracking (track.c): the one cache ls_slab_lookup() and
	 * ls_slab_names_of() know, and the size ls_slab_cache_size() gives
	 * every cache (0: kmem_cache events are not sized).
	 */
	const void *track_cache;
	const char *track_cache_name;
	u32 track_cache_size;
};

extern struct ls_fake_walkers ls_fake;

/* Nothing walked, every pid in the slice, no module gone. */
void ls_fake_reset(void);

#endif /* LS_WALKER_FAKES_H */
