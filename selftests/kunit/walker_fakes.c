// SPDX-License-Identifier: GPL-2.0
/*
 * The walkers and the module tracker, as the suites want them to be: see
 * walker_fakes.h.  Each does what the real one promises its caller (sorted
 * records, buffers kept across walks, the previous record offered), from
 * ls_fake instead of the running kernel.
 */
#include <linux/minmax.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "modtrack.h"
#include "walker_fakes.h"

struct ls_fake_walkers ls_fake;

void ls_fake_reset(void)
{
	memset(&ls_fake, 0, sizeof(ls_fake));
	ls_fake.slice_hi = INT_MAX;
}

/* --- walk_procs.c: only the buffers procs_history.c uses */

int ls_procs_walk_alloc(struct ls_procs_walk *w)
{
	memset(w, 0, sizeof(*w));
	w->procs = kvcalloc(LS_PROCS_MAX, sizeof(*w->procs), GFP_KERNEL);
	w->keys = kvcalloc(LS_PROCS_MAX, sizeof(*w->keys), GFP_KERNEL);
	w->keys_tmp = kvcalloc(LS_PROCS_MAX, sizeof(*w->keys_tmp), GFP_KERNEL);
	if (!w->procs || !w->keys || !w->keys_tmp) {
		ls_procs_walk_free(w);
		return -ENOMEM;
	}
	return 0;
}

void ls_procs_walk_free(struct ls_procs_walk *w)
{
	kvfree(w->procs);
	kvfree(w->keys);
	kvfree(w->keys_tmp);
	memset(w, 0, sizeof(*w));
}

void ls_procs_walk(struct ls_procs_walk *w, u32 budget_us,
		   const struct ls_proc *(*prev)(void *ctx,
						 const struct ls_proc *p),
		   void *ctx)
{
	u32 i;

	for (i = 0; i < ls_fake.nr_procs; i++) {
		w->procs[i] = ls_fake.procs[i];
		ls_fake.had_prev[i] = !!prev(ctx, &w->procs[i]);
	}
	w->nr = ls_fake.nr_procs;
	w->slice_lo = ls_fake.slice_lo;
	w->slice_hi = ls_fake.slice_hi;
	w->full = !w->slice_lo && w->slice_hi == INT_MAX;
	w->pass_walks = 1;
}

/* --- walk_vmalloc.c */

bool ls_vmalloc_enabled(void)
{
	return true;
}

int ls_vmalloc_walk(struct ls_vmalloc_snap *s)
{
	if (ls_fake.vmalloc_err)
		return ls_fake.vmalloc_err;
	if (!s->a) {
		s->a = kvcalloc(LS_FAKE_AREAS, sizeof(*s->a), GFP_KERNEL);
		if (!s->a)
			return -ENOMEM;
		s->cap = LS_FAKE_AREAS;
	}
	memcpy(s->a, ls_fake.areas, ls_fake.nr_areas * sizeof(*s->a));
	s->nr = ls_fake.nr_areas;
	s->truncated = ls_fake.vmalloc_truncated;
	s->longest_hold_us = 7;
	return 0;
}

void ls_vmalloc_snap_free(struct ls_vmalloc_snap *s)
{
	kvfree(s->a);
	memset(s, 0, sizeof(*s));
}

/* --- walk_slab.c: the walk keeps no memory */

bool ls_slab_enabled(void)
{
	return true;
}

int ls_slab_walk(struct ls_slab_walk *w, struct ls_slab_cache *out, u32 cap,
		 u32 *nr, bool *truncated)
{
	*nr = min(ls_fake.nr_caches, cap);
	memcpy(out, ls_fake.caches, *nr * sizeof(*out));
	*truncated = ls_fake.slab_truncated || ls_fake.nr_caches > cap;
	w->longest_hold_us = 3;
	w->scanned = *nr;
	w->reused = 0;
	return 0;
}

void ls_slab_walk_free(struct ls_slab_walk *w)
{
	memset(w, 0, sizeof(*w));
}

/* For track.c: no slab layout here, only what the suite sets. */

u32 ls_slab_cache_size(const void *s)
{
	return s ? ls_fake.track_cache_size : 0;
}

const void *ls_slab_cache_of(const void *obj)
{
	return NULL;
}

int ls_slab_names_of(const void *const *caches, u32 nr, char *names)
{
	u32 i;

	for (i = 0; i < nr; i++)
		strscpy(names + i * LS_SLAB_NAME_LEN,
			caches[i] && caches[i] == ls_fake.track_cache ?
			ls_fake.track_cache_name : "?", LS_SLAB_NAME_LEN);
	return 0;
}

int ls_slab_lookup(const char *const *names, u32 nr, const void **caches,
		   u32 *sizes)
{
	u32 i;

	for (i = 0; i < nr; i++) {
		bool hit = ls_fake.track_cache_name &&
			   !strcmp(names[i], ls_fake.track_cache_name);

		caches[i] = hit ? ls_fake.track_cache : NULL;
		sizes[i] = hit ? ls_fake.track_cache_size : 0;
	}
	return 0;
}

/* --- modtrack.c */

bool ls_modtrack_orphan(unsigned long addr, char *name, size_t len,
			unsigned long *off)
{
	if (addr < ls_fake.orphan_lo || addr >= ls_fake.orphan_hi)
		return false;
	strscpy(name, ls_fake.orphan_module, len);
	*off = addr - ls_fake.orphan_lo;
	return true;
}

u64 ls_modtrack_gen(void)
{
	return ls_fake.modtrack_gen;
}
