// SPDX-License-Identifier: GPL-2.0
/*
 * vmalloc callers and slab caches: from the walkers' records to keyed
 * histories (one sample each time), and from those to the report the
 * vmalloc and slab files print and to their suspects.
 *
 * Callers are named when the report is built, not when an area is seen:
 * a module unloaded since is then found by the module tracker, and its
 * areas are reported as that module's orphans.
 */
#include <linux/hash.h>
#include <linux/kallsyms.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "kernel_report.h"
#include "modtrack.h"
#include "self_mem.h"
#include "track.h"

/* Values of a vmalloc caller's samples, and of a slab cache's. */
enum { LS_VK_AREAS, LS_VK_SIZE_KB, LS_VK_PAGES, LS_VK_NR };
enum { LS_SK_ACTIVE, LS_SK_TOTAL, LS_SK_SIZE_KB, LS_SK_NR };

int ls_kernel_history_init(struct ls_kernel_history *kh)
{
	int ret;

	memset(kh, 0, sizeof(*kh));
	kh->caches = ls_mem_calloc(LS_SLAB_CACHES_MAX, sizeof(*kh->caches),
				   GFP_KERNEL);
	kh->cur = ls_mem_calloc(LS_KH_MAX, sizeof(*kh->cur), GFP_KERNEL);
	kh->vm_slots = ls_mem_calloc(LS_VM_SLOTS, sizeof(*kh->vm_slots),
				     GFP_KERNEL);
	if (!kh->caches || !kh->cur || !kh->vm_slots) {
		ret = -ENOMEM;
		goto fail;
	}
	ret = ls_kh_init(&kh->vmalloc, LS_VK_NR);
	if (ret)
		goto fail;
	ret = ls_kh_init(&kh->slab, LS_SK_NR);
	if (ret)
		goto fail;
	return 0;
fail:
	ls_kernel_history_free(kh);
	return ret;
}

void ls_kernel_history_free(struct ls_kernel_history *kh)
{
	ls_vmalloc_snap_free(&kh->snap);
	ls_slab_walk_free(&kh->slab_walk);
	ls_mem_free(kh->keys);
	ls_mem_free(kh->keys_tmp);
	ls_mem_free(kh->caches);
	ls_mem_free(kh->cur);
	ls_mem_free(kh->vm_slots);
	ls_kh_free(&kh->vmalloc);
	ls_kh_free(&kh->slab);
	memset(kh, 0, sizeof(*kh));
}

void ls_kernel_history_reset(struct ls_kernel_history *kh)
{
	ls_kh_reset(&kh->vmalloc);
	ls_kh_reset(&kh->slab);
}

static u32 ls_vm_kind(unsigned long flags)
{
	if (flags & VM_ALLOC)
		return LS_VMK_VMALLOC;
	if (flags & VM_IOREMAP)
		return LS_VMK_IOREMAP;
	if (flags & VM_MAP)
		return LS_VMK_VMAP;
	if (flags & VM_DMA_COHERENT)
		return LS_VMK_DMA;
	return LS_VMK_OTHER;
}

void ls_vmalloc_kinds(char *buf, size_t len, u32 kinds)
{
	static const char * const names[] = {
		"vmalloc", "vmap", "ioremap", "user", "dma-coherent", "other",
	};
	size_t used = 0;
	u32 i;

	buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(names) && used < len; i++)
		if (kinds & (1U << i))
			used += scnprintf(buf + used, len - used, "%s%s",
					  used ? "," : "", names[i]);
	if (!used)
		strscpy(buf, "-", len);
}

/* Sort scratch for @n records; grown like the snapshot, never shrunk. */
static int ls_sort_scratch(struct ls_kernel_history *kh, u32 n)
{
	struct ls_key *keys, *tmp;

	if (n <= kh->keys_cap)
		return 0;
	keys = ls_mem_array(n, sizeof(*keys), GFP_KERNEL);
	tmp = ls_mem_array(n, sizeof(*tmp), GFP_KERNEL);
	if (!keys || !tmp) {
		ls_mem_free(keys);
		ls_mem_free(tmp);
		return -ENOMEM;
	}
	ls_mem_free(kh->keys);
	ls_mem_free(kh->keys_tmp);
	kh->keys = keys;
	kh->keys_tmp = tmp;
	kh->keys_cap = n;
	return 0;
}

