// SPDX-License-Identifier: GPL-2.0
/*
 * Cgroups: a service that keeps adding workers which each hold memory is
 * named, as its cgroup, and nothing else is.
 *
 * With cgroup v2 (mounted here when it is not), interval_ms=500 and three
 * cgroups made by the test:
 *	/ls-grow	a new ls-repro-flat -s 1024 every second: each worker
 *			takes 1 MiB once and stays flat, but there are ever
 *			more of them: task-growth, subject cgroup:/ls-grow
 *	/ls-pool	four ls-repro-flat -s 2048, a fixed-size pool
 *	/ls-prefork	ls-repro-prefork, a pre-fork server recycling workers
 *	/ls-step	two ls-repro-flat -s 1024, and six more at 8 s: a
 *			service scaled up once, mid-window, then level
 * Within 45 s the grower's cgroup must be named task-growth, and its row
 * in `cgroups` growing; at every poll, from the first, no process of the
 * four cgroups is a suspect, nor the other three cgroups, nor is any
 * of their rows growing.  Then, after a `sample` with the spawning
 * stopped: each cgroup's row in `cgroups` is the sum of the `procs` rows
 * of that cgroup (processes, threads, VSZ, anon, shmem, locked, stacks,
 * orphans), and the pids `procs` puts in /ls-grow and /ls-pool are those
 * of their cgroup.procs.
 *
 * On a kernel without cgroups (the debug test kernel: no CONFIG_CGROUPS)
 * there is nothing to attribute: the test checks that every `procs` row
 * says `-`, that `cgroups` has no row and says cgroups=none, and says so.
 *
 * cap_keeps_lowest_ids: more cgroups than the module keeps a sample
 * (1,024): CAP_CGROUPS cgroups /ls-cap-N with a sleeping process each.
 * Once every one of those processes has a procs row, the cgroups file has
 * exactly 1,024 rows, says caps_hit=cgroups, and keeps the lowest cgroup
 * ids (a cgroup2 directory's inode number is its cgroup id): every kept
 * /ls-cap-N has a lower id than every dropped one.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ls_test_util.h"
#include "ls_procs_util.h"

#define POLL_MS		500
#define DETECT_MS	45000
#define WATCH_MS	5000
#define SPAWN_MS	1000
#define MAX_WORKERS	80
#define POOL		4
#define STEP_FIRST	2	/* /ls-step's workers from the start, */
#define STEP_MORE	6	/* and those it gains at once, */
#define STEP_AT_MS	8000	/* then */
#define CG_MNT_DEFAULT	"/sys/fs/cgroup"
#define CG_MNT_OWN	"/tmp/ls-cgroup2"
#define CG_KEPT		1024	/* LS_CGROUPS_MAX, module/cgroups_history.h */
#define CAP_CGROUPS	(CG_KEPT + 76)
#define CAP_SETTLE_MS	120000

enum { GROW, POOLCG, PREFORK, STEP, NR_CG };
static const char * const cg_name[NR_CG] = {
	"/ls-grow", "/ls-pool", "/ls-prefork", "/ls-step",
};

FIXTURE(cgroups) {
	char mnt[64];
	bool mounted;		/* by us */
	bool have;		/* cgroup v2 on this kernel */
	pid_t workers[MAX_WORKERS];
	int nworkers;
	pid_t pool[POOL];
	pid_t prefork;
	pid_t step[STEP_FIRST + STEP_MORE];
	int nstep;
	pid_t *sleepers;	/* cap_keeps_lowest_ids: one per /ls-cap-N */
	int nsleepers;
};

/* Does this kernel know cgroup2 (/proc/filesystems)? */
static bool have_cgroup2(void)
{
	char *text = NULL;
	bool yes;

	if (ls_read_path("/proc/filesystems", &text, NULL))
		return false;
	yes = strstr(text, "\tcgroup2\n") != NULL;
	free(text);
	return yes;
}

/* Where cgroup2 is mounted, from /proc/mounts; false when it is not. */
static bool cgroup2_mount(char *dst, size_t len)
{
	char *text = NULL, *pos, *line, dev[64], dir[256], type[32];
	bool found = false;

	if (ls_read_path("/proc/mounts", &text, NULL))
		return false;
	pos = text;
	while (!found && (line = ls_next_line(&pos)))
		if (sscanf(line, "%63s %255s %31s", dev, dir, type) == 3 &&
		    !strcmp(type, "cgroup2") && strlen(dir) < len) {
			strcpy(dst, dir);
			found = true;
		}
	free(text);
	return found;
}

