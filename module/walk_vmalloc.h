/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The vmalloc walker: every busy vmalloc/vmap/ioremap area, as
 * /proc/vmallocinfo lists it, copied into plain records.
 */
#ifndef LS_WALK_VMALLOC_H
#define LS_WALK_VMALLOC_H

#include <linux/types.h>

#define LS_VMALLOC_BATCH	1024	/* areas visited per spinlock hold */
#define LS_VMALLOC_MAX		262144	/* areas per walk; more: truncated */

/* One area, as /proc/vmallocinfo shows it (size includes the guard page). */
struct ls_vm_area {
	unsigned long caller;		/* return address of the allocator's caller */
	unsigned long size;		/* bytes */
	unsigned long flags;		/* VM_ALLOC, VM_MAP, VM_IOREMAP, ... */
	u32 nr_pages;
};

/*
 * One walk's result.  a[0..nr) are the areas, grouped by list and in
 * address order within each list (on kernels with vmap nodes the lists are
 * per node, so the whole is not address-sorted).  The buffer is kept
 * across walks and only grows: zero-initialise once, free with
 * ls_vmalloc_snap_free().
 */
struct ls_vmalloc_snap {
	struct ls_vm_area *a;
	u32 nr, cap;
	bool truncated;			/* more than LS_VMALLOC_MAX areas */
	u32 longest_hold_us;		/* longest spinlock hold of this walk */
};

/*
 * Choose and validate the regime for the running kernel.  Call once at
 * init, after ls_compat_init() and ls_kernel_btf_init().  Returns 0 even
 * when the walker is disabled (dmesg and the disabled list say why).
 */
int ls_vmalloc_init(void);

bool ls_vmalloc_enabled(void);

/*
 * Replace @s's records with the areas busy now.  Process context, no lock
 * held: it sleeps (allocation, cond_resched).  Entries without a vm_struct
 * (vm_map_ram) and half-built ones (VM_UNINITIALIZED) are skipped.
 * 0, -ENODEV when the walker is disabled, -ENOMEM (then @s holds what was
 * copied before the failure and remains valid).
 */
int ls_vmalloc_walk(struct ls_vmalloc_snap *s);

void ls_vmalloc_snap_free(struct ls_vmalloc_snap *s);

#endif /* LS_WALK_VMALLOC_H */
