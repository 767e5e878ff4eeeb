// SPDX-License-Identifier: GPL-2.0
/*
 * leakscope - read the leakscope kernel module's debugfs files and print
 * them for a person (aligned table) or a script (--json).
 *
 *   leakscope [summary|suspects|procs|vmalloc|slab] [--json]
 *   leakscope regions PID [--json]
 *   leakscope callsites [--cache NAME] [--cgroup PATH] [--json]
 *   leakscope stacks [ID] [--json]
 *   leakscope watch [--interval SEC] [--count N] [procs|summary|vmalloc|slab] [--json]
 *   leakscope --prometheus [summary|suspects|procs|vmalloc|slab|callsites|all]
 *            [--cache NAME] [--cgroup PATH]
 *   leakscope export --textfile DIR
 *   leakscope --help | --version
 *
 * Exit status: 0 ok, 1 runtime error (one line on stderr), 2 usage error.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "callsites.h"
#include "cgroups.h"
#include "compiler.h"
#include "errors.h"
#include "export.h"
#include "json.h"
#include "lsfile.h"
#include "prom.h"
#include "regions.h"
#include "table.h"
#include "watch.h"

#ifndef LEAKSCOPE_VERSION
#define LEAKSCOPE_VERSION "0.1.0"
#endif

#define EXIT_USAGE	2
#define MAX_OPERANDS	1

/* The command line, once parsed. */
struct ls_args {
	bool json;
	bool prom;			/* --prometheus */
	bool all;			/* the "all" operand of --prometheus */
	const char *textfile;		/* export --textfile DIR */
	const char *operand[MAX_OPERANDS];
	unsigned int noperands;
	const char *opt_only;		/* a watch-only option that was given */
	struct ls_callsite_filter filter;	/* callsites --cache, --cgroup */
	const char *filter_opt;		/* the last of them given */
	bool prom_top;			/* --prom-top N was given */
	struct ls_watch_opts watch;
};

/* Where the files are: $LEAKSCOPE_DIR (tests) or the real debugfs directory. */
struct ls_where {
	const char *dir;
	bool real;
};

struct ls_command {
	const char *name;
	const char *file;	/* debugfs file under the leakscope directory */
	const char *args;	/* operands and options, for --help */
	const char *help;
	const char *empty;	/* table text when there are no records */
	unsigned int min_operands, max_operands;
	int (*run)(const struct ls_command *cmd, const struct ls_args *a,
		   const struct ls_where *w);
};

static int run_file(const struct ls_command *cmd, const struct ls_args *a,
		    const struct ls_where *w);
static int run_regions(const struct ls_command *cmd, const struct ls_args *a,
		       const struct ls_where *w);
static int run_cgroup_file(const struct ls_command *cmd,
			   const struct ls_args *a, const struct ls_where *w);
static int run_watch(const struct ls_command *cmd, const struct ls_args *a,
		     const struct ls_where *w);
static int run_export(const struct ls_command *cmd, const struct ls_args *a,
		      const struct ls_where *w);
static int run_callsites(const struct ls_command *cmd, const struct ls_args *a,
			 const struct ls_where *w);
static int run_stacks(const struct ls_command *cmd, const struct ls_args *a,
		      const struct ls_where *w);

static const struct ls_command commands[] = {
	{ "summary", "summary", "",
	  "growth of each /proc/meminfo item over the window (default)", NULL,
	  0, 0, run_file },
	{ "suspects", "suspects", "", "ranked leak suspects with evidence and next step",
	  "no suspects: nothing grew steadily over the window", 0, 0, run_file },
	{ "procs", "procs", "[--cgroup PATH]",
	  "every process: VSZ, anon, stacks vs threads, growth, verdict, cgroup",
	  "no processes", 0, 0, run_cgroup_file },
	{ "cgroups", "cgroups", "[--cgroup PATH]",
	  "every cgroup v2 holding processes: their sums, process count, growth",
	  "no cgroups (none hold a process, or no cgroup v2 on this kernel)",
	  0, 0, run_cgroup_file },
	{ "regions", "regions", "PID",
	  "the memory regions of process PID, and which are new since its baseline",
	  "no regions", 1, 1, run_regions },
	{ "vmalloc", "vmalloc", "",
	  "vmalloc areas by caller: size, growth, orphans of unloaded modules",
	  "no vmalloc areas", 0, 0, run_file },
	{ "slab", "slab", "",
	  "slab caches: objects, size, reclaimable or not, growth",
	  "no slab caches", 0, 0, run_file },
	{ "callsites", "callsites", "[--cache NAME] [--cgroup PATH]",
	  "who allocates: outstanding objects by call site, stack, cgroup",
	  "no call sites: nothing sampled is outstanding", 0, 0, run_callsites },
	{ "stacks", "stacks", "[ID]",
	  "the frames of every stack id of callsites, or of stack ID",
	  "no stacks", 0, 1, run_stacks },
	{ "watch", NULL, "[--interval SEC] [--count N] [procs|summary|cgroups|vmalloc|slab]",
	  "refresh procs (default), summary, cgroups, vmalloc or slab, with sparklines",
	  NULL, 0, 1, run_watch },
	{ "export", NULL, "--textfile DIR",
	  "write all metrics to DIR/leakscope.prom atomically (node_exporter)",
	  NULL, 0, 0, run_export },
};

