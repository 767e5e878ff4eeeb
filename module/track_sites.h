/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which frame of a sampled allocation is the caller that matters: not the
 * allocator's own functions, and not the kmalloc wrappers (kstrdup,
 * kmemdup, kvmalloc_node, krealloc...) that every subsystem calls, whose
 * address says nothing about who leaks.  Decided by symbol name, at
 * snapshot time, never in a probe.
 *
 * Pure code: built into the module and into the host unit tests.
 */
#ifndef LS_TRACK_SITES_H
#define LS_TRACK_SITES_H

#include "ls_pure.h"

/*
 * Whether @sym, a symbol as sprint_symbol() prints it ("kstrdup+0x2e/0x60",
 * "__kmalloc_noprof+0x1a0/0x4c0", "foo+0x8/0x10 [mod]"), is in the
 * allocator or a kmalloc wrapper: a frame to look past.  Compiler suffixes
 * (".cold", ".isra.0", ".constprop.0") and 6.10's "_noprof" are ignored.
 */
bool ls_site_skip(const char *sym);

/*
 * Whose pages a frame of a page event's stack says they are: the slab
 * allocator's (slab pages, page-backed kmallocs: SUnreclaim), vmalloc's
 * (VmallocUsed) or percpu's (Percpu), or nobody's known.  Such pages are
 * accounted in /proc/meminfo already, and shown by other classes.
 */
enum ls_site_owner {
	LS_OWNER_NONE,
	LS_OWNER_SLAB,
	LS_OWNER_VMALLOC,
	LS_OWNER_PERCPU,
};

enum ls_site_owner ls_site_owner(const char *sym);

#endif /* LS_TRACK_SITES_H */
