// SPDX-License-Identifier: GPL-2.0
/* JSON output, one object per file; see json.h for the schema. */
#include <string.h>

#include "columns.h"
#include "compiler.h"
#include "json.h"

/* Header fields that hold comma-separated lists ("-" when empty). */
static const char * const list_keys[] = { "caps_hit", "disabled" };

int ls_utf8_len(const unsigned char *s)
{
	int n, i;
	unsigned int cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* overlong, surrogates, beyond U+10FFFF */
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

void ls_json_string(FILE *f, const char *str, bool prose)
{
	const unsigned char *s = (const unsigned char *)str;

	fputc('"', f);
	while (*s) {
		int n = ls_utf8_len(s);

		if (*s == '"' || *s == '\\') {
			fputc('\\', f);
			fputc(*s, f);
		} else if (*s == '\n') {
			fputs("\\n", f);
		} else if (*s == '\t') {
			fputs("\\t", f);
		} else if (*s == '\r') {
			fputs("\\r", f);
		} else if (prose && *s == '_' && s[1] == '_') {
			/* "__" is a '_' of its own ... */
			fputc('_', f);
			s++;
		} else if (prose && *s == '_') {
			/* ... and a single '_' joins two words. */
			fputc(' ', f);
		} else if (*s < 0x20 || *s == 0x7f || !n) {
			fprintf(f, "\\u%04x", *s);
			n = 1;
		} else {
			fwrite(s, 1, n, f);
			s += n;
			continue;
		}
		s++;
	}
	fputc('"', f);
}

static bool is_list_key(const char *key)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(list_keys); i++)
		if (!strcmp(key, list_keys[i]))
			return true;
	return false;
}

static void print_list(FILE *f, const char *v)
{
	const char *p = v;
	bool first = true;

	fputc('[', f);
	while (!ls_field_is_null(v) && *p) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		char item[256];

		if (n) {
			if (n >= sizeof(item))
				n = sizeof(item) - 1;
			memcpy(item, p, n);
			item[n] = '\0';
			if (!first)
				fputc(',', f);
			ls_json_string(f, item, false);
			first = false;
		}
		p += comma ? (size_t)(comma - p) + 1 : strlen(p);
	}
	fputc(']', f);
}

/* A list column's items (joined by single spaces) as an array of strings. */
static void print_items(FILE *f, const char *v)
{
	char item[1024];	/* a frame: symbol, offsets, module */
	bool first = true;

	fputc('[', f);
	while (*v) {
		size_t n = strcspn(v, " ");

		if (n) {
			if (n >= sizeof(item))
				n = sizeof(item) - 1;
			memcpy(item, v, n);
			item[n] = '\0';
			if (!first)
				fputc(',', f);
			ls_json_string(f, item, false);
			first = false;
		}
		v += strcspn(v, " ");
		if (*v)
			v++;
	}
	fputc(']', f);
}

/*
 * A flag column as a boolean (null when unknown), an integer as a number,
 * "-" as null, anything else as a string.
 */
static void print_value(FILE *f, const char *v, bool numeric, bool prose,
			const char *flag, const char *no)
{
	long long n;

	if (flag && !strcmp(v, flag))
		fputs("true", f);
	else if (flag && !strcmp(v, no))
		fputs("false", f);
	else if (ls_field_is_null(v))
		fputs("null", f);
	else if (numeric && ls_field_int(v, &n))
		fprintf(f, "%lld", n);
	else
		ls_json_string(f, v, prose);
}

void ls_print_json(FILE *f, const struct ls_table *t)
{
	ls_print_json_ext(f, t, NULL);
}

void ls_print_json_ext(FILE *f, const struct ls_table *t,
		       const struct ls_json_ext *ext)
{
	unsigned int i, c;
	size_t r;

	fprintf(f, "{\"schema_version\":%d,\"file\":", LS_JSON_SCHEMA_VERSION);
	ls_json_string(f, t->name, false);
	fprintf(f, ",\"format_version\":%u,\"meta\":{", t->version);
	for (i = 0; i < t->nmeta; i++) {
		const struct ls_kv *kv = &t->meta[i];

		if (i)
			fputc(',', f);
		ls_json_string(f, kv->key, false);
		fputc(':', f);
		if (is_list_key(kv->key))
			print_list(f, kv->value);
		else
			print_value(f, kv->value, true, false, NULL, NULL);
	}
	fputs("},\"columns\":[", f);
	for (c = 0; c < t->ncols; c++) {
		if (c)
			fputc(',', f);
		ls_json_string(f, t->cols[c], false);
	}
	fputs("],\"rows\":[", f);
	for (r = 0; r < t->nrows; r++) {
		fputs(r ? ",{" : "{", f);
		for (c = 0; c < t->ncols; c++) {
			if (c)
				fputc(',', f);
			ls_json_string(f, t->cols[c], false);
			fputc(':', f);
			if (ls_col_list(t->cols[c])) {
				print_items(f, ls_table_cell(t, r, c));
				continue;
			}
			print_value(f, ls_table_cell(t, r, c),
				    ls_col_numeric(t->cols[c]),
				    ls_col_prose(t->cols[c]),
				    ls_col_flag(t->cols[c]),
				    ls_col_flag_no(t->cols[c]));
		}
		if (ext && ext->row)
			ext->row(f, r, ext->priv);
		fputc('}', f);
	}
	fputc(']', f);
	if (ext && ext->doc)
		ext->doc(f, ext->priv);
	fputs("}\n", f);
}
