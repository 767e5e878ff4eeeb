/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-process series and the rules that turn their trends into suspects
 * (thread-stack-leak, thread-growth, zombie-growth, mapping-growth,
 * anon-growth, shmem-growth, mlock-growth).  Pure
 * logic: built into the module and into the host unit tests.
 */
#ifndef LS_PROCS_RULES_H
#define LS_PROCS_RULES_H

#include "ls_pure.h"
#include "suspects.h"
#include "trend.h"

enum ls_ps_series {
	LS_PS_VSZ,
	LS_PS_ANON,
	LS_PS_SHMEM,
	LS_PS_LOCKED,
	LS_PS_ORPHANS,		/* orphaned thread stacks, a count */
	LS_PS_THREADS,		/* live threads, a count */
	LS_PS_ZOMBIES,		/* its children that are zombies, a count */
	LS_PS_NR
};

/* Smallest net growth over the window that is not noise, per series. */
extern const s64 ls_ps_min_growth[LS_PS_NR];

/*
 * glibc keeps the stacks of exited threads for reuse, up to 40 MiB by
 * default (stack_cache_maxsize): orphaned stacks within that are expected.
 */
#define LS_GLIBC_STACK_CACHE_KB	(40 * 1024)

#define LS_COMM_LEN 16

/* What the rules see of one process. */
struct ls_ps_view {
	s32 pid;
	char comm[LS_COMM_LEN];
	s64 now[LS_PS_NR];
	struct ls_trend trend[LS_PS_NR];
	s64 orphan_kb;		/* total size of orphaned stacks now */
	s64 stack_kb;		/* size of the largest stack-shaped region */
	s64 heap_kb;
	u32 anon_regions;
	s64 anon_max_kb;	/* size of the largest anonymous region */
	s64 kstack_kb;		/* a thread's kernel stack (THREAD_SIZE) */
};

/*
 * A process's samples keep each series as a u32: kB, or a count.  As plain
 * kB that saturates at 4 TiB, and a process built with AddressSanitizer
 * reserves some 20 TiB of address space for its shadow memory: its VSZ
 * would read flat, however it grew.  So each series is kept as an offset
 * from a base of its own, which starts at 0 and moves only when a value
 * falls outside [base, base + U32_MAX]: values within 2 TiB of the first
 * one seen above 2 TiB fit around it in either direction.
 */
s64 ls_ps_base_for(s64 v);		/* a base that puts @v mid-range */
bool ls_ps_fits(s64 v, s64 base);
u32 ls_ps_encode(s64 v, s64 base);	/* saturates outside the range */

/*
 * Write @p's suspects to @out (room for @max); return how many there are.
 * Only series that were computed (trend.n > 0) are considered.
 */
u32 ls_ps_suspects(const struct ls_ps_view *p, struct ls_suspect *out,
		   u32 max);

/* Whether a growing series makes the process's row verdict "growing". */
bool ls_ps_growing(const struct ls_ps_view *p);

/*
 * The suspect kinds (a bit per enum ls_suspect_kind: anon, shmem, mlock,
 * thread and zombie growth) that process @p may soon name: series still collecting (the
 * process is younger than half its window) that have already risen by
 * their threshold.  The system-wide suspect of such a kind waits for it
 * rather than say "some process" until the process is judged (and task
 * memory in the kernel, ls_subject_is_task_memory(), waits for the
 * thread or zombie growth that explains it).
 */
u32 ls_ps_pending(const struct ls_ps_view *p);

#endif /* LS_PROCS_RULES_H */
