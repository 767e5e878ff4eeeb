// SPDX-License-Identifier: GPL-2.0
/*
 * Prometheus text exposition of leakscope's files; see prom.h.
 *
 * Table driven: each file has label columns and a list of metric families,
 * one per column, with a conversion to base units.  Families are printed
 * one after the other, each with its HELP and TYPE lines before its first
 * sample, so every family appears once and grouped.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cgroups.h"
#include "columns.h"
#include "compiler.h"
#include "json.h"
#include "lsfile.h"
#include "prom.h"

#define PREFIX "leakscope_"

enum conv {
	CONV_KB,	/* kB -> bytes */
	CONV_KB_MIN,	/* kB/min -> bytes/second */
	CONV_NUM,	/* as is */
	CONV_PCT,	/* percent -> ratio */
	CONV_FLAG,	/* 1 when the cell is the word, else 0 */
};

struct family {
	const char *name;	/* without PREFIX */
	const char *col;
	enum conv conv;
	const char *word;	/* CONV_FLAG */
	const char *help;
};

struct source {
	unsigned int bit;
	const char *file;
	unsigned int nlabels;
	const char *label[4];	/* label name = column name */
	const char *label_col[4];
	const struct family *fam;
	size_t nfam;
};

static const struct family summary_fam[] = {
	{ "meminfo_bytes", "now_kb", CONV_KB, NULL,
	  "Size of the /proc/meminfo item (Unaccounted: MemTotal minus all accounted; leakscope: its own memory)." },
	{ "meminfo_growth_bytes", "growth_kb", CONV_KB, NULL,
	  "Growth of the meminfo item over the sample window." },
	{ "meminfo_growth_bytes_per_second", "rate_kb_min", CONV_KB_MIN, NULL,
	  "Growth rate of the meminfo item (Theil-Sen slope)." },
	{ "meminfo_persistence_ratio", "persist_pct", CONV_PCT, NULL,
	  "Share of sample intervals in which the meminfo item rose." },
	{ "meminfo_growing", "verdict", CONV_FLAG, "growing",
	  "1 when the meminfo item grows steadily (a leak suspect), else 0." },
};

static const struct family suspects_fam[] = {
	{ "suspect_rank", "rank", CONV_NUM, NULL,
	  "Rank of the leak suspect, 1 = most likely." },
	{ "suspect_growth_bytes", "growth_kb", CONV_KB, NULL,
	  "Growth of the suspect over the sample window." },
	{ "suspect_growth_bytes_per_second", "rate_kb_min", CONV_KB_MIN, NULL,
	  "Growth rate of the suspect." },
	{ "suspect_persistence_ratio", "persist_pct", CONV_PCT, NULL,
	  "Share of sample intervals in which the suspect grew." },
};

static const struct family procs_fam[] = {
	{ "process_vsz_bytes", "vsz_kb", CONV_KB, NULL,
	  "Virtual size of the process (VmSize)." },
	{ "process_anon_bytes", "anon_kb", CONV_KB, NULL,
	  "Anonymous resident memory of the process (RssAnon)." },
	{ "process_shmem_bytes", "shmem_kb", CONV_KB, NULL,
	  "Shared memory resident in the process (RssShmem)." },
	{ "process_locked_bytes", "locked_kb", CONV_KB, NULL,
	  "Locked memory of the process (VmLck)." },
	{ "process_heap_bytes", "heap_kb", CONV_KB, NULL,
	  "Heap size of the process (brk - start_brk)." },
	{ "process_threads", "threads", CONV_NUM, NULL,
	  "Threads of the process." },
	{ "process_zombies", "zombies", CONV_NUM, NULL,
	  "Children of the process that exited and are not reaped (zombies)." },
	{ "process_stacks", "stacks", CONV_NUM, NULL,
	  "Stack-shaped regions of the process." },
	{ "process_orphan_stacks", "orphans", CONV_NUM, NULL,
	  "Stack-shaped regions no live thread uses (leaked thread stacks)." },
	{ "process_vsz_growth_bytes", "vsz_growth_kb", CONV_KB, NULL,
	  "Growth of the virtual size over the window." },
	{ "process_vsz_growth_bytes_per_second", "vsz_rate_kb_min", CONV_KB_MIN, NULL,
	  "Growth rate of the virtual size." },
	{ "process_anon_growth_bytes", "anon_growth_kb", CONV_KB, NULL,
	  "Growth of the anonymous resident memory over the window." },
	{ "process_anon_growth_bytes_per_second", "anon_rate_kb_min", CONV_KB_MIN, NULL,
	  "Growth rate of the anonymous resident memory." },
	{ "process_growing", "verdict", CONV_FLAG, "growing",
	  "1 when the process grows steadily, else 0." },
};