/*
 * The slot of @caller in the callers table: where its record's index
 * (plus one) is, or the empty slot it would take.  @cur[0..) are the
 * records, keyed by caller.
 */
static u32 ls_vm_slot(const struct ls_kernel_history *kh,
		      const struct ls_kh_sample *cur, unsigned long caller)
{
	u32 slot = hash_long(caller, LS_VM_SLOTS_BITS);

	while (kh->vm_slots[slot] && cur[kh->vm_slots[slot] - 1].key != caller)
		slot = (slot + 1) & (LS_VM_SLOTS - 1);
	return slot;
}

/*
 * Put @cur[0..@n) in key order: the record of keys[i].idx goes to i,
 * following each cycle of the permutation once.
 */
static void ls_vm_permute(struct ls_kernel_history *kh,
			  struct ls_kh_sample *cur, u32 n)
{
	struct ls_kh_sample hold;
	u32 i, to, from;

	for (i = 0; i < n; i++) {
		if (kh->keys[i].idx == i)
			continue;
		hold = cur[i];
		to = i;
		while ((from = kh->keys[to].idx) != i) {
			cur[to] = cur[from];
			kh->keys[to].idx = to;
			to = from;
		}
		cur[to] = hold;
		kh->keys[to].idx = to;
	}
}

/*
 * One record per caller: areas, size, pages, and the kinds seen.  Returns
 * the number of callers, or -ENOMEM (no sample this time).
 *
 * Areas are many (every process's kernel stack is one) and callers few:
 * each area finds its caller's record through an open-addressed table,
 * and only the callers are sorted, not the areas.
 */
static int ls_vmalloc_aggregate(struct ls_kernel_history *kh)
{
	const struct ls_vmalloc_snap *s = &kh->snap;
	struct ls_kh_sample *cur = kh->cur;
	u32 i, slot, n = 0;

	BUILD_BUG_ON(LS_VM_SLOTS < 2 * LS_KH_MAX);
	for (i = 0; i < s->nr; i++) {
		const struct ls_vm_area *a = &s->a[i];
		struct ls_kh_sample *c;

		slot = ls_vm_slot(kh, cur, a->caller);
		if (kh->vm_slots[slot]) {
			c = &cur[kh->vm_slots[slot] - 1];
		} else {
			if (n == LS_KH_MAX) {
				kh->vmalloc_truncated = true;
				continue;
			}
			c = &cur[n++];
			memset(c, 0, sizeof(*c));
			c->key = a->caller;
			kh->vm_slots[slot] = n;
		}
		c->v[LS_VK_AREAS]++;
		c->v[LS_VK_SIZE_KB] += a->size >> 10;
		c->v[LS_VK_PAGES] += a->nr_pages;
		c->attr[0] |= ls_vm_kind(a->flags) |
			(a->flags & VM_USERMAP ? LS_VMK_USER : 0);
	}
	/*
	 * Empty the table for the next sample, only the slots taken, the
	 * newest first: the probe chain that led to each is intact then.
	 */
	for (i = n; i-- > 0;)
		kh->vm_slots[ls_vm_slot(kh, cur, cur[i].key)] = 0;
	if (ls_sort_scratch(kh, n))
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		kh->keys[i].key = cur[i].key;
		kh->keys[i].idx = i;
	}
	ls_keysort(kh->keys, kh->keys_tmp, n);
	ls_vm_permute(kh, cur, n);
	return n;
}

/* FNV-1a: a stable key for a cache name. */
static u64 ls_name_key(const char *name)
{
	u64 h = 0xcbf29ce484222325ULL;

	while (*name)
		h = (h ^ (u8)*name++) * 0x100000001b3ULL;
	return h;
}

/*
 * One record per cache name; same-named caches are counted together.
 * Returns the number of records, or -ENOMEM (no sample this time).
 */
