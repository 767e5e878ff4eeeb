// SPDX-License-Identifier: GPL-2.0
/*
 * Which per-process growth is a suspect, and what it says.
 *
 * A thread-stack leak is the method's classic case: VSZ grows by a stack
 * at a time, RSS stays flat, and the process has few threads but many
 * stacks.  It is named when the number of orphaned stacks (stack-shaped
 * regions no live thread's stack pointer is in) grows while the number of
 * live threads does not.  A thread pool that joins and recreates threads
 * reuses glibc's cached stacks, so its orphan count goes up and down and
 * never trends, and once it has filled that cache never climbs higher; a
 * pool still filling it is told apart by size.
 *
 * Tasks that accumulate have kinds of their own: live threads that keep
 * climbing (threads blocked forever: each holds a user stack and a kernel
 * stack) are thread-growth, children that exited and are never reaped are
 * zombie-growth of their parent.  A pool that grows to its size, or a
 * parent that reaps late but reaps, is flat over the window and is not
 * named.  VSZ that keeps growing through anonymous mappings that neither
 * threads' stacks nor resident memory account for (stacks mapped without
 * guard pages, reserved buffers, arenas) is mapping-growth.  A row is
 * "growing" exactly when it names a suspect: the two never disagree.
 */
#include "procs_rules.h"

const s64 ls_ps_min_growth[LS_PS_NR] = {
	[LS_PS_VSZ] = 1024,
	[LS_PS_ANON] = 1024,
	[LS_PS_SHMEM] = 1024,
	[LS_PS_LOCKED] = 256,
	[LS_PS_ORPHANS] = 3,
	[LS_PS_THREADS] = 3,
	[LS_PS_ZOMBIES] = 3,
};

#define LS_PS_HALF_RANGE	((s64)1 << 31)

s64 ls_ps_base_for(s64 v)
{
	return v > LS_PS_HALF_RANGE ? v - LS_PS_HALF_RANGE : 0;
}

bool ls_ps_fits(s64 v, s64 base)
{
	return v >= base && v - base <= U32_MAX;
}

u32 ls_ps_encode(s64 v, s64 base)
{
	if (v <= base)
		return 0;
	return v - base < U32_MAX ? v - base : U32_MAX;
}

/*
 * A pool's orphans rise once, as it fills glibc's stack cache, then go up
 * and down under that plateau; sampled coarsely while young (a loaded box)
 * the rise alone can read as growing.  A leak keeps making stacks: the
 * newest half of its window reaches higher than the oldest.
 */
static bool ls_ps_is_growing(const struct ls_ps_view *p, enum ls_ps_series s)
{
	const struct ls_trend *t = &p->trend[s];

	if (s == LS_PS_ORPHANS && !t->peak_rise)
		return false;
	return t->n && t->verdict == LS_VERDICT_GROWING;
}

bool ls_ps_growing(const struct ls_ps_view *p)
{
	return ls_ps_suspects(p, NULL, 0) > 0;
}

static void ls_ps_fill(struct ls_suspect *s, const struct ls_ps_view *p,
		       enum ls_suspect_kind kind, enum ls_ps_series series,
		       u32 severity)
{
	const struct ls_trend *t = &p->trend[series];
	char subject[LS_SUBJECT_LEN];

	memset(s, 0, sizeof(*s));
	s->kind = kind;
	snprintf(subject, sizeof(subject), "pid:%d:%s", p->pid, p->comm);
	ls_field_copy(s->subject, sizeof(s->subject), subject);
	s->growth_kb = t->growth;
	s->rate_kb_min = t->rate_per_min;
	s->persistence_pct = t->persistence_pct;
	s->severity = severity;
}

static void ls_ps_stack_leak(struct ls_suspect *s, const struct ls_ps_view *p)
{
	const struct ls_trend *t = &p->trend[LS_PS_ORPHANS];
	bool beyond_cache = p->orphan_kb > LS_GLIBC_STACK_CACHE_KB;
	char text[LS_EVIDENCE_LEN];

	ls_ps_fill(s, p, LS_SUSPECT_THREAD_STACK_LEAK, LS_PS_ORPHANS,
		   beyond_cache ? 4 : 3);
	/* Growth and rate in kB: orphaned stacks times their size. */
	s->growth_kb = t->growth * p->stack_kb;
	s->rate_kb_min = t->rate_per_min * p->stack_kb;
	snprintf(text, sizeof(text),
		 "+%lld stacks of %lld kB in %lld s, %lld threads alive, %lld orphaned stacks (%lld kB)%s",
		 (long long)t->growth, (long long)p->stack_kb,
		 (long long)(t->span_ms / 1000),
		 (long long)p->now[LS_PS_THREADS],
		 (long long)p->now[LS_PS_ORPHANS], (long long)p->orphan_kb,
		 beyond_cache ? ", beyond glibc's 40 MiB stack cache" : "");
	ls_words_copy(s->evidence, sizeof(s->evidence), text);
	snprintf(text, sizeof(text),
		 "leakscope regions %d: join or detach every thread; munmap clone() stacks",
		 p->pid);
	ls_words_copy(s->next, sizeof(s->next), text);
}

