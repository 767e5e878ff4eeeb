// SPDX-License-Identifier: GPL-2.0
/*
 * ls-bench-kernel: vmalloc areas by caller and slab caches, two ways, timed
 * side by side in one boot.
 *
 *   procfs route: read /proc/vmallocinfo and group its areas by caller
 *   (what a person does with sort | uniq -c), read and parse
 *   /proc/slabinfo;
 *   leakscope:    read and parse the vmalloc and slab files, which
 *   already hold that answer (with growth).
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

/* Rows of a leakscope file (lines after the header and column line). */
static int leakscope_rows(const char *file, long *hold_us)
{
	char *line, *save, *p;
	int n = -2;

	slurp(file);
	p = strstr(buf, "longest_hold_us=");
	if (hold_us)
		*hold_us = p ? atol(p + 16) : -1;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		n++;
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
	double tvp[64], tvl[64], tsp[64], tsl[64], t0;
	long areas = 0, hold_us = -1;

	if (rounds < 1 || rounds > 64)
		rounds = 9;
	for (i = 0; i < rounds; i++) {
		t0 = now_ms();
		vp = vmallocinfo_by_caller(&areas);
		tvp[i] = now_ms() - t0;
		t0 = now_ms();
		vl = leakscope_rows(LS_DIR "vmalloc", &hold_us);
		tvl[i] = now_ms() - t0;
		t0 = now_ms();
		sp = slabinfo_caches();
		tsp[i] = now_ms() - t0;
		t0 = now_ms();
		sl = leakscope_rows(LS_DIR "slab", NULL);
		tsl[i] = now_ms() - t0;
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
	printf("longest vmalloc spinlock hold in leakscope's last walk: %ld us\n",
	       hold_us);
	return 0;
}
