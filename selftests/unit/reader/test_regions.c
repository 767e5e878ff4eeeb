// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests: procs and regions files (typing, flags, hex strings), the
 * regions status check, selecting a pid through the parameter file, and
 * the command-line value parsers.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "kselftest_harness.h"

#include "args.h"
#include "columns.h"
#include "json.h"
#include "lsfile.h"
#include "regions.h"

#define RHDR(pid, status) "# leakscope regions v1 held=3 pid=" pid " status=" status "\n"
#define RCOLS "start end perms kind size_kb new name\n"

static int load_data(struct ls_table *t, const char *name, const char *file,
		     struct ls_err *e)
{
	char path[PATH_MAX];
	FILE *f;
	char *buf = malloc(1 << 16);
	size_t len;

	snprintf(path, sizeof(path), "%s/%s", DATA_DIR, file);
	f = fopen(path, "r");
	if (!f || !buf) {
		free(buf);
		return -2;
	}
	len = fread(buf, 1, 1 << 16, f);
	fclose(f);
	return ls_table_parse(t, name, path, buf, len, e);
}

static int parse(struct ls_table *t, const char *name, const char *text,
		 struct ls_err *e)
{
	memset(e, 0, sizeof(*e));
	return ls_table_parse_mem(t, name, "F", text, strlen(text), e);
}

static char *json(const char *name, const char *text)
{
	struct ls_table t;
	struct ls_err e;
	char *out = NULL;
	size_t len = 0;
	FILE *f;

	if (parse(&t, name, text, &e)) {
		fprintf(stderr, "parse: %s\n", e.msg);
		ls_table_free(&t);
		return NULL;
	}
	f = open_memstream(&out, &len);
	ls_print_json(f, &t);
	fclose(f);
	ls_table_free(&t);
	return out;
}

TEST(procs_columns_typed)
{
	static const char * const ints[] = { "pid", "samples", "vsz_kb",
		"anon_kb", "shmem_kb", "locked_kb", "heap_kb", "anon_regions",
		"stacks", "orphans", "threads", "zombies", "vsz_growth_kb",
		"vsz_rate_kb_min",
		"anon_growth_kb", "anon_rate_kb_min", "size_kb" };
	static const char * const strs[] = { "comm", "verdict", "start", "end",
		"perms", "kind", "new", "name" };
	size_t i;

	/* the failing column is the one the message shows on the left */
	for (i = 0; i < ARRAY_SIZE(ints); i++)
		EXPECT_STREQ(ints[i], ls_col_numeric(ints[i]) ? ints[i] : "(not numeric)");
	for (i = 0; i < ARRAY_SIZE(strs); i++) {
		EXPECT_STREQ(strs[i], !ls_col_numeric(strs[i]) ? strs[i] : "(numeric)");
		EXPECT_STREQ(strs[i], !ls_col_prose(strs[i]) ? strs[i] : "(prose)");
	}
	EXPECT_STREQ("new", ls_col_flag("new"));
	EXPECT_EQ(NULL, ls_col_flag("name"));
	EXPECT_EQ(NULL, ls_col_flag("verdict"));
}

TEST(spec_procs)
{
	struct ls_table t;
	struct ls_err e = { 0 };

	ASSERT_EQ(0, load_data(&t, "procs", "procs", &e)) TH_LOG("%s", e.msg);
	EXPECT_EQ(17, t.ncols);
	EXPECT_EQ(7, t.nrows);
	EXPECT_EQ(10, ls_table_col(&t, "orphans"));
	EXPECT_EQ(-1, ls_table_col(&t, "nope"));
	EXPECT_STREQ("ls-repro-thrd", ls_table_cell(&t, 2, 1));
	EXPECT_STREQ("kworker/0:1", ls_table_cell(&t, 5, 1));
	EXPECT_STREQ("busy", ls_table_cell(&t, 5, 16));
	EXPECT_STREQ("-", ls_table_meta(&t, "caps_hit"));
	ls_table_free(&t);

	ASSERT_EQ(0, load_data(&t, "procs", "procs-capped", &e)) TH_LOG("%s", e.msg);
	EXPECT_STREQ("procs", ls_table_meta(&t, "caps_hit"));
	EXPECT_STREQ("8192", ls_table_meta(&t, "procs_max"));
	ls_table_free(&t);
}

/*
 * The zombies column (after threads) in files of newer modules; files of
 * older ones lack it and still parse (spec_procs above).
 */
