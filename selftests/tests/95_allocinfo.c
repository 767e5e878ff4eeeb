// SPDX-License-Identifier: GPL-2.0
/*
 * Accuracy against a peer: leakscope's sampled call-site estimates against
 * /proc/allocinfo (CONFIG_MEM_ALLOC_PROFILING, 6.10+), in the same boot.
 * Debian's kernels do not have it (this test then SKIPs, allowed by
 * selftests/vm/skip-allowed); the debug test kernel
 * (selftests/kernel/debug.config) does, and there its absence fails.
 *
 * ls_leaky.ko (selftests/kmod) leaks from four functions, 16 allocations
 * each every 250 ms, for 160 periods (40 s):
 *
 *  - ls_leaky_strdup_leak(): kstrdup() of 4,000 bytes (kmalloc-4k),
 *  - ls_leaky_kc_leak(): its own cache ls_leaky_kc, 4,000-byte objects,
 *  - ls_leaky_pages_leak(): alloc_pages() of order 0,
 *  - ls_leaky_percpu_leak(): __alloc_percpu() of 2,048 bytes,
 *
 * which is at least 64 KiB per period and at least 10 MiB per site in
 * the end.  What allocinfo charges each to:
 *
 *  - kmem_cache_alloc(), alloc_pages() and __alloc_percpu() are
 *    alloc_hooks() macros in 6.12 (slab.h, gfp.h, percpu.h): the tag is
 *    the calling line, "ls_leaky.c:N [ls_leaky] func:ls_leaky_kc_leak";
 *    the bytes are s->size per object (mm/slub.c, alloc_tag_add()),
 *    PAGE_SIZE << order per block (pgalloc_tag_add()) and, for percpu,
 *    pcpu_obj_full_size(): size times the possible CPUs (plus an
 *    obj_cgroup pointer per 4 bytes with memcg kmem, which the test
 *    kernel does not have).  leakscope counts the same: s->size (the
 *    kmem_cache_alloc and kmalloc events' bytes_alloc), PAGE_SIZE << order
 *    and size times num_possible_cpus().  These three are compared
 *    function for function.  One difference: allocinfo does not count a
 *    percpu area served from the first chunk, which has no obj_exts
 *    (mm/percpu.c:1397, pcpu_alloc_first_chunk()); its free space is tens
 *    of KiB per CPU, well under 1% of the 10 MiB leaked.
 *  - kstrdup() is a plain function in 6.12 (string.h; kmemdup() is
 *    wrapped, kstrdup() is not): its kmalloc_track_caller() is tagged
 *    "mm/util.c:N func:kstrdup" for every caller in the kernel.  It is not
 *    comparable per function; the test compares leakscope's
 *    ls_leaky_strdup_leak() with the growth of that one kstrdup line from
 *    just before ls_leaky is loaded to the end, which every other kstrdup()
 *    of those 40 s is in too (a few kB on an idle VM, under 0.1% of it).
 *
 * The statistical bound.  leakscope samples by bytes: a Poisson process
 * of mean M bytes (track_mean_kb), an object of b bytes is sampled with
 * p = 1 - exp(-b/M) and weighs b/p.  For n objects (T = n b bytes) the
 * estimate's variance is n b^2 (1-p)/p, and b (1-p)/p = b/(exp(b/M) - 1)
 * <= M for every b, so its relative standard deviation is at most
 * sqrt(M/T), whatever the object size.  At the default M = 512 KiB and
 * T = 4 MiB that is 35%: ±20% would fail one run in three.  The test
 * sets track_mean_kb=16 and checks each site once it holds 8 MiB or more
 * (it holds about 10): sqrt(16 KiB / 8 MiB) = 4.4%, so ±20% is 4.5
 * standard deviations, a chance of 7e-6 per site (normal tail, two-sided)
 * and under 3e-5 per run for the four sites.  ±20% is not loosened.
 *
 * Growth: once leakscope's rows of all four sites are growing (while
 * ls_leaky still leaks), allocinfo is read twice 2 s apart around a read
 * of callsites: the first four growing rows of callsites (its order is
 * growth, largest first) must be the four ls_leaky sites, and each must
 * grow in allocinfo between its two reads (the strdup one through the
 * kstrdup line).  The converse is not asked: allocinfo also shows the
 * memory behind the leak growing (slab pages in alloc_slab_page(), percpu
 * chunk pages in pcpu_alloc_pages()), which leakscope counts in the
 * objects, not again as pages.
 *
 * Then, when ls_leaky has stopped ("stopped after" in the kernel log), a
 * synchronous sample (control `sample`) and both files are read, nothing
 * allocating in between; per site leakscope's size_kb (summed over its
 * rows) must be within ±20% of allocinfo's bytes.  The figures are printed
 * ("# allocinfo: SITE leakscope=N kB allocinfo=N kB diff=N%").
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ls_test_util.h"

#define ALLOCINFO	"/proc/allocinfo"
#define MEM_PROFILING	"/proc/sys/vm/mem_profiling"
#define LS_PARAMS	"interval_ms=500 track=all track_mean_kb=16"
#define LEAKY_PARAMS	"vm_leak=0 objs_per_tick=0 period_ms=250 new_per_tick=16 " \
			"max_ticks=160 strdup_bytes=4000 kc_obj_size=4000 " \
			"leak_pages=1 page_order=0 percpu_bytes=2048"
#define GROWING_MS	30000	/* each site's row growing within this */
#define STOP_MS		120000	/* ls_leaky's 40 s, slow under TCG */
#define MIN_KB		8192	/* what the bound above assumes */
#define TOLERANCE_PCT	20
#define NR_SITES	4

