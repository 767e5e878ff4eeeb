/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Runtime errors of the reader and their one-line explanations.
 *
 * When a debugfs file cannot be opened or read, ls_probe_fill() looks at the
 * system (debugfs mount, /sys/module/leakscope, lockdown, euid) and
 * ls_classify() - pure, unit-tested - names the true cause, so the user is
 * told what to do instead of a bare strerror().
 */
#ifndef LS_ERRORS_H
#define LS_ERRORS_H

#include <stdbool.h>
#include <stddef.h>

#include "compiler.h"

#define LS_DEFAULT_DIR		"/sys/kernel/debug/leakscope"
#define LS_DEBUGFS_MNT		"/sys/kernel/debug"
#define LS_SYS_MODULE		"/sys/module/leakscope"
#define LS_LOCKDOWN_FILE	"/sys/kernel/security/lockdown"
#define LS_DEBUGFS_MAGIC	0x64626720

#define LS_ERR_LEN		512

enum ls_err_kind {
	LS_ERR_NONE,
	LS_ERR_SYSTEM,		/* open/read failed: see enum ls_cause */
	LS_ERR_VERSION,		/* unknown or newer format version */
	LS_ERR_MALFORMED,	/* file does not follow the format */
	LS_ERR_OUTPUT,		/* writing stdout failed */
	LS_ERR_STATE,		/* the module cannot show it now (regions status) */
};

struct ls_err {
	enum ls_err_kind kind;
	char msg[LS_ERR_LEN];	/* one line, without the "leakscope: " prefix */
};

__printf(3, 4)
void ls_err_set(struct ls_err *e, enum ls_err_kind kind, const char *fmt, ...);

enum ls_cause {
	LS_CAUSE_NOT_ROOT,	/* EACCES/EPERM and euid != 0 */
	LS_CAUSE_NO_DEBUGFS,	/* real path: /sys/kernel/debug is not debugfs */
	LS_CAUSE_NO_MODULE,	/* real path: /sys/module/leakscope absent */
	LS_CAUSE_LOCKDOWN,	/* EPERM as root, lockdown integrity/confidentiality */
	LS_CAUSE_NO_DIR,	/* the directory itself is missing */
	LS_CAUSE_NO_FILE,	/* directory present, file missing */
	LS_CAUSE_DENIED,	/* EACCES/EPERM as root, no lockdown */
	LS_CAUSE_OTHER,		/* anything else: strerror() */
};

enum ls_lockdown {
	LS_LOCKDOWN_UNKNOWN,	/* no securityfs, no lockdown LSM */
	LS_LOCKDOWN_NONE,
	LS_LOCKDOWN_INTEGRITY,
	LS_LOCKDOWN_CONFIDENTIALITY,
};

/* Facts gathered after a failed open/read; tri-states: 1 yes, 0 no, -1 unknown. */
struct ls_probe {
	int err;		/* errno of the failure */
	bool real;		/* the real debugfs path (LEAKSCOPE_DIR unset) */
	bool root;		/* euid == 0 */
	int debugfs;		/* /sys/kernel/debug is a debugfs mount */
	int module;		/* /sys/module/leakscope exists */
	int dir_exists;		/* the leakscope directory exists */
	enum ls_lockdown lockdown;
};

/* "none [integrity] confidentiality" -> LS_LOCKDOWN_INTEGRITY. */
enum ls_lockdown ls_lockdown_parse(const char *text);

/* Fill *p for a failure with errno err on dir/file (does the system calls). */
void ls_probe_fill(struct ls_probe *p, int err, bool real, const char *dir);

/* The true cause, checked in an order where the first match is the root cause. */
enum ls_cause ls_classify(const struct ls_probe *p);

/* The one-line message for the cause: LS_ERR_SYSTEM in *e. */
void ls_explain(const struct ls_probe *p, const char *dir, const char *path,
		struct ls_err *e);

/* Convenience: probe, classify and explain a failure with errno err. */
void ls_err_from_errno(struct ls_err *e, int err, bool real, const char *dir,
		       const char *path);

#endif /* LS_ERRORS_H */