static const struct family vmalloc_fam[] = {
	{ "vmalloc_bytes", "size_kb", CONV_KB, NULL,
	  "Size of the vmalloc areas of the caller (guard pages included)." },
	{ "vmalloc_areas", "areas", CONV_NUM, NULL,
	  "Number of vmalloc areas of the caller." },
	{ "vmalloc_pages", "pages", CONV_NUM, NULL,
	  "Pages backing the vmalloc areas of the caller." },
	{ "vmalloc_growth_bytes", "growth_kb", CONV_KB, NULL,
	  "Growth of the caller's vmalloc areas over the window." },
	{ "vmalloc_growth_bytes_per_second", "rate_kb_min", CONV_KB_MIN, NULL,
	  "Growth rate of the caller's vmalloc areas." },
	{ "vmalloc_growing", "verdict", CONV_FLAG, "growing",
	  "1 when the caller's vmalloc areas grow steadily, else 0." },
	{ "vmalloc_orphan", "verdict", CONV_FLAG, "orphan",
	  "1 when the caller lies in a module that has been unloaded, else 0." },
};

static const struct family slab_fam[] = {
	{ "slab_bytes", "size_kb", CONV_KB, NULL,
	  "Size of the slab cache (total objects times slot size)." },
	{ "slab_object_size_bytes", "size", CONV_NUM, NULL,
	  "Slot size of one object of the cache." },
	{ "slab_active_objects", "active_objs", CONV_NUM, NULL,
	  "Objects in use in the cache." },
	{ "slab_objects", "total_objs", CONV_NUM, NULL,
	  "Objects allocated in the cache, in use or free." },
	{ "slab_growth_bytes", "growth_kb", CONV_KB, NULL,
	  "Growth of the cache over the window." },
	{ "slab_growth_bytes_per_second", "rate_kb_min", CONV_KB_MIN, NULL,
	  "Growth rate of the cache." },
	{ "slab_growing", "verdict", CONV_FLAG, "growing",
	  "1 when the cache grows steadily, else 0." },
	{ "slab_reclaimable", "reclaimable", CONV_FLAG, "yes",
	  "1 when the cache is reclaimable, else 0." },
};

static const struct family callsites_fam[] = {
	{ "callsite_outstanding_bytes", "size_kb", CONV_KB, NULL,
	  "Estimated memory allocated at the call site (and stack, in the cgroup) and not freed." },
	{ "callsite_outstanding_objects", "objects", CONV_NUM, NULL,
	  "Estimated objects (pages, percpu areas) allocated at the call site and not freed." },
	{ "callsite_oldest_age_seconds", "oldest_s", CONV_NUM, NULL,
	  "Age of the oldest sampled allocation of the call site still outstanding." },
	{ "callsite_median_age_seconds", "median_s", CONV_NUM, NULL,
	  "Median age of the sampled allocations of the call site still outstanding." },
	{ "callsite_growth_bytes", "growth_kb", CONV_KB, NULL,
	  "Growth of the call site's outstanding memory over the window." },
	{ "callsite_growth_bytes_per_second", "rate_kb_min", CONV_KB_MIN, NULL,
	  "Growth rate of the call site's outstanding memory." },
	{ "callsite_persistence_ratio", "persist_pct", CONV_PCT, NULL,
	  "Share of sample intervals in which the call site's outstanding memory rose." },
	{ "callsite_growing", "verdict", CONV_FLAG, "growing",
	  "1 when the call site's outstanding memory grows steadily, else 0." },
};

