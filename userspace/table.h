/* SPDX-License-Identifier: GPL-2.0 */
/* Human output: a one-line window summary and an aligned table. */
#ifndef LS_TABLE_H
#define LS_TABLE_H

#include <stdio.h>

#include "lsfile.h"

/*
 * Print t: a line describing the sampling window, then the column names and
 * records in aligned columns (integer columns right-aligned, '_' shown as
 * ' ' in prose columns; the items of a last list column one per line, each
 * under the first).  With no records, print empty instead of the
 * column names when it is not NULL.
 */
void ls_print_table(FILE *f, const struct ls_table *t, const char *empty);

#endif /* LS_TABLE_H */
