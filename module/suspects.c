// SPDX-License-Identifier: GPL-2.0
/*
 * Leak suspects: naming, ranking and making strings safe as table fields.
 *
 * The debugfs tables are whitespace-separated, so anything that goes into a
 * field (a process name, a cache name, a symbol) must not contain
 * whitespace or control bytes, or a reader would mis-split the row.  The
 * ranking must be deterministic so two reads of the same state print the
 * same order.  This file is pure: no allocation, no locks, no printing.
 */

#include "ls_pure.h"
#include "suspects.h"

static const char * const ls_kind_names[] = {
	[LS_SUSPECT_THREAD_STACK_LEAK]	= "thread-stack-leak",
	[LS_SUSPECT_ANON_GROWTH]	= "anon-growth",
	[LS_SUSPECT_SHMEM_GROWTH]	= "shmem-growth",
	[LS_SUSPECT_MLOCK_GROWTH]	= "mlock-growth",
	[LS_SUSPECT_SLAB_GROWTH]	= "slab-growth",
	[LS_SUSPECT_VMALLOC_GROWTH]	= "vmalloc-growth",
	[LS_SUSPECT_VMALLOC_ORPHAN]	= "vmalloc-orphan",
	[LS_SUSPECT_UNACCOUNTED_GROWTH]	= "unaccounted-growth",
	[LS_SUSPECT_THREAD_GROWTH]	= "thread-growth",
	[LS_SUSPECT_ZOMBIE_GROWTH]	= "zombie-growth",
	[LS_SUSPECT_MAPPING_GROWTH]	= "mapping-growth",
	[LS_SUSPECT_TASK_GROWTH]	= "task-growth",
};

const char *ls_suspect_kind_name(enum ls_suspect_kind k)
{
	if ((unsigned int)k >= ARRAY_SIZE(ls_kind_names) || !ls_kind_names[k])
		return "unknown";
	return ls_kind_names[k];
}

/*
 * rate (clamped >= 0) * severity * (50 + persistence) / 150, for an
 * orphan at least its size instead of its rate.  Severity and
 * persistence are clamped to their documented ranges first, so a caller's
 * bad value can skew one score but never the arithmetic; the product
 * saturates at S64_MAX.
 */
static s64 ls_suspect_score(const struct ls_suspect *s)
{
	s64 rate = s->rate_kb_min > 0 ? s->rate_kb_min : 0;
	u32 sev = s->severity, pct = s->persistence_pct;
	s64 f;

	/*
	 * What an unloaded module left can never be freed, growing or not:
	 * rank it by what it holds (its growth_kb), as if all of it leaked
	 * within the last minute.
	 */
	if (s->kind == LS_SUSPECT_VMALLOC_ORPHAN && s->growth_kb > rate)
		rate = s->growth_kb;

	if (sev < 1)
		sev = 1;
	if (sev > 4)
		sev = 4;
	if (pct > 100)
		pct = 100;
	f = (s64)sev * (50 + pct);	/* 50 .. 600 */
	if (rate > S64_MAX / f)
		return S64_MAX / 150;
	return rate * f / 150;
}

/* Does @a sort strictly before @b? */
static bool ls_suspect_before(const struct ls_suspect *a,
			      const struct ls_suspect *b)
{
	if (a->score != b->score)
		return a->score > b->score;
	if (a->kind != b->kind)
		return a->kind < b->kind;
	return strncmp(a->subject, b->subject, LS_SUBJECT_LEN) < 0;
}

/*
 * Swap two records word by word: a temporary struct ls_suspect would put
 * ~350 bytes on the kernel stack for nothing.
 */
static void ls_suspect_swap(struct ls_suspect *a, struct ls_suspect *b)
{
	unsigned char *pa = (unsigned char *)a, *pb = (unsigned char *)b;
	size_t i;

	for (i = 0; i < sizeof(*a); i++) {
		unsigned char t = pa[i];

		pa[i] = pb[i];
		pb[i] = t;
	}
}

void ls_suspects_rank(struct ls_suspect *s, u32 n)
{
	u32 i, j;

	for (i = 0; i < n; i++)
		s[i].score = ls_suspect_score(&s[i]);
	/*
	 * Insertion sort by adjacent swaps: stable (equal records never pass
	 * each other), in place, and no stack beyond a few words.
	 */
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && ls_suspect_before(&s[j], &s[j - 1]); j--)
			ls_suspect_swap(&s[j], &s[j - 1]);
	for (i = 0; i < n; i++)
		s[i].rank = i + 1;
}

void ls_field_copy(char *dst, size_t len, const char *src)
{
	size_t i;

	if (!len)
		return;
	if (!src || !*src) {
		/* "-" means unknown/empty; a one-byte buffer gets "". */
		if (len > 1)
			dst[0] = '-';
		dst[len > 1 ? 1 : 0] = '\0';
		return;
	}
	for (i = 0; i + 1 < len && src[i]; i++) {
		unsigned char c = src[i];

		/* Printable ASCII minus space; everything else would split a row. */
		dst[i] = (c > ' ' && c < 0x7f) ? c : '_';
	}
	dst[i] = '\0';
}

void ls_words_copy(char *dst, size_t len, const char *src)
{
	size_t n = 0;

	if (!len)
		return;
	for (; src && *src && n + 1 < len; src++) {
		unsigned char c = *src;

		if (c == '_') {
			if (n + 2 >= len)
				break;
			dst[n++] = '_';
			dst[n++] = '_';
		} else if (c == ' ' || c == '\t' || c == '\n') {
			dst[n++] = '_';
		} else {
			dst[n++] = (c < 0x21 || c > 0x7e) ? '?' : c;
		}
	}
	if (!n && len > 1)
		dst[n++] = '-';
	dst[n] = '\0';
}

bool ls_subject_is_task_memory(const char *subject)
{
	static const char * const exact[] = {
		"slab:task_struct", "slab:signal_cache", "slab:sighand_cache",
		"slab:pid", "slab:cred_jar",
	};
	/*
	 * The callers of a thread's vmalloc'ed stack (CONFIG_VMAP_STACK):
	 * alloc_thread_stack_node(), or the fork path it is inlined into
	 * (6.12's vmalloc names kernel_clone+0xc2/0x430).
	 */
	static const char * const stack_callers[] = {
		"alloc_thread_stack_node", "dup_task_struct", "copy_process",
		"kernel_clone",
	};
	static const char vm[] = "vmalloc:";
	size_t i, n;

	if (!subject)
		return false;
	for (i = 0; i < ARRAY_SIZE(exact); i++)
		if (!strcmp(subject, exact[i]))
			return true;
	if (strncmp(subject, vm, sizeof(vm) - 1))
		return false;
	subject += sizeof(vm) - 1;
	for (i = 0; i < ARRAY_SIZE(stack_callers); i++) {
		n = strlen(stack_callers[i]);
		if (!strncmp(subject, stack_callers[i], n) &&
		    (subject[n] == '\0' || subject[n] == '+'))
			return true;
	}
	return false;
}
