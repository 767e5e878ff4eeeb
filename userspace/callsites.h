/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The files of call-site tracking, callsites and stacks: whether tracking
 * is on, and the reader's filters of their rows.
 */
#ifndef LS_CALLSITES_H
#define LS_CALLSITES_H

#include <stdbool.h>

#include "errors.h"
#include "lsfile.h"

/* How to turn tracking on, for the error when it is off. */
#define LS_TRACK_HOWTO \
	"turn it on with 'echo track=auto > " LS_DEFAULT_DIR "/control' " \
	"or the module parameter track=auto (works under lockdown too)"

/* callsites --cache NAME --cgroup PATH; NULL: no filter. */
struct ls_callsite_filter {
	const char *cache;
	const char *cgroup;
};

/*
 * A file of tracking (callsites, stacks) whose header says track=off:
 * -1 with an LS_ERR_STATE that says how to turn it on.  Else 0 (a header
 * without "track" too: the format may change).
 */
int ls_track_check(const struct ls_table *t, struct ls_err *e);

/* Is cgroup path (or "irq", "-") at or below want? */
bool ls_cgroup_below(const char *cgroup, const char *want);

/*
 * Drop the rows of callsites t that the filter does not keep: class equal
 * to cache, cgroup at or below cgroup.  -1 with *e set (LS_ERR_MALFORMED)
 * when a filter's column is missing from the file.
 */
int ls_callsites_filter(struct ls_table *t, const struct ls_callsite_filter *flt,
			const char *path, struct ls_err *e);

/*
 * Keep only the row of stack id (decimal); -1 with an LS_ERR_STATE when
 * there is none, or LS_ERR_MALFORMED when the file has no stack column.
 */
int ls_stacks_select(struct ls_table *t, const char *id, const char *path,
		     struct ls_err *e);

#endif /* LS_CALLSITES_H */