static int cg_path(const struct _test_data_cgroups *self, int cg,
		   const char *file, char *dst, size_t len)
{
	return snprintf(dst, len, "%s%s%s%s", self->mnt, cg_name[cg],
			file ? "/" : "", file ?: "");
}

/* Move @pid into the cgroup whose cgroup.procs is @procs: 0 or -errno. */
static int cg_move_to(const char *procs, pid_t pid)
{
	char buf[16];
	int fd, n, ret = 0;

	fd = open(procs, O_WRONLY);
	if (fd < 0)
		return -errno;
	n = snprintf(buf, sizeof(buf), "%d", pid);
	if (write(fd, buf, n) != n)
		ret = -errno;
	close(fd);
	return ret;
}

/* Move @pid into cgroup @cg: 0 or -errno. */
static int cg_move(const struct _test_data_cgroups *self, int cg,
		   pid_t pid)
{
	char path[128];

	cg_path(self, cg, "cgroup.procs", path, sizeof(path));
	return cg_move_to(path, pid);
}

/* Remove cgroup @path: a killed task leaves it a moment after it is reaped. */
static void cg_remove(const char *path)
{
	int tries;

	for (tries = 0; rmdir(path) && errno == EBUSY && tries < 50; tries++)
		ls_sleep_ms(100);
}

FIXTURE_SETUP(cgroups)
{
	char path[128];
	int i, ret;

	memset(self, 0, sizeof(*self));
	ASSERT_EQ(0, prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0));
	self->have = have_cgroup2();
	if (self->have && !cgroup2_mount(self->mnt, sizeof(self->mnt))) {
		strcpy(self->mnt, CG_MNT_DEFAULT);
		if (mount("none", self->mnt, "cgroup2", 0, NULL)) {
			strcpy(self->mnt, CG_MNT_OWN);
			mkdir(self->mnt, 0755);
			ASSERT_EQ(0, mount("none", self->mnt, "cgroup2", 0, NULL))
				TH_LOG("mount cgroup2: %s", strerror(errno));
		}
		self->mounted = true;
	}
	for (i = 0; self->have && i < NR_CG; i++) {
		cg_path(self, i, NULL, path, sizeof(path));
		rmdir(path);	/* a previous run's, if any */
		ASSERT_EQ(0, mkdir(path, 0755))
			TH_LOG("mkdir %s: %s", path, strerror(errno));
	}
	ASSERT_EQ(0, ls_unload());
	ret = ls_load("interval_ms=500");
	ASSERT_EQ(0, ret) TH_LOG("load %s: %s", ls_ko_path(), strerror(-ret));
}

FIXTURE_TEARDOWN(cgroups)
{
	char path[128];
	int i;

	for (i = 0; i < self->nworkers; i++)
		ls_kill_wait(self->workers[i]);
	for (i = 0; i < POOL; i++)
		ls_kill_wait(self->pool[i]);
	for (i = 0; i < self->nstep; i++)
		ls_kill_wait(self->step[i]);
	ls_kill_wait(self->prefork);
	for (i = 0; i < self->nsleepers; i++)
		ls_kill_wait(self->sleepers[i]);
	ls_reap_all();
	EXPECT_EQ(0, ls_unload());
	for (i = 0; self->have && i < NR_CG; i++) {
		cg_path(self, i, NULL, path, sizeof(path));
		cg_remove(path);
	}
	/* The one made last may have no sleeper: its fork failed. */
	for (i = 0; self->sleepers && i <= self->nsleepers &&
	     i < CAP_CGROUPS; i++) {
		snprintf(path, sizeof(path), "%s/ls-cap-%d", self->mnt, i);
		cg_remove(path);
	}
	free(self->sleepers);
	if (self->mounted)
		umount(self->mnt);
}

/* Start ls-repro-NAME and move it into @cg: its pid, or -errno. */
static pid_t start_in(const struct _test_data_cgroups *self, int cg,
		      const char *name, char *const argv[])
{
	pid_t pid = ls_repro_start(name, argv);
	int ret;

	if (pid < 0)
		return pid;
	ret = cg_move(self, cg, pid);
	if (ret) {
		ls_kill_wait(pid);
		return ret;
	}
	return pid;
}

