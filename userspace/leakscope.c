// SPDX-License-Identifier: GPL-2.0
/*
 * leakscope - read the leakscope kernel module's debugfs files and print
 * them for a person (aligned table) or a script (--json).
 *
 *   leakscope [summary|suspects] [--json]
 *   leakscope --help | --version
 *
 * Exit status: 0 ok, 1 runtime error (one line on stderr), 2 usage error.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler.h"
#include "errors.h"
#include "json.h"
#include "lsfile.h"
#include "table.h"

#ifndef LEAKSCOPE_VERSION
#define LEAKSCOPE_VERSION "0.1.0"
#endif

#define EXIT_USAGE 2

enum ls_output { LS_OUT_TABLE, LS_OUT_JSON };

/*
 * Commands.  Each shows one debugfs file; later commands (procs, regions
 * PID, vmalloc, slab, watch, --prometheus) add a row here and, where they
 * need more than "load and print", their own run function.
 */
struct ls_command {
	const char *name;
	const char *file;	/* debugfs file under the leakscope directory */
	const char *help;
	const char *empty;	/* table text when there are no records */
};

static const struct ls_command commands[] = {
	{ "summary", "summary",
	  "growth of each /proc/meminfo item over the window (default)", NULL },
	{ "suspects", "suspects", "ranked leak suspects with evidence and next step",
	  "no suspects: nothing grew steadily over the window" },
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

	fprintf(f, "usage: leakscope [COMMAND] [--json]\n"
		   "       leakscope --help | --version\n\n"
		   "Commands:\n");
	for (i = 0; i < NR_COMMANDS; i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].help);
	fprintf(f, "\nOptions:\n"
		   "  --json     print JSON (schema_version 1) instead of a table\n"
		   "  --help     show this help\n"
		   "  --version  show the version\n\n"
		   "Reads %s (or $LEAKSCOPE_DIR); needs root and the leakscope module.\n"
		   "Exit status: 0 ok, 1 error, 2 usage error.\n", LS_DEFAULT_DIR);
}

static int usage_error(const char *what, const char *arg)
{
	fprintf(stderr, "leakscope: %s '%s'; try 'leakscope --help'\n", what, arg);
	return EXIT_USAGE;
}

static int run(const struct ls_command *cmd, enum ls_output out)
{
	const char *env = getenv("LEAKSCOPE_DIR");
	bool real = !env || !*env;
	const char *dir = real ? LS_DEFAULT_DIR : env;
	struct ls_table t;
	struct ls_err e = { 0 };
	int ret = 0;

	if (ls_table_load(&t, dir, cmd->file, real, &e)) {
		fprintf(stderr, "leakscope: %s\n", e.msg);
		ls_table_free(&t);
		return EXIT_FAILURE;
	}
	if (out == LS_OUT_JSON)
		ls_print_json(stdout, &t);
	else
		ls_print_table(stdout, &t, cmd->empty);
	ls_table_free(&t);
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "leakscope: writing output: %s\n", strerror(errno));
		ret = EXIT_FAILURE;
	}
	return ret;
}

int main(int argc, char **argv)
{
	const struct ls_command *cmd = NULL;
	enum ls_output out = LS_OUT_TABLE;
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			print_help(stdout);
			return fflush(stdout) ? EXIT_FAILURE : 0;
		}
		if (!strcmp(a, "--version") || !strcmp(a, "-V")) {
			printf("leakscope %s\n", LEAKSCOPE_VERSION);
			return fflush(stdout) ? EXIT_FAILURE : 0;
		}
		if (!strcmp(a, "--json")) {
			out = LS_OUT_JSON;
			continue;
		}
		if (a[0] == '-')
			return usage_error("unknown option", a);
		if (cmd)
			return usage_error("unexpected argument", a);
		cmd = find_command(a);
		if (!cmd)
			return usage_error("unknown command", a);
	}
	return run(cmd ? cmd : &commands[0], out);
}