/* The ls_leaky sites; @ai_func/@ai_mod: the allocinfo line they are in. */
static const struct site {
	const char *fn;
	const char *ai_func;
	const char *ai_mod;	/* NULL: built in */
	bool per_function;	/* allocinfo's line is the function's own */
} sites[NR_SITES] = {
	{ "ls_leaky_strdup_leak", "kstrdup", NULL, false },
	{ "ls_leaky_kc_leak", "ls_leaky_kc_leak", "ls_leaky", true },
	{ "ls_leaky_pages_leak", "ls_leaky_pages_leak", "ls_leaky", true },
	{ "ls_leaky_percpu_leak", "ls_leaky_percpu_leak", "ls_leaky", true },
};

/*
 * The bytes of the allocinfo lines of function @func in module @mod (NULL:
 * built in), summed; -1 when there is none.  A line is
 * "<bytes> <calls> FILE:LINE [MOD] func:FUNC" (lib/alloc_tag.c,
 * lib/codetag.c), after a version line and a "#" line.
 */
static long long ai_bytes(const char *text, const char *func, const char *mod)
{
	char *copy = strdup(text), *next = copy, *line, *p;
	char want_mod[80], want_func[96];
	long long sum = -1, bytes;
	size_t n;

	if (!copy)
		return -1;
	snprintf(want_mod, sizeof(want_mod), " [%s] ", mod ? mod : "");
	snprintf(want_func, sizeof(want_func), " func:%s", func);
	n = strlen(want_func);
	while ((line = ls_next_line(&next))) {
		if (sscanf(line, "%lld", &bytes) != 1)
			continue;	/* the header lines */
		p = strstr(line, want_func);
		if (!p || (p[n] != ' ' && p[n] != '\0'))
			continue;
		if (mod ? !strstr(line, want_mod) : !!strstr(line, " ["))
			continue;
		sum = (sum < 0 ? 0 : sum) + bytes;
	}
	free(copy);
	return sum;
}

static int ai_read(char **text)
{
	*text = NULL;
	return ls_read_path(ALLOCINFO, text, NULL);
}

/* leakscope's estimated outstanding kB of @fn: its rows summed; -1: none. */
static long long ls_site_kb(const struct ls_doc *d, const char *fn)
{
	long long sum = -1, kb;
	int i;

	for (i = 0; i < d->nrows; i++) {
		if (!ls_site_is(ls_row_field(d, &d->rows[i], "site"), fn) ||
		    !ls_parse_ll(ls_row_field(d, &d->rows[i], "size_kb"), &kb))
			continue;
		sum = (sum < 0 ? 0 : sum) + kb;
	}
	return sum;
}

static const struct site *site_of(const char *site_field)
{
	size_t i;

	for (i = 0; i < NR_SITES; i++)
		if (ls_site_is(site_field, sites[i].fn))
			return &sites[i];
	return NULL;
}

