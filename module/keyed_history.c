// SPDX-License-Identifier: GPL-2.0
/*
 * Keyed series for the kernel-side walkers (vmalloc callers, slab caches).
 * Owned by the sampler, under ls_state.sample_lock; readers only ever see
 * the reports built from it.
 */
#include <linux/minmax.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "keyed_history.h"
#include "self_mem.h"

struct ls_kh_entry {
	struct ls_kh_sample last;
	void *cache;			/* the report's, see ls_kh_cache() */
	/*
	 * Per value: how many of the newest samples equal the newest one.
	 * When it covers the ring the series is flat, and its trend is known
	 * without gathering it (most slab caches, most of the time).
	 */
	u32 same[LS_KH_NV_MAX];
	struct ls_ring ring;
	s64 *t;				/* [ring.cap] */
	s64 *v;				/* [ring.cap][nv] */
};

/* The values of @e's ring slot @slot, @nv of them. */
static s64 *ls_kh_vals(const struct ls_kh_entry *e, u32 slot, u32 nv)
{
	return e->v + (size_t)slot * nv;
}

static struct ls_kh_entry *ls_kh_alloc(const struct ls_kh_sample *s, u32 cap,
				       u32 nv)
{
	struct ls_kh_entry *e;

	e = ls_mem_alloc(sizeof(*e) + cap * (sizeof(*e->t) + nv * sizeof(s64)),
			 GFP_KERNEL);
	if (!e)
		return NULL;
	e->last = *s;
	e->cache = NULL;
	memset(e->same, 0, sizeof(e->same));
	e->t = (s64 *)(e + 1);
	e->v = e->t + cap;
	ls_ring_reset(&e->ring, cap);
	return e;
}

static void ls_kh_entry_free(struct ls_kh_entry *e)
{
	if (e)
		ls_mem_free(e->cache);
	ls_mem_free(e);
}

static void ls_kh_push(struct ls_kh_entry *e, const s64 *v, s64 t_ms,
		       u32 nv)
{
	const s64 *prev = e->ring.count ?
		ls_kh_vals(e, ls_ring_slot(&e->ring, e->ring.count - 1), nv) :
		NULL;
	u32 slot = ls_ring_push(&e->ring), k;

	for (k = 0; k < nv; k++)
		e->same[k] = prev && prev[k] == v[k] ? e->same[k] + 1 : 1;
	e->t[slot] = t_ms;
	memcpy(ls_kh_vals(e, slot, nv), v, nv * sizeof(*v));
}

/* A copy with room for @cap samples, keeping the newest; NULL: no memory. */
static struct ls_kh_entry *ls_kh_resize(struct ls_kh_entry *old, u32 cap,
					u32 nv)
{
	struct ls_kh_entry *e = ls_kh_alloc(&old->last, cap, nv);
	u32 keep, i;

	if (!e)
		return NULL;
	keep = min(old->ring.count, cap);
	for (i = old->ring.count - keep; i < old->ring.count; i++) {
		u32 from = ls_ring_slot(&old->ring, i);

		ls_kh_push(e, ls_kh_vals(old, from, nv), old->t[from], nv);
	}
	ls_kh_entry_free(old);
	return e;
}

int ls_kh_init(struct ls_keyed_history *kh, u32 nv)
{
	memset(kh, 0, sizeof(*kh));
	if (!nv || nv > LS_KH_NV_MAX)
		return -EINVAL;
	kh->nv = nv;
	kh->tab = ls_mem_calloc(LS_KH_MAX, sizeof(*kh->tab), GFP_KERNEL);
	kh->next = ls_mem_calloc(LS_KH_MAX, sizeof(*kh->next), GFP_KERNEL);
	kh->lin_t = ls_mem_calloc(LS_KH_SAMPLES_MAX, sizeof(s64), GFP_KERNEL);
	kh->lin_v = ls_mem_calloc(LS_KH_SAMPLES_MAX, sizeof(s64), GFP_KERNEL);
	kh->ts_scratch = ls_mem_calloc(LS_TREND_SCRATCH_LEN, sizeof(s64), GFP_KERNEL);
	if (!kh->tab || !kh->next || !kh->lin_t || !kh->lin_v ||
	    !kh->ts_scratch) {
		ls_kh_free(kh);
		return -ENOMEM;
	}
	return 0;
}

void ls_kh_free(struct ls_keyed_history *kh)
{
	u32 i;

	for (i = 0; i < kh->nr; i++)
		ls_kh_entry_free(kh->tab[i]);
	ls_mem_free(kh->tab);
	ls_mem_free(kh->next);
	ls_mem_free(kh->lin_t);
	ls_mem_free(kh->lin_v);
	ls_mem_free(kh->ts_scratch);
	memset(kh, 0, sizeof(*kh));
}

