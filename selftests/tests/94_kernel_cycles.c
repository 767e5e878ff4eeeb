// SPDX-License-Identifier: GPL-2.0
/*
 * leakscope and ls_leaky.ko loaded and unloaded 50 times, interleaved in
 * the four orders (leakscope first or second, unloaded first or second),
 * with the vmalloc, slab and suspects files read and checked in between
 * and, all the time, by a concurrent reader child.  leakscope tracks
 * module loads and unloads (for orphan callers) and the slab walker sees
 * ls_leaky_cache created and destroyed: none of it may fail, hang or
 * splat.  ls_leaky frees everything on unload (free_on_unload=1), except in
 * one round that leaves a few areas orphaned, named while leakscope saw
 * the module go.  The suspects after every sample are the exact set:
 * ls_leaky's own growth at most while it runs, nothing after a clean
 * unload, its orphaned areas alone from the orphan round on.  At the end
 * both are unloaded and the vmalloc areas have not piled up.
 *
 * The child tolerates the errors of a vanishing debugfs file (see
 * 60_unload_race.c: ENOENT, ENXIO, ENODEV, EIO); anything else, or a file
 * that does not parse, is counted as an error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ls_test_util.h"

#define CYCLES		50
#define ORPHAN_CYCLE	25	/* ls_leaky leaves its areas in this one */
#define ORPHAN_TICKS	4	/* 4 areas of 64 kB */
#define LEAKY_PARAMS	"period_ms=20 vm_kb=64 objs_per_tick=16 free_on_unload=1"
#define LEAKY_ORPHAN	"period_ms=20 vm_kb=64 objs_per_tick=16 free_on_unload=0 max_ticks=4"

static const char * const kfiles[] = { "vmalloc", "slab", "suspects" };
#define NR_KFILES	3

struct shared {
	int stop;			/* __atomic */
	unsigned long reads, gone, errors;
	char last_error[160];
};

FIXTURE(kcycles) {
	struct shared *sh;
	pid_t kid;
};

FIXTURE_SETUP(kcycles)
{
	int ret;

	self->kid = 0;
	self->sh = ls_shared_map(sizeof(*self->sh));
	ASSERT_NE(NULL, self->sh);
	ASSERT_EQ(0, ls_unload());
	ret = ls_mod_unload_retry(LS_LEAKY_MODNAME, 5000);
	ASSERT_TRUE(ret == 0 || ret == -ENOENT);
	ASSERT_EQ(0, access(ls_leaky_ko_path(), R_OK))
		TH_LOG("%s: %s", ls_leaky_ko_path(), strerror(errno));
}

FIXTURE_TEARDOWN(kcycles)
{
	int ret;

	__atomic_store_n(&self->sh->stop, 1, __ATOMIC_RELAXED);
	if (self->kid > 0) {
		kill(self->kid, SIGKILL);
		waitpid(self->kid, NULL, 0);
	}
	ret = ls_mod_unload_retry(LS_LEAKY_MODNAME, 5000);
	EXPECT_TRUE(ret == 0 || ret == -ENOENT);
	EXPECT_EQ(0, ls_unload());
}

static bool tolerated(int err)
{
	return err == ENOENT || err == ENXIO || err == ENODEV || err == EIO;
}

/* Every row has as many fields as there are columns. */
static bool doc_ok(const struct ls_doc *d, const char *name, char *why,
		   size_t len)
{
	int i;

	if (strcmp(d->file, name) || strcmp(d->version, "v1")) {
		snprintf(why, len, "%s: header names %s %s", name, d->file,
			 d->version);
		return false;
	}
	for (i = 0; i < d->nrows; i++) {
		if (d->rows[i].n != d->ncols) {
			snprintf(why, len, "%s: row %d has %d fields, %d columns",
				 name, i + 1, d->rows[i].n, d->ncols);
			return false;
		}
	}
	return true;
}

static void reader(struct shared *sh, pid_t parent)
{
	char why[160];
	struct ls_doc d;
	unsigned long i;
	int ret;

	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	if (getppid() != parent)
		_exit(1);
	for (i = 0; !__atomic_load_n(&sh->stop, __ATOMIC_RELAXED); i++) {
		const char *name = kfiles[i % NR_KFILES];

		ret = ls_doc_load(&d, name);
		if (ret == 0 && doc_ok(&d, name, why, sizeof(why))) {
			__atomic_add_fetch(&sh->reads, 1, __ATOMIC_RELAXED);
		} else if (ret < 0 && ret != -EBADMSG && tolerated(-ret)) {
			/* Not loaded now: no need to spin on ENOENT. */
			__atomic_add_fetch(&sh->gone, 1, __ATOMIC_RELAXED);
			ls_sleep_ms(1);
		} else {
			if (ret)
				snprintf(why, sizeof(why), "%s", d.err);
			snprintf(sh->last_error, sizeof(sh->last_error), "%s",
				 why);
			__atomic_add_fetch(&sh->errors, 1, __ATOMIC_RELAXED);
		}
		ls_doc_free(&d);
	}
	_exit(0);
}