static int ls_slab_aggregate(struct ls_kernel_history *kh, u32 nr)
{
	struct ls_kh_sample *cur = kh->cur;
	u32 i, n = 0;

	/* The key of the name as recorded: the walker's is never cut here. */
	BUILD_BUG_ON(sizeof(kh->caches->name) > sizeof(cur->name));
	nr = min_t(u32, nr, LS_KH_MAX);
	if (ls_sort_scratch(kh, nr))
		return -ENOMEM;
	for (i = 0; i < nr; i++) {
		kh->keys[i].key = ls_name_key(kh->caches[i].name);
		kh->keys[i].idx = i;
	}
	ls_keysort(kh->keys, kh->keys_tmp, nr);
	for (i = 0; i < nr; i++) {
		const struct ls_slab_cache *c = &kh->caches[kh->keys[i].idx];
		struct ls_kh_sample *k = &cur[n];

		if (n && cur[n - 1].key == kh->keys[i].key) {
			k = &cur[n - 1];
			k->v[LS_SK_ACTIVE] += c->active_objs;
			k->v[LS_SK_TOTAL] += c->total_objs;
			k->v[LS_SK_SIZE_KB] += (s64)(c->total_objs * c->size) >> 10;
			/* Their slabs too, beside the reclaimable bit. */
			k->attr[1] += c->slabs << 1;
			continue;
		}
		memset(k, 0, sizeof(*k));
		strscpy(k->name, c->name, sizeof(k->name));
		k->key = kh->keys[i].key;
		k->v[LS_SK_ACTIVE] = c->active_objs;
		k->v[LS_SK_TOTAL] = c->total_objs;
		k->v[LS_SK_SIZE_KB] = (s64)(c->total_objs * c->size) >> 10;
		k->attr[0] = (u64)c->object_size | (u64)c->size << 32;
		k->attr[1] = c->reclaimable | (c->slabs << 1);
		n++;
	}
	return n;
}

void ls_kernel_history_sample(struct ls_kernel_history *kh, s64 t_ms,
			      u32 window)
{
	bool truncated = false;
	u32 nr = 0;
	int n;

	kh->vmalloc_truncated = false;
	if (ls_vmalloc_enabled() && !ls_vmalloc_walk(&kh->snap)) {
		kh->vmalloc_truncated = kh->snap.truncated;
		n = ls_vmalloc_aggregate(kh);
		if (n >= 0)
			ls_kh_sample(&kh->vmalloc, kh->cur, n, t_ms, window);
	}
	if (ls_slab_enabled() &&
	    !ls_slab_walk(&kh->slab_walk, kh->caches, LS_SLAB_CACHES_MAX, &nr,
			  &truncated)) {
		kh->slab_truncated = truncated;
		n = ls_slab_aggregate(kh, nr);
		if (n >= 0)
			ls_kh_sample(&kh->slab, kh->cur, n, t_ms, window);
	}
}

void ls_symbol_field(char *dst, size_t len, unsigned long addr)
{
	char buf[KSYM_SYMBOL_LEN], *sp;

	sprint_symbol(buf, addr);
	if (!strncmp(buf, "0x", 2))
		snprintf(buf, sizeof(buf), "unknown:%p", (void *)addr);
	/* "func+0x16/0x70 [mod]" is one field: "func+0x16/0x70[mod]" */
	sp = strstr(buf, " [");
	if (sp)
		memmove(sp, sp + 1, strlen(sp));
	ls_field_copy(dst, len, buf);
}

/*
 * A caller's name: the module it was left by (when unloaded), else its
 * symbol, else a hashed pointer, never a raw kernel address.
 */
static void ls_caller_name(struct ls_vmalloc_row *row, unsigned long caller)
{
	char buf[KSYM_SYMBOL_LEN];
	unsigned long off;

	if (ls_modtrack_orphan(caller, row->module, sizeof(row->module),
			       &off)) {
		snprintf(buf, sizeof(buf), "%s+0x%lx[unloaded]", row->module,
			 off);
		ls_field_copy(row->caller, sizeof(row->caller), buf);
	} else {
		ls_symbol_field(row->caller, sizeof(row->caller), caller);
	}
}

/* A vmalloc caller's name as last given, kept with its history. */
struct ls_caller_text {
	u64 gen;			/* ls_modtrack_gen() when it was named */
	char caller[LS_KR_NAME_LEN];
	char module[LS_KR_NAME_LEN];
};