#define NR_COMMANDS ARRAY_SIZE(commands)

static const struct ls_command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < NR_COMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static void print_help(FILE *f)
{
	size_t i;

	fprintf(f, "usage: leakscope [COMMAND [ARGS]] [--json]\n"
		   "       leakscope --prometheus [--prom-top N] [summary|suspects|procs|cgroups|vmalloc|slab|callsites|all]\n"
		   "       leakscope --help | --version\n\n"
		   "Commands:\n");
	for (i = 0; i < NR_COMMANDS; i++) {
		const struct ls_command *c = &commands[i];

		if (*c->args)
			fprintf(f, "  %s %s\n  %-10s %s\n", c->name, c->args, "",
				c->help);
		else
			fprintf(f, "  %-10s %s\n", c->name, c->help);
	}
	fprintf(f, "\nOptions:\n"
		   "  --json          print JSON (schema_version 1) instead of a table;\n"
		   "                  watch prints one JSON document per refresh and line\n"
		   "  --interval SEC  watch: seconds between refreshes (default 1, e.g. 0.5)\n"
		   "  --count N       watch: stop after N refreshes (default: until Ctrl-C)\n"
		   "  --prometheus    print Prometheus text metrics (node_exporter textfile\n"
		   "                  format) of one file, or of all (the default)\n"
		   "  --cache NAME    callsites: only the rows of class NAME (a slab cache,\n"
		   "                  pages or percpu)\n"
		   "  --cgroup PATH   callsites, procs, cgroups: only the rows of cgroup PATH\n"
		   "                  and below it\n"
		   "  --prom-top N    --prometheus, export: the cgroup metrics of the top N\n"
		   "                  cgroups by size or growth (default %d), the rest\n"
		   "                  summed as cgroup=\"other\"; 0: every cgroup\n"
		   "  --textfile DIR  export: the textfile collector directory\n"
		   "  -h, --help      show this help\n"
		   "  -V, --version   show the version\n\n"
		   "Reads %s (or $LEAKSCOPE_DIR); needs root and the leakscope module.\n"
		   "regions selects PID through %s,\n"
		   "which also works under kernel lockdown.\n"
		   "callsites and stacks need call-site tracking on: %s.\n"
		   "--prometheus of callsites labels rows with stack ids, never frames;\n"
		   "stacks has no metrics.\n"
		   "watch shows the rows that fit the terminal (%d when output is not a\n"
		   "terminal); sparklines use Unicode blocks in a UTF-8 locale, else ASCII.\n"
		   "Exit status: 0 ok, 1 error, 2 usage error.\n",
		LS_PROM_TOP_DEFAULT, LS_DEFAULT_DIR, LS_PID_PARAM,
		LS_TRACK_HOWTO, LS_WATCH_TOP);
}

__printf(1, 2)
static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("leakscope: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("; try 'leakscope --help'\n", stderr);
	return EXIT_USAGE;
}

static int finish_output(void)
{
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "leakscope: writing output: %s\n", strerror(errno));
		return EXIT_FAILURE;
	}
	return 0;
}

static void print_file(const struct ls_table *t, const struct ls_command *cmd,
		       const struct ls_args *a)
{
	if (a->json)
		ls_print_json(stdout, t);
	else
		ls_print_table(stdout, t, cmd->empty);
}

static int run_file(const struct ls_command *cmd, const struct ls_args *a,
		    const struct ls_where *w)
{
	struct ls_table t;
	struct ls_err e = { 0 };

	if (ls_table_load(&t, w->dir, cmd->file, w->real, &e)) {
		fprintf(stderr, "leakscope: %s\n", e.msg);
		ls_table_free(&t);
		return EXIT_FAILURE;
	}
	print_file(&t, cmd, a);
	ls_table_free(&t);
	return finish_output();
}

