/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fixtures of the pure library's tests, shared by the KUnit suites (this
 * directory, built into leakscope_kunit.ko) and the host unit tests
 * (selftests/unit, kselftest harness): the inputs both feed to suspects.c,
 * meminfo_rules.c and procs_rules.c, and the names both expect back.
 *
 * Data and builders only: no harness call, no allocation.  Kernel code
 * (checkpatch --strict, W=1 C=1) that also builds against libc through
 * ls_pure.h.
 */
#ifndef LS_FIXTURES_H
#define LS_FIXTURES_H

#include "kernel_rules.h"
#include "meminfo_rules.h"
#include "procs_rules.h"
#include "suspects.h"

/*
 * Each suite uses some of the tables below, and W=1 warns of an unused
 * one.  The host has no __maybe_unused, and its -Wall spares a header's.
 */
#ifndef __KERNEL__
#define __maybe_unused
#endif

/* --- noise */

/* Deterministic xorshift32 on *@state: the same "noise" on every run. */
static inline u32 ls_fx_rnd(u32 *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 17;
	*state ^= *state << 5;
	return *state;
}

/* Uniform in [-amp, amp] */
static inline s64 ls_fx_noise(u32 *state, s64 amp)
{
	return (s64)(ls_fx_rnd(state) % (u32)(2 * amp + 1)) - amp;
}

/* --- suspects */

/* ls_suspect_kind_name() of each kind, in enum order. */
static const char * const ls_fx_kind_names[] __maybe_unused = {
	"thread-stack-leak", "anon-growth", "shmem-growth",
	"mlock-growth", "slab-growth", "vmalloc-growth",
	"vmalloc-orphan", "unaccounted-growth", "thread-growth",
	"zombie-growth", "mapping-growth", "task-growth",
};

/* A suspect growing by @rate kB a minute (growth_kb too); evidence: @subject. */
static inline void ls_fx_suspect(struct ls_suspect *s, enum ls_suspect_kind kind,
				 const char *subject, s64 rate, u32 pct, u32 sev)
{
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	ls_field_copy(s->subject, sizeof(s->subject), subject);
	s->rate_kb_min = rate;
	s->growth_kb = rate;
	s->persistence_pct = pct;
	s->severity = sev;
	ls_field_copy(s->evidence, sizeof(s->evidence), subject);
}

/*
 * Five suspects of different scores, out of order: ranked, they read
 * meminfo:Shmem, pid:42:srv, mod:gone, pid:100:a, slab:kmalloc-64.
 */
static inline void ls_fx_rank_mix(struct ls_suspect s[5])
{
	ls_fx_suspect(&s[0], LS_SUSPECT_ANON_GROWTH, "pid:100:a", 100, 100, 1);
	ls_fx_suspect(&s[1], LS_SUSPECT_VMALLOC_ORPHAN, "mod:gone", 100, 100, 4);
	ls_fx_suspect(&s[2], LS_SUSPECT_SHMEM_GROWTH, "meminfo:Shmem", 40960, 96, 2);
	ls_fx_suspect(&s[3], LS_SUSPECT_SLAB_GROWTH, "slab:kmalloc-64", 0, 0, 3);
	ls_fx_suspect(&s[4], LS_SUSPECT_THREAD_STACK_LEAK, "pid:42:srv", 800, 100, 4);
}

/*
 * Six suspects of equal score: kind, then subject, then input order must
 * rank them.  The two "y" differ only in growth_kb (1, then 2).
 */
static inline void ls_fx_rank_ties(struct ls_suspect s[6])
{
	ls_fx_suspect(&s[0], LS_SUSPECT_SLAB_GROWTH, "b", 300, 100, 2);
	ls_fx_suspect(&s[1], LS_SUSPECT_ANON_GROWTH, "z", 300, 100, 2);
	ls_fx_suspect(&s[2], LS_SUSPECT_SLAB_GROWTH, "a", 300, 100, 2);
	ls_fx_suspect(&s[3], LS_SUSPECT_THREAD_STACK_LEAK, "m", 600, 100, 1);
	ls_fx_suspect(&s[4], LS_SUSPECT_ANON_GROWTH, "y", 200, 100, 3);
	ls_fx_suspect(&s[5], LS_SUSPECT_ANON_GROWTH, "y", 300, 100, 2);
	s[4].growth_kb = 1;
	s[5].growth_kb = 2;
}

/* --- meminfo */

/* The /proc/meminfo name of each item, in enum order. */
static const char * const ls_fx_mi_names[LS_MI_NR] __maybe_unused = {
	"Active(anon)", "Inactive(anon)", "AnonPages", "Mapped",
	"Shmem", "Unevictable", "Mlocked", "Slab", "SReclaimable",
	"SUnreclaim", "VmallocUsed", "KernelStack", "PageTables",
	"Unaccounted", "leakscope",
};

/* Every item valid and steady over 31 samples. */
static inline void ls_fx_mi_steady(struct ls_mi_row *rows)
{
	int i;

	memset(rows, 0, sizeof(*rows) * LS_MI_NR);
	for (i = 0; i < LS_MI_NR; i++) {
		rows[i].valid = true;
		rows[i].trend.n = 31;
		rows[i].trend.verdict = LS_VERDICT_STEADY;
	}
}

