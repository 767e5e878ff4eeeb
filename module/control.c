// SPDX-License-Identifier: GPL-2.0
/*
 * Parsing of control writes and module parameter values.
 *
 * Grammar of one write to `control` (at most LS_CONTROL_MAX_LEN bytes):
 *
 *   write  := ws* token (ws+ token)* ws*
 *   token  := "reset" | "sample" | "interval_ms=" N | "samples=" N | "pid=" N
 *           | "track=" ("off" | "auto" | "all") | "track_mean_kb=" N
 *   N      := 1 to 10 decimal digits, in the setting's range
 *   ws     := ' ' | '\t' | '\n'
 *
 * Any other byte (NUL, '\r', DEL, non-ASCII...) refuses the whole write, as
 * does an unknown token, a token given twice, or a value out of range.  A
 * write is all or nothing: the result is built aside and handed over only
 * once every token has parsed.  The parser never reads past @len and needs
 * no NUL terminator, so it can run on the raw user copy.
 *
 * This file is pure: no allocation, no locks, no printing.
 */

#include "ls_pure.h"
#include "control.h"

#define LS_VALUE_MAX_DIGITS 10

static bool ls_is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

/*
 * Parse exactly @len bytes as an unsigned decimal in [@min, @max].  No sign,
 * no base prefix, no spaces; leading zeros are fine.  Ten digits bound the
 * value below 10^10, which a u64 holds, so the range check cannot be fooled
 * by wrap-around.
 */
static int ls_parse_u32(const char *s, size_t len, u32 min, u32 max, u32 *out)
{
	u64 val = 0;
	size_t i;

	if (!len || len > LS_VALUE_MAX_DIGITS)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		val = val * 10 + (u64)(s[i] - '0');
	}
	if (val < min || val > max)
		return -EINVAL;
	*out = (u32)val;
	return 0;
}

static const char *const ls_track_words[] = { "off", "auto", "all" };

/* Exactly @len bytes at @s as one of ls_track_words. */
static int ls_parse_track_word(const char *s, size_t len, u32 *out)
{
	u32 i;

	for (i = 0; i < ARRAY_SIZE(ls_track_words); i++) {
		if (len == strlen(ls_track_words[i]) &&
		    !memcmp(s, ls_track_words[i], len)) {
			*out = i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *ls_track_word(u32 v)
{
	return v < ARRAY_SIZE(ls_track_words) ? ls_track_words[v] : "?";
}

/* Does the token @tok of @len bytes equal the C string @word? */
static bool ls_tok_is(const char *tok, size_t len, const char *word)
{
	return len == strlen(word) && !memcmp(tok, word, len);
}

/* Does @tok start with "@key=" ?  Then return the value's offset. */
static size_t ls_tok_key(const char *tok, size_t len, const char *key)
{
	size_t klen = strlen(key);

	if (len <= klen || memcmp(tok, key, klen) || tok[klen] != '=')
		return 0;
	return klen + 1;
}

static int ls_control_token(const char *tok, size_t len,
			    struct ls_control_cmd *c)
{
	const struct {
		const char *key;
		bool *set;
		u32 *val;
		u32 min, max;
	} keys[] = {
		{ "interval_ms", &c->set_interval, &c->interval_ms,
		  LS_INTERVAL_MS_MIN, LS_INTERVAL_MS_MAX },
		{ "samples", &c->set_samples, &c->samples,
		  LS_SAMPLES_MIN, LS_SAMPLES_MAX },
		{ "pid", &c->set_pid, &c->pid, 0, LS_PID_MAX },
		{ "track_mean_kb", &c->set_track_mean, &c->track_mean_kb,
		  LS_TRACK_MEAN_KB_MIN, LS_TRACK_MEAN_KB_MAX },
	};
	size_t off, i;

	if (ls_tok_is(tok, len, "reset")) {
		if (c->reset)
			return -EINVAL;
		c->reset = true;
		return 0;
	}
	if (ls_tok_is(tok, len, "sample")) {
		if (c->sample)
			return -EINVAL;
		c->sample = true;
		return 0;
	}
	off = ls_tok_key(tok, len, "track");
	if (off) {
		if (c->set_track)
			return -EINVAL;
		c->set_track = true;
		return ls_parse_track_word(tok + off, len - off, &c->track);
	}
	for (i = 0; i < ARRAY_SIZE(keys); i++) {
		off = ls_tok_key(tok, len, keys[i].key);
		if (!off)
			continue;
		if (*keys[i].set)
			return -EINVAL;
		*keys[i].set = true;
		return ls_parse_u32(tok + off, len - off, keys[i].min,
				    keys[i].max, keys[i].val);
	}
	/* Unknown word, or "key=" with nothing after the '='. */
	return -EINVAL;
}

int ls_control_parse(const char *buf, size_t len, struct ls_control_cmd *cmd)
{
	struct ls_control_cmd c;
	size_t i = 0, start;
	u32 tokens = 0;
	int ret;

	memset(cmd, 0, sizeof(*cmd));
	memset(&c, 0, sizeof(c));
	if (!buf || !len || len > LS_CONTROL_MAX_LEN)
		return -EINVAL;
	/* Screen every byte first: one bad byte refuses the whole write. */
	for (i = 0; i < len; i++) {
		unsigned char b = buf[i];

		if (!ls_is_ws(b) && (b < ' ' || b > '~'))
			return -EINVAL;
	}
	i = 0;
	for (;;) {
		while (i < len && ls_is_ws(buf[i]))
			i++;
		if (i == len)
			break;
		start = i;
		while (i < len && !ls_is_ws(buf[i]))
			i++;
		ret = ls_control_token(buf + start, i - start, &c);
		if (ret)
			return ret;
		tokens++;
	}
	if (!tokens)
		return -EINVAL;
	*cmd = c;
	return 0;
}

/*
 * A module parameter arrives NUL-terminated, with the newline `echo` adds
 * when written through sysfs; accept exactly one trailing '\n', as
 * kstrtouint() does, and nothing else around the digits.
 */
static int ls_parse_param(const char *val, u32 min, u32 max, u32 *out)
{
	size_t len;

	if (!val)
		return -EINVAL;
	len = strnlen(val, LS_VALUE_MAX_DIGITS + 2);
	if (len && val[len - 1] == '\n')
		len--;
	return ls_parse_u32(val, len, min, max, out);
}

int ls_parse_interval_ms(const char *val, u32 *out)
{
	return ls_parse_param(val, LS_INTERVAL_MS_MIN, LS_INTERVAL_MS_MAX, out);
}

int ls_parse_samples(const char *val, u32 *out)
{
	return ls_parse_param(val, LS_SAMPLES_MIN, LS_SAMPLES_MAX, out);
}

int ls_parse_pid(const char *val, u32 *out)
{
	return ls_parse_param(val, 0, LS_PID_MAX, out);
}

int ls_parse_track_mean_kb(const char *val, u32 *out)
{
	return ls_parse_param(val, LS_TRACK_MEAN_KB_MIN, LS_TRACK_MEAN_KB_MAX,
			      out);
}

int ls_parse_track(const char *val, u32 *out)
{
	size_t len;

	if (!val)
		return -EINVAL;
	len = strnlen(val, LS_VALUE_MAX_DIGITS + 2);
	if (len && val[len - 1] == '\n')
		len--;
	return ls_parse_track_word(val, len, out);
}
