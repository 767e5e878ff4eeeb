// SPDX-License-Identifier: GPL-2.0
/*
 * The cgroup rules.  A service that keeps adding workers which each hold
 * memory, or whose workers are replaced before any one of them has lived
 * long enough to be judged, leaks with no process growing: only the sum
 * over the cgroup does.  Growth a process in the cgroup is already named
 * for is left to that process.  Pure: no allocation, no locks.
 */
#include "cgroups_rules.h"

const s64 ls_cg_min_growth[LS_CG_NR] = {
	[LS_CG_PROCS] = 3,
	[LS_CG_ANON] = 1024,
	[LS_CG_SHMEM] = 1024,
	[LS_CG_LOCKED] = 256,
};

static bool ls_cg_is_growing(const struct ls_cg_view *c, enum ls_cg_series s)
{
	return c->trend[s].n && c->trend[s].verdict == LS_VERDICT_GROWING;
}

/* Process kinds that already name a cgroup's growth of kind @kind. */
static u32 ls_cg_named_by(enum ls_suspect_kind kind)
{
	switch (kind) {
	case LS_SUSPECT_ANON_GROWTH:
		/* Locked pages, new threads' stacks and mappings are anon. */
		return BIT(LS_SUSPECT_ANON_GROWTH) |
		       BIT(LS_SUSPECT_MLOCK_GROWTH) |
		       BIT(LS_SUSPECT_THREAD_GROWTH) |
		       BIT(LS_SUSPECT_THREAD_STACK_LEAK) |
		       BIT(LS_SUSPECT_MAPPING_GROWTH);
	case LS_SUSPECT_SHMEM_GROWTH:
		return BIT(LS_SUSPECT_SHMEM_GROWTH);
	case LS_SUSPECT_MLOCK_GROWTH:
		return BIT(LS_SUSPECT_MLOCK_GROWTH);
	default:
		/* No process is named for the number of processes. */
		return 0;
	}
}

static void ls_cg_fill(struct ls_suspect *s, const struct ls_cg_view *c,
		       enum ls_suspect_kind kind, enum ls_cg_series series,
		       const char *what, u32 severity)
{
	const struct ls_trend *t = &c->trend[series];
	const struct ls_trend *procs = &c->trend[LS_CG_PROCS];
	char text[LS_EVIDENCE_LEN];

	memset(s, 0, sizeof(*s));
	s->kind = kind;
	snprintf(text, sizeof(text), "cgroup:%s", c->path);
	ls_field_copy(s->subject, sizeof(s->subject), text);
	s->growth_kb = t->growth;
	s->rate_kb_min = t->rate_per_min;
	s->persistence_pct = t->persistence_pct;
	s->severity = severity;
	snprintf(text, sizeof(text),
		 "%s +%lld kB in %lld s over its %lld processes (%+lld), rising in %u of %u intervals, no process in it named",
		 what, (long long)t->growth, (long long)(t->span_ms / 1000),
		 (long long)procs->last, (long long)procs->growth, t->rises,
		 t->n ? t->n - 1 : 0);
	ls_words_copy(s->evidence, sizeof(s->evidence), text);
	snprintf(text, sizeof(text), "leakscope procs --cgroup %s", c->path);
	ls_words_copy(s->next, sizeof(s->next), text);
}

/*
 * The number of processes grows, and with it every sum over them: the
 * memory each new one holds, and what they share (a file on tmpfs, a
 * SysV segment), counted once per process that maps it.  Named once, as
 * the processes, their memory the evidence.
 */
static void ls_cg_task_growth(struct ls_suspect *s, const struct ls_cg_view *c)
{
	const struct ls_trend *procs = &c->trend[LS_CG_PROCS];
	char text[LS_EVIDENCE_LEN];

	ls_cg_fill(s, c, LS_SUSPECT_TASK_GROWTH, LS_CG_ANON, "anon", 2);
	s->persistence_pct = procs->persistence_pct;
	snprintf(text, sizeof(text),
		 "+%lld processes in %lld s, now %lld, rising in %u of %u intervals; anon %+lld kB, shmem %+lld kB, locked %+lld kB",
		 (long long)procs->growth, (long long)(procs->span_ms / 1000),
		 (long long)procs->last, procs->rises,
		 procs->n ? procs->n - 1 : 0,
		 (long long)c->trend[LS_CG_ANON].growth,
		 (long long)c->trend[LS_CG_SHMEM].growth,
		 (long long)c->trend[LS_CG_LOCKED].growth);
	ls_words_copy(s->evidence, sizeof(s->evidence), text);
}

static bool ls_cg_unnamed(const struct ls_cg_view *c, enum ls_cg_series s,
			  enum ls_suspect_kind kind)
{
	return ls_cg_is_growing(c, s) &&
	       c->trend[LS_CG_PROCS].growth <= 0 &&
	       !(c->proc_kinds & ls_cg_named_by(kind));
}

/* Where suspect number @n goes: @out, or @tmp once @out is full. */
static struct ls_suspect *ls_cg_slot(struct ls_suspect *out, u32 max, u32 n,
				     struct ls_suspect *tmp)
{
	return n < max ? &out[n] : tmp;
}

u32 ls_cg_suspects(const struct ls_cg_view *c, struct ls_suspect *out,
		   u32 max)
{
	struct ls_suspect tmp;
	u32 n = 0;

	if (ls_cg_is_growing(c, LS_CG_PROCS)) {
		ls_cg_task_growth(ls_cg_slot(out, max, n++, &tmp), c);
		return n;
	}
	if (ls_cg_unnamed(c, LS_CG_ANON, LS_SUSPECT_ANON_GROWTH))
		ls_cg_fill(ls_cg_slot(out, max, n++, &tmp), c,
			   LS_SUSPECT_ANON_GROWTH, LS_CG_ANON, "anon", 2);
	if (ls_cg_unnamed(c, LS_CG_SHMEM, LS_SUSPECT_SHMEM_GROWTH))
		ls_cg_fill(ls_cg_slot(out, max, n++, &tmp), c,
			   LS_SUSPECT_SHMEM_GROWTH, LS_CG_SHMEM, "shmem", 2);
	if (ls_cg_unnamed(c, LS_CG_LOCKED, LS_SUSPECT_MLOCK_GROWTH))
		ls_cg_fill(ls_cg_slot(out, max, n++, &tmp), c,
			   LS_SUSPECT_MLOCK_GROWTH, LS_CG_LOCKED, "locked", 3);
	return n;
}

enum ls_verdict ls_cg_verdict(const struct ls_cg_view *c)
{
	int s;

	if (!c->trend[LS_CG_ANON].n ||
	    c->trend[LS_CG_ANON].verdict == LS_VERDICT_COLLECTING)
		return LS_VERDICT_COLLECTING;
	for (s = 0; s < LS_CG_NR; s++)
		if (ls_cg_is_growing(c, s))
			return LS_VERDICT_GROWING;
	return LS_VERDICT_STEADY;
}
