// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests: the reader on the vmalloc and slab files (issue 4): column
 * typing (integers, the reclaimable yes/no flag, caller and cache strings),
 * JSON, tables, and what is refused.  Fixtures: data/vmalloc, data/slab,
 * in the module's own padded format.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"

#include "columns.h"
#include "json.h"
#include "lsfile.h"
#include "render.h"
#include "table.h"

static char *slurp(const char *name)
{
	char path[512], *buf;
	size_t len;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", DATA_DIR, name);
	f = fopen(path, "r");
	if (!f)
		return NULL;
	buf = calloc(1, 65536);
	len = fread(buf, 1, 65535, f);
	fclose(f);
	buf[len] = '\0';
	return buf;
}

TEST(column_types)
{
	static const char * const ints[] = {
		"areas", "size_kb", "pages", "growth_kb", "rate_kb_min",
		"persist_pct", "objsize", "size", "active_objs", "total_objs",
		"slabs",
	};
	static const char * const strs[] = {
		"kind", "verdict", "caller", "cache", "reclaimable",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ints); i++) {
		if (!ls_col_numeric(ints[i]))
			fprintf(stderr, "# not an integer column: %s\n", ints[i]);
		EXPECT_TRUE(ls_col_numeric(ints[i]));
	}
	for (i = 0; i < ARRAY_SIZE(strs); i++) {
		if (ls_col_numeric(strs[i]) || ls_col_prose(strs[i]))
			fprintf(stderr, "# not a plain string column: %s\n", strs[i]);
		EXPECT_FALSE(ls_col_numeric(strs[i]));
		EXPECT_FALSE(ls_col_prose(strs[i]));
	}
	EXPECT_STREQ("yes", ls_col_flag("reclaimable"));
	EXPECT_STREQ("no", ls_col_flag_no("reclaimable"));
	EXPECT_STREQ("new", ls_col_flag("new"));
	EXPECT_STREQ("-", ls_col_flag_no("new"));
	EXPECT_EQ(NULL, ls_col_flag("caller"));
	EXPECT_EQ(NULL, ls_col_flag_no("cache"));
}

TEST(vmalloc_json)
{
	char *text = slurp("vmalloc"), *out;

	ASSERT_NE(NULL, text);
	out = render("vmalloc", text, true, NULL, NULL, 0);
	ASSERT_NE(NULL, out);
	EXPECT_NE(NULL, strstr(out,
		"\"meta\":{\"interval_ms\":500,\"samples\":64,\"held\":22,\"window_ms\":10767,"
		"\"sample_us\":3785,\"caps_hit\":[],\"disabled\":[],\"longest_hold_us\":20}"))
		TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out,
		"\"columns\":[\"areas\",\"size_kb\",\"pages\",\"kind\",\"growth_kb\","
		"\"rate_kb_min\",\"persist_pct\",\"verdict\",\"caller\"]"));
	EXPECT_NE(NULL, strstr(out,
		"\"rows\":[{\"areas\":39,\"size_kb\":2652,\"pages\":624,\"kind\":\"vmalloc\","
		"\"growth_kb\":2516,\"rate_kb_min\":18859,\"persist_pct\":75,"
		"\"verdict\":\"orphan\",\"caller\":\"ls_leaky+0x36[unloaded]\"},"))
		TH_LOG("%s", out);
	/* The caller is a symbol: its '_' stay, it is no prose. */
	EXPECT_NE(NULL, strstr(out,
		"\"caller\":\"ls_leaky_vmalloc_one+0x16/0x70[ls_leaky]\"}"));
	EXPECT_NE(NULL, strstr(out, "\"kind\":\"vmalloc,vmap\""));
	EXPECT_NE(NULL, strstr(out, "\"caller\":\"unknown:9f1c0a77\"}]}\n"));
	free(out);
	free(text);
}

TEST(slab_json)
{
	char *text = slurp("slab"), *out;

	ASSERT_NE(NULL, text);
	out = render("slab", text, true, NULL, NULL, 0);
	ASSERT_NE(NULL, out);
	EXPECT_NE(NULL, strstr(out,
		"\"columns\":[\"cache\",\"objsize\",\"size\",\"active_objs\",\"total_objs\","
		"\"slabs\",\"size_kb\",\"reclaimable\",\"growth_kb\",\"rate_kb_min\","
		"\"persist_pct\",\"verdict\"]"));
	EXPECT_NE(NULL, strstr(out,
		"{\"cache\":\"ls_leaky_cache\",\"objsize\":512,\"size\":520,"
		"\"active_objs\":2625,\"total_objs\":2625,\"slabs\":85,\"size_kb\":1333,"
		"\"reclaimable\":false,\"growth_kb\":1269,\"rate_kb_min\":9790,"
		"\"persist_pct\":100,\"verdict\":\"growing\"}"))
		TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "{\"cache\":\"dentry\",\"objsize\":192,\"size\":192,"
			       "\"active_objs\":12054,\"total_objs\":12054,\"slabs\":574,"
			       "\"size_kb\":2260,\"reclaimable\":true,"));
	EXPECT_NE(NULL, strstr(out, "\"cache\":\"kmalloc-rcl-64\""));
	EXPECT_NE(NULL, strstr(out, "\"growth_kb\":-8,"));
	free(out);
	free(text);
}

