// SPDX-License-Identifier: GPL-2.0
/*
 * The slab walker: every slab cache's object counts, computed the way
 * /proc/slabinfo computes them, without calling get_slabinfo() (not
 * exported, and sealed on IBT kernels: KERNEL-NOTES.md 1.3 and B.3).
 *
 * slab_caches and slab_mutex are private data symbols, resolved and
 * verified at load.  struct kmem_cache, kmem_cache_node and slab are
 * private and move between kernels (slab.slab_list is at byte 8 on 6.1 and
 * 16 on 6.12; kmem_cache moves again in 6.18), so their layout comes from
 * the running kernel's BTF only, and every member used is checked: present,
 * inside its struct, naturally aligned, of the size and shape this build
 * expects.  A few things BTF cannot say (the packing of s->oo, OO_SHIFT in
 * mm/slub.c, and that a slab on a partial list belongs to its cache) are
 * checked once on the live caches at load.  Any failure disables the walker
 * with a reason; the module still loads.
 *
 * A walk holds slab_mutex, which keeps every cache on the list and its
 * node[] array alive (cache destruction and memory hotplug take it), and
 * per node the node's list_lock, interrupts off, while it counts the free
 * objects of at most LS_SLAB_SCAN_MAX partial slabs: once per node, and
 * not at all for a node whose counts did not move (ls_slab_node_free()).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/compiler.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/nodemask.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "compat.h"
#include "keysort.h"
#include "self_mem.h"
#include "walk_slab.h"

/* mm/slub.c (both kernels): oo = order << OO_SHIFT | objects.  Checked. */
#define LS_OO_SHIFT		16
#define LS_OO_MASK		((1U << LS_OO_SHIFT) - 1)
#define LS_SLAB_CHECK_MAX	100000	/* caches the load-time check visits */

/* Byte offsets, and the bitfields of slab.counters as shift and mask. */
struct ls_slab_layout {
	u32 kc_flags, kc_size, kc_object_size, kc_oo, kc_name, kc_list;
	u32 kc_node;
	u32 kn_list_lock, kn_nr_partial, kn_partial, kn_nr_slabs;
	u32 kn_total_objects;
	u32 sl_list, sl_cache, sl_counters;
	u32 inuse_bit, inuse_bits, objects_bit, objects_bits;	/* BTF */
	u32 inuse_shift, inuse_mask, objects_shift, objects_mask;
};

static struct ls_slab_layout ls_sl;
static struct list_head *ls_slab_caches;
static struct mutex *ls_slab_mutex;
static bool ls_slab_on;
static char ls_slab_detail[96];	/* what failed, for the one warning */

#define LS_AT(base, off, type)	((type *)((u8 *)(base) + (off)))

/* What a member must look like, beyond its size. */
enum ls_slab_shape {
	LS_PLAIN,		/* an integer, a pointer or an array of them */
	LS_LIST,		/* struct list_head */
	LS_ATOMIC_LONG,		/* atomic_long_t: { long counter; } */
	LS_SPINLOCK,		/* the typedef spinlock_t */
	LS_OO,			/* struct kmem_cache_order_objects { x; } */
	LS_BITFIELD,		/* unsigned bitfield; size in bits, 1..31 */
};

struct ls_slab_member {
	const char *path;
	u32 size;		/* bytes; a bitfield: 0, any width */
	enum ls_slab_shape shape;
	u32 *off;		/* bytes; a bitfield: bits */
	u32 *bits;		/* a bitfield's width */
	const char *why;	/* reason when it is missing */
};

static const struct ls_slab_member ls_kc_members[] = {
	{ "flags", sizeof(slab_flags_t), LS_PLAIN, &ls_sl.kc_flags },
	{ "size", sizeof(unsigned int), LS_PLAIN, &ls_sl.kc_size },
	{ "object_size", sizeof(unsigned int), LS_PLAIN,
	  &ls_sl.kc_object_size },
	{ "oo", sizeof(unsigned int), LS_OO, &ls_sl.kc_oo },
	{ "name", sizeof(const char *), LS_PLAIN, &ls_sl.kc_name },
	{ "list", sizeof(struct list_head), LS_LIST, &ls_sl.kc_list },
	/* MAX_NUMNODES of this build: the BTF array must have as many. */
	{ "node", MAX_NUMNODES * sizeof(void *), LS_PLAIN, &ls_sl.kc_node,
	  NULL, "nodes" },
	{ }
};

