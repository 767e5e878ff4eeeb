// SPDX-License-Identifier: GPL-2.0
/*
 * Stack interning (see track_stacks.h).  One raw spinlock for the whole
 * table is enough: only sampled allocations intern, some thousands a
 * second at most; a raw spinlock, taken with interrupts off, is what a
 * probe may take in any context, PREEMPT_RT included.
 */
#include <linux/hash.h>
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/module.h>
#include <linux/spinlock.h>
#include <linux/stacktrace.h>
#include <linux/string.h>

#include "self_mem.h"
#include "track_stacks.h"

/* Frames saved before this module's own are dropped from the front. */
#define LS_STACK_SAVE		(LS_STACK_DEPTH + 6)

static u32 ls_stacks_nr_slots(u32 cap)
{
	return roundup_pow_of_two(max(2 * cap, 16U));
}

size_t ls_stacks_bytes(u32 cap)
{
	return (size_t)ls_stacks_nr_slots(cap) * sizeof(u32) +
	       (size_t)cap * sizeof(struct ls_stack);
}

int ls_stacks_alloc(struct ls_stacks *t, u32 cap)
{
	u32 slots = ls_stacks_nr_slots(cap);

	memset(t, 0, sizeof(*t));
	raw_spin_lock_init(&t->lock);
	t->slots = ls_mem_calloc(slots, sizeof(u32), GFP_KERNEL);
	t->stacks = ls_mem_calloc(cap, sizeof(struct ls_stack), GFP_KERNEL);
	if (!t->slots || !t->stacks) {
		ls_stacks_free(t);
		return -ENOMEM;
	}
	t->cap = cap;
	t->slot_mask = slots - 1;
	return 0;
}

void ls_stacks_free(struct ls_stacks *t)
{
	ls_mem_free(t->slots);
	ls_mem_free(t->stacks);
	t->slots = NULL;
	t->stacks = NULL;
	t->cap = 0;
	t->nr = 0;
}

static u32 ls_stacks_hash(const unsigned long *frames, u32 nr)
{
	u64 h = nr;
	u32 i;

	for (i = 0; i < nr; i++)
		h = hash_64(h ^ frames[i], 64);
	return (u32)(h >> 32) ?: 1;
}

u32 ls_stacks_intern(struct ls_stacks *t, const unsigned long *frames,
		     u32 nr)
{
	unsigned long flags;
	struct ls_stack *st;
	u32 h, i, id = 0;

	if (!nr || !t->cap)
		return 0;
	nr = min_t(u32, nr, LS_STACK_DEPTH);
	h = ls_stacks_hash(frames, nr);
	raw_spin_lock_irqsave(&t->lock, flags);
	/* At most half the slots are used: a probe sequence ends. */
	for (i = h & t->slot_mask;; i = (i + 1) & t->slot_mask) {
		id = t->slots[i];
		if (!id)
			break;
		st = &t->stacks[id - 1];
		if (st->hash == h && st->nr == nr &&
		    !memcmp(st->frames, frames, nr * sizeof(*frames)))
			goto out;
	}
	if (t->nr == t->cap) {
		t->full++;
		id = 0;
		goto out;
	}
	id = ++t->nr;
	st = &t->stacks[id - 1];
	st->hash = h;
	st->nr = nr;
	memcpy(st->frames, frames, nr * sizeof(*frames));
	t->slots[i] = id;
out:
	raw_spin_unlock_irqrestore(&t->lock, flags);
	return id;
}

u32 ls_stacks_capture(struct ls_stacks *t)
{
	unsigned long buf[LS_STACK_SAVE];
	unsigned int n, skip = 0;

	n = stack_trace_save(buf, ARRAY_SIZE(buf), 0);
	/* The probe and its helpers: this module's text, at the front. */
	while (skip < n && within_module(buf[skip], THIS_MODULE))
		skip++;
	return ls_stacks_intern(t, buf + skip, n - skip);
}

u32 ls_stacks_frames(struct ls_stacks *t, u32 id, unsigned long *frames,
		     u32 cap)
{
	unsigned long flags;
	u32 n = 0;

	raw_spin_lock_irqsave(&t->lock, flags);
	if (id && id <= t->nr) {
		n = min(cap, t->stacks[id - 1].nr);
		memcpy(frames, t->stacks[id - 1].frames, n * sizeof(*frames));
	}
	raw_spin_unlock_irqrestore(&t->lock, flags);
	return n;
}
