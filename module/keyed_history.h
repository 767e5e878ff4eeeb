/* SPDX-License-Identifier: GPL-2.0 */
/*
 * History of keyed series: a vmalloc caller, a slab cache or a cgroup,
 * each with a few values per sample (as many as its history says) and a
 * bounded ring of its own.  A key that is
 * absent from a sample is dropped (all its areas were freed, the cache
 * was destroyed); if it comes back it starts over.
 */
#ifndef LS_KEYED_HISTORY_H
#define LS_KEYED_HISTORY_H

#include <linux/types.h>

#include "kernel_rules.h"
#include "trend.h"

#define LS_KH_NV_MAX	6	/* values per sample, at most */
#define LS_KH_MAX	4096	/* keys tracked; more: caps_hit */
#define LS_KH_SAMPLES_MAX 128	/* per-key ring: the window, at most this */

/* One key at one sample, as a walker's aggregation hands it over. */
struct ls_kh_sample {
	u64 key;
	char name[LS_KR_NAME_LEN];
	s64 v[LS_KH_NV_MAX];	/* the first nv of them are kept */
	u64 attr[2];		/* the caller's own attributes, latest wins */
};

struct ls_kh_entry;

struct ls_keyed_history {
	struct ls_kh_entry **tab;	/* sorted by key */
	struct ls_kh_entry **next;
	u32 nr;
	u32 nv;				/* values per sample, kept per key */
	bool capped;			/* a sample had more than LS_KH_MAX keys */
	s64 *lin_t, *lin_v, *ts_scratch;
};

int ls_kh_init(struct ls_keyed_history *kh, u32 nv);
void ls_kh_free(struct ls_keyed_history *kh);
void ls_kh_reset(struct ls_keyed_history *kh);

/*
 * Add one sample: @cur[0..@n) sorted by key, keys unique.  Sleeps
 * (allocation); the caller serialises.
 */
void ls_kh_sample(struct ls_keyed_history *kh, const struct ls_kh_sample *cur,
		  u32 n, s64 t_ms, u32 window);

/* Entry @i's latest sample, and how many samples it has. */
const struct ls_kh_sample *ls_kh_latest(const struct ls_keyed_history *kh,
					u32 i, u32 *samples);

/* Trend of value @which of entry @i. */
void ls_kh_trend(struct ls_keyed_history *kh, u32 i, u32 which,
		 s64 min_growth, struct ls_trend *out);

/*
 * The same verdict, for a history of many series that seldom grow (a
 * cgroup's sums): a series whose ends say it cannot be growing
 * (ls_trend_may_grow()) gets its trend from its ends alone, as a
 * process's series do, with no rise counts and the rate over its span.
 */
void ls_kh_trend_sparse(struct ls_keyed_history *kh, u32 i, u32 which,
			s64 min_growth, struct ls_trend *out);

/* Growth of value @which of entry @i over its window: newest - oldest. */
s64 ls_kh_growth(const struct ls_keyed_history *kh, u32 i, u32 which);

/*
 * Entry @i's slot for what a report derives from its key and keeps across
 * samples (a vmalloc caller's name, a slab cache's row text): NULL while
 * the entry is new; whatever it points to (from ls_mem_alloc()) is freed
 * with the entry.
 */
void **ls_kh_cache(struct ls_keyed_history *kh, u32 i);

#endif /* LS_KEYED_HISTORY_H */