/*
 * The debug test kernel (built by selftests/kernel/build-test-kernel.sh,
 * "leakscope@leakscope-test" in /proc/version, with KASAN) is built with
 * MEM_ALLOC_PROFILING: there a missing allocinfo is a failure, not a SKIP.
 */
static bool is_debug_test_kernel(void)
{
	char *v = NULL;
	bool ours;

	if (ls_read_path("/proc/version", &v, NULL))
		return false;
	ours = strstr(v, "@leakscope-test)") != NULL;
	free(v);
	return ours && ls_kernel_has_kasan();
}

/* Write "0" or "1" to MEM_PROFILING. 0 or -errno. */
static int set_profiling(bool on)
{
	FILE *f = fopen(MEM_PROFILING, "w");

	if (!f)
		return -errno;
	fputs(on ? "1\n" : "0\n", f);
	return fclose(f) ? -errno : 0;
}

FIXTURE(allocinfo) {
	int kmsg;
	bool profiling_was_off;
};

FIXTURE_SETUP(allocinfo)
{
	int ret;

	self->kmsg = -1;
	self->profiling_was_off = false;
	ASSERT_EQ(0, ls_unload());
	ret = ls_mod_unload_retry(LS_LEAKY_MODNAME, 5000);
	ASSERT_TRUE(ret == 0 || ret == -ENOENT) TH_LOG("rmmod ls_leaky: %s",
						       strerror(-ret));
}

FIXTURE_TEARDOWN(allocinfo)
{
	int ret = ls_mod_unload_retry(LS_LEAKY_MODNAME, 5000);

	EXPECT_TRUE(ret == 0 || ret == -ENOENT);
	EXPECT_EQ(0, ls_unload());
	if (self->kmsg >= 0)
		close(self->kmsg);
	/*
	 * Off again, as the kernel booted, only now: a free while it is off
	 * is not subtracted (mm/slub.c alloc_tagging_slab_free_hook()), and
	 * a module unloaded with bytes still charged to it WARNs
	 * (lib/alloc_tag.c alloc_tag_module_unload()).
	 */
	if (self->profiling_was_off)
		EXPECT_EQ(0, set_profiling(false));
}

