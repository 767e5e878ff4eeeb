/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers of the procs/regions tests (70_, 75_, 80_): starting the
 * reproducers, reading /proc/PID/status and /proc/PID/stat, listing
 * processes, telling processes that share an mm apart.  Header-only
 * (static inline) so that the tests Makefile, which links every test with
 * ls_test_util.c alone, needs no change.
 *
 * Like ls_test_util.h: nothing here exits or asserts; failures are
 * returned and the test decides.
 */
#ifndef LS_PROCS_UTIL_H
#define LS_PROCS_UTIL_H

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ls_test_util.h"

#define LS_REPRO_DIR	"/bin"
#define LS_PF_KTHREAD	0x00200000	/* include/linux/sched.h */
#define LS_KCMP_VM	1		/* include/uapi/linux/kcmp.h */

/*
 * Make the calling child die with the process that forked it.  The
 * harness's FIXTURE_TEARDOWN does not run after a failed ASSERT in the
 * test body when built with -O2 (its wrapper's `child` is a non-volatile
 * local changed between setjmp and longjmp), so children must not rely
 * on the teardown to kill them.  Call right after fork() in the child.
 */
static inline void ls_die_with_parent(pid_t parent)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	if (getppid() != parent)	/* it died before the prctl */
		_exit(1);
}

/*
 * Start /bin/ls-repro-NAME with argv (argv[0] included, NULL-terminated),
 * stdout to a pipe, and read the pid it prints on its first line.  The
 * reproducers print nothing else, so the pipe is closed afterwards.  The
 * reproducer dies with us (ls_die_with_parent).  Returns the pid (> 0),
 * or -errno.
 */
static inline pid_t ls_repro_start(const char *name, char *const argv[])
{
	char path[128], line[32];
	int p[2], st;
	size_t n = 0;
	ssize_t r;
	pid_t pid, parent = getpid();

	snprintf(path, sizeof(path), "%s/ls-repro-%s", LS_REPRO_DIR, name);
	if (pipe2(p, O_CLOEXEC))
		return -errno;
	pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return -errno;
	}
	if (!pid) {
		ls_die_with_parent(parent);
		dup2(p[1], STDOUT_FILENO);
		execv(path, argv);
		fprintf(stderr, "# exec %s: %s\n", path, strerror(errno));
		_exit(127);
	}
	close(p[1]);
	while (n < sizeof(line) - 1) {
		r = read(p[0], line + n, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0 || line[n] == '\n')
			break;
		n++;
	}
	close(p[0]);
	line[n] = '\0';
	if (atoi(line) != pid) {
		fprintf(stderr, "# %s printed '%s', pid is %d\n", path, line,
			pid);
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
		return -EPROTO;
	}
	return pid;
}