static const struct family cgroups_fam[] = {
	{ "cgroup_processes", "processes", CONV_NUM, NULL,
	  "Processes in the cgroup (v2 path)." },
	{ "cgroup_threads", "threads", CONV_NUM, NULL,
	  "Threads of the processes in the cgroup." },
	{ "cgroup_vsz_bytes", "vsz_kb", CONV_KB, NULL,
	  "Virtual size of the processes in the cgroup, summed." },
	{ "cgroup_anon_bytes", "anon_kb", CONV_KB, NULL,
	  "Anonymous resident memory of the processes in the cgroup, summed." },
	{ "cgroup_shmem_bytes", "shmem_kb", CONV_KB, NULL,
	  "Shared memory resident in the processes of the cgroup, summed." },
	{ "cgroup_locked_bytes", "locked_kb", CONV_KB, NULL,
	  "Locked memory of the processes in the cgroup, summed." },
	{ "cgroup_stacks", "stacks", CONV_NUM, NULL,
	  "Stack-shaped regions of the processes in the cgroup." },
	{ "cgroup_orphan_stacks", "orphans", CONV_NUM, NULL,
	  "Stack-shaped regions no live thread uses, in the cgroup's processes." },
	{ "cgroup_anon_growth_bytes", "anon_growth_kb", CONV_KB, NULL,
	  "Growth of the cgroup's anonymous resident memory over the window." },
	{ "cgroup_anon_growth_bytes_per_second", "anon_rate_kb_min", CONV_KB_MIN, NULL,
	  "Growth rate of the cgroup's anonymous resident memory." },
	{ "cgroup_growing", "verdict", CONV_FLAG, "growing",
	  "1 when the cgroup's totals grow steadily, else 0." },
};

static const struct source sources[] = {
	{ LS_PROM_SUMMARY, "summary", 1, { "item" }, { "item" },
	  summary_fam, ARRAY_SIZE(summary_fam) },
	{ LS_PROM_SUSPECTS, "suspects", 2, { "kind", "subject" }, { "kind", "subject" },
	  suspects_fam, ARRAY_SIZE(suspects_fam) },
	{ LS_PROM_PROCS, "procs", 2, { "pid", "comm" }, { "pid", "comm" },
	  procs_fam, ARRAY_SIZE(procs_fam) },
	{ LS_PROM_VMALLOC, "vmalloc", 1, { "caller" }, { "caller" },
	  vmalloc_fam, ARRAY_SIZE(vmalloc_fam) },
	{ LS_PROM_SLAB, "slab", 1, { "cache" }, { "cache" },
	  slab_fam, ARRAY_SIZE(slab_fam) },
	/* stack: the id, to look up with leakscope stacks ID */
	{ LS_PROM_CALLSITES, "callsites", 4,
	  { "class", "site", "stack", "cgroup" },
	  { "class", "site", "stack", "cgroup" },
	  callsites_fam, ARRAY_SIZE(callsites_fam) },
	{ LS_PROM_CGROUPS, "cgroups", 1, { "cgroup" }, { "cgroup" },
	  cgroups_fam, ARRAY_SIZE(cgroups_fam) },
};

static unsigned long prom_top = LS_PROM_TOP_DEFAULT;

void ls_prom_set_top(unsigned long top)
{
	prom_top = top;
}

#define NR_SOURCES ARRAY_SIZE(sources)

/* Walkers and capped tables always reported (others as they are named). */
static const char * const walkers[] = { "vmalloc", "slab", "vmalloc_used", "btf" };
static const char * const cap_tables[] = {
	"procs", "threads", "zombies", "cgroups", "vmalloc", "slab", "callsites",
};