/*
 * sprint_symbol() searches kallsyms: hundreds of callers named at every
 * sample add up.  A caller keeps its name until a module comes or goes
 * (without memory to keep it, it is named every time).
 */
static void ls_caller_label(struct ls_kernel_history *kh, u32 i,
			    struct ls_vmalloc_row *row, unsigned long caller)
{
	void **cache = ls_kh_cache(&kh->vmalloc, i);
	struct ls_caller_text *c = *cache;
	u64 gen = ls_modtrack_gen();

	if (c && c->gen == gen) {
		strscpy(row->caller, c->caller, sizeof(row->caller));
		strscpy(row->module, c->module, sizeof(row->module));
		return;
	}
	ls_caller_name(row, caller);
	if (!c) {
		c = ls_mem_alloc(sizeof(*c), GFP_KERNEL);
		if (!c)
			return;
		*cache = c;
	}
	strscpy(c->caller, row->caller, sizeof(c->caller));
	strscpy(c->module, row->module, sizeof(c->module));
	c->gen = gen;
}

static void ls_fill_vmalloc(struct ls_kernel_history *kh, u32 i,
			    struct ls_vmalloc_row *row,
			    struct ls_vmalloc_view *view)
{
	const struct ls_kh_sample *s = ls_kh_latest(&kh->vmalloc, i,
						     &row->samples);
	struct ls_trend t;

	ls_kh_trend(&kh->vmalloc, i, LS_VK_SIZE_KB, LS_VMALLOC_MIN_GROWTH_KB,
		    &t);
	ls_caller_label(kh, i, row, s->key);
	row->kinds = s->attr[0];
	row->areas = s->v[LS_VK_AREAS];
	row->size_kb = s->v[LS_VK_SIZE_KB];
	row->pages = s->v[LS_VK_PAGES];
	row->growth_kb = t.growth;
	row->rate_kb_min = t.rate_per_min;
	row->persistence_pct = t.persistence_pct;
	row->verdict = row->module[0] ? "orphan" : ls_verdict_name(t.verdict);

	memset(view, 0, sizeof(*view));
	strscpy(view->caller, row->caller, sizeof(view->caller));
	strscpy(view->module, row->module, sizeof(view->module));
	view->areas = row->areas;
	view->size_kb = row->size_kb;
	view->size = t;
}

static void ls_fill_slab(struct ls_kernel_history *kh, u32 i,
			 struct ls_slab_row *row, struct ls_slab_view *view)
{
	const struct ls_kh_sample *s = ls_kh_latest(&kh->slab, i,
						     &row->samples);
	bool reclaimable = s->attr[1] & 1;
	struct ls_trend t, objs;

	ls_kh_trend(&kh->slab, i, LS_SK_SIZE_KB,
		    ls_slab_min_growth(reclaimable), &t);
	/* Objects only tell a growing cache's story. */
	memset(&objs, 0, sizeof(objs));
	if (t.verdict == LS_VERDICT_GROWING)
		ls_kh_trend(&kh->slab, i, LS_SK_ACTIVE, 1, &objs);
	ls_field_copy(row->name, sizeof(row->name), s->name);
	row->object_size = (u32)s->attr[0];
	row->size = (u32)(s->attr[0] >> 32);
	row->reclaimable = reclaimable;
	row->slabs = s->attr[1] >> 1;
	row->active_objs = s->v[LS_SK_ACTIVE];
	row->total_objs = s->v[LS_SK_TOTAL];
	row->size_kb = s->v[LS_SK_SIZE_KB];
	row->growth_kb = t.growth;
	row->rate_kb_min = t.rate_per_min;
	row->persistence_pct = t.persistence_pct;
	row->verdict = ls_verdict_name(t.verdict);

	memset(view, 0, sizeof(*view));
	strscpy(view->name, row->name, sizeof(view->name));
	view->reclaimable = reclaimable;
	view->object_size = row->object_size;
	view->active_objs = row->active_objs;
	view->size_kb = row->size_kb;
	view->size = t;
	view->objs = objs;
}

