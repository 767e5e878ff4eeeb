// SPDX-License-Identifier: GPL-2.0
/*
 * The watch loop: load, remember, draw, sleep.  Rows are keyed (pid and
 * comm for procs, item for summary, caller for vmalloc, cache for slab) so
 * a sparkline follows its process, caller or cache.
 *
 * On a tty each refresh clears the screen and fits it; otherwise refreshes
 * follow one another, each after a blank line and a timestamp line.  With
 * --json each refresh is one JSON document on one line (NDJSON).
 *
 * SIGINT (and SIGTERM) are blocked except while sleeping in ppoll(), so a
 * signal ends the loop between refreshes and the exit status is 0.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include "columns.h"
#include "compiler.h"
#include "history.h"
#include "json.h"
#include "lsfile.h"
#include "sparkline.h"
#include "table.h"
#include "watch.h"

#define CLEAR_SCREEN	"\033[H\033[2J"
#define TTY_CHROME	4	/* timestamp, window, column names, "more" line */

struct ls_view {
	const char *file;
	const char *key[2];		/* key columns; key[1] may be NULL */
	const char *spark_col;		/* the column the sparkline draws */
	const char *spark_name;		/* the sparkline's column name */
	const char *const *show;	/* columns shown, when present */
	bool by_growth;			/* order rows by growth, largest first */
	const char *empty;
};

static const char * const procs_cols[] = {
	"pid", "comm", "vsz_kb", "anon_kb", "vsz_growth_kb", "anon_growth_kb",
	"vsz_rate_kb_min", "threads", "zombies", "stacks", "orphans", "verdict",
	NULL,
};

static const char * const cgroups_cols[] = {
	"processes", "threads", "anon_kb", "shmem_kb", "procs_growth",
	"anon_growth_kb", "anon_rate_kb_min", "verdict", "cgroup", NULL,
};

static const char * const summary_cols[] = {
	"item", "now_kb", "growth_kb", "rate_kb_min", "verdict", NULL,
};

static const char * const vmalloc_cols[] = {
	"areas", "size_kb", "growth_kb", "rate_kb_min", "verdict", "caller", NULL,
};

static const char * const slab_cols[] = {
	"cache", "objsize", "active_objs", "size_kb", "reclaimable",
	"growth_kb", "rate_kb_min", "verdict", NULL,
};

/*
 * vmalloc and slab keep the module's order: it already puts orphans first
 * and then the largest growth.
 */
static const struct ls_view views[] = {
	{ "procs", { "pid", "comm" }, "vsz_kb", "vsz_history", procs_cols, true,
	  "no processes" },
	{ "summary", { "item", NULL }, "now_kb", "now_history", summary_cols,
	  false, "no items" },
	/* The module's order: growth first. */
	{ "cgroups", { "cgroup", NULL }, "anon_kb", "anon_history",
	  cgroups_cols, false, "no cgroups" },
	{ "vmalloc", { "caller", NULL }, "size_kb", "size_history", vmalloc_cols,
	  false, "no vmalloc areas" },
	{ "slab", { "cache", NULL }, "size_kb", "size_history", slab_cols,
	  false, "no slab caches" },
};

/* set by the signal handler: the one place volatile is right */
static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static const struct ls_view *find_view(const char *file)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(views); i++)
		if (!strcmp(views[i].file, file))
			return &views[i];
	return NULL;
}

bool ls_watch_file_ok(const char *file)
{
	return find_view(file);
}

/* Everything one refresh needs, so the JSON hooks can reach it. */
struct refresh {
	const struct ls_view *v;
	const struct ls_table *t;
	struct ls_history *h;
	unsigned long n;		/* 1-based refresh number */
	struct timespec now;		/* CLOCK_REALTIME */
	unsigned int interval_ms;
	int key[2], spark;		/* column indexes */
};

static long long cell_int(const struct ls_table *t, size_t row, int col,
			  long long unknown)
{
	long long v;

	if (col < 0 || !ls_field_int(ls_table_cell(t, row, col), &v))
		return unknown;
	return v;
}

static int find_columns(struct refresh *r, struct ls_err *e)
{
	const char *need[3] = { r->v->key[0], r->v->key[1], r->v->spark_col };
	int idx[3] = { -1, -1, -1 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(need); i++) {
		if (!need[i])
			continue;
		idx[i] = ls_table_col(r->t, need[i]);
		if (idx[i] < 0) {
			ls_err_set(e, LS_ERR_MALFORMED,
				   "%s: no column '%s' (needed by watch)",
				   r->v->file, need[i]);
			return -1;
		}
	}
	r->key[0] = idx[0];
	r->key[1] = idx[1];
	r->spark = idx[2];
	return 0;
}

