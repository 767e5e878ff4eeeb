/* SPDX-License-Identifier: GPL-2.0 */
/*
 * When an address found for a private kernel symbol may be read: the rule
 * compat_symbols.c applies to what it learns from the kernel.  Pure logic:
 * built into the module and into the host unit tests.
 */
#ifndef LS_SYMBOL_RULES_H
#define LS_SYMBOL_RULES_H

#include "ls_pure.h"

/* The kernel image's data, read-only data and bss, each [start, end). */
enum ls_image_range {
	LS_RANGE_DATA,		/* _sdata.._edata */
	LS_RANGE_RODATA,	/* __start_rodata..__end_rodata (.BTF too) */
	LS_RANGE_BSS,		/* __bss_start..__bss_stop */
	LS_RANGE_NR,
};

struct ls_image_ranges {
	unsigned long start[LS_RANGE_NR];
	unsigned long end[LS_RANGE_NR];
};

/* Larger than any section of a kernel image: a bound, not a guess. */
#define LS_RANGE_MAX_BYTES	(1024UL * 1024 * 1024)

/* What the resolver learnt of one symbol. */
struct ls_symbol_facts {
	const char *name;	/* the symbol asked for */
	int ret;		/* register_kprobe() of a disabled probe */
	unsigned long addr;	/* the address it looked up, or 0 */
	const char *where;	/* sprint_symbol(addr): "sym+0x0/0x8 [mod]" */
	unsigned long size;	/* bytes that will be read at addr */
};

/*
 * NULL when the address in @f may be read, else a short reason:
 *  "symbol"   no symbol of that name (-ENOENT, no address);
 *  "lookup"   no address, or a failure other than -EINVAL, which is the
 *             only one that says "this address is not kernel text";
 *  "not-data" the probe registered: the symbol is code;
 *  "module"   the lookup fell back to a module's symbol;
 *  "verify"   the address is not the start of a symbol of that name (an
 *             alias: the first symbol there has another name), or, with
 *             @alias_ok (a linker-script marker, which always shares its
 *             address with the object that starts there), not the start
 *             of any symbol;
 *  "range"    [addr, addr + size) is not inside one of @ranges (skipped
 *             when @ranges is NULL: the markers that make the ranges).
 */
const char *ls_symbol_verdict(const struct ls_symbol_facts *f, bool alias_ok,
			      const struct ls_image_ranges *ranges);

/*
 * NULL when @r is plausible, else a short reason ("range"): each range is
 * non-empty and below LS_RANGE_MAX_BYTES, no two overlap, and each holds
 * its anchor (@anchor[i], the address of an exported object the module
 * links against, known to live in range i): markers resolved by name are
 * then known to bound what they claim to.
 */
const char *ls_image_ranges_check(const struct ls_image_ranges *r,
				  const unsigned long anchor[LS_RANGE_NR]);

/* Does [addr, addr + size) lie inside one of @r's ranges? */
bool ls_image_ranges_hold(const struct ls_image_ranges *r, unsigned long addr,
			  unsigned long size);

#endif /* LS_SYMBOL_RULES_H */
