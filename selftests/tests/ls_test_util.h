/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the in-VM leakscope tests: loading and unloading the
 * module through the raw syscalls, reading and parsing the debugfs files,
 * writing to control, reading /proc/meminfo.
 *
 * Functions that can fail return 0 or a negative errno; they never exit, so
 * the test decides what a failure means and prints the diagnostic.
 */
#ifndef LS_TEST_UTIL_H
#define LS_TEST_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define LS_MODNAME	"leakscope"
#define LS_KO_DEFAULT	"/lib/leakscope/leakscope.ko"
#define LS_DIR		"/sys/kernel/debug/leakscope"
#define LS_PARAM_DIR	"/sys/module/leakscope/parameters"

#define LS_MAX_FIELDS	32
#define LS_MAX_KV	32

/* The files of the v1 interface, in the order the tests visit them. */
extern const char * const ls_files[];
#define LS_NR_FILES	3

/* The 14 summary items, in the order the module must print them. */
extern const char * const ls_summary_items[];
#define LS_NR_SUMMARY_ITEMS	15

struct ls_row {
	char *f[LS_MAX_FIELDS];
	int n;		/* fields found; > LS_MAX_FIELDS is clamped to it + 1 */
};

struct ls_kv {
	char *key;
	char *val;
};

/*
 * A parsed debugfs file.  text is a private, modified copy of raw; every
 * pointer points into it.
 */
struct ls_doc {
	char *raw;		/* the file as read, NUL-terminated */
	char *text;
	char *file;		/* FILE from the header line */
	char *version;		/* "v1" */
	struct ls_kv kv[LS_MAX_KV];
	int nkv;
	char *cols[LS_MAX_FIELDS];
	int ncols;
	struct ls_row *rows;
	int nrows;
	char err[160];		/* why ls_doc_parse failed */
};

/* Path of the module: $LEAKSCOPE_KO or LS_KO_DEFAULT. */
const char *ls_ko_path(void);

/* finit_module(2) with a parameter string ("" for none). 0 or -errno. */
int ls_load(const char *params);
/* finit_module(2) of the module file at @path (@params: NULL for none). */
int ls_load_path(const char *path, const char *params);

/* One delete_module(2) attempt with O_NONBLOCK. 0 or -errno. */
int ls_unload_once(void);

/*
 * delete_module(2), retried every 2 ms while it fails with EAGAIN or
 * EBUSY, for at most timeout_ms.  -ENOENT when it is not loaded.
 */
int ls_unload_retry(int timeout_ms);

/* Default unload: retry for up to 5 s; not loaded counts as success. */
int ls_unload(void);

/* Whether /sys/module/leakscope exists. */
bool ls_loaded(void);

/*
 * Read a whole file into a malloc'd NUL-terminated buffer.  0 or -errno;
 * *len (if not NULL) gets the byte count.
 */
int ls_read_path(const char *path, char **out, size_t *len);

/* Same for LS_DIR/name. */
int ls_read_file(const char *name, char **out);

/*
 * The next line of the text at *pos, cut in place (its newline, if any,
 * becomes a NUL), or NULL at the end of the text; *pos moves past it:
 *	next = text;
 *	while ((line = ls_next_line(&next)))
 */
char *ls_next_line(char **pos);

/* Read and parse LS_DIR/name. 0, -errno for I/O, -EBADMSG when malformed. */
int ls_doc_load(struct ls_doc *d, const char *name);

/* Parse text (copied); 0 or -EBADMSG with d->err set. */
int ls_doc_parse(struct ls_doc *d, const char *text);
void ls_doc_free(struct ls_doc *d);

/* Header value of key, or NULL. */
const char *ls_doc_kv(const struct ls_doc *d, const char *key);

/* Header value of key as a number; false when absent or not a number. */
bool ls_doc_kv_num(const struct ls_doc *d, const char *key, long long *out);

/* Column index of name, or -1. */
int ls_doc_col(const struct ls_doc *d, const char *name);

/* First row whose first field is key, or NULL. */
const struct ls_row *ls_doc_row(const struct ls_doc *d, const char *key);

/* Field col of row, or NULL. */
const char *ls_row_field(const struct ls_doc *d, const struct ls_row *r,
			 const char *col);

/* Parse a whole decimal number (optional '-'); false otherwise. */
bool ls_parse_ll(const char *s, long long *out);

/* qsort(3) comparator of long long, ascending. */
int ls_cmp_ll(const void *a, const void *b);

/* Write len bytes of buf to LS_DIR/control in one write(2). 0 or -errno. */
int ls_control_write(const void *buf, size_t len);
int ls_control_str(const char *s);

