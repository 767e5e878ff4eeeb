/* SPDX-License-Identifier: GPL-2.0 */
/* JSON output (schema_version 1) of one leakscope file. */
#ifndef LS_JSON_H
#define LS_JSON_H

#include <stdbool.h>
#include <stdio.h>

#include "lsfile.h"

#define LS_JSON_SCHEMA_VERSION 1

/*
 * {"schema_version":1,"file":"summary","format_version":1,
 *  "meta":{"interval_ms":1000,...,"caps_hit":[],"disabled":["a:b"]},
 *  "columns":["item",...],"rows":[{"item":"Shmem","now_kb":123,...},...]}
 * followed by a newline.  Integer columns and integer meta values are
 * numbers, "-" is null, list-valued meta (caps_hit, disabled) are arrays,
 * flag columns (regions "new") are true/false, list columns (stacks
 * "frames") arrays of strings.
 */
void ls_print_json(FILE *f, const struct ls_table *t);

/*
 * Extra members (watch): row() is called after each row's last member and
 * doc() after "rows"; each prints ",\"key\":value..." itself.
 */
struct ls_json_ext {
	void (*row)(FILE *f, size_t row, void *priv);
	void (*doc)(FILE *f, void *priv);
	void *priv;
};

void ls_print_json_ext(FILE *f, const struct ls_table *t,
		       const struct ls_json_ext *ext);

/*
 * A JSON string literal per RFC 8259: quotes, backslash and control
 * characters escaped; bytes that are not valid UTF-8 become \u00XX
 * (Latin-1).  prose: '_' becomes ' ', "__" becomes '_'.
 */
void ls_json_string(FILE *f, const char *s, bool prose);

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if invalid. */
int ls_utf8_len(const unsigned char *s);

#endif /* LS_JSON_H */
