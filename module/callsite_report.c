// SPDX-License-Identifier: GPL-2.0
/*
 * The callsites history and report.  At each sample the tracker's table is
 * aggregated (ls_track_snapshot()) into one row per (class, call site,
 * stack, cgroup) with its estimated outstanding objects and bytes; each
 * row is a key of a keyed history, so a call site's trend, persistence and
 * verdict come from the same rule as a slab cache's.  The names (symbols,
 * cgroup paths) are made when the report is built, at the first read.
 */
#include <linux/err.h>
#include <linux/jhash.h>
#include <linux/kallsyms.h>
#include <linux/minmax.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/timekeeping.h>

#include "callsite_report.h"
#include "cgroup_path.h"
#include "kernel_report.h"
#include "kernel_rules.h"
#include "modtrack.h"
#include "self_mem.h"

enum { LS_CK_KB, LS_CK_OBJECTS, LS_CK_SAMPLES, LS_CK_NR };

int ls_callsite_history_init(struct ls_callsite_history *ch)
{
	int ret;

	memset(ch, 0, sizeof(*ch));
	ret = ls_kh_init(&ch->kh, LS_CK_NR);
	if (ret)
		return ret;
	ch->snap = ls_mem_calloc(LS_CALLSITES_MAX, sizeof(*ch->snap),
				 GFP_KERNEL);
	ch->sorted = ls_mem_calloc(LS_CALLSITES_MAX, sizeof(*ch->sorted),
				   GFP_KERNEL);
	ch->cur = ls_mem_calloc(LS_CALLSITES_MAX, sizeof(*ch->cur), GFP_KERNEL);
	ch->keys = ls_mem_calloc(LS_CALLSITES_MAX, sizeof(*ch->keys),
				 GFP_KERNEL);
	ch->keys_tmp = ls_mem_calloc(LS_CALLSITES_MAX, sizeof(*ch->keys_tmp),
				     GFP_KERNEL);
	if (!ch->snap || !ch->sorted || !ch->cur || !ch->keys ||
	    !ch->keys_tmp) {
		ls_callsite_history_free(ch);
		return -ENOMEM;
	}
	return 0;
}

void ls_callsite_history_free(struct ls_callsite_history *ch)
{
	ls_kh_free(&ch->kh);
	ls_mem_free(ch->snap);
	ls_mem_free(ch->sorted);
	ls_mem_free(ch->cur);
	ls_mem_free(ch->keys);
	ls_mem_free(ch->keys_tmp);
	memset(ch, 0, sizeof(*ch));
}

void ls_callsite_history_reset(struct ls_callsite_history *ch)
{
	ls_kh_reset(&ch->kh);
	ch->nr = 0;
	ch->capped = false;
}

/*
 * A row's identity.  Its site follows from its stack (or call site), so
 * (kind, cache, site, stack, cgroup) hashed is a key that two rows of one
 * sample share only by a 64-bit collision; those are summed, not lost.
 */
static u64 ls_row_key(const struct ls_track_row *row)
{
	u32 w[8];

	w[0] = row->kind;
	w[1] = row->stack_id;
	w[2] = lower_32_bits((unsigned long)row->cache);
	w[3] = upper_32_bits((unsigned long)row->cache);
	w[4] = lower_32_bits(row->site);
	w[5] = upper_32_bits(row->site);
	w[6] = lower_32_bits(row->cgroup_id);
	w[7] = upper_32_bits(row->cgroup_id);
	return (u64)jhash2(w, ARRAY_SIZE(w), 0x6c73) << 32 |
	       jhash2(w, ARRAY_SIZE(w), 0x6373);
}

