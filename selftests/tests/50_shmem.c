// SPDX-License-Identifier: GPL-2.0
/*
 * Shmem growth is detected: with interval_ms=500 and ls-repro-tmpfs-grow
 * writing 2048 KiB/s into /dev/shm, the Shmem row turns `growing` and a
 * `shmem-growth` suspect appears within 30 s.  Before the grower starts,
 * after 10 s of idle sampling, neither may be there.  At every poll the
 * suspects are exactly that one or none: shmem-growth meminfo:Shmem (not
 * the grower's pid: the file is written, never mapped).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ls_test_util.h"

#define GROW_FILE	"/dev/shm/ls-test-grow"
#define GROW_RATE	"2048"
#define IDLE_MS		10000
#define DETECT_MS	30000
#define POLL_MS		500

FIXTURE(shmem) {
	pid_t grower;
};

FIXTURE_SETUP(shmem)
{
	int ret;

	self->grower = 0;
	unlink(GROW_FILE);
	ASSERT_EQ(0, ls_unload());
	ret = ls_load("interval_ms=500");
	ASSERT_EQ(0, ret) TH_LOG("load %s: %s", ls_ko_path(), strerror(-ret));
}

FIXTURE_TEARDOWN(shmem)
{
	if (self->grower > 0) {
		kill(self->grower, SIGKILL);
		waitpid(self->grower, NULL, 0);
	}
	unlink(GROW_FILE);
	EXPECT_EQ(0, ls_unload());
}

struct state {
	bool growing;		/* Shmem verdict is growing */
	bool suspect;		/* a shmem-growth suspect row exists */
	char other[160];	/* a suspect that is not it, or "" */
	char verdict[32];
	char *summary, *suspects;
};

static void state_free(struct state *s)
{
	free(s->summary);
	free(s->suspects);
	memset(s, 0, sizeof(*s));
}

static int poll_state(struct state *s)
{
	const struct ls_row *r;
	struct ls_doc d;
	const char *v;
	int i, ret;

	memset(s, 0, sizeof(*s));
	ret = ls_doc_load(&d, "summary");
	if (ret)
		goto out;
	s->summary = strdup(d.raw);
	r = ls_doc_row(&d, "Shmem");
	v = ls_row_field(&d, r, "verdict");
	snprintf(s->verdict, sizeof(s->verdict), "%s", v ? v : "(none)");
	s->growing = v && !strcmp(v, "growing");
	ls_doc_free(&d);

	ret = ls_doc_load(&d, "suspects");
	if (ret)
		goto out;
	s->suspects = strdup(d.raw);
	for (i = 0; i < d.nrows; i++) {
		const char *subject = ls_row_field(&d, &d.rows[i], "subject");

		v = ls_row_field(&d, &d.rows[i], "kind");
		if (v && subject && !strcmp(v, "shmem-growth") &&
		    !strcmp(subject, "meminfo:Shmem"))
			s->suspect = true;
		else if (v && !strcmp(v, "slab-growth") &&
			 ls_kernel_has_kasan())
			continue;	/* KASAN's quarantine: ls_test_util.h */
		else if (!s->other[0])
			snprintf(s->other, sizeof(s->other), "%s %s",
				 v ?: "?", subject ?: "?");
	}
out:
	ls_doc_free(&d);
	return ret;
}

static pid_t start_grower(void)
{
	static const char * const argv[] = {
		"ls-repro-tmpfs-grow", "-r", GROW_RATE, GROW_FILE, NULL
	};
	pid_t pid = fork();

	if (pid)
		return pid;
	execvp(argv[0], (char * const *)argv);
	execv("/bin/ls-repro-tmpfs-grow", (char * const *)argv);
	fprintf(stderr, "# exec ls-repro-tmpfs-grow: %s\n", strerror(errno));
	_exit(127);
}

TEST_F_TIMEOUT(shmem, growth_detected, 120)
{
	long long t0, t_growing = -1, t_suspect = -1, t;
	struct state s;
	int status = 0, ret;

	/* Negative: 10 s of idle sampling names nothing. */
	t0 = ls_now_ms();
	while (ls_now_ms() - t0 < IDLE_MS) {
		ret = poll_state(&s);
		ASSERT_EQ(0, ret) TH_LOG("read: %s", strerror(-ret));
		if (s.growing || s.suspect || s.other[0]) {
			TH_LOG("idle after %lld ms: Shmem verdict %s, shmem-growth suspect %s, other suspect %s",
			       ls_now_ms() - t0, s.verdict,
			       s.suspect ? "present" : "absent",
			       s.other[0] ? s.other : "none");
			ls_dump("summary", s.summary);
			ls_dump("suspects", s.suspects);
			state_free(&s);
			ASSERT_TRUE(false);
		}
		state_free(&s);
		ls_sleep_ms(POLL_MS);
	}

	/* Positive: the grower. */
	self->grower = start_grower();
	ASSERT_LT(0, self->grower);
	t0 = ls_now_ms();
	for (;;) {
		t = ls_now_ms() - t0;
		ASSERT_EQ(0, waitpid(self->grower, &status, WNOHANG))
			TH_LOG("ls-repro-tmpfs-grow exited early, status %#x",
			       status);
		ret = poll_state(&s);
		ASSERT_EQ(0, ret) TH_LOG("read: %s", strerror(-ret));
		if (s.other[0])
			ls_dump("suspects", s.suspects);
		ASSERT_STREQ("", s.other) TH_LOG("at %lld ms", t);
		if (s.growing && t_growing < 0)
			t_growing = t;
		if (s.suspect && t_suspect < 0)
			t_suspect = t;
		if ((t_growing >= 0 && t_suspect >= 0) || t > DETECT_MS)
			break;
		state_free(&s);
		ls_sleep_ms(POLL_MS);
	}
	if (t_growing < 0 || t_suspect < 0) {
		TH_LOG("after %lld ms: Shmem verdict %s (growing seen at %lld ms)",
		       t, s.verdict, t_growing);
		TH_LOG("shmem-growth suspect %s (seen at %lld ms)",
		       s.suspect ? "present" : "absent", t_suspect);
		ls_dump("summary", s.summary);
		ls_dump("suspects", s.suspects);
	} else {
		ksft_print_msg("Shmem growing after %lld ms, shmem-growth suspect after %lld ms\n",
			       t_growing, t_suspect);
	}
	state_free(&s);
	EXPECT_LE(0, t_growing);
	EXPECT_LE(0, t_suspect);

	kill(self->grower, SIGTERM);
	ASSERT_EQ(self->grower, waitpid(self->grower, &status, 0));
	self->grower = 0;
	EXPECT_EQ(0, unlink(GROW_FILE)) TH_LOG("unlink %s: %s", GROW_FILE,
					       strerror(errno));
}

TEST_HARNESS_MAIN