static const struct ls_slab_member ls_kn_members[] = {
	{ "list_lock", sizeof(spinlock_t), LS_SPINLOCK, &ls_sl.kn_list_lock },
	{ "nr_partial", sizeof(unsigned long), LS_PLAIN, &ls_sl.kn_nr_partial },
	{ "partial", sizeof(struct list_head), LS_LIST, &ls_sl.kn_partial },
	/* Only with CONFIG_SLUB_DEBUG, like /proc/slabinfo itself on 6.12. */
	{ "nr_slabs", sizeof(atomic_long_t), LS_ATOMIC_LONG,
	  &ls_sl.kn_nr_slabs, NULL, "no-slub-debug" },
	{ "total_objects", sizeof(atomic_long_t), LS_ATOMIC_LONG,
	  &ls_sl.kn_total_objects, NULL, "no-slub-debug" },
	{ }
};

static const struct ls_slab_member ls_sl_members[] = {
	{ "slab_list", sizeof(struct list_head), LS_LIST, &ls_sl.sl_list },
	{ "slab_cache", sizeof(void *), LS_PLAIN, &ls_sl.sl_cache },
	{ "counters", sizeof(unsigned long), LS_PLAIN, &ls_sl.sl_counters },
	{ "inuse", 0, LS_BITFIELD, &ls_sl.inuse_bit, &ls_sl.inuse_bits },
	{ "objects", 0, LS_BITFIELD, &ls_sl.objects_bit, &ls_sl.objects_bits },
	{ }
};

/* Does sub-member @path of type @type sit at @bit_off with @size bytes? */
static bool ls_slab_sub(const struct ls_btf *btf, u32 type, const char *path,
			u32 bit_off, u32 size)
{
	u32 off, bf, sub;

	return !ls_btf_member(btf, type, path, &off, &bf, &sub) &&
	       off == bit_off && !bf && ls_btf_type_size(btf, sub) == size;
}

static bool ls_slab_shape_ok(const struct ls_btf *btf, u32 type,
			     enum ls_slab_shape shape)
{
	switch (shape) {
	case LS_LIST:
		return ls_slab_sub(btf, type, "next", 0, sizeof(void *)) &&
		       ls_slab_sub(btf, type, "prev", BITS_PER_LONG,
				   sizeof(void *));
	case LS_ATOMIC_LONG:
		return ls_slab_sub(btf, type, "counter", 0, sizeof(long));
	case LS_SPINLOCK:
		/*
		 * By name: spin_lock_irqsave() takes a spinlock_t, which is a
		 * raw_spinlock_t inside on most kernels and an rt_mutex on
		 * PREEMPT_RT; its size is this build's (member_ok checks it).
		 */
		return ls_btf_is_typedef(btf, type, "spinlock_t");
	case LS_OO:
		return ls_slab_sub(btf, type, "x", 0, sizeof(unsigned int));
	default:
		return true;
	}
}

/* Check member @m of a struct of @ssize bytes and note its offset. */
static bool ls_slab_member_ok(const struct ls_btf *btf, s64 ssize,
			      const struct ls_slab_member *m, u32 bit_off,
			      u32 bf, u32 type)
{
	s64 msize = ls_btf_type_size(btf, type);

	if (m->shape == LS_BITFIELD) {
		if (bf < 1 || bf > 31 || msize != sizeof(unsigned int))
			return false;
		*m->off = bit_off;
		*m->bits = bf;
		return true;
	}
	if (bf || bit_off % 8 || msize != m->size ||
	    bit_off / 8 % min_t(u32, m->size, sizeof(long)) ||
	    bit_off / 8 + msize > ssize ||
	    !ls_slab_shape_ok(btf, type, m->shape))
		return false;
	*m->off = bit_off / 8;
	return true;
}

/*
 * Find struct @sname with the members of @m and check each of them.
 * Returns NULL, or a reason with ls_slab_detail filled.
 */
