// SPDX-License-Identifier: GPL-2.0
/*
 * Per-process history and the procs report.
 *
 * The tracked table and the walk buffers belong to the sampler (under
 * ls_state.sample_lock); readers only ever see a finished, refcounted
 * report.  Processes that are gone are dropped at the next sample, and a
 * pid that comes back with another start time starts a new history.
 */
#include <linux/minmax.h>
#include <linux/sched.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/timekeeping.h>

#include "procs_history.h"
#include "self_mem.h"

struct ls_ptrack {
	s32 tgid;
	u64 start_ns;
	struct ls_proc last;		/* the latest walk record */
	struct ls_ring ring;
	s64 base[LS_PS_NR];		/* v[][s] is the value less base[s] */
	s64 *t;				/* [ring.cap] sample times */
	u32 (*v)[LS_PS_NR];		/* [ring.cap] sample values */
};

/* Series @s of the sample in ring slot @slot. */
static s64 ls_ptrack_val(const struct ls_ptrack *tr, u32 slot, int s)
{
	return tr->base[s] + tr->v[slot][s];
}

static struct ls_ptrack *ls_ptrack_alloc(const struct ls_proc *p, u32 cap)
{
	struct ls_ptrack *tr;
	size_t size = sizeof(*tr) + cap * (sizeof(*tr->t) + sizeof(*tr->v));

	tr = ls_mem_alloc(size, GFP_KERNEL);
	if (!tr)
		return NULL;
	tr->tgid = p->tgid;
	tr->start_ns = p->start_ns;
	tr->last = *p;
	memset(tr->base, 0, sizeof(tr->base));
	tr->t = (s64 *)(tr + 1);
	tr->v = (u32 (*)[LS_PS_NR])(tr->t + cap);
	ls_ring_reset(&tr->ring, cap);
	return tr;
}

/* A copy with room for @cap samples, keeping the newest; NULL: no memory. */
static struct ls_ptrack *ls_ptrack_resize(struct ls_ptrack *old, u32 cap)
{
	struct ls_ptrack *tr = ls_ptrack_alloc(&old->last, cap);
	u32 keep, i;

	if (!tr)
		return NULL;
	memcpy(tr->base, old->base, sizeof(tr->base));
	keep = min(old->ring.count, cap);
	for (i = old->ring.count - keep; i < old->ring.count; i++) {
		u32 from = ls_ring_slot(&old->ring, i);
		u32 to = ls_ring_push(&tr->ring);

		tr->t[to] = old->t[from];
		memcpy(tr->v[to], old->v[from], sizeof(tr->v[to]));
	}
	ls_mem_free(old);
	return tr;
}

/*
 * Store @v as series @s of ring slot @slot, moving the series' base first
 * when @v is out of its range: the samples held are re-expressed from the
 * new base (one that falls out of range then, saturates).
 */
static void ls_ptrack_store(struct ls_ptrack *tr, u32 slot, int s, s64 v)
{
	s64 base;
	u32 i, k;

	v = max_t(s64, v, 0);
	if (!ls_ps_fits(v, tr->base[s])) {
		base = ls_ps_base_for(v);
		for (i = 0; i < tr->ring.count; i++) {
			k = ls_ring_slot(&tr->ring, i);
			if (k != slot)
				tr->v[k][s] = ls_ps_encode(ls_ptrack_val(tr, k, s),
							   base);
		}
		tr->base[s] = base;
	}
	tr->v[slot][s] = ls_ps_encode(v, tr->base[s]);
}

static void ls_ptrack_push(struct ls_ptrack *tr, s64 t_ms)
{
	const struct ls_proc *p = &tr->last;
	s64 prev_orphans = 0;
	u32 slot;

	if (tr->ring.count) {
		slot = ls_ring_slot(&tr->ring, tr->ring.count - 1);
		prev_orphans = ls_ptrack_val(tr, slot, LS_PS_ORPHANS);
	}
	slot = ls_ring_push(&tr->ring);
	tr->t[slot] = t_ms;
	ls_ptrack_store(tr, slot, LS_PS_VSZ, p->vsz_kb);
	ls_ptrack_store(tr, slot, LS_PS_ANON, p->anon_kb);
	ls_ptrack_store(tr, slot, LS_PS_SHMEM, p->shmem_kb);
	ls_ptrack_store(tr, slot, LS_PS_LOCKED, p->locked_kb);
	/* A busy mm's VMAs were not seen: carry its orphan count forward. */
	ls_ptrack_store(tr, slot, LS_PS_ORPHANS,
			p->walked ? p->orphans : prev_orphans);
	ls_ptrack_store(tr, slot, LS_PS_THREADS, p->threads);
	ls_ptrack_store(tr, slot, LS_PS_ZOMBIES, p->zombies);
}

