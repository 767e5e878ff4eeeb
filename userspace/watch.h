/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `leakscope watch`: re-read procs (or summary, vmalloc, slab) every
 * interval and show the top rows with a sparkline of the readings this
 * reader kept, like `pidstat -r` (or slabtop) with a memory.
 */
#ifndef LS_WATCH_H
#define LS_WATCH_H

#include <stdbool.h>

#define LS_WATCH_INTERVAL_MS		1000
#define LS_WATCH_INTERVAL_MIN_MS	100
#define LS_WATCH_INTERVAL_MAX_MS	3600000
#define LS_WATCH_TOP			20	/* rows shown when not on a tty */

struct ls_watch_opts {
	const char *file;		/* "procs", "summary", "vmalloc", "slab" */
	unsigned int interval_ms;
	unsigned long count;		/* refreshes; 0: until SIGINT */
	bool json;			/* NDJSON: one document per refresh */
};

/* The file names watch can show ("procs", "summary", "vmalloc", "slab"). */
bool ls_watch_file_ok(const char *file);

/* Run until count refreshes or SIGINT (exit status 0) or an error (1). */
int ls_watch(const char *dir, bool real, const struct ls_watch_opts *o);

#endif /* LS_WATCH_H */