static void ls_ps_size_growth(struct ls_suspect *s, const struct ls_ps_view *p,
			      enum ls_suspect_kind kind,
			      enum ls_ps_series series, const char *what,
			      const char *next)
{
	const struct ls_trend *t = &p->trend[series];
	char text[LS_EVIDENCE_LEN];

	ls_ps_fill(s, p, kind, series, 2);
	snprintf(text, sizeof(text),
		 "%s +%lld kB in %lld s, rising in %u of %u intervals, heap %lld kB, %u anon regions",
		 what, (long long)t->growth, (long long)(t->span_ms / 1000),
		 t->rises, t->n ? t->n - 1 : 0, (long long)p->heap_kb,
		 p->anon_regions);
	ls_words_copy(s->evidence, sizeof(s->evidence), text);
	snprintf(text, sizeof(text), "leakscope regions %d; %s", p->pid, next);
	ls_words_copy(s->next, sizeof(s->next), text);
}

static s64 ls_ps_pos(s64 v)
{
	return v > 0 ? v : 0;
}

/* Each thread: its user stack (if known) and its kernel stack. */
static s64 ls_ps_thread_kb(const struct ls_ps_view *p)
{
	return p->stack_kb + p->kstack_kb;
}

static void ls_ps_thread_growth(struct ls_suspect *s,
				const struct ls_ps_view *p)
{
	const struct ls_trend *t = &p->trend[LS_PS_THREADS];
	s64 each = ls_ps_thread_kb(p);
	char text[LS_EVIDENCE_LEN];

	ls_ps_fill(s, p, LS_SUSPECT_THREAD_GROWTH, LS_PS_THREADS, 3);
	s->growth_kb = t->growth * each;
	s->rate_kb_min = t->rate_per_min * each;
	snprintf(text, sizeof(text),
		 "+%lld threads in %lld s, %lld alive, about %lld kB each (user stack %lld kB + kernel stack %lld kB), %lld kB in all",
		 (long long)t->growth, (long long)(t->span_ms / 1000),
		 (long long)p->now[LS_PS_THREADS], (long long)each,
		 (long long)p->stack_kb, (long long)p->kstack_kb,
		 (long long)(p->now[LS_PS_THREADS] * each));
	ls_words_copy(s->evidence, sizeof(s->evidence), text);
	snprintf(text, sizeof(text),
		 "cat /proc/%d/task/*/stack: where its threads block; end or join them",
		 p->pid);
	ls_words_copy(s->next, sizeof(s->next), text);
}

static void ls_ps_zombie_growth(struct ls_suspect *s,
				const struct ls_ps_view *p)
{
	const struct ls_trend *t = &p->trend[LS_PS_ZOMBIES];
	char text[LS_EVIDENCE_LEN];

	/* A zombie holds no memory of its own worth a kB figure: counts. */
	ls_ps_fill(s, p, LS_SUSPECT_ZOMBIE_GROWTH, LS_PS_ZOMBIES, 2);
	snprintf(text, sizeof(text),
		 "+%lld zombie children in %lld s, %lld unreaped now, rising in %u of %u intervals",
		 (long long)t->growth, (long long)(t->span_ms / 1000),
		 (long long)p->now[LS_PS_ZOMBIES], t->rises,
		 t->n ? t->n - 1 : 0);
	ls_words_copy(s->evidence, sizeof(s->evidence), text);
	snprintf(text, sizeof(text),
		 "ps --ppid %d -o pid,stat,comm: wait() for every child, or SIGCHLD SIG_IGN",
		 p->pid);
	ls_words_copy(s->next, sizeof(s->next), text);
}

/*
 * VSZ growth that thread stacks account for: the stacks of the threads
 * or orphans added (with their guard pages), each the size of the
 * largest stack-shaped region.
 */
static s64 ls_ps_stacks_kb(const struct ls_ps_view *p)
{
	s64 n = ls_ps_pos(p->trend[LS_PS_ORPHANS].growth) +
		ls_ps_pos(p->trend[LS_PS_THREADS].growth);

	return p->stack_kb ? n * (p->stack_kb + 4) : 0;
}

/*
 * Is VSZ growing beyond what the rest explains?  Threads (stacks, and
 * malloc's per-thread arenas) and stacks are named as such.  Resident
 * memory growing with it is anon, shmem or mlock growth when those are
 * named; VSZ growing more than 4 times faster is mappings of its own.
 */
static bool ls_ps_mapping_growth(const struct ls_ps_view *p, u32 named)
{
	s64 vsz = p->trend[LS_PS_VSZ].growth;
	s64 rss = ls_ps_pos(p->trend[LS_PS_ANON].growth) +
		  ls_ps_pos(p->trend[LS_PS_SHMEM].growth);

	if (!ls_ps_is_growing(p, LS_PS_VSZ) ||
	    ls_ps_is_growing(p, LS_PS_THREADS))
		return false;
	if (vsz <= 2 * ls_ps_stacks_kb(p))
		return false;
	return !named || vsz > 4 * rss;
}