/*
 * kB in /proc/vmallocinfo whose caller is set; @orphans: whether any
 * caller is a bare address, code in no loaded module (areas an earlier
 * test's ls_leaky left: 90_kernel_leaks leaves some on purpose).
 */
static int vmallocinfo_kb(long long *kb, bool *orphans)
{
	char *text, *line, *next, range[64], caller[128];
	long long bytes;
	int ret;

	*kb = 0;
	ret = ls_read_path("/proc/vmallocinfo", &text, NULL);
	if (ret)
		return ret;
	next = text;
	while ((line = ls_next_line(&next))) {
		if (sscanf(line, "%63s %lld %127s", range, &bytes, caller) != 3)
			continue;
		if (strstr(caller, "+0x") || !strncmp(caller, "0x", 2))
			*kb += bytes >> 10;
		if (orphans && !strncmp(caller, "0x", 2))
			*orphans = true;
	}
	free(text);
	return 0;
}

/* What ls_leaky may be named for, and nothing else may be named. */
struct named {
	const char *kind, *subject;	/* subject: a substring */
};

/* While it runs: its vmalloc caller and its cache grow. */
static const struct named leaking[] = {
	{ "vmalloc-growth", "ls_leaky_vmalloc_one" },
	{ "slab-growth", "slab:ls_leaky_cache" },
};

/*
 * Once gone: the areas it left in the orphan round.  They stay allocated
 * for good, so every later cycle in which leakscope watches ls_leaky come
 * and go at the same address names them again, and rightly; so are the
 * areas an earlier test's ls_leaky left, from the first cycle.
 */
static const struct named orphaned = { "vmalloc-orphan", "module:" LS_LEAKY_MODNAME };

static bool is_named(const struct ls_doc *d, const struct ls_row *r,
		     const struct named *n)
{
	const char *k = ls_row_field(d, r, "kind");
	const char *s = ls_row_field(d, r, "subject");

	return k && s && !strcmp(k, n->kind) && strstr(s, n->subject);
}

/*
 * The exact set of suspects: with ls_leaky loaded, at most its own growth;
 * once it is gone, nothing before the orphan round, its orphaned areas and
 * nothing else in that round (@orphan: they must be named) and after it
 * (@orphans_left: they may be).  leakscope is loaded afresh every cycle,
 * so no earlier cycle's history can leave a suspect behind.
 */
static int check_suspects(bool leaky_loaded, bool orphan, bool orphans_left,
			  char *why, size_t len)
{
	bool orphan_named = false;
	struct ls_doc s;
	int i, ret;

	ret = ls_doc_load(&s, "suspects");
	if (ret) {
		snprintf(why, len, "suspects: %s", s.err);
		ls_doc_free(&s);
		return ret;
	}
	for (i = 0; i < s.nrows && !ret; i++) {
		const struct ls_row *r = &s.rows[i];
		bool ok = false;
		size_t k;

		for (k = 0; leaky_loaded && k < ARRAY_SIZE(leaking); k++)
			ok |= is_named(&s, r, &leaking[k]);
		if (!leaky_loaded && (orphan || orphans_left) &&
		    is_named(&s, r, &orphaned)) {
			orphan_named = true;
			ok = true;
		}
		/* KASAN's quarantine (ls_test_util.h) */
		if (!ok && ls_kernel_has_kasan() &&
		    !strcmp(ls_row_field(&s, r, "kind") ?: "", "slab-growth"))
			ok = true;
		if (!ok) {
			snprintf(why, len, "suspect %s %s named (ls_leaky %s)",
				 ls_row_field(&s, r, "kind") ?: "?",
				 ls_row_field(&s, r, "subject") ?: "?",
				 leaky_loaded ? "loaded" : orphan ?
				 "gone, orphan round" : orphans_left ?
				 "gone, after the orphan round" :
				 "gone, freed all");
			ret = -EBADMSG;
		}
	}
	if (!ret && orphan && !orphan_named) {
		snprintf(why, len, "the orphan round was not named %s %s",
			 orphaned.kind, orphaned.subject);
		ret = -EBADMSG;
	}
	if (ret)
		ls_dump("suspects", s.raw);
	ls_doc_free(&s);
	return ret;
}

static int read_kfiles(char *why, size_t len)
{
	struct ls_doc d;
	int f, ret;

	for (f = 0; f < NR_KFILES; f++) {
		ret = ls_doc_load(&d, kfiles[f]);
		if (ret) {
			snprintf(why, len, "%s", d.err);
			ls_doc_free(&d);
			return ret;
		}
		if (!doc_ok(&d, kfiles[f], why, len)) {
			ls_dump(kfiles[f], d.raw);
			ls_doc_free(&d);
			return -EBADMSG;
		}
		ls_doc_free(&d);
	}
	return 0;
}

