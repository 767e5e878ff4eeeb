/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Parsing and validation of writes to the debugfs `control` file and of
 * module parameter values.
 *
 * Pure code: built into the module and into host unit tests.  No
 * allocation, no locks; all memory is provided by the caller.
 */
#ifndef LS_CONTROL_H
#define LS_CONTROL_H

#include "ls_pure.h"

#define LS_INTERVAL_MS_MIN 100
#define LS_INTERVAL_MS_MAX 3600000
#define LS_INTERVAL_MS_DEFAULT 1000
#define LS_SAMPLES_MIN 8
#define LS_SAMPLES_MAX 1024
#define LS_SAMPLES_DEFAULT 64
#define LS_CONTROL_MAX_LEN 256
#define LS_PID_MAX 4194304		/* PID_MAX_LIMIT on 64-bit; 0: none */
/* track=: call-site tracking, the values of enum ls_track_mode (track.h) */
#define LS_TRACK_SET_OFF 0
#define LS_TRACK_SET_AUTO 1
#define LS_TRACK_SET_ALL 2
/* track_mean_kb=: mean KiB between samples (track_sample.h's range) */
#define LS_TRACK_MEAN_KB_MIN 1
#define LS_TRACK_MEAN_KB_MAX 1048576
#define LS_TRACK_MEAN_KB_DEFAULT 512

struct ls_control_cmd {
	bool set_interval;
	u32 interval_ms;
	bool set_samples;
	u32 samples;
	bool set_pid;
	u32 pid;			/* the process `regions` shows */
	bool set_track;
	u32 track;			/* LS_TRACK_SET_* */
	bool set_track_mean;
	u32 track_mean_kb;
	bool reset, sample;
};

/*
 * One write to `control`: @len bytes at @buf, which need not be
 * NUL-terminated.  Returns 0 or -EINVAL; on -EINVAL *cmd is all-false
 * (and zero), so nothing can be applied by mistake.
 */
int ls_control_parse(const char *buf, size_t len, struct ls_control_cmd *cmd);

/*
 * A module parameter value ("500", "500\n"): 0 or -EINVAL.  *out is only
 * written on success.
 */
int ls_parse_interval_ms(const char *val, u32 *out);
int ls_parse_samples(const char *val, u32 *out);
int ls_parse_pid(const char *val, u32 *out);
int ls_parse_track_mean_kb(const char *val, u32 *out);
/* "off", "auto" or "all" (one trailing newline allowed): LS_TRACK_SET_*. */
int ls_parse_track(const char *val, u32 *out);
/* The word for LS_TRACK_SET_* @v ("?" for another value). */
const char *ls_track_word(u32 v);

#endif /* LS_CONTROL_H */
