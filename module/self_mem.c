// SPDX-License-Identifier: GPL-2.0
/*
 * leakscope's own memory, counted where it is allocated (see self_mem.h).
 *
 * Each block starts with a small head that says what it was charged, so a
 * free uncharges exactly that: no size is passed around, and the count
 * cannot drift however a block was sized.  The head also carries a check
 * word, so a block freed twice, or a pointer that did not come from
 * ls_mem_alloc(), is a WARN (which fails every test run) instead of a
 * silently wrong count.
 */
#include <linux/atomic.h>
#include <linux/bug.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "self_mem.h"

#define LS_MEM_LIVE	0x6c736d656d6c6976UL	/* "lsmemliv" */

/* 16 bytes: what follows stays as aligned as kmalloc's own minimum. */
struct ls_mem_head {
	size_t charged;
	unsigned long check;
} __aligned(16);

static atomic_long_t ls_mem_held = ATOMIC_LONG_INIT(0);

static unsigned long ls_mem_check(const struct ls_mem_head *h)
{
	return LS_MEM_LIVE ^ (unsigned long)h;
}

void *ls_mem_alloc(size_t size, gfp_t gfp)
{
	struct ls_mem_head *h;
	size_t bytes;

	if (unlikely(check_add_overflow(size, sizeof(*h), &bytes)))
		return NULL;
	h = kvmalloc(bytes, gfp);
	if (!h)
		return NULL;
	/*
	 * What the allocator took: the kmalloc bucket (or the pages of a
	 * large kmalloc), or whole vmalloc pages.  Not ksize(), which on 6.1
	 * unpoisons the slack for KASAN.
	 */
	h->charged = is_vmalloc_addr(h) ? PAGE_ALIGN(bytes) :
		     kmalloc_size_roundup(bytes);
	h->check = ls_mem_check(h);
	atomic_long_add(h->charged, &ls_mem_held);
	return h + 1;
}

void ls_mem_free(const void *p)
{
	struct ls_mem_head *h;

	if (!p)
		return;
	h = (struct ls_mem_head *)p - 1;
	if (WARN_ON_ONCE(h->check != ls_mem_check(h)))
		return;		/* leaked rather than freed wrongly */
	h->check = 0;
	atomic_long_sub(h->charged, &ls_mem_held);
	kvfree(h);
}

u64 ls_mem_bytes(void)
{
	long held = atomic_long_read(&ls_mem_held);

	return held > 0 ? held : 0;
}
