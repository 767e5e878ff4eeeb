// SPDX-License-Identifier: GPL-2.0
/*
 * The history (a bounded ring of meminfo samples) and the report computed
 * from it after every sample.  Readers copy the report; they never walk
 * the history, so reading a file costs the same whatever the window.
 */
#include <linux/lockdep.h>
#include <linux/minmax.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "leakscope.h"
#include "self_mem.h"

int ls_history_alloc(struct ls_history *h, u32 cap)
{
	memset(h, 0, sizeof(*h));
	h->t_ms = ls_mem_calloc(cap, sizeof(*h->t_ms), GFP_KERNEL);
	h->mi = ls_mem_calloc(cap, sizeof(*h->mi), GFP_KERNEL);
	h->lin_t = ls_mem_calloc(cap, sizeof(*h->lin_t), GFP_KERNEL);
	h->lin_v = ls_mem_calloc(cap, sizeof(*h->lin_v), GFP_KERNEL);
	h->ts_scratch = ls_mem_calloc(LS_TREND_SCRATCH_LEN,
				      sizeof(*h->ts_scratch), GFP_KERNEL);
	if (!h->t_ms || !h->mi || !h->lin_t || !h->lin_v || !h->ts_scratch) {
		ls_history_free(h);
		return -ENOMEM;
	}
	ls_ring_reset(&h->ring, cap);
	return 0;
}

void ls_history_free(struct ls_history *h)
{
	ls_mem_free(h->t_ms);
	ls_mem_free(h->mi);
	ls_mem_free(h->lin_t);
	ls_mem_free(h->lin_v);
	ls_mem_free(h->ts_scratch);
	memset(h, 0, sizeof(*h));
}

/*
 * Keep the newest samples of @src that fit in the empty @dst: a new
 * 'samples' setting shortens or lengthens the window without losing the
 * baseline it still covers.
 */
void ls_history_move(struct ls_history *dst, struct ls_history *src)
{
	u32 keep = min(src->ring.count, dst->ring.cap);
	u32 i;

	for (i = src->ring.count - keep; i < src->ring.count; i++) {
		u32 from = ls_ring_slot(&src->ring, i);
		u32 to = ls_ring_push(&dst->ring);

		dst->t_ms[to] = src->t_ms[from];
		dst->mi[to] = src->mi[from];
	}
}

void ls_history_push(const struct ls_meminfo *mi, s64 t_ms)
{
	struct ls_history *h = &ls_state.hist;
	u32 slot;

	lockdep_assert_held(&ls_state.lock);
	slot = ls_ring_push(&h->ring);
	h->t_ms[slot] = t_ms;
	h->mi[slot] = *mi;
}

static void ls_report_row(struct ls_mi_row *row, enum ls_mi_item item)
{
	struct ls_history *h = &ls_state.hist;
	u32 n = h->ring.count;
	u32 i, slot = 0;

	memset(row, 0, sizeof(*row));
	if (!n)
		return;
	for (i = 0; i < n; i++) {
		slot = ls_ring_slot(&h->ring, i);
		h->lin_t[i] = h->t_ms[slot];
		h->lin_v[i] = h->mi[slot].kb[item];
	}
	row->valid = h->mi[slot].valid[item];
	row->now_kb = h->mi[slot].kb[item];
	ls_trend_compute(h->lin_t, h->lin_v, n, h->ring.cap,
			 ls_mi_rules[item].min_growth_kb, h->ts_scratch,
			 &row->trend);
}

/*
 * A process suspect is the more precise answer: when one names growing
 * anon, shmem or locked memory, the system-wide suspect of the same kind
 * (which only says "some process") is left out.
 */
static bool ls_named_in(const struct ls_suspect *list, u32 found,
			enum ls_suspect_kind kind)
{
	u32 i, n = min_t(u32, found, LS_MAX_SUSPECTS);

	for (i = 0; i < n; i++)
		if (list[i].kind == kind)
			return true;
	return false;
}

/* Is some process still collecting that already grew in kind @kind? */
static bool ls_pending_in_procs(enum ls_suspect_kind kind)
{
	return ls_state.procs_report &&
	       ls_state.procs_report->pending & (1U << kind);
}

