/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The meminfo items leakscope follows (the method's step 1), and the rules
 * that turn their trends into suspects.  Pure logic: built into the module
 * and into the host unit tests.
 */
#ifndef LS_MEMINFO_RULES_H
#define LS_MEMINFO_RULES_H

#include "ls_pure.h"
#include "trend.h"
#include "suspects.h"

enum ls_mi_item {
	LS_MI_ACTIVE_ANON,
	LS_MI_INACTIVE_ANON,
	LS_MI_ANON_PAGES,
	LS_MI_MAPPED,
	LS_MI_SHMEM,
	LS_MI_UNEVICTABLE,
	LS_MI_MLOCKED,
	LS_MI_SLAB,
	LS_MI_SRECLAIMABLE,
	LS_MI_SUNRECLAIM,
	LS_MI_VMALLOC_USED,
	LS_MI_KERNEL_STACK,
	LS_MI_PAGE_TABLES,
	LS_MI_UNACCOUNTED,
	LS_MI_SELF,		/* not in /proc/meminfo: leakscope's own memory */
	LS_MI_NR
};

struct ls_mi_rule {
	const char *name;		/* as in /proc/meminfo */
	const char *next;		/* where to look next, words joined by '_' */
	s64 min_growth_kb;		/* smaller net growth is noise */
	bool suspect;			/* its growth is a suspect of its own */
	enum ls_suspect_kind kind;
	u32 severity;
};

extern const struct ls_mi_rule ls_mi_rules[LS_MI_NR];

/* One item's state in the latest report. */
struct ls_mi_row {
	bool valid;			/* false: its source is disabled */
	s64 now_kb;
	struct ls_trend trend;
	char next[LS_NEXT_LEN];		/* where to look next, as written */
};

/*
 * Write the suspects the meminfo rows name to @out, at most @max of them,
 * and return how many there are (more than @max means the cap was hit).
 * Overlapping items are reported once: Mlocked pages are also Unevictable,
 * so an Unevictable suspect only stands when Mlocked is not growing.
 */
u32 ls_mi_suspects(const struct ls_mi_row rows[LS_MI_NR],
		   struct ls_suspect *out, u32 max);

/*
 * Fill @row->next for @item: the rule's advice, or, for a KernelStack
 * that grows, the suspect that accounts for it among the process
 * suspects @sus[0..@n): a thread-growth one (each thread holds a kernel
 * stack), else a zombie-growth one; the one that grows fastest.
 */
void ls_mi_next(enum ls_mi_item item, struct ls_mi_row *row,
		const struct ls_suspect *sus, u32 n);

#endif /* LS_MEMINFO_RULES_H */
