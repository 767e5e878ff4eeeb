// SPDX-License-Identifier: GPL-2.0
/*
 * Classify open/read failures into one-line messages that name the cause.
 *
 * Order matters.  Non-root users cannot even traverse /sys/kernel/debug
 * (mode 0700), so an open fails with EACCES whatever else is wrong; but the
 * debugfs mount (statfs) and /sys/module/leakscope can be checked by anyone,
 * and when they are missing even root would fail, so they are reported
 * first.  Only then does EACCES mean "not root", and EPERM as root mean
 * lockdown (debugfs refuses files with write bits when locked down).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#include "errors.h"

void ls_err_set(struct ls_err *e, enum ls_err_kind kind, const char *fmt, ...)
{
	va_list ap;

	e->kind = kind;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
}

enum ls_lockdown ls_lockdown_parse(const char *text)
{
	if (strstr(text, "[confidentiality]"))
		return LS_LOCKDOWN_CONFIDENTIALITY;
	if (strstr(text, "[integrity]"))
		return LS_LOCKDOWN_INTEGRITY;
	if (strstr(text, "[none]"))
		return LS_LOCKDOWN_NONE;
	return LS_LOCKDOWN_UNKNOWN;
}

static enum ls_lockdown read_lockdown(void)
{
	char buf[128];
	FILE *f = fopen(LS_LOCKDOWN_FILE, "re");
	size_t n;

	if (!f)
		return LS_LOCKDOWN_UNKNOWN;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return ls_lockdown_parse(buf);
}

static int path_exists(const char *path)
{
	struct stat st;

	if (!stat(path, &st))
		return 1;
	/* EACCES etc: we cannot tell */
	return errno == ENOENT || errno == ENOTDIR ? 0 : -1;
}

static int debugfs_mounted(void)
{
	struct statfs sfs;

	if (statfs(LS_DEBUGFS_MNT, &sfs))
		return errno == ENOENT || errno == ENOTDIR ? 0 : -1;
	return sfs.f_type == LS_DEBUGFS_MAGIC;
}

void ls_probe_fill(struct ls_probe *p, int err, bool real, const char *dir)
{
	memset(p, 0, sizeof(*p));
	p->err = err;
	p->real = real;
	p->root = geteuid() == 0;
	p->debugfs = real ? debugfs_mounted() : -1;
	p->module = real ? path_exists(LS_SYS_MODULE) : -1;
	p->dir_exists = path_exists(dir);
	p->lockdown = err == EPERM ? read_lockdown() : LS_LOCKDOWN_UNKNOWN;
}

enum ls_cause ls_classify(const struct ls_probe *p)
{
	if (p->real && p->debugfs == 0)
		return LS_CAUSE_NO_DEBUGFS;
	if (p->real && p->module == 0)
		return LS_CAUSE_NO_MODULE;
	if (p->err == EACCES || p->err == EPERM) {
		if (!p->root)
			return LS_CAUSE_NOT_ROOT;
		if (p->err == EPERM &&
		    (p->lockdown == LS_LOCKDOWN_INTEGRITY ||
		     p->lockdown == LS_LOCKDOWN_CONFIDENTIALITY))
			return LS_CAUSE_LOCKDOWN;
		return LS_CAUSE_DENIED;
	}
	if (p->err == ENOENT || p->err == ENOTDIR)
		return p->dir_exists == 0 ? LS_CAUSE_NO_DIR : LS_CAUSE_NO_FILE;
	return LS_CAUSE_OTHER;
}

void ls_explain(const struct ls_probe *p, const char *dir, const char *path,
		struct ls_err *e)
{
	const char *mode;

	switch (ls_classify(p)) {
	case LS_CAUSE_NO_DEBUGFS:
		ls_err_set(e, LS_ERR_SYSTEM,
			   "debugfs is not mounted on %s: mount -t debugfs none %s",
			   LS_DEBUGFS_MNT, LS_DEBUGFS_MNT);
		break;
	case LS_CAUSE_NO_MODULE:
		ls_err_set(e, LS_ERR_SYSTEM,
			   "the leakscope kernel module is not loaded: modprobe leakscope (or insmod module/leakscope.ko)");
		break;
	case LS_CAUSE_NOT_ROOT:
		ls_err_set(e, LS_ERR_SYSTEM,
			   "permission denied reading %s: leakscope needs root (try: sudo leakscope)",
			   path);
		break;
	case LS_CAUSE_LOCKDOWN:
		mode = p->lockdown == LS_LOCKDOWN_CONFIDENTIALITY ?
		       "confidentiality" : "integrity";
		ls_err_set(e, LS_ERR_SYSTEM,
			   "%s is blocked by kernel lockdown (%s): debugfs refuses files with write permission; set options as module parameters",
			   path, mode);
		break;
	case LS_CAUSE_NO_DIR:
		if (p->real)
			ls_err_set(e, LS_ERR_SYSTEM,
				   "%s does not exist although the leakscope module is loaded: see dmesg",
				   dir);
		else
			ls_err_set(e, LS_ERR_SYSTEM,
				   "LEAKSCOPE_DIR=%s: no such directory", dir);
		break;
	case LS_CAUSE_NO_FILE:
		ls_err_set(e, LS_ERR_SYSTEM,
			   "%s: no such file (does the loaded leakscope module match this reader?)",
			   path);
		break;
	case LS_CAUSE_DENIED:
	case LS_CAUSE_OTHER:
	default:
		ls_err_set(e, LS_ERR_SYSTEM, "%s: %s", path, strerror(p->err));
		break;
	}
}

void ls_err_from_errno(struct ls_err *e, int err, bool real, const char *dir,
		       const char *path)
{
	struct ls_probe p;

	ls_probe_fill(&p, err, real, dir);
	ls_explain(&p, dir, path, e);
}