TEST(procs_with_zombies)
{
	struct ls_table t;
	struct ls_err e = { 0 };

	ASSERT_EQ(0, load_data(&t, "procs", "procs-zombies", &e)) TH_LOG("%s", e.msg);
	EXPECT_EQ(18, t.ncols);
	EXPECT_EQ(4, t.nrows);
	EXPECT_EQ(12, ls_table_col(&t, "zombies"));
	EXPECT_TRUE(ls_col_numeric("zombies"));
	EXPECT_STREQ("58", ls_table_cell(&t, 1, 12));
	EXPECT_STREQ("-", ls_table_cell(&t, 3, 12));
	EXPECT_STREQ("growing", ls_table_cell(&t, 2, 17));
	ls_table_free(&t);

	ASSERT_EQ(0, load_data(&t, "procs", "procs", &e)) TH_LOG("%s", e.msg);
	EXPECT_EQ(-1, ls_table_col(&t, "zombies"));
	ls_table_free(&t);

	EXPECT_EQ(-1, parse(&t, "procs", "# leakscope procs v1\npid comm zombies\n"
			    "1 init many\n", &e));
	EXPECT_STREQ("F:3: column zombies: 'many' is not an integer", e.msg);
	ls_table_free(&t);
}

/* The task kinds' suspects parse like any other (the reader knows no kinds). */
TEST(suspects_task_kinds)
{
	struct ls_table t;
	struct ls_err e = { 0 };

	ASSERT_EQ(0, load_data(&t, "suspects", "suspects-tasks", &e)) TH_LOG("%s", e.msg);
	EXPECT_EQ(3, t.nrows);
	EXPECT_STREQ("thread-growth", ls_table_cell(&t, 0, 1));
	EXPECT_STREQ("mapping-growth", ls_table_cell(&t, 1, 1));
	EXPECT_STREQ("zombie-growth", ls_table_cell(&t, 2, 1));
	EXPECT_STREQ("pid:158:ls-repro-zombie", ls_table_cell(&t, 2, 2));
	ls_table_free(&t);
}

TEST(procs_counts_must_be_integers)
{
	struct ls_table t;
	struct ls_err e;

	EXPECT_EQ(-1, parse(&t, "procs", "# leakscope procs v1\npid comm orphans threads\n"
			    "1 init 0 x1\n", &e));
	EXPECT_STREQ("F:3: column threads: 'x1' is not an integer", e.msg);
	ls_table_free(&t);
	EXPECT_EQ(-1, parse(&t, "procs", "# leakscope procs v1\npid comm samples\n"
			    "1 init 3.5\n", &e));
	EXPECT_STREQ("F:3: column samples: '3.5' is not an integer", e.msg);
	ls_table_free(&t);
}

TEST(spec_regions)
{
	struct ls_table t;
	struct ls_err e = { 0 };

	ASSERT_EQ(0, load_data(&t, "regions", "regions", &e)) TH_LOG("%s", e.msg);
	EXPECT_EQ(7, t.ncols);
	EXPECT_EQ(13, t.nrows);
	EXPECT_STREQ("977", ls_table_meta(&t, "pid"));
	EXPECT_STREQ("ok", ls_table_meta(&t, "status"));
	EXPECT_STREQ("0x7f12a0001000", ls_table_cell(&t, 4, 0));
	EXPECT_STREQ("orphan-stack", ls_table_cell(&t, 4, 3));
	EXPECT_STREQ("new", ls_table_cell(&t, 4, 5));
	EXPECT_EQ(0, ls_regions_check(&t, "F", 977, &e));
	ls_table_free(&t);
}

TEST(regions_json_types)
{
	char *out = json("regions", RHDR("42", "ok") RCOLS
			 "0x7f12a0000000 0x7f12a0001000 ---p guard 4 new -\n"
			 "0x55d0c9b5e000 0x55d0c9b7f000 rw-p heap 132 - [heap]\n"
			 "0x1 0x2 rw-s shmem 8 - /dev/shm/a_b\n");

	ASSERT_NE(NULL, out);
	EXPECT_STREQ("{\"schema_version\":1,\"file\":\"regions\",\"format_version\":1,"
		"\"meta\":{\"held\":3,\"pid\":42,\"status\":\"ok\"},"
		"\"columns\":[\"start\",\"end\",\"perms\",\"kind\",\"size_kb\",\"new\",\"name\"],"
		"\"rows\":[{\"start\":\"0x7f12a0000000\",\"end\":\"0x7f12a0001000\",\"perms\":\"---p\","
		"\"kind\":\"guard\",\"size_kb\":4,\"new\":true,\"name\":null},"
		"{\"start\":\"0x55d0c9b5e000\",\"end\":\"0x55d0c9b7f000\",\"perms\":\"rw-p\","
		"\"kind\":\"heap\",\"size_kb\":132,\"new\":false,\"name\":\"[heap]\"},"
		"{\"start\":\"0x1\",\"end\":\"0x2\",\"perms\":\"rw-s\",\"kind\":\"shmem\","
		"\"size_kb\":8,\"new\":false,\"name\":\"/dev/shm/a_b\"}]}\n", out);
	free(out);
	out = json("regions", RHDR("-", "no-pid") RCOLS);
	EXPECT_STREQ("{\"schema_version\":1,\"file\":\"regions\",\"format_version\":1,"
		"\"meta\":{\"held\":3,\"pid\":null,\"status\":\"no-pid\"},"
		"\"columns\":[\"start\",\"end\",\"perms\",\"kind\",\"size_kb\",\"new\",\"name\"],"
		"\"rows\":[]}\n", out);
	free(out);
}

