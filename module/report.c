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
#include <linux/timekeeping.h>

#include "leakscope.h"

int ls_history_alloc(struct ls_history *h, u32 cap)
{
	memset(h, 0, sizeof(*h));
	h->t_ms = kvcalloc(cap, sizeof(*h->t_ms), GFP_KERNEL);
	h->mi = kvcalloc(cap, sizeof(*h->mi), GFP_KERNEL);
	h->lin_t = kvcalloc(cap, sizeof(*h->lin_t), GFP_KERNEL);
	h->lin_v = kvcalloc(cap, sizeof(*h->lin_v), GFP_KERNEL);
	h->ts_scratch = kvcalloc(LS_TREND_SCRATCH_LEN,
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
	kvfree(h->t_ms);
	kvfree(h->mi);
	kvfree(h->lin_t);
	kvfree(h->lin_v);
	kvfree(h->ts_scratch);
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

void ls_history_push(const struct ls_meminfo *mi)
{
	struct ls_history *h = &ls_state.hist;
	s64 now = ktime_to_ms(ktime_get_boottime());
	u32 slot;

	lockdep_assert_held(&ls_state.lock);
	/* Trends need strictly increasing times, even for back-to-back samples. */
	if (h->ring.count) {
		s64 last = h->t_ms[ls_ring_slot(&h->ring, h->ring.count - 1)];

		now = max(now, last + 1);
	}
	slot = ls_ring_push(&h->ring);
	h->t_ms[slot] = now;
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
	ls_trend_compute(h->lin_t, h->lin_v, n, ls_mi_rules[item].min_growth_kb,
			 h->ts_scratch, &row->trend);
}

void ls_report_update(void)
{
	struct ls_history *h = &ls_state.hist;
	struct ls_report *r = &ls_state.report;
	u32 found;
	int item;

	lockdep_assert_held(&ls_state.sample_lock);
	lockdep_assert_held(&ls_state.lock);

	r->interval_ms = ls_state.interval_ms;
	r->samples = ls_state.samples;
	r->held = h->ring.count;
	r->window_ms = 0;
	if (h->ring.count > 1)
		r->window_ms = h->t_ms[ls_ring_slot(&h->ring, h->ring.count - 1)] -
			       h->t_ms[ls_ring_slot(&h->ring, 0)];

	for (item = 0; item < LS_MI_NR; item++)
		ls_report_row(&r->rows[item], item);

	found = ls_mi_suspects(r->rows, r->suspects, LS_MAX_SUSPECTS);
	r->suspects_capped = found > LS_MAX_SUSPECTS;
	r->nr_suspects = min_t(u32, found, LS_MAX_SUSPECTS);
	ls_suspects_rank(r->suspects, r->nr_suspects);
}