static const char *ls_slab_struct(const struct ls_btf *btf, const char *sname,
				  const char * const *must_have,
				  const struct ls_slab_member *m)
{
	u32 id, bit_off, bf, type;
	s64 ssize;

	id = ls_btf_find_struct(btf, sname, must_have);
	ssize = id ? ls_btf_type_size(btf, id) : -ENOENT;
	if (ssize <= 0) {
		snprintf(ls_slab_detail, sizeof(ls_slab_detail),
			 "no struct %s with the expected members in BTF",
			 sname);
		return "layout";
	}
	for (; m->path; m++) {
		if (ls_btf_member(btf, id, m->path, &bit_off, &bf, &type)) {
			snprintf(ls_slab_detail, sizeof(ls_slab_detail),
				 "%s.%s: not in BTF", sname, m->path);
			return m->why ?: "layout";
		}
		if (ls_slab_member_ok(btf, ssize, m, bit_off, bf, type))
			continue;
		snprintf(ls_slab_detail, sizeof(ls_slab_detail),
			 "%s.%s: bit %u, %lld bytes, bitfield %u: unexpected",
			 sname, m->path, bit_off, ls_btf_type_size(btf, type),
			 bf);
		/* A node[] of another size: another MAX_NUMNODES. */
		return m->why && m->shape == LS_PLAIN ? m->why : "layout";
	}
	return NULL;
}

/* Where a bitfield of slab.counters sits in the word read as a long. */
static bool ls_slab_bitfield(u32 bit, u32 bits, u32 *shift, u32 *mask)
{
	u32 rel;

	if (bit < ls_sl.sl_counters * 8)
		return false;
	rel = bit - ls_sl.sl_counters * 8;
	if (rel + bits > BITS_PER_LONG)
		return false;
#ifdef __BIG_ENDIAN_BITFIELD
	*shift = BITS_PER_LONG - rel - bits;
#else
	*shift = rel;
#endif
	*mask = (1U << bits) - 1;
	return true;
}

static const char *ls_slab_layout(const struct ls_btf *btf)
{
	static const char * const kc_need[] = { "oo", "node", "list", NULL };
	static const char * const kn_need[] = { "partial", "nr_partial", NULL };
	static const char * const sl_need[] = { "slab_list", "counters",
						"inuse", "objects", NULL };
	const char *why;
	s64 v;

	if (!btf) {
		snprintf(ls_slab_detail, sizeof(ls_slab_detail),
			 "the running kernel's BTF is not available");
		return "btf";
	}
	why = ls_slab_struct(btf, "kmem_cache", kc_need, ls_kc_members);
	if (!why)
		why = ls_slab_struct(btf, "kmem_cache_node", kn_need,
				     ls_kn_members);
	if (!why)
		why = ls_slab_struct(btf, "slab", sl_need, ls_sl_members);
	if (why)
		return why;
	if (!ls_slab_bitfield(ls_sl.inuse_bit, ls_sl.inuse_bits,
			      &ls_sl.inuse_shift, &ls_sl.inuse_mask) ||
	    !ls_slab_bitfield(ls_sl.objects_bit, ls_sl.objects_bits,
			      &ls_sl.objects_shift, &ls_sl.objects_mask) ||
	    (ls_sl.inuse_mask << ls_sl.inuse_shift &
	     ls_sl.objects_mask << ls_sl.objects_shift)) {
		snprintf(ls_slab_detail, sizeof(ls_slab_detail),
			 "slab.inuse/objects (bits %u:%u, %u:%u) not apart inside slab.counters",
			 ls_sl.inuse_bit, ls_sl.inuse_bits, ls_sl.objects_bit,
			 ls_sl.objects_bits);
		return "layout";
	}
	/* 6.9+: SLAB_RECLAIM_ACCOUNT is a bit of an enum that BTF may have. */
	if (!ls_btf_enum_value(btf, "_SLAB_RECLAIM_ACCOUNT", &v) &&
	    (v < 0 || v >= 32 || BIT(v) != (__force u32)SLAB_RECLAIM_ACCOUNT)) {
		snprintf(ls_slab_detail, sizeof(ls_slab_detail),
			 "_SLAB_RECLAIM_ACCOUNT is %lld in BTF, not this build's",
			 v);
		return "flags";
	}
	return NULL;
}

static const char *ls_slab_symbols(void)
{
	const char *why = NULL;

	ls_slab_caches = ls_resolve_data_symbol("slab_caches",
						sizeof(struct list_head), &why);
	if (ls_slab_caches)
		ls_slab_mutex = ls_resolve_data_symbol("slab_mutex",
						       sizeof(struct mutex),
						       &why);
	if (!ls_slab_caches || !ls_slab_mutex) {
		snprintf(ls_slab_detail, sizeof(ls_slab_detail),
			 "%s not resolved",
			 ls_slab_caches ? "slab_mutex" : "slab_caches");
		return why;
	}
	return NULL;
}