/* Write s to a module parameter file. 0 or -errno. */
int ls_param_write(const char *name, const char *s);

/* Read a module parameter as a number. 0 or -errno. */
int ls_param_read(const char *name, long long *out);

/* The control settings (from control's rows). 0 or -errno/-EBADMSG. */
int ls_control_settings(long long *interval_ms, long long *samples);

struct ls_meminfo {
	char name[96][32];
	long long kb[96];
	int n;
	char raw[8192];
};

/* Read /proc/meminfo (the items the summary also has, and a few more). */
int ls_meminfo_read(struct ls_meminfo *m);
bool ls_meminfo_get(const struct ls_meminfo *m, const char *name,
		    long long *kb);

/*
 * A zero-filled shared anonymous mapping of @size bytes, for what the test
 * and the children it forks afterwards both write.  NULL (errno set) on
 * failure.
 */
void *ls_shared_map(size_t size);

/* Monotonic clock in milliseconds. */
long long ls_now_ms(void);
void ls_sleep_ms(long ms);

/* Print text to stderr, each line prefixed with "# " (TAP diagnostic). */
void ls_dump(const char *title, const char *text);

/* ls_dump() file @name of LS_DIR as it reads now ("(null)": it does not). */
void ls_dump_file(const char *name);

/* --- Issue 4: the test module ls_leaky.ko, other modules, the kernel log --- */

#define LS_LEAKY_MODNAME	"ls_leaky"
#define LS_LEAKY_KO_DEFAULT	"/lib/leakscope/ls_leaky.ko"

/* Path of ls_leaky.ko: $LEAKSCOPE_LEAKY_KO or LS_LEAKY_KO_DEFAULT. */
const char *ls_leaky_ko_path(void);

/* finit_module(2) of ls_leaky.ko with a parameter string. 0 or -errno. */
int ls_leaky_load(const char *params);

/*
 * delete_module(2) of module @name, retried every 2 ms on EAGAIN/EBUSY for
 * at most timeout_ms.  0, or -errno (-ENOENT: it was not loaded).
 */
int ls_mod_unload_retry(const char *name, int timeout_ms);

/* Whether /sys/module/NAME exists. */
bool ls_mod_loaded(const char *name);

/*
 * Whether the running kernel has KASAN (its quarantine function is in
 * /proc/kallsyms).  KASAN holds freed slab objects in a quarantine, up to
 * 1/32 of memory, and frees them in batches: a cache that only churns
 * (task_struct under fork and exit) reads as growing, and slab counters
 * jump between two reads.  A debug-kernel artefact, not a leak: the
 * tests that assert the exact set of suspects allow slab-growth there.
 */
bool ls_kernel_has_kasan(void);

/*
 * /dev/kmsg opened non-blocking and positioned after the newest record, so
 * that only what the kernel logs from now on is read.  fd or -errno.
 */
int ls_kmsg_open(void);

/*
 * Wait up to timeout_ms for a new kernel log record whose text (after the
 * "pri,seq,ts,flags;" prefix) contains @needle; copy that text, without its
 * newline, to @out.  0, -ETIMEDOUT, or -errno.  Records read are consumed.
 */
int ls_kmsg_wait(int fd, const char *needle, char *out, size_t len,
		 int timeout_ms);

/* --- Issue 12: call-site tracking (91_callsites, 93_callsites_pages) ---- */

/*
 * @text as it appears in a suspect's evidence or next: words joined by
 * '_', a '_' of its own written "__" (module/suspects.h).
 */
void ls_as_words(char *dst, size_t len, const char *text);

/* Does @site (a callsites field, "func+0x1c/0x80[mod]") name function @fn? */
bool ls_site_is(const char *site, const char *fn);

/* The callsites row of class @cls (NULL: any) whose site is in @fn. */
const struct ls_row *ls_site_row(const struct ls_doc *d, const char *cls,
				 const char *fn);

/*
 * A call site's history starts with its first sampled allocation (with
 * track=auto, once its class is armed), after its cache's: when a suspect
 * first names it, its own row may still be collecting.  Wait up to @ms
 * for @fn's row of class @cls to be growing, failing early if it turns
 * flat or anything else; its last verdict ("none": no row, NULL: the file
 * could not be read), printed with the time it took.
 */
const char *ls_wait_growing(const char *cls, const char *fn, int ms);

/*
 * `leakscope A1 [A2 [A3]]` (a NULL ends the list): its exit status, or -1
 * when it could not run; its stdout and stderr into *@out (if @out).
 */
int ls_run_reader(char **out, const char *a1, const char *a2, const char *a3);

#endif /* LS_TEST_UTIL_H */