/* procs and cgroups, with --cgroup PATH: that subtree's rows. */
static int run_cgroup_file(const struct ls_command *cmd,
			   const struct ls_args *a, const struct ls_where *w)
{
	struct ls_err e = { 0 };
	struct ls_table t;
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", w->dir, cmd->file);
	if (ls_table_load(&t, w->dir, cmd->file, w->real, &e) ||
	    (a->filter.cgroup &&
	     ls_cgroup_filter(&t, a->filter.cgroup, path, &e))) {
		fprintf(stderr, "leakscope: %s\n", e.msg);
		ls_table_free(&t);
		return EXIT_FAILURE;
	}
	if (a->json)
		ls_print_json(stdout, &t);
	else
		ls_print_table(stdout, &t, a->filter.cgroup && !t.nrows ?
			       "no rows in that cgroup" : cmd->empty);
	ls_table_free(&t);
	return finish_output();
}

/*
 * The pid parameter: the real one, or in tests (LEAKSCOPE_DIR set)
 * $LEAKSCOPE_PARAMS_DIR/pid, or none.  Returns false when there is none.
 */
static bool pid_param_path(const struct ls_where *w, char *buf, size_t len)
{
	const char *params = getenv("LEAKSCOPE_PARAMS_DIR");

	if (w->real)
		return snprintf(buf, len, "%s", LS_PID_PARAM) < (int)len;
	if (!params || !*params)
		return false;
	return snprintf(buf, len, "%s/pid", params) < (int)len;
}

static int run_regions(const struct ls_command *cmd, const struct ls_args *a,
		       const struct ls_where *w)
{
	char param[4096], path[4096];
	struct ls_err e = { 0 };
	struct ls_table t;
	unsigned long pid;
	int err = 0;

	if (ls_parse_posint(a->operand[0], LS_PID_MAX, &pid))
		return usage_error("bad PID '%s' (expected a positive decimal integer)",
				   a->operand[0]);
	if (pid_param_path(w, param, sizeof(param)) &&
	    ls_select_pid(param, pid, &err) == LS_SELECT_FAILED) {
		ls_select_explain(&e, pid, err, w->real);
		fprintf(stderr, "leakscope: %s\n", e.msg);
		return EXIT_FAILURE;
	}
	snprintf(path, sizeof(path), "%s/%s", w->dir, cmd->file);
	if (ls_table_load(&t, w->dir, cmd->file, w->real, &e) ||
	    ls_regions_check(&t, path, pid, &e)) {
		fprintf(stderr, "leakscope: %s\n", e.msg);
		ls_table_free(&t);
		return EXIT_FAILURE;
	}
	print_file(&t, cmd, a);
	ls_table_free(&t);
	return finish_output();
}

/*
 * Load a file of call-site tracking: -1 after the one-line error (a
 * missing module or file, a bad file, tracking off).
 */
static int load_tracked(struct ls_table *t, const struct ls_command *cmd,
			const struct ls_where *w, char *path, size_t len)
{
	struct ls_err e = { 0 };

	snprintf(path, len, "%s/%s", w->dir, cmd->file);
	if (ls_table_load(t, w->dir, cmd->file, w->real, &e) ||
	    ls_track_check(t, &e)) {
		fprintf(stderr, "leakscope: %s\n", e.msg);
		ls_table_free(t);
		return -1;
	}
	return 0;
}

static int run_callsites(const struct ls_command *cmd, const struct ls_args *a,
			 const struct ls_where *w)
{
	struct ls_err e = { 0 };
	struct ls_table t;
	char path[4096];
	bool filtered = a->filter.cache || a->filter.cgroup;

	if (load_tracked(&t, cmd, w, path, sizeof(path)))
		return EXIT_FAILURE;
	if (ls_callsites_filter(&t, &a->filter, path, &e)) {
		fprintf(stderr, "leakscope: %s\n", e.msg);
		ls_table_free(&t);
		return EXIT_FAILURE;
	}
	if (a->json)
		ls_print_json(stdout, &t);
	else
		ls_print_table(stdout, &t, filtered && t.nrows == 0 ?
			       "no call sites match" : cmd->empty);
	ls_table_free(&t);
	return finish_output();
}

/* A stack id: decimal digits, at most 18 of them. */
static bool stack_id_ok(const char *s)
{
	size_t n = strspn(s, "0123456789");

	return n && n <= 18 && !s[n];
}

