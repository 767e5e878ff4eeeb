/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Who allocates: the tracker's sampled outstanding allocations (track.c),
 * aggregated per (class, call site, stack, cgroup) at every sample into
 * keyed histories, and the refcounted report the callsites file prints.
 * The trend of a call site is the same rule as a slab cache's.
 */
#ifndef LS_CALLSITE_REPORT_H
#define LS_CALLSITE_REPORT_H

#include <linux/kref.h>

#include "cgroup_path.h"
#include "keyed_history.h"
#include "keysort.h"
#include "suspects.h"
#include "track.h"

#define LS_CALLSITES_MAX	1024	/* rows per sample; more: caps_hit */

struct ls_callsite_row {
	char cls[LS_KR_NAME_LEN];	/* slab cache, "pages" or "percpu" */
	char site[LS_KR_NAME_LEN];	/* symbol, field-safe */
	char cgroup[LS_CGROUP_FIELD_LEN];	/* v2 path, "irq", or "-" */
	u32 stack_id;
	u32 samples;
	s64 objects, size_kb;
	s64 oldest_s, median_s;		/* ages at the build */
	s64 growth_kb, rate_kb_min;
	u32 persistence_pct;
	const char *verdict;
	bool growing;			/* verdict is "growing" */
};

/* An immutable snapshot; readers format it with no lock held. */
struct ls_callsite_report {
	struct kref ref;
	u32 nr;
	bool capped;
	struct ls_callsite_row *rows;	/* by growth, then size, descending */
};

struct ls_callsite_history {
	struct ls_track_row *snap;	/* [LS_CALLSITES_MAX] the last one */
	struct ls_track_row *sorted;	/* [LS_CALLSITES_MAX] snap by key */
	struct ls_kh_sample *cur;	/* [LS_CALLSITES_MAX] */
	struct ls_key *keys, *keys_tmp;	/* [LS_CALLSITES_MAX] */
	u32 nr;				/* rows in sorted and cur */
	bool capped;			/* the tracker had more rows */
	struct ls_track_stats stats;	/* the last snapshot's */
	struct ls_keyed_history kh;
};

int ls_callsite_history_init(struct ls_callsite_history *ch);
void ls_callsite_history_free(struct ls_callsite_history *ch);
void ls_callsite_history_reset(struct ls_callsite_history *ch);

/*
 * Add one sample of the tracker's table (none while tracking is off:
 * the history empties).  Sleeps; sample_lock held.
 */
void ls_callsite_history_sample(struct ls_callsite_history *ch, s64 t_ms,
				u32 window);

/* A new report; NULL when out of memory. */
struct ls_callsite_report *
ls_callsite_report_build(struct ls_callsite_history *ch);
void ls_callsite_report_put(struct ls_callsite_report *r);

/*
 * Name in @s (a slab-growth suspect of cache @cls) the growing call site
 * (its own verdict: growing) that accounts for most of the cache's
 * sampled outstanding growth, and point its next step at the callsites
 * file.  False, @s unchanged: no growing site grew by a tenth of the
 * suspect's growth.
 */
bool ls_callsite_explain(const struct ls_callsite_report *r, const char *cls,
			 struct ls_suspect *s);

/*
 * The same for the unaccounted-growth suspect: the top growing site of
 * the classes no meminfo counter shows, "pages" and "percpu" (leakscope's
 * ledger leaves Percpu in Unaccounted), and the class in its next step;
 * false, @s unchanged, as above.
 */
bool ls_callsite_explain_unaccounted(const struct ls_callsite_report *r,
				     struct ls_suspect *s);

#endif /* LS_CALLSITE_REPORT_H */
