// SPDX-License-Identifier: GPL-2.0
/*
 * leakscope under kernel lockdown (integrity), as under Secure Boot
 * (KERNEL-NOTES E).  Two ways in, one set of checks:
 *  - booted locked down (lockdown=integrity on the command line: the test
 *    kernel in `make check`, stage vm-lockdown): /sys/kernel/security/lockdown
 *    says [integrity] before this test touched it and the kernel logged it
 *    from the command line; a copy of leakscope.ko with its signature cut
 *    off is refused with EPERM; the module as packed, signed with the test
 *    kernel's own key (selftests/vm/run.sh), loads without tainting the
 *    kernel 'E' (unsigned module), and so does ls_leaky.ko;
 *  - not locked down (every other boot): the (unsigned, on Debian) module
 *    is loaded, then lockdown is raised at run time through
 *    /sys/kernel/security/lockdown.  It can never be lowered again and no
 *    unsigned module loads afterwards, so this test must stay the LAST one
 *    of the boot (hence 99_).
 *
 * Then, under integrity lockdown debugfs opens only files whose mode has
 * no write bit (fs/debugfs/file.c debugfs_locked_down()):
 *  - the 0400 files (summary suspects procs regions vmalloc slab
 *    callsites stacks) still
 *    open and read, with their usual header;
 *  - control (0600) cannot be opened at all: EPERM for O_WRONLY and for
 *    O_RDONLY alike (the check is on the inode mode, not the open mode);
 *  - the module parameters in /sys/module/leakscope/parameters still work
 *    (sysfs, not debugfs), and so does the reader, which selects the pid
 *    for `regions` through the pid parameter; track=all arms call-site
 *    tracking there, its kprobe on kmem_cache_free_bulk() too;
 *  - the reader, sent to a file the kernel refuses (LEAKSCOPE_DIR with a
 *    summary that is a symlink to control), says in one line that lockdown
 *    blocks it, which mode, why, and what to do instead;
 *  - an unsigned module (leakscope.ko without its signature, if it has
 *    one) fails with EPERM (LOCKDOWN_MODULE_SIGNATURE); unloading still
 *    works.
 *
 * Skipped when the kernel has no lockdown LSM or no securityfs, or when it
 * is locked down by something other than the command line (an unsigned
 * module could not be loaded, a signed one is not known to be).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ls_test_util.h"

#define SECFS_DIR	"/sys/kernel/security"
#define LOCKDOWN	SECFS_DIR "/lockdown"
#define READER		"/bin/leakscope"
#define UNSIGNED_KO	"/tmp/ls-unsigned.ko"
#define FAKE_DIR	"/tmp/ls-lockdown-dir"
/* include/linux/module_signature.h: what sign-file appends. */
#define SIG_MARKER	"~Module signature appended~\n"
#define SIG_INFO_LEN	12	/* struct module_signature; be32 sig_len last */
/* include/linux/panic.h: TAINT_UNSIGNED_MODULE, 'E' */
#define TAINT_UNSIGNED	(1UL << 13)

static const char * const ro_files[] = {
	"summary", "suspects", "procs", "regions", "vmalloc", "slab",
	"callsites", "stacks",
};

FIXTURE(lockdown) {
	int unused;
};

FIXTURE_SETUP(lockdown)
{
	ASSERT_EQ(0, ls_unload());
}

FIXTURE_TEARDOWN(lockdown)
{
	EXPECT_EQ(0, ls_unload());
	EXPECT_FALSE(ls_loaded());
}

/* The lockdown file, without its newline; 0 or -errno. */
static int lockdown_read(char *buf, size_t len)
{
	char *text, *nl;
	int ret;

	ret = ls_read_path(LOCKDOWN, &text, NULL);
	if (ret)
		return ret;
	nl = strchr(text, '\n');
	if (nl)
		*nl = '\0';
	snprintf(buf, len, "%s", text);
	free(text);
	return 0;
}

