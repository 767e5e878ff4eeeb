/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Leak suspects: records, kind names, ranking and field sanitising.
 *
 * Pure code: built into the module and into host unit tests.  No
 * allocation, no locks; all memory is provided by the caller.
 */
#ifndef LS_SUSPECTS_H
#define LS_SUSPECTS_H

#include "ls_pure.h"

enum ls_suspect_kind {
	LS_SUSPECT_THREAD_STACK_LEAK,
	LS_SUSPECT_ANON_GROWTH,
	LS_SUSPECT_SHMEM_GROWTH,
	LS_SUSPECT_MLOCK_GROWTH,
	LS_SUSPECT_SLAB_GROWTH,
	LS_SUSPECT_VMALLOC_GROWTH,
	LS_SUSPECT_VMALLOC_ORPHAN,
	LS_SUSPECT_UNACCOUNTED_GROWTH,
	LS_SUSPECT_THREAD_GROWTH,
	LS_SUSPECT_ZOMBIE_GROWTH,
	LS_SUSPECT_MAPPING_GROWTH,
	LS_SUSPECT_TASK_GROWTH,		/* a cgroup's processes */
	LS_SUSPECT_KIND_NR
};

/*
 * "thread-stack-leak" "anon-growth" "shmem-growth" "mlock-growth"
 * "slab-growth" "vmalloc-growth" "vmalloc-orphan" "unaccounted-growth"
 * "thread-growth" "zombie-growth" "mapping-growth" "task-growth";
 * "unknown" for anything else.
 */
const char *ls_suspect_kind_name(enum ls_suspect_kind k);

#define LS_SUBJECT_LEN 64
#define LS_EVIDENCE_LEN 160
#define LS_NEXT_LEN 96

struct ls_suspect {
	enum ls_suspect_kind kind;
	char subject[LS_SUBJECT_LEN];	/* field-safe: no whitespace */
	s64 growth_kb, rate_kb_min;
	u32 persistence_pct;
	u32 severity;			/* 1 (mild) .. 4 (serious) */
	char evidence[LS_EVIDENCE_LEN];	/* words joined with '_' */
	char next[LS_NEXT_LEN];		/* words joined with '_' */
	s64 score;			/* set by ls_suspects_rank */
	u32 rank;			/* 1-based, set by ls_suspects_rank */
};

/*
 * Score every suspect, sort by score descending (ties: kind, then subject;
 * stable beyond that) and number them from 1.  In place, O(n^2) moves: meant
 * for the few dozen suspects a report holds.
 */
void ls_suspects_rank(struct ls_suspect *s, u32 n);

/*
 * Copy src into dst as one whitespace-free field: whitespace and
 * non-printable bytes become '_', empty (or NULL) becomes "-", always
 * NUL-terminated, truncated to len-1.
 */
void ls_field_copy(char *dst, size_t len, const char *src);

/*
 * Copy the text @src into @dst as one field of words, as evidence and next
 * are written: whitespace joins words as '_', a '_' of the text's own
 * (a symbol, a module name) is written "__" so the reader can tell them
 * apart, other bytes outside 0x21..0x7e become '?'.  NUL-terminated,
 * truncated to len-1 without splitting a "__"; empty gives "-".
 */
void ls_words_copy(char *dst, size_t len, const char *src);

/*
 * Is @subject kernel memory that every task holds while it lives (or,
 * for some of it, while it is a zombie): the task_struct and the caches
 * that come with a task, and the vmalloc'ed kernel stacks of threads (by
 * their callers: alloc_thread_stack_node or the fork path it is inlined
 * into)?
 * Its growth is what a thread-growth or zombie-growth suspect already
 * names precisely, process and all.
 */
bool ls_subject_is_task_memory(const char *subject);

#endif /* LS_SUSPECTS_H */
