// SPDX-License-Identifier: GPL-2.0
/*
 * Every debugfs file is readable, has the v1 header with the right FILE and
 * keys, a column line, and rows with the right number of fields; summary
 * holds the 14 items in order; the modes are 0400 and 0600.  The procs
 * file streams one report per open, whatever the size of the reads.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ls_test_util.h"

static const char * const header_keys[] = {
	"interval_ms", "samples", "held", "window_ms", "self_kb", "caps_hit",
	"disabled",
};

struct file_spec {
	const char *name;
	mode_t mode;
	const char *cols;	/* the column line, fields joined by ' ' */
};

static const struct file_spec specs[] = {
	{ "summary", 0400,
	  "item now_kb growth_kb rate_kb_min persist_pct verdict next" },
	{ "suspects", 0400,
	  "rank kind subject growth_kb rate_kb_min persist_pct evidence next" },
	{ "control", 0600, "setting value" },
};

/* "-" or a comma-separated list of [a-z0-9_:]+ words. */
static bool list_ok(const char *v)
{
	const char *p;
	bool word = false;

	if (!strcmp(v, "-"))
		return true;
	for (p = v; *p; p++) {
		if (*p == ',') {
			if (!word)
				return false;
			word = false;
		} else if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
			   *p == '_' || *p == ':' || *p == '-') {
			word = true;
		} else {
			return false;
		}
	}
	return word;
}

/*
 * interval_ms samples held window_ms self_kb: numbers (self_kb above 0:
 * a loaded leakscope holds its tables); caps_hit disabled: lists.
 */
static bool check_kv(struct __test_metadata *_metadata, const char *file,
		     const struct ls_kv *kv, size_t k)
{
	long long v;

	if (k < 5 && (!ls_parse_ll(kv->val, &v) || v < 0 || (k == 4 && !v))) {
		TH_LOG("%s: header %s='%s' is not a number%s", file, kv->key,
		       kv->val, k == 4 ? " above 0" : "");
		return false;
	}
	if (k >= 5 && !list_ok(kv->val)) {
		TH_LOG("%s: header %s='%s' is not '-' or a list", file, kv->key,
		       kv->val);
		return false;
	}
	return true;
}

/* Checks common to every file; returns false (after logging) on failure. */
static bool check_doc(struct __test_metadata *_metadata, const struct ls_doc *d,
		      const struct file_spec *s)
{
	char cols[256] = "";
	size_t j, k;
	int i;

	if (strcmp(d->file, s->name) || strcmp(d->version, "v1")) {
		TH_LOG("%s: header names '%s %s', want '%s v1'", s->name,
		       d->file, d->version, s->name);
		return false;
	}
	/*
	 * The six keys of the spec, each once, in this order.  Other keys
	 * (a reader looks keys up by name) are allowed and shown.
	 */
	for (i = 0, k = 0; i < d->nkv; i++) {
		if (k < ARRAY_SIZE(header_keys) &&
		    !strcmp(d->kv[i].key, header_keys[k])) {
			if (!check_kv(_metadata, s->name, &d->kv[i], k))
				return false;
			k++;
			continue;
		}
		for (j = 0; j < ARRAY_SIZE(header_keys); j++) {
			if (!strcmp(d->kv[i].key, header_keys[j])) {
				TH_LOG("%s: header key '%s' twice or out of order",
				       s->name, d->kv[i].key);
				return false;
			}
		}
		ksft_print_msg("%s: extra header key %s=%s\n", s->name,
			       d->kv[i].key, d->kv[i].val);
	}
	if (k != ARRAY_SIZE(header_keys)) {
		TH_LOG("%s: header lacks key '%s'", s->name, header_keys[k]);
		return false;
	}
	for (i = 0; i < d->ncols; i++) {
		strcat(cols, i ? " " : "");
		strncat(cols, d->cols[i], sizeof(cols) - strlen(cols) - 2);
	}
	if (strcmp(cols, s->cols)) {
		TH_LOG("%s: columns '%s', want '%s'", s->name, cols, s->cols);
		return false;
	}
	for (i = 0; i < d->nrows; i++) {
		if (d->rows[i].n != d->ncols) {
			TH_LOG("%s: row %d has %d fields, want %d", s->name,
			       i + 1, d->rows[i].n, d->ncols);
			return false;
		}
	}
	return true;
}