/* Does /proc/cmdline hold the word @word? */
static bool cmdline_has(const char *word)
{
	char *text, *p;
	size_t len = strlen(word);
	bool found = false;

	if (ls_read_path("/proc/cmdline", &text, NULL))
		return false;
	for (p = text; (p = strstr(p, word)); p += len) {
		if ((p == text || p[-1] == ' ') &&
		    (p[len] == ' ' || p[len] == '\n' || !p[len])) {
			found = true;
			break;
		}
	}
	free(text);
	return found;
}

/*
 * Is there a record containing @needle anywhere in the kernel log, from
 * the oldest one still held?  (ls_kmsg_open() starts after the newest.)
 */
static bool kmsg_has(const char *needle)
{
	char text[2048];
	bool found;
	int fd;

	fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return false;
	/* No wait: at the newest record, "not found". */
	found = !ls_kmsg_wait(fd, needle, text, sizeof(text), 0);
	close(fd);
	return found;
}

/* /proc/sys/kernel/tainted; 0 or -errno. */
static int read_taint(unsigned long *mask)
{
	long long v;
	char *text;
	int ret;

	ret = ls_read_path("/proc/sys/kernel/tainted", &text, NULL);
	if (ret)
		return ret;
	text[strcspn(text, "\n")] = '\0';
	ret = ls_parse_ll(text, &v) && v >= 0 ? 0 : -EBADMSG;
	*mask = v;
	free(text);
	return ret;
}

/*
 * Copy the module to @dst without its appended signature, if it has one
 * (*was_signed): the marker at the very end, struct module_signature
 * before it (its last 4 bytes the big-endian length of the PKCS#7
 * signature), the signature before that.  0 or -errno.
 */
static int unsigned_copy(const char *src, const char *dst, bool *was_signed)
{
	const size_t mlen = sizeof(SIG_MARKER) - 1;
	size_t len, sig_len;
	const unsigned char *info;
	char *data;
	ssize_t w;
	int fd, ret;

	*was_signed = false;
	ret = ls_read_path(src, &data, &len);
	if (ret)
		return ret;
	if (len > mlen + SIG_INFO_LEN &&
	    !memcmp(data + len - mlen, SIG_MARKER, mlen)) {
		info = (const unsigned char *)data + len - mlen - SIG_INFO_LEN;
		sig_len = (size_t)info[8] << 24 | info[9] << 16 |
			  info[10] << 8 | info[11];
		if (sig_len > len - mlen - SIG_INFO_LEN) {
			free(data);
			return -EBADMSG;
		}
		len -= mlen + SIG_INFO_LEN + sig_len;
		*was_signed = true;
	}
	fd = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		ret = -errno;
		free(data);
		return ret;
	}
	w = write(fd, data, len);
	ret = w == (ssize_t)len ? 0 : w < 0 ? -errno : -EIO;
	close(fd);
	free(data);
	return ret;
}

/* Lines in @text, the last one counted even without its newline. */
static int count_lines(const char *text)
{
	int n = 0;

	for (; *text; text++)
		if (*text == '\n' || !text[1])
			n++;
	return n;
}

/*
 * Run argv with stdout and stderr into a temporary file, with
 * LEAKSCOPE_DIR=@dir when @dir is set; return the exit status (or 128 +
 * signal, or -errno), output in *out (malloc'd).
 */
