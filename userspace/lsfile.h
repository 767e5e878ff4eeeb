/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One leakscope debugfs file, loaded and validated into a table:
 *
 *   # leakscope FILE v1 key=value ...     header: name, format version, meta
 *   col1 col2 ...                         column names
 *   v1 v2 ...                             one record per line
 *
 * Fields are separated by runs of spaces (or tabs) and contain no whitespace;
 * a list column (columns.h), when it is the last, takes all the fields left
 * on its line, stored joined by single spaces.
 * Everything is bounded: file size, columns, header fields.
 */
#ifndef LS_LSFILE_H
#define LS_LSFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "errors.h"

#define LS_FORMAT_VERSION	1		/* the only format this reader knows */
#define LS_FILE_MAX		(16u << 20)	/* bytes; bigger files are refused */
#define LS_MAX_COLUMNS		32
#define LS_MAX_META		32

struct ls_kv {
	const char *key;
	const char *value;
};

struct ls_table {
	char *buf;		/* owned: the file's bytes, split in place */
	const char *name;	/* file name from the header */
	unsigned int version;	/* format version from the header */
	unsigned int nmeta;
	struct ls_kv meta[LS_MAX_META];
	unsigned int ncols;
	const char *cols[LS_MAX_COLUMNS];
	size_t nrows;
	const char **cells;	/* owned: nrows * ncols, row-major */
	size_t cells_cap;	/* rows allocated */
};

/*
 * Parse len bytes at buf (malloc'ed; owned by *t from now on, even on error)
 * as the file called name.  path is only used in error messages.
 * 0 on success; -1 with *e set (LS_ERR_MALFORMED or LS_ERR_VERSION).
 */
int ls_table_parse(struct ls_table *t, const char *name, const char *path,
		   char *buf, size_t len, struct ls_err *e);

/* Same, on a copy of the caller's bytes. */
int ls_table_parse_mem(struct ls_table *t, const char *name, const char *path,
		       const void *data, size_t len, struct ls_err *e);

/*
 * Read dir/name and parse it.  real: dir is the real debugfs directory
 * (enables the debugfs-mount and module checks in error messages).
 */
int ls_table_load(struct ls_table *t, const char *dir, const char *name,
		  bool real, struct ls_err *e);

void ls_table_free(struct ls_table *t);

/* Value of header field key, or NULL. */
const char *ls_table_meta(const struct ls_table *t, const char *key);

/* Index of column name, or -1. */
int ls_table_col(const struct ls_table *t, const char *name);

/* Keep the rows for which keep() is true, in their order; drop the rest. */
void ls_table_keep_rows(struct ls_table *t,
			bool (*keep)(const struct ls_table *t, size_t row,
				     const void *arg),
			const void *arg);

static inline const char *ls_table_cell(const struct ls_table *t, size_t row,
					unsigned int col)
{
	return t->cells[row * t->ncols + col];
}

#endif /* LS_LSFILE_H */