int ls_procs_history_init(struct ls_procs_history *ph)
{
	int ret;

	memset(ph, 0, sizeof(*ph));
	ret = ls_procs_walk_alloc(&ph->walk);
	if (ret)
		return ret;
	ph->tab = ls_mem_calloc(LS_PROCS_MAX, sizeof(*ph->tab), GFP_KERNEL);
	ph->next = ls_mem_calloc(LS_PROCS_MAX, sizeof(*ph->next), GFP_KERNEL);
	ph->lin_t = ls_mem_calloc(LS_PROC_SAMPLES_MAX, sizeof(s64), GFP_KERNEL);
	ph->lin_v = ls_mem_calloc(LS_PROC_SAMPLES_MAX, sizeof(s64), GFP_KERNEL);
	ph->ts_scratch = ls_mem_calloc(LS_TREND_SCRATCH_LEN, sizeof(s64), GFP_KERNEL);
	if (!ph->tab || !ph->next || !ph->lin_t || !ph->lin_v ||
	    !ph->ts_scratch) {
		ls_procs_history_free(ph);
		return -ENOMEM;
	}
	return 0;
}

void ls_procs_history_free(struct ls_procs_history *ph)
{
	u32 i;

	for (i = 0; i < ph->nr; i++)
		ls_mem_free(ph->tab[i]);
	ls_mem_free(ph->tab);
	ls_mem_free(ph->next);
	ls_mem_free(ph->lin_t);
	ls_mem_free(ph->lin_v);
	ls_mem_free(ph->ts_scratch);
	ls_cg_sums_free(&ph->cg);
	ls_procs_walk_free(&ph->walk);
	memset(ph, 0, sizeof(*ph));
}

void ls_procs_history_reset(struct ls_procs_history *ph)
{
	u32 i;

	for (i = 0; i < ph->nr; i++)
		ls_ring_reset(&ph->tab[i]->ring, ph->tab[i]->ring.cap);
}

/* First index of the table (sorted by tgid) whose tgid is at least @tgid. */
static u32 ls_tab_lower_bound(const struct ls_procs_history *ph, pid_t tgid)
{
	return ls_lower_bound(ph->nr, i, ph->tab[i]->tgid < tgid);
}

/* The walker's view of the previous sample: ph->tab is sorted by tgid. */
static const struct ls_proc *ls_prev_record(void *ctx, const struct ls_proc *p)
{
	struct ls_procs_history *ph = ctx;
	u32 lo = ls_tab_lower_bound(ph, p->tgid);

	if (lo < ph->nr && ph->tab[lo]->tgid == p->tgid &&
	    ph->tab[lo]->start_ns == p->start_ns)
		return &ph->tab[lo]->last;
	return NULL;
}

/* A tracked process stops being tracked: gone, or beyond the cap. */
static void ls_ptrack_drop(struct ls_procs_history *ph, struct ls_ptrack *tr)
{
	ls_cg_sums_move(&ph->cg, &tr->last, NULL);
	ls_mem_free(tr);
}

/*
 * Merge the walk with the tracked processes of its slice, tab[lo..hi)
 * (both sorted by tgid), into next[0..), at most @room of them; returns
 * how many.  A tracked process of the slice the walk did not return is
 * gone.
 */
static u32 ls_merge_slice(struct ls_procs_history *ph, u32 lo, u32 hi,
			  u32 room, s64 t_ms, u32 cap)
{
	const struct ls_procs_walk *w = &ph->walk;
	u32 i = lo, j, n = 0;

	for (j = 0; j < w->nr; j++) {
		const struct ls_proc *p = &w->procs[j];
		struct ls_ptrack *tr = NULL, *bigger;

		while (i < hi && ph->tab[i]->tgid < p->tgid)
			ls_ptrack_drop(ph, ph->tab[i++]);
		if (n >= room) {
			ph->capped = true;
			break;
		}
		if (i < hi && ph->tab[i]->tgid == p->tgid) {
			if (ph->tab[i]->start_ns == p->start_ns)
				tr = ph->tab[i];
			else
				ls_ptrack_drop(ph, ph->tab[i]);	/* pid reused */
			i++;
		}
		if (tr && tr->ring.cap != cap) {
			bigger = ls_ptrack_resize(tr, cap);
			if (bigger)
				tr = bigger;
		}
		if (tr) {
			ls_cg_sums_move(&ph->cg, &tr->last, p);
		} else {
			tr = ls_ptrack_alloc(p, cap);
			if (!tr)
				continue;	/* out of memory: untracked this time */
			ls_cg_sums_move(&ph->cg, NULL, p);
		}
		tr->last = *p;
		ls_ptrack_push(tr, t_ms);
		ph->next[n++] = tr;
	}
	while (i < hi)
		ls_ptrack_drop(ph, ph->tab[i++]);
	return n;
}

