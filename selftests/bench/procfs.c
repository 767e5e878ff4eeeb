// SPDX-License-Identifier: GPL-2.0
/*
 * ls-bench-procfs: the same per-process answer two ways, timed side by
 * side in one boot.
 *
 *   procfs route: for every /proc/PID, read and parse status (VmSize,
 *   RssAnon, RssShmem, VmLck, Threads) and maps (anonymous regions and
 *   stack-shaped ones: rw-p right above a ---p guard), as a script or
 *   pidstat plus an smaps diff would;
 *   leakscope:    read and parse /sys/kernel/debug/leakscope/procs.
 *
 * Then the procs file alone: the median time to read it whole with no
 * parsing (and how many read() calls that took), and the kernel memory
 * one open procs file holds once its first byte is read: SUnreclaim
 * plus VmallocUsed with 100 such files open, less before, per file (the
 * open file and seq_file's state and buffer: kmalloc, large kmalloc and
 * vmalloc are all counted in one of the two).
 *
 * And the sampler's own cost: sample_us from the file header (its average
 * wall time per sample) as a share of the interval and of one procfs
 * route pass, read before the rounds, while the system is quiet: during
 * them the procfs route keeps every CPU busy, and the sampler's wall time
 * would count its waits for a CPU as its cost.
 *
 * Usage: ls-bench-procfs [--row] [ROUNDS]   (default 5; the median is
 * reported).  --row prints one row of the scaling table instead (see
 * bench.sh): processes, the sampler's ms per sample and share of one CPU,
 * its cost per process, both routes' read times and their ratio,
 * leakscope's own memory (self_kb), how many samples one pass over
 * every process takes (pass_samples) and the sample's cost as a share of
 * one procfs route pass (of_procfs).
 */
#include <ctype.h>
#include <stdbool.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define LS_PROCS "/sys/kernel/debug/leakscope/procs"

struct totals {
	long procs, vsz, anon, shmem, lck, threads, anon_regions, stacks;
};

/* From the procs file's header. */
struct header {
	long sample_us, interval_ms, self_kb, pass_samples;
};

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static long field(const char *buf, const char *key)
{
	const char *p = strstr(buf, key);

	return p ? atol(p + strlen(key)) : 0;
}

static int slurp(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return -1;
	n = fread(buf, 1, size - 1, f);
	buf[n] = '\0';
	fclose(f);
	return 0;
}

static void scan_maps(const char *pid, struct totals *t)
{
	char path[300], line[512], prev_perms[5] = "";
	unsigned long start, end, prev_end = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%s/maps", pid);
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char perms[5], name[256] = "";
		unsigned long off, inode;
		int n = sscanf(line, "%lx-%lx %4s %lx %*s %lu %255s", &start,
			       &end, perms, &off, &inode, name);

		if (n < 5)
			continue;
		if (!inode && !name[0] && perms[3] == 'p' &&
		    (perms[0] == 'r' || perms[1] == 'w')) {
			t->anon_regions++;
			if (!strcmp(perms, "rw-p") && prev_end == start &&
			    !strcmp(prev_perms, "---p"))
				t->stacks++;
		}
		prev_end = end;
		memcpy(prev_perms, perms, sizeof(prev_perms));
	}
	fclose(f);
}

static void procfs_route(struct totals *t)
{
	static char buf[8192];
	struct dirent *d;
	char path[300];
	DIR *dir = opendir("/proc");

	memset(t, 0, sizeof(*t));
	while (dir && (d = readdir(dir))) {
		if (!isdigit((unsigned char)d->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/status", d->d_name);
		if (slurp(path, buf, sizeof(buf)) || !strstr(buf, "VmSize:"))
			continue;	/* gone, or a kernel thread */
		t->procs++;
		t->vsz += field(buf, "VmSize:");
		t->anon += field(buf, "RssAnon:");
		t->shmem += field(buf, "RssShmem:");
		t->lck += field(buf, "VmLck:");
		t->threads += field(buf, "Threads:");
		scan_maps(d->d_name, t);
	}
	if (dir)
		closedir(dir);
}

/* 0, and the header's numbers in *h (may be NULL); -1: no procs file. */
static int leakscope_route(struct totals *t, struct header *h)
{
	static char buf[4 << 20];
	char *line, *save;
	int lineno = 0;

	memset(t, 0, sizeof(*t));
	if (slurp(LS_PROCS, buf, sizeof(buf)))
		return -1;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save), lineno++) {
		long v[17];
		char comm[64], verdict[16];

		if (lineno == 0) {
			if (h) {
				h->sample_us = field(line, "sample_us=");
				h->interval_ms = field(line, "interval_ms=");
				h->self_kb = field(line, "self_kb=");
				h->pass_samples = field(line, "pass_samples=");
			}
			continue;
		}
		if (sscanf(line, "%ld %63s %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld %15s",
			   &v[0], comm, &v[2], &v[3], &v[4], &v[5], &v[6],
			   &v[7], &v[8], &v[9], &v[10], &v[11], &v[12],
			   &v[13], &v[14], &v[15], verdict) != 17)
			continue;	/* the column line */
		t->procs++;
		t->vsz += v[3];
		t->anon += v[4];
		t->shmem += v[5];
		t->lck += v[6];
		t->anon_regions += v[8];
		t->stacks += v[9];
		t->threads += v[11];
	}
	return 0;
}

