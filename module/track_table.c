// SPDX-License-Identifier: GPL-2.0
/*
 * The table of sampled outstanding allocations (see track_table.h).
 */
#include <linux/hash.h>
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/sched.h>
#include <linux/string.h>

#include "self_mem.h"
#include "track_table.h"

/* Buckets: a power of two, at least as many as records (chains <= ~1). */
static u32 ls_tt_nr_buckets(u32 cap)
{
	return roundup_pow_of_two(max_t(u32, cap, LS_TT_LOCKS));
}

size_t ls_tt_bytes(u32 cap)
{
	return (size_t)ls_tt_nr_buckets(cap) * sizeof(u32) +
	       (size_t)cap * sizeof(struct ls_track_rec);
}

u32 ls_tt_cap_for(size_t bytes)
{
	u32 cap = bytes / (sizeof(struct ls_track_rec) + 2 * sizeof(u32));

	/* roundup_pow_of_two() may take up to 2 buckets a record: shrink. */
	while (cap && ls_tt_bytes(cap) > bytes)
		cap -= cap / 16 + 1;
	return cap;
}

int ls_tt_alloc(struct ls_track_table *t, u32 cap)
{
	u32 nb = ls_tt_nr_buckets(cap), i;

	memset(t, 0, sizeof(*t));
	for (i = 0; i < LS_TT_LOCKS; i++)
		raw_spin_lock_init(&t->locks[i]);
	raw_spin_lock_init(&t->free_lock);
	if (!cap)
		return -EINVAL;
	t->buckets = ls_mem_calloc(nb, sizeof(u32), GFP_KERNEL);
	t->recs = ls_mem_calloc(cap, sizeof(*t->recs), GFP_KERNEL);
	if (!t->buckets || !t->recs) {
		ls_tt_free(t);
		return -ENOMEM;
	}
	t->cap = cap;
	t->bucket_mask = nb - 1;
	for (i = 0; i < cap; i++)
		t->recs[i].next = i + 2 <= cap ? i + 2 : 0;
	t->free_head = 1;
	return 0;
}

void ls_tt_free(struct ls_track_table *t)
{
	ls_mem_free(t->buckets);
	ls_mem_free(t->recs);
	t->buckets = NULL;
	t->recs = NULL;
	t->cap = 0;
}

static u32 ls_tt_bucket(struct ls_track_table *t, unsigned long addr)
{
	/* Objects are at least 8-byte aligned: the low bits say nothing. */
	return hash_64((u64)addr >> 3, 32) & t->bucket_mask;
}

static raw_spinlock_t *ls_tt_lock(struct ls_track_table *t, u32 b)
{
	return &t->locks[b % LS_TT_LOCKS];
}

/* Under the stripe's lock: the link that points at @addr's record. */
static u32 *ls_tt_find(struct ls_track_table *t, u32 b, unsigned long addr)
{
	u32 *link = &t->buckets[b];

	while (*link) {
		if (t->recs[*link - 1].addr == addr)
			return link;
		link = &t->recs[*link - 1].next;
	}
	return NULL;
}

int ls_tt_insert(struct ls_track_table *t, const struct ls_track_rec *r,
		 bool *replaced)
{
	u32 b = ls_tt_bucket(t, r->addr), idx, *link;
	struct ls_track_rec *rec;
	unsigned long flags;
	int ret = 0;

	*replaced = false;
	raw_spin_lock_irqsave(ls_tt_lock(t, b), flags);
	link = ls_tt_find(t, b, r->addr);
	if (link) {
		rec = &t->recs[*link - 1];
		idx = rec->next;
		*rec = *r;
		rec->next = idx;
		*replaced = true;
		atomic64_inc(&t->replaced);
		goto out;
	}
	raw_spin_lock(&t->free_lock);
	idx = t->free_head;
	if (idx)
		t->free_head = t->recs[idx - 1].next;
	raw_spin_unlock(&t->free_lock);
	if (!idx) {
		atomic64_inc(&t->full);
		ret = -ENOSPC;
		goto out;
	}
	rec = &t->recs[idx - 1];
	*rec = *r;
	rec->next = t->buckets[b];
	/* The lock-free emptiness check in ls_tt_remove() reads this. */
	WRITE_ONCE(t->buckets[b], idx);
	atomic_inc(&t->used);
	atomic64_inc(&t->inserted);
out:
	raw_spin_unlock_irqrestore(ls_tt_lock(t, b), flags);
	return ret;
}

bool ls_tt_remove(struct ls_track_table *t, unsigned long addr)
{
	u32 b = ls_tt_bucket(t, addr), idx, *link;
	unsigned long flags;

	/* Nearly every free: an address never sampled, an empty bucket. */
	if (likely(!READ_ONCE(t->buckets[b])))
		return false;
	raw_spin_lock_irqsave(ls_tt_lock(t, b), flags);
	link = ls_tt_find(t, b, addr);
	if (link) {
		idx = *link;
		WRITE_ONCE(*link, t->recs[idx - 1].next);
		t->recs[idx - 1].addr = 0;
		raw_spin_lock(&t->free_lock);
		t->recs[idx - 1].next = t->free_head;
		t->free_head = idx;
		raw_spin_unlock(&t->free_lock);
		atomic_dec(&t->used);
		atomic64_inc(&t->removed);
	}
	raw_spin_unlock_irqrestore(ls_tt_lock(t, b), flags);
	return link;
}

bool ls_tt_second_event(struct ls_track_table *t, unsigned long addr,
			unsigned long site)
{
	u32 b = ls_tt_bucket(t, addr), *link;
	struct ls_track_rec *rec;
	unsigned long flags;
	bool done = false;

	if (!READ_ONCE(t->buckets[b]))
		return false;
	raw_spin_lock_irqsave(ls_tt_lock(t, b), flags);
	link = ls_tt_find(t, b, addr);
	if (link) {
		rec = &t->recs[*link - 1];
		if (rec->flags & LS_TT_FIRST_OF_TWO) {
			rec->site = site;
			rec->flags &= ~LS_TT_FIRST_OF_TWO;
			done = true;
		}
	}
	raw_spin_unlock_irqrestore(ls_tt_lock(t, b), flags);
	return done;
}

u32 ls_tt_copy(struct ls_track_table *t, struct ls_track_rec *out, u32 cap)
{
	unsigned long flags;
	u32 stripe, b, idx, n = 0;

	for (stripe = 0; stripe < LS_TT_LOCKS && n < cap; stripe++) {
		raw_spin_lock_irqsave(&t->locks[stripe], flags);
		for (b = stripe; b <= t->bucket_mask && n < cap;
		     b += LS_TT_LOCKS) {
			for (idx = t->buckets[b]; idx && n < cap;
			     idx = t->recs[idx - 1].next)
				out[n++] = t->recs[idx - 1];
		}
		raw_spin_unlock_irqrestore(&t->locks[stripe], flags);
		cond_resched();
	}
	return n;
}
