// SPDX-License-Identifier: GPL-2.0
/*
 * The rule for reading a private kernel symbol (compat_symbols.c gathers
 * the facts, this file judges them).
 *
 * A name is not proof.  kallsyms_lookup_name() falls back to modules, so a
 * kernel symbol renamed away resolves to a module's variable of the same
 * name, freed when that module goes; a linker-script marker shares its
 * address with whatever follows it (__stop_BTF is the first .BTF_ids
 * symbol whenever the BTF size is a multiple of 4); and a kprobe that
 * fails to register is not proof of data, since blacklisted and noinstr
 * code fail the same way.  So an address is read only when the probe was
 * refused with -EINVAL (not text), sprint_symbol() puts the start of the
 * symbol asked for there and in no module, and the bytes to read lie in the
 * kernel image's data, read-only data or bss.
 */
#include "symbol_rules.h"

/* "sym+0x0/..." with sym == @name, or any sym when @name is NULL */
static bool ls_symbol_starts_here(const char *where, const char *name)
{
	const char *plus = strchr(where, '+');
	size_t len;

	if (!plus || plus == where || strncmp(plus, "+0x0/", 5))
		return false;
	if (!name)
		return true;
	len = strlen(name);
	return (size_t)(plus - where) == len && !strncmp(where, name, len);
}

bool ls_image_ranges_hold(const struct ls_image_ranges *r, unsigned long addr,
			  unsigned long size)
{
	int i;

	for (i = 0; i < LS_RANGE_NR; i++)
		if (addr >= r->start[i] && addr < r->end[i] &&
		    size <= r->end[i] - addr)
			return true;
	return false;
}

const char *ls_symbol_verdict(const struct ls_symbol_facts *f, bool alias_ok,
			      const struct ls_image_ranges *ranges)
{
	if (!f->ret)
		return "not-data";
	if (!f->addr)
		return f->ret == -ENOENT ? "symbol" : "lookup";
	if (f->ret != -EINVAL)
		return "lookup";
	if (!f->where || strchr(f->where, '['))
		return "module";
	if (!ls_symbol_starts_here(f->where, alias_ok ? NULL : f->name))
		return "verify";
	if (ranges && !ls_image_ranges_hold(ranges, f->addr, f->size))
		return "range";
	return NULL;
}

const char *ls_image_ranges_check(const struct ls_image_ranges *r,
				  const unsigned long anchor[LS_RANGE_NR])
{
	int i, j;

	for (i = 0; i < LS_RANGE_NR; i++) {
		if (r->start[i] >= r->end[i] ||
		    r->end[i] - r->start[i] > LS_RANGE_MAX_BYTES ||
		    anchor[i] < r->start[i] || anchor[i] >= r->end[i])
			return "range";
		for (j = 0; j < i; j++)
			if (r->start[i] < r->end[j] && r->start[j] < r->end[i])
				return "range";
	}
	return NULL;
}