TEST(regions_flag_values)
{
	struct ls_table t;
	struct ls_err e;

	EXPECT_EQ(-1, parse(&t, "regions", RHDR("1", "ok") RCOLS
			    "0x1 0x2 rw-p anon 4 yes -\n", &e));
	EXPECT_EQ(LS_ERR_MALFORMED, e.kind);
	EXPECT_STREQ("F:3: column new: 'yes' is neither 'new' nor '-'", e.msg);
	ls_table_free(&t);
	EXPECT_EQ(-1, parse(&t, "regions", RHDR("1", "ok") RCOLS
			    "0x1 0x2 rw-p anon 4k new -\n", &e));
	EXPECT_STREQ("F:3: column size_kb: '4k' is not an integer", e.msg);
	ls_table_free(&t);
}

/* Check the header text against pid; the message, or "" when ok. */
static const char *check(const char *hdr, unsigned long pid, struct ls_err *e)
{
	struct ls_table t;
	char text[512];
	int ret;

	snprintf(text, sizeof(text), "%s" RCOLS, hdr);
	if (parse(&t, "regions", text, e)) {
		ls_table_free(&t);
		return "(parse failed)";
	}
	ret = ls_regions_check(&t, "F", pid, e);
	ls_table_free(&t);
	return ret ? e->msg : "";
}

TEST(regions_status)
{
	struct ls_err e;

	EXPECT_STREQ("", check(RHDR("7", "ok"), 7, &e));
	EXPECT_STREQ("no process with pid 7", check(RHDR("7", "gone"), 7, &e));
	EXPECT_EQ(LS_ERR_STATE, e.kind);
	EXPECT_STREQ("no process with pid 7", check(RHDR("-", "gone"), 7, &e));
	EXPECT_STREQ("pid 7: its mm is busy, try again", check(RHDR("7", "busy"), 7, &e));
	EXPECT_EQ(LS_ERR_STATE, e.kind);
	EXPECT_STREQ("pid 7 is not selected in the module (regions shows no pid): try again",
		     check(RHDR("-", "no-pid"), 7, &e));
	EXPECT_STREQ("regions shows pid 8, not 7: another leakscope selected it meanwhile, try again",
		     check(RHDR("8", "ok"), 7, &e));
	EXPECT_EQ(LS_ERR_STATE, e.kind);
	EXPECT_STREQ("regions shows pid x, not 7: another leakscope selected it meanwhile, try again",
		     check(RHDR("x", "ok"), 7, &e));
	EXPECT_STREQ("F:1: unknown status 'sleepy' (this reader knows ok, no-pid, gone, busy)",
		     check(RHDR("7", "sleepy"), 7, &e));
	EXPECT_EQ(LS_ERR_MALFORMED, e.kind);
	EXPECT_STREQ("F:1: header has no status= field",
		     check("# leakscope regions v1 pid=7\n", 7, &e));
	EXPECT_STREQ("F:1: status=ok but no pid= in the header",
		     check("# leakscope regions v1 status=ok\n", 7, &e));
	EXPECT_STREQ("F:1: status=ok but no pid= in the header",
		     check(RHDR("-", "ok"), 7, &e));
}

static char *read_file(const char *path)
{
	static char buf[64];
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return NULL;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n < 0 ? 0 : n] = '\0';
	return buf;
}

