/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The table of sampled outstanding allocations, keyed by address.
 *
 * Preallocated when tracking is armed (GFP_KERNEL, counted in self_kb),
 * bounded; insert and remove work from any context but NMI (the caller
 * refuses NMI), never allocate and never sleep.  They nest: a hard IRQ
 * that allocates can interrupt a probe on the same CPU, so every lock is
 * a raw spinlock taken with interrupts off (a raw spinlock stays a
 * spinning lock on PREEMPT_RT, where probes run with preemption off).
 *
 * Chains hang from buckets (an index, 0 empty); buckets share LS_TT_LOCKS
 * striped locks; records come from one free list with its own lock, taken
 * inside a stripe's.  The free path first reads the bucket without a
 * lock: the common free, of an address that was never sampled, costs one
 * load when its bucket is empty.  That read cannot miss the record of the
 * address freed: the record was inserted by the allocation of that very
 * object, which happened before the object was handed out, let alone
 * freed.
 */
#ifndef LS_TRACK_TABLE_H
#define LS_TRACK_TABLE_H

#include <linux/atomic.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#define LS_TT_LOCKS		64

/* One sampled allocation (64 bytes). */
struct ls_track_rec {
	unsigned long addr;
	unsigned long site;		/* the event's call site */
	const void *cache;		/* identity only; NULL: unknown */
	u64 time_ns;			/* ktime_get_mono_fast_ns() */
	u64 cgroup_id;			/* 0: not in task context */
	u64 weight;			/* 1/p, Q16 (track_sample.h) */
	u32 bytes;			/* bytes_alloc */
	u32 stack_id;			/* 0: none */
	u32 next;			/* chain or free list: index + 1 */
	u8 kind;			/* enum ls_track_kind */
	u8 flags;			/* LS_TT_* */
};

/* A large kmalloc's first event, whose site is inside the allocator. */
#define LS_TT_FIRST_OF_TWO	0x01

struct ls_track_table {
	u32 cap;			/* records */
	u32 bucket_mask;		/* buckets: bucket_mask + 1 */
	u32 *buckets;			/* index + 1 of a chain's head */
	struct ls_track_rec *recs;	/* [cap] */
	raw_spinlock_t locks[LS_TT_LOCKS];
	raw_spinlock_t free_lock;	/* free_head; inside a stripe's lock */
	u32 free_head;
	atomic_t used;
	atomic64_t inserted, replaced, removed, full;
};

/* The bytes a table of @cap records takes. */
size_t ls_tt_bytes(u32 cap);
/* The most records that fit in @bytes. */
u32 ls_tt_cap_for(size_t bytes);

int ls_tt_alloc(struct ls_track_table *t, u32 cap);	/* sleeps */
void ls_tt_free(struct ls_track_table *t);

/*
 * Record @r (r->addr is the key).  An address already present is
 * replaced (*@replaced): its free was not seen.  -ENOSPC when full.
 */
int ls_tt_insert(struct ls_track_table *t, const struct ls_track_rec *r,
		 bool *replaced);

/* Remove the record of @addr: whether there was one. */
bool ls_tt_remove(struct ls_track_table *t, unsigned long addr);

/*
 * The record of @addr, if it was flagged LS_TT_FIRST_OF_TWO, takes the
 * call site @site of the second event and loses the flag: whether it did.
 */
bool ls_tt_second_event(struct ls_track_table *t, unsigned long addr,
			unsigned long site);

/*
 * Copy at most @cap records into @out, one stripe at a time (interrupts
 * off for one stripe's chains only); sleeps between stripes.  Records
 * may come and go meanwhile: each one copied was present when its stripe
 * was read.  Returns how many.
 */
u32 ls_tt_copy(struct ls_track_table *t, struct ls_track_rec *out, u32 cap);

static inline u32 ls_tt_used(struct ls_track_table *t)
{
	return (u32)atomic_read(&t->used);
}

#endif /* LS_TRACK_TABLE_H */
