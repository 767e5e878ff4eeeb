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

/*
 * What the tests compare of /proc/PID/status.  -1: line absent.  ctxt
 * (the context switches of the thread group leader, from status) and
 * faults and cpu_ticks (minflt + majflt and utime + stime summed over the
 * whole thread group, from /proc/PID/stat) tell whether the process ran
 * between two reads.
 */
struct ls_pstatus {
	pid_t pid;
	char state;
	long long vmsize_kb, rssanon_kb, rssshmem_kb, vmlck_kb, threads;
	long long ctxt, faults, cpu_ticks;
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
 * Read /proc/PID/stat into @buf (@len bytes) and point *@after at the
 * fields after comm (state first).  0, or -errno when the process is
 * gone.  comm may hold spaces and parentheses: the last ')' ends it.
 */
static inline int ls_pstat_read(pid_t pid, char *buf, size_t len,
				char **after)
{
	char path[64], *p;
	ssize_t r;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	r = read(fd, buf, len - 1);
	close(fd);
	if (r <= 0)
		return r < 0 ? -errno : -ESRCH;
	buf[r] = '\0';
	p = strrchr(buf, ')');
	if (!p || p[1] != ' ')
		return -EBADMSG;
	*after = p + 2;
	return 0;
}

/*
 * From /proc/PID/stat: minflt + majflt and utime + stime, each summed over
 * the thread group (and its dead threads).  0, or -errno when it is gone.
 * Reads into a buffer on the stack: allocates nothing.
 */
static inline int ls_pstat_counts(pid_t pid, long long *faults,
				  long long *ticks)
{
	unsigned long long minflt, majflt, utime, stime;
	char buf[1024], *p;
	int ret;

	ret = ls_pstat_read(pid, buf, sizeof(buf), &p);
	if (ret)
		return ret;
	/*
	 * After comm: state ppid pgrp session tty_nr tpgid flags minflt
	 * cminflt majflt cmajflt utime stime.
	 */
	if (sscanf(p, "%*c %*d %*d %*d %*d %*d %*u %llu %*u %llu %*u %llu %llu",
		   &minflt, &majflt, &utime, &stime) != 4)
		return -EBADMSG;
	*faults = minflt + majflt;
	*ticks = utime + stime;
	return 0;
}

/*
 * Read /proc/PID/status into @buf (caller-provided, so that a test can
 * read every process without allocating between a sample and its reads)
 * and parse it, with the counts of /proc/PID/stat.  0, or -errno
 * (-ENOENT/-ESRCH: the process is gone).
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
	s->ctxt = ls_status_field(buf, "voluntary_ctxt_switches") +
		  ls_status_field(buf, "nonvoluntary_ctxt_switches");
	return ls_pstat_counts(pid, &s->faults, &s->cpu_ticks);
}

/*
 * From /proc/PID/stat: the state letter and the task flags.  0, or -errno
 * when the process is gone.
 */
static inline int ls_pstat_flags(pid_t pid, char *state, unsigned long *flags)
{
	char buf[1024], *p;
	unsigned long f = 0;
	int i, ret;

	ret = ls_pstat_read(pid, buf, sizeof(buf), &p);
	if (ret)
		return ret;
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

/* The procs row of @pid, or NULL. */
static inline const struct ls_row *ls_procs_row(const struct ls_doc *d,
						pid_t pid)
{
	char key[16];

	snprintf(key, sizeof(key), "%d", pid);
	return ls_doc_row(d, key);
}

/* A numeric field of a row; false when absent, "-" or not a number. */
static inline bool ls_row_num(const struct ls_doc *d,
			      const struct ls_row *r, const char *col,
			      long long *out)
{
	return ls_parse_ll(ls_row_field(d, r, col), out);
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