/* The cgroup sums could not be kept up to date: sum every record again. */
static void ls_cg_sums_rebuild(struct ls_procs_history *ph)
{
	u32 i;

	ls_cg_sums_clear(&ph->cg);
	for (i = 0; i < ph->nr; i++)
		ls_cg_sums_move(&ph->cg, NULL, &ph->tab[i]->last);
}

/*
 * Only the walk's slice of the table changes: the rest is moved, not
 * visited, so a sample's cost follows the slice and not every process
 * tracked.
 */
void ls_procs_history_sample(struct ls_procs_history *ph, s64 t_ms,
			     u32 window, u32 budget_us)
{
	struct ls_procs_walk *w = &ph->walk;
	u32 cap = min_t(u32, window, LS_PROC_SAMPLES_MAX);
	u64 start = ktime_get_ns();
	u32 lo, hi, n, keep, i;

	ls_procs_walk(w, budget_us, ls_prev_record, ph);
	ph->capped = false;
	lo = ls_tab_lower_bound(ph, w->slice_lo);
	hi = ls_tab_lower_bound(ph, w->slice_hi);
	/*
	 * More processes than the table holds (LS_PROCS_MAX): the lowest
	 * pids are kept.  lo <= ph->nr <= LS_PROCS_MAX.
	 */
	n = ls_merge_slice(ph, lo, hi, LS_PROCS_MAX - lo, t_ms, cap);
	keep = min(ph->nr - hi, LS_PROCS_MAX - lo - n);
	if (keep < ph->nr - hi)
		ph->capped = true;
	for (i = hi + keep; i < ph->nr; i++)
		ls_ptrack_drop(ph, ph->tab[i]);
	/* tab = tab[0..lo) + next[0..n) + tab[hi..hi + keep) */
	if (lo + n != hi)
		memmove(&ph->tab[lo + n], &ph->tab[hi],
			keep * sizeof(*ph->tab));
	memcpy(&ph->tab[lo], ph->next, n * sizeof(*ph->tab));
	ph->nr = lo + n + keep;
	if (ph->cg.lost)
		ls_cg_sums_rebuild(ph);
	ls_procs_walk_cost(w, ktime_get_ns() - start);
}

/*
 * The trend of one series.  Most processes are flat: the samples are only
 * gathered for the full computation when the series rose by at least its
 * noise floor, which keeps thousands of processes cheap.
 */
static void ls_series_trend(struct ls_procs_history *ph,
			    const struct ls_ptrack *tr, enum ls_ps_series s,
			    struct ls_trend *out)
{
	u32 n = tr->ring.count, i, first, last;

	if (!n) {
		ls_trend_ends(0, 0, 0, 0, 0, tr->ring.cap, out);
		return;
	}
	first = ls_ring_slot(&tr->ring, 0);
	last = ls_ring_slot(&tr->ring, n - 1);
	if (!ls_trend_may_grow(ls_ptrack_val(tr, first, s),
			       ls_ptrack_val(tr, last, s), n, tr->ring.cap,
			       ls_ps_min_growth[s])) {
		ls_trend_ends(tr->t[first], ls_ptrack_val(tr, first, s),
			      tr->t[last], ls_ptrack_val(tr, last, s), n,
			      tr->ring.cap, out);
		return;
	}

	for (i = 0; i < n; i++) {
		u32 slot = ls_ring_slot(&tr->ring, i);

		ph->lin_t[i] = tr->t[slot];
		ph->lin_v[i] = ls_ptrack_val(tr, slot, s);
	}
	ls_trend_compute(ph->lin_t, ph->lin_v, n, tr->ring.cap,
			 ls_ps_min_growth[s], ph->ts_scratch, out);
}

static void ls_fill_row(struct ls_proc_row *row, const struct ls_ptrack *tr,
			const struct ls_ps_view *v)
{
	const struct ls_proc *p = &tr->last;

	memset(row, 0, sizeof(*row));
	row->pid = p->tgid;
	strscpy(row->comm, v->comm, sizeof(row->comm));
	row->samples = tr->ring.count;
	row->vsz_kb = p->vsz_kb;
	row->anon_kb = p->anon_kb;
	row->shmem_kb = p->shmem_kb;
	row->locked_kb = p->locked_kb;
	row->heap_kb = p->heap_kb;
	row->anon_regions = p->anon_regions;
	row->stacks = p->stacks;
	row->orphans = p->orphans;
	row->threads = p->threads;
	row->zombies = p->zombies;
	row->cgroup_id = p->cgroup_id;
	strscpy(row->cgroup, "-", sizeof(row->cgroup));
	row->vsz_growth_kb = v->trend[LS_PS_VSZ].growth;
	row->vsz_rate_kb_min = v->trend[LS_PS_VSZ].rate_per_min;
	row->anon_growth_kb = v->trend[LS_PS_ANON].growth;
	row->anon_rate_kb_min = v->trend[LS_PS_ANON].rate_per_min;
	if (!p->walked)
		row->verdict = "busy";
	else if (tr->ring.count < ls_trend_min_samples(tr->ring.cap))
		row->verdict = ls_verdict_name(LS_VERDICT_COLLECTING);
	else if (ls_ps_growing(v))	/* it names a suspect */
		row->verdict = ls_verdict_name(LS_VERDICT_GROWING);
	else
		row->verdict = ls_verdict_name(LS_VERDICT_STEADY);
}