static u8 *ls_slab_node(u8 *s, int nid)
{
	return READ_ONCE(LS_AT(s, ls_sl.kc_node, u8 *)[nid]);
}

/* The struct slab whose slab_list is @pos. */
static u8 *ls_slab_of(struct list_head *pos)
{
	return (u8 *)pos - ls_sl.sl_list;
}

/* Read slab.counters once (it changes under cmpxchg, not list_lock). */
static unsigned long ls_slab_counters(struct list_head *pos)
{
	return READ_ONCE(*LS_AT(ls_slab_of(pos), ls_sl.sl_counters,
				unsigned long));
}

static u32 ls_slab_free_objs(struct list_head *pos)
{
	unsigned long w = ls_slab_counters(pos);
	u32 inuse = (w >> ls_sl.inuse_shift) & ls_sl.inuse_mask;
	u32 objects = (w >> ls_sl.objects_shift) & ls_sl.objects_mask;

	return objects > inuse ? objects - inuse : 0;
}

/*
 * Checks of what BTF cannot tell, on one live cache under slab_mutex: the
 * packing of s->oo, and that the first partial slab of each node points
 * back at its cache and has sane counters.  NULL, or a reason.
 */
static const char *ls_slab_check_cache(u8 *s)
{
	u32 size = *LS_AT(s, ls_sl.kc_size, u32);
	u32 osize = *LS_AT(s, ls_sl.kc_object_size, u32);
	u32 oo = *LS_AT(s, ls_sl.kc_oo, u32);
	u32 objs = oo & LS_OO_MASK, order = oo >> LS_OO_SHIFT;
	const char *name = *LS_AT(s, ls_sl.kc_name, const char *);
	struct list_head *head, *first;
	unsigned long flags, w;
	u32 inuse, n_objs;
	bool bad = false;
	u8 *n;
	int nid;

	if (!name || !size || !osize || osize > size || !objs ||
	    objs > ls_sl.objects_mask || PAGE_SHIFT + order >= 32 ||
	    (u64)objs * size > (u64)PAGE_SIZE << order) {
		snprintf(ls_slab_detail, sizeof(ls_slab_detail),
			 "cache %.32s: size %u/%u, oo %#x: unexpected",
			 name ?: "(null)", osize, size, oo);
		return "check";
	}
	for (nid = 0; nid < nr_node_ids && !bad; nid++) {
		n = ls_slab_node(s, nid);
		if (!n)
			continue;
		head = LS_AT(n, ls_sl.kn_partial, struct list_head);
		spin_lock_irqsave(LS_AT(n, ls_sl.kn_list_lock, spinlock_t),
				  flags);
		first = READ_ONCE(head->next);
		if (first != head) {
			w = ls_slab_counters(first);
			inuse = (w >> ls_sl.inuse_shift) & ls_sl.inuse_mask;
			n_objs = (w >> ls_sl.objects_shift) &
				 ls_sl.objects_mask;
			bad = !n_objs || inuse > n_objs ||
			      *LS_AT(ls_slab_of(first), ls_sl.sl_cache,
				     u8 *) != s;
		}
		spin_unlock_irqrestore(LS_AT(n, ls_sl.kn_list_lock,
					     spinlock_t), flags);
	}
	if (bad) {
		snprintf(ls_slab_detail, sizeof(ls_slab_detail),
			 "cache %.32s: a partial slab does not match it", name);
		return "check";
	}
	return NULL;
}

static const char *ls_slab_check(void)
{
	const char *why = NULL;
	struct list_head *pos;
	u32 n = 0;

	mutex_lock(ls_slab_mutex);
	list_for_each(pos, ls_slab_caches) {
		if (++n > LS_SLAB_CHECK_MAX) {
			snprintf(ls_slab_detail, sizeof(ls_slab_detail),
				 "more than %u caches", LS_SLAB_CHECK_MAX);
			why = "check";
			break;
		}
		why = ls_slab_check_cache((u8 *)pos - ls_sl.kc_list);
		if (why)
			break;
		cond_resched();
	}
	mutex_unlock(ls_slab_mutex);
	if (!why && !n) {
		snprintf(ls_slab_detail, sizeof(ls_slab_detail),
			 "slab_caches is empty");
		why = "check";
	}
	return why;
}