static bool numeric_or_dash(const char *s)
{
	long long v;

	return !strcmp(s, "-") || ls_parse_ll(s, &v);
}

static bool check_summary(struct __test_metadata *_metadata,
			  const struct ls_doc *d)
{
	static const char * const verdicts[] = {
		"collecting", "steady", "growing", "disabled",
	};
	const struct ls_row *r;
	long long v;
	size_t k;
	int i, c;

	if (d->nrows != LS_NR_SUMMARY_ITEMS) {
		TH_LOG("summary: %d rows, want %d", d->nrows,
		       LS_NR_SUMMARY_ITEMS);
		return false;
	}
	for (i = 0; i < LS_NR_SUMMARY_ITEMS; i++) {
		r = &d->rows[i];
		if (strcmp(r->f[0], ls_summary_items[i])) {
			TH_LOG("summary: row %d is '%s', want '%s'", i + 1,
			       r->f[0], ls_summary_items[i]);
			return false;
		}
		for (c = 1; c <= 4; c++) {
			if (!numeric_or_dash(r->f[c])) {
				TH_LOG("summary: %s %s='%s' not a number or '-'",
				       r->f[0], d->cols[c], r->f[c]);
				return false;
			}
		}
		if (ls_parse_ll(r->f[1], &v) && v < 0 &&
		    strcmp(r->f[0], "Unaccounted")) {
			TH_LOG("summary: %s now_kb=%lld < 0", r->f[0], v);
			return false;
		}
		for (k = 0; k < ARRAY_SIZE(verdicts); k++)
			if (!strcmp(r->f[5], verdicts[k]))
				break;
		if (k == ARRAY_SIZE(verdicts)) {
			TH_LOG("summary: %s verdict '%s' unknown", r->f[0],
			       r->f[5]);
			return false;
		}
	}
	return true;
}

static bool check_suspects(struct __test_metadata *_metadata,
			   const struct ls_doc *d)
{
	static const char * const kinds[] = {
		"thread-stack-leak", "anon-growth", "shmem-growth",
		"mlock-growth", "slab-growth", "vmalloc-growth",
		"vmalloc-orphan", "unaccounted-growth", "thread-growth",
		"zombie-growth", "mapping-growth", "task-growth",
	};
	const struct ls_row *r;
	long long v;
	size_t k;
	int i, c;

	for (i = 0; i < d->nrows; i++) {
		r = &d->rows[i];
		if (!ls_parse_ll(r->f[0], &v) || v != i + 1) {
			TH_LOG("suspects: row %d has rank '%s'", i + 1, r->f[0]);
			return false;
		}
		for (k = 0; k < ARRAY_SIZE(kinds); k++)
			if (!strcmp(r->f[1], kinds[k]))
				break;
		if (k == ARRAY_SIZE(kinds)) {
			TH_LOG("suspects: row %d kind '%s' unknown", i + 1,
			       r->f[1]);
			return false;
		}
		for (c = 3; c <= 5; c++) {
			if (!numeric_or_dash(r->f[c])) {
				TH_LOG("suspects: row %d %s='%s' not a number",
				       i + 1, d->cols[c], r->f[c]);
				return false;
			}
		}
	}
	return true;
}

static bool check_control(struct __test_metadata *_metadata,
			  const struct ls_doc *d)
{
	long long v;

	int i;

	/*
	 * The spec's rows are interval_ms and samples, first; DESIGN.md adds
	 * more settings (pid) later, so further "name value" rows are allowed.
	 */
	if (d->nrows < 2 || strcmp(d->rows[0].f[0], "interval_ms") ||
	    strcmp(d->rows[1].f[0], "samples")) {
		TH_LOG("control: want rows 'interval_ms N' and 'samples N' first");
		return false;
	}
	for (i = 2; i < d->nrows; i++) {
		if (strspn(d->rows[i].f[0], "abcdefghijklmnopqrstuvwxyz_") !=
		    strlen(d->rows[i].f[0])) {
			TH_LOG("control: row %d names setting '%s'", i + 1,
			       d->rows[i].f[0]);
			return false;
		}
		ksft_print_msg("control: extra setting row '%s %s'\n",
			       d->rows[i].f[0], d->rows[i].f[1]);
	}
	if (!ls_parse_ll(d->rows[0].f[1], &v) || v != 1000 ||
	    strcmp(d->rows[0].f[1], ls_doc_kv(d, "interval_ms"))) {
		TH_LOG("control: interval_ms '%s' (header '%s'), want default 1000",
		       d->rows[0].f[1], ls_doc_kv(d, "interval_ms"));
		return false;
	}
	if (!ls_parse_ll(d->rows[1].f[1], &v) || v != 64 ||
	    strcmp(d->rows[1].f[1], ls_doc_kv(d, "samples"))) {
		TH_LOG("control: samples '%s' (header '%s'), want default 64",
		       d->rows[1].f[1], ls_doc_kv(d, "samples"));
		return false;
	}
	return true;
}

