/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `leakscope regions PID`: select the process through the module parameter
 * (debugfs control is refused under lockdown, module parameters are not),
 * then read debugfs `regions` and check that it shows that process.
 */
#ifndef LS_REGIONS_H
#define LS_REGIONS_H

#include <stdbool.h>

#include "errors.h"
#include "lsfile.h"

#define LS_PID_PARAM	LS_SYS_MODULE "/parameters/pid"
#define LS_PID_MAX	0x7fffffffUL	/* pid_t is an int */

enum ls_select {
	LS_SELECT_WRITTEN,	/* pid written */
	LS_SELECT_ALREADY,	/* the parameter already held pid: not rewritten */
	LS_SELECT_FAILED,	/* *err holds the errno */
};

/*
 * Make the module parameter file at path hold pid.  It is read first and
 * only written ("PID\n") when it holds something else, so that repeated
 * `leakscope regions PID` do not disturb the module's baseline for PID.
 */
enum ls_select ls_select_pid(const char *path, unsigned long pid, int *err);

/*
 * The one-line message for a failed selection with errno err: on the real
 * path, a module that is not loaded or a user who is not root; otherwise
 * "cannot select pid N: <strerror>".
 */
void ls_select_explain(struct ls_err *e, unsigned long pid, int err, bool real);

/*
 * Check the header of regions (read from path) against the pid asked for:
 * status=ok and pid=N.
 * 0, or -1 with *e set: LS_ERR_STATE for status no-pid, gone or busy and
 * for another pid, LS_ERR_MALFORMED for a missing or unknown status.
 */
int ls_regions_check(const struct ls_table *t, const char *path,
		     unsigned long pid, struct ls_err *e);

#endif /* LS_REGIONS_H */
