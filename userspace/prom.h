/* SPDX-License-Identifier: GPL-2.0 */
/*
 * leakscope's files as Prometheus text exposition (node_exporter textfile
 * collector): base units (bytes, seconds), HELP and TYPE lines, each metric
 * family once, label values escaped.  kB become bytes (x1024), kB/min become
 * bytes/second.  A file that is absent (a walker disabled) contributes
 * nothing; a missing directory or a malformed file is an error.
 * Every file is read before anything is printed.
 */
#ifndef LS_PROM_H
#define LS_PROM_H

#include <stdbool.h>
#include <stdio.h>

#include "callsites.h"
#include "errors.h"

/* Which files --prometheus reads. */
enum ls_prom_file {
	LS_PROM_SUMMARY		= 0x01,
	LS_PROM_SUSPECTS	= 0x02,
	LS_PROM_PROCS		= 0x04,
	LS_PROM_VMALLOC		= 0x08,
	LS_PROM_SLAB		= 0x10,
	LS_PROM_CALLSITES	= 0x20,
	LS_PROM_CGROUPS		= 0x40,
	LS_PROM_ALL		= 0x7f,
};

/* "summary" ... "callsites", "all" -> set bits; 0 when name is not one of them. */
unsigned int ls_prom_set(const char *name);

/*
 * Read the files of set from dir and print their metrics to f.
 * 0, or -1 with *e set and nothing printed.
 */
int ls_prom_print(FILE *f, const char *dir, bool real, unsigned int set,
		  struct ls_err *e);

/*
 * The same, with the rows of callsites kept by flt (NULL: all).  callsites
 * contributes nothing while tracking is off; its metrics are labelled with
 * class, site, stack id and cgroup, never with a stack's frames.
 */
int ls_prom_print_filtered(FILE *f, const char *dir, bool real,
			   unsigned int set, const struct ls_callsite_filter *flt,
			   struct ls_err *e);

/*
 * The most cgroups the cgroup families carry (--prom-top; 0: no cap); the
 * others are summed into cgroup="other" (cgroups.h).
 */
void ls_prom_set_top(unsigned long top);

/* A label value, quoted: backslash, double quote and newline escaped. */
void ls_prom_label(FILE *f, const char *s);

/*
 * leakscope_up: 1 after the files were read (every successful print ends
 * with it), 0 in the file export writes when they could not be.
 */
void ls_prom_print_up(FILE *f, bool up);

#endif /* LS_PROM_H */
