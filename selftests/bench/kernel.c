// SPDX-License-Identifier: GPL-2.0
/*
 * ls-bench-kernel: vmalloc areas by caller and slab caches, two ways, timed
 * side by side in one boot.
 *
 *   procfs route: read /proc/vmallocinfo and group its areas by caller
 *   (what a person does with sort | uniq -c), read /proc/slabinfo; each
 *   compared with the previous read for growth, the cheapest way procfs
 *   gives growth at all;
 *   leakscope:    read the vmalloc and slab files, which already hold that
 *   answer (growth over the whole window), parsing the same fields and
 *   the growth column.
 *
 * Both sides parse alike, with a word/strtol tokenizer (what exporters
 * do).  Parsing is the same work on both sides, so its cost lowers the
 * ratio; the slab table is therefore timed twice more: parsed with
 * sscanf, as procps's slabtop does, and read with no parsing at all (the
 * kernel's part).
 *
 * Also prints longest_hold_us, the longest spinlock hold of leakscope's
 * last vmalloc walk, and the longest list_lock hold (interrupts off) of
 * its slab walks over SLAB_WATCH_MS: a slab walk scans only the nodes
 * whose counts moved, and every node at least every 8 walks, so at one
 * walk a second that covers a scan of every node.
 *
 * Usage: ls-bench-kernel [ROUNDS]   (default 9; medians are reported)
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LS_DIR "/sys/kernel/debug/leakscope/"
#define MAXROWS 8192
#define NAMELEN 128

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

/* The tokenizer: words and numbers of one line, moving *p along. */
static bool word(char **p, char *out, size_t len)
{
	char *s = *p, *e;

	while (*s == ' ')
		s++;
	for (e = s; *e && *e != ' ' && *e != '\n'; e++)
		;
	if (e == s || (size_t)(e - s) >= len)
		return false;
	memcpy(out, s, e - s);
	out[e - s] = '\0';
	*p = e;
	return true;
}

static bool number(char **p, long *v)
{
	char *e;

	*v = strtol(*p, &e, 10);
	if (e == *p)
		return false;
	*p = e;
	return true;
}

static char *next_line(char *p)
{
	p = strchr(p, '\n');
	return p ? p + 1 : NULL;
}

/* A name -> value table, this read's and the previous one's. */
struct row {
	char name[NAMELEN];
	long areas, bytes, growth;
};

struct table {
	struct row rows[MAXROWS];
	int n;
};

static struct table tables[4];
static struct table *vm_now = &tables[0], *vm_prev = &tables[1],
		    *slab_now = &tables[2], *slab_prev = &tables[3];

static void swap(struct table **a, struct table **b)
{
	struct table *t = *a;

	*a = *b;
	*b = t;
}

/*
 * Growth of every row since @prev: by name, trying the same position
 * first (both files keep their order from one read to the next).
 */
static void growth_since(struct table *now, const struct table *prev)
{
	int i, j;

	for (i = 0; i < now->n; i++) {
		struct row *r = &now->rows[i];

		r->growth = r->bytes;
		if (i < prev->n && !strcmp(prev->rows[i].name, r->name)) {
			r->growth -= prev->rows[i].bytes;
			continue;
		}
		for (j = 0; j < prev->n; j++)
			if (!strcmp(prev->rows[j].name, r->name)) {
				r->growth -= prev->rows[j].bytes;
				break;
			}
	}
}

/* /proc/vmallocinfo grouped by caller, growth since the last call. */
static int vmallocinfo_by_caller(long *areas)
{
	struct table *t = vm_now;
	char *line, range[64], caller[NAMELEN];
	long size;
	int i;

	*areas = 0;
	t->n = 0;
	slurp("/proc/vmallocinfo");
	for (line = buf; line && *line; line = next_line(line)) {
		char *p = line;

		if (!word(&p, range, sizeof(range)) || !number(&p, &size) ||
		    !word(&p, caller, sizeof(caller)) || !strchr(caller, '+'))
			continue;	/* vm_map_ram and friends: no caller */
		(*areas)++;
		for (i = 0; i < t->n; i++)
			if (!strcmp(t->rows[i].name, caller))
				break;
		if (i == t->n) {
			if (t->n == MAXROWS)
				continue;
			strcpy(t->rows[t->n++].name, caller);
			t->rows[i].areas = t->rows[i].bytes = 0;
		}
		t->rows[i].areas++;
		t->rows[i].bytes += size;
	}
	growth_since(t, vm_prev);
	swap(&vm_now, &vm_prev);
	return t->n;
}

/*
 * Every line of buf parsed by @row into the next row of @t: split with
 * strtok_r for sscanf, walked with next_line() for the tokenizer.
 */
static int parse_rows(struct table *t, bool (*row)(char *, struct row *, bool),
		      bool with_sscanf)
{
	char *line, *save;

	t->n = 0;
	for (line = with_sscanf ? strtok_r(buf, "\n", &save) : buf;
	     line && *line && t->n < MAXROWS;
	     line = with_sscanf ? strtok_r(NULL, "\n", &save) :
				  next_line(line))
		if (row(line, &t->rows[t->n], with_sscanf))
			t->n++;
	return t->n;
}

