// SPDX-License-Identifier: GPL-2.0
/*
 * Load and validate one leakscope debugfs file.  Strict on purpose: the
 * module writes these files, so anything unexpected is a bug or a version
 * mismatch and is reported with file and line rather than guessed around.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "columns.h"
#include "lsfile.h"

/* Keep quoted file content short so messages stay one readable line. */
#define QUOTE_MAX	40

static bool is_sep(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * Split line in place into at most max tokens.  Returns the number of
 * tokens, or max + 1 if there are more.
 */
static unsigned int split(char *line, char **tok, unsigned int max)
{
	unsigned int n = 0;
	char *p = line;

	for (;;) {
		while (is_sep(*p))
			p++;
		if (!*p)
			return n;
		if (n == max)
			return max + 1;
		tok[n++] = p;
		while (*p && !is_sep(*p))
			p++;
		if (*p)
			*p++ = '\0';
	}
}

/*
 * The rest of a line, from p, as one field: its fields joined by single
 * spaces, in place.  NULL when nothing is left.
 */
static char *join_rest(char *p)
{
	char *out, *start;

	while (is_sep(*p))
		p++;
	if (!*p)
		return NULL;
	start = p;
	out = p;
	while (*p) {
		while (*p && !is_sep(*p))
			*out++ = *p++;
		while (is_sep(*p))
			p++;
		if (*p)
			*out++ = ' ';
	}
	*out = '\0';
	return start;
}

/*
 * split() for a line whose last of max fields is a list column: the first
 * max - 1 fields, then the rest of the line as one (join_rest()).
 */
static unsigned int split_list(char *line, char **tok, unsigned int max)
{
	unsigned int n = 0;
	char *p = line;

	while (n + 1 < max) {
		while (is_sep(*p))
			p++;
		if (!*p)
			return n;
		tok[n++] = p;
		while (*p && !is_sep(*p))
			p++;
		if (*p)
			*p++ = '\0';
	}
	tok[n] = join_rest(p);
	return tok[n] ? n + 1 : n;
}

static int bad(struct ls_err *e, const char *path, unsigned int line,
	       const char *what, const char *arg)
{
	if (arg)
		ls_err_set(e, LS_ERR_MALFORMED, "%s:%u: %s '%.*s'", path, line,
			   what, QUOTE_MAX, arg);
	else
		ls_err_set(e, LS_ERR_MALFORMED, "%s:%u: %s", path, line, what);
	return -1;
}

static int check_chars(const char *line, size_t len, const char *path,
		       unsigned int lineno, struct ls_err *e)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = line[i];

		if (c == '\r') {
			ls_err_set(e, LS_ERR_MALFORMED,
				   "%s:%u: carriage return in line (CRLF line endings?)",
				   path, lineno);
			return -1;
		}
		if ((c < 0x20 && c != '\t') || c == 0x7f) {
			ls_err_set(e, LS_ERR_MALFORMED,
				   "%s:%u: control character 0x%02x", path,
				   lineno, c);
			return -1;
		}
	}
	return 0;
}

/* "v1" -> 1; digits only, at most 9 of them. */
static int parse_version(const char *s, unsigned int *out)
{
	unsigned int v = 0, n = 0;

	if (*s++ != 'v')
		return -1;
	for (; *s; s++, n++) {
		if (*s < '0' || *s > '9' || n == 9)
			return -1;
		v = v * 10 + (*s - '0');
	}
	if (!n)
		return -1;
	*out = v;
	return 0;
}

static int parse_header(struct ls_table *t, char *line, const char *name,
			const char *path, struct ls_err *e)
{
	char *tok[LS_MAX_META + 5];
	unsigned int n, i, j;

	n = split(line, tok, LS_MAX_META + 4);
	if (n < 3 || strcmp(tok[0], "#") || strcmp(tok[1], "leakscope")) {
		ls_err_set(e, LS_ERR_MALFORMED,
			   "%s:1: missing header (expected '# leakscope %s v%d ...')",
			   path, name, LS_FORMAT_VERSION);
		return -1;
	}
	if (strcmp(tok[2], name)) {
		ls_err_set(e, LS_ERR_MALFORMED,
			   "%s:1: header names file '%.*s', expected '%s'",
			   path, QUOTE_MAX, tok[2], name);
		return -1;
	}
	t->name = tok[2];
	if (n < 4 || parse_version(tok[3], &t->version))
		return bad(e, path, 1, "bad format version", n < 4 ? "" : tok[3]);
	if (t->version > LS_FORMAT_VERSION) {
		ls_err_set(e, LS_ERR_VERSION,
			   "%s: format v%u is newer than this reader understands (v%d): upgrade leakscope",
			   path, t->version, LS_FORMAT_VERSION);
		return -1;
	}
	if (t->version != LS_FORMAT_VERSION) {
		ls_err_set(e, LS_ERR_VERSION,
			   "%s: unknown format version v%u (this reader understands v%d)",
			   path, t->version, LS_FORMAT_VERSION);
		return -1;
	}
	if (n > LS_MAX_META + 4)
		return bad(e, path, 1, "too many header fields", NULL);
	for (i = 4; i < n; i++) {
		struct ls_kv *kv = &t->meta[t->nmeta];
		char *eq = strchr(tok[i], '=');

		if (!eq || eq == tok[i] || !eq[1])
			return bad(e, path, 1, "bad header field (expected key=value)",
				   tok[i]);
		*eq = '\0';
		kv->key = tok[i];
		kv->value = eq + 1;
		for (j = 0; j < t->nmeta; j++)
			if (!strcmp(t->meta[j].key, kv->key))
				return bad(e, path, 1, "duplicate header field",
					   kv->key);
		t->nmeta++;
	}
	return 0;
}