FIXTURE(files) {
	int unused;
};

FIXTURE_SETUP(files)
{
	int ret;

	ASSERT_EQ(0, ls_unload());
	ret = ls_load("");
	ASSERT_EQ(0, ret) TH_LOG("load %s: %s", ls_ko_path(), strerror(-ret));
}

FIXTURE_TEARDOWN(files)
{
	EXPECT_EQ(0, ls_unload());
}

TEST_F(files, modes)
{
	char path[256];
	struct stat st;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(specs); i++) {
		snprintf(path, sizeof(path), "%s/%s", LS_DIR, specs[i].name);
		ASSERT_EQ(0, stat(path, &st)) TH_LOG("stat %s: %s", path,
						     strerror(errno));
		EXPECT_EQ(specs[i].mode, st.st_mode & 07777)
			TH_LOG("%s: mode %04o, want %04o", path,
			       st.st_mode & 07777, specs[i].mode);
		EXPECT_TRUE(S_ISREG(st.st_mode));
	}
}

TEST_F(files, format)
{
	struct ls_doc d;
	bool ok;
	size_t i;
	int ret;

	/* A fresh load may not have its first sample yet: take one. */
	ASSERT_EQ(0, ls_control_str("sample"));
	for (i = 0; i < ARRAY_SIZE(specs); i++) {
		ret = ls_doc_load(&d, specs[i].name);
		if (ret) {
			ls_dump(specs[i].name, d.raw);
			ls_doc_free(&d);
			ASSERT_EQ(0, ret) TH_LOG("%s: %s", specs[i].name, d.err);
		}
		ok = check_doc(_metadata, &d, &specs[i]);
		if (ok && !strcmp(specs[i].name, "summary"))
			ok = check_summary(_metadata, &d);
		if (ok && !strcmp(specs[i].name, "suspects"))
			ok = check_suspects(_metadata, &d);
		if (ok && !strcmp(specs[i].name, "control"))
			ok = check_control(_metadata, &d);
		if (!ok)
			ls_dump(specs[i].name, d.raw);
		ls_doc_free(&d);
		EXPECT_TRUE(ok);
	}
}

/*
 * 1-byte reads work: control (stable) gives the same bytes as one big read;
 * summary and suspects (which may take a sample in between) still parse.
 */
TEST_F(files, small_reads)
{
	char path[256], *whole, bytes[65536];
	struct ls_doc d;
	size_t i, n;
	ssize_t r;
	int fd;

	for (i = 0; i < ARRAY_SIZE(specs); i++) {
		snprintf(path, sizeof(path), "%s/%s", LS_DIR, specs[i].name);
		fd = open(path, O_RDONLY);
		ASSERT_LE(0, fd) TH_LOG("open %s: %s", path, strerror(errno));
		n = 0;
		while (n < sizeof(bytes) - 1 && (r = read(fd, bytes + n, 1)) == 1)
			n++;
		close(fd);
		bytes[n] = '\0';
		ASSERT_LT(n, sizeof(bytes) - 1);
		EXPECT_EQ(0, r) TH_LOG("%s: 1-byte read: %s", path,
				       strerror(errno));
		if (!strcmp(specs[i].name, "control")) {
			ASSERT_EQ(0, ls_read_path(path, &whole, NULL));
			EXPECT_STREQ(whole, bytes);
			free(whole);
		}
		if (ls_doc_parse(&d, bytes) || !check_doc(_metadata, &d,
							  &specs[i])) {
			TH_LOG("%s read 1 byte at a time: %s", path, d.err);
			ls_dump(specs[i].name, bytes);
			_metadata->exit_code = KSFT_FAIL;
		}
		ls_doc_free(&d);
	}
}