void ls_callsite_history_sample(struct ls_callsite_history *ch, s64 t_ms,
				u32 window)
{
	struct ls_kh_sample *k;
	u32 nr = 0, i, n = 0;

	memset(&ch->stats, 0, sizeof(ch->stats));
	if (ls_track_snapshot(ch->snap, LS_CALLSITES_MAX, &nr, &ch->stats)) {
		/* Tracking off or out of memory: nothing is known, keep nothing. */
		ls_callsite_history_reset(ch);
		return;
	}
	ch->capped = ch->stats.rows > nr;
	for (i = 0; i < nr; i++) {
		ch->keys[i].key = ls_row_key(&ch->snap[i]);
		ch->keys[i].idx = i;
	}
	ls_keysort(ch->keys, ch->keys_tmp, nr);
	for (i = 0; i < nr; i++) {
		const struct ls_track_row *row = &ch->snap[ch->keys[i].idx];

		if (n && ch->cur[n - 1].key == ch->keys[i].key) {
			k = &ch->cur[n - 1];
			k->v[LS_CK_KB] += row->bytes >> 10;
			k->v[LS_CK_OBJECTS] += row->objects;
			k->v[LS_CK_SAMPLES] += row->samples;
			continue;
		}
		ch->sorted[n] = *row;
		k = &ch->cur[n++];
		memset(k, 0, sizeof(*k));
		k->key = ch->keys[i].key;
		strscpy(k->name, row->cache_name, sizeof(k->name));
		k->v[LS_CK_KB] = row->bytes >> 10;
		k->v[LS_CK_OBJECTS] = row->objects;
		k->v[LS_CK_SAMPLES] = row->samples;
		/* Which snapshot row: the report reads its ages and ids. */
		k->attr[0] = n - 1;
	}
	ch->nr = n;
	ls_kh_sample(&ch->kh, ch->cur, n, t_ms, window);
}

/* A site as one field; "-" when there is none. */
static void ls_site_field(char *dst, size_t len, unsigned long addr)
{
	if (addr)
		ls_symbol_field(dst, len, addr);
	else
		strscpy(dst, "-", len);
}

/*
 * A cgroup's v2 path, "irq" for an allocation made outside task context
 * (only a kernel with cgroups tells the two apart), or as
 * ls_cgroup_field() says.
 */
static void ls_site_cgroup(char *dst, size_t len, u64 id)
{
	if (IS_ENABLED(CONFIG_CGROUPS) && !id)
		strscpy(dst, "irq", len);
	else
		ls_cgroup_field(dst, len, id);
}

/* A site's name stays valid while no module comes or goes: keep it. */
struct ls_site_text {
	u64 gen;			/* ls_modtrack_gen() when it was named */
	unsigned long site;
	char text[LS_KR_NAME_LEN];
};

static void ls_site_label(struct ls_callsite_history *ch, u32 i,
			  struct ls_callsite_row *row, unsigned long site)
{
	struct ls_site_text **cache = (struct ls_site_text **)ls_kh_cache(&ch->kh, i);
	struct ls_site_text *c = cache ? *cache : NULL;
	u64 gen = ls_modtrack_gen();

	if (c && c->site == site && c->gen == gen) {
		strscpy(row->site, c->text, sizeof(row->site));
		return;
	}
	ls_site_field(row->site, sizeof(row->site), site);
	if (!cache)
		return;
	if (!c) {
		c = ls_mem_alloc(sizeof(*c), GFP_KERNEL);
		if (!c)
			return;
		*cache = c;
	}
	c->gen = gen;
	c->site = site;
	strscpy(c->text, row->site, sizeof(c->text));
}

static s64 ls_age_s(u64 now_ns, u64 then_ns)
{
	return then_ns && now_ns > then_ns ?
	       div_u64(now_ns - then_ns, NSEC_PER_SEC) : 0;
}

static void ls_fill_row(struct ls_callsite_history *ch, u32 i,
			struct ls_callsite_row *row, u64 now_ns)
{
	const struct ls_kh_sample *s = ls_kh_latest(&ch->kh, i, &row->samples);
	const struct ls_track_row *t = &ch->sorted[min_t(u64, s->attr[0],
							 ch->nr - 1)];
	struct ls_trend tr;

	ls_kh_trend(&ch->kh, i, LS_CK_KB, LS_SLAB_MIN_GROWTH_KB, &tr);
	ls_field_copy(row->cls, sizeof(row->cls), s->name);
	ls_site_label(ch, i, row, t->site);
	ls_site_cgroup(row->cgroup, sizeof(row->cgroup), t->cgroup_id);
	row->stack_id = t->stack_id;
	row->objects = s->v[LS_CK_OBJECTS];
	row->size_kb = s->v[LS_CK_KB];
	row->oldest_s = ls_age_s(now_ns, t->oldest_ns);
	row->median_s = ls_age_s(now_ns, t->median_ns);
	row->growth_kb = tr.growth;
	row->rate_kb_min = tr.rate_per_min;
	row->persistence_pct = tr.persistence_pct;
	row->verdict = ls_verdict_name(tr.verdict);
	row->growing = tr.verdict == LS_VERDICT_GROWING;
}