static pid_t start_worker(struct _test_data_cgroups *self)
{
	char *argv[] = { "ls-repro-flat", "-s", "1024", NULL };
	pid_t pid;

	if (self->nworkers >= MAX_WORKERS)
		return 0;
	pid = start_in(self, GROW, "flat", argv);
	if (pid > 0)
		self->workers[self->nworkers++] = pid;
	return pid;
}

/* @n more workers of 1 MiB each in /ls-step: 0, or -errno. */
static int step_up(struct _test_data_cgroups *self, int n)
{
	char *argv[] = { "ls-repro-flat", "-s", "1024", NULL };
	pid_t pid;

	while (n-- > 0) {
		pid = start_in(self, STEP, "flat", argv);
		if (pid < 0)
			return pid;
		self->step[self->nstep++] = pid;
	}
	return 0;
}

/* Which of our cgroups @path is, or -1. */
static int cg_index(const char *path)
{
	int i;

	for (i = 0; path && i < NR_CG; i++)
		if (!strcmp(path, cg_name[i]))
			return i;
	return -1;
}

/* The procs row of @pid, or NULL. */
static const struct ls_row *procs_row(const struct ls_doc *d, pid_t pid)
{
	int i;

	for (i = 0; i < d->nrows; i++)
		if (atoi(d->rows[i].f[0]) == pid)
			return &d->rows[i];
	return NULL;
}

/* The cgroups row of @path, or NULL. */
static const struct ls_row *cg_row(const struct ls_doc *d, const char *path)
{
	const char *f;
	int i;

	for (i = 0; i < d->nrows; i++) {
		f = ls_row_field(d, &d->rows[i], "cgroup");
		if (f && !strcmp(f, path))
			return &d->rows[i];
	}
	return NULL;
}

/*
 * One poll: no process of our cgroups and neither non-leaking cgroup is
 * named, nor is a non-leaker's row growing; *@named once the grower is
 * named right.  Returns the violations.
 */
static int poll_once(struct __test_metadata *_metadata, long long t,
		     bool verbose, bool *named, bool *growing)
{
	struct ls_doc sus, procs, cgs;
	const char *kind, *subject, *verdict, *cgp;
	const struct ls_row *row;
	int i, bad = 0, cg;
	pid_t pid;

	if (ls_doc_load(&sus, "suspects") || ls_doc_load(&procs, "procs") ||
	    ls_doc_load(&cgs, "cgroups")) {
		TH_LOG("at %lld ms: a file did not load", t);
		ls_doc_free(&sus);
		ls_doc_free(&procs);
		ls_doc_free(&cgs);
		return -1;
	}
	for (i = 0; i < sus.nrows; i++) {
		kind = ls_row_field(&sus, &sus.rows[i], "kind");
		subject = ls_row_field(&sus, &sus.rows[i], "subject");
		if (!kind || !subject)
			continue;
		if (!strncmp(subject, "cgroup:", 7)) {
			cg = cg_index(subject + 7);
			if (cg == GROW && !strcmp(kind, "task-growth")) {
				*named = true;
				continue;
			}
			if (cg < 0)
				continue;	/* not ours */
			if (verbose)
				TH_LOG("at %lld ms: named %s %s", t, kind,
				       subject);
			bad++;
			continue;
		}
		if (!ls_subject_pid(subject, &pid, NULL))
			continue;
		row = procs_row(&procs, pid);
		cgp = ls_row_field(&procs, row, "cgroup");
		if (cg_index(cgp) >= 0) {
			if (verbose)
				TH_LOG("at %lld ms: a process of %s named: %s %s",
				       t, cgp, kind, subject);
			bad++;
		}
	}
	for (i = 0; i < NR_CG; i++) {
		row = cg_row(&cgs, cg_name[i]);
		verdict = ls_row_field(&cgs, row, "verdict");
		if (!verdict || strcmp(verdict, "growing"))
			continue;
		if (i == GROW) {
			*growing = true;
		} else {
			if (verbose)
				TH_LOG("at %lld ms: %s growing", t, cg_name[i]);
			bad++;
		}
	}
	if (bad && verbose) {
		ls_dump("suspects", sus.raw);
		ls_dump("cgroups", cgs.raw);
	}
	ls_doc_free(&sus);
	ls_doc_free(&procs);
	ls_doc_free(&cgs);
	return bad;
}