TEST_F_TIMEOUT(allocinfo, matches_leakscope, 400)
{
	char *a = NULL, *b = NULL, *prof = NULL, msg[256];
	long long kstrdup0, before, after, lkb, akb, t0, diff;
	int i, ret, top = 0, failed = 0;
	struct ls_doc d;
	size_t k;

	if (access(ALLOCINFO, F_OK)) {
		ASSERT_FALSE(is_debug_test_kernel())
			TH_LOG("no %s on the debug test kernel, which "
			       "selftests/kernel/debug.config builds with "
			       "CONFIG_MEM_ALLOC_PROFILING=y", ALLOCINFO);
		SKIP(return, "no %s: this kernel has no "
		     "CONFIG_MEM_ALLOC_PROFILING (Debian's do not), nothing "
		     "to compare with", ALLOCINFO);
	}
	/*
	 * The debug kernel boots with profiling supported but off
	 * (debug.config: MEM_ALLOC_PROFILING_ENABLED_BY_DEFAULT unset), so
	 * that the tests that unload ls_leaky with memory left behind on
	 * purpose (90, 94) do not trip alloc_tag_module_unload()'s WARN: on
	 * for this test only, before anything it compares is allocated.
	 */
	if (!ls_read_path(MEM_PROFILING, &prof, NULL) && prof[0] == '0') {
		ret = set_profiling(true);
		ASSERT_EQ(0, ret) TH_LOG("cannot enable %s: %s", MEM_PROFILING,
					 strerror(-ret));
		self->profiling_was_off = true;
	}
	free(prof);

	self->kmsg = ls_kmsg_open();
	ASSERT_LE(0, self->kmsg) TH_LOG("/dev/kmsg: %s", strerror(-self->kmsg));
	ret = ls_load(LS_PARAMS);
	ASSERT_EQ(0, ret) TH_LOG("load %s: %s", ls_ko_path(), strerror(-ret));
	ASSERT_EQ(0, ai_read(&a));
	kstrdup0 = ai_bytes(a, "kstrdup", NULL);
	free(a);
	ASSERT_LE(0, kstrdup0) TH_LOG("no kstrdup line in %s", ALLOCINFO);
	ret = ls_leaky_load(LEAKY_PARAMS);
	ASSERT_EQ(0, ret) TH_LOG("load %s: %s", ls_leaky_ko_path(),
				 strerror(-ret));
	t0 = ls_now_ms();

	/* 1. While it leaks: leakscope's first growing sites grow in allocinfo. */
	for (k = 0; k < NR_SITES; k++)
		ASSERT_STREQ("growing",
			     ls_wait_growing(NULL, sites[k].fn, GROWING_MS));
	ASSERT_EQ(0, ai_read(&a));
	ASSERT_EQ(0, ls_doc_load(&d, "callsites")) TH_LOG("%s", d.err);
	ls_sleep_ms(2000);
	ASSERT_EQ(0, ai_read(&b));
	ksft_print_msg("all four sites growing after %lld ms\n",
		       ls_now_ms() - t0);
	for (i = 0; i < d.nrows && top < NR_SITES; i++) {
		const char *v = ls_row_field(&d, &d.rows[i], "verdict");
		const char *s = ls_row_field(&d, &d.rows[i], "site");
		const struct site *st = site_of(s);

		if (!v || strcmp(v, "growing"))
			continue;
		top++;
		if (!st) {
			failed++;
			TH_LOG("growing row %d of callsites is %s, not an "
			       "ls_leaky site", top, s);
			continue;
		}
		before = ai_bytes(a, st->ai_func, st->ai_mod);
		after = ai_bytes(b, st->ai_func, st->ai_mod);
		ksft_print_msg("growing %d: %s growth_kb=%s; allocinfo %s: "
			       "%lld -> %lld kB in 2 s\n", top, st->fn,
			       ls_row_field(&d, &d.rows[i], "growth_kb"),
			       st->ai_func, before / 1024, after / 1024);
		if (before < 0 || after <= before) {
			failed++;
			TH_LOG("%s: allocinfo's %s does not grow (%lld -> %lld)",
			       st->fn, st->ai_func, before, after);
		}
	}
	if (top < NR_SITES || failed)
		ls_dump("callsites", d.raw);
	EXPECT_EQ(NR_SITES, top);
	EXPECT_EQ(0, failed);
	ls_doc_free(&d);
	free(a);
	free(b);

	/* 2. Stopped: the estimate against allocinfo, site by site. */
	ret = ls_kmsg_wait(self->kmsg, "ls_leaky: stopped after", msg,
			   sizeof(msg), STOP_MS);
	ASSERT_EQ(0, ret) TH_LOG("ls_leaky did not stop within %d ms: %s",
				 STOP_MS, strerror(-ret));
	ksft_print_msg("%s, %lld ms after its load\n", msg, ls_now_ms() - t0);
	ASSERT_EQ(0, ls_control_str("sample"));
	ASSERT_EQ(0, ls_doc_load(&d, "callsites")) TH_LOG("%s", d.err);
	ASSERT_EQ(0, ai_read(&b));
	failed = 0;
	for (k = 0; k < NR_SITES; k++) {
		const struct site *st = &sites[k];

		lkb = ls_site_kb(&d, st->fn);
		akb = ai_bytes(b, st->ai_func, st->ai_mod);
		if (akb >= 0 && !st->per_function)
			akb -= kstrdup0;
		akb = akb < 0 ? -1 : akb / 1024;
		diff = akb > 0 ? (lkb - akb) * 100 / akb : 0;
		ksft_print_msg("allocinfo: %-22s leakscope=%lld kB allocinfo=%lld kB%s diff=%+lld%%\n",
			       st->fn, lkb, akb,
			       st->per_function ? "" : " (kstrdup line's growth)",
			       diff);
		if (akb < MIN_KB) {
			failed++;
			TH_LOG("%s: allocinfo has %lld kB, under the %d kB the "
			       "bound assumes", st->fn, akb, MIN_KB);
		} else if (lkb < 0 || llabs(lkb - akb) * 100 >
					  TOLERANCE_PCT * akb) {
			failed++;
			TH_LOG("%s: leakscope %lld kB, allocinfo %lld kB: off "
			       "by more than %d%%", st->fn, lkb, akb,
			       TOLERANCE_PCT);
		}
	}
	if (failed)
		ls_dump("callsites", d.raw);
	EXPECT_EQ(0, failed);
	ls_doc_free(&d);
	free(b);
}

TEST_HARNESS_MAIN
