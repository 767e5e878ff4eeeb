// SPDX-License-Identifier: GPL-2.0
/* Selecting a pid for debugfs `regions` and checking what it shows. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "columns.h"
#include "regions.h"

/* Current value of the parameter, or 0 when unreadable or not a pid. */
static unsigned long read_param(const char *path)
{
	char buf[32];
	unsigned long pid;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	if (buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	return ls_parse_posint(buf, LS_PID_MAX, &pid) ? 0 : pid;
}

enum ls_select ls_select_pid(const char *path, unsigned long pid, int *err)
{
	char buf[24];
	int fd, len;
	ssize_t n;

	if (read_param(path) == pid)
		return LS_SELECT_ALREADY;
	len = snprintf(buf, sizeof(buf), "%lu\n", pid);
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0) {
		*err = errno;
		return LS_SELECT_FAILED;
	}
	do {
		n = write(fd, buf, len);
	} while (n < 0 && errno == EINTR);
	*err = n < 0 ? errno : n != len ? EIO : 0;
	/* sysfs reports a refused value at write(); close() errors count too */
	if (close(fd) && !*err && errno != EINTR)
		*err = errno;
	return *err ? LS_SELECT_FAILED : LS_SELECT_WRITTEN;
}

void ls_select_explain(struct ls_err *e, unsigned long pid, int err, bool real)
{
	struct ls_probe p;

	if (real) {
		ls_probe_fill(&p, err, real, LS_DEFAULT_DIR);
		/* /sys/kernel/debug plays no part in a parameter write */
		p.debugfs = 1;
		switch (ls_classify(&p)) {
		case LS_CAUSE_NO_MODULE:
			ls_explain(&p, LS_DEFAULT_DIR, LS_PID_PARAM, e);
			return;
		case LS_CAUSE_NOT_ROOT:
			ls_err_set(e, LS_ERR_SYSTEM,
				   "permission denied writing %s: leakscope needs root (try: sudo leakscope)",
				   LS_PID_PARAM);
			return;
		default:
			break;
		}
	}
	ls_err_set(e, LS_ERR_SYSTEM, "cannot select pid %lu: %s", pid,
		   strerror(err));
}

int ls_regions_check(const struct ls_table *t, const char *path,
		     unsigned long pid, struct ls_err *e)
{
	const char *status = ls_table_meta(t, "status");
	const char *shown = ls_table_meta(t, "pid");
	unsigned long other;

	if (!status) {
		ls_err_set(e, LS_ERR_MALFORMED,
			   "%s:1: header has no status= field", path);
		return -1;
	}
	if (shown && !ls_field_is_null(shown) &&
	    (ls_parse_posint(shown, LS_PID_MAX, &other) || other != pid)) {
		ls_err_set(e, LS_ERR_STATE,
			   "regions shows pid %.20s, not %lu: another leakscope selected it meanwhile, try again",
			   shown, pid);
		return -1;
	}
	if (!strcmp(status, "ok")) {
		if (shown && !ls_field_is_null(shown))
			return 0;
		ls_err_set(e, LS_ERR_MALFORMED,
			   "%s:1: status=ok but no pid= in the header", path);
		return -1;
	}
	if (!strcmp(status, "gone"))
		ls_err_set(e, LS_ERR_STATE, "no process with pid %lu", pid);
	else if (!strcmp(status, "busy"))
		ls_err_set(e, LS_ERR_STATE,
			   "pid %lu: its mm is busy, try again", pid);
	else if (!strcmp(status, "no-pid"))
		ls_err_set(e, LS_ERR_STATE,
			   "pid %lu is not selected in the module (regions shows no pid): try again",
			   pid);
	else
		ls_err_set(e, LS_ERR_MALFORMED,
			   "%s:1: unknown status '%.40s' (this reader knows ok, no-pid, gone, busy)",
			   path, status);
	return -1;
}