static int run_stacks(const struct ls_command *cmd, const struct ls_args *a,
		      const struct ls_where *w)
{
	struct ls_err e = { 0 };
	struct ls_table t;
	char path[4096];

	if (a->noperands && !stack_id_ok(a->operand[0]))
		return usage_error("bad stack id '%s' (a number from leakscope callsites)",
				   a->operand[0]);
	if (load_tracked(&t, cmd, w, path, sizeof(path)))
		return EXIT_FAILURE;
	if (a->noperands && ls_stacks_select(&t, a->operand[0], path, &e)) {
		fprintf(stderr, "leakscope: %s\n", e.msg);
		ls_table_free(&t);
		return EXIT_FAILURE;
	}
	print_file(&t, cmd, a);
	ls_table_free(&t);
	return finish_output();
}

static int run_prom(const struct ls_command *cmd, const struct ls_args *a,
		    const struct ls_where *w)
{
	unsigned int set = cmd ? ls_prom_set(cmd->file) : LS_PROM_ALL;
	struct ls_err e = { 0 };

	if (ls_prom_print_filtered(stdout, w->dir, w->real, set, &a->filter,
				   &e)) {
		fprintf(stderr, "leakscope: %s\n", e.msg);
		return EXIT_FAILURE;
	}
	return finish_output();
}

static int run_export(const struct ls_command *cmd, const struct ls_args *a,
		      const struct ls_where *w)
{
	struct ls_err e = { 0 };

	(void)cmd;
	if (ls_export_textfile(a->textfile, w->dir, w->real, &e)) {
		fprintf(stderr, "leakscope: %s\n", e.msg);
		return EXIT_FAILURE;
	}
	return 0;
}

static int run_watch(const struct ls_command *cmd, const struct ls_args *a,
		     const struct ls_where *w)
{
	struct ls_watch_opts o = a->watch;

	(void)cmd;
	o.json = a->json;
	o.file = a->noperands ? a->operand[0] : "procs";
	if (!ls_watch_file_ok(o.file))
		return usage_error("watch shows procs, summary, cgroups, vmalloc or slab, not '%s'",
				   o.file);
	if (ls_watch(w->dir, w->real, &o))
		return EXIT_FAILURE;
	return finish_output();
}

/* leakscope --prometheus [summary|suspects|procs|cgroups|vmalloc|slab|callsites|all] */
#define PROM_FILES "summary, suspects, procs, cgroups, vmalloc, slab, callsites or all"

static int check_prom(const struct ls_command *cmd, const struct ls_args *a,
		      const struct ls_where *w)
{
	if (!a->prom)
		return usage_error("'all' is only for --prometheus");
	if (cmd && cmd->run != run_file && cmd->run != run_callsites &&
	    cmd->run != run_cgroup_file)
		return usage_error("--prometheus shows %s, not '%s'%s", PROM_FILES,
				   cmd->name, cmd->run == run_stacks ?
				   " (metrics carry stack ids, not frames)" : "");
	if (a->json)
		return usage_error("--prometheus and --json exclude each other");
	if (a->opt_only || a->textfile)
		return usage_error("option '%s' is not for --prometheus",
				   a->opt_only ? a->opt_only : "--textfile");
	if (a->filter_opt && (!cmd || cmd->run != run_callsites))
		return usage_error("option '%s' is only for callsites",
				   a->filter_opt);
	return run_prom(cmd, a, w);
}

/* "--name VALUE" or "--name=VALUE": the value, or NULL if a is not --name. */
static const char *opt_value(const char *name, int argc, char **argv, int *i,
			     bool *missing)
{
	size_t n = strlen(name);
	const char *a = argv[*i];

	if (strncmp(a, name, n))
		return NULL;
	if (a[n] == '=')
		return a + n + 1;
	if (a[n])
		return NULL;
	if (*i + 1 >= argc) {
		*missing = true;
		return NULL;
	}
	return argv[++*i];
}

