/* SPDX-License-Identifier: GPL-2.0 */
/*
 * leakscope's own memory, counted where it is allocated.
 *
 * A leak detector that stays loaded must show that it is not the leak:
 * every allocation the module makes goes through these helpers, which
 * charge what the allocator really took (the kmalloc bucket or the
 * vmalloc pages, not the size asked for) to one counter, shown as self_kb= in
 * every file's header and as the summary's leakscope row.  Memory from
 * these helpers is freed with ls_mem_free() only.
 */
#ifndef LS_SELF_MEM_H
#define LS_SELF_MEM_H

#include <linux/overflow.h>
#include <linux/types.h>

/* kvmalloc(): a slab object when small, vmalloc pages when large. */
void *ls_mem_alloc(size_t size, gfp_t gfp);
void ls_mem_free(const void *p);

static inline void *ls_mem_zalloc(size_t size, gfp_t gfp)
{
	return ls_mem_alloc(size, gfp | __GFP_ZERO);
}

static inline void *ls_mem_array(size_t n, size_t size, gfp_t gfp)
{
	size_t bytes;

	if (unlikely(check_mul_overflow(n, size, &bytes)))
		return NULL;
	return ls_mem_alloc(bytes, gfp);
}

static inline void *ls_mem_calloc(size_t n, size_t size, gfp_t gfp)
{
	return ls_mem_array(n, size, gfp | __GFP_ZERO);
}

/* Bytes held through these helpers now. */
u64 ls_mem_bytes(void);

#endif /* LS_SELF_MEM_H */