static bool valid_col_name(const char *s)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

static int parse_columns(struct ls_table *t, char *line, const char *path,
			 struct ls_err *e)
{
	char *tok[LS_MAX_COLUMNS + 1];
	unsigned int n, i, j;

	if (line[0] == '#')
		return bad(e, path, 2, "expected column names, found a comment line",
			   NULL);
	n = split(line, tok, LS_MAX_COLUMNS);
	if (!n)
		return bad(e, path, 2, "empty column-name line", NULL);
	if (n > LS_MAX_COLUMNS)
		return bad(e, path, 2, "too many columns", NULL);
	for (i = 0; i < n; i++) {
		if (!valid_col_name(tok[i]))
			return bad(e, path, 2, "bad column name", tok[i]);
		for (j = 0; j < i; j++)
			if (!strcmp(tok[i], tok[j]))
				return bad(e, path, 2, "duplicate column",
					   tok[i]);
		t->cols[i] = tok[i];
	}
	t->ncols = n;
	return 0;
}

static int parse_record(struct ls_table *t, char *line, unsigned int lineno,
			const char *path, struct ls_err *e)
{
	char *tok[LS_MAX_COLUMNS + 1];
	const char **row;
	unsigned int n, i;
	long long v;

	if (ls_col_list(t->cols[t->ncols - 1]))
		n = split_list(line, tok, t->ncols);
	else
		n = split(line, tok, t->ncols);
	if (!n)
		return bad(e, path, lineno, "empty line", NULL);
	if (n != t->ncols) {
		ls_err_set(e, LS_ERR_MALFORMED, "%s:%u: %s%u fields, expected %u",
			   path, lineno, n > t->ncols ? "more than " : "",
			   n > t->ncols ? t->ncols : n, t->ncols);
		return -1;
	}
	for (i = 0; i < n; i++) {
		const char *flag = ls_col_flag(t->cols[i]);
		const char *no = ls_col_flag_no(t->cols[i]);

		if (flag && !ls_field_is_null(tok[i]) && strcmp(tok[i], flag) &&
		    strcmp(tok[i], no)) {
			if (ls_field_is_null(no))
				ls_err_set(e, LS_ERR_MALFORMED,
					   "%s:%u: column %s: '%.*s' is neither '%s' nor '-'",
					   path, lineno, t->cols[i], QUOTE_MAX,
					   tok[i], flag);
			else
				ls_err_set(e, LS_ERR_MALFORMED,
					   "%s:%u: column %s: '%.*s' is not '%s', '%s' or '-'",
					   path, lineno, t->cols[i], QUOTE_MAX,
					   tok[i], flag, no);
			return -1;
		}
		if (!ls_col_numeric(t->cols[i]) || ls_field_is_null(tok[i]) ||
		    ls_field_int(tok[i], &v))
			continue;
		ls_err_set(e, LS_ERR_MALFORMED,
			   "%s:%u: column %s: '%.*s' is not an integer", path,
			   lineno, t->cols[i], QUOTE_MAX, tok[i]);
		return -1;
	}
	if (t->nrows == t->cells_cap) {
		size_t cap = t->cells_cap ? t->cells_cap * 2 : 16;
		const char **cells = reallocarray(t->cells, cap * t->ncols,
						  sizeof(*cells));

		if (!cells) {
			ls_err_set(e, LS_ERR_MALFORMED, "%s: out of memory", path);
			return -1;
		}
		t->cells = cells;
		t->cells_cap = cap;
	}
	row = t->cells + t->nrows * t->ncols;
	for (i = 0; i < n; i++)
		row[i] = tok[i];
	t->nrows++;
	return 0;
}

