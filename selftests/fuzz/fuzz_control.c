// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: module/control.c on arbitrary bytes.
 *
 *  - ls_control_parse() on the raw bytes (an exact-size heap copy, so ASan
 *    sees any read past len): 0 or -EINVAL; on -EINVAL the command is all
 *    zero; on success every value is in range, something is set, and the
 *    command printed back in canonical form parses to the same command.
 *  - ls_parse_interval_ms/samples/pid/track/track_mean_kb() on a
 *    NUL-terminated copy: 0 with
 *    the value in range, or -EINVAL with *out untouched.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "ls_pure.h"
#include "control.h"

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "fuzz_control: %s:%d: %s\n",		\
			__FILE__, __LINE__, #cond);			\
		abort();						\
	}								\
} while (0)

#define SENTINEL 0xdeadbeefu

static bool cmd_is_zero(const struct ls_control_cmd *c)
{
	static const struct ls_control_cmd zero;

	return !memcmp(c, &zero, sizeof(*c));
}

static bool cmd_equal(const struct ls_control_cmd *a,
		      const struct ls_control_cmd *b)
{
	return a->set_interval == b->set_interval &&
	       (!a->set_interval || a->interval_ms == b->interval_ms) &&
	       a->set_samples == b->set_samples &&
	       (!a->set_samples || a->samples == b->samples) &&
	       a->set_pid == b->set_pid && (!a->set_pid || a->pid == b->pid) &&
	       a->set_track == b->set_track &&
	       (!a->set_track || a->track == b->track) &&
	       a->set_track_mean == b->set_track_mean &&
	       (!a->set_track_mean || a->track_mean_kb == b->track_mean_kb) &&
	       a->reset == b->reset && a->sample == b->sample;
}

static void check_accepted(const uint8_t *data, size_t size,
			   const struct ls_control_cmd *c)
{
	struct ls_control_cmd again;
	char canon[192];
	size_t i;
	int n = 0;

	CHECK(size >= 1 && size <= LS_CONTROL_MAX_LEN);
	for (i = 0; i < size; i++)
		CHECK(data[i] == ' ' || data[i] == '\t' || data[i] == '\n' ||
		      (data[i] >= 0x20 && data[i] <= 0x7e));
	CHECK(c->set_interval || c->set_samples || c->set_pid || c->reset ||
	      c->sample || c->set_track || c->set_track_mean);
	if (c->set_interval)
		CHECK(c->interval_ms >= LS_INTERVAL_MS_MIN &&
		      c->interval_ms <= LS_INTERVAL_MS_MAX);
	if (c->set_samples)
		CHECK(c->samples >= LS_SAMPLES_MIN &&
		      c->samples <= LS_SAMPLES_MAX);
	if (c->set_pid)
		CHECK(c->pid <= LS_PID_MAX);
	if (c->set_track)
		CHECK(c->track <= LS_TRACK_SET_ALL);
	if (c->set_track_mean)
		CHECK(c->track_mean_kb >= LS_TRACK_MEAN_KB_MIN &&
		      c->track_mean_kb <= LS_TRACK_MEAN_KB_MAX);

	/* Canonical form, tokens in another order, must parse the same. */
	if (c->sample)
		n += snprintf(canon + n, sizeof(canon) - n, "sample ");
	if (c->set_pid)
		n += snprintf(canon + n, sizeof(canon) - n, "pid=%u ", c->pid);
	if (c->set_samples)
		n += snprintf(canon + n, sizeof(canon) - n, "samples=%u ",
			      c->samples);
	if (c->set_interval)
		n += snprintf(canon + n, sizeof(canon) - n, "interval_ms=%u\t",
			      c->interval_ms);
	if (c->set_track_mean)
		n += snprintf(canon + n, sizeof(canon) - n, "track_mean_kb=%u ",
			      c->track_mean_kb);
	if (c->set_track)
		n += snprintf(canon + n, sizeof(canon) - n, "track=%s ",
			      ls_track_word(c->track));
	if (c->reset)
		n += snprintf(canon + n, sizeof(canon) - n, "reset\n");
	CHECK(n > 0 && (size_t)n < sizeof(canon));
	CHECK(ls_control_parse(canon, n, &again) == 0);
	CHECK(cmd_equal(c, &again));
}

static void check_param(int (*parse)(const char *val, u32 *out),
			const char *val, u32 min, u32 max)
{
	u32 out = SENTINEL;
	int ret = parse(val, &out);

	CHECK(ret == 0 || ret == -EINVAL);
	if (ret)
		CHECK(out == SENTINEL);
	else
		CHECK(out >= min && out <= max);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ls_control_cmd cmd;
	char *buf, *str;
	int ret;

	/* Exactly size bytes: the parser must not look at buf[size]. */
	buf = malloc(size ? size : 1);
	CHECK(buf);
	if (size)
		memcpy(buf, data, size);
	memset(&cmd, 0xa5, sizeof(cmd));
	ret = ls_control_parse(size ? buf : NULL, size, &cmd);
	CHECK(ret == 0 || ret == -EINVAL);
	if (ret)
		CHECK(cmd_is_zero(&cmd));
	else
		check_accepted(data, size, &cmd);
	/* The same bytes at a valid pointer with len 0: always refused. */
	memset(&cmd, 0xa5, sizeof(cmd));
	CHECK(ls_control_parse(buf, 0, &cmd) == -EINVAL && cmd_is_zero(&cmd));
	free(buf);

	/* Module parameter values arrive NUL-terminated. */
	str = malloc(size + 1);
	CHECK(str);
	if (size)
		memcpy(str, data, size);
	str[size] = '\0';
	check_param(ls_parse_interval_ms, str, LS_INTERVAL_MS_MIN,
		    LS_INTERVAL_MS_MAX);
	check_param(ls_parse_samples, str, LS_SAMPLES_MIN, LS_SAMPLES_MAX);
	check_param(ls_parse_pid, str, 0, LS_PID_MAX);
	check_param(ls_parse_track, str, LS_TRACK_SET_OFF, LS_TRACK_SET_ALL);
	check_param(ls_parse_track_mean_kb, str, LS_TRACK_MEAN_KB_MIN,
		    LS_TRACK_MEAN_KB_MAX);
	free(str);
	return 0;
}