static int ls_cmp_vrow(const void *a, const void *b)
{
	const struct ls_vmalloc_row *x = a, *y = b;

	/* Orphans first: nothing will ever free them. */
	if (!!x->module[0] != !!y->module[0])
		return x->module[0] ? -1 : 1;
	if (x->growth_kb != y->growth_kb)
		return x->growth_kb > y->growth_kb ? -1 : 1;
	return x->size_kb > y->size_kb ? -1 : x->size_kb < y->size_kb;
}

#define LS_SLAB_ROW_FMT \
	"%-24s %7u %7u %11lld %11lld %8lld %10lld %-11s %10lld %12lld %11u %s\n"

int ls_slab_row_format(char *buf, size_t len, const struct ls_slab_row *s)
{
	return scnprintf(buf, len, LS_SLAB_ROW_FMT,
			 s->name, s->object_size, s->size, s->active_objs,
			 s->total_objs, s->slabs, s->size_kb,
			 s->reclaimable ? "yes" : "no", s->growth_kb,
			 s->rate_kb_min, s->persistence_pct, s->verdict);
}

/* A slab row's text, kept with its cache's history between samples. */
struct ls_slab_text {
	struct ls_slab_row row;		/* what it was made of; samples 0 */
	u32 len;			/* 0: none yet */
	char text[LS_SLAB_ROW_MAX];
};

/*
 * The text of row @row of history entry @i: the one kept from the last
 * sample when the row reads the same, else formatted anew.  NULL: no
 * memory.  Rows are compared whole (from a zeroed report, padding
 * included) but for their sample count, which the file does not show.
 */
static const struct ls_slab_text *ls_slab_row_text(struct ls_kernel_history *kh,
						   u32 i,
						   const struct ls_slab_row *row)
{
	void **cache = ls_kh_cache(&kh->slab, i);
	struct ls_slab_text *c = *cache;
	struct ls_slab_row shown;

	memcpy(&shown, row, sizeof(shown));
	shown.samples = 0;
	if (!c) {
		c = ls_mem_zalloc(sizeof(*c), GFP_KERNEL);
		if (!c)
			return NULL;
		*cache = c;
	}
	if (!c->len || memcmp(&c->row, &shown, sizeof(shown))) {
		memcpy(&c->row, &shown, sizeof(shown));
		c->len = ls_slab_row_format(c->text, sizeof(c->text), row);
	}
	return c;
}

/* r->slab_text from the rows, in their order (kh->keys, ls_slab_order()). */
static void ls_slab_text_build(struct ls_kernel_history *kh,
			       struct ls_kernel_report *r)
{
	const struct ls_slab_text *c;
	size_t total = 0, off = 0;
	u32 i;

	for (i = 0; i < r->nr_slab; i++) {
		c = ls_slab_row_text(kh, kh->keys[i].idx, &r->slab[i]);
		if (!c)
			return;
		total += c->len;
	}
	r->slab_text = ls_mem_alloc(total + 1, GFP_KERNEL);
	if (!r->slab_text)
		return;
	for (i = 0; i < r->nr_slab; i++) {
		c = *ls_kh_cache(&kh->slab, kh->keys[i].idx);
		memcpy(r->slab_text + off, c->text, c->len);
		off += c->len;
	}
	r->slab_text_len = off;
}

/*
 * The order of the slab rows, into kh->keys: by growth, largest first,
 * then by size.  Two stable passes, size first, on the histories' ends.
 * Returns -ENOMEM when there is no room to sort in.
 */
static int ls_slab_order(struct ls_kernel_history *kh)
{
	u32 i, n = kh->slab.nr, samples;

	if (ls_sort_scratch(kh, n))
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		const struct ls_kh_sample *s = ls_kh_latest(&kh->slab, i,
							     &samples);

		kh->keys[i].key = ls_key_s64_desc(s->v[LS_SK_SIZE_KB]);
		kh->keys[i].idx = i;
	}
	ls_keysort(kh->keys, kh->keys_tmp, n);
	for (i = 0; i < n; i++)
		kh->keys[i].key = ls_key_s64_desc(ls_kh_growth(&kh->slab,
							       kh->keys[i].idx,
							       LS_SK_SIZE_KB));
	ls_keysort(kh->keys, kh->keys_tmp, n);
	return 0;
}

static bool ls_name_in(const struct ls_cache_name *names, u32 nr,
		       const char *name)
{
	u32 i;

	for (i = 0; i < nr; i++)
		if (!strcmp(names[i].name, name))
			return true;
	return false;
}