/* A row's growth, the larger of VSZ's and anonymous RSS's, from the ends. */
static s64 ls_ptrack_growth(const struct ls_ptrack *tr)
{
	u32 first, last;

	if (!tr->ring.count)
		return 0;
	first = ls_ring_slot(&tr->ring, 0);
	last = ls_ring_slot(&tr->ring, tr->ring.count - 1);
	return max(ls_ptrack_val(tr, last, LS_PS_VSZ) -
		   ls_ptrack_val(tr, first, LS_PS_VSZ),
		   ls_ptrack_val(tr, last, LS_PS_ANON) -
		   ls_ptrack_val(tr, first, LS_PS_ANON));
}

struct ls_procs_report *ls_procs_report_build(struct ls_procs_history *ph,
					      struct ls_suspect *sus, u32 max,
					      u32 *found)
{
	struct ls_key *keys = ph->walk.keys;
	struct ls_procs_report *r;
	struct ls_ps_view *v;
	u32 i, n = 0;
	int s;

	*found = 0;
	v = ls_mem_alloc(sizeof(*v), GFP_KERNEL);
	r = ls_mem_alloc(struct_size(r, rows, ph->nr), GFP_KERNEL);
	if (!v || !r) {
		ls_mem_free(v);
		ls_mem_free(r);
		return NULL;
	}
	kref_init(&r->ref);
	r->nr = ph->nr;
	r->capped = ph->capped;
	/* A pass under way that already took longer than the last one counts. */
	r->pass_samples = max(ph->walk.pass_walks, ph->walk.walks_this_pass);
	r->sps_capped = ph->walk.sps_capped;
	r->zombies_capped = ph->walk.zcapped;
	r->busy = ph->walk.busy;
	r->pending = 0;

	/*
	 * Rows by growth, largest first, ties in pid order: the table is in
	 * pid order and the sort stable.  Each row is written once, in its
	 * place.  The walk's sort scratch serves: both run under sample_lock,
	 * and the walk is done with it.
	 */
	for (i = 0; i < ph->nr; i++) {
		keys[i].key = ls_key_s64_desc(ls_ptrack_growth(ph->tab[i]));
		keys[i].idx = i;
	}
	ls_keysort(keys, ph->walk.keys_tmp, ph->nr);

	for (i = 0; i < ph->nr; i++) {
		const struct ls_ptrack *tr = ph->tab[keys[i].idx];
		const struct ls_proc *p = &tr->last;

		memset(v, 0, sizeof(*v));
		v->pid = p->tgid;
		ls_field_copy(v->comm, sizeof(v->comm), p->comm);
		for (s = 0; s < LS_PS_NR; s++) {
			ls_series_trend(ph, tr, s, &v->trend[s]);
			v->now[s] = v->trend[s].last;
		}
		v->orphan_kb = p->orphan_kb;
		v->stack_kb = p->stack_kb;
		v->heap_kb = p->heap_kb;
		v->anon_regions = p->anon_regions;
		v->anon_max_kb = p->anon_max_kb;
		v->kstack_kb = THREAD_SIZE >> 10;
		ls_fill_row(&r->rows[i], tr, v);
		n += ls_ps_suspects(v, sus + min(n, max), max - min(n, max));
		r->rows[i].pending = ls_ps_pending(v);
		r->pending |= r->rows[i].pending;
	}
	ls_mem_free(v);
	*found = n;
	return r;
}

static void ls_procs_report_release(struct kref *ref)
{
	ls_mem_free(container_of(ref, struct ls_procs_report, ref));
}

void ls_procs_report_put(struct ls_procs_report *r)
{
	if (r)
		kref_put(&r->ref, ls_procs_report_release);
}

const struct ls_cg_sum *
ls_procs_history_by_cgroup(struct ls_procs_history *ph, u32 *nr)
{
	if (ph->cg.lost) {
		*nr = 0;
		return NULL;
	}
	ls_cg_sums_compact(&ph->cg);
	*nr = ph->cg.nr;
	return ph->cg.e;
}
