/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Files that stream one report's rows: the procs, vmalloc and callsites
 * files.  One open shows one report, the latest at open, pinned by its
 * reference until release, its header line formatted then.  seq_file
 * refills its one page from it as userspace reads, so nothing here is
 * sized by the number of rows, and a record formatted again (after lseek
 * or pread, or one that did not fit the page) is the same bytes.  A later
 * read from offset 0 of the same file shows the same report: open the
 * file again for a newer one.  The sampler never waits for a reader; it
 * publishes new reports, and the last put frees this one.
 */
#ifndef LS_VIEWS_PINNED_H
#define LS_VIEWS_PINNED_H

#include <linux/fs.h>
#include <linux/seq_file.h>

#include "leakscope.h"

struct ls_pinned_view {
	/* One row, or the column line when @row is NULL. */
	int (*show)(struct seq_file *m, const void *row);
	void (*put)(void *report);	/* lets a pinned report go */
};

struct ls_pinned {
	const struct ls_pinned_view *view;
	void *report;			/* NULL: none (out of memory) */
	const void *rows;		/* [nr] of row_size bytes */
	size_t row_size;
	u32 nr;
	size_t head_len;
	char head[LS_HEADER_LINE_MAX];
};

/*
 * Open @file as a view of @view; the caller then pins its report, sets
 * report, rows, row_size, nr and the header line.  ERR_PTR on failure.
 */
struct ls_pinned *ls_pinned_open(struct file *file,
				 const struct ls_pinned_view *view);
int ls_pinned_release(struct inode *inode, struct file *file);

#endif /* LS_VIEWS_PINNED_H */
