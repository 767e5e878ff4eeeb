// SPDX-License-Identifier: GPL-2.0
/*
 * vmalloc and slab suspects.
 *
 * /proc/vmallocinfo grouped by caller is what a person would do by hand;
 * what they cannot see is an area whose caller lies in the text of a
 * module that has since been unloaded: %pS no longer resolves it, so
 * grepping for the driver's name finds nothing.  leakscope keeps the text
 * ranges of modules as they come and go and names the module.
 */
#include "kernel_rules.h"

/* Room for every word before ls_field_copy() cuts it to the field. */
#define LS_KR_TEXT_LEN		320
#define LS_KR_SUBJECT_LEN	(LS_KR_NAME_LEN + 16)

s64 ls_slab_min_growth(bool reclaimable)
{
	return reclaimable ? LS_SLAB_RECLAIMABLE_MIN_GROWTH_KB
			   : LS_SLAB_MIN_GROWTH_KB;
}

static void ls_kr_add(struct ls_suspect *out, u32 max, u32 *n,
		      const struct ls_suspect *one)
{
	if (*n < max)
		out[*n] = *one;
	(*n)++;
}

static void ls_kr_fill(struct ls_suspect *s, enum ls_suspect_kind kind,
		       const char *subject, const struct ls_trend *t,
		       u32 severity)
{
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	ls_field_copy(s->subject, sizeof(s->subject), subject);
	s->growth_kb = t->growth;
	s->rate_kb_min = t->rate_per_min;
	s->persistence_pct = t->persistence_pct;
	s->severity = severity;
}

u32 ls_vmalloc_suspects(const struct ls_vmalloc_view *v,
			struct ls_suspect *out, u32 max)
{
	char text[LS_KR_TEXT_LEN], subject[LS_KR_SUBJECT_LEN];
	struct ls_suspect one;
	u32 n = 0;

	if (v->module[0] && v->areas > 0) {
		snprintf(subject, sizeof(subject), "module:%s", v->module);
		ls_kr_fill(&one, LS_SUSPECT_VMALLOC_ORPHAN, subject, &v->size, 4);
		/* All of it is leaked: rank by what it holds, not its pace. */
		one.growth_kb = v->size_kb;
		snprintf(text, sizeof(text),
			 "%lld areas, %lld kB left by unloaded module %s (caller %s)",
			 (long long)v->areas, (long long)v->size_kb, v->module,
			 v->caller);
		ls_words_copy(one.evidence, sizeof(one.evidence), text);
		snprintf(text, sizeof(text),
			 "the %s driver's exit path: vfree what it allocated",
			 v->module);
		ls_words_copy(one.next, sizeof(one.next), text);
		ls_kr_add(out, max, &n, &one);
		return n;
	}
	if (v->size.n && v->size.verdict == LS_VERDICT_GROWING) {
		snprintf(subject, sizeof(subject), "vmalloc:%s", v->caller);
		ls_kr_fill(&one, LS_SUSPECT_VMALLOC_GROWTH, subject, &v->size, 3);
		snprintf(text, sizeof(text),
			 "+%lld kB in %lld s, %lld areas now (%lld kB), rising in %u of %u intervals",
			 (long long)v->size.growth,
			 (long long)(v->size.span_ms / 1000),
			 (long long)v->areas, (long long)v->size_kb,
			 v->size.rises, v->size.n ? v->size.n - 1 : 0);
		ls_words_copy(one.evidence, sizeof(one.evidence), text);
		ls_words_copy(one.next, sizeof(one.next),
			      "leakscope vmalloc: who calls it, and its vfree path");
		ls_kr_add(out, max, &n, &one);
	}
	return n;
}

u32 ls_vmalloc_pending(const struct ls_vmalloc_view *v)
{
	return !v->module[0] &&
	       ls_trend_pending(&v->size, LS_VMALLOC_MIN_GROWTH_KB) ?
	       1U << LS_SUSPECT_VMALLOC_GROWTH : 0;
}

u32 ls_slab_pending(const struct ls_slab_view *v)
{
	return ls_trend_pending(&v->size, ls_slab_min_growth(v->reclaimable)) ?
	       1U << LS_SUSPECT_SLAB_GROWTH : 0;
}

u32 ls_slab_suspects(const struct ls_slab_view *v, struct ls_suspect *out,
		     u32 max)
{
	char text[LS_KR_TEXT_LEN], subject[LS_KR_SUBJECT_LEN];
	struct ls_suspect one;
	u32 n = 0;

	if (!v->size.n || v->size.verdict != LS_VERDICT_GROWING)
		return 0;
	if (v->reclaimable &&
	    v->size.persistence_pct < LS_SLAB_RECLAIMABLE_MIN_PERSIST_PCT)
		return 0;
	snprintf(subject, sizeof(subject), "slab:%s", v->name);
	ls_kr_fill(&one, LS_SUSPECT_SLAB_GROWTH, subject, &v->size,
		   v->reclaimable ? 1 : 3);
	snprintf(text, sizeof(text),
		 "+%lld objects (+%lld kB) in %lld s, %lld active of %u bytes, %s",
		 (long long)v->objs.growth, (long long)v->size.growth,
		 (long long)(v->size.span_ms / 1000),
		 (long long)v->active_objs, v->object_size,
		 v->reclaimable ? "reclaimable: check it survives drop caches"
				: "unreclaimable");
	ls_words_copy(one.evidence, sizeof(one.evidence), text);
	ls_words_copy(one.next, sizeof(one.next),
		      "who allocates from it: the cache's owner, or slub debug alloc traces");
	ls_kr_add(out, max, &n, &one);
	return n;
}