/* Verdicts that mean "no value" for a flag family. */
static bool flag_unknown(const char *s)
{
	return ls_field_is_null(s) || !strcmp(s, "disabled") || !strcmp(s, "busy");
}

unsigned int ls_prom_set(const char *name)
{
	size_t i;

	if (!strcmp(name, "all"))
		return LS_PROM_ALL;
	for (i = 0; i < NR_SOURCES; i++)
		if (!strcmp(name, sources[i].file))
			return sources[i].bit;
	return 0;
}

void ls_prom_label(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	fputc('"', f);
	while (*s) {
		int n = ls_utf8_len(s);

		if (*s == '\\' || *s == '"') {
			fputc('\\', f);
			fputc(*s, f);
		} else if (*s == '\n') {
			fputs("\\n", f);
		} else if (!n) {
			fputs("\xef\xbf\xbd", f);	/* U+FFFD for a stray byte */
		} else {
			fwrite(s, 1, n, f);
			s += n;
			continue;
		}
		s++;
	}
	fputc('"', f);
}

/* Print v converted; false when the cell holds no value. */
static bool print_value(FILE *f, const char *cell, const struct family *fm)
{
	long long v, b;

	if (fm->conv == CONV_FLAG) {
		if (flag_unknown(cell))
			return false;
		fprintf(f, "%d\n", !strcmp(cell, fm->word));
		return true;
	}
	if (ls_field_is_null(cell) || !ls_field_int(cell, &v))
		return false;
	switch (fm->conv) {
	case CONV_KB:
		if (__builtin_mul_overflow(v, 1024LL, &b))
			fprintf(f, "%.17g\n", (double)v * 1024.0);
		else
			fprintf(f, "%lld\n", b);
		break;
	case CONV_KB_MIN:
		if (__builtin_mul_overflow(v, 1024LL, &b))
			fprintf(f, "%.17g\n", (double)v * 1024.0 / 60.0);
		else if (b % 60 == 0)
			fprintf(f, "%lld\n", b / 60);
		else
			fprintf(f, "%.3f\n", (double)b / 60.0);
		break;
	case CONV_PCT:
		fprintf(f, "%s%lld.%02lld\n", v < 0 ? "-" : "",
			llabs(v / 100), llabs(v % 100));
		break;
	default:
		fprintf(f, "%lld\n", v);
		break;
	}
	return true;
}

static void print_head(FILE *f, const char *name, const char *help)
{
	fprintf(f, "# HELP " PREFIX "%s %s\n# TYPE " PREFIX "%s gauge\n",
		name, help, name);
}

static void print_family(FILE *f, const struct source *src,
			 const struct ls_table *t, const struct family *fm)
{
	int col = ls_table_col(t, fm->col);
	bool head = false;
	unsigned int l;
	size_t r;
	int lc[4];

	if (col < 0)
		return;
	for (l = 0; l < src->nlabels; l++) {
		lc[l] = ls_table_col(t, src->label_col[l]);
		if (lc[l] < 0)
			return;
	}
	for (r = 0; r < t->nrows; r++) {
		const char *cell = ls_table_cell(t, r, col);

		if (fm->conv == CONV_FLAG ? flag_unknown(cell) :
		    ls_field_is_null(cell))
			continue;
		if (!head) {
			print_head(f, fm->name, fm->help);
			head = true;
		}
		fprintf(f, PREFIX "%s{", fm->name);
		for (l = 0; l < src->nlabels; l++) {
			fprintf(f, "%s%s=", l ? "," : "", src->label[l]);
			ls_prom_label(f, ls_table_cell(t, r, lc[l]));
		}
		fputs("} ", f);
		if (!print_value(f, cell, fm))
			fputs("NaN\n", f);
	}
}

/* Is word (up to ':' or the end) in the comma list of header field key? */
static bool meta_lists(const struct ls_table *t, const char *key, const char *word)
{
	const char *s = ls_table_meta(t, key);
	size_t n = strlen(word);

	if (!s || !strcmp(s, "-"))
		return false;
	while (*s) {
		if (!strncmp(s, word, n) && (!s[n] || s[n] == ':' || s[n] == ','))
			return true;
		s = strchr(s, ',');
		if (!s)
			break;
		s++;
	}
	return false;
}

