/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The readings `leakscope watch` keeps itself: for each row key (pid and
 * comm, or a summary item) the last LS_HIST_LEN values of one column, so a
 * sparkline follows a process from refresh to refresh.  Keys that are not
 * in a refresh are dropped: a process that is gone leaves the view.
 *
 * One refresh:
 *	ls_history_begin(h, nrows);
 *	for each row: ls_history_push(h, row, key, value);
 *	... use ls_history_row(h, row) ...
 *	ls_history_commit(h);
 */
#ifndef LS_HISTORY_H
#define LS_HISTORY_H

#include <stddef.h>

#define LS_HIST_LEN	30	/* readings kept per row */
#define LS_HIST_KEY	64	/* longer keys are truncated */

struct ls_hist_entry {
	char key[LS_HIST_KEY];
	unsigned int n;			/* readings held, <= LS_HIST_LEN */
	long long v[LS_HIST_LEN];	/* oldest first */
};

struct ls_history {
	struct ls_hist_entry *cur;	/* last refresh, sorted by key */
	size_t ncur;
	struct ls_hist_entry *next;	/* this refresh, in row order */
	size_t nnext;
};

/* 0, or -1 when out of memory (the history is then unchanged). */
int ls_history_begin(struct ls_history *h, size_t nrows);

/* The row at index row (< nrows) has key and value v: its history plus v. */
void ls_history_push(struct ls_history *h, size_t row, const char *key,
		     long long v);

static inline const struct ls_hist_entry *
ls_history_row(const struct ls_history *h, size_t row)
{
	return &h->next[row];
}

/* This refresh becomes the history; keys not pushed are forgotten. */
void ls_history_commit(struct ls_history *h);

void ls_history_free(struct ls_history *h);

#endif /* LS_HISTORY_H */