/* The procs file read whole, not parsed: its bytes and read() calls. */
static long procs_read_only(int *calls)
{
	static char buf[4 << 20];
	long n = 0;
	ssize_t r;
	int fd = open(LS_PROCS, O_RDONLY);

	*calls = 0;
	if (fd < 0)
		return -1;
	while ((r = read(fd, buf + n, sizeof(buf) - n)) > 0) {
		n += r;
		++*calls;
	}
	close(fd);
	return r < 0 ? -1 : n;
}

/* SUnreclaim + VmallocUsed, in kB. */
static long kernel_kb(void)
{
	static char buf[8192];

	if (slurp("/proc/meminfo", buf, sizeof(buf)))
		return -1;
	return field(buf, "SUnreclaim:") + field(buf, "VmallocUsed:");
}

#define OPEN_FILES	100

/* Kernel memory one procs file open mid-read holds, in bytes; or -1. */
static long open_cost(void)
{
	int fds[OPEN_FILES], i, n = 0;
	long before, after;
	char c;

	before = kernel_kb();
	for (i = 0; i < OPEN_FILES; i++) {
		fds[i] = open(LS_PROCS, O_RDONLY);
		if (fds[i] < 0 || read(fds[i], &c, 1) != 1)
			break;
		n++;
	}
	after = kernel_kb();
	for (i = 0; i < OPEN_FILES && i <= n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	if (n < OPEN_FILES || before < 0 || after < 0)
		return -1;
	return (after - before) * 1024 / OPEN_FILES;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return x < y ? -1 : x > y;
}

/*
 * A sample's cost as a fraction of one procfs route pass over the same
 * processes in the same boot, "1/N".  Both are walks over the same kind
 * of kernel memory, so an emulator's speed moves this far less than the
 * share of a CPU (README, Benchmarks).
 */
static const char *share_of(long sample_us, double procfs_ms, char *buf,
			    size_t len)
{
	if (sample_us <= 0 || procfs_ms <= 0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "1/%.0f", procfs_ms * 1e3 / sample_us);
	return buf;
}

int main(int argc, char **argv)
{
	bool row = argc > 1 && !strcmp(argv[1], "--row");
	int rounds = argc > 1 + row ? atoi(argv[1 + row]) : 5, i;
	double tp[64], tl[64], t0, pl, pp;
	struct header h = { .sample_us = -1 };
	long cost[64], bytes = -1;
	struct totals a, b;
	char share[32];
	int calls = 0;

	if (rounds < 1 || rounds > 64)
		rounds = 5;
	if (leakscope_route(&b, &h)) {
		fprintf(stderr, "ls-bench-procfs: cannot read %s\n", LS_PROCS);
		return 1;
	}
	for (i = 0; i < rounds; i++) {
		t0 = now_ms();
		procfs_route(&a);
		tp[i] = now_ms() - t0;
		t0 = now_ms();
		leakscope_route(&b, NULL);
		tl[i] = now_ms() - t0;
	}
	qsort(tp, rounds, sizeof(double), cmp_double);
	qsort(tl, rounds, sizeof(double), cmp_double);
	pp = tp[rounds / 2];
	pl = tl[rounds / 2] > 0 ? tl[rounds / 2] : 1e-3;
	if (row) {
		printf("%9ld %10.2f %6.2f%% %9.2f %10.1f %10.1f %7.1fx %8ld %6ld %11s\n",
		       b.procs, h.sample_us / 1e3,
		       100.0 * h.sample_us / 1e3 / (h.interval_ms ?: 1000),
		       b.procs ? (double)h.sample_us / b.procs : 0, pp, pl,
		       pp / pl, h.self_kb, h.pass_samples,
		       share_of(h.sample_us, pp, share, sizeof(share)));
		return 0;
	}
	printf("procfs route   : %8.1f ms  (%ld processes, %ld anon regions, %ld stack-shaped)\n",
	       tp[rounds / 2], a.procs, a.anon_regions, a.stacks);
	printf("leakscope procs: %8.1f ms  (%ld processes, %ld anon regions, %ld stack-shaped)\n",
	       tl[rounds / 2], b.procs, b.anon_regions, b.stacks);
	printf("ratio          : %8.1fx faster (median of %d rounds)\n",
	       tp[rounds / 2] / (tl[rounds / 2] > 0 ? tl[rounds / 2] : 1e-3),
	       rounds);
	for (i = 0; i < rounds; i++) {
		t0 = now_ms();
		bytes = procs_read_only(&calls);
		tl[i] = now_ms() - t0;
		cost[i] = open_cost();
	}
	qsort(tl, rounds, sizeof(double), cmp_double);
	qsort(cost, rounds, sizeof(long), cmp_long);
	printf("procs read only: %8.1f ms  (%ld bytes in %d read() calls, median of %d)\n",
	       tl[rounds / 2], bytes, calls, rounds);
	printf("procs open     : %8ld bytes of kernel memory per file open mid-read (median of %d, %d files each)\n",
	       cost[rounds / 2], rounds, OPEN_FILES);
	if (h.sample_us >= 0 && h.interval_ms > 0)
		printf("sampler        : %8.1f ms per sample every %ld ms = %.2f%% of one CPU, %s of one procfs route pass\n",
		       h.sample_us / 1e3, h.interval_ms,
		       100.0 * h.sample_us / 1e3 / h.interval_ms,
		       share_of(h.sample_us, pp, share, sizeof(share)));
	return 0;
}
