// SPDX-License-Identifier: GPL-2.0
/*
 * summary agrees with /proc/meminfo, for every item it shares with it.
 *
 * Every compared item has a real amount behind it, put there by a holder
 * process that then sleeps (FIXTURE_SETUP): HOLD_ANON_MB of touched
 * private anonymous memory (AnonPages, the anon LRU), HOLD_LOCK_MB more
 * mlock()ed (Mlocked, Unevictable), a HOLD_SHMEM_MB file in /dev/shm
 * (Shmem), read twice so that its pages are activated
 * (shmem_file_read_iter() marks a page accessed; the second time makes it
 * active: Active(anon) on the classic LRU), and HOLD_MAPPED_MB of it
 * mapped and read (Mapped), one page touched in each of HOLD_PT_TABLES
 * 2 MB stretches of address space (PageTables: one page table each), and
 * HOLD_THREADS sleeping threads (KernelStack, and VmallocUsed with
 * VMAP_STACK).  Slab, SReclaimable and SUnreclaim hold megabytes on any
 * booted kernel.  Each item's floor (what is behind it) must be in
 * /proc/meminfo and must exceed its tolerance below, so a summary that
 * reads zero for it fails; an item missing from /proc/meminfo, or
 * disabled or missing in the summary, fails too: none is skipped.
 * Unaccounted (the ledger) and leakscope (its own memory, self_kb) are
 * not in /proc/meminfo and are not compared here.
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
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ls_test_util.h"
#include "ls_procs_util.h"

#define LS_SLACK_PAGES	16
#define LS_KASAN_SLAB_KB	1024
#define ROUNDS		5

#define HOLD_ANON_MB	32
#define HOLD_LOCK_MB	8
#define HOLD_SHMEM_MB	8
#define HOLD_MAPPED_MB	4
#define HOLD_PT_TABLES	256		/* one PTE page each: 1 MB */
#define HOLD_THREADS	64
#define THREAD_STACK_KB	16		/* x86-64 THREAD_SIZE, at least */
#define HOLD_FILES	12000		/* dentries: about 2 MB reclaimable */
#define KERNEL_FLOOR_KB	2048		/* Slab and such on a booted kernel */
#define HOLD_MARGIN_KB	1024		/* per-CPU batches and deltas */
#define HOLD_FILE	"/dev/shm/ls-30-meminfo"
#define HOLD_DIR	"/dev/shm/ls-30-dentries"
#define PMD_SPAN	(2UL << 20)

struct item {
	const char *name;
	int counters;	/* global vmstat counters summed into it */
	bool kb_units;	/* counter counts kB, not pages */
	long long floor_kb;	/* at least this much is behind it */
};

/*
 * Floors: what the holder holds, less HOLD_MARGIN_KB for pages that may
 * still wait in a per-CPU batch (LRU add, mlock: up to 31 pages per CPU)
 * and for the per-CPU vmstat deltas (stat_threshold pages per CPU, below).
 */
#define HELD(mb)	(((mb) << 10) - HOLD_MARGIN_KB)

static struct item items[] = {
	{ "Active(anon)", 1, false, HELD(HOLD_SHMEM_MB) },
	{ "Inactive(anon)", 1, false, HELD(HOLD_SHMEM_MB - HOLD_MAPPED_MB) },
	{ "AnonPages", 1, false, HELD(HOLD_ANON_MB + HOLD_LOCK_MB) },
	{ "Mapped", 1, false, HELD(HOLD_MAPPED_MB) },
	{ "Shmem", 1, false, HELD(HOLD_SHMEM_MB) },
	{ "Unevictable", 1, false, HELD(HOLD_LOCK_MB) },
	{ "Mlocked", 1, false, HELD(HOLD_LOCK_MB) },
	{ "Slab", 2, false, KERNEL_FLOOR_KB },
	{ "SReclaimable", 1, false, KERNEL_FLOOR_KB },
	{ "SUnreclaim", 1, false, KERNEL_FLOOR_KB },
	{ "VmallocUsed", 0, false, KERNEL_FLOOR_KB },
	{ "KernelStack", 1, true, HOLD_THREADS * THREAD_STACK_KB },
	{ "PageTables", 1, false, HOLD_PT_TABLES * 4 },
};

/*
 * HOLD_FILES empty files in HOLD_DIR (tmpfs): a dentry each, from a
 * reclaimable cache, pinned while the file exists (SReclaimable: a VM
 * that has opened few files holds well under a megabyte there).
 */
static int dentries(bool make)
{
	char path[64];
	int i, fd;

	if (make && mkdir(HOLD_DIR, 0700) && errno != EEXIST)
		return -errno;
	for (i = 0; i < HOLD_FILES; i++) {
		snprintf(path, sizeof(path), HOLD_DIR "/%d", i);
		if (!make) {
			unlink(path);
			continue;
		}
		fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
		if (fd < 0)
			return -errno;
		close(fd);
	}
	if (!make)
		rmdir(HOLD_DIR);
	return 0;
}

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

