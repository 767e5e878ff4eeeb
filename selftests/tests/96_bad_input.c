// SPDX-License-Identifier: GPL-2.0
/*
 * Bad input, at volume: 10,000 writes to control from a deterministic PRNG
 * (one writer first, then 4 concurrent writers), and 1,000 writes to the
 * module parameters.
 *
 * Every byte string is generated with its validity known by construction:
 *   VALID    built from the grammar (tokens, whitespace, in-range values),
 *            so its effect on the settings is known too;
 *   INVALID  certainly refused: a valid command with a forbidden byte
 *            inserted, an unknown or out-of-range token added, a key given
 *            twice, padded past 256 bytes, empty or blank; random bytes
 *            that are empty, longer than 256 bytes or hold a byte the
 *            grammar forbids;
 *   UNKNOWN  may go either way: a prefix of a valid command (write(2) of
 *            its first k bytes: "sample" is a prefix of "samples=16",
 *            "interval_ms=36" of "interval_ms=3600000"), short random
 *            printable bytes.
 * A write must return its full length (then it was not INVALID) or -1 with
 * errno EINVAL (then it was not VALID).  With one writer, a refused write
 * leaves control's rows byte-identical, a VALID one shows exactly its
 * effect, and an accepted UNKNOWN one only values it contained.  With four
 * writers, a fifth process reads control all along: every value it shows
 * must be one a writer sent (in a string that could be valid) or the
 * initial one.  No splat: the runner checks the console.
 *
 * interval_ms stays large (3600000) so the timer does not sample under the
 * writers; a write that sets a short interval is followed by one restoring
 * it.  LS_BAD_INPUT_SEED=N changes the seed (printed at the start).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ls_test_util.h"

#define WRITERS		4
#define SINGLE_WRITES	2000
#define CONC_WRITES	2000		/* per writer: 4 * 2000 + 2000 = 10000 */
#define PARAM_WRITES	1000
#define CONTROL_MAX	256		/* LS_CONTROL_MAX_LEN */
#define BUF_MAX		8192
#define QUIET_MS	3600000u	/* interval that keeps the timer away */
#define SHORT_MS	60000u		/* below this, restore QUIET_MS */

#define INTERVAL_MIN	100u
#define INTERVAL_MAX	3600000u
#define SAMPLES_MIN	8u
#define SAMPLES_MAX	1024u
#define PID_MAX		4194304u

#define START_PARAMS	"interval_ms=3600000 samples=40"
#define START_SAMPLES	40u

enum kind { VALID, INVALID, UNKNOWN, NR_KINDS };

enum key { K_INTERVAL, K_SAMPLES, K_PID, NR_KEYS };
static const char * const key_name[] = { "interval_ms", "samples", "pid" };
static const uint32_t key_min[] = { INTERVAL_MIN, SAMPLES_MIN, 0 };
static const uint32_t key_max[] = { INTERVAL_MAX, SAMPLES_MAX, PID_MAX };

struct settings {
	uint32_t v[NR_KEYS];
};

/* What a VALID write does. */
struct effect {
	bool set[NR_KEYS];
	uint32_t v[NR_KEYS];
	bool reset, sample;
};

/* ---- PRNG: splitmix64, deterministic per seed and writer ---- */

struct rng {
	uint64_t s;
};