static const char * const sum_cols[] = {
	"threads", "vsz_kb", "anon_kb", "shmem_kb", "locked_kb", "stacks",
	"orphans",
};

/* The cgroups row of @path is the sum of the procs rows in it. */
static void check_sums(struct __test_metadata *_metadata,
		       const struct ls_doc *procs, const struct ls_doc *cgs,
		       const char *path)
{
	long long sum[ARRAY_SIZE(sum_cols)] = { 0 }, v, nproc = 0;
	const struct ls_row *row = cg_row(cgs, path);
	const char *cgp;
	size_t k;
	int i;

	ASSERT_NE(NULL, row) TH_LOG("no cgroups row for %s", path);
	for (i = 0; i < procs->nrows; i++) {
		cgp = ls_row_field(procs, &procs->rows[i], "cgroup");
		if (!cgp || strcmp(cgp, path))
			continue;
		nproc++;
		for (k = 0; k < ARRAY_SIZE(sum_cols); k++) {
			ASSERT_TRUE(ls_parse_ll(ls_row_field(procs,
				&procs->rows[i], sum_cols[k]), &v));
			sum[k] += v;
		}
	}
	ASSERT_TRUE(ls_parse_ll(ls_row_field(cgs, row, "processes"), &v));
	EXPECT_EQ(nproc, v) TH_LOG("%s processes", path);
	for (k = 0; k < ARRAY_SIZE(sum_cols); k++) {
		ASSERT_TRUE(ls_parse_ll(ls_row_field(cgs, row, sum_cols[k]),
					&v));
		EXPECT_EQ(sum[k], v) TH_LOG("%s %s", path, sum_cols[k]);
	}
	ksft_print_msg("%-12s %lld processes, %lld kB anon: cgroups row = sum of procs rows\n",
		       path, nproc, sum[2]);
}

/* The pids procs puts in @cg are exactly those of its cgroup.procs. */
static void check_members(struct __test_metadata *_metadata,
			  const struct _test_data_cgroups *self,
			  const struct ls_doc *procs, int cg)
{
	char path[128], *text = NULL, *pos, *line;
	const struct ls_row *row;
	const char *cgp;
	int i, members = 0, in_procs = 0;

	cg_path(self, cg, "cgroup.procs", path, sizeof(path));
	ASSERT_EQ(0, ls_read_path(path, &text, NULL));
	pos = text;
	while ((line = ls_next_line(&pos))) {
		if (!*line)
			continue;
		members++;
		row = procs_row(procs, atoi(line));
		cgp = ls_row_field(procs, row, "cgroup");
		EXPECT_STREQ(cg_name[cg], cgp ?: "(no row)")
			TH_LOG("pid %s of %s", line, cg_name[cg]);
	}
	free(text);
	for (i = 0; i < procs->nrows; i++) {
		cgp = ls_row_field(procs, &procs->rows[i], "cgroup");
		if (cgp && !strcmp(cgp, cg_name[cg]))
			in_procs++;
	}
	EXPECT_EQ(members, in_procs) TH_LOG("%s", cg_name[cg]);
}

/* No cgroups on this kernel: a '-' on every row, and no cgroups row. */
static void check_none(struct __test_metadata *_metadata)
{
	struct ls_doc procs, cgs;
	const char *cgp;
	int i;

	ls_sleep_ms(1500);
	ASSERT_EQ(0, ls_doc_load(&procs, "procs"));
	ASSERT_EQ(0, ls_doc_load(&cgs, "cgroups"));
	ASSERT_LT(0, procs.nrows);
	for (i = 0; i < procs.nrows; i++) {
		cgp = ls_row_field(&procs, &procs.rows[i], "cgroup");
		EXPECT_STREQ("-", cgp ?: "(none)");
	}
	EXPECT_EQ(0, cgs.nrows);
	EXPECT_STREQ("none", ls_doc_kv(&cgs, "cgroups") ?: "(absent)");
	ksft_print_msg("no cgroup2 on this kernel: %d procs rows with cgroup '-', an empty cgroups file (cgroups=none)\n",
		       procs.nrows);
	ls_doc_free(&procs);
	ls_doc_free(&cgs);
}