/* SIGKILL and reap; harmless on 0 or a pid already reaped. */
static inline void ls_kill_wait(pid_t pid)
{
	if (pid <= 0)
		return;
	kill(pid, SIGKILL);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

/* Reap every child (and every orphan we are the subreaper of). */
static inline void ls_reap_all(void)
{
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		;
}

/* /proc/PID/comm without the newline; false if the process is gone. */
static inline bool ls_proc_comm(pid_t pid, char *comm, size_t len)
{
	char path[64], buf[32];
	ssize_t r;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	r = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (r <= 0)
		return false;
	buf[r] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	snprintf(comm, len, "%s", buf);
	return true;
}

/* What the tests compare of /proc/PID/status.  -1: line absent. */
struct ls_pstatus {
	pid_t pid;
	char state;
	long long vmsize_kb, rssanon_kb, rssshmem_kb, vmlck_kb, threads;
};

static inline long long ls_status_field(const char *text, const char *key)
{
	size_t klen = strlen(key);
	const char *p = text;
	long long v;

	while (p && *p) {
		if (!strncmp(p, key, klen) && p[klen] == ':' &&
		    sscanf(p + klen + 1, "%lld", &v) == 1)
			return v;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return -1;
}

/*
 * Read /proc/PID/status into @buf (caller-provided, so that a test can
 * read every process without allocating between a sample and its reads)
 * and parse it.  0, or -errno (-ENOENT/-ESRCH: the process is gone).
 */
static inline int ls_pstatus_read(pid_t pid, struct ls_pstatus *s, char *buf,
				  size_t len)
{
	char path[64];
	size_t n = 0;
	ssize_t r;
	const char *st;
	int fd;

	memset(s, 0, sizeof(*s));
	s->pid = pid;
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (n < len - 1) {
		r = read(fd, buf + n, len - 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			r = -errno;
			close(fd);
			return r;
		}
		if (!r)
			break;
		n += r;
	}
	close(fd);
	buf[n] = '\0';
	if (!n)
		return -ESRCH;
	st = strstr(buf, "\nState:");
	s->state = st ? st[strspn(st + 7, " \t") + 7] : '?';
	s->vmsize_kb = ls_status_field(buf, "VmSize");
	s->rssanon_kb = ls_status_field(buf, "RssAnon");
	s->rssshmem_kb = ls_status_field(buf, "RssShmem");
	s->vmlck_kb = ls_status_field(buf, "VmLck");
	s->threads = ls_status_field(buf, "Threads");
	return 0;
}

/*
 * From /proc/PID/stat: the state letter and the task flags.  0, or -errno
 * when the process is gone.
 */
static inline int ls_pstat_flags(pid_t pid, char *state, unsigned long *flags)
{
	char path[64], buf[1024], *p;
	unsigned long f = 0;
	ssize_t r;
	int fd, i;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	r = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (r <= 0)
		return r < 0 ? -errno : -ESRCH;
	buf[r] = '\0';
	/* comm may hold spaces and parentheses: the last ')' ends it. */
	p = strrchr(buf, ')');
	if (!p || p[1] != ' ')
		return -EBADMSG;
	p += 2;
	*state = *p;
	/* Fields after comm: state ppid pgrp session tty_nr tpgid flags. */
	for (i = 0; i < 6 && p; i++) {
		p = strchr(p, ' ');
		if (p)
			p++;
	}
	if (!p || sscanf(p, "%lu", &f) != 1)
		return -EBADMSG;
	*flags = f;
	return 0;
}

/*
 * A user process that has (or had a moment ago) an address space: not a
 * kernel thread, not a zombie, not dead.  False when it is gone.
 */
static inline bool ls_is_user_process(pid_t pid)
{
	unsigned long flags = 0;
	char state = '?';

	if (ls_pstat_flags(pid, &state, &flags))
		return false;
	return !(flags & LS_PF_KTHREAD) && state != 'Z' && state != 'X';
}

/*
 * The numeric entries of /proc, into @pids (room for @cap).  Returns how
 * many, or -errno.  Allocates (opendir): call it before a `sample` whose
 * numbers are compared, not between it and the reads.
 */
static inline int ls_list_pids(pid_t *pids, int cap)
{
	struct dirent *de;
	int n = 0;
	DIR *d;

	d = opendir("/proc");
	if (!d)
		return -errno;
	while ((de = readdir(d)) && n < cap) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		pids[n++] = atoi(de->d_name);
	}
	closedir(d);
	return n;
}

/*
 * Do @a and @b share an mm?  kcmp(2) KCMP_VM: 0 equal, 1/2 ordered,
 * 3 not comparable.  Returns 1 yes, 0 no, -errno when kcmp cannot say
 * (no CONFIG_KCMP, or a process is gone).
 */
static inline int ls_same_mm(pid_t a, pid_t b)
{
	long r;

	if (a == b)
		return 1;
	r = syscall(SYS_kcmp, a, b, LS_KCMP_VM, 0, 0);
	if (r < 0)
		return -errno;
	return r == 0;
}


/*
 * A parsed debugfs file with room for wide rows.  ls_test_util.h's
 * struct ls_doc holds at most LS_MAX_FIELDS (16) columns and refuses the
 * 17 columns of procs, so these tests parse every file with this copy of
 * ls_doc_parse()'s rules (header "# leakscope FILE vN key=value...", one
 * column line, rows split at runs of spaces).
 */
#define LSP_MAX_FIELDS	32
#define LSP_MAX_KV	16

struct lsp_row {
	char *f[LSP_MAX_FIELDS];
	int n;		/* fields found; > LSP_MAX_FIELDS is clamped to it + 1 */
};

struct lsp_doc {
	char *raw;		/* the file as read */
	char *text;		/* private copy, split in place */
	char *file, *version;
	struct ls_kv kv[LSP_MAX_KV];
	int nkv;
	char *cols[LSP_MAX_FIELDS];
	int ncols;
	struct lsp_row *rows;
	int nrows;
	char err[160];
};

static inline void lsp_doc_free(struct lsp_doc *d)
{
	free(d->raw);
	free(d->text);
	free(d->rows);
	memset(d, 0, sizeof(*d));
}

static inline int lsp_split(char *s, char **f, int max)
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

/* @text is taken over (freed by lsp_doc_free).  0 or -EBADMSG. */
static inline int lsp_doc_parse(struct lsp_doc *d, char *text)
{
	char *f[4 + LSP_MAX_KV], *line, *next, *eq;
	int n, i, cap = 0;

	memset(d, 0, sizeof(*d));
	d->raw = text;
	d->text = strdup(text);
	if (!d->text) {
		snprintf(d->err, sizeof(d->err), "out of memory");
		return -EBADMSG;
	}
	if (!*text || text[strlen(text) - 1] != '\n') {
		snprintf(d->err, sizeof(d->err),
			 "empty, or last line not terminated");
		return -EBADMSG;
	}
	line = d->text;
	next = strchr(line, '\n');
	*next++ = '\0';
	n = lsp_split(line, f, 4 + LSP_MAX_KV);
	if (n < 4 || n > 4 + LSP_MAX_KV || strcmp(f[0], "#") ||
	    strcmp(f[1], "leakscope")) {
		snprintf(d->err, sizeof(d->err), "bad header line");
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
	line = next;
	next = strchr(line, '\n');
	if (!next || line[0] == '#') {
		snprintf(d->err, sizeof(d->err), "no column line");
		return -EBADMSG;
	}
	*next++ = '\0';
	n = lsp_split(line, d->cols, LSP_MAX_FIELDS);
	if (n < 1 || n > LSP_MAX_FIELDS) {
		snprintf(d->err, sizeof(d->err), "column line has %d fields",
			 n);
		return -EBADMSG;
	}
	d->ncols = n;
	for (line = next; *line; line = next) {
		struct lsp_row *r;

		next = strchr(line, '\n');
		*next++ = '\0';
		if (d->nrows == cap) {
			struct lsp_row *nr;

			cap = cap ? cap * 2 : 64;
			nr = realloc(d->rows, cap * sizeof(*nr));
			if (!nr) {
				snprintf(d->err, sizeof(d->err), "out of memory");
				return -EBADMSG;
			}
			d->rows = nr;
		}
		r = &d->rows[d->nrows++];
		memset(r, 0, sizeof(*r));
		n = lsp_split(line, r->f, LSP_MAX_FIELDS);
		r->n = n > LSP_MAX_FIELDS ? LSP_MAX_FIELDS + 1 : n;
	}
	return 0;
}

/* Read and parse LS_DIR/name: 0, -errno for I/O, -EBADMSG if malformed. */
static inline int lsp_doc_load(struct lsp_doc *d, const char *name)
{
	char *text;
	int ret;

	memset(d, 0, sizeof(*d));
	ret = ls_read_file(name, &text);
	if (ret) {
		snprintf(d->err, sizeof(d->err), "read %s: %s", name,
			 strerror(-ret));
		return ret;
	}
	return lsp_doc_parse(d, text);
}

static inline const char *lsp_doc_kv(const struct lsp_doc *d, const char *key)
{
	int i;

	for (i = 0; i < d->nkv; i++)
		if (!strcmp(d->kv[i].key, key))
			return d->kv[i].val;
	return NULL;
}

static inline bool lsp_doc_kv_num(const struct lsp_doc *d, const char *key,
				  long long *out)
{
	return ls_parse_ll(lsp_doc_kv(d, key), out);
}

static inline int lsp_doc_col(const struct lsp_doc *d, const char *name)
{
	int i;

	for (i = 0; i < d->ncols; i++)
		if (!strcmp(d->cols[i], name))
			return i;
	return -1;
}

/* First row whose first field is @key, or NULL. */
static inline const struct lsp_row *lsp_doc_row(const struct lsp_doc *d,
						const char *key)
{
	int i;

	for (i = 0; i < d->nrows; i++)
		if (d->rows[i].n > 0 && !strcmp(d->rows[i].f[0], key))
			return &d->rows[i];
	return NULL;
}

/* Field @col of @r, or NULL. */
static inline const char *lsp_row_field(const struct lsp_doc *d,
					const struct lsp_row *r,
					const char *col)
{
	int i = lsp_doc_col(d, col);

	if (!r || i < 0 || i >= r->n || i >= LSP_MAX_FIELDS)
		return NULL;
	return r->f[i];
}

/* The procs row of @pid, or NULL. */
static inline const struct lsp_row *ls_procs_row(const struct lsp_doc *d,
						 pid_t pid)
{
	char key[16];

	snprintf(key, sizeof(key), "%d", pid);
	return lsp_doc_row(d, key);
}

/* A numeric field of a row; false when absent, "-" or not a number. */
static inline bool ls_row_num(const struct lsp_doc *d,
			      const struct lsp_row *r, const char *col,
			      long long *out)
{
	return ls_parse_ll(lsp_row_field(d, r, col), out);
}

/* Parse a suspects subject "pid:PID:COMM"; false for other subjects. */
static inline bool ls_subject_pid(const char *subject, pid_t *pid,
				  const char **comm)
{
	char *end;
	long v;

	if (!subject || strncmp(subject, "pid:", 4))
		return false;
	v = strtol(subject + 4, &end, 10);
	if (end == subject + 4 || *end != ':' || v <= 0)
		return false;
	*pid = (pid_t)v;
	if (comm)
		*comm = end + 1;
	return true;
}

#endif /* LS_PROCS_UTIL_H */