static void ls_ps_mapping(struct ls_suspect *s, const struct ls_ps_view *p)
{
	const struct ls_trend *t = &p->trend[LS_PS_VSZ];
	char text[LS_EVIDENCE_LEN];

	ls_ps_fill(s, p, LS_SUSPECT_MAPPING_GROWTH, LS_PS_VSZ, 2);
	snprintf(text, sizeof(text),
		 "VSZ +%lld kB in %lld s, RssAnon +%lld kB; %u anon regions, largest %lld kB",
		 (long long)t->growth, (long long)(t->span_ms / 1000),
		 (long long)p->trend[LS_PS_ANON].growth, p->anon_regions,
		 (long long)p->anon_max_kb);
	ls_words_copy(s->evidence, sizeof(s->evidence), text);
	snprintf(text, sizeof(text),
		 "leakscope regions %d: which region grows; pair every mmap() with munmap()",
		 p->pid);
	ls_words_copy(s->next, sizeof(s->next), text);
}

/* Count every suspect, write those that fit. */
static void ls_ps_add(struct ls_suspect *out, u32 max, u32 *n,
		      const struct ls_suspect *one)
{
	if (*n < max)
		out[*n] = *one;
	(*n)++;
}

static bool ls_ps_anon_is_locked(const struct ls_ps_view *p)
{
	return ls_ps_is_growing(p, LS_PS_LOCKED) &&
	       p->trend[LS_PS_ANON].growth <=
			p->trend[LS_PS_LOCKED].growth + ls_ps_min_growth[LS_PS_ANON];
}

/*
 * Anon growth that the stacks of new threads (or of leaked ones) account
 * for: the pages those threads touched, named once, as their kind.
 */
static bool ls_ps_anon_is_stacks(const struct ls_ps_view *p)
{
	return (ls_ps_is_growing(p, LS_PS_THREADS) ||
		ls_ps_is_growing(p, LS_PS_ORPHANS)) &&
	       p->trend[LS_PS_ANON].growth <= ls_ps_stacks_kb(p);
}

u32 ls_ps_pending(const struct ls_ps_view *p)
{
	static const struct {
		enum ls_ps_series series;
		enum ls_suspect_kind kind;
	} pend[] = {
		{ LS_PS_ANON, LS_SUSPECT_ANON_GROWTH },
		{ LS_PS_SHMEM, LS_SUSPECT_SHMEM_GROWTH },
		{ LS_PS_LOCKED, LS_SUSPECT_MLOCK_GROWTH },
		{ LS_PS_THREADS, LS_SUSPECT_THREAD_GROWTH },
		{ LS_PS_ZOMBIES, LS_SUSPECT_ZOMBIE_GROWTH },
	};
	u32 i, kinds = 0;

	for (i = 0; i < ARRAY_SIZE(pend); i++)
		if (ls_trend_pending(&p->trend[pend[i].series],
				     ls_ps_min_growth[pend[i].series]))
			kinds |= 1U << pend[i].kind;
	return kinds;
}

u32 ls_ps_suspects(const struct ls_ps_view *p, struct ls_suspect *out,
		   u32 max)
{
	struct ls_suspect one;
	u32 n = 0;

	if (ls_ps_is_growing(p, LS_PS_THREADS)) {
		ls_ps_thread_growth(&one, p);
		ls_ps_add(out, max, &n, &one);
	}
	if (ls_ps_is_growing(p, LS_PS_ZOMBIES)) {
		ls_ps_zombie_growth(&one, p);
		ls_ps_add(out, max, &n, &one);
	}
	if (ls_ps_is_growing(p, LS_PS_ORPHANS) &&
	    !ls_ps_is_growing(p, LS_PS_THREADS)) {
		ls_ps_stack_leak(&one, p);
		ls_ps_add(out, max, &n, &one);
	}
	/*
	 * Locked pages are anonymous pages too: anon growth that the locked
	 * growth accounts for is the same memory, named once, as mlock.
	 */
	if (ls_ps_is_growing(p, LS_PS_ANON) && !ls_ps_anon_is_locked(p) &&
	    !ls_ps_anon_is_stacks(p)) {
		ls_ps_size_growth(&one, p, LS_SUSPECT_ANON_GROWTH, LS_PS_ANON,
				  "RssAnon", "a heap profiler (heaptrack, valgrind massif)");
		ls_ps_add(out, max, &n, &one);
	}
	if (ls_ps_is_growing(p, LS_PS_SHMEM)) {
		ls_ps_size_growth(&one, p, LS_SUSPECT_SHMEM_GROWTH, LS_PS_SHMEM,
				  "RssShmem", "its shared mappings; ipcs -m");
		ls_ps_add(out, max, &n, &one);
	}
	if (ls_ps_is_growing(p, LS_PS_LOCKED)) {
		ls_ps_size_growth(&one, p, LS_SUSPECT_MLOCK_GROWTH, LS_PS_LOCKED,
				  "VmLck", "pair every mlock() with munlock()");
		ls_ps_add(out, max, &n, &one);
	}
	if (ls_ps_mapping_growth(p, n)) {
		ls_ps_mapping(&one, p);
		ls_ps_add(out, max, &n, &one);
	}
	return n;
}
