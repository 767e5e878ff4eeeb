// SPDX-License-Identifier: GPL-2.0
/* Aligned table output of one leakscope file. */
#include <string.h>

#include "columns.h"
#include "table.h"

#define COL_GAP 2

/*
 * Display width: UTF-8 continuation bytes take no column, and in prose
 * "__" shows as one '_'.
 */
static size_t width(const char *s, bool prose)
{
	size_t w = 0;

	for (; *s; s++) {
		if (prose && s[0] == '_' && s[1] == '_')
			s++;
		if (((unsigned char)*s & 0xc0) != 0x80)
			w++;
	}
	return w;
}

/* Prose: '_' joins words (shown as ' '), "__" is a '_' of its own. */
static void put_cell(FILE *f, const char *s, bool prose)
{
	for (; *s; s++) {
		if (!prose || *s != '_')
			fputc(*s, f);
		else if (s[1] == '_')
			fputc(*s++, f);
		else
			fputc(' ', f);
	}
}

static void pad(FILE *f, size_t n)
{
	while (n--)
		fputc(' ', f);
}

/* One cell: right-aligned in integer columns, nothing trailing at line end. */
static void put_aligned(FILE *f, const char *s, size_t colw, bool numeric,
			bool prose, bool last)
{
	size_t w = width(s, prose);

	if (numeric)
		pad(f, colw - w);
	put_cell(f, s, prose);
	if (!last) {
		if (!numeric)
			pad(f, colw - w);
		pad(f, COL_GAP);
	}
}

/* The last column a list: its items one per line, each under the first. */
static void put_list(FILE *f, const char *s, size_t indent)
{
	for (; *s; s++) {
		if (*s != ' ') {
			fputc(*s, f);
			continue;
		}
		fputc('\n', f);
		pad(f, indent);
	}
}

static void print_window(FILE *f, const struct ls_table *t)
{
	const char *held = ls_table_meta(t, "held");
	const char *samples = ls_table_meta(t, "samples");
	const char *win = ls_table_meta(t, "window_ms");
	const char *interval = ls_table_meta(t, "interval_ms");
	const char *caps = ls_table_meta(t, "caps_hit");
	const char *dis = ls_table_meta(t, "disabled");

	const char *pid = ls_table_meta(t, "pid");
	const char *busy = ls_table_meta(t, "busy");	/* procs: mms not walked */
	const char *self = ls_table_meta(t, "self_kb");
	const char *track = ls_table_meta(t, "track");	/* callsites, stacks */
	const char *stacks = ls_table_meta(t, "stacks");
	long long ms, kb;

	fprintf(f, "%s", t->name);
	if (pid && !ls_field_is_null(pid))
		fprintf(f, " of pid %s", pid);
	fputc(':', f);
	if (held)
		fprintf(f, " %s%s%s samples", held, samples ? "/" : "",
			samples ? samples : "");
	if (win && ls_field_int(win, &ms) && ms >= 0)
		fprintf(f, ", window %lld.%lld s", ms / 1000, ms % 1000 / 100);
	if (interval)
		fprintf(f, ", every %s ms", interval);
	if (self && ls_field_int(self, &kb) && kb >= 0)
		fprintf(f, ", leakscope holds %lld kB", kb);
	if (track)
		fprintf(f, ", tracking %s", track);
	if (stacks && !ls_field_is_null(stacks))
		fprintf(f, ", %s stacks", stacks);
	if (busy && strcmp(busy, "0") && !ls_field_is_null(busy))
		fprintf(f, ", %s busy (skipped)", busy);
	if (caps && !ls_field_is_null(caps))
		fprintf(f, ", caps hit: %s", caps);
	if (dis && !ls_field_is_null(dis))
		fprintf(f, ", disabled: %s", dis);
	fputc('\n', f);
}

void ls_print_table(FILE *f, const struct ls_table *t, const char *empty)
{
	size_t w[LS_MAX_COLUMNS];
	bool num[LS_MAX_COLUMNS], prose[LS_MAX_COLUMNS], list;
	size_t r, indent = 0;
	unsigned int c;

	print_window(f, t);
	if (!t->nrows && empty) {
		fprintf(f, "%s\n", empty);
		return;
	}
	for (c = 0; c < t->ncols; c++) {
		w[c] = width(t->cols[c], false);
		num[c] = ls_col_numeric(t->cols[c]);
		prose[c] = ls_col_prose(t->cols[c]);
		for (r = 0; r < t->nrows; r++) {
			size_t cw = width(ls_table_cell(t, r, c), prose[c]);

			if (cw > w[c])
				w[c] = cw;
		}
	}
	for (c = 0; c < t->ncols; c++)
		put_aligned(f, t->cols[c], w[c], num[c], false, c + 1 == t->ncols);
	fputc('\n', f);
	list = ls_col_list(t->cols[t->ncols - 1]);
	for (c = 0; c + 1 < t->ncols; c++)
		indent += w[c] + COL_GAP;
	for (r = 0; r < t->nrows; r++) {
		for (c = 0; c < t->ncols; c++) {
			if (list && c + 1 == t->ncols)
				put_list(f, ls_table_cell(t, r, c), indent);
			else
				put_aligned(f, ls_table_cell(t, r, c), w[c],
					    num[c], prose[c], c + 1 == t->ncols);
		}
		fputc('\n', f);
	}
}