/* /proc/slabinfo: name active_objs num_objs objsize ...; bytes. */
static bool slabinfo_row(char *p, struct row *r, bool with_sscanf)
{
	long active, total, objsize;

	if (with_sscanf ?
	    sscanf(p, "%127s %ld %ld %ld", r->name, &active, &total,
		   &objsize) != 4 :
	    !word(&p, r->name, sizeof(r->name)) || !number(&p, &active) ||
	    !number(&p, &total) || !number(&p, &objsize))
		return false;	/* the version and column lines */
	r->areas = active;
	r->bytes = total * objsize;
	return true;
}

/* /proc/slabinfo by cache, growth since the last call. */
static int slabinfo_caches(bool with_sscanf)
{
	struct table *t = slab_now;

	slurp("/proc/slabinfo");
	parse_rows(t, slabinfo_row, with_sscanf);
	growth_since(t, slab_prev);
	swap(&slab_now, &slab_prev);
	return t->n;
}

/*
 * A vmalloc file row: what the procfs route gets from /proc/vmallocinfo
 * (areas, size, caller) and growth.
 */
static bool vmalloc_file_row(char *p, struct row *r, bool with_sscanf)
{
	long size_kb, pages, rate, persist;
	char kind[48], verdict[16];

	(void)with_sscanf;
	return number(&p, &r->areas) && number(&p, &size_kb) &&
	       number(&p, &pages) && word(&p, kind, sizeof(kind)) &&
	       number(&p, &r->growth) && number(&p, &rate) &&
	       number(&p, &persist) && word(&p, verdict, sizeof(verdict)) &&
	       word(&p, r->name, sizeof(r->name));
}

/* The vmalloc file by caller; *hold_us from the header line. */
static int leakscope_vmalloc(long *hold_us)
{
	char *p;

	slurp(LS_DIR "vmalloc");
	p = strstr(buf, "longest_hold_us=");
	*hold_us = p ? atol(p + 16) : -1;
	return parse_rows(vm_now, vmalloc_file_row, false);
}

/* A slab file row: the same fields as the procfs route, and growth_kb. */
static bool slab_file_row(char *p, struct row *r, bool with_sscanf)
{
	long objsize, size, active, total, slabs, size_kb;
	char reclaimable[8];

	if (with_sscanf ?
	    sscanf(p, "%127s %ld %ld %ld %ld %ld %ld %7s %ld", r->name,
		   &objsize, &size, &active, &total, &slabs, &size_kb,
		   reclaimable, &r->growth) != 9 :
	    !word(&p, r->name, sizeof(r->name)) || !number(&p, &objsize) ||
	    !number(&p, &size) || !number(&p, &active) ||
	    !number(&p, &total) || !number(&p, &slabs) ||
	    !number(&p, &size_kb) ||
	    !word(&p, reclaimable, sizeof(reclaimable)) ||
	    !number(&p, &r->growth))
		return false;	/* the header and column lines */
	r->areas = active;
	r->bytes = total * objsize;
	return true;
}

static int leakscope_slab(bool with_sscanf)
{
	slurp(LS_DIR "slab");
	return parse_rows(slab_now, slab_file_row, with_sscanf);
}

#define SLAB_WATCH_MS	10000

/* The largest longest_hold_us= of the slab file's header over some time. */
static long slab_hold_max(void)
{
	struct timespec pause = { 0, 200 * 1000 * 1000 };
	double t0 = now_ms();
	long max = -1, v;
	char *p;

	while (now_ms() - t0 < SLAB_WATCH_MS) {
		slurp(LS_DIR "slab");
		p = strstr(buf, "longest_hold_us=");
		v = p ? atol(p + 16) : -1;
		if (v > max)
			max = v;
		nanosleep(&pause, NULL);
	}
	return max;
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

#define TIMED(t, expr) do { double t0_ = now_ms(); expr; (t) = now_ms() - t0_; } while (0)

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 9, i, vp = 0, vl = 0, sp = 0,
	    sl = 0;
	double tvp[64], tvl[64], tsp[64], tsl[64], tfp[64], tfl[64], trp[64],
	       trl[64];
	long areas = 0, hold_us = -1;

	if (rounds < 1 || rounds > 64)
		rounds = 9;
	/* A first read of each /proc file, for growth in the timed ones. */
	vmallocinfo_by_caller(&areas);
	slabinfo_caches(false);
	for (i = 0; i < rounds; i++) {
		TIMED(tvp[i], vp = vmallocinfo_by_caller(&areas));
		TIMED(tvl[i], vl = leakscope_vmalloc(&hold_us));
		TIMED(tsp[i], sp = slabinfo_caches(false));
		TIMED(tsl[i], sl = leakscope_slab(false));
		TIMED(tfp[i], slabinfo_caches(true));
		TIMED(tfl[i], leakscope_slab(true));
		/* The kernel's part alone: the read, no parsing. */
		TIMED(trp[i], slurp("/proc/slabinfo"));
		TIMED(trl[i], slurp(LS_DIR "slab"));
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
	printf("slab   : both parsed with sscanf    %7.2f ms vs %.2f ms  ratio %.1fx\n",
	       median(tfp, rounds), median(tfl, rounds),
	       median(tfp, rounds) / median(tfl, rounds));
	printf("slab   : read only, no parsing      %7.2f ms vs %.2f ms  ratio %.1fx\n",
	       median(trp, rounds), median(trl, rounds),
	       median(trp, rounds) / median(trl, rounds));
	printf("longest vmalloc spinlock hold in leakscope's last walk: %ld us\n",
	       hold_us);
	printf("longest slab list_lock hold (irqs off) in %d s of walks: %ld us\n",
	       SLAB_WATCH_MS / 1000, slab_hold_max());
	return 0;
}