static int ls_cmp_row(const void *a, const void *b)
{
	const struct ls_callsite_row *x = a, *y = b;

	if (x->growth_kb != y->growth_kb)
		return x->growth_kb < y->growth_kb ? 1 : -1;
	if (x->size_kb != y->size_kb)
		return x->size_kb < y->size_kb ? 1 : -1;
	return strcmp(x->site, y->site);
}

struct ls_callsite_report *
ls_callsite_report_build(struct ls_callsite_history *ch)
{
	size_t size = array_size(ch->kh.nr, sizeof(struct ls_callsite_row));
	struct ls_callsite_report *r;
	u64 now_ns = ktime_get_ns();
	u32 i;

	r = ls_mem_zalloc(size_add(sizeof(*r), size), GFP_KERNEL);
	if (!r)
		return NULL;
	kref_init(&r->ref);
	r->rows = (struct ls_callsite_row *)(r + 1);
	r->nr = ch->nr ? ch->kh.nr : 0;
	r->capped = ch->capped || ch->kh.capped;
	for (i = 0; i < r->nr; i++)
		ls_fill_row(ch, i, &r->rows[i], now_ns);
	sort(r->rows, r->nr, sizeof(*r->rows), ls_cmp_row, NULL);
	return r;
}

static void ls_callsite_report_release(struct kref *ref)
{
	ls_mem_free(container_of(ref, struct ls_callsite_report, ref));
}

void ls_callsite_report_put(struct ls_callsite_report *r)
{
	if (r)
		kref_put(&r->ref, ls_callsite_report_release);
}

static bool ls_cls_in(const char *cls, const char *const *list, u32 nr)
{
	u32 i;

	for (i = 0; i < nr; i++)
		if (!strcmp(cls, list[i]))
			return true;
	return false;
}

/*
 * The top growing site among the rows of classes @list; @label names what
 * grew in the evidence, the next step the top site's class.
 */
static bool ls_callsite_explain_in(const struct ls_callsite_report *r,
				   const char *const *list, u32 nr,
				   const char *label, struct ls_suspect *s)
{
	const struct ls_callsite_row *top = NULL;
	s64 total = 0;
	char text[LS_EVIDENCE_LEN];
	u32 i;

	if (!r)
		return false;
	for (i = 0; i < r->nr; i++) {
		const struct ls_callsite_row *row = &r->rows[i];

		if (!ls_cls_in(row->cls, list, nr) || row->growth_kb <= 0)
			continue;
		total += row->growth_kb;
		/*
		 * Only a site whose own trend says growing explains growth.
		 * A site armed a moment ago counts every object it has in
		 * flight as growth since arming (objects waiting for an RCU
		 * grace period, a steady churn's live set): that rise
		 * levels off, and the trend rule never calls it growing.
		 */
		if (row->growing && (!top || row->growth_kb > top->growth_kb))
			top = row;
	}
	/*
	 * Sampled sites that grew by less than a tenth of the suspect's
	 * growth (a cache's, or Unaccounted's) do not explain it (objects
	 * held past their free, as KASAN's quarantine does, or allocated in
	 * bulk, which no event shows).
	 */
	if (!top || top->growth_kb * 10 < s->growth_kb)
		return false;
	snprintf(text, sizeof(text),
		 "%s: %lld%% of sampled outstanding growth from %s", label,
		 div64_s64(top->growth_kb * 100, total), top->site);
	ls_words_copy(s->evidence, sizeof(s->evidence), text);
	snprintf(text, sizeof(text), "leakscope callsites --cache %s",
		 top->cls);
	ls_words_copy(s->next, sizeof(s->next), text);
	return true;
}

bool ls_callsite_explain(const struct ls_callsite_report *r, const char *cls,
			 struct ls_suspect *s)
{
	return ls_callsite_explain_in(r, &cls, 1, cls, s);
}

bool ls_callsite_explain_unaccounted(const struct ls_callsite_report *r,
				     struct ls_suspect *s)
{
	static const char *const cls[] = {
		LS_TRACK_CLASS_PAGES, LS_TRACK_CLASS_PERCPU,
	};

	return ls_callsite_explain_in(r, cls, ARRAY_SIZE(cls), "Unaccounted",
				      s);
}