int ls_slab_init(const struct ls_btf *btf)
{
	const char *why;

	ls_slab_on = false;
	why = ls_slab_layout(btf);
	if (!why)
		why = ls_slab_symbols();
	if (!why)
		why = ls_slab_check();
	if (why) {
		pr_warn("slab walker disabled (%s): %s\n", why,
			ls_slab_detail);
		ls_compat_disable("slab", why);
		return 0;
	}
	ls_slab_on = true;
	return 0;
}

bool ls_slab_enabled(void)
{
	return ls_slab_on;
}

/*
 * Free objects on node @n's partial list, counted in one hold of its
 * list_lock, as count_partial_free_approx() in 6.12 counts them: the whole
 * list when it is short, else half the bound from each end, scaled to the
 * list's length and capped by the node's objects (*@capped set).
 * *@nr_partial: the list's length, read under the lock.  The hold is timed
 * into @w->longest_hold_us.
 */
static unsigned long ls_slab_partial_free(struct ls_slab_walk *w, u8 *n,
					  unsigned long node_objs,
					  unsigned long *nr_partial,
					  bool *capped)
{
	struct list_head *head = LS_AT(n, ls_sl.kn_partial, struct list_head);
	spinlock_t *lock = LS_AT(n, ls_sl.kn_list_lock, spinlock_t);
	unsigned long flags, scanned = 0, x = 0;
	struct list_head *pos;
	ktime_t t0;
	s64 us;

	*capped = false;
	spin_lock_irqsave(lock, flags);
	t0 = ktime_get();
	*nr_partial = READ_ONCE(*LS_AT(n, ls_sl.kn_nr_partial, unsigned long));
	if (*nr_partial <= LS_SLAB_SCAN_MAX) {
		/* The bound also guards against a list longer than it says. */
		list_for_each(pos, head) {
			x += ls_slab_free_objs(pos);
			if (++scanned == LS_SLAB_SCAN_MAX)
				break;
		}
	} else {
		list_for_each(pos, head) {
			x += ls_slab_free_objs(pos);
			if (++scanned == LS_SLAB_SCAN_MAX / 2)
				break;
		}
		list_for_each_prev(pos, head) {
			x += ls_slab_free_objs(pos);
			if (++scanned == LS_SLAB_SCAN_MAX)
				break;
		}
		x = mult_frac(x, *nr_partial, scanned);
		x = min(x, node_objs);
		*capped = true;
	}
	us = ktime_us_delta(ktime_get(), t0);
	spin_unlock_irqrestore(lock, flags);

	if (us > w->longest_hold_us)
		w->longest_hold_us = min_t(s64, us, U32_MAX);
	return x;
}

/* The last walk's record of node @n of cache @s, or NULL. */
static const struct ls_slab_memo *ls_slab_memo_find(struct ls_slab_walk *w,
						    const u8 *s, const u8 *n)
{
	u32 i;

	/*
	 * Walks follow slab_caches, which only changes where a cache comes or
	 * goes: the record sought is almost always the next one.
	 */
	for (i = w->cursor; i < w->nr_memo; i++) {
		if (w->memo[i].s == s && w->memo[i].n == n) {
			w->cursor = i + 1;
			return &w->memo[i];
		}
	}
	return NULL;
}

/*
 * Free objects on the partial list of node @n of cache @s, which has
 * @nr_slabs slabs of @total objects in all; *@capped when extrapolated.
 *
 * A node's counts change whenever a slab is allocated or freed, or joins
 * or leaves the node's partial list, but not when an object is freed into
 * a slab that stays on that list (a cmpxchg on slab.counters, no lock),
 * nor when a debug cache allocates from one: the free count can change
 * while the counts read the same, and nothing cheaper than the scan itself
 * tells.  So a node whose counts read as at the last walk reuses that
 * walk's free count, unscanned, but never one more than LS_SLAB_RESCAN - 1
 * walks old.  What is stale is active_objs only: a cache's size, and
 * growth, come from its total objects, read fresh every walk.  A sample
 * somebody asked for (`sample`, `reset`) scans every node: its numbers are
 * exact, as a reader comparing them with /proc/slabinfo expects.
 */