int main(int argc, char **argv)
{
	const struct ls_command *cmd = NULL;
	struct ls_args a = { .watch.interval_ms = LS_WATCH_INTERVAL_MS };
	const char *env = getenv("LEAKSCOPE_DIR");
	struct ls_where w = { .real = !env || !*env };
	int i;

	for (i = 1; i < argc; i++) {
		const char *arg = argv[i], *v;
		bool missing = false;

		if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
			print_help(stdout);
			return fflush(stdout) ? EXIT_FAILURE : 0;
		}
		if (!strcmp(arg, "--version") || !strcmp(arg, "-V")) {
			printf("leakscope %s\n", LEAKSCOPE_VERSION);
			return fflush(stdout) ? EXIT_FAILURE : 0;
		}
		if (!strcmp(arg, "--json")) {
			a.json = true;
			continue;
		}
		if (!strcmp(arg, "--prometheus")) {
			a.prom = true;
			continue;
		}
		v = opt_value("--textfile", argc, argv, &i, &missing);
		if (v || missing) {
			if (missing || !*v)
				return usage_error("option '--textfile' needs a directory");
			a.textfile = v;
			continue;
		}
		v = opt_value("--cache", argc, argv, &i, &missing);
		if (v || missing) {
			if (missing || !*v)
				return usage_error("option '--cache' needs a cache name");
			a.filter.cache = v;
			a.filter_opt = "--cache";
			continue;
		}
		v = opt_value("--cgroup", argc, argv, &i, &missing);
		if (v || missing) {
			if (missing || !*v)
				return usage_error("option '--cgroup' needs a cgroup path");
			a.filter.cgroup = v;
			a.filter_opt = "--cgroup";
			continue;
		}
		v = opt_value("--prom-top", argc, argv, &i, &missing);
		if (v || missing) {
			unsigned long top;

			if (missing)
				return usage_error("option '--prom-top' needs a number");
			/* 0 is allowed: no cap */
			if (!strcmp(v, "0"))
				top = 0;
			else if (ls_parse_posint(v, LS_PROM_TOP_MAX, &top))
				return usage_error("bad --prom-top '%s' (0 to %d)",
						   v, LS_PROM_TOP_MAX);
			ls_prom_set_top(top);
			a.prom_top = true;
			continue;
		}
		v = opt_value("--interval", argc, argv, &i, &missing);
		if (v || missing) {
			if (missing)
				return usage_error("option '%s' needs a value", arg);
			if (ls_parse_seconds(v, LS_WATCH_INTERVAL_MIN_MS,
					     LS_WATCH_INTERVAL_MAX_MS,
					     &a.watch.interval_ms))
				return usage_error("bad interval '%s' (seconds, 0.1 to 3600)", v);
			a.opt_only = "--interval";
			continue;
		}
		v = opt_value("--count", argc, argv, &i, &missing);
		if (v || missing) {
			if (missing)
				return usage_error("option '%s' needs a value", arg);
			if (ls_parse_posint(v, 0x7fffffffUL, &a.watch.count))
				return usage_error("bad count '%s' (a positive integer)", v);
			a.opt_only = "--count";
			continue;
		}
		/* "-5" is a (bad) operand, not an option */
		if (arg[0] == '-' && !(arg[1] >= '0' && arg[1] <= '9'))
			return usage_error("unknown option '%s'", arg);
		if (!cmd && !a.all && !strcmp(arg, "all")) {
			a.all = true;
			continue;
		}
		if (a.all)
			return usage_error("unexpected argument '%s'", arg);
		if (!cmd) {
			cmd = find_command(arg);
			if (!cmd)
				return usage_error("unknown command '%s'", arg);
			continue;
		}
		if (a.noperands == cmd->max_operands)
			return usage_error("unexpected argument '%s'", arg);
		a.operand[a.noperands++] = arg;
	}
	w.dir = w.real ? LS_DEFAULT_DIR : env;
	if (a.prom || a.all)
		return check_prom(cmd, &a, &w);
	if (a.prom_top && (!cmd || cmd->run != run_export))
		return usage_error("option '--prom-top' is only for --prometheus and export");
	if (a.textfile && (!cmd || cmd->run != run_export))
		return usage_error("option '--textfile' is only for export");
	if (cmd && cmd->run == run_export && !a.textfile)
		return usage_error("export needs --textfile DIR");
	if (cmd && cmd->run == run_export && a.json)
		return usage_error("export writes Prometheus metrics, not --json");
	if (!cmd)
		cmd = &commands[0];
	if (a.noperands < cmd->min_operands)
		return usage_error("%s needs %s", cmd->name, cmd->args);
	if (a.opt_only && cmd->run != run_watch)
		return usage_error("option '%s' is only for watch", a.opt_only);
	if (a.filter.cache && cmd->run != run_callsites)
		return usage_error("option '--cache' is only for callsites");
	if (a.filter.cgroup && cmd->run != run_callsites &&
	    cmd->run != run_cgroup_file)
		return usage_error("option '--cgroup' is only for callsites, procs and cgroups");
	return cmd->run(cmd, &a, &w);
}