/* Print the header field ms (milliseconds) as seconds. */
static void print_seconds(FILE *f, const struct ls_table *t, const char *key,
			  const char *name, const char *help)
{
	const char *s = ls_table_meta(t, key);
	long long ms;

	if (!s || !ls_field_int(s, &ms) || ms < 0)
		return;
	print_head(f, name, help);
	fprintf(f, PREFIX "%s %lld.%03lld\n", name, ms / 1000, ms % 1000);
}

static bool any_lists(const struct ls_table *tabs, const bool *have,
		      const char *key, const char *word)
{
	size_t i;

	for (i = 0; i < NR_SOURCES; i++)
		if (have[i] && meta_lists(&tabs[i], key, word))
			return true;
	return false;
}

static void print_list_sample(FILE *f, const char *name, const char *label,
			      const char *value, int v)
{
	fprintf(f, PREFIX "%s{%s=", name, label);
	ls_prom_label(f, value);
	fprintf(f, "} %d\n", v);
}

/*
 * A family over a header list (disabled=, caps_hit=): every known name, and
 * every other name listed in some file; value listed_value when listed.
 */
static void print_list_family(FILE *f, const struct ls_table *tabs,
			      const bool *have, const char *key,
			      const char * const *known, size_t nknown,
			      const char *name, const char *label,
			      const char *help, bool listed_value)
{
	char seen[LS_MAX_META * 8][64];
	size_t nseen = 0, i, k;

	print_head(f, name, help);
	for (k = 0; k < nknown; k++) {
		bool listed = any_lists(tabs, have, key, known[k]);

		print_list_sample(f, name, label, known[k],
				  listed ? listed_value : !listed_value);
	}
	for (i = 0; i < NR_SOURCES; i++) {
		const char *s = have[i] ? ls_table_meta(&tabs[i], key) : NULL;

		if (!s || !strcmp(s, "-"))
			continue;
		while (*s) {
			size_t n = strcspn(s, ":,"), j;
			bool dup = false;

			for (k = 0; k < nknown && !dup; k++)
				dup = strlen(known[k]) == n && !strncmp(known[k], s, n);
			for (j = 0; j < nseen && !dup; j++)
				dup = !strncmp(seen[j], s, n) && !seen[j][n];
			if (!dup && n && n < sizeof(seen[0]) && nseen < ARRAY_SIZE(seen)) {
				memcpy(seen[nseen], s, n);
				seen[nseen][n] = '\0';
				print_list_sample(f, name, label, seen[nseen++],
						  listed_value);
			}
			s += strcspn(s, ",");
			if (*s)
				s++;
		}
	}
}

void ls_prom_print_up(FILE *f, bool up)
{
	print_head(f, "up",
		   "1 when the reader read the module's files, 0 when it could not (export --textfile says why on stderr).");
	fprintf(f, PREFIX "up %d\n", up);
}

static void print_meta(FILE *f, const struct ls_table *tabs, const bool *have)
{
	const struct ls_table *first = NULL;
	long long held, self_kb;
	const char *s;
	size_t i;

	for (i = 0; i < NR_SOURCES && !first; i++)
		if (have[i])
			first = &tabs[i];
	if (!first)
		return;
	s = ls_table_meta(first, "held");
	if (s && ls_field_int(s, &held)) {
		print_head(f, "samples_held", "Samples in the module's history ring.");
		fprintf(f, PREFIX "samples_held %lld\n", held);
	}
	s = ls_table_meta(first, "self_kb");
	if (s && ls_field_int(s, &self_kb) && self_kb >= 0) {
		print_head(f, "self_bytes",
			   "Memory the leakscope module holds (its tables, histories, reports).");
		fprintf(f, PREFIX "self_bytes %lld\n", self_kb * 1024);
	}
	print_seconds(f, first, "window_ms", "window_seconds",
		      "Time between the oldest and the newest sample held.");
	print_seconds(f, first, "interval_ms", "interval_seconds",
		      "Time between two samples.");
	print_list_family(f, tabs, have, "disabled", walkers, ARRAY_SIZE(walkers),
			  "walker_enabled", "walker",
			  "1 when the walker works on this kernel, 0 when disabled.",
			  false);
	print_list_family(f, tabs, have, "caps_hit", cap_tables, ARRAY_SIZE(cap_tables),
			  "caps_hit", "table",
			  "1 when the table hit its size cap (rows were left out), else 0.",
			  true);
	ls_prom_print_up(f, true);
}

