/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Stack interning for call-site tracking: a sampled allocation keeps a
 * short stack as a small id into a fixed table, so that identical stacks
 * are stored once and records stay small.
 *
 * The table is preallocated (GFP_KERNEL, counted in self_kb) and bounded;
 * interning works from any context but NMI, never allocates or sleeps.
 * Ids are 1..cap; 0 means no stack (none captured, or the table is full:
 * counted).  An interned stack is never removed while the table lives, so
 * an id stays valid until the table is freed.
 */
#ifndef LS_TRACK_STACKS_H
#define LS_TRACK_STACKS_H

#include <linux/spinlock.h>
#include <linux/types.h>

#define LS_STACK_DEPTH		12	/* frames kept of each stack */

struct ls_stack {
	u32 hash;
	u32 nr;				/* frames in frames[] */
	unsigned long frames[LS_STACK_DEPTH];
};

struct ls_stacks {
	raw_spinlock_t lock;		/* insertion; irqsave, leaf lock */
	u32 cap;			/* stacks the table can hold */
	u32 nr;				/* stacks held: ids 1..nr */
	u32 slot_mask;			/* slots has slot_mask + 1 entries */
	u64 full;			/* stacks refused: table full */
	u32 *slots;			/* open addressing: id, 0 empty */
	struct ls_stack *stacks;	/* [cap]: id i is stacks[i - 1] */
};

/* Preallocate room for @cap stacks.  Sleeps. */
int ls_stacks_alloc(struct ls_stacks *t, u32 cap);
void ls_stacks_free(struct ls_stacks *t);
/* The bytes ls_stacks_alloc() takes for @cap stacks. */
size_t ls_stacks_bytes(u32 cap);

/* The id of the @nr frames at @frames (interned now if new), or 0. */
u32 ls_stacks_intern(struct ls_stacks *t, const unsigned long *frames,
		     u32 nr);

/*
 * Save the current stack, less the frames of this module (the probe and
 * what called it here), and intern it: the id, or 0.
 */
u32 ls_stacks_capture(struct ls_stacks *t);

/* Copy stack @id's frames (at most @cap): how many. */
u32 ls_stacks_frames(struct ls_stacks *t, u32 id, unsigned long *frames,
		     u32 cap);

#endif /* LS_TRACK_STACKS_H */