TEST(select_pid)
{
	char dir[] = "/tmp/ls-sel-XXXXXX", path[PATH_MAX];
	struct ls_err e;
	struct stat st;
	int err = 0, fd;

	ASSERT_NE(NULL, mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/pid", dir);

	/* no such file: never created (sysfs parameters exist or not) */
	EXPECT_EQ(LS_SELECT_FAILED, ls_select_pid(path, 42, &err));
	EXPECT_EQ(ENOENT, err);
	EXPECT_NE(0, stat(path, &st));
	ls_select_explain(&e, 42, err, false);
	EXPECT_EQ(LS_ERR_SYSTEM, e.kind);
	EXPECT_STREQ("cannot select pid 42: No such file or directory", e.msg);
	ls_select_explain(&e, 42, EINVAL, false);
	EXPECT_STREQ("cannot select pid 42: Invalid argument", e.msg);

	/* the module's "0" (nothing selected), then a longer old value */
	fd = open(path, O_WRONLY | O_CREAT, 0644);
	ASSERT_EQ(12, write(fd, "1234567890\n\n", 12));
	close(fd);
	EXPECT_EQ(LS_SELECT_WRITTEN, ls_select_pid(path, 42, &err));
	EXPECT_STREQ("42\n", read_file(path));
	EXPECT_EQ(LS_SELECT_ALREADY, ls_select_pid(path, 42, &err));
	EXPECT_EQ(LS_SELECT_WRITTEN, ls_select_pid(path, 2147483647, &err));
	EXPECT_STREQ("2147483647\n", read_file(path));
	/* a value without newline is understood too */
	fd = open(path, O_WRONLY | O_TRUNC);
	ASSERT_EQ(2, write(fd, "77", 2));
	close(fd);
	EXPECT_EQ(LS_SELECT_ALREADY, ls_select_pid(path, 77, &err));

	unlink(path);
	/* a directory in the way */
	ASSERT_EQ(0, mkdir(path, 0755));
	EXPECT_EQ(LS_SELECT_FAILED, ls_select_pid(path, 1, &err));
	EXPECT_EQ(EISDIR, err);
	rmdir(path);
	rmdir(dir);
}

TEST(parse_posint)
{
	unsigned long v = 0;

	EXPECT_EQ(0, ls_parse_posint("1", LS_PID_MAX, &v));
	EXPECT_EQ(1, v);
	EXPECT_EQ(0, ls_parse_posint("007", LS_PID_MAX, &v));
	EXPECT_EQ(7, v);
	EXPECT_EQ(0, ls_parse_posint("2147483647", LS_PID_MAX, &v));
	EXPECT_EQ(2147483647UL, v);
	EXPECT_EQ(-1, ls_parse_posint("2147483648", LS_PID_MAX, &v));
	EXPECT_EQ(-1, ls_parse_posint("99999999999", LS_PID_MAX, &v));
	EXPECT_EQ(-1, ls_parse_posint("0", LS_PID_MAX, &v));
	EXPECT_EQ(-1, ls_parse_posint("", LS_PID_MAX, &v));
	EXPECT_EQ(-1, ls_parse_posint("-1", LS_PID_MAX, &v));
	EXPECT_EQ(-1, ls_parse_posint("+1", LS_PID_MAX, &v));
	EXPECT_EQ(-1, ls_parse_posint(" 1", LS_PID_MAX, &v));
	EXPECT_EQ(-1, ls_parse_posint("1 ", LS_PID_MAX, &v));
	EXPECT_EQ(-1, ls_parse_posint("0x10", LS_PID_MAX, &v));
	EXPECT_EQ(-1, ls_parse_posint("12a", LS_PID_MAX, &v));
	/* failures leave *out alone */
	EXPECT_EQ(2147483647UL, v);
}

TEST(parse_seconds)
{
	unsigned int ms = 0;

	EXPECT_EQ(0, ls_parse_seconds("1", 100, 3600000, &ms));
	EXPECT_EQ(1000, ms);
	EXPECT_EQ(0, ls_parse_seconds("0.5", 100, 3600000, &ms));
	EXPECT_EQ(500, ms);
	EXPECT_EQ(0, ls_parse_seconds("2.25", 100, 3600000, &ms));
	EXPECT_EQ(2250, ms);
	EXPECT_EQ(0, ls_parse_seconds("0.125", 100, 3600000, &ms));
	EXPECT_EQ(125, ms);
	EXPECT_EQ(0, ls_parse_seconds("3.", 100, 3600000, &ms));
	EXPECT_EQ(3000, ms);
	EXPECT_EQ(0, ls_parse_seconds("3600", 100, 3600000, &ms));
	EXPECT_EQ(3600000, ms);
	EXPECT_EQ(-1, ls_parse_seconds("3600.001", 100, 3600000, &ms));
	EXPECT_EQ(-1, ls_parse_seconds("0.05", 100, 3600000, &ms));
	EXPECT_EQ(-1, ls_parse_seconds("0", 100, 3600000, &ms));
	EXPECT_EQ(-1, ls_parse_seconds("0.1234", 100, 3600000, &ms));
	EXPECT_EQ(-1, ls_parse_seconds(".5", 100, 3600000, &ms));
	EXPECT_EQ(-1, ls_parse_seconds("", 100, 3600000, &ms));
	EXPECT_EQ(-1, ls_parse_seconds("1s", 100, 3600000, &ms));
	EXPECT_EQ(-1, ls_parse_seconds("-1", 100, 3600000, &ms));
	EXPECT_EQ(-1, ls_parse_seconds("1e3", 100, 3600000, &ms));
	EXPECT_EQ(-1, ls_parse_seconds("99999999999", 100, 3600000, &ms));
	EXPECT_EQ(3600000, ms);
}

TEST_HARNESS_MAIN