u32 ls_kernel_growing_caches(struct ls_kernel_history *kh,
			     const struct ls_cache_name *armed, u32 nr_armed,
			     const char **names, u32 max)
{
	s64 growth[LS_TRACK_WANT_MAX];
	u32 i, j, n = 0;

	max = min_t(u32, max, LS_TRACK_WANT_MAX);
	for (i = 0; i < kh->slab.nr; i++) {
		const struct ls_kh_sample *s = ls_kh_latest(&kh->slab, i, &j);
		s64 g = ls_kh_growth(&kh->slab, i, LS_SK_SIZE_KB);

		if (g < ls_slab_min_growth(s->attr[1] & 1) &&
		    (g <= 0 || !ls_name_in(armed, nr_armed, s->name)))
			continue;
		/* Insert in order of growth; past @max the least is dropped. */
		for (j = min(n, max - 1); j && growth[j - 1] < g; j--) {
			growth[j] = growth[j - 1];
			names[j] = names[j - 1];
		}
		if (j < max) {
			growth[j] = g;
			names[j] = s->name;
			n = min(n + 1, max);
		}
	}
	return n;
}

struct ls_kernel_report *ls_kernel_report_build(struct ls_kernel_history *kh,
						struct ls_suspect *sus, u32 max,
						u32 *found)
{
	size_t vsize = array_size(kh->vmalloc.nr, sizeof(struct ls_vmalloc_row));
	size_t ssize = array_size(kh->slab.nr, sizeof(struct ls_slab_row));
	struct ls_kernel_report *r;
	union {
		struct ls_vmalloc_view v;
		struct ls_slab_view s;
	} *view;
	u32 i, n = 0;

	*found = 0;
	view = ls_mem_alloc(sizeof(*view), GFP_KERNEL);
	r = ls_mem_zalloc(size_add(sizeof(*r), size_add(vsize, ssize)), GFP_KERNEL);
	if (!view || !r || ls_slab_order(kh)) {
		ls_mem_free(view);
		ls_mem_free(r);
		return NULL;
	}
	kref_init(&r->ref);
	r->vmalloc = (struct ls_vmalloc_row *)(r + 1);
	r->slab = (struct ls_slab_row *)((char *)r->vmalloc + vsize);
	r->nr_vmalloc = kh->vmalloc.nr;
	r->nr_slab = kh->slab.nr;
	r->vmalloc_capped = kh->vmalloc_truncated || kh->vmalloc.capped;
	r->slab_capped = kh->slab_truncated || kh->slab.capped;
	r->longest_hold_us = kh->snap.longest_hold_us;
	r->slab_hold_us = kh->slab_walk.longest_hold_us;
	r->slab_scanned = kh->slab_walk.scanned;
	r->slab_reused = kh->slab_walk.reused;

	for (i = 0; i < r->nr_vmalloc; i++) {
		ls_fill_vmalloc(kh, i, &r->vmalloc[i], &view->v);
		n += ls_vmalloc_suspects(&view->v, sus + min(n, max),
					 max - min(n, max));
		r->pending |= ls_vmalloc_pending(&view->v);
	}
	/* Each slab row written once, in its place. */
	for (i = 0; i < r->nr_slab; i++) {
		ls_fill_slab(kh, kh->keys[i].idx, &r->slab[i], &view->s);
		n += ls_slab_suspects(&view->s, sus + min(n, max),
				      max - min(n, max));
		r->pending |= ls_slab_pending(&view->s);
	}
	ls_mem_free(view);
	ls_slab_text_build(kh, r);
	sort(r->vmalloc, r->nr_vmalloc, sizeof(*r->vmalloc), ls_cmp_vrow, NULL);
	*found = n;
	return r;
}

static void ls_kernel_report_release(struct kref *ref)
{
	struct ls_kernel_report *r = container_of(ref, struct ls_kernel_report,
						  ref);

	ls_mem_free(r->slab_text);
	ls_mem_free(r);
}

void ls_kernel_report_put(struct ls_kernel_report *r)
{
	if (r)
		kref_put(&r->ref, ls_kernel_report_release);
}
