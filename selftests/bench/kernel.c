// SPDX-License-Identifier: GPL-2.0
/*
 * ls-bench-kernel: vmalloc areas by caller and slab caches, two ways, timed
 * side by side in one boot.
 *
 *   procfs route: read /proc/vmallocinfo and group its areas by caller
 *   (what a person does with sort | uniq -c), read and parse
 *   /proc/slabinfo;
 *   leakscope:    read and parse the vmalloc and slab files, which
 *   already hold that answer (with growth), parsing the same fields.
 *
 * For slab the parsing, the same work on both sides, is most of either
 * route; a last line times the reads alone: the kernel's part.
 *
 * Also prints longest_hold_us, the longest spinlock hold of leakscope's
 * last vmalloc walk.
 *
 * Usage: ls-bench-kernel [ROUNDS]   (default 9; medians are reported)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LS_DIR "/sys/kernel/debug/leakscope/"
#define MAXCALLERS 8192

static char buf[16 << 20];

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static size_t slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return n;
}

struct caller {
	char name[128];
	long areas, bytes;
};

static struct caller callers[MAXCALLERS];

/* /proc/vmallocinfo grouped by caller: returns callers, *areas. */
static int vmallocinfo_by_caller(long *areas)
{
	char *line, *save;
	int n = 0, i;

	*areas = 0;
	slurp("/proc/vmallocinfo");
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char range[64], caller[128];
		long size;

		if (sscanf(line, "%63s %ld %127s", range, &size, caller) != 3 ||
		    !strchr(caller, '+'))
			continue;	/* vm_map_ram and friends: no caller */
		(*areas)++;
		for (i = 0; i < n; i++)
			if (!strcmp(callers[i].name, caller))
				break;
		if (i == n) {
			if (n == MAXCALLERS)
				continue;
			strcpy(callers[n++].name, caller);
			callers[i].areas = callers[i].bytes = 0;
		}
		callers[i].areas++;
		callers[i].bytes += size;
	}
	return n;
}

static int slabinfo_caches(void)
{
	char *line, *save;
	int n = 0;

	slurp("/proc/slabinfo");
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char name[64];
		long active, total, objsize;

		if (sscanf(line, "%63s %ld %ld %ld", name, &active, &total,
			   &objsize) == 4)
			n++;
	}
	return n;
}

/*
 * The vmalloc file by caller: every row parsed for what the procfs route
 * gets from /proc/vmallocinfo (areas, size, caller).  *hold_us from the
 * header line.
 */
static int leakscope_vmalloc(long *hold_us)
{
	char *line, *save, *p;
	int n = 0, lineno = 0;

	slurp(LS_DIR "vmalloc");
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save), lineno++) {
		char kind[48], verdict[16], caller[128];
		long areas, size_kb, pages, growth, rate, persist;

		if (lineno == 0) {
			p = strstr(line, "longest_hold_us=");
			*hold_us = p ? atol(p + 16) : -1;
			continue;
		}
		if (sscanf(line, "%ld %ld %ld %47s %ld %ld %ld %15s %127s",
			   &areas, &size_kb, &pages, kind, &growth, &rate,
			   &persist, verdict, caller) == 9)
			n++;
	}
	return n;
}

/* The slab file: every row parsed for what the procfs route reads. */
static int leakscope_slab(void)
{
	char *line, *save;
	int n = 0;

	slurp(LS_DIR "slab");
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char name[64];
		long objsize, size, active, total;

		if (sscanf(line, "%63s %ld %ld %ld %ld", name, &objsize, &size,
			   &active, &total) == 5)
			n++;
	}
	return n;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return v[n / 2];
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 9, i, vp = 0, vl = 0, sp = 0,
	    sl = 0;
	double tvp[64], tvl[64], tsp[64], tsl[64], trp[64], trl[64], t0;
	long areas = 0, hold_us = -1;

	if (rounds < 1 || rounds > 64)
		rounds = 9;
	for (i = 0; i < rounds; i++) {
		t0 = now_ms();
		vp = vmallocinfo_by_caller(&areas);
		tvp[i] = now_ms() - t0;
		t0 = now_ms();
		vl = leakscope_vmalloc(&hold_us);
		tvl[i] = now_ms() - t0;
		t0 = now_ms();
		sp = slabinfo_caches();
		tsp[i] = now_ms() - t0;
		t0 = now_ms();
		sl = leakscope_slab();
		tsl[i] = now_ms() - t0;
		/* The kernel's part alone: the read, no parsing. */
		t0 = now_ms();
		slurp("/proc/slabinfo");
		trp[i] = now_ms() - t0;
		t0 = now_ms();
		slurp(LS_DIR "slab");
		trl[i] = now_ms() - t0;
	}
	printf("vmalloc: /proc/vmallocinfo by caller %7.2f ms (%ld areas, %d callers)\n",
	       median(tvp, rounds), areas, vp);
	printf("vmalloc: leakscope vmalloc          %7.2f ms (%d callers)  ratio %.1fx\n",
	       median(tvl, rounds), vl,
	       median(tvp, rounds) / median(tvl, rounds));
	printf("slab   : /proc/slabinfo             %7.2f ms (%d caches)\n",
	       median(tsp, rounds), sp);
	printf("slab   : leakscope slab             %7.2f ms (%d caches)  ratio %.1fx\n",
	       median(tsl, rounds), sl,
	       median(tsp, rounds) / median(tsl, rounds));
	printf("slab   : read only, no parsing     %7.2f ms vs %.2f ms  ratio %.1fx\n",
	       median(trp, rounds), median(trl, rounds),
	       median(trp, rounds) / median(trl, rounds));
	printf("longest vmalloc spinlock hold in leakscope's last walk: %ld us\n",
	       hold_us);
	return 0;
}
