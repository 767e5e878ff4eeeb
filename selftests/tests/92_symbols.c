// SPDX-License-Identifier: GPL-2.0
/*
 * The private symbols leakscope reads are data, never code.
 *
 * At load the module logs "leakscope: data symbols read: NAME..." (every
 * private symbol it resolved).  Each NAME must be in /proc/kallsyms with a
 * data type (d D b B r R) and never as text (t T): calling into a private
 * function is a BUG() on IBT kernels (Debian 6.12), and qemu cannot show it.
 * The set must cover what the walkers need: nr_vmalloc_pages, slab_caches,
 * slab_mutex, __start_BTF, and the vmalloc regime's pair, chosen by what
 * the kernel has: vmap_nodes + nr_vmap_nodes (6.9+, Debian 6.12) or
 * vmap_area_list + vmap_area_lock (Debian 6.1).  Never __stop_BTF: a
 * linker marker that kallsyms names after whatever follows .BTF on many
 * Debian kernels (the BTF size comes from its header).  Each address lies
 * in the kernel image's data, rodata or bss, by /proc/kallsyms's own
 * markers (_sdata.._edata, __start_rodata..__end_rodata,
 * __bss_start..__bss_stop), as the module requires.
 *
 * Also: on both Debian kernels nothing is disabled: every file's header
 * says disabled=-.
 *
 * kptr_restrict is set to 0 for the test (so /proc/kallsyms shows
 * addresses, checked non-zero) and restored afterwards.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ls_test_util.h"

#define KPTR	"/proc/sys/kernel/kptr_restrict"
#define MAX_SYMS	64

static const char * const all_files[] = {
	"summary", "suspects", "control", "procs", "regions", "vmalloc", "slab",
	"callsites", "stacks",
};

struct ksym {
	char name[128];
	bool data, text;
	bool nonzero;
	unsigned long long addr;	/* of the data symbol */
};

FIXTURE(symbols) {
	char kptr[16];		/* saved value, "" if unchanged */
	int kmsg;
};

static int write_str(const char *path, const char *s)
{
	FILE *f = fopen(path, "w");
	int ret = 0;

	if (!f)
		return -errno;
	if (fputs(s, f) < 0)
		ret = -EIO;
	if (fclose(f))
		ret = -errno;
	return ret;
}

FIXTURE_SETUP(symbols)
{
	char *text = NULL;
	int ret;

	self->kptr[0] = '\0';
	self->kmsg = -1;
	ASSERT_EQ(0, ls_unload());
	ret = ls_read_path(KPTR, &text, NULL);
	ASSERT_EQ(0, ret) TH_LOG("%s: %s", KPTR, strerror(-ret));
	if (atoi(text) != 0) {
		snprintf(self->kptr, sizeof(self->kptr), "%s", text);
		ret = write_str(KPTR, "0\n");
		ASSERT_EQ(0, ret) TH_LOG("set %s to 0: %s", KPTR, strerror(-ret));
		ksft_print_msg("kptr_restrict was %d: set to 0 for the test\n",
			       atoi(text));
	}
	free(text);
}

FIXTURE_TEARDOWN(symbols)
{
	if (self->kptr[0])
		EXPECT_EQ(0, write_str(KPTR, self->kptr));
	if (self->kmsg >= 0)
		close(self->kmsg);
	EXPECT_EQ(0, ls_unload());
}

/* Fill in what /proc/kallsyms says of each name in syms[0..n). */
static int kallsyms_lookup(struct ksym *syms, int n)
{
	char *text, *line, *next, addr[32], type[8], name[256];
	int i, ret;

	ret = ls_read_path("/proc/kallsyms", &text, NULL);
	if (ret)
		return ret;
	next = text;
	while ((line = ls_next_line(&next))) {
		/* "ADDR T name" or "ADDR t name\t[module]" */
		if (sscanf(line, "%31s %7s %255s", addr, type, name) != 3)
			continue;
		for (i = 0; i < n; i++) {
			if (strcmp(syms[i].name, name))
				continue;
			if (strchr("dDbBrR", type[0]) && !type[1]) {
				syms[i].data = true;
				if (strspn(addr, "0") != strlen(addr))
					syms[i].nonzero = true;
				syms[i].addr = strtoull(addr, NULL, 16);
			}
			if (type[0] == 't' || type[0] == 'T')
				syms[i].text = true;
		}
	}
	free(text);
	return 0;
}

/* Is @sym's address inside the data, rodata or bss markers' ranges? */
static bool in_image_data(const struct ksym *sym)
{
	struct ksym m[] = {
		{ .name = "_sdata" }, { .name = "_edata" },
		{ .name = "__start_rodata" }, { .name = "__end_rodata" },
		{ .name = "__bss_start" }, { .name = "__bss_stop" },
	};
	size_t i;

	if (kallsyms_lookup(m, ARRAY_SIZE(m)))
		return false;
	for (i = 0; i < ARRAY_SIZE(m); i += 2)
		if (m[i].nonzero && m[i + 1].nonzero &&
		    sym->addr >= m[i].addr && sym->addr < m[i + 1].addr)
			return true;
	return false;
}