/* held= of a file's header: samples held, fewer than the window here. */
static long long header_held(const char *text)
{
	long long held = -1;
	struct ls_doc d;

	if (ls_doc_parse(&d, text) || !ls_doc_kv_num(&d, "held", &held))
		held = -1;
	ls_doc_free(&d);
	return held;
}

/*
 * The slab file is served from text made at sample time, a snapshot per
 * read from offset 0 (open takes the first): reads of any size, pread at
 * any other offset (the head/rows boundary included) and SEEK_END agree
 * with one whole read; a read from offset 0 after a sample shows it.
 */
TEST_F(files, slab_snapshots)
{
	static char whole[1 << 20], piece[1 << 20];
	const char *rows;
	size_t n = 0, i;
	off_t offs[7];
	long long held;
	ssize_t r;
	int fd;

	ls_sleep_ms(1200);	/* one sample: rows to read */
	fd = open(LS_DIR "/slab", O_RDONLY);
	ASSERT_LE(0, fd) TH_LOG("open slab: %s", strerror(errno));
	while (n < sizeof(whole) - 1 &&
	       (r = read(fd, whole + n, 1 + n % 7)) > 0)
		n += r;
	ASSERT_EQ(0, r) TH_LOG("read slab: %s", strerror(errno));
	whole[n] = '\0';
	rows = strchr(whole, '\n');
	ASSERT_NE(NULL, rows);
	rows = strchr(rows + 1, '\n');	/* after the column line */
	ASSERT_NE(NULL, rows);
	rows++;
	EXPECT_EQ((off_t)n, lseek(fd, 0, SEEK_END));

	/* Odd-sized reads and one pread of all but the first byte agree. */
	r = pread(fd, piece, sizeof(piece), 1);
	EXPECT_EQ((ssize_t)n - 1, r);
	EXPECT_EQ(0, memcmp(whole + 1, piece, n - 1))
		TH_LOG("odd-sized reads and one pread differ");

	offs[0] = 1;
	offs[1] = rows - whole;		/* the head/rows boundary */
	offs[2] = rows - whole + 1;
	offs[3] = rows - whole - 5;
	offs[4] = n / 2;
	offs[5] = n - 1;
	offs[6] = n;
	for (i = 0; i < ARRAY_SIZE(offs); i++) {
		size_t want = n - offs[i] < 333 ? n - offs[i] : 333;

		r = pread(fd, piece, 333, offs[i]);
		EXPECT_EQ((ssize_t)want, r) TH_LOG("pread at %lld",
						   (long long)offs[i]);
		if (r == (ssize_t)want)
			EXPECT_EQ(0, memcmp(whole + offs[i], piece, want))
				TH_LOG("pread at %lld differs",
				       (long long)offs[i]);
	}

	/* A read from 0 takes the latest sample, as seq_file files do. */
	held = header_held(whole);
	ASSERT_LT(0, held) TH_LOG("no held= in: %.200s", whole);
	ASSERT_EQ(0, ls_control_str("sample"));
	r = pread(fd, piece, sizeof(piece) - 1, 0);
	ASSERT_LT(0, r);
	piece[r] = '\0';
	EXPECT_LT(held, header_held(piece))
		TH_LOG("pread at 0 after a sample: %.200s", piece);
	close(fd);
}

/*
 * The procs file with interval_ms=3600000, so that only `sample` writes
 * take samples, and enough sleeping children for its rows to fill a few
 * of seq_file's pages.
 */
#define PINNED_KIDS	80

FIXTURE(pinned) {
	pid_t kids[PINNED_KIDS];
};

FIXTURE_SETUP(pinned)
{
	int i, ret;

	memset(self->kids, 0, sizeof(self->kids));
	ASSERT_EQ(0, ls_unload());
	ret = ls_load("interval_ms=3600000");
	ASSERT_EQ(0, ret) TH_LOG("load %s: %s", ls_ko_path(), strerror(-ret));
	for (i = 0; i < PINNED_KIDS; i++) {
		self->kids[i] = fork();
		ASSERT_LE(0, self->kids[i]);
		if (!self->kids[i]) {
			pause();
			_exit(0);
		}
	}
	ASSERT_EQ(0, ls_control_str("sample"));	/* the children are rows */
}

