// SPDX-License-Identifier: GPL-2.0
/*
 * summary agrees with /proc/meminfo.
 *
 * Tolerance.  Both files read the kernel's global vmstat counters (or the
 * module may sum the per-CPU deltas in; either way the bound below holds).
 * Updates go first to a per-CPU delta and are folded into the global
 * counter only when the delta's magnitude exceeds the CPU's stat_threshold
 * (mm/vmstat.c, __mod_node_page_state() and friends), or when
 * vmstat_update() / refresh_cpu_vm_stats() fold them, about once a second.
 * So at any moment |global - exact| <= T * nr_cpus units of the counter
 * (pages; kB for KernelStack), and two reads of the same global counter at
 * different times differ by at most
 *	|exact1 - exact2| + 2 * T * nr_cpus.
 * T is computed by calculate_normal_threshold() (6.12 mm/vmstat.c:222):
 *	T = min(125, 2 * fls(num_online_cpus()) * (1 + fls(zone_mb / 128)))
 * per zone, and the node threshold is the largest zone's.  For the test VM
 * (-smp 2 -m 1024: DMA32 zone ~ 900 MB) that is 2 * 2 * (1 + fls(7)) = 16
 * pages, so 2 * 16 * 2 = 64 pages = 256 kB per counter.  We do not rely on
 * the VM's size: T is read at run time from /proc/zoneinfo ("vm stats
 * threshold", the largest over all zones and CPUs; 125 if not found) and
 * nr_cpus from sysconf.  Slab is the sum of two counters (SReclaimable +
 * SUnreclaim), so its bound doubles.  VmallocUsed is an exact atomic
 * (nr_vmalloc_pages) with no per-CPU part.
 * The exact values themselves barely move between two reads microseconds
 * apart on an idle VM: this process only returns from write(2) and opens,
 * reads and closes one file; a sampler tick may allocate a little.  We
 * allow LS_SLACK_PAGES (16 pages = 64 kB) for that real change per item.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ls_test_util.h"

#define LS_SLACK_PAGES	16
#define LS_KASAN_SLAB_KB	1024
#define ROUNDS		5

struct item {
	const char *name;
	int counters;	/* global vmstat counters summed into it */
	bool kb_units;	/* counter counts kB, not pages */
};

static const struct item items[] = {
	{ "Active(anon)", 1, false }, { "Inactive(anon)", 1, false },
	{ "AnonPages", 1, false }, { "Mapped", 1, false },
	{ "Shmem", 1, false }, { "Unevictable", 1, false },
	{ "Mlocked", 1, false }, { "Slab", 2, false },
	{ "SReclaimable", 1, false }, { "SUnreclaim", 1, false },
	{ "VmallocUsed", 0, false }, { "KernelStack", 1, true },
	{ "PageTables", 1, false },
};

static long stat_threshold(void)
{
	const char *key = "vm stats threshold:";
	char *text, *p;
	long t, max = 0;

	if (ls_read_path("/proc/zoneinfo", &text, NULL))
		return 125;
	for (p = strstr(text, key); p; p = strstr(p, key)) {
		p += strlen(key);
		t = strtol(p, &p, 10);
		if (t > max)
			max = t;
	}
	free(text);
	return max ? max : 125;
}

static long long tolerance_kb(const struct item *it)
{
	static long thr, cpus, page_kb;
	long unit;

	if (!thr) {
		thr = stat_threshold();
		cpus = sysconf(_SC_NPROCESSORS_ONLN);
		page_kb = sysconf(_SC_PAGESIZE) / 1024;
		ksft_print_msg("stat_threshold %ld, cpus %ld: drift %ld kB per page counter\n",
			       thr, cpus, 2 * thr * cpus * page_kb);
	}
	unit = it->kb_units ? 1 : page_kb;
	/*
	 * KASAN's quarantine frees slab objects in batches at any moment
	 * (ls_test_util.h): on such a kernel the slab items get room for
	 * one batch more.
	 */
	if ((!strcmp(it->name, "Slab") || !strcmp(it->name, "SReclaimable") ||
	     !strcmp(it->name, "SUnreclaim")) && ls_kernel_has_kasan())
		return 2LL * thr * cpus * unit * it->counters +
		       LS_SLACK_PAGES * page_kb + LS_KASAN_SLAB_KB;
	return 2LL * thr * cpus * unit * it->counters +
	       LS_SLACK_PAGES * page_kb;
}