static bool has(const struct ksym *syms, int n, const char *name)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(syms[i].name, name))
			return true;
	return false;
}

/*
 * Two reads of /proc/kallsyms (over 100,000 lines) under TCG: 8-10 s on
 * a quiet host, past the harness's default 30 s on a loaded one.
 */
TEST_F_TIMEOUT(symbols, data_symbols_only, 120)
{
	char msg[1024], *list, *tok, *save = NULL;
	struct ksym syms[MAX_SYMS], probe[2];
	const char * const *need_pair;
	static const char * const need[] = {
		"nr_vmalloc_pages", "slab_caches", "slab_mutex", "__start_BTF",
	};
	static const char * const nodes[] = { "vmap_nodes", "nr_vmap_nodes" };
	static const char * const list_pair[] = { "vmap_area_list",
						  "vmap_area_lock" };
	struct utsname u;
	int n = 0, i, ret;

	self->kmsg = ls_kmsg_open();
	ASSERT_LE(0, self->kmsg) TH_LOG("/dev/kmsg: %s", strerror(-self->kmsg));
	ret = ls_load("");
	ASSERT_EQ(0, ret) TH_LOG("load %s: %s", ls_ko_path(), strerror(-ret));
	ret = ls_kmsg_wait(self->kmsg, "leakscope: data symbols read: ", msg,
			   sizeof(msg), 5000);
	ASSERT_EQ(0, ret) TH_LOG("no 'data symbols read' line in dmesg: %s",
				 strerror(-ret));
	ksft_print_msg("%s\n", msg);
	list = strstr(msg, "read: ") + 6;
	for (tok = strtok_r(list, " ", &save); tok && n < MAX_SYMS;
	     tok = strtok_r(NULL, " ", &save)) {
		memset(&syms[n], 0, sizeof(syms[n]));
		snprintf(syms[n].name, sizeof(syms[n].name), "%s", tok);
		n++;
	}
	ASSERT_LT(0, n);
	ASSERT_STRNE("-", syms[0].name);
	ASSERT_EQ(0, kallsyms_lookup(syms, n));
	for (i = 0; i < n; i++) {
		EXPECT_TRUE(syms[i].data)
			TH_LOG("%s: not a data symbol in /proc/kallsyms",
			       syms[i].name);
		EXPECT_FALSE(syms[i].text)
			TH_LOG("%s: a text symbol in /proc/kallsyms",
			       syms[i].name);
		EXPECT_TRUE(syms[i].nonzero)
			TH_LOG("%s: address 0 in /proc/kallsyms", syms[i].name);
	}
	for (i = 0; i < (int)ARRAY_SIZE(need); i++)
		EXPECT_TRUE(has(syms, n, need[i]))
			TH_LOG("%s was not read", need[i]);
	EXPECT_FALSE(has(syms, n, "__stop_BTF"));
	for (i = 0; i < n; i++)
		EXPECT_TRUE(in_image_data(&syms[i]))
			TH_LOG("%s at %llx: not in the image's data, rodata or bss",
			       syms[i].name, syms[i].addr);

	/* The regime by what this kernel has, not by its version. */
	memset(probe, 0, sizeof(probe));
	snprintf(probe[0].name, sizeof(probe[0].name), "vmap_nodes");
	snprintf(probe[1].name, sizeof(probe[1].name), "vmap_area_list");
	ASSERT_EQ(0, kallsyms_lookup(probe, 2));
	ASSERT_NE(probe[0].data, probe[1].data)
		TH_LOG("kallsyms has %s", probe[0].data ? "both vmap_nodes and vmap_area_list"
						      : "neither vmap_nodes nor vmap_area_list");
	need_pair = probe[0].data ? nodes : list_pair;
	for (i = 0; i < 2; i++)
		EXPECT_TRUE(has(syms, n, need_pair[i]))
			TH_LOG("%s was not read", need_pair[i]);
	uname(&u);
	ksft_print_msg("%s: %d data symbols, all data in /proc/kallsyms; vmalloc regime %s\n",
		       u.release, n, probe[0].data ? "nodes" : "list");
	/* Debian's two kernels, for the record: 6.1 list, 6.12 nodes. */
	if (!strncmp(u.release, "6.1.", 4))
		EXPECT_FALSE(probe[0].data);
	if (!strncmp(u.release, "6.12.", 5))
		EXPECT_TRUE(probe[0].data);
}

TEST_F(symbols, nothing_disabled)
{
	struct ls_doc d;
	size_t i;
	int ret;

	ret = ls_load("");
	ASSERT_EQ(0, ret) TH_LOG("load %s: %s", ls_ko_path(), strerror(-ret));
	for (i = 0; i < ARRAY_SIZE(all_files); i++) {
		ret = ls_doc_load(&d, all_files[i]);
		EXPECT_EQ(0, ret) TH_LOG("%s: %s", all_files[i], d.err);
		if (!ret) {
			EXPECT_STREQ(all_files[i], d.file);
			EXPECT_STREQ("-", ls_doc_kv(&d, "disabled") ?: "(none)")
				TH_LOG("%s: %s", all_files[i],
				       strtok(d.raw, "\n"));
		}
		ls_doc_free(&d);
	}
}

TEST_HARNESS_MAIN