/* Whether call-site tracking is armed, from callsites' header. */
static void print_tracking(FILE *f, const struct ls_table *tabs, const bool *have)
{
	const char *track = NULL;
	size_t i;

	for (i = 0; i < NR_SOURCES; i++)
		if (have[i] && sources[i].bit == LS_PROM_CALLSITES)
			track = ls_table_meta(&tabs[i], "track");
	if (!track)
		return;
	print_head(f, "tracking",
		   "1 when call-site tracking is on (track=auto or all), 0 when off.");
	fprintf(f, PREFIX "tracking %d\n", strcmp(track, "off") != 0);
}

/* Absent file in a present directory: a walker that is off, not an error. */
static bool file_absent(const char *dir, const char *name)
{
	char path[PATH_MAX];
	struct stat st;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path))
		return false;
	if (!stat(path, &st) || errno != ENOENT)
		return false;
	return !stat(dir, &st) && S_ISDIR(st.st_mode);
}

int ls_prom_print(FILE *f, const char *dir, bool real, unsigned int set,
		  struct ls_err *e)
{
	return ls_prom_print_filtered(f, dir, real, set, NULL, e);
}

/*
 * callsites while tracking is off: no rows to print (its header has the
 * same meta as the other files).  Filtered by flt.
 */
static int prep_callsites(struct ls_table *t, const char *dir,
			  const struct ls_callsite_filter *flt, struct ls_err *e)
{
	char path[PATH_MAX];
	struct ls_err off = { 0 };

	if (ls_track_check(t, &off))
		t->nrows = 0;
	if (!flt)
		return 0;
	snprintf(path, sizeof(path), "%s/callsites", dir);
	return ls_callsites_filter(t, flt, path, e);
}

int ls_prom_print_filtered(FILE *f, const char *dir, bool real,
			   unsigned int set, const struct ls_callsite_filter *flt,
			   struct ls_err *e)
{
	struct ls_table tabs[NR_SOURCES];
	bool have[NR_SOURCES] = { false };
	struct ls_cgroup_other other;
	int ret = 0;
	size_t i, k;

	memset(tabs, 0, sizeof(tabs));
	for (i = 0; i < NR_SOURCES && !ret; i++) {
		if (!(set & sources[i].bit) || file_absent(dir, sources[i].file))
			continue;
		if (ls_table_load(&tabs[i], dir, sources[i].file, real, e))
			ret = -1;
		else if (sources[i].bit == LS_PROM_CALLSITES)
			ret = prep_callsites(&tabs[i], dir, flt, e);
		else if (sources[i].bit == LS_PROM_CGROUPS &&
			 ls_cgroups_cap(&tabs[i], prom_top, &other)) {
			ls_err_set(e, LS_ERR_OUTPUT, "out of memory");
			ret = -1;
		}
		have[i] = true;
	}
	if (!ret) {
		for (i = 0; i < NR_SOURCES; i++)
			for (k = 0; have[i] && k < sources[i].nfam; k++)
				print_family(f, &sources[i], &tabs[i],
					     &sources[i].fam[k]);
		print_meta(f, tabs, have);
		print_tracking(f, tabs, have);
	}
	for (i = 0; i < NR_SOURCES; i++)
		if (have[i])
			ls_table_free(&tabs[i]);
	return ret;
}