/* Is some cgroup named for kind @kind (its processes, none of them)? */
static bool ls_named_in_cgroups(enum ls_suspect_kind kind)
{
	return ls_named_in(ls_state.cg_suspects, ls_state.nr_cg_suspects,
			   kind);
}

/* ... some slab cache or vmalloc caller? */
static bool ls_pending_in_kernel(enum ls_suspect_kind kind)
{
	return ls_state.kernel_report &&
	       ls_state.kernel_report->pending & (1U << kind);
}

/*
 * Is the meminfo suspect @s answered more precisely elsewhere: a process
 * or a cgroup for anon, shmem and mlock growth (locked pages are anon
 * pages too), a cache for slab growth, a caller for vmalloc growth?  Or will it be soon:
 * a process that already grew that way is still collecting.
 */
static bool ls_named_precisely(const struct ls_suspect *s)
{
	switch (s->kind) {
	case LS_SUSPECT_ANON_GROWTH:
		/* Thread stacks and new mappings are anon memory too. */
		return ls_named_in(ls_state.proc_suspects,
				   ls_state.nr_proc_suspects, s->kind) ||
		       ls_named_in(ls_state.proc_suspects,
				   ls_state.nr_proc_suspects,
				   LS_SUSPECT_MLOCK_GROWTH) ||
		       ls_named_in(ls_state.proc_suspects,
				   ls_state.nr_proc_suspects,
				   LS_SUSPECT_THREAD_GROWTH) ||
		       ls_named_in(ls_state.proc_suspects,
				   ls_state.nr_proc_suspects,
				   LS_SUSPECT_MAPPING_GROWTH) ||
		       ls_pending_in_procs(s->kind) ||
		       ls_pending_in_procs(LS_SUSPECT_MLOCK_GROWTH) ||
		       ls_pending_in_procs(LS_SUSPECT_THREAD_GROWTH) ||
		       ls_named_in_cgroups(s->kind) ||
		       ls_named_in_cgroups(LS_SUSPECT_TASK_GROWTH);
	case LS_SUSPECT_SHMEM_GROWTH:
	case LS_SUSPECT_MLOCK_GROWTH:
		return ls_named_in(ls_state.proc_suspects,
				   ls_state.nr_proc_suspects, s->kind) ||
		       ls_pending_in_procs(s->kind) ||
		       ls_named_in_cgroups(s->kind);
	case LS_SUSPECT_SLAB_GROWTH:
		return ls_named_in(ls_state.kernel_suspects,
				   ls_state.nr_kernel_suspects, s->kind) ||
		       ls_pending_in_kernel(s->kind);
	case LS_SUSPECT_VMALLOC_GROWTH:
		return ls_named_in(ls_state.kernel_suspects,
				   ls_state.nr_kernel_suspects,
				   LS_SUSPECT_VMALLOC_GROWTH) ||
		       ls_named_in(ls_state.kernel_suspects,
				   ls_state.nr_kernel_suspects,
				   LS_SUSPECT_VMALLOC_ORPHAN) ||
		       ls_pending_in_kernel(s->kind);
	default:
		return false;
	}
}

/*
 * A kernel suspect of task memory (a task's slab caches, threads' kernel
 * stacks) is named more precisely by a process whose threads or zombies
 * accumulate, or will be soon: that process is left to say it.
 */
static bool ls_task_memory_named(const struct ls_suspect *s)
{
	if (!ls_subject_is_task_memory(s->subject))
		return false;
	return ls_named_in(ls_state.proc_suspects, ls_state.nr_proc_suspects,
			   LS_SUSPECT_THREAD_GROWTH) ||
	       ls_named_in(ls_state.proc_suspects, ls_state.nr_proc_suspects,
			   LS_SUSPECT_ZOMBIE_GROWTH) ||
	       ls_pending_in_procs(LS_SUSPECT_THREAD_GROWTH) ||
	       ls_pending_in_procs(LS_SUSPECT_ZOMBIE_GROWTH);
}

