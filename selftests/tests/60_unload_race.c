// SPDX-License-Identifier: GPL-2.0
/*
 * Unload while reading: 4 children open/read/close every file as fast as
 * they can while the parent unloads and reloads the module 10 times.  An
 * open file pins the module, so delete_module fails with EWOULDBLOCK
 * (EAGAIN) until no file is open, and is retried.  The children tolerate
 * the errors a vanishing debugfs file gives:
 *   ENOENT  the file is gone (or being removed: fs/debugfs/file.c maps EIO
 *           from debugfs_file_get() to ENOENT in open),
 *   ENXIO   open raced with the module going (fops_get() failed),
 *   ENODEV, EIO  a read on a file being removed.
 * Any other error, or a signal, fails the test.
 *
 * Also: summary held open makes delete_module fail with EWOULDBLOCK and
 * the module stays; after close it unloads.  So does procs held open
 * mid-read, which goes on to show the report it pinned at open.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ls_test_util.h"

#define READERS		4
#define CYCLES		10
#define UNLOAD_MS	60000

struct shared {
	int stop;		/* __atomic: set by the parent */
	unsigned long reads[READERS];
	unsigned long gone[READERS];
};

FIXTURE(race) {
	struct shared *sh;
	pid_t kids[READERS];
};

FIXTURE_SETUP(race)
{
	int ret;

	self->sh = ls_shared_map(sizeof(*self->sh));
	ASSERT_NE(NULL, self->sh);
	memset(self->kids, 0, sizeof(self->kids));
	ASSERT_EQ(0, ls_unload());
	ret = ls_load("");
	ASSERT_EQ(0, ret) TH_LOG("load %s: %s", ls_ko_path(), strerror(-ret));
}

FIXTURE_TEARDOWN(race)
{
	int i;

	__atomic_store_n(&self->sh->stop, 1, __ATOMIC_RELAXED);
	for (i = 0; i < READERS; i++) {
		if (self->kids[i] > 0) {
			kill(self->kids[i], SIGKILL);
			waitpid(self->kids[i], NULL, 0);
		}
	}
	EXPECT_EQ(0, ls_unload());
}

static bool tolerated(int err)
{
	return err == ENOENT || err == ENXIO || err == ENODEV || err == EIO;
}

static void read_loop(struct shared *sh, int id)
{
	char path[LS_NR_FILES][128], buf[4096];
	ssize_t r;
	int f, fd;

	for (f = 0; f < LS_NR_FILES; f++)
		snprintf(path[f], sizeof(path[f]), "%s/%s", LS_DIR, ls_files[f]);
	while (!__atomic_load_n(&sh->stop, __ATOMIC_RELAXED)) {
		for (f = 0; f < LS_NR_FILES; f++) {
			fd = open(path[f], O_RDONLY);
			if (fd < 0) {
				if (!tolerated(errno)) {
					fprintf(stderr, "# child %d: open %s: %s\n",
						id, path[f], strerror(errno));
					_exit(1);
				}
				sh->gone[id]++;
				continue;
			}
			while ((r = read(fd, buf, sizeof(buf))) > 0)
				;
			if (r < 0 && !tolerated(errno)) {
				fprintf(stderr, "# child %d: read %s: %s\n", id,
					path[f], strerror(errno));
				_exit(2);
			}
			close(fd);
			sh->reads[id]++;
		}
	}
	_exit(0);
}