TEST_F_TIMEOUT(cgroups, grower_named_others_not, 150)
{
	char *pool_argv[] = { "ls-repro-flat", "-s", "2048", NULL };
	char *prefork_argv[] = { "ls-repro-prefork", NULL };
	long long t0, t, t_named = -1, last_spawn = -SPAWN_MS;
	bool named = false, growing = false, stepped = false;
	struct ls_doc procs, cgs;
	int i, ret, bad_polls = 0;
	char *out = NULL;

	if (!self->have) {
		check_none(_metadata);
		return;
	}
	for (i = 0; i < POOL; i++) {
		self->pool[i] = start_in(self, POOLCG, "flat", pool_argv);
		ASSERT_LT(0, self->pool[i]) TH_LOG("pool: %s",
						   strerror(-self->pool[i]));
	}
	self->prefork = start_in(self, PREFORK, "prefork", prefork_argv);
	ASSERT_LT(0, self->prefork) TH_LOG("prefork: %s",
					    strerror(-self->prefork));
	ret = step_up(self, STEP_FIRST);
	ASSERT_EQ(0, ret) TH_LOG("step: %s", strerror(-ret));

	t0 = ls_now_ms();
	for (;;) {
		t = ls_now_ms() - t0;
		if (t - last_spawn >= SPAWN_MS) {
			ASSERT_LT(0, start_worker(self));
			last_spawn = t;
		}
		if (!stepped && t >= STEP_AT_MS) {
			ret = step_up(self, STEP_MORE);
			ASSERT_EQ(0, ret) TH_LOG("step: %s", strerror(-ret));
			stepped = true;
		}
		ret = poll_once(_metadata, t, bad_polls < 3, &named, &growing);
		ASSERT_LE(0, ret);
		if (ret > 0)
			bad_polls++;
		if (t_named < 0 && named && growing) {
			t_named = t;
			ksft_print_msg("cgroup:/ls-grow named task-growth after %lld ms, %d workers\n",
				       t, self->nworkers);
		}
		if (t_named >= 0 && t - t_named >= WATCH_MS && stepped)
			break;
		if (t_named < 0 && t > DETECT_MS)
			break;
		ls_sleep_ms(POLL_MS);
	}
	if (t_named < 0) {
		ASSERT_EQ(0, ls_doc_load(&cgs, "cgroups"));
		ls_dump("cgroups", cgs.raw);
		ls_doc_free(&cgs);
		ASSERT_EQ(0, ls_doc_load(&cgs, "suspects"));
		ls_dump("suspects", cgs.raw);
		ls_doc_free(&cgs);
	}
	ASSERT_LE(0, t_named) TH_LOG("cgroup:/ls-grow not named task-growth within %d ms",
				     DETECT_MS);
	EXPECT_EQ(0, bad_polls);

	/* Spawning has stopped: one sample, then both files show it. */
	ASSERT_EQ(0, ls_control_str("sample"));
	ASSERT_EQ(0, ls_doc_load(&procs, "procs"));
	ASSERT_EQ(0, ls_doc_load(&cgs, "cgroups"));
	ASSERT_STREQ(ls_doc_kv(&procs, "held"), ls_doc_kv(&cgs, "held"));
	for (i = 0; i < NR_CG; i++)
		check_sums(_metadata, &procs, &cgs, cg_name[i]);
	check_members(_metadata, self, &procs, GROW);
	check_members(_metadata, self, &procs, POOLCG);
	check_members(_metadata, self, &procs, STEP);
	/* What a person sees (the README shows it) */
	ls_dump("cgroups", cgs.raw);
	ls_doc_free(&procs);
	ls_doc_free(&cgs);
	ASSERT_EQ(0, ls_doc_load(&cgs, "suspects"));
	ls_dump("suspects", cgs.raw);
	ls_doc_free(&cgs);
	ret = ls_run_reader(&out, "--prometheus", "--prom-top=2", "cgroups");
	EXPECT_EQ(0, ret) TH_LOG("leakscope --prometheus --prom-top=2 cgroups: %d", ret);
	if (out) {
		EXPECT_NE(NULL, strstr(out, "leakscope_cgroup_growing{cgroup=\"/ls-grow\"} 1"));
		EXPECT_NE(NULL, strstr(out, "leakscope_cgroup_processes{cgroup=\"other\"}"));
		ls_dump("leakscope --prometheus --prom-top=2 cgroups", out);
	}
	free(out);
}

/* The cgroup id of @path (a cgroups row's), 0 if it is not there. */
static unsigned long long cg_id(const struct _test_data_cgroups *self,
				const char *path)
{
	char full[256];
	struct stat st;

	snprintf(full, sizeof(full), "%s%s", self->mnt,
		 strcmp(path, "/") ? path : "");
	return stat(full, &st) ? 0 : (unsigned long long)st.st_ino;
}