FIXTURE_TEARDOWN(pinned)
{
	int i;

	for (i = 0; i < PINNED_KIDS; i++) {
		if (self->kids[i] > 0) {
			kill(self->kids[i], SIGKILL);
			waitpid(self->kids[i], NULL, 0);
		}
	}
	EXPECT_EQ(0, ls_unload());
}

/* From the file offset to EOF in reads of @chunk bytes; length or -1. */
static ssize_t read_chunks(int fd, char *buf, size_t cap, size_t chunk)
{
	size_t n = 0;
	ssize_t r = 0;

	while (n < cap - 1) {
		r = read(fd, buf + n, chunk < cap - 1 - n ? chunk : cap - 1 - n);
		if (r <= 0)
			break;
		n += r;
	}
	buf[n] = '\0';
	return r < 0 || n == cap - 1 ? -1 : (ssize_t)n;
}

/*
 * Drop " self_kb=N" from the header: it is leakscope's memory at the
 * moment the file was opened, and every open file holds a little.
 */
static void drop_self_kb(char *text)
{
	char *p = strstr(text, " self_kb="), *end;

	if (!p || p > strchr(text, '\n'))
		return;
	end = strchr(p + 1, ' ');
	if (end)
		memmove(p, end, strlen(end) + 1);
}

/*
 * One open shows one report, whatever the size of the reads: reads of 1,
 * 7, 4096 and 65536 bytes from offset 0 and pread at page boundaries
 * give the same bytes as the first whole read; a file opened before a
 * sample and read mostly after it shows the report of its open (header
 * and rows), while a file opened after it shows the sample.
 */
TEST_F(pinned, procs_streams)
{
	static char whole[1 << 20], piece[1 << 20], slow[1 << 20];
	static const size_t chunks[] = { 1, 7, 4096, 65536 };
	char *latest = NULL;
	off_t offs[7];
	ssize_t n, r;
	int fd, fd2;
	size_t i;

	fd = open(LS_DIR "/procs", O_RDONLY);
	ASSERT_LE(0, fd) TH_LOG("open procs: %s", strerror(errno));
	n = read_chunks(fd, whole, sizeof(whole), 4096);
	ASSERT_LT(3 * 4096, n) TH_LOG("procs: %zd bytes, want several pages",
				      n);
	for (i = 0; i < ARRAY_SIZE(chunks); i++) {
		ASSERT_EQ(0, lseek(fd, 0, SEEK_SET));
		r = read_chunks(fd, piece, sizeof(piece), chunks[i]);
		EXPECT_EQ(n, r) TH_LOG("%zu-byte reads", chunks[i]);
		if (r == n)
			EXPECT_EQ(0, memcmp(whole, piece, n))
				TH_LOG("%zu-byte reads differ", chunks[i]);
	}
	offs[0] = 1;
	offs[1] = 4095;
	offs[2] = 4096;
	offs[3] = 4097;
	offs[4] = n / 2;
	offs[5] = n - 1;
	offs[6] = n;
	for (i = 0; i < ARRAY_SIZE(offs); i++) {
		ssize_t want = n - offs[i] < 333 ? n - offs[i] : 333;

		r = pread(fd, piece, 333, offs[i]);
		EXPECT_EQ(want, r) TH_LOG("pread at %lld", (long long)offs[i]);
		if (r == want)
			EXPECT_EQ(0, memcmp(whole + offs[i], piece, want))
				TH_LOG("pread at %lld differs",
				       (long long)offs[i]);
	}

	fd2 = open(LS_DIR "/procs", O_RDONLY);
	ASSERT_LE(0, fd2) TH_LOG("open procs: %s", strerror(errno));
	ASSERT_EQ(100, read(fd2, slow, 100));
	ASSERT_EQ(0, ls_control_str("sample"));
	ASSERT_EQ(0, ls_read_file("procs", &latest));
	EXPECT_EQ(header_held(whole) + 1, header_held(latest))
		TH_LOG("a file opened after a sample: %.200s", latest);
	free(latest);
	r = read_chunks(fd2, slow + 100, sizeof(slow) - 100, 7);
	ASSERT_LE(0, r);
	drop_self_kb(whole);
	drop_self_kb(slow);
	EXPECT_STREQ(whole, slow);
	close(fd2);
	close(fd);
}

TEST_HARNESS_MAIN