static uint64_t rnd(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [lo, hi]. */
static uint64_t rnd_in(struct rng *r, uint64_t lo, uint64_t hi)
{
	return lo + rnd(r) % (hi - lo + 1);
}

/* True with probability pct %. */
static bool chance(struct rng *r, unsigned int pct)
{
	return rnd(r) % 100 < pct;
}

static uint64_t seed(void)
{
	const char *s = getenv("LS_BAD_INPUT_SEED");

	return s && *s ? strtoull(s, NULL, 0) : 0x1eac5c09e96ULL;
}

/* ---- generation ---- */

struct gen {
	char buf[BUF_MAX];
	size_t len;
	enum kind kind;
	struct effect eff;	/* VALID only */
	const char *how;
};

static bool ws(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

/* A byte the grammar forbids anywhere. */
static bool forbidden(unsigned char c)
{
	return !ws(c) && (c < 0x20 || c > 0x7e);
}

static void put(struct gen *g, const char *s, size_t n)
{
	if (g->len + n > sizeof(g->buf))
		n = sizeof(g->buf) - g->len;
	memcpy(g->buf + g->len, s, n);
	g->len += n;
}

static void put_ws(struct gen *g, struct rng *r, unsigned int min)
{
	static const char w[] = " \t\n";
	unsigned int n = min + rnd(r) % 3, i;

	for (i = 0; i < n; i++)
		put(g, &w[rnd(r) % 3], 1);
}

/* A decimal of value v, maybe with leading zeros, 1..10 digits. */
static void put_num(struct gen *g, struct rng *r, uint64_t v, bool pad)
{
	char num[32];
	int n = snprintf(num, sizeof(num), "%llu", (unsigned long long)v);
	int zeros = pad && n < 10 && chance(r, 10) ? rnd_in(r, 1, 10 - n) : 0;

	while (zeros--)
		put(g, "0", 1);
	put(g, num, n);
}

static uint32_t valid_value(struct rng *r, enum key k)
{
	switch (k) {
	case K_INTERVAL:
		/* Large, so the sampler stays quiet; edges sometimes. */
		if (chance(r, 10))
			return chance(r, 50) ? INTERVAL_MAX : SHORT_MS;
		return rnd_in(r, SHORT_MS, INTERVAL_MAX);
	case K_SAMPLES:
		if (chance(r, 10))
			return chance(r, 50) ? SAMPLES_MIN : SAMPLES_MAX;
		return rnd_in(r, SAMPLES_MIN, SAMPLES_MAX);
	default:
		/* Mostly no such process (cheap); 0, 1 and the edge too. */
		if (chance(r, 20))
			return rnd(r) % 3 == 0 ? 0 : chance(r, 50) ? 1 : PID_MAX;
		return rnd_in(r, 100000, PID_MAX);
	}
}

/*
 * A valid command of 1..5 distinct tokens in random order, with random
 * whitespace around and between them.  reset/sample are rarer: each one
 * takes a synchronous sample, which is slow under TCG.
 */
static void gen_valid(struct gen *g, struct rng *r)
{
	const char *tok[5];
	int ntok = 0, i, j, k;

	memset(&g->eff, 0, sizeof(g->eff));
	g->len = 0;
	for (k = 0; k < NR_KEYS; k++) {
		if (!chance(r, 45))
			continue;
		g->eff.set[k] = true;
		g->eff.v[k] = valid_value(r, k);
		tok[ntok++] = key_name[k];
	}
	if (chance(r, 6)) {
		g->eff.reset = true;
		tok[ntok++] = "reset";
	}
	if (chance(r, 6) || !ntok) {
		if (!ntok && !chance(r, 5)) {
			/* Nothing else chosen: one setting, not a sample. */
			k = rnd(r) % NR_KEYS;
			g->eff.set[k] = true;
			g->eff.v[k] = valid_value(r, k);
			tok[ntok++] = key_name[k];
		} else {
			g->eff.sample = true;
			tok[ntok++] = "sample";
		}
	}
	for (i = ntok - 1; i > 0; i--) {	/* shuffle */
		const char *t;

		j = rnd(r) % (i + 1);
		t = tok[i];
		tok[i] = tok[j];
		tok[j] = t;
	}
	if (chance(r, 20))
		put_ws(g, r, 1);
	for (i = 0; i < ntok; i++) {
		if (i)
			put_ws(g, r, 1);
		put(g, tok[i], strlen(tok[i]));
		for (k = 0; k < NR_KEYS; k++) {
			if (tok[i] != key_name[k])
				continue;
			put(g, "=", 1);
			put_num(g, r, g->eff.v[k], true);
		}
	}
	if (chance(r, 40))
		put_ws(g, r, 1);
	/* Pad with whitespace, up to exactly the limit sometimes. */
	if (chance(r, 5)) {
		while (g->len < CONTROL_MAX && (g->len < 64 || !chance(r, 2)))
			put(g, chance(r, 80) ? " " : "\n", 1);
	}
	g->kind = VALID;
	g->how = "valid";
}

/* Tokens that are refused wherever they stand, whatever is around them. */
static const char * const bad_tokens[] = {
	"bogus", "samples", "interval_ms", "pid", "resets", "samplex", "RESET",
	"Sample", "samples=", "pid=", "interval_ms=", "=", "=500",
	"interval_ms=99", "interval_ms=0", "interval_ms=3600001",
	"interval_ms=-500", "interval_ms=+500", "interval_ms=0x1f4",
	"interval_ms=500ms", "interval_ms=00000000500", "interval_ms=4294967796",
	"samples=7", "samples=1", "samples=1025", "samples=-8", "samples=16x",
	"pid=4194305", "pid=-1", "pid=99999999999", "pid=1.0", "pid==1",
	"reset=1", "sample=1", "interval_ms:500", "samples=1e3",
	"interval_ms=500,samples=16",
};

/* Insert n bytes at pos, clipping at the buffer's end. */
static void insert(struct gen *g, size_t pos, const char *s, size_t n)
{
	if (g->len + n > sizeof(g->buf))
		return;
	memmove(g->buf + pos + n, g->buf + pos, g->len - pos);
	memcpy(g->buf + pos, s, n);
	g->len += n;
}

/* A random token boundary of g (0, len, or a whitespace byte). */
static size_t boundary(struct gen *g, struct rng *r)
{
	size_t pos = rnd(r) % (g->len + 1);

	while (pos < g->len && !ws(g->buf[pos]))
		pos++;
	return pos;
}

/* A valid command made certainly invalid. */
static void gen_corrupt(struct gen *g, struct rng *r)
{
	const char *t;
	char c;
	size_t pos;
	int k;

	gen_valid(g, r);
	switch (rnd(r) % 6) {
	case 0:	/* a forbidden byte anywhere */
		do {
			c = (char)rnd(r);
		} while (!forbidden((unsigned char)c));
		insert(g, rnd(r) % (g->len + 1), &c, 1);
		g->how = "forbidden byte";
		break;
	case 1:	/* a bad token at a token boundary: half valid */
	case 2:
		t = bad_tokens[rnd(r) % ARRAY_SIZE(bad_tokens)];
		pos = boundary(g, r);
		insert(g, pos, " ", 1);
		insert(g, pos, t, strlen(t));
		insert(g, pos, "\t", 1);
		g->how = "bad token";
		break;
	case 3:	/* a key given twice (second value valid too) */
		for (k = 0; k < NR_KEYS && !g->eff.set[k]; k++)
			;
		if (k == NR_KEYS) {
			k = rnd(r) % NR_KEYS;
			put(g, " ", 1);
			put(g, key_name[k], strlen(key_name[k]));
			put(g, "=", 1);
			put_num(g, r, valid_value(r, k), false);
		}
		put(g, "\t", 1);
		put(g, key_name[k], strlen(key_name[k]));
		put(g, "=", 1);
		put_num(g, r, valid_value(r, k), false);
		g->how = "key twice";
		break;
	case 4:	/* too long: whitespace padding past 256 bytes */
		pos = rnd_in(r, CONTROL_MAX + 1, chance(r, 70) ? 300 : BUF_MAX);
		while (g->len < pos)
			put(g, chance(r, 90) ? " " : "\n", 1);
		g->how = "too long";
		break;
	default:	/* nothing but whitespace, or nothing */
		g->len = 0;
		if (chance(r, 70))
			put_ws(g, r, 1);
		g->how = "blank";
		break;
	}
	g->kind = INVALID;
}

/* Random length: mostly short, some long (up to BUF_MAX). */
static size_t rnd_len(struct rng *r)
{
	unsigned int p = rnd(r) % 100;

	if (p < 80)
		return rnd(r) % 48;
	if (p < 95)
		return rnd_in(r, 48, 400);
	return rnd_in(r, 400, BUF_MAX);
}

/* Classify random bytes by what the grammar certainly refuses. */
static void classify_random(struct gen *g)
{
	bool blank = true;
	size_t i;

	g->kind = UNKNOWN;
	if (!g->len || g->len > CONTROL_MAX) {
		g->kind = INVALID;
		return;
	}
	for (i = 0; i < g->len; i++) {
		if (forbidden((unsigned char)g->buf[i])) {
			g->kind = INVALID;
			return;
		}
		if (!ws(g->buf[i]))
			blank = false;
	}
	if (blank)
		g->kind = INVALID;
}

static void gen_random(struct gen *g, struct rng *r, bool grammar_chars)
{
	static const char alpha[] = "abcdeilmnoprstx_=0123456789  \t\n";
	size_t i;

	g->len = rnd_len(r);
	for (i = 0; i < g->len; i++)
		g->buf[i] = grammar_chars ? alpha[rnd(r) % (sizeof(alpha) - 1)] :
					    (char)rnd(r);
	g->how = grammar_chars ? "random grammar bytes" : "random bytes";
	classify_random(g);
}

/* The first k < len bytes of a valid command. */
static void gen_prefix(struct gen *g, struct rng *r)
{
	gen_valid(g, r);
	g->len = rnd(r) % g->len;
	g->how = "prefix";
	if (!g->len)
		g->kind = INVALID;
	else
		classify_random(g);	/* UNKNOWN, or INVALID when blank */
}

static void gen_any(struct gen *g, struct rng *r)
{
	unsigned int p = rnd(r) % 100;

	if (p < 30)
		gen_valid(g, r);
	else if (p < 60)
		gen_corrupt(g, r);
	else if (p < 75)
		gen_prefix(g, r);
	else if (p < 90)
		gen_random(g, r, false);
	else
		gen_random(g, r, true);
}

/*
 * Values that follow "KEY=" at a token start in buf, as numbers (up to 10
 * digits, then whitespace or the end).  Used to tell whether a setting
 * shown afterwards was in what was written, not to judge validity.
 */
static int values_of(const char *buf, size_t len, enum key k, uint64_t *out,
		     int max)
{
	size_t kl = strlen(key_name[k]), i, j;
	uint64_t v;
	int n = 0;

	for (i = 0; i + kl < len && n < max; i++) {
		if ((i && !ws(buf[i - 1])) || memcmp(buf + i, key_name[k], kl) ||
		    buf[i + kl] != '=')
			continue;
		v = 0;
		for (j = i + kl + 1; j < len && buf[j] >= '0' && buf[j] <= '9' &&
		     j - (i + kl + 1) < 11; j++)
			v = v * 10 + (buf[j] - '0');
		if (j == i + kl + 1 || j - (i + kl + 1) > 10 ||
		    (j < len && !ws(buf[j])))
			continue;
		out[n++] = v;
	}
	return n;
}

static bool value_in(const char *buf, size_t len, enum key k, uint32_t v)
{
	uint64_t vals[64];
	int n = values_of(buf, len, k, vals, 64), i;

	for (i = 0; i < n; i++)
		if (vals[i] == v)
			return true;
	return false;
}

/* ---- reading control ---- */

/* control's text and its settings; rows: everything after the header. */
static int read_control(char **text, const char **rows, struct settings *s)
{
	const struct ls_row *row;
	struct ls_doc d;
	long long v;
	int ret, k;

	*text = NULL;
	ret = ls_read_file("control", text);
	if (ret)
		return ret;
	*rows = strchr(*text, '\n');
	if (!*rows)
		return -EBADMSG;
	ret = ls_doc_parse(&d, *text);
	if (ret)
		goto out;
	ret = -EBADMSG;
	for (k = 0; k < NR_KEYS; k++) {
		row = ls_doc_row(&d, key_name[k]);
		if (!row || row->n != 2 || !ls_parse_ll(row->f[1], &v) ||
		    v < key_min[k] || v > key_max[k])
			goto out;
		s->v[k] = v;
	}
	ret = 0;
out:
	ls_doc_free(&d);
	return ret;
}

static void settings_str(const struct settings *s, char *out, size_t len)
{
	snprintf(out, len, "interval_ms=%u samples=%u pid=%u",
		 s->v[K_INTERVAL], s->v[K_SAMPLES], s->v[K_PID]);
}

/* Print up to 64 bytes of buf, escaped, for a diagnostic. */
static void escape(const char *buf, size_t len, char *out, size_t olen)
{
	size_t i, o = 0;

	for (i = 0; i < len && i < 64 && o + 5 < olen; i++) {
		unsigned char c = buf[i];

		if (c >= 0x20 && c <= 0x7e && c != '\\')
			out[o++] = c;
		else
			o += snprintf(out + o, olen - o, "\\x%02x", c);
	}
	if (i < len && o + 4 < olen)
		o += snprintf(out + o, olen - o, "...");
	out[o] = '\0';
}

/* One write(2); 0, or -errno, or 1 for a short or odd count. */
static int write_once(int fd, const char *buf, size_t len)
{
	ssize_t r = write(fd, buf, len);

	if (r < 0)
		return -errno;
	return (size_t)r == len ? 0 : 1;
}

/*
 * Judge the return of a write of g: 0 when consistent, else a message in
 * msg.  ret as from write_once.
 */
static int judge(const struct gen *g, int ret, char *msg, size_t len)
{
	char esc[400];

	escape(g->buf, g->len, esc, sizeof(esc));
	if (ret == 1) {
		snprintf(msg, len, "%s '%s' (%zu bytes): short write", g->how,
			 esc, g->len);
		return -1;
	}
	if (ret < 0 && ret != -EINVAL) {
		snprintf(msg, len, "%s '%s' (%zu bytes): %s, want EINVAL or success",
			 g->how, esc, g->len, strerror(-ret));
		return -1;
	}
	if (!ret && g->kind == INVALID) {
		snprintf(msg, len, "%s '%s' (%zu bytes): accepted, must be refused",
			 g->how, esc, g->len);
		return -1;
	}
	if (ret && g->kind == VALID) {
		snprintf(msg, len, "%s '%s' (%zu bytes): refused, must be accepted",
			 g->how, esc, g->len);
		return -1;
	}
	return 0;
}

/* ---- shared state of the concurrent phase ---- */

#define BITS(n)	(((n) + 64) / 64)

struct shared {
	int stop;			/* __atomic */
	int failed;			/* __atomic: first failure wins msg */
	char msg[600];
	unsigned long writes[WRITERS][NR_KINDS][2];	/* [kind][accepted] */
	unsigned long reads;
	/* values sent, per key, in strings that could be accepted */
	uint64_t seen_interval[BITS(INTERVAL_MAX)];
	uint64_t seen_samples[BITS(SAMPLES_MAX)];
	uint64_t seen_pid[BITS(PID_MAX)];
};

static uint64_t *seen(struct shared *sh, enum key k)
{
	return k == K_INTERVAL ? sh->seen_interval :
	       k == K_SAMPLES ? sh->seen_samples : sh->seen_pid;
}

static void mark(struct shared *sh, enum key k, uint64_t v)
{
	if (v <= key_max[k])
		__atomic_fetch_or(&seen(sh, k)[v / 64], 1ULL << (v % 64),
				  __ATOMIC_SEQ_CST);
}

static bool marked(struct shared *sh, enum key k, uint64_t v)
{
	return v <= key_max[k] &&
	       (__atomic_load_n(&seen(sh, k)[v / 64], __ATOMIC_SEQ_CST) >>
		(v % 64)) & 1;
}

static void fail_shared(struct shared *sh, const char *who, const char *msg)
{
	if (!__atomic_exchange_n(&sh->failed, 1, __ATOMIC_SEQ_CST))
		snprintf(sh->msg, sizeof(sh->msg), "%s: %s", who, msg);
	__atomic_store_n(&sh->stop, 1, __ATOMIC_SEQ_CST);
}

/* ---- the fixture ---- */

FIXTURE(bad_input) {
	struct shared *sh;
	pid_t kids[WRITERS + 1];
};

FIXTURE_SETUP(bad_input)
{
	int ret;

	self->sh = ls_shared_map(sizeof(*self->sh));
	ASSERT_NE(NULL, self->sh);
	memset(self->kids, 0, sizeof(self->kids));
	ASSERT_EQ(0, ls_unload());
	ret = ls_load(START_PARAMS);
	ASSERT_EQ(0, ret) TH_LOG("load %s: %s", ls_ko_path(), strerror(-ret));
	fprintf(stderr, "# seed 0x%llx (LS_BAD_INPUT_SEED)\n",
		(unsigned long long)seed());
}

FIXTURE_TEARDOWN(bad_input)
{
	struct settings s;
	const char *rows;
	char *text;
	int i, ret;

	for (i = 0; i <= WRITERS; i++) {
		if (self->kids[i] > 0) {
			kill(self->kids[i], SIGKILL);
			waitpid(self->kids[i], NULL, 0);
		}
	}
	/* Settings back to the defaults, then unload. */
	ret = ls_control_str("interval_ms=1000 samples=64 pid=0\n");
	EXPECT_EQ(0, ret) TH_LOG("resetting settings: %s", strerror(-ret));
	ret = read_control(&text, &rows, &s);
	EXPECT_EQ(0, ret) TH_LOG("control after reset: %s", strerror(-ret));
	if (!ret) {
		EXPECT_EQ(1000, s.v[K_INTERVAL]);
		EXPECT_EQ(64, s.v[K_SAMPLES]);
		EXPECT_EQ(0, s.v[K_PID]);
	}
	free(text);
	EXPECT_EQ(0, ls_unload());
	munmap(self->sh, sizeof(*self->sh));
}

/* Put the quiet interval back after a write that may have shortened it. */
static int quiet(int fd)
{
	static const char q[] = "interval_ms=3600000";

	return write_once(fd, q, sizeof(q) - 1);
}

/*
 * One writer: each write is judged, and control is read back after it.
 * Refused: rows byte-identical.  VALID: exactly its effect.  Accepted
 * UNKNOWN: each setting unchanged or set to a value the write contained.
 */
TEST_F_TIMEOUT(bad_input, control_single_writer, 180)
{
	unsigned long count[NR_KINDS][2] = { };
	struct settings before, after, want;
	char *text0 = NULL, *text1 = NULL;
	const char *rows0, *rows1;
	char msg[600], s0[96], s1[96], esc[400];
	struct rng r = { seed() };
	static struct gen g;
	long long t0 = ls_now_ms();
	int i, k, ret, wret, fd, fails = 0;

	ASSERT_EQ(0, read_control(&text0, &rows0, &before));
	ASSERT_EQ(QUIET_MS, before.v[K_INTERVAL]);
	ASSERT_EQ(START_SAMPLES, before.v[K_SAMPLES]);
	fd = open(LS_DIR "/control", O_WRONLY | O_CLOEXEC);
	ASSERT_LE(0, fd) TH_LOG("open control: %s", strerror(errno));

	for (i = 0; i < SINGLE_WRITES && fails < 10; i++) {
		gen_any(&g, &r);
		wret = write_once(fd, g.buf, g.len);
		count[g.kind][!wret]++;
		if (judge(&g, wret, msg, sizeof(msg))) {
			TH_LOG("write %d: %s", i, msg);
			fails++;
		}
		ret = read_control(&text1, &rows1, &after);
		ASSERT_EQ(0, ret) TH_LOG("write %d: control unreadable: %s",
					 i, strerror(-ret));
		escape(g.buf, g.len, esc, sizeof(esc));
		settings_str(&before, s0, sizeof(s0));
		settings_str(&after, s1, sizeof(s1));
		if (wret) {
			if (strcmp(rows0, rows1)) {
				TH_LOG("write %d: refused %s '%s' changed control",
				       i, g.how, esc);
				ls_dump("control before", text0);
				ls_dump("control after", text1);
				fails++;
			}
		} else if (g.kind == VALID) {
			want = before;
			for (k = 0; k < NR_KEYS; k++)
				if (g.eff.set[k])
					want.v[k] = g.eff.v[k];
			if (memcmp(&want, &after, sizeof(want))) {
				settings_str(&want, s0, sizeof(s0));
				TH_LOG("write %d: '%s' gave %s, want %s", i, esc,
				       s1, s0);
				fails++;
			}
		} else {
			for (k = 0; k < NR_KEYS; k++) {
				if (after.v[k] == before.v[k] ||
				    value_in(g.buf, g.len, k, after.v[k]))
					continue;
				TH_LOG("write %d: accepted %s '%s' turned %s into %s",
				       i, g.how, esc, s0, s1);
				fails++;
			}
		}
		free(text0);
		text0 = text1;
		rows0 = rows1;
		before = after;
		if (!wret && after.v[K_INTERVAL] < SHORT_MS) {
			ASSERT_EQ(0, quiet(fd));
			free(text0);
			ASSERT_EQ(0, read_control(&text0, &rows0, &before));
			ASSERT_EQ(QUIET_MS, before.v[K_INTERVAL]);
		}
	}
	close(fd);
	free(text0);
	if (fails)
		_metadata->exit_code = KSFT_FAIL;
	fprintf(stderr, "# %d writes in %lld ms; accepted/refused: valid %lu/%lu invalid %lu/%lu unknown %lu/%lu\n",
		i, ls_now_ms() - t0, count[VALID][1], count[VALID][0],
		count[INVALID][1], count[INVALID][0], count[UNKNOWN][1],
		count[UNKNOWN][0]);
}

/* A writer process of the concurrent phase. */
static void writer(struct shared *sh, int w)
{
	struct rng r = { seed() ^ (0x5bd1e995ULL * (w + 1)) };
	static struct gen g;
	uint64_t vals[64];
	char msg[600], who[32];
	int i, k, n, j, ret, fd;

	snprintf(who, sizeof(who), "writer %d", w);
	fd = open(LS_DIR "/control", O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		fail_shared(sh, who, "cannot open control");
		return;
	}
	for (i = 0; i < CONC_WRITES &&
	     !__atomic_load_n(&sh->stop, __ATOMIC_SEQ_CST); i++) {
		gen_any(&g, &r);
		/* Announce the values before they can show. */
		if (g.kind != INVALID) {
			for (k = 0; k < NR_KEYS; k++) {
				n = values_of(g.buf, g.len, k, vals, 64);
				for (j = 0; j < n; j++)
					mark(sh, k, vals[j]);
			}
		}
		ret = write_once(fd, g.buf, g.len);
		sh->writes[w][g.kind][!ret]++;
		if (judge(&g, ret, msg, sizeof(msg))) {
			snprintf(msg + strlen(msg), sizeof(msg) - strlen(msg),
				 " (write %d)", i);
			fail_shared(sh, who, msg);
			break;
		}
		if (ret)
			continue;
		n = values_of(g.buf, g.len, K_INTERVAL, vals, 64);
		for (j = 0; j < n; j++) {
			if (vals[j] >= SHORT_MS)
				continue;
			if (quiet(fd))
				fail_shared(sh, who, "restoring interval_ms refused");
			break;
		}
	}
	close(fd);
}

/* The reader process: every value shown was sent by someone. */
static void reader(struct shared *sh)
{
	struct settings s;
	const char *rows;
	char *text, msg[300];
	int ret, k;

	while (!__atomic_load_n(&sh->stop, __ATOMIC_SEQ_CST)) {
		ret = read_control(&text, &rows, &s);
		if (ret) {
			snprintf(msg, sizeof(msg), "control unreadable: %s",
				 strerror(-ret));
			fail_shared(sh, "reader", msg);
		}
		for (k = 0; !ret && k < NR_KEYS; k++) {
			if (marked(sh, k, s.v[k]))
				continue;
			snprintf(msg, sizeof(msg),
				 "control shows %s=%u, which no writer sent",
				 key_name[k], s.v[k]);
			fail_shared(sh, "reader", msg);
		}
		free(text);
		sh->reads++;
	}
}

/*
 * Four writers at once, a reader alongside.  Each write is judged on its
 * own; what control shows, during and after, must be values some writer
 * sent in a string that could be accepted (or the initial ones).
 */
TEST_F_TIMEOUT(bad_input, control_concurrent, 180)
{
	struct shared *sh = self->sh;
	unsigned long tot[NR_KINDS][2] = { };
	struct settings s;
	const char *rows;
	long long t0 = ls_now_ms();
	char *text;
	int w, k, st, a;

	ASSERT_EQ(0, read_control(&text, &rows, &s));
	free(text);
	for (k = 0; k < NR_KEYS; k++)
		mark(sh, k, s.v[k]);
	mark(sh, K_INTERVAL, QUIET_MS);

	for (w = 0; w <= WRITERS; w++) {
		self->kids[w] = fork();
		ASSERT_LE(0, self->kids[w]);
		if (!self->kids[w]) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (w < WRITERS)
				writer(sh, w);
			else
				reader(sh);
			_exit(0);
		}
	}
	for (w = 0; w < WRITERS; w++) {
		ASSERT_EQ(self->kids[w], waitpid(self->kids[w], &st, 0));
		self->kids[w] = 0;
		EXPECT_TRUE(WIFEXITED(st) && !WEXITSTATUS(st))
			TH_LOG("writer %d: status 0x%x", w, st);
	}
	__atomic_store_n(&sh->stop, 1, __ATOMIC_SEQ_CST);
	ASSERT_EQ(self->kids[WRITERS], waitpid(self->kids[WRITERS], &st, 0));
	self->kids[WRITERS] = 0;
	EXPECT_TRUE(WIFEXITED(st) && !WEXITSTATUS(st))
		TH_LOG("reader: status 0x%x", st);
	EXPECT_EQ(0, sh->failed) TH_LOG("%s", sh->msg);

	ASSERT_EQ(0, read_control(&text, &rows, &s));
	free(text);
	for (k = 0; k < NR_KEYS; k++)
		EXPECT_TRUE(marked(sh, k, s.v[k]))
			TH_LOG("control ends with %s=%u, which no writer sent",
			       key_name[k], s.v[k]);
	for (w = 0; w < WRITERS; w++)
		for (k = 0; k < NR_KINDS; k++)
			for (a = 0; a < 2; a++)
				tot[k][a] += sh->writes[w][k][a];
	fprintf(stderr, "# %d writers x %d writes in %lld ms, %lu reads; accepted/refused: valid %lu/%lu invalid %lu/%lu unknown %lu/%lu\n",
		WRITERS, CONC_WRITES, ls_now_ms() - t0, sh->reads,
		tot[VALID][1], tot[VALID][0], tot[INVALID][1], tot[INVALID][0],
		tot[UNKNOWN][1], tot[UNKNOWN][0]);
}

/* ---- module parameters ---- */

/*
 * A value for parameter k, valid or certainly invalid.  The kernel hands
 * the set callback a NUL-terminated copy, so NUL is never generated (it
 * would cut the string short).  Longest: 4000 bytes, below PAGE_SIZE, which
 * sysfs would truncate to.
 */
static void gen_param(struct gen *g, struct rng *r, enum key k)
{
	static const char * const junk[] = {
		"-1", "+5", "0x10", "1e3", " 500", "500 ", "500\n\n", "\n",
		"5\t", "1 0", "abc", "500ms", "00000000500", "\n500",
		"4294967296", "99999999999", "18446744073709551616", "--",
	};
	uint64_t v;
	size_t i;

	g->len = 0;
	memset(&g->eff, 0, sizeof(g->eff));
	switch (rnd(r) % 4) {
	case 0:
	case 1:	/* valid */
		v = valid_value(r, k);
		if (k == K_INTERVAL && chance(r, 5))
			v = rnd_in(r, INTERVAL_MIN, SHORT_MS);
		put_num(g, r, v, true);
		if (chance(r, 50))
			put(g, "\n", 1);
		g->eff.set[k] = true;
		g->eff.v[k] = v;
		g->kind = VALID;
		g->how = "valid value";
		return;
	case 2:	/* out of range, maybe with a newline */
		if (k == K_PID || chance(r, 50))
			v = rnd_in(r, key_max[k] + 1,
				   chance(r, 50) ? key_max[k] * 2ULL : 9999999999ULL);
		else
			v = rnd_in(r, 0, key_min[k] - 1);
		put_num(g, r, v, false);
		if (chance(r, 50))
			put(g, "\n", 1);
		g->how = "out of range";
		break;
	default:
		if (chance(r, 50)) {
			const char *j = junk[rnd(r) % ARRAY_SIZE(junk)];

			put(g, j, strlen(j));
			g->how = "junk";
		} else {
			/* Random bytes, no NUL, first one not a digit. */
			g->len = 1 + rnd_len(r) % 4000;
			for (i = 0; i < g->len; i++) {
				do {
					g->buf[i] = (char)rnd(r);
				} while (!g->buf[i] ||
					 (!i && g->buf[i] >= '0' &&
					  g->buf[i] <= '9'));
			}
			g->how = "random bytes";
		}
		break;
	}
	g->kind = INVALID;
}

/* Read the three parameters. 0 or -errno. */
static int read_params(struct settings *s)
{
	long long v;
	int k, ret;

	for (k = 0; k < NR_KEYS; k++) {
		ret = ls_param_read(key_name[k], &v);
		if (ret)
			return ret;
		s->v[k] = v;
	}
	return 0;
}

/*
 * 1000 writes to /sys/module/leakscope/parameters/{interval_ms,samples,pid}:
 * full length and exactly the value, or EINVAL and nothing changed (control
 * and the parameters agree throughout).
 */
TEST_F_TIMEOUT(bad_input, params, 180)
{
	unsigned long count[2] = { };
	struct settings before, after, want, par;
	char *text0 = NULL, *text1 = NULL;
	const char *rows0, *rows1;
	char msg[600], s0[96], s1[96], esc[400], path[128];
	struct rng r = { seed() ^ 0xabcdefULL };
	static struct gen g;
	long long t0 = ls_now_ms();
	int fds[NR_KEYS], i, k, wret, cfd, fails = 0;

	for (k = 0; k < NR_KEYS; k++) {
		snprintf(path, sizeof(path), "%s/%s", LS_PARAM_DIR, key_name[k]);
		fds[k] = open(path, O_WRONLY | O_CLOEXEC);
		ASSERT_LE(0, fds[k]) TH_LOG("open %s: %s", path, strerror(errno));
	}
	cfd = open(LS_DIR "/control", O_WRONLY | O_CLOEXEC);
	ASSERT_LE(0, cfd);
	ASSERT_EQ(0, read_control(&text0, &rows0, &before));

	for (i = 0; i < PARAM_WRITES && fails < 10; i++) {
		k = rnd(&r) % NR_KEYS;
		gen_param(&g, &r, k);
		wret = write_once(fds[k], g.buf, g.len);
		count[!wret]++;
		escape(g.buf, g.len, esc, sizeof(esc));
		if (judge(&g, wret, msg, sizeof(msg))) {
			TH_LOG("%s write %d: %s", key_name[k], i, msg);
			fails++;
		}
		ASSERT_EQ(0, read_control(&text1, &rows1, &after));
		ASSERT_EQ(0, read_params(&par));
		want = before;
		if (!wret)
			want.v[k] = g.eff.v[k];
		settings_str(&want, s0, sizeof(s0));
		settings_str(&after, s1, sizeof(s1));
		if (memcmp(&want, &after, sizeof(want)) ||
		    (wret && strcmp(rows0, rows1))) {
			TH_LOG("%s <- '%s' (%s, %s): control has %s, want %s",
			       key_name[k], esc, g.how,
			       wret ? "refused" : "accepted", s1, s0);
			fails++;
		}
		if (memcmp(&par, &after, sizeof(par))) {
			settings_str(&par, s0, sizeof(s0));
			TH_LOG("after %s <- '%s': parameters %s, control %s",
			       key_name[k], esc, s0, s1);
			fails++;
		}
		free(text0);
		text0 = text1;
		rows0 = rows1;
		before = after;
		if (after.v[K_INTERVAL] < SHORT_MS) {
			ASSERT_EQ(0, quiet(cfd));
			free(text0);
			ASSERT_EQ(0, read_control(&text0, &rows0, &before));
		}
	}
	for (k = 0; k < NR_KEYS; k++)
		close(fds[k]);
	close(cfd);
	free(text0);
	if (fails)
		_metadata->exit_code = KSFT_FAIL;
	fprintf(stderr, "# %d parameter writes in %lld ms: %lu accepted, %lu refused\n",
		i, ls_now_ms() - t0, count[1], count[0]);
}

TEST_HARNESS_MAIN