/* Whether every sleeper has a procs row yet (a pass takes samples). */
static bool sleepers_walked(const struct _test_data_cgroups *self)
{
	struct ls_doc procs;
	int i, found = 0;

	if (ls_doc_load(&procs, "procs"))
		return false;
	for (i = 0; i < self->nsleepers; i++)
		if (procs_row(&procs, self->sleepers[i]))
			found++;
	ls_doc_free(&procs);
	return found == self->nsleepers;
}

TEST_F_TIMEOUT(cgroups, cap_keeps_lowest_ids, 400)
{
	unsigned long long id, max_kept = 0, min_dropped = ~0ULL;
	int i, kept = 0, dropped = 0, ret;
	long long t0 = ls_now_ms();
	const char *p, *caps;
	struct ls_doc cgs;
	char path[128];
	pid_t pid;

	if (!self->have)
		SKIP(return, "no cgroup2 on this kernel");
	self->sleepers = calloc(CAP_CGROUPS, sizeof(*self->sleepers));
	ASSERT_NE(NULL, self->sleepers);
	for (i = 0; i < CAP_CGROUPS; i++) {
		snprintf(path, sizeof(path), "%s/ls-cap-%d", self->mnt, i);
		rmdir(path);	/* a previous run's, if any */
		ASSERT_EQ(0, mkdir(path, 0755))
			TH_LOG("mkdir %s: %s", path, strerror(errno));
		pid = fork();
		ASSERT_LE(0, pid);
		if (!pid) {
			for (;;)
				pause();
		}
		self->sleepers[self->nsleepers++] = pid;
		strncat(path, "/cgroup.procs", sizeof(path) - strlen(path) - 1);
		ret = cg_move_to(path, pid);
		ASSERT_EQ(0, ret) TH_LOG("move %d: %s", pid, strerror(-ret));
	}
	ksft_print_msg("%d cgroups of a sleeper each made in %lld ms\n",
		       CAP_CGROUPS, ls_now_ms() - t0);

	/* Every sleeper walked, then one sample sums them all. */
	while (!sleepers_walked(self)) {
		ASSERT_GT(CAP_SETTLE_MS, ls_now_ms() - t0)
			TH_LOG("not every sleeper in procs after %d ms",
			       CAP_SETTLE_MS);
		ls_sleep_ms(1000);
	}
	ASSERT_EQ(0, ls_control_str("sample"));
	ASSERT_EQ(0, ls_doc_load(&cgs, "cgroups"));
	caps = ls_doc_kv(&cgs, "caps_hit");
	EXPECT_TRUE(caps && strstr(caps, "cgroups"))
		TH_LOG("caps_hit=%s", caps ?: "(absent)");
	EXPECT_EQ(CG_KEPT, cgs.nrows);
	for (i = 0; i < CAP_CGROUPS; i++) {
		snprintf(path, sizeof(path), "/ls-cap-%d", i);
		id = cg_id(self, path);
		ASSERT_NE(0, id) TH_LOG("stat %s%s", self->mnt, path);
		if (cg_row(&cgs, path)) {
			kept++;
			if (id > max_kept)
				max_kept = id;
		} else {
			dropped++;
			if (id < min_dropped)
				min_dropped = id;
		}
	}
	/* The rest of the rows: the VM's own cgroups, the root among them */
	for (i = 0; i < cgs.nrows; i++) {
		p = ls_row_field(&cgs, &cgs.rows[i], "cgroup");
		ASSERT_NE(NULL, p);
		if (strncmp(p, "/ls-cap-", 8))
			EXPECT_GT(min_dropped, cg_id(self, p))
				TH_LOG("%s kept over a lower id", p);
	}
	EXPECT_LT(0, dropped);
	EXPECT_LT(max_kept, min_dropped)
		TH_LOG("a dropped cgroup has a lower id than a kept one");
	ksft_print_msg("%d rows (caps_hit=%s): %d of the VM's own, %d of %d /ls-cap-N, ids up to %llu; dropped from id %llu\n",
		       cgs.nrows, caps ?: "-", cgs.nrows - kept, kept,
		       CAP_CGROUPS, max_kept, min_dropped);
	ls_doc_free(&cgs);
}

TEST_HARNESS_MAIN
