// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers shared by the in-VM leakscope tests.  See ls_test_util.h.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ls_test_util.h"

const char * const ls_files[] = { "summary", "suspects", "control" };

const char * const ls_summary_items[] = {
	"Active(anon)", "Inactive(anon)", "AnonPages", "Mapped", "Shmem",
	"Unevictable", "Mlocked", "Slab", "SReclaimable", "SUnreclaim",
	"VmallocUsed", "KernelStack", "PageTables", "Unaccounted", "leakscope",
};

/* $@var when set and not empty, else @def. */
static const char *env_path(const char *var, const char *def)
{
	const char *p = getenv(var);

	return p && *p ? p : def;
}

int ls_load_path(const char *path, const char *params)
{
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, params ? params : "", 0);
	ret = ret ? -errno : 0;
	close(fd);
	return ret;
}

/* One delete_module(2) of module @name with O_NONBLOCK. 0 or -errno. */
static int unload_once(const char *name)
{
	return syscall(SYS_delete_module, name, O_NONBLOCK) ? -errno : 0;
}

const char *ls_ko_path(void)
{
	return env_path("LEAKSCOPE_KO", LS_KO_DEFAULT);
}

int ls_load(const char *params)
{
	return ls_load_path(ls_ko_path(), params);
}

int ls_unload_once(void)
{
	return unload_once(LS_MODNAME);
}

int ls_unload_retry(int timeout_ms)
{
	return ls_mod_unload_retry(LS_MODNAME, timeout_ms);
}

int ls_unload(void)
{
	int ret = ls_unload_retry(5000);

	return ret == -ENOENT ? 0 : ret;
}

bool ls_loaded(void)
{
	struct stat st;

	return stat("/sys/module/" LS_MODNAME, &st) == 0;
}

int ls_read_path(const char *path, char **out, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf, *nbuf;
	ssize_t r;
	int fd, err;

	*out = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	buf = malloc(cap);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	for (;;) {
		if (cap - n < 1024) {
			cap *= 2;
			nbuf = realloc(buf, cap);
			if (!nbuf) {
				err = -ENOMEM;
				goto fail;
			}
			buf = nbuf;
		}
		r = read(fd, buf + n, cap - n - 1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			goto fail;
		}
		if (r == 0)
			break;
		n += r;
	}
	close(fd);
	buf[n] = '\0';
	*out = buf;
	if (len)
		*len = n;
	return 0;
fail:
	close(fd);
	free(buf);
	return err;
}

int ls_read_file(const char *name, char **out)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", LS_DIR, name);
	return ls_read_path(path, out, NULL);
}

char *ls_next_line(char **pos)
{
	char *line = *pos, *nl;

	if (!*line)
		return NULL;
	nl = strchr(line, '\n');
	if (nl) {
		*nl = '\0';
		*pos = nl + 1;
	} else {
		*pos = line + strlen(line);
	}
	return line;
}

void ls_doc_free(struct ls_doc *d)
{
	free(d->raw);
	free(d->text);
	free(d->rows);
	memset(d, 0, sizeof(*d));
}

/* Split s at runs of spaces into at most max fields; returns the count. */
static int split_fields(char *s, char **f, int max)
{
	int n = 0;

	for (;;) {
		while (*s == ' ' || *s == '\t')
			*s++ = '\0';
		if (!*s)
			return n;
		if (n < max)
			f[n] = s;
		n++;
		while (*s && *s != ' ' && *s != '\t')
			s++;
	}
}