FIXTURE(meminfo) {
	struct ls_meminfo m1, m2;
};

FIXTURE_SETUP(meminfo)
{
	int ret;

	ASSERT_EQ(0, ls_unload());
	ret = ls_load("");
	ASSERT_EQ(0, ret) TH_LOG("load %s: %s", ls_ko_path(), strerror(-ret));
}

FIXTURE_TEARDOWN(meminfo)
{
	EXPECT_EQ(0, ls_unload());
}

/*
 * Compare the summary's now_kb with [lo - tol, hi + tol] where lo/hi are
 * the smaller/larger of the item in m1 and m2.  Returns the failures.
 */
static int compare(struct __test_metadata *_metadata, const struct ls_doc *d,
		   const struct ls_meminfo *m1, const struct ls_meminfo *m2)
{
	long long a, b, lo, hi, now, tol;
	const struct ls_row *r;
	const char *v, *verdict;
	static long long worst = -1;
	const char *worst_item = NULL;
	long long dev;
	int fails = 0;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(items); i++) {
		if (!ls_meminfo_get(m1, items[i].name, &a) ||
		    !ls_meminfo_get(m2, items[i].name, &b))
			continue;
		lo = a < b ? a : b;
		hi = a < b ? b : a;
		r = ls_doc_row(d, items[i].name);
		v = ls_row_field(d, r, "now_kb");
		verdict = ls_row_field(d, r, "verdict");
		if (!v) {
			TH_LOG("%s: no row or no now_kb", items[i].name);
			fails++;
			continue;
		}
		if (!strcmp(v, "-") && verdict && !strcmp(verdict, "disabled") &&
		    strcmp(ls_doc_kv(d, "disabled") ?: "-", "-")) {
			ksft_print_msg("%s disabled (disabled=%s): not compared\n",
				       items[i].name, ls_doc_kv(d, "disabled"));
			continue;
		}
		tol = tolerance_kb(&items[i]);
		if (ls_parse_ll(v, &now)) {
			dev = now < lo ? lo - now : now > hi ? now - hi : 0;
			if (dev > worst) {
				worst = dev;
				worst_item = items[i].name;
			}
		}
		if (!ls_parse_ll(v, &now) || now < lo - tol || now > hi + tol) {
			TH_LOG("%s: summary now_kb=%s, meminfo %lld..%lld kB, tolerance %lld kB",
			       items[i].name, v, lo, hi, tol);
			fails++;
		}
	}
	if (worst_item)
		ksft_print_msg("largest deviation so far: %lld kB (%s)\n", worst,
			       worst_item);
	return fails;
}

/*
 * ROUNDS times: write sample, read /proc/meminfo into @after and the
 * summary, and check the summary against @after alone or, when @before is
 * given, against the range of @before (read just before the sample) and
 * @after.
 */
static void sample_rounds(struct __test_metadata *_metadata,
			  struct ls_meminfo *before, struct ls_meminfo *after)
{
	struct ls_doc d;
	int i, ret, fails;

	for (i = 0; i < ROUNDS; i++) {
		if (before)
			ASSERT_EQ(0, ls_meminfo_read(before));
		ret = ls_control_str("sample");
		ASSERT_EQ(0, ret) TH_LOG("write sample: %s", strerror(-ret));
		ASSERT_EQ(0, ls_meminfo_read(after));
		ret = ls_doc_load(&d, "summary");
		if (ret) {
			TH_LOG("summary: %s", d.err);
			ls_dump("summary", d.raw);
			ls_doc_free(&d);
			ASSERT_EQ(0, ret);
		}
		fails = compare(_metadata, &d, before ? before : after, after);
		if (fails) {
			ls_dump("summary", d.raw);
			if (before)
				ls_dump("/proc/meminfo before", before->raw);
			ls_dump(before ? "/proc/meminfo after" : "/proc/meminfo",
				after->raw);
		}
		ls_doc_free(&d);
		ASSERT_EQ(0, fails) TH_LOG("round %d", i + 1);
	}
}

/* sample, read /proc/meminfo at once, then summary. */
TEST_F(meminfo, sample_then_meminfo)
{
	sample_rounds(_metadata, NULL, &self->m1);
}

/* meminfo, sample, meminfo again: the sample lies between the two reads. */
TEST_F(meminfo, meminfo_sample_meminfo)
{
	sample_rounds(_metadata, &self->m1, &self->m2);
}

TEST_HARNESS_MAIN
