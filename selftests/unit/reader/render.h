/* SPDX-License-Identifier: GPL-2.0 */
/* Host tests of the reader: a file's text as the reader prints it. */
#ifndef LS_TEST_RENDER_H
#define LS_TEST_RENDER_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "lsfile.h"
#include "table.h"

/*
 * Parse @text as file @name and print it as JSON or as a table (@empty:
 * what a table with no row says); malloc'ed.  NULL when it does not parse:
 * why is copied to @err or, when @err is NULL, printed to stderr.
 */
static char *render(const char *name, const char *text, bool json,
		    const char *empty, char *err, size_t errlen)
{
	struct ls_table t;
	struct ls_err e = { 0 };
	char *out = NULL;
	size_t len = 0;
	FILE *f;

	if (ls_table_parse_mem(&t, name, "F", text, strlen(text), &e)) {
		if (err)
			snprintf(err, errlen, "%s", e.msg);
		else
			fprintf(stderr, "parse: %s\n", e.msg);
		ls_table_free(&t);
		return NULL;
	}
	f = open_memstream(&out, &len);
	if (json)
		ls_print_json(f, &t);
	else
		ls_print_table(f, &t, empty);
	fclose(f);
	ls_table_free(&t);
	return out;
}

#endif /* LS_TEST_RENDER_H */