static int run_cmd(char *const argv[], const char *dir, char **out)
{
	char tmpl[] = "/tmp/ls-lockdown-XXXXXX";
	int fd, status;
	pid_t pid;

	*out = NULL;
	fd = mkstemp(tmpl);
	if (fd < 0)
		return -errno;
	unlink(tmpl);
	pid = fork();
	if (pid < 0) {
		close(fd);
		return -errno;
	}
	if (!pid) {
		dup2(fd, 1);
		dup2(fd, 2);
		if (dir)
			setenv("LEAKSCOPE_DIR", dir, 1);
		execv(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid) {
		close(fd);
		return -errno;
	}
	lseek(fd, 0, SEEK_SET);
	*out = calloc(1, 65536);
	if (*out && read(fd, *out, 65535) < 0)
		**out = '\0';
	close(fd);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

/*
 * Booted with lockdown=integrity: it holds from boot, an unsigned module is
 * refused, the signed one loads and taints nothing.
 */
static void locked_from_boot(struct __test_metadata *_metadata,
			     const char *mode)
{
	unsigned long taint = 0;
	bool was_signed;
	char *text;
	int ret;

	ASSERT_NE(NULL, strstr(mode, "[integrity]"))
		TH_LOG("booted with lockdown=integrity, lockdown is %s", mode);
	EXPECT_TRUE(kmsg_has("Kernel is locked down from command line"))
		TH_LOG("no 'Kernel is locked down from command line' in the kernel log");

	ASSERT_EQ(0, unsigned_copy(ls_ko_path(), UNSIGNED_KO, &was_signed));
	ASSERT_TRUE(was_signed)
		TH_LOG("%s is not signed: selftests/vm/run.sh signs the modules it packs for a test kernel with CONFIG_MODULE_SIG",
		       ls_ko_path());
	ret = ls_load_path(UNSIGNED_KO, NULL);
	EXPECT_EQ(-EPERM, ret) TH_LOG("unsigned leakscope.ko: %s",
				      ret ? strerror(-ret) : "loaded");
	if (!ret)
		ls_unload();
	unlink(UNSIGNED_KO);
	EXPECT_FALSE(ls_loaded());

	ret = ls_load("");
	ASSERT_EQ(0, ret) TH_LOG("signed %s: %s", ls_ko_path(), strerror(-ret));
	ASSERT_EQ(0, read_taint(&taint));
	EXPECT_EQ(0UL, taint & TAINT_UNSIGNED)
		TH_LOG("kernel tainted 0x%lx: an unsigned module was loaded", taint);
	ASSERT_EQ(0, ls_read_path("/sys/module/" LS_MODNAME "/taint", &text,
				  NULL));
	EXPECT_EQ(NULL, strchr(text, 'E'))
		TH_LOG("leakscope taints the kernel '%.8s'", text);
	free(text);

	/* The test module, when packed, is signed the same way. */
	if (access(ls_leaky_ko_path(), R_OK))
		return;
	ret = ls_leaky_load("max_ticks=1 free_on_unload=1");
	EXPECT_EQ(0, ret) TH_LOG("signed %s: %s", ls_leaky_ko_path(),
				 strerror(-ret));
	if (!ret)
		EXPECT_EQ(0, ls_mod_unload_retry(LS_LEAKY_MODNAME, 5000));
	ASSERT_EQ(0, read_taint(&taint));
	EXPECT_EQ(0UL, taint & TAINT_UNSIGNED)
		TH_LOG("kernel tainted 0x%lx: an unsigned module was loaded", taint);
}

/* Not locked down: load the module, then lock the kernel down for good. */
static void lock_at_run_time(struct __test_metadata *_metadata)
{
	char mode[128];
	int fd, ret;

	ret = ls_load("");
	ASSERT_EQ(0, ret) TH_LOG("load %s: %s", ls_ko_path(), strerror(-ret));

	/* Raise it: what EFI Secure Boot does at boot. */
	fd = open(LOCKDOWN, O_WRONLY);
	ASSERT_LE(0, fd) TH_LOG("open %s: %s", LOCKDOWN, strerror(errno));
	ASSERT_EQ(9, write(fd, "integrity", 9))
		TH_LOG("write integrity: %s", strerror(errno));
	close(fd);
	ASSERT_EQ(0, lockdown_read(mode, sizeof(mode)));
	ASSERT_NE(NULL, strstr(mode, "[integrity]")) TH_LOG("lockdown: %s", mode);
	TH_LOG("lockdown now: %s", mode);
}

TEST_F(lockdown, integrity)
{
	char mode[128], *argv[4], *out, path[256];
	bool was_signed;
	long long v;
	struct ls_doc d;
	struct stat st;
	size_t i;
	int fd, ret;

	if (stat(LOCKDOWN, &st) && !stat(SECFS_DIR, &st))
		mount("securityfs", SECFS_DIR, "securityfs", 0, NULL);
	if (stat(LOCKDOWN, &st))
		SKIP(return, "no %s (kernel without securityfs or the lockdown LSM)",
		     LOCKDOWN);
	ASSERT_EQ(0, lockdown_read(mode, sizeof(mode)));
	TH_LOG("lockdown before: %s", mode);
	if (cmdline_has("lockdown=integrity")) {
		TH_LOG("locked down from boot (lockdown=integrity)");
		locked_from_boot(_metadata, mode);
	} else if (strstr(mode, "[none]")) {
		lock_at_run_time(_metadata);
	} else {
		SKIP(return, "lockdown already raised (%s), not by the command line: cannot load an unsigned module",
		     mode);
	}
	ASSERT_TRUE(ls_loaded());

	/* The read-only files still open, read and parse. */
	for (i = 0; i < ARRAY_SIZE(ro_files); i++) {
		ret = ls_doc_load(&d, ro_files[i]);
		EXPECT_EQ(0, ret) TH_LOG("%s: %s %s", ro_files[i],
					 strerror(-ret), d.err);
		if (!ret) {
			EXPECT_STREQ(ro_files[i], d.file);
			EXPECT_STREQ("v1", d.version);
			EXPECT_TRUE(ls_doc_kv_num(&d, "interval_ms", &v))
				TH_LOG("%s header has no interval_ms", ro_files[i]);
			EXPECT_LT(0, d.ncols);
		}
		ls_doc_free(&d);
	}

	/* control has a write bit: refused whatever the open mode. */
	snprintf(path, sizeof(path), "%s/control", LS_DIR);
	fd = open(path, O_WRONLY);
	EXPECT_EQ(-1, fd);
	EXPECT_EQ(EPERM, errno) TH_LOG("open control O_WRONLY: %s",
				       fd < 0 ? strerror(errno) : "succeeded");
	if (fd >= 0)
		close(fd);
	fd = open(path, O_RDONLY);
	EXPECT_EQ(-1, fd);
	EXPECT_EQ(EPERM, errno) TH_LOG("open control O_RDONLY: %s",
				       fd < 0 ? strerror(errno) : "succeeded");
	if (fd >= 0)
		close(fd);
	EXPECT_EQ(-EPERM, ls_control_str("sample"));

	/* Module parameters still work. */
	ret = ls_param_write("interval_ms", "700");
	EXPECT_EQ(0, ret) TH_LOG("interval_ms <- 700: %s", strerror(-ret));
	ret = ls_param_write("pid", "1");
	EXPECT_EQ(0, ret) TH_LOG("pid <- 1: %s", strerror(-ret));
	ASSERT_EQ(0, ls_param_read("interval_ms", &v));
	EXPECT_EQ(700, v);
	ASSERT_EQ(0, ls_param_read("pid", &v));
	EXPECT_EQ(1, v);
	ret = ls_doc_load(&d, "summary");
	ASSERT_EQ(0, ret) TH_LOG("summary: %s", d.err);
	EXPECT_TRUE(ls_doc_kv_num(&d, "interval_ms", &v) && v == 700)
		TH_LOG("summary header: interval_ms=%s",
		       ls_doc_kv(&d, "interval_ms") ?: "(none)");
	ls_doc_free(&d);
	ret = ls_doc_load(&d, "regions");
	ASSERT_EQ(0, ret) TH_LOG("regions: %s", d.err);
	EXPECT_STREQ("1", ls_doc_kv(&d, "pid") ?: "(none)");
	EXPECT_STREQ("ok", ls_doc_kv(&d, "status") ?: "(none)");
	EXPECT_LT(0, d.nrows);
	ls_doc_free(&d);

	/*
	 * Call-site tracking arms through its parameter: tracepoint probes
	 * and the kprobe on kmem_cache_free_bulk() are not behind lockdown.
	 */
	ret = ls_param_write("track", "all");
	EXPECT_EQ(0, ret) TH_LOG("track <- all: %s", strerror(-ret));
	ret = ls_doc_load(&d, "callsites");
	ASSERT_EQ(0, ret) TH_LOG("callsites: %s", d.err);
	EXPECT_STREQ("all", ls_doc_kv(&d, "track") ?: "(none)");
	EXPECT_STREQ("traced", ls_doc_kv(&d, "bulk_frees") ?: "(none)");
	ls_doc_free(&d);
	ret = ls_param_write("track", "off");
	EXPECT_EQ(0, ret) TH_LOG("track <- off: %s", strerror(-ret));

	/* The reader. */
	argv[0] = READER;
	argv[1] = "summary";
	argv[2] = NULL;
	ret = run_cmd(argv, NULL, &out);
	EXPECT_EQ(0, ret) TH_LOG("leakscope summary: exit %d", ret);
	if (ret)
		ls_dump("leakscope summary", out);
	free(out);
	argv[1] = "regions";
	argv[2] = "1";
	argv[3] = NULL;
	ret = run_cmd(argv, NULL, &out);
	EXPECT_EQ(0, ret) TH_LOG("leakscope regions 1: exit %d", ret);
	if (ret)
		ls_dump("leakscope regions 1", out);
	free(out);

	/*
	 * The reader never opens control, so nothing it reads is blocked;
	 * make the kernel refuse it one (its "summary" is control) and it
	 * must name the file, lockdown and its mode, the reason, and the way
	 * around it, in one line, exit status 1.
	 */
	mkdir(FAKE_DIR, 0700);
	unlink(FAKE_DIR "/summary");
	ASSERT_EQ(0, symlink(path, FAKE_DIR "/summary"))
		TH_LOG("symlink: %s", strerror(errno));
	argv[1] = "summary";
	argv[2] = NULL;
	ret = run_cmd(argv, FAKE_DIR, &out);
	EXPECT_EQ(1, ret) TH_LOG("leakscope summary of control: exit %d", ret);
	ASSERT_NE(NULL, out);
	EXPECT_NE(NULL, strstr(out, FAKE_DIR "/summary is blocked by kernel lockdown (integrity)"));
	EXPECT_NE(NULL, strstr(out, "debugfs refuses files with write permission"));
	EXPECT_NE(NULL, strstr(out, "module parameters"));
	EXPECT_EQ(1, count_lines(out)) TH_LOG("not one line");
	ls_dump("leakscope, refused a file by lockdown", out);
	free(out);
	unlink(FAKE_DIR "/summary");
	rmdir(FAKE_DIR);

	/* An unsigned module no longer loads (leakscope, unsigned, again). */
	ASSERT_EQ(0, unsigned_copy(ls_ko_path(), UNSIGNED_KO, &was_signed));
	ret = ls_load_path(UNSIGNED_KO, NULL);
	EXPECT_EQ(-EPERM, ret) TH_LOG("unsigned%s leakscope.ko: %s",
				      was_signed ? " (signature cut off)" : "",
				      ret ? strerror(-ret) : "loaded");
	unlink(UNSIGNED_KO);

	/* Unloading is not restricted by lockdown. */
	ret = ls_unload_retry(5000);
	EXPECT_EQ(0, ret) TH_LOG("unload under lockdown: %s", strerror(-ret));
	EXPECT_FALSE(ls_loaded());
}

TEST_HARNESS_MAIN
