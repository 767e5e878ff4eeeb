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
#include <linux/seq_file.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include "callsite_report.h"
#include "cgroups_history.h"
#include "control.h"
#include "kernel_report.h"
#include "meminfo_rules.h"
#include "procs_history.h"
#include "suspects.h"
#include "trend.h"
#include "walk_meminfo.h"
#include "walk_regions.h"

#define LS_FORMAT_VERSION	1
#define LS_MAX_SUSPECTS		32
#define LS_VIEW_HEADER_BYTES	1024	/* header and column lines, at most */

/* The bounded ring of samples; all arrays have ring.cap entries. */
struct ls_history {
	struct ls_ring ring;
	s64 *t_ms;
	struct ls_meminfo *mi;
	s64 *lin_t;		/* scratch: one series, oldest first */
	s64 *lin_v;
	s64 *ts_scratch;	/* LS_TREND_SCRATCH_LEN slopes */
};

/* The first line of every file: settings, window, caps hit, disabled. */
struct ls_header {
	u32 interval_ms;
	u32 samples;
	u32 held;
	s64 window_ms;
	u32 sample_us;			/* how long a sample takes, on average */
	char caps_hit[48];		/* comma-separated, or "-" */
};

/* What the views print: computed by the sampler, copied out by readers. */
struct ls_report {
	struct ls_header hdr;
	u32 nr_suspects;
	struct ls_mi_row rows[LS_MI_NR];
	struct ls_suspect suspects[LS_MAX_SUSPECTS];
};

struct ls_state {
	struct mutex sample_lock;	/* see the top of this file */
	struct mutex lock;		/* see the top of this file */

	/* Under sample_lock: */
	bool running;
	u32 interval_ms;
	u32 samples;
	u32 pid;			/* the process `regions` shows; 0: none */
	u32 track;			/* LS_TRACK_SET_* (track.h's mode) */
	u32 track_mean_kb;		/* tracking's mean KiB between samples */
	struct ls_regions *baseline;	/* pid's regions at the last reset */
	s64 last_t_ms;
	u32 sample_us;
	u32 after_us;			/* a sample's part after its procs walk */
	u32 after_last_us;		/* ... and the last one's */
	bool reports_stale;		/* sampled since the procs report was built */
	struct ls_procs_history procs;
	u32 nr_proc_suspects;		/* found; at most LS_MAX_SUSPECTS kept */
	struct ls_suspect proc_suspects[LS_MAX_SUSPECTS];
	struct ls_cgroups_history cgroups;
	u32 nr_cg_suspects;		/* found; at most LS_MAX_SUSPECTS kept */
	struct ls_suspect cg_suspects[LS_MAX_SUSPECTS];
	struct ls_kernel_history kernel;
	u32 nr_kernel_suspects;		/* found; at most LS_MAX_SUSPECTS kept */
	struct ls_suspect kernel_suspects[LS_MAX_SUSPECTS];
	struct ls_callsite_history callsites;
	const char *track_want[LS_TRACK_WANT_MAX];	/* auto's caches */
	struct ls_cache_name track_armed[LS_TRACK_WANT_MAX];	/* last time */
	u32 nr_track_armed;
	bool track_kinds;		/* auto wanted pages and percpu last time */

	/* Under lock: */
	struct ls_history hist;
	struct ls_report report;
	struct ls_procs_report *procs_report;
	struct ls_cgroups_report *cgroups_report;
	struct ls_kernel_report *kernel_report;
	struct ls_callsite_report *callsite_report;
	struct ls_suspect merge[4 * LS_MAX_SUSPECTS];	/* ranking scratch */

	struct delayed_work work;
};

extern struct ls_state ls_state;

/* report.c: history and report; callers hold ls_state.sample_lock. */
int ls_history_alloc(struct ls_history *h, u32 cap);
void ls_history_free(struct ls_history *h);
void ls_history_move(struct ls_history *dst, struct ls_history *src);
void ls_history_push(const struct ls_meminfo *mi, s64 t_ms);
/* The header's window and cost, cheap: at every sample. */
void ls_header_update(void);
/* The header, the meminfo rows and the merged suspects: when read. */
void ls_report_update(void);
void ls_header_copy(struct ls_header *h);
/*
 * What leakscope holds now, in kB: everything it allocated (self_mem.c)
 * and its state; not its code and static tables, which never grow.
 */
u64 ls_self_kb(void);

/* sampler.c */
void ls_sample_now(void);		/* caller holds sample_lock */
/* Before showing a report: build what the last sample made stale. */
int ls_reports_refresh(void);
/*
 * A sample may take this share (per mille) of each interval: the procs
 * walk gets what the rest of the sample leaves of it (sampler.c).
 */
#define LS_SAMPLE_BUDGET_PER_MILLE	2
void ls_sampler_schedule(void);		/* caller holds sample_lock */
int ls_sampler_start(void);
void ls_sampler_stop(void);

/* settings.c: control writes and module parameters. */
int ls_settings_apply(const struct ls_control_cmd *cmd);
int ls_baseline_take(u32 pid, struct ls_regions **out);
/* Arm call-site tracking as the track= parameter asked, once running. */
void ls_track_start(void);

/* views.c, views_procs.c, views_cgroups.c */
int ls_views_create(void);
void ls_views_remove(void);
/* The "# leakscope FILE v1 ..." line into @buf; its length. */
size_t ls_header_format(char *buf, size_t len, const char *file,
			const struct ls_header *h, const char *more_caps,
			const char *extra);
/*
 * The header line's parts are bounded: the words and numbers take under
 * 200 bytes, caps_hit under 48 plus a file's own cap, disabled under 96
 * (compat_symbols.c) and the callers' extra words under 320 (callsites'
 * tracker counters; the others under 64).
 */
#define LS_HEADER_LINE_MAX	704
/* The header line, always ending in a newline, into @line; its length. */
size_t ls_header_line(char line[LS_HEADER_LINE_MAX], const char *file,
		      const struct ls_header *h, const char *more_caps,
		      const char *extra);
void ls_print_header(struct seq_file *m, const char *file,
		     const struct ls_header *h, const char *more_caps,
		     const char *extra);
extern const struct file_operations ls_procs_fops;
extern const struct file_operations ls_cgroups_fops;
extern const struct file_operations ls_regions_fops;
extern const struct file_operations ls_vmalloc_fops;
extern const struct file_operations ls_slab_fops;
extern const struct file_operations ls_callsites_fops;
extern const struct file_operations ls_stacks_fops;

#endif /* LS_LEAKSCOPE_H */