int ls_table_parse(struct ls_table *t, const char *name, const char *path,
		   char *buf, size_t len, struct ls_err *e)
{
	unsigned int lineno = 0;
	size_t pos = 0;

	memset(t, 0, sizeof(*t));
	t->buf = buf;
	if (len > LS_FILE_MAX) {
		ls_err_set(e, LS_ERR_MALFORMED, "%s: larger than %u MiB: refused",
			   path, LS_FILE_MAX >> 20);
		return -1;
	}
	if (!len) {
		ls_err_set(e, LS_ERR_MALFORMED,
			   "%s: empty file (expected '# leakscope %s v%d ...')",
			   path, name, LS_FORMAT_VERSION);
		return -1;
	}
	while (pos < len) {
		char *line = buf + pos;
		char *nl = memchr(line, '\n', len - pos);
		int ret;

		lineno++;
		if (!nl)
			return bad(e, path, lineno,
				   "no newline at end of file (truncated?)", NULL);
		*nl = '\0';
		pos = nl + 1 - buf;
		if (check_chars(line, nl - line, path, lineno, e))
			return -1;
		if (lineno == 1)
			ret = parse_header(t, line, name, path, e);
		else if (lineno == 2)
			ret = parse_columns(t, line, path, e);
		else
			ret = parse_record(t, line, lineno, path, e);
		if (ret)
			return ret;
	}
	if (lineno < 2)
		return bad(e, path, lineno + 1, "missing column-name line", NULL);
	return 0;
}

int ls_table_parse_mem(struct ls_table *t, const char *name, const char *path,
		       const void *data, size_t len, struct ls_err *e)
{
	char *buf = malloc(len ? len : 1);

	if (!buf) {
		memset(t, 0, sizeof(*t));
		ls_err_set(e, LS_ERR_MALFORMED, "%s: out of memory", path);
		return -1;
	}
	memcpy(buf, data, len);
	return ls_table_parse(t, name, path, buf, len, e);
}

/*
 * Read at most LS_FILE_MAX + 1 bytes of fd (debugfs files report size 0).
 * 0 or -errno.
 */
static int read_all(int fd, char **out, size_t *outlen)
{
	size_t cap = 64 << 10, len = 0;
	char *buf = malloc(cap), *nbuf;
	ssize_t n;

	if (!buf)
		return -ENOMEM;
	for (;;) {
		if (len == cap) {
			if (cap > LS_FILE_MAX)
				break;
			cap *= 2;
			if (cap > (size_t)LS_FILE_MAX + 1)
				cap = (size_t)LS_FILE_MAX + 1;
			nbuf = realloc(buf, cap);
			if (!nbuf) {
				free(buf);
				return -ENOMEM;
			}
			buf = nbuf;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int err = errno;

			free(buf);
			return -err;
		}
		if (!n)
			break;
		len += n;
	}
	*out = buf;
	*outlen = len;
	return 0;
}

int ls_table_load(struct ls_table *t, const char *dir, const char *name,
		  bool real, struct ls_err *e)
{
	char path[PATH_MAX];
	size_t len = 0;
	char *buf = NULL;
	int fd, err;

	memset(t, 0, sizeof(*t));
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path)) {
		ls_err_set(e, LS_ERR_SYSTEM, "%s/%s: path too long", dir, name);
		return -1;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ls_err_from_errno(e, errno, real, dir, path);
		return -1;
	}
	err = read_all(fd, &buf, &len);
	close(fd);
	if (err) {
		ls_err_from_errno(e, -err, real, dir, path);
		return -1;
	}
	return ls_table_parse(t, name, path, buf, len, e);
}

void ls_table_free(struct ls_table *t)
{
	free(t->cells);
	free(t->buf);
	memset(t, 0, sizeof(*t));
}

const char *ls_table_meta(const struct ls_table *t, const char *key)
{
	unsigned int i;

	for (i = 0; i < t->nmeta; i++)
		if (!strcmp(t->meta[i].key, key))
			return t->meta[i].value;
	return NULL;
}

int ls_table_col(const struct ls_table *t, const char *name)
{
	unsigned int i;

	for (i = 0; i < t->ncols; i++)
		if (!strcmp(t->cols[i], name))
			return i;
	return -1;
}

void ls_table_keep_rows(struct ls_table *t,
			bool (*keep)(const struct ls_table *t, size_t row,
				     const void *arg),
			const void *arg)
{
	size_t r, out = 0;

	for (r = 0; r < t->nrows; r++) {
		if (!keep(t, r, arg))
			continue;
		if (out != r)
			memcpy(t->cells + out * t->ncols,
			       t->cells + r * t->ncols,
			       t->ncols * sizeof(*t->cells));
		out++;
	}
	t->nrows = out;
}
