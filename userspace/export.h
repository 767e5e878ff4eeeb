/* SPDX-License-Identifier: GPL-2.0 */
/*
 * leakscope export --textfile DIR: all metrics (prom.h) into
 * DIR/leakscope.prom for node_exporter's textfile collector, atomically:
 * rendered in memory, written to DIR/.leakscope.prom.tmp.PID, fsync'ed and
 * renamed, so the collector never reads half a file.
 */
#ifndef LS_EXPORT_H
#define LS_EXPORT_H

#include <stdbool.h>

#include "errors.h"

#define LS_EXPORT_FILE	"leakscope.prom"

/* 0, or -1 with *e set; on failure no temporary file is left behind. */
int ls_export_textfile(const char *textfile_dir, const char *dir, bool real,
		       struct ls_err *e);

#endif /* LS_EXPORT_H */