TEST(slab_unknowns_are_null)
{
	char *out = render("slab",
		"# leakscope slab v1 held=1\n"
		"cache objsize size active_objs total_objs slabs size_kb reclaimable growth_kb rate_kb_min persist_pct verdict\n"
		"x 8 8 - - - - - - - - collecting\n", true, NULL, NULL, 0);

	ASSERT_NE(NULL, out);
	EXPECT_NE(NULL, strstr(out,
		"{\"cache\":\"x\",\"objsize\":8,\"size\":8,\"active_objs\":null,"
		"\"total_objs\":null,\"slabs\":null,\"size_kb\":null,\"reclaimable\":null,"
		"\"growth_kb\":null,\"rate_kb_min\":null,\"persist_pct\":null,"
		"\"verdict\":\"collecting\"}")) TH_LOG("%s", out);
	free(out);
}

TEST(refused)
{
	static const char hdr[] = "# leakscope slab v1 held=1\n"
		"cache objsize size active_objs total_objs slabs size_kb reclaimable growth_kb rate_kb_min persist_pct verdict\n";
	static const char vhdr[] = "# leakscope vmalloc v1 held=1\n"
		"areas size_kb pages kind growth_kb rate_kb_min persist_pct verdict caller\n";
	char text[1024], err[512], *out;

	snprintf(text, sizeof(text), "%sx 8 8 1 1 1 4 maybe 0 0 0 steady\n", hdr);
	out = render("slab", text, true, NULL, err, sizeof(err));
	EXPECT_EQ(NULL, out);
	EXPECT_STREQ("F:3: column reclaimable: 'maybe' is not 'yes', 'no' or '-'", err);
	free(out);
	snprintf(text, sizeof(text), "%sx 8 8 1 1 1 4 true 0 0 0 steady\n", hdr);
	out = render("slab", text, true, NULL, err, sizeof(err));
	EXPECT_EQ(NULL, out);
	free(out);
	snprintf(text, sizeof(text), "%sx 8 8k 1 1 1 4 no 0 0 0 steady\n", hdr);
	out = render("slab", text, true, NULL, err, sizeof(err));
	EXPECT_EQ(NULL, out);
	EXPECT_STREQ("F:3: column size: '8k' is not an integer", err);
	free(out);
	snprintf(text, sizeof(text), "%sx 8 8 1 1 1.5 4 no 0 0 0 steady\n", hdr);
	out = render("slab", text, true, NULL, err, sizeof(err));
	EXPECT_EQ(NULL, out);
	EXPECT_STREQ("F:3: column slabs: '1.5' is not an integer", err);
	free(out);
	snprintf(text, sizeof(text), "%s0x10 4 1 vmalloc 0 0 0 steady f+0x1/0x2\n", vhdr);
	out = render("vmalloc", text, true, NULL, err, sizeof(err));
	EXPECT_EQ(NULL, out);
	EXPECT_STREQ("F:3: column areas: '0x10' is not an integer", err);
	free(out);
	/* A caller with a space would be two fields. */
	snprintf(text, sizeof(text), "%s1 4 1 vmalloc 0 0 0 steady f+0x1/0x2 [m]\n", vhdr);
	out = render("vmalloc", text, true, NULL, err, sizeof(err));
	EXPECT_EQ(NULL, out);
	EXPECT_STREQ("F:3: more than 9 fields, expected 9", err);
	free(out);
}

TEST(tables)
{
	char *text = slurp("slab"), *out, *line, *save = NULL;
	size_t n = 0, col = 0;

	ASSERT_NE(NULL, text);
	out = render("slab", text, false, "no slab caches", NULL, 0);
	ASSERT_NE(NULL, out);
	line = strtok_r(out, "\n", &save);
	EXPECT_STREQ("slab: 16/64 samples, window 7.6 s, every 500 ms", line);
	/* "reclaimable" starts at the same offset on every line. */
	for (line = strtok_r(NULL, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save), n++) {
		if (!col)
			col = strstr(line, "reclaimable") - line;
		EXPECT_TRUE(!strncmp(line + col, "yes", 3) ||
			    !strncmp(line + col, "no ", 3) || !n) TH_LOG("%s", line);
		EXPECT_NE(' ', line[strlen(line) - 1]);
	}
	EXPECT_EQ(7U, n);
	free(out);
	free(text);

	text = slurp("vmalloc");
	ASSERT_NE(NULL, text);
	out = render("vmalloc", text, false, "no vmalloc areas", NULL, 0);
	ASSERT_NE(NULL, out);
	EXPECT_NE(NULL, strstr(out,
		"\nareas  size_kb  pages  kind          growth_kb  rate_kb_min  persist_pct  verdict     caller\n"
		"   39     2652    624  vmalloc            2516        18859           75  orphan      ls_leaky+0x36[unloaded]\n"))
		TH_LOG("%s", out);
	free(out);
	free(text);

	text = slurp("slab-empty");
	ASSERT_NE(NULL, text);
	out = render("slab", text, false, "no slab caches", NULL, 0);
	EXPECT_STREQ("slab: 3/64 samples, window 2.0 s, every 1000 ms, disabled: slab:btf\n"
		     "no slab caches\n", out);
	free(out);
	free(text);
}

TEST_HARNESS_MAIN