static void ls_report_suspects(struct ls_report *r, bool *capped)
{
	struct ls_suspect *all = ls_state.merge;
	u32 n = 0, found, i, nproc, ncg, nkern;

	found = ls_mi_suspects(r->rows, all, LS_MAX_SUSPECTS);
	for (i = 0; i < min_t(u32, found, LS_MAX_SUSPECTS); i++) {
		if (ls_named_precisely(&all[i]))
			continue;
		/* Where tracking is armed, the call site behind it. */
		if (all[i].kind == LS_SUSPECT_UNACCOUNTED_GROWTH)
			ls_callsite_explain_unaccounted(ls_state.callsite_report,
							&all[i]);
		all[n++] = all[i];
	}
	nproc = min_t(u32, ls_state.nr_proc_suspects, LS_MAX_SUSPECTS);
	memcpy(all + n, ls_state.proc_suspects, nproc * sizeof(*all));
	n += nproc;
	ncg = min_t(u32, ls_state.nr_cg_suspects, LS_MAX_SUSPECTS);
	memcpy(all + n, ls_state.cg_suspects, ncg * sizeof(*all));
	n += ncg;
	nkern = min_t(u32, ls_state.nr_kernel_suspects, LS_MAX_SUSPECTS);
	for (i = 0; i < nkern; i++)
		if (!ls_task_memory_named(&ls_state.kernel_suspects[i]))
			all[n++] = ls_state.kernel_suspects[i];
	*capped = found > LS_MAX_SUSPECTS ||
		  ls_state.nr_proc_suspects > LS_MAX_SUSPECTS ||
		  ls_state.nr_cg_suspects > LS_MAX_SUSPECTS ||
		  ls_state.nr_kernel_suspects > LS_MAX_SUSPECTS ||
		  n > LS_MAX_SUSPECTS;

	ls_suspects_rank(all, n);
	r->nr_suspects = min_t(u32, n, LS_MAX_SUSPECTS);
	memcpy(r->suspects, all, r->nr_suspects * sizeof(*all));
}

/* Append @cap to the comma-separated list @caps (or replace its "-"). */
static void ls_caps_add(char *caps, size_t len, const char *cap)
{
	size_t used = strcmp(caps, "-") ? strlen(caps) : 0;

	snprintf(caps + used, len - used, "%s%s", used ? "," : "", cap);
}

u64 ls_self_kb(void)
{
	return (ls_mem_bytes() + sizeof(ls_state)) >> 10;
}

void ls_header_update(void)
{
	struct ls_history *h = &ls_state.hist;
	struct ls_report *r = &ls_state.report;

	lockdep_assert_held(&ls_state.sample_lock);
	lockdep_assert_held(&ls_state.lock);

	r->hdr.interval_ms = ls_state.interval_ms;
	r->hdr.samples = ls_state.samples;
	r->hdr.held = h->ring.count;
	r->hdr.sample_us = ls_state.sample_us;
	r->hdr.window_ms = 0;
	if (h->ring.count > 1)
		r->hdr.window_ms =
			h->t_ms[ls_ring_slot(&h->ring, h->ring.count - 1)] -
			h->t_ms[ls_ring_slot(&h->ring, 0)];
}

void ls_report_update(void)
{
	struct ls_report *r = &ls_state.report;
	struct ls_procs_report *pr = ls_state.procs_report;
	bool capped;
	int item;

	ls_header_update();
	for (item = 0; item < LS_MI_NR; item++)
		ls_report_row(&r->rows[item], item);
	ls_report_suspects(r, &capped);
	for (item = 0; item < LS_MI_NR; item++)
		ls_mi_next(item, &r->rows[item], ls_state.proc_suspects,
			   min_t(u32, ls_state.nr_proc_suspects,
				 LS_MAX_SUSPECTS));

	strscpy(r->hdr.caps_hit, "-", sizeof(r->hdr.caps_hit));
	if (capped)
		ls_caps_add(r->hdr.caps_hit, sizeof(r->hdr.caps_hit), "suspects");
	if (pr && pr->capped)
		ls_caps_add(r->hdr.caps_hit, sizeof(r->hdr.caps_hit), "procs");
	if (pr && pr->sps_capped)
		ls_caps_add(r->hdr.caps_hit, sizeof(r->hdr.caps_hit), "threads");
	if (pr && pr->zombies_capped)
		ls_caps_add(r->hdr.caps_hit, sizeof(r->hdr.caps_hit), "zombies");
}

void ls_header_copy(struct ls_header *h)
{
	mutex_lock(&ls_state.lock);
	*h = ls_state.report.hdr;
	mutex_unlock(&ls_state.lock);
}