int ls_doc_parse(struct ls_doc *d, const char *text)
{
	char *f[LS_MAX_FIELDS + LS_MAX_KV];
	char *line, *next, *eq;
	int n, i, cap = 0;

	memset(d, 0, sizeof(*d));
	d->raw = strdup(text);
	d->text = strdup(text);
	if (!d->raw || !d->text) {
		snprintf(d->err, sizeof(d->err), "out of memory");
		return -EBADMSG;
	}
	if (!*text) {
		snprintf(d->err, sizeof(d->err), "empty file");
		return -EBADMSG;
	}
	if (text[strlen(text) - 1] != '\n') {
		snprintf(d->err, sizeof(d->err),
			 "last line not terminated by newline");
		return -EBADMSG;
	}

	/* Header: "# leakscope FILE v1 key=value..." */
	line = d->text;
	next = strchr(line, '\n');
	*next++ = '\0';
	n = split_fields(line, f, LS_MAX_FIELDS + LS_MAX_KV);
	if (n < 4 || strcmp(f[0], "#") || strcmp(f[1], "leakscope")) {
		snprintf(d->err, sizeof(d->err),
			 "header does not start with '# leakscope FILE vN'");
		return -EBADMSG;
	}
	if (n > 4 + LS_MAX_KV) {
		snprintf(d->err, sizeof(d->err), "header has %d fields", n);
		return -EBADMSG;
	}
	d->file = f[2];
	d->version = f[3];
	for (i = 4; i < n; i++) {
		eq = strchr(f[i], '=');
		if (!eq || eq == f[i]) {
			snprintf(d->err, sizeof(d->err),
				 "header token '%.40s' is not key=value", f[i]);
			return -EBADMSG;
		}
		*eq = '\0';
		d->kv[d->nkv].key = f[i];
		d->kv[d->nkv].val = eq + 1;
		d->nkv++;
	}

	/* Column line. */
	line = next;
	next = strchr(line, '\n');
	if (!next) {
		snprintf(d->err, sizeof(d->err), "no column line");
		return -EBADMSG;
	}
	*next++ = '\0';
	if (line[0] == '#') {
		snprintf(d->err, sizeof(d->err), "column line starts with '#'");
		return -EBADMSG;
	}
	n = split_fields(line, d->cols, LS_MAX_FIELDS);
	if (n < 1 || n > LS_MAX_FIELDS) {
		snprintf(d->err, sizeof(d->err), "column line has %d fields",
			 n);
		return -EBADMSG;
	}
	d->ncols = n;

	/* Rows. */
	for (line = next; *line; line = next) {
		struct ls_row *r;

		next = strchr(line, '\n');
		*next++ = '\0';
		if (d->nrows == cap) {
			struct ls_row *nr;

			cap = cap ? cap * 2 : 16;
			nr = realloc(d->rows, cap * sizeof(*nr));
			if (!nr) {
				snprintf(d->err, sizeof(d->err), "out of memory");
				return -EBADMSG;
			}
			d->rows = nr;
		}
		r = &d->rows[d->nrows];
		memset(r, 0, sizeof(*r));
		n = split_fields(line, r->f, LS_MAX_FIELDS);
		r->n = n > LS_MAX_FIELDS ? LS_MAX_FIELDS + 1 : n;
		d->nrows++;
	}
	return 0;
}

int ls_doc_load(struct ls_doc *d, const char *name)
{
	char *text;
	int ret;

	memset(d, 0, sizeof(*d));
	ret = ls_read_file(name, &text);
	if (ret) {
		snprintf(d->err, sizeof(d->err), "read %s/%s: %s", LS_DIR, name,
			 strerror(-ret));
		return ret;
	}
	ret = ls_doc_parse(d, text);
	free(text);
	return ret;
}

const char *ls_doc_kv(const struct ls_doc *d, const char *key)
{
	int i;

	for (i = 0; i < d->nkv; i++)
		if (!strcmp(d->kv[i].key, key))
			return d->kv[i].val;
	return NULL;
}

bool ls_parse_ll(const char *s, long long *out)
{
	char *end;

	if (!s || !*s || isspace((unsigned char)*s) || *s == '+')
		return false;
	errno = 0;
	*out = strtoll(s, &end, 10);
	return !errno && !*end;
}

int ls_cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

bool ls_doc_kv_num(const struct ls_doc *d, const char *key, long long *out)
{
	return ls_parse_ll(ls_doc_kv(d, key), out);
}

int ls_doc_col(const struct ls_doc *d, const char *name)
{
	int i;

	for (i = 0; i < d->ncols; i++)
		if (!strcmp(d->cols[i], name))
			return i;
	return -1;
}

const struct ls_row *ls_doc_row(const struct ls_doc *d, const char *key)
{
	int i;

	for (i = 0; i < d->nrows; i++)
		if (d->rows[i].n > 0 && !strcmp(d->rows[i].f[0], key))
			return &d->rows[i];
	return NULL;
}

const char *ls_row_field(const struct ls_doc *d, const struct ls_row *r,
			 const char *col)
{
	int i = ls_doc_col(d, col);

	if (!r || i < 0 || i >= r->n || i >= LS_MAX_FIELDS)
		return NULL;
	return r->f[i];
}