static int remember(struct refresh *r, struct ls_err *e)
{
	char key[LS_HIST_KEY];
	size_t i;

	if (ls_history_begin(r->h, r->t->nrows)) {
		ls_err_set(e, LS_ERR_SYSTEM, "out of memory");
		return -1;
	}
	for (i = 0; i < r->t->nrows; i++) {
		snprintf(key, sizeof(key), "%s%s%s",
			 ls_table_cell(r->t, i, r->key[0]),
			 r->key[1] >= 0 ? " " : "",
			 r->key[1] >= 0 ? ls_table_cell(r->t, i, r->key[1]) : "");
		ls_history_push(r->h, i, key,
				cell_int(r->t, i, r->spark, LS_SPARK_UNKNOWN));
	}
	return 0;
}

/* --- JSON --- */

static void json_row(FILE *f, size_t row, void *priv)
{
	const struct ls_hist_entry *h = ls_history_row(((struct refresh *)priv)->h, row);
	unsigned int i;

	fputs(",\"history\":[", f);
	for (i = 0; i < h->n; i++) {
		if (i)
			fputc(',', f);
		if (h->v[i] == LS_SPARK_UNKNOWN)
			fputs("null", f);
		else
			fprintf(f, "%lld", h->v[i]);
	}
	fputc(']', f);
}

static void json_doc(FILE *f, void *priv)
{
	const struct refresh *r = priv;
	long long ms = (long long)r->now.tv_sec * 1000 + r->now.tv_nsec / 1000000;

	fprintf(f, ",\"watch\":{\"refresh\":%lu,\"time_ms\":%lld,", r->n, ms);
	fprintf(f, "\"interval_ms\":%u,\"history_of\":", r->interval_ms);
	ls_json_string(f, r->v->spark_col, false);
	fputc('}', f);
}

/* --- table --- */

static const struct ls_table *sort_table;
static int sort_vsz, sort_anon;

static long long growth(size_t row)
{
	return ls_add_sat(cell_int(sort_table, row, sort_vsz, 0),
			  cell_int(sort_table, row, sort_anon, 0));
}

/* Largest growth first; ties keep the module's order (by pid). */
static int cmp_growth(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	long long gx = growth(x), gy = growth(y);

	if (gx != gy)
		return gx > gy ? -1 : 1;
	return x < y ? -1 : x > y;
}

static size_t tty_rows(void)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) || ws.ws_row <= TTY_CHROME)
		return 1;
	return ws.ws_row - TTY_CHROME;
}

