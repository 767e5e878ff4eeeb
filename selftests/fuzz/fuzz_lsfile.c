// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the reader's file parser (userspace/lsfile.c) on
 * arbitrary bytes, then the table and JSON printers on whatever it accepts.
 *
 * The file name the parser expects is the header's third token when that
 * is one of the module's files (so mutations of a real file reach the
 * record parser), else one picked from the input's length.
 *
 * Invariants: parse returns 0 or -1; on -1 the error is MALFORMED or
 * VERSION with a one-line, non-empty message; on 0 the table is consistent
 * (version 1, 1..LS_MAX_COLUMNS columns, every cell a non-empty field
 * without whitespace, but a last list column's: fields joined by single
 * spaces), the callsites and cgroup filters and the stacks selection
 * keep a subset of the rows, the --prom-top cap keeps at most its rows
 * and one "other", and the JSON output holds no raw control character.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "callsites.h"
#include "cgroups.h"
#include "columns.h"
#include "json.h"
#include "lsfile.h"
#include "table.h"

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "fuzz_lsfile: %s:%d: %s\n",		\
			__FILE__, __LINE__, #cond);			\
		abort();						\
	}								\
} while (0)

static const char * const names[] = {
	"summary", "suspects", "control", "procs", "regions", "vmalloc", "slab",
	"callsites", "stacks", "cgroups",
};
#define NR_NAMES (sizeof(names) / sizeof(names[0]))

static FILE *devnull;

static const char *pick_name(const uint8_t *data, size_t size)
{
	static const char prefix[] = "# leakscope ";
	size_t plen = sizeof(prefix) - 1, i, n;

	if (size > plen && !memcmp(data, prefix, plen)) {
		for (i = 0; i < NR_NAMES; i++) {
			n = strlen(names[i]);
			if (size > plen + n &&
			    !memcmp(data + plen, names[i], n) &&
			    data[plen + n] == ' ')
				return names[i];
		}
	}
	return names[size % NR_NAMES];
}

static bool is_field(const char *s)
{
	if (!s || !*s)
		return false;
	for (; *s; s++)
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
			return false;
	return true;
}

/* Fields joined by single spaces: no leading, trailing or double space. */
static bool is_list(const char *s)
{
	const char *p;

	if (!s || !*s || *s == ' ')
		return false;
	for (p = s; *p; p++) {
		if (*p == '\t' || *p == '\n' || *p == '\r')
			return false;
		if (*p == ' ' && (p[1] == ' ' || !p[1]))
			return false;
	}
	return true;
}

/* The reader's row filters on a parsed callsites, stacks, procs or cgroups file. */
static void check_filters(struct ls_table *t, const char *name)
{
	struct ls_callsite_filter flt = { .cache = "kmalloc-64", .cgroup = "/a" };
	size_t before = t->nrows;
	struct ls_err e;
	int ret;

	memset(&e, 0, sizeof(e));
	(void)ls_track_check(t, &e);
	if (!strcmp(name, "callsites")) {
		ret = ls_callsites_filter(t, &flt, "fuzz", &e);
		CHECK(ret == 0 || (ret == -1 && e.kind == LS_ERR_MALFORMED));
	} else if (!strcmp(name, "procs") || !strcmp(name, "cgroups")) {
		/* static: the table points into it until it is freed */
		static struct ls_cgroup_other o;
		size_t had = t->nrows, r;
		unsigned int c;

		if (!strcmp(name, "cgroups")) {
			CHECK(ls_cgroups_cap(t, 2, &o) == 0);
			/* Capped: two rows and "other"; else untouched. */
			CHECK(t->nrows == had || (had > 2 && t->nrows == 3));
			for (r = 0; r < t->nrows; r++)
				for (c = 0; c < t->ncols; c++)
					CHECK(c + 1 == t->ncols &&
					      ls_col_list(t->cols[c]) ?
					      is_list(ls_table_cell(t, r, c)) :
					      is_field(ls_table_cell(t, r, c)));
		}
		ret = ls_cgroup_filter(t, "/a", "fuzz", &e);
		CHECK(ret == 0 || (ret == -1 && e.kind == LS_ERR_MALFORMED));
	} else if (!strcmp(name, "stacks")) {
		ret = ls_stacks_select(t, "17", "fuzz", &e);
		CHECK(ret == 0 || ret == -1);
		CHECK(ret || t->nrows >= 1);
	}
	CHECK(t->nrows <= before);
}

static void check_table(struct ls_table *t, const char *name)
{
	char *out = NULL;
	size_t len = 0, i, r;
	unsigned int c;
	FILE *f;

	CHECK(t->version == LS_FORMAT_VERSION);
	CHECK(t->name && !strcmp(t->name, name));
	CHECK(t->ncols >= 1 && t->ncols <= LS_MAX_COLUMNS);
	CHECK(t->nmeta <= LS_MAX_META);
	for (c = 0; c < t->ncols; c++) {
		CHECK(is_field(t->cols[c]));
		CHECK(ls_table_col(t, t->cols[c]) == (int)c);
	}
	for (i = 0; i < t->nmeta; i++) {
		CHECK(is_field(t->meta[i].key) && is_field(t->meta[i].value));
		CHECK(ls_table_meta(t, t->meta[i].key) == t->meta[i].value);
	}
	for (r = 0; r < t->nrows; r++)
		for (c = 0; c < t->ncols; c++)
			CHECK(c + 1 == t->ncols && ls_col_list(t->cols[c]) ?
			      is_list(ls_table_cell(t, r, c)) :
			      is_field(ls_table_cell(t, r, c)));

	ls_print_table(devnull, t, "(none)");
	f = open_memstream(&out, &len);
	CHECK(f);
	ls_print_json(f, t);
	CHECK(!fclose(f));
	CHECK(len >= 2 && out[len - 1] == '\n');
	for (i = 0; i + 1 < len; i++)
		CHECK((unsigned char)out[i] >= 0x20);
	free(out);
	check_filters(t, name);
	ls_print_table(devnull, t, "(none)");
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	devnull = fopen("/dev/null", "w");
	CHECK(devnull);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *name = pick_name(data, size);
	struct ls_table t;
	struct ls_err e;
	int ret;

	memset(&e, 0, sizeof(e));
	ret = ls_table_parse_mem(&t, name, "fuzz", data, size, &e);
	CHECK(ret == 0 || ret == -1);
	if (ret) {
		CHECK(e.kind == LS_ERR_MALFORMED || e.kind == LS_ERR_VERSION);
		CHECK(e.msg[0]);
		CHECK(!strchr(e.msg, '\n'));
	} else {
		check_table(&t, name);
	}
	ls_table_free(&t);
	return 0;
}