int ls_control_write(const void *buf, size_t len)
{
	ssize_t r;
	int fd;

	fd = open(LS_DIR "/control", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	r = write(fd, buf, len);
	if (r < 0) {
		r = -errno;
	} else if ((size_t)r != len) {
		fprintf(stderr, "# control: short write %zd of %zu\n", r, len);
		r = -EMSGSIZE;
	} else {
		r = 0;
	}
	close(fd);
	return r;
}

int ls_control_str(const char *s)
{
	return ls_control_write(s, strlen(s));
}

int ls_param_write(const char *name, const char *s)
{
	char path[256];
	ssize_t r;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", LS_PARAM_DIR, name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	r = write(fd, s, strlen(s));
	r = r < 0 ? -errno : 0;
	close(fd);
	return r;
}

int ls_param_read(const char *name, long long *out)
{
	char path[256], *text, *nl;
	int ret;

	snprintf(path, sizeof(path), "%s/%s", LS_PARAM_DIR, name);
	ret = ls_read_path(path, &text, NULL);
	if (ret)
		return ret;
	nl = strchr(text, '\n');
	if (nl)
		*nl = '\0';
	ret = ls_parse_ll(text, out) ? 0 : -EBADMSG;
	free(text);
	return ret;
}

int ls_control_settings(long long *interval_ms, long long *samples)
{
	const struct ls_row *r;
	struct ls_doc d;
	int ret;

	ret = ls_doc_load(&d, "control");
	if (ret)
		goto out;
	ret = -EBADMSG;
	r = ls_doc_row(&d, "interval_ms");
	if (!r || r->n != 2 || !ls_parse_ll(r->f[1], interval_ms))
		goto out;
	r = ls_doc_row(&d, "samples");
	if (!r || r->n != 2 || !ls_parse_ll(r->f[1], samples))
		goto out;
	ret = 0;
out:
	ls_doc_free(&d);
	return ret;
}

int ls_meminfo_read(struct ls_meminfo *m)
{
	char *text, *line, *next, *colon;
	long long v;
	size_t len;
	int ret;

	m->n = 0;
	ret = ls_read_path("/proc/meminfo", &text, &len);
	if (ret)
		return ret;
	snprintf(m->raw, sizeof(m->raw), "%s", text);
	next = text;
	while (m->n < 96 && (line = ls_next_line(&next))) {
		colon = strchr(line, ':');
		if (!colon || (size_t)(colon - line) >= sizeof(m->name[0]))
			continue;
		*colon = '\0';
		if (sscanf(colon + 1, "%lld", &v) != 1)
			continue;
		snprintf(m->name[m->n], sizeof(m->name[0]), "%s", line);
		m->kb[m->n] = v;
		m->n++;
	}
	free(text);
	return 0;
}

bool ls_meminfo_get(const struct ls_meminfo *m, const char *name,
		    long long *kb)
{
	int i;

	for (i = 0; i < m->n; i++) {
		if (!strcmp(m->name[i], name)) {
			*kb = m->kb[i];
			return true;
		}
	}
	return false;
}

void *ls_shared_map(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

long long ls_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

void ls_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

void ls_dump(const char *title, const char *text)
{
	const char *p = text ? text : "(null)";
	const char *nl;

	fprintf(stderr, "# --- %s ---\n", title);
	while (*p) {
		nl = strchr(p, '\n');
		if (!nl)
			nl = p + strlen(p);
		fprintf(stderr, "# %.*s\n", (int)(nl - p), p);
		p = *nl ? nl + 1 : nl;
	}
	fprintf(stderr, "# --- end %s ---\n", title);
}

void ls_dump_file(const char *name)
{
	char *text = NULL;

	ls_read_file(name, &text);
	ls_dump(name, text);
	free(text);
}

const char *ls_leaky_ko_path(void)
{
	return env_path("LEAKSCOPE_LEAKY_KO", LS_LEAKY_KO_DEFAULT);
}

int ls_leaky_load(const char *params)
{
	return ls_load_path(ls_leaky_ko_path(), params);
}

int ls_mod_unload_retry(const char *name, int timeout_ms)
{
	long long end = ls_now_ms() + timeout_ms;
	int ret;

	for (;;) {
		ret = unload_once(name);
		if (ret != -EAGAIN && ret != -EBUSY)
			return ret;
		if (ls_now_ms() >= end)
			return ret;
		ls_sleep_ms(2);
	}
}

bool ls_kernel_has_kasan(void)
{
	static int has = -1;
	char *text = NULL;

	if (has < 0) {
		has = !ls_read_path("/proc/kallsyms", &text, NULL) &&
		      strstr(text, " kasan_quarantine_put\n");
		free(text);
	}
	return has;
}

bool ls_mod_loaded(const char *name)
{
	char path[128];
	struct stat st;

	snprintf(path, sizeof(path), "/sys/module/%s", name);
	return stat(path, &st) == 0;
}

int ls_kmsg_open(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (lseek(fd, 0, SEEK_END) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

int ls_kmsg_wait(int fd, const char *needle, char *out, size_t len,
		 int timeout_ms)
{
	long long end = ls_now_ms() + timeout_ms;
	char rec[8192], *text, *nl;
	ssize_t r;

	for (;;) {
		r = read(fd, rec, sizeof(rec) - 1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EPIPE)	/* overwritten records: go on */
				continue;
			if (errno != EAGAIN)
				return -errno;
			if (ls_now_ms() >= end)
				return -ETIMEDOUT;
			ls_sleep_ms(10);
			continue;
		}
		rec[r] = '\0';
		text = strchr(rec, ';');
		if (!text)
			continue;
		text++;
		nl = strchr(text, '\n');
		if (nl)
			*nl = '\0';
		if (strstr(text, needle)) {
			snprintf(out, len, "%s", text);
			return 0;
		}
	}
}

void ls_as_words(char *dst, size_t len, const char *text)
{
	size_t n = 0;

	for (; *text && n + 2 < len; text++) {
		if (*text == '_')
			dst[n++] = '_';
		dst[n++] = *text == ' ' ? '_' : *text;
	}
	dst[n] = '\0';
}

bool ls_site_is(const char *site, const char *fn)
{
	size_t n = strlen(fn);

	return site && !strncmp(site, fn, n) && site[n] == '+';
}

const struct ls_row *ls_site_row(const struct ls_doc *d, const char *cls,
				 const char *fn)
{
	int i;

	for (i = 0; i < d->nrows; i++) {
		const char *c = ls_row_field(d, &d->rows[i], "class");

		if (c && (!cls || !strcmp(c, cls)) &&
		    ls_site_is(ls_row_field(d, &d->rows[i], "site"), fn))
			return &d->rows[i];
	}
	return NULL;
}

const char *ls_wait_growing(const char *cls, const char *fn, int ms)
{
	static char verdict[32];
	const struct ls_row *r;
	long long t0 = ls_now_ms();
	struct ls_doc d;

	do {
		if (ls_doc_load(&d, "callsites"))
			return NULL;
		r = ls_site_row(&d, cls, fn);
		snprintf(verdict, sizeof(verdict), "%s",
			 r ? ls_row_field(&d, r, "verdict") : "none");
		if (strcmp(verdict, "growing") && ls_now_ms() - t0 >= ms)
			ls_dump("callsites", d.raw);
		ls_doc_free(&d);
		if (!strcmp(verdict, "growing"))
			break;
		/* Never flat or shrinking on the way. */
		if (strcmp(verdict, "collecting") && strcmp(verdict, "none"))
			break;
		ls_sleep_ms(250);
	} while (ls_now_ms() - t0 < ms);
	printf("# %s: %s after %lld ms more\n", fn, verdict, ls_now_ms() - t0);
	fflush(stdout);
	return verdict;
}

int ls_run_reader(char **out, const char *a1, const char *a2, const char *a3)
{
	char path[] = "/tmp/ls-reader-XXXXXX";
	int fd = mkstemp(path), st;
	pid_t pid;

	if (fd < 0)
		return -1;
	pid = fork();
	if (pid < 0) {
		close(fd);
		unlink(path);
		return -1;
	}
	if (!pid) {
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
		execl("/bin/leakscope", "leakscope", a1, a2, a3, (char *)NULL);
		_exit(127);
	}
	close(fd);
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		st = -1;
	else
		st = WEXITSTATUS(st);
	if (out && ls_read_path(path, out, NULL))
		*out = NULL;
	unlink(path);
	return st;
}