TEST_F_TIMEOUT(race, unload_while_reading, 900)
{
	long long t0 = ls_now_ms(), t, worst = 0;
	unsigned long reads = 0, gone = 0;
	int i, ret, status;

	for (i = 0; i < READERS; i++) {
		self->kids[i] = fork();
		ASSERT_LE(0, self->kids[i]);
		if (!self->kids[i])
			read_loop(self->sh, i);
	}
	for (i = 0; i < CYCLES; i++) {
		ls_sleep_ms(100);	/* let the readers get going */
		t = ls_now_ms();
		ret = ls_unload_retry(UNLOAD_MS);
		t = ls_now_ms() - t;
		worst = t > worst ? t : worst;
		ASSERT_EQ(0, ret) TH_LOG("cycle %d: unload: %s after %lld ms",
					 i + 1, strerror(-ret), t);
		ls_sleep_ms(50);
		ret = ls_load("");
		ASSERT_EQ(0, ret) TH_LOG("cycle %d: reload: %s", i + 1,
					 strerror(-ret));
	}
	__atomic_store_n(&self->sh->stop, 1, __ATOMIC_RELAXED);
	for (i = 0; i < READERS; i++) {
		ASSERT_EQ(self->kids[i], waitpid(self->kids[i], &status, 0));
		self->kids[i] = 0;
		EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
			TH_LOG("child %d: %s %d", i,
			       WIFSIGNALED(status) ? "killed by signal" :
			       "exit status",
			       WIFSIGNALED(status) ? WTERMSIG(status) :
			       WEXITSTATUS(status));
		reads += self->sh->reads[i];
		gone += self->sh->gone[i];
	}
	ksft_print_msg("%d cycles in %lld ms, slowest unload %lld ms\n",
		       CYCLES, ls_now_ms() - t0, worst);
	ksft_print_msg("%lu reads, %lu opens of a gone file\n", reads, gone);
	EXPECT_LT(0, reads);
}

TEST_F(race, open_file_pins_module)
{
	char buf[256];
	int fd, ret;

	fd = open(LS_DIR "/summary", O_RDONLY);
	ASSERT_LE(0, fd) TH_LOG("open summary: %s", strerror(errno));
	ret = ls_unload_once();
	EXPECT_TRUE(ret == -EWOULDBLOCK || ret == -EBUSY)
		TH_LOG("delete_module with summary open: %s",
		       ret ? strerror(-ret) : "succeeded");
	EXPECT_TRUE(ls_loaded());
	if (!ret) {
		/* Unloaded under an open file: do not touch fd again. */
		ASSERT_TRUE(false);
	}
	/* The open file still reads. */
	EXPECT_LT(0, read(fd, buf, sizeof(buf)))
		TH_LOG("read of the pinned file: %s", strerror(errno));
	close(fd);
	ret = ls_unload_retry(5000);
	EXPECT_EQ(0, ret) TH_LOG("unload after close: %s", strerror(-ret));
	EXPECT_FALSE(ls_loaded());
}

/*
 * procs open mid-read: delete_module fails, samples go on, and the rest
 * of the file, read in 7-byte pieces, completes the report pinned at
 * open: the same bytes as a whole read from offset 0 of the same file.
 */
TEST_F(race, procs_mid_read_pins_module)
{
	static char slow[1 << 20], whole[1 << 20];
	size_t n = 100;
	struct ls_doc d;
	ssize_t r;
	int fd, ret;

	fd = open(LS_DIR "/procs", O_RDONLY);
	ASSERT_LE(0, fd) TH_LOG("open procs: %s", strerror(errno));
	ASSERT_EQ(100, read(fd, slow, n));
	ret = ls_unload_once();
	EXPECT_TRUE(ret == -EWOULDBLOCK || ret == -EBUSY)
		TH_LOG("delete_module with procs open: %s",
		       ret ? strerror(-ret) : "succeeded");
	if (!ret) {
		/* Unloaded under an open file: do not touch fd again. */
		ASSERT_TRUE(false);
	}
	EXPECT_TRUE(ls_loaded());
	ls_sleep_ms(2500);	/* a sample or two */
	while (n < sizeof(slow) - 1 && (r = read(fd, slow + n, 7)) > 0)
		n += r;
	ASSERT_LT(n, sizeof(slow) - 1);
	EXPECT_EQ(0, r) TH_LOG("read procs: %s", strerror(errno));
	slow[n] = '\0';
	ASSERT_EQ(0, ls_doc_parse(&d, slow)) TH_LOG("procs: %s", d.err);
	EXPECT_LT(0, d.nrows);
	ls_doc_free(&d);

	ASSERT_EQ(0, lseek(fd, 0, SEEK_SET));
	n = 0;
	while (n < sizeof(whole) - 1 &&
	       (r = read(fd, whole + n, sizeof(whole) - 1 - n)) > 0)
		n += r;
	whole[n] = '\0';
	EXPECT_STREQ(slow, whole);
	close(fd);
	ret = ls_unload_retry(5000);
	EXPECT_EQ(0, ret) TH_LOG("unload after close: %s", strerror(-ret));
	EXPECT_FALSE(ls_loaded());
}

TEST_HARNESS_MAIN