void ls_kh_reset(struct ls_keyed_history *kh)
{
	u32 i;

	for (i = 0; i < kh->nr; i++) {
		ls_ring_reset(&kh->tab[i]->ring, kh->tab[i]->ring.cap);
		memset(kh->tab[i]->same, 0, sizeof(kh->tab[i]->same));
	}
}

void ls_kh_sample(struct ls_keyed_history *kh, const struct ls_kh_sample *cur,
		  u32 n, s64 t_ms, u32 window)
{
	u32 cap = min_t(u32, window, LS_KH_SAMPLES_MAX);
	u32 i = 0, j, out = 0;

	kh->capped = n > LS_KH_MAX;
	n = min_t(u32, n, LS_KH_MAX);
	/* Merge two lists sorted by key: the table and this sample. */
	for (j = 0; j < n; j++) {
		struct ls_kh_entry *e = NULL, *bigger;

		while (i < kh->nr && kh->tab[i]->last.key < cur[j].key)
			ls_kh_entry_free(kh->tab[i++]);
		if (i < kh->nr && kh->tab[i]->last.key == cur[j].key)
			e = kh->tab[i++];
		if (e && e->ring.cap != cap) {
			bigger = ls_kh_resize(e, cap, kh->nv);
			if (bigger)
				e = bigger;
		}
		if (!e)
			e = ls_kh_alloc(&cur[j], cap, kh->nv);
		if (!e)
			continue;	/* out of memory: untracked this time */
		e->last = cur[j];
		ls_kh_push(e, cur[j].v, t_ms, kh->nv);
		kh->next[out++] = e;
	}
	while (i < kh->nr)
		ls_kh_entry_free(kh->tab[i++]);
	swap(kh->tab, kh->next);
	kh->nr = out;
}

const struct ls_kh_sample *ls_kh_latest(const struct ls_keyed_history *kh,
					u32 i, u32 *samples)
{
	*samples = kh->tab[i]->ring.count;
	return &kh->tab[i]->last;
}

void ls_kh_trend(struct ls_keyed_history *kh, u32 i, u32 which,
		 s64 min_growth, struct ls_trend *out)
{
	const struct ls_kh_entry *e = kh->tab[i];
	u32 n = e->ring.count, nv = kh->nv, k, first, last;

	if (n && e->same[which] >= n) {
		/* Flat: what ls_trend_compute() would find, without the work. */
		first = ls_ring_slot(&e->ring, 0);
		last = ls_ring_slot(&e->ring, n - 1);
		ls_trend_ends(e->t[first], ls_kh_vals(e, first, nv)[which],
			      e->t[last], ls_kh_vals(e, last, nv)[which], n,
			      e->ring.cap, out);
		return;
	}
	for (k = 0; k < n; k++) {
		u32 slot = ls_ring_slot(&e->ring, k);

		kh->lin_t[k] = e->t[slot];
		kh->lin_v[k] = ls_kh_vals(e, slot, nv)[which];
	}
	ls_trend_compute(kh->lin_t, kh->lin_v, n, e->ring.cap, min_growth,
			 kh->ts_scratch, out);
}

void ls_kh_trend_sparse(struct ls_keyed_history *kh, u32 i, u32 which,
			s64 min_growth, struct ls_trend *out)
{
	const struct ls_kh_entry *e = kh->tab[i];
	u32 n = e->ring.count, first, last;
	s64 v_first, v_last;

	if (n) {
		first = ls_ring_slot(&e->ring, 0);
		last = ls_ring_slot(&e->ring, n - 1);
		v_first = ls_kh_vals(e, first, kh->nv)[which];
		v_last = ls_kh_vals(e, last, kh->nv)[which];
		if (!ls_trend_may_grow(v_first, v_last, n, e->ring.cap,
				       min_growth)) {
			ls_trend_ends(e->t[first], v_first, e->t[last], v_last,
				      n, e->ring.cap, out);
			return;
		}
	}
	ls_kh_trend(kh, i, which, min_growth, out);
}

void **ls_kh_cache(struct ls_keyed_history *kh, u32 i)
{
	return &kh->tab[i]->cache;
}

s64 ls_kh_growth(const struct ls_keyed_history *kh, u32 i, u32 which)
{
	const struct ls_kh_entry *e = kh->tab[i];

	if (!e->ring.count)
		return 0;
	return ls_kh_vals(e, ls_ring_slot(&e->ring, e->ring.count - 1),
			  kh->nv)[which] -
	       ls_kh_vals(e, ls_ring_slot(&e->ring, 0), kh->nv)[which];
}
