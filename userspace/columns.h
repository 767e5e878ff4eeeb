/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the reader knows about column names: which hold integers and which
 * hold prose (words joined by '_').  Shared by the parser, the table and
 * the JSON output so they always agree.
 */
#ifndef LS_COLUMNS_H
#define LS_COLUMNS_H

#include <stdbool.h>

/* Integer column: values are decimal integers or "-" (unknown). */
bool ls_col_numeric(const char *name);

/* Prose column: '_' is shown as ' ' in tables and JSON. */
bool ls_col_prose(const char *name);

/*
 * Flag column: values are the returned word (true) or the word of
 * ls_col_flag_no() (false), or "-" (unknown); JSON shows a boolean (null
 * when unknown).  regions "new": "new" or "-" (false, never unknown);
 * slab "reclaimable": "yes" or "no".  NULL if name is not a flag column.
 */
const char *ls_col_flag(const char *name);

/* The false word of a flag column ("-", "no"), or NULL. */
const char *ls_col_flag_no(const char *name);

/*
 * List column: the last column of a file, which takes every field left on
 * its line (stacks "frames").  The parser stores them joined by single
 * spaces; tables show one per line, JSON an array of strings.
 */
bool ls_col_list(const char *name);

/* "-" in any column means unknown / not available. */
bool ls_field_is_null(const char *s);

/* Strict decimal integer: -?[0-9]+ that fits in long long.  true if valid. */
bool ls_field_int(const char *s, long long *out);

/*
 * a + b, held at LLONG_MAX or LLONG_MIN instead of overflowing: a file
 * that is corrupt (or a fuzzer's) can hold any value in any column.
 */
long long ls_add_sat(long long a, long long b);

#endif /* LS_COLUMNS_H */
