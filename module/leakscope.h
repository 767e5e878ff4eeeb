/* SPDX-License-Identifier: GPL-2.0 */
/*
 * leakscope internals shared by the module's files.
 *
 * Data flows one way: walker -> sample -> history -> report -> view.
 * Two mutexes, always taken in this order:
 *   ls_state.sample_lock  serialises sampling and every settings change, so
 *                         samples enter the history in time order and a
 *                         setting is never half-applied;
 *   ls_state.lock         protects the history and the published report;
 *                         views hold it only to copy the report out.
 */
#ifndef LS_LEAKSCOPE_H
#define LS_LEAKSCOPE_H

#include <linux/mutex.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include "control.h"
#include "meminfo_rules.h"
#include "suspects.h"
#include "trend.h"
#include "walk_meminfo.h"

#define LS_FORMAT_VERSION	1
#define LS_MAX_SUSPECTS		32

/* The bounded ring of samples; all arrays have ring.cap entries. */
struct ls_history {
	struct ls_ring ring;
	s64 *t_ms;
	struct ls_meminfo *mi;
	s64 *lin_t;		/* scratch: one series, oldest first */
	s64 *lin_v;
	s64 *ts_scratch;	/* LS_TREND_SCRATCH_LEN slopes */
};

/* What the views print: computed by the sampler, copied out by readers. */
struct ls_report {
	u32 interval_ms;
	u32 samples;
	u32 held;
	s64 window_ms;
	bool suspects_capped;
	u32 nr_suspects;
	struct ls_mi_row rows[LS_MI_NR];
	struct ls_suspect suspects[LS_MAX_SUSPECTS];
};

struct ls_state {
	struct mutex sample_lock;	/* see the top of this file */
	struct mutex lock;		/* see the top of this file */
	bool running;			/* under sample_lock */
	u32 interval_ms;		/* under sample_lock */
	u32 samples;			/* under sample_lock */
	struct ls_history hist;		/* under lock */
	struct ls_report report;	/* under lock */
	struct delayed_work work;
};

extern struct ls_state ls_state;

/* report.c: history and report; callers hold ls_state.sample_lock. */
int ls_history_alloc(struct ls_history *h, u32 cap);
void ls_history_free(struct ls_history *h);
void ls_history_move(struct ls_history *dst, struct ls_history *src);
void ls_history_push(const struct ls_meminfo *mi);
void ls_report_update(void);

/* sampler.c */
void ls_sample_now(void);		/* caller holds sample_lock */
void ls_sampler_schedule(void);		/* caller holds sample_lock */
int ls_sampler_start(void);
void ls_sampler_stop(void);

/* settings.c: control writes and module parameters. */
int ls_settings_apply(const struct ls_control_cmd *cmd);

/* views.c */
int ls_views_create(void);
void ls_views_remove(void);

#endif /* LS_LEAKSCOPE_H */