static unsigned long ls_slab_node_free(struct ls_slab_walk *w, const u8 *s,
				       u8 *n, long nr_slabs, long total,
				       bool *capped)
{
	const struct ls_slab_memo *old = ls_slab_memo_find(w, s, n);
	unsigned long nr_partial;
	struct ls_slab_memo now;
	u32 k = w->nr_next++;

	/* Read unlocked: a sign of change, the scan reads it again locked. */
	nr_partial = data_race(READ_ONCE(*LS_AT(n, ls_sl.kn_nr_partial,
						unsigned long)));
	if (!w->exact && old && old->nr_slabs == nr_slabs &&
	    old->total_objs == total && old->nr_partial == nr_partial &&
	    w->seq - old->scan_seq < LS_SLAB_RESCAN) {
		now = *old;
		w->reused++;
	} else {
		now.s = s;
		now.n = n;
		now.nr_slabs = nr_slabs;
		now.total_objs = total;
		now.free = ls_slab_partial_free(w, n, total, &now.nr_partial,
						&now.capped);
		/* A first scan: spread the next ones over the walks. */
		now.scan_seq = w->seq - (old ? 0 : k % LS_SLAB_RESCAN);
		w->scanned++;
	}
	if (k < w->memo_cap)
		w->next[k] = now;
	*capped = now.capped;
	return now.free;
}

/* One cache, under slab_mutex. */
static void ls_slab_read(struct ls_slab_walk *w, u8 *s,
			 struct ls_slab_cache *c)
{
	const char *name = *LS_AT(s, ls_sl.kc_name, const char *);
	u32 oo = *LS_AT(s, ls_sl.kc_oo, u32);
	u64 total = 0, slabs = 0, free = 0;
	long nr_slabs, objs;
	bool capped;
	u8 *n;
	int nid;

	memset(c, 0, sizeof(*c));
	strscpy(c->name, name ?: "?", sizeof(c->name));
	c->object_size = *LS_AT(s, ls_sl.kc_object_size, u32);
	c->size = *LS_AT(s, ls_sl.kc_size, u32);
	c->objs_per_slab = oo & LS_OO_MASK;
	c->order = oo >> LS_OO_SHIFT;
	c->reclaimable = *LS_AT(s, ls_sl.kc_flags, slab_flags_t) &
			 SLAB_RECLAIM_ACCOUNT;
	for (nid = 0; nid < nr_node_ids; nid++) {
		n = ls_slab_node(s, nid);
		if (!n)
			continue;
		nr_slabs = max(atomic_long_read(LS_AT(n, ls_sl.kn_nr_slabs,
						      atomic_long_t)), 0L);
		objs = max(atomic_long_read(LS_AT(n, ls_sl.kn_total_objects,
						  atomic_long_t)), 0L);
		slabs += nr_slabs;
		total += objs;
		free += ls_slab_node_free(w, s, n, nr_slabs, objs, &capped);
		c->partial_capped |= capped;
	}
	c->total_objs = total;
	c->active_objs = total > free ? total - free : 0;
	c->slabs = slabs;
}

/*
 * Room in @w for as many memo records as the last walk needed, and some,
 * with the last walk's kept.  Out of memory: the nodes that do not fit are
 * scanned.
 */
static void ls_slab_memo_reserve(struct ls_slab_walk *w)
{
	struct ls_slab_memo *memo, *next;
	u32 cap;

	if (w->want <= w->memo_cap)
		return;
	cap = w->want + w->want / 4 + 16;
	memo = ls_mem_array(cap, sizeof(*memo), GFP_KERNEL);
	next = ls_mem_array(cap, sizeof(*next), GFP_KERNEL);
	if (!memo || !next) {
		ls_mem_free(memo);
		ls_mem_free(next);
		return;
	}
	if (w->nr_memo)
		memcpy(memo, w->memo, w->nr_memo * sizeof(*memo));
	ls_mem_free(w->memo);
	ls_mem_free(w->next);
	w->memo = memo;
	w->next = next;
	w->memo_cap = cap;
}

void ls_slab_walk_free(struct ls_slab_walk *w)
{
	ls_mem_free(w->memo);
	ls_mem_free(w->next);
	memset(w, 0, sizeof(*w));
}

int ls_slab_walk(struct ls_slab_walk *w, struct ls_slab_cache *out, u32 cap,
		 u32 *nr, bool *truncated)
{
	struct list_head *pos;
	u32 i = 0;
	int ret;

	*nr = 0;
	*truncated = false;
	if (!ls_slab_on)
		return -ENODEV;
	ls_slab_memo_reserve(w);
	ret = mutex_lock_killable(ls_slab_mutex);
	if (ret)
		return ret;
	w->seq++;
	w->cursor = 0;
	w->nr_next = 0;
	w->longest_hold_us = 0;
	w->scanned = 0;
	w->reused = 0;
	list_for_each(pos, ls_slab_caches) {
		if (i == cap) {
			*truncated = true;
			break;
		}
		ls_slab_read(w, (u8 *)pos - ls_sl.kc_list, &out[i++]);
		cond_resched();
	}
	mutex_unlock(ls_slab_mutex);
	w->exact = false;
	swap(w->memo, w->next);
	w->want = w->nr_next;
	w->nr_memo = min(w->nr_next, w->memo_cap);
	*nr = i;
	return 0;
}