static void *holder_sleeper(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

/* write(2) or read(2) all of @len at @off of @fd; false on failure. */
static bool file_io(int fd, char *buf, size_t len, bool wr)
{
	size_t done = 0;
	ssize_t r;

	while (done < len) {
		r = wr ? pwrite(fd, buf + done, len - done, done) :
			 pread(fd, buf + done, len - done, done);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return false;
		done += r;
	}
	return true;
}

/*
 * The holder: puts the amounts at the top behind the items, reports "ok"
 * on @fd and sleeps.  Exits 1 on any failure (the test then fails).
 */
static void holder_main(int fd)
{
	size_t anon = (size_t)HOLD_ANON_MB << 20;
	size_t lock = (size_t)HOLD_LOCK_MB << 20;
	size_t shmem = (size_t)HOLD_SHMEM_MB << 20;
	size_t mapped = (size_t)HOLD_MAPPED_MB << 20;
	size_t span = HOLD_PT_TABLES * PMD_SPAN, i;
	char *priv, *locked, *pt, *map;
	pthread_attr_t attr;
	pthread_t t;
	int f;

	priv = mmap(NULL, anon, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	locked = mmap(NULL, lock, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	pt = mmap(NULL, span, PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (priv == MAP_FAILED || locked == MAP_FAILED || pt == MAP_FAILED)
		_exit(1);
	/*
	 * Locked first, in small pages.  The two mappings are adjacent and
	 * would be one VMA: touching priv first, THP (always, on Debian)
	 * could give a 2 MB page that reaches into the locked range, and 6.1
	 * does not count such a page, PTE-mapped after the split, in
	 * Mlocked (seen: up to 576 kB short).
	 */
	madvise(locked, lock, MADV_NOHUGEPAGE);
	if (mlock(locked, lock))
		_exit(1);
	memset(priv, 1, anon);
	/*
	 * One page in each 2 MB stretch: one page table each.  Without
	 * MADV_NOHUGEPAGE, THP (always, on Debian) would map each stretch
	 * with a 2 MB page and no page table; a kernel without THP refuses
	 * the advice (EINVAL) and needs none.
	 */
	madvise(pt, span, MADV_NOHUGEPAGE);
	for (i = 0; i < HOLD_PT_TABLES; i++)
		pt[i * PMD_SPAN] = 1;

	f = open(HOLD_FILE, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (f < 0 || !file_io(f, priv, shmem, true) ||
	    !file_io(f, priv, shmem, false) || !file_io(f, priv, shmem, false))
		_exit(1);
	/* MAP_POPULATE maps every page now: Mapped. */
	map = mmap(NULL, mapped, PROT_READ, MAP_SHARED | MAP_POPULATE, f, 0);
	if (map == MAP_FAILED)
		_exit(1);

	if (pthread_attr_init(&attr) ||
	    pthread_attr_setstacksize(&attr, 64 << 10))
		_exit(1);
	for (i = 0; i < HOLD_THREADS; i++)
		if (pthread_create(&t, &attr, holder_sleeper, NULL))
			_exit(1);
	if (write(fd, "ok\n", 3) != 3)
		_exit(1);
	close(fd);
	for (;;)
		pause();
}

/*
 * MGLRU (6.12 Debian: lru_gen enabled) counts the two youngest
 * generations as active and everything older as inactive, and a booted VM
 * that never felt memory pressure never ages: Inactive(anon) reads 0.
 * Age every lruvec once, as kswapd would under pressure, through
 * /sys/kernel/debug/lru_gen ("+ MEMCG NODE MAX_SEQ SWAPPINESS FORCE",
 * Documentation/admin-guide/mm/multigen_lru.rst), swappiness 0: anon
 * pages are not promoted by the walk, so the holder's file pages, which
 * write(2) put in the second youngest generation, are now in the third:
 * inactive.  Its faulted anonymous pages (youngest) stay active.  A
 * kernel without MGLRU, or with it off, needs nothing: 0.  Else 0 or
 * -errno.
 */
static int lru_gen_age_once(void)
{
	char *text, *line, *next, cmd[96];
	unsigned long long seq, max_seq = 0;
	int memcg = -1, node = -1, ret, fd, aged = 0;
	long long enabled = 0;
	char *en = NULL;

	if (ls_read_path("/sys/kernel/mm/lru_gen/enabled", &en, NULL))
		return 0;
	enabled = strtoll(en, NULL, 0);
	free(en);
	if (!enabled)
		return 0;
	ret = ls_read_path("/sys/kernel/debug/lru_gen", &text, NULL);
	if (ret)
		return ret;
	/* "memcg ID PATH", " node NID", then one line per generation. */
	next = text;
	for (;;) {
		line = ls_next_line(&next);
		if (!line || sscanf(line, " memcg %d", &memcg) == 1 ||
		    sscanf(line, " node %d", &ret) == 1) {
			if (memcg >= 0 && node >= 0 && max_seq) {
				snprintf(cmd, sizeof(cmd), "+ %d %d %llu 0 1",
					 memcg, node, max_seq);
				fd = open("/sys/kernel/debug/lru_gen",
					  O_WRONLY | O_CLOEXEC);
				if (fd < 0 || write(fd, cmd, strlen(cmd)) < 0) {
					ret = -errno;
					if (fd >= 0)
						close(fd);
					free(text);
					return ret;
				}
				close(fd);
				aged++;
			}
			max_seq = 0;
			node = -1;
			if (!line)
				break;
			if (sscanf(line, " node %d", &ret) == 1)
				node = ret;
			continue;
		}
		if (sscanf(line, " %llu", &seq) == 1 && seq > max_seq)
			max_seq = seq;
	}
	free(text);
	return aged ? 0 : -ENOENT;
}

/* Fork the holder and wait for its "ok". The pid, or -errno. */
static pid_t holder_start(void)
{
	pid_t pid, parent = getpid();
	char buf[4] = "";
	int p[2];
	ssize_t r;

	if (pipe(p))
		return -errno;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (!pid) {
		ls_die_with_parent(parent);
		close(p[0]);
		holder_main(p[1]);
	}
	close(p[1]);
	r = read(p[0], buf, 3);
	close(p[0]);
	if (r != 3 || strcmp(buf, "ok\n")) {
		ls_kill_wait(pid);
		return -EPROTO;
	}
	return pid;
}

FIXTURE(meminfo) {
	struct ls_meminfo m1, m2;
	pid_t holder;
};

FIXTURE_SETUP(meminfo)
{
	int ret;

	self->holder = 0;
	ASSERT_EQ(0, ls_unload());
	ret = ls_load("");
	ASSERT_EQ(0, ret) TH_LOG("load %s: %s", ls_ko_path(), strerror(-ret));
	self->holder = holder_start();
	ASSERT_LT(0, self->holder) TH_LOG("holder: %s",
					  strerror(-self->holder));
	ret = dentries(true);
	ASSERT_EQ(0, ret) TH_LOG("files in %s: %s", HOLD_DIR, strerror(-ret));
	ret = lru_gen_age_once();
	ASSERT_EQ(0, ret) TH_LOG("age the MGLRU lruvecs: %s", strerror(-ret));
}

FIXTURE_TEARDOWN(meminfo)
{
	ls_kill_wait(self->holder);
	unlink(HOLD_FILE);
	dentries(false);
	EXPECT_EQ(0, ls_unload());
}

/*
 * Compare the summary's now_kb with [lo - tol, hi + tol] where lo/hi are
 * the smaller/larger of the item in m1 and m2.  Returns the failures.
 */
static int compare(struct __test_metadata *_metadata, const struct ls_doc *d,
		   const struct ls_meminfo *m1, const struct ls_meminfo *m2,
		   bool verbose)
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
		    !ls_meminfo_get(m2, items[i].name, &b)) {
			TH_LOG("%s: not in /proc/meminfo", items[i].name);
			fails++;
			continue;
		}
		lo = a < b ? a : b;
		hi = a < b ? b : a;
		r = ls_doc_row(d, items[i].name);
		v = ls_row_field(d, r, "now_kb");
		verdict = ls_row_field(d, r, "verdict");
		if (!v || !strcmp(v, "-") ||
		    (verdict && !strcmp(verdict, "disabled"))) {
			TH_LOG("%s: not in the summary (now_kb %s, verdict %s, disabled=%s)",
			       items[i].name, v ?: "?", verdict ?: "?",
			       ls_doc_kv(d, "disabled") ?: "?");
			fails++;
			continue;
		}
		/* The floor is behind it, and a zero could not pass. */
		tol = tolerance_kb(&items[i]);
		if (lo < items[i].floor_kb || items[i].floor_kb <= tol) {
			TH_LOG("%s: /proc/meminfo %lld kB, floor %lld kB, tolerance %lld kB",
			       items[i].name, lo, items[i].floor_kb, tol);
			fails++;
		}
		if (verbose)
			ksft_print_msg("%s: meminfo %lld..%lld, summary %s, floor %lld, tol %lld\n",
				       items[i].name, lo, hi, v,
				       items[i].floor_kb, tol);
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
		fails = compare(_metadata, &d, before ? before : after, after,
				!i);
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

/*
 * The setup (12,000 files, 64 threads, 60 MB touched) and the teardown
 * take tens of seconds on the KASAN debug kernel: more than the harness's
 * default 30 s.
 */
#define MEMINFO_TIMEOUT	180

/* sample, read /proc/meminfo at once, then summary. */
TEST_F_TIMEOUT(meminfo, sample_then_meminfo, MEMINFO_TIMEOUT)
{
	sample_rounds(_metadata, NULL, &self->m1);
}

/* meminfo, sample, meminfo again: the sample lies between the two reads. */
TEST_F_TIMEOUT(meminfo, meminfo_sample_meminfo, MEMINFO_TIMEOUT)
{
	sample_rounds(_metadata, &self->m1, &self->m2);
}

TEST_HARNESS_MAIN