static void print_stamp(FILE *f, const struct refresh *r, bool tty)
{
	char when[64];
	struct tm tm;

	localtime_r(&r->now.tv_sec, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
	fprintf(f, "%s  watch %s, refresh %lu, every %u.%u s%s\n", when,
		r->v->file, r->n, r->interval_ms / 1000,
		r->interval_ms % 1000 / 100, tty ? " (Ctrl-C quits)" : "");
}

static int print_view(FILE *f, struct refresh *r, bool tty, bool utf8,
		      struct ls_err *e)
{
	const struct ls_table *t = r->t;
	struct ls_table view = *t;
	size_t *order, shown, i, limit = tty ? tty_rows() : LS_WATCH_TOP;
	char *spark = NULL;
	const size_t slen = LS_SPARK_BUFLEN(LS_HIST_LEN);
	int cols[LS_MAX_COLUMNS];
	unsigned int nc = 0, c;
	int ret = -1;

	for (i = 0; r->v->show[i] && nc + 1 < LS_MAX_COLUMNS; i++) {
		int col = ls_table_col(t, r->v->show[i]);

		if (col >= 0) {
			cols[nc] = col;
			view.cols[nc++] = t->cols[col];
		}
	}
	view.cols[nc] = r->v->spark_name;
	view.ncols = nc + 1;
	view.buf = NULL;
	order = calloc(t->nrows ? t->nrows : 1, sizeof(*order));
	shown = t->nrows < limit ? t->nrows : limit;
	view.nrows = shown;
	view.cells = calloc(shown ? shown * view.ncols : 1, sizeof(*view.cells));
	spark = calloc(shown ? shown : 1, slen);
	if (!order || !view.cells || !spark) {
		ls_err_set(e, LS_ERR_SYSTEM, "out of memory");
		goto out;
	}
	for (i = 0; i < t->nrows; i++)
		order[i] = i;
	if (r->v->by_growth) {
		sort_table = t;
		sort_vsz = ls_table_col(t, "vsz_growth_kb");
		sort_anon = ls_table_col(t, "anon_growth_kb");
		qsort(order, t->nrows, sizeof(*order), cmp_growth);
	}
	for (i = 0; i < shown; i++) {
		const struct ls_hist_entry *h = ls_history_row(r->h, order[i]);
		const char **row = view.cells + i * view.ncols;

		for (c = 0; c < nc; c++)
			row[c] = ls_table_cell(t, order[i], cols[c]);
		if (!ls_sparkline(spark + i * slen, slen, h->v, h->n, utf8))
			snprintf(spark + i * slen, slen, "-");
		row[nc] = spark + i * slen;
	}
	if (tty)
		fputs(CLEAR_SCREEN, f);
	else if (r->n > 1)
		fputc('\n', f);
	print_stamp(f, r, tty);
	ls_print_table(f, &view, r->v->empty);
	if (shown < t->nrows)
		fprintf(f, "(%zu more not shown)\n", t->nrows - shown);
	ret = 0;
out:
	free(order);
	free(view.cells);
	free(spark);
	return ret;
}

/* --- loop --- */

static int refresh(struct refresh *r, const char *dir, bool real,
		   const struct ls_watch_opts *o, bool tty, bool utf8,
		   struct ls_err *e)
{
	struct ls_table t;
	int ret;

	if (ls_table_load(&t, dir, r->v->file, real, e)) {
		ls_table_free(&t);
		return -1;
	}
	r->t = &t;
	clock_gettime(CLOCK_REALTIME, &r->now);
	ret = find_columns(r, e) ?: remember(r, e);
	if (!ret) {
		if (o->json) {
			struct ls_json_ext ext = { json_row, json_doc, r };

			ls_print_json_ext(stdout, &t, &ext);
		} else {
			ret = print_view(stdout, r, tty, utf8, e);
		}
		ls_history_commit(r->h);
	}
	r->t = NULL;
	ls_table_free(&t);
	if (!ret && (fflush(stdout) || ferror(stdout))) {
		ls_err_set(e, LS_ERR_OUTPUT, "writing output: %s", strerror(errno));
		ret = -1;
	}
	return ret;
}

static void ts_add_ms(struct timespec *ts, unsigned int ms)
{
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (long)(ms % 1000) * 1000000;
	if (ts->tv_nsec >= 1000000000) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000;
	}
}

/* Sleep until *next (CLOCK_MONOTONIC) with SIGINT/SIGTERM let in. */
static void sleep_until(struct timespec *next, unsigned int interval_ms,
			const sigset_t *unblocked)
{
	struct timespec now, rel;

	ts_add_ms(next, interval_ms);
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		rel.tv_sec = next->tv_sec - now.tv_sec;
		rel.tv_nsec = next->tv_nsec - now.tv_nsec;
		if (rel.tv_nsec < 0) {
			rel.tv_sec--;
			rel.tv_nsec += 1000000000;
		}
		if (rel.tv_sec < 0) {
			/* fell behind (suspend, slow read): restart the beat */
			*next = now;
			return;
		}
		if (ppoll(NULL, 0, &rel, unblocked) == 0 || stop)
			return;
	}
}

int ls_watch(const char *dir, bool real, const struct ls_watch_opts *o)
{
	struct refresh r = { .v = find_view(o->file), .interval_ms = o->interval_ms };
	struct sigaction sa = { .sa_handler = on_signal };
	bool tty = !o->json && isatty(STDOUT_FILENO);
	bool utf8 = ls_env_utf8();
	struct ls_history h = { 0 };
	struct ls_err e = { 0 };
	struct timespec next;
	sigset_t block, old;
	int ret = 0;

	if (!r.v)
		return EXIT_FAILURE;
	r.h = &h;
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &old);
	sigdelset(&old, SIGINT);
	sigdelset(&old, SIGTERM);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	clock_gettime(CLOCK_MONOTONIC, &next);
	for (r.n = 1; !stop; r.n++) {
		if (refresh(&r, dir, real, o, tty, utf8, &e)) {
			fprintf(stderr, "leakscope: %s\n", e.msg);
			ret = EXIT_FAILURE;
			break;
		}
		if (o->count && r.n == o->count)
			break;
		sleep_until(&next, o->interval_ms, &old);
	}
	ls_history_free(&h);
	return ret;
}