/*
 * For call-site tracking (track.c).  These read the same members, through
 * the same BTF-checked offsets, as the walk; they work only when the
 * walker is enabled.
 */

u32 ls_slab_cache_size(const void *s)
{
	if (!ls_slab_on || !s)
		return 0;
	return READ_ONCE(*LS_AT(s, ls_sl.kc_size, const u32));
}

const void *ls_slab_cache_of(const void *obj)
{
	struct folio *folio;

	if (!ls_slab_on || ZERO_OR_NULL_PTR(obj) || !virt_addr_valid(obj))
		return NULL;
	folio = virt_to_folio(obj);
	if (!folio_test_slab(folio))
		return NULL;
	/* struct slab overlays the folio: slab.slab_cache, checked at load. */
	return READ_ONCE(*LS_AT(folio, ls_sl.sl_cache, const void *));
}

static int ls_slab_ptr_cmp(const void *a, const void *b)
{
	const void *x = *(const void * const *)a, *y = *(const void * const *)b;

	return x < y ? -1 : x > y;
}

int ls_slab_names_of(const void *const *caches, u32 nr, char *names)
{
	const void **sorted;
	struct list_head *pos;
	const char *name;
	u32 i, lo;
	const void *s;
	int ret;

	for (i = 0; i < nr; i++)
		strscpy(names + i * LS_SLAB_NAME_LEN, "?", LS_SLAB_NAME_LEN);
	if (!ls_slab_on)
		return -ENODEV;
	if (!nr)
		return 0;
	sorted = ls_mem_array(nr, sizeof(*sorted), GFP_KERNEL);
	if (!sorted)
		return -ENOMEM;
	memcpy(sorted, caches, nr * sizeof(*sorted));
	sort(sorted, nr, sizeof(*sorted), ls_slab_ptr_cmp, NULL);
	ret = mutex_lock_killable(ls_slab_mutex);
	if (ret)
		goto out;
	/*
	 * Only caches on slab_caches are read: a pointer a record kept of
	 * a cache since destroyed is never dereferenced, it stays "?".
	 */
	list_for_each(pos, ls_slab_caches) {
		s = (u8 *)pos - ls_sl.kc_list;
		lo = ls_lower_bound(nr, j, sorted[j] < s);
		if (lo == nr || sorted[lo] != s)
			continue;
		name = *LS_AT(s, ls_sl.kc_name, const char *);
		for (i = 0; i < nr; i++)
			if (caches[i] == s)
				strscpy(names + i * LS_SLAB_NAME_LEN,
					name ?: "?", LS_SLAB_NAME_LEN);
	}
	mutex_unlock(ls_slab_mutex);
out:
	ls_mem_free(sorted);
	return ret;
}

int ls_slab_lookup(const char *const *names, u32 nr, const void **caches,
		   u32 *sizes)
{
	char cut[LS_SLAB_NAME_LEN];
	struct list_head *pos;
	const char *name;
	const void *s;
	u32 i;
	int ret;

	for (i = 0; i < nr; i++) {
		caches[i] = NULL;
		sizes[i] = 0;
	}
	if (!ls_slab_on)
		return -ENODEV;
	ret = mutex_lock_killable(ls_slab_mutex);
	if (ret)
		return ret;
	list_for_each(pos, ls_slab_caches) {
		s = (u8 *)pos - ls_sl.kc_list;
		name = *LS_AT(s, ls_sl.kc_name, const char *);
		/* The name as the slab file prints it: cut like ls_slab_read(). */
		strscpy(cut, name ?: "?", sizeof(cut));
		for (i = 0; i < nr; i++) {
			if (caches[i] || strcmp(cut, names[i]))
				continue;
			caches[i] = s;
			sizes[i] = *LS_AT(s, ls_sl.kc_size, u32);
		}
	}
	mutex_unlock(ls_slab_mutex);
	return 0;
}