/* @item growing by @growth kB in 30 s, rising in 29 of 30 intervals. */
static inline void ls_fx_mi_mark(struct ls_mi_row *rows, enum ls_mi_item item,
				 s64 growth)
{
	rows[item].valid = true;
	rows[item].now_kb = 100000 + growth;
	rows[item].trend.n = 31;
	rows[item].trend.growth = growth;
	rows[item].trend.rate_per_min = growth * 2;
	rows[item].trend.span_ms = 30000;
	rows[item].trend.rises = 29;
	rows[item].trend.persistence_pct = 96;
	rows[item].trend.verdict = LS_VERDICT_GROWING;
}

/* --- procs */

/* A process sampled 31 times over 30 s in which nothing moves. */
static inline void ls_fx_ps_flat(struct ls_ps_view *p, s32 pid, const char *comm)
{
	int s;

	memset(p, 0, sizeof(*p));
	p->pid = pid;
	snprintf(p->comm, sizeof(p->comm), "%s", comm);
	for (s = 0; s < LS_PS_NR; s++) {
		p->trend[s].n = 31;
		p->trend[s].span_ms = 30000;
		p->trend[s].verdict = LS_VERDICT_STEADY;
	}
	p->now[LS_PS_THREADS] = 1;
	p->heap_kb = 132;
	p->anon_regions = 5;
}

/* Series @s grows by @growth at @rate a minute, rising in @rises intervals. */
static inline void ls_fx_ps_grow(struct ls_ps_view *p, enum ls_ps_series s,
				 s64 growth, s64 rate, u32 rises)
{
	struct ls_trend *t = &p->trend[s];

	t->first = p->now[s];
	p->now[s] += growth;
	t->last = p->now[s];
	t->growth = growth;
	t->rate_per_min = rate;
	t->rises = rises;
	t->persistence_pct = rises * 100 / (t->n - 1);
	t->peak_rise = growth;		/* still climbing */
	t->verdict = LS_VERDICT_GROWING;
}

/*
 * The spec's example, pid 4242 "leaky": 27 stacks of 252 kB in 8 s,
 * 1 thread, 29 orphans.
 */
static inline void ls_fx_ps_stack_leaker(struct ls_ps_view *p)
{
	ls_fx_ps_flat(p, 4242, "leaky");
	p->trend[LS_PS_ORPHANS].n = 17;
	p->trend[LS_PS_ORPHANS].span_ms = 8000;
	p->now[LS_PS_ORPHANS] = 2;
	ls_fx_ps_grow(p, LS_PS_ORPHANS, 27, 202, 16);
	p->orphan_kb = 29 * 252;
	p->stack_kb = 252;
}

/* --- vmalloc callers and slab caches */

/*
 * The kernel rules' trends written by hand, as ls_trend_compute() would
 * leave them: a series sampled 15 times over 7 s that did not move ...
 */
static inline void ls_fx_kr_steady(struct ls_trend *t, s64 value)
{
	memset(t, 0, sizeof(*t));
	t->n = 15;
	t->span_ms = 7000;
	t->first = value;
	t->last = value;
	t->min = value;
	t->max = value;
	t->verdict = LS_VERDICT_STEADY;
}

/* ... and the same series rising by @growth, in @rises of 14 intervals. */
static inline void ls_fx_kr_growing(struct ls_trend *t, s64 first, s64 growth,
				    s64 rate, u32 rises)
{
	ls_fx_kr_steady(t, first);
	t->last = first + growth;
	t->max = first + growth;
	t->growth = growth;
	t->rate_per_min = rate;
	t->rises = rises;
	t->persistence_pct = rises * 100 / (t->n - 1);
	t->verdict = LS_VERDICT_GROWING;
}

/* A caller holding @areas areas, @size_kb in all, steady; @module: "" */
static inline void ls_fx_vm_view(struct ls_vmalloc_view *v, const char *caller,
				 const char *module, s64 areas, s64 size_kb)
{
	memset(v, 0, sizeof(*v));
	snprintf(v->caller, sizeof(v->caller), "%s", caller);
	snprintf(v->module, sizeof(v->module), "%s", module);
	v->areas = areas;
	v->size_kb = size_kb;
	ls_fx_kr_steady(&v->size, size_kb);
}

/*
 * A cache of 512-byte objects, 4096 active, grown by @growth_kb (two
 * objects a kB) in @rises of 14 intervals.
 */
static inline void ls_fx_slab_view(struct ls_slab_view *s, const char *name,
				   bool reclaimable, s64 growth_kb, u32 rises)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->name, sizeof(s->name), "%s", name);
	s->reclaimable = reclaimable;
	s->object_size = 512;
	s->active_objs = 4096;
	s->size_kb = 2080 + growth_kb;
	ls_fx_kr_growing(&s->size, 2080, growth_kb, growth_kb * 60 / 7, rises);
	ls_fx_kr_growing(&s->objs, 4096 - growth_kb * 2, growth_kb * 2, 0, rises);
}

#endif /* LS_FIXTURES_H */