TEST_F_TIMEOUT(kcycles, interleaved, 600)
{
	long long t0 = ls_now_ms(), kb0, kb1, t, t_load = 0;
	bool orphan_named = false, orphans_before = false;
	char why[200];
	int i, ret;
	pid_t parent = getpid();

	ASSERT_EQ(0, vmallocinfo_kb(&kb0, &orphans_before));
	self->kid = fork();
	ASSERT_LE(0, self->kid);
	if (!self->kid)
		reader(self->sh, parent);

	for (i = 0; i < CYCLES; i++) {
		bool ls_first = !(i & 1), ls_unload_first = i & 2;
		bool orphan = i == ORPHAN_CYCLE;
		const char *lp = orphan ? LEAKY_ORPHAN : LEAKY_PARAMS;

		if (orphan) {
			/* leakscope must see ls_leaky come and go. */
			ls_first = true;
			ls_unload_first = false;
		}
		t = ls_now_ms();
		if (ls_first) {
			ret = ls_load("interval_ms=100");
			ASSERT_EQ(0, ret) TH_LOG("cycle %d: load leakscope: %s",
						 i + 1, strerror(-ret));
		}
		ret = ls_leaky_load(lp);
		ASSERT_EQ(0, ret) TH_LOG("cycle %d: load ls_leaky: %s", i + 1,
					 strerror(-ret));
		if (!ls_first) {
			ret = ls_load("interval_ms=100");
			ASSERT_EQ(0, ret) TH_LOG("cycle %d: load leakscope: %s",
						 i + 1, strerror(-ret));
		}
		t_load += ls_now_ms() - t;
		ret = ls_control_str("sample");
		ASSERT_EQ(0, ret) TH_LOG("cycle %d: sample: %s", i + 1,
					 strerror(-ret));
		ret = read_kfiles(why, sizeof(why));
		ASSERT_EQ(0, ret) TH_LOG("cycle %d: %s", i + 1, why);
		ret = check_suspects(true, false, false, why, sizeof(why));
		ASSERT_EQ(0, ret) TH_LOG("cycle %d: %s", i + 1, why);
		if (orphan)
			ls_sleep_ms(20 * ORPHAN_TICKS * 3);	/* all its ticks */
		if (ls_unload_first) {
			ret = ls_unload_retry(10000);
			ASSERT_EQ(0, ret) TH_LOG("cycle %d: unload leakscope: %s",
						 i + 1, strerror(-ret));
		}
		ret = ls_mod_unload_retry(LS_LEAKY_MODNAME, 10000);
		ASSERT_EQ(0, ret) TH_LOG("cycle %d: unload ls_leaky: %s", i + 1,
					 strerror(-ret));
		if (!ls_unload_first) {
			ret = ls_control_str("sample");
			ASSERT_EQ(0, ret) TH_LOG("cycle %d: sample: %s", i + 1,
						 strerror(-ret));
			ret = read_kfiles(why, sizeof(why));
			ASSERT_EQ(0, ret) TH_LOG("cycle %d: %s", i + 1, why);
			ret = check_suspects(false, orphan,
					     orphans_before || i > ORPHAN_CYCLE,
					     why, sizeof(why));
			ASSERT_EQ(0, ret) TH_LOG("cycle %d: %s", i + 1, why);
			orphan_named |= orphan;
			ret = ls_unload_retry(10000);
			ASSERT_EQ(0, ret) TH_LOG("cycle %d: unload leakscope: %s",
						 i + 1, strerror(-ret));
		}
		ASSERT_FALSE(ls_loaded()) TH_LOG("cycle %d", i + 1);
		ASSERT_FALSE(ls_mod_loaded(LS_LEAKY_MODNAME))
			TH_LOG("cycle %d", i + 1);
	}
	__atomic_store_n(&self->sh->stop, 1, __ATOMIC_RELAXED);
	ASSERT_EQ(self->kid, waitpid(self->kid, &ret, 0));
	self->kid = 0;
	EXPECT_TRUE(WIFEXITED(ret) && WEXITSTATUS(ret) == 0)
		TH_LOG("reader child: status 0x%x", ret);
	EXPECT_TRUE(orphan_named)
		TH_LOG("the orphan round was not named module:ls_leaky");
	ASSERT_EQ(0, vmallocinfo_kb(&kb1, NULL));
	ksft_print_msg("%d cycles in %lld ms (loading both: %lld ms); reader: %lu reads, %lu opens of a gone file, %lu errors%s%s\n",
		       CYCLES, ls_now_ms() - t0, t_load, self->sh->reads,
		       self->sh->gone, self->sh->errors,
		       self->sh->errors ? ", last: " : "",
		       self->sh->last_error);
	ksft_print_msg("vmallocinfo with a caller: %lld kB before, %lld kB after (the orphan round left %d x 68 kB)\n",
		       kb0, kb1, ORPHAN_TICKS);
	EXPECT_EQ(0UL, self->sh->errors) TH_LOG("last: %s",
						 self->sh->last_error);
	EXPECT_LT(0UL, self->sh->reads);
	/* Nothing piled up: the orphans plus 2 MiB of kernel noise. */
	EXPECT_GE(kb0 + ORPHAN_TICKS * 68 + 2048, kb1);
	EXPECT_FALSE(ls_loaded());
	EXPECT_FALSE(ls_mod_loaded(LS_LEAKY_MODNAME));
}

TEST_HARNESS_MAIN
