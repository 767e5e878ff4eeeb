// SPDX-License-Identifier: GPL-2.0
/*
 * The meminfo walker: the same counters fs/proc/meminfo.c prints, read
 * through exported interfaces (si_meminfo, the vm_node_stat/vm_zone_stat
 * inlines) and, for VmallocUsed, through the compat layer as data.
 */
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/vmstat.h>

#include "compat.h"
#include "leakscope.h"
#include "walk_meminfo.h"

static s64 ls_pages_kb(unsigned long pages)
{
	return (s64)pages << (PAGE_SHIFT - 10);
}

/*
 * Free pages parked on the per-CPU lists (/proc/zoneinfo's pagesets
 * "count"): taken out of MemFree, so without them they would read as
 * memory nobody accounts for.  6.7+ scales each list's high mark with
 * the allocation rate: a box that forks and exits fast parks tens of MB
 * there, and a ledger blind to them "grows" with every burst (measured
 * on 6.12 under TCG: 23 MB -> 31 MB in 20 s of thread and fork churn,
 * Unaccounted following it kB for kB).  struct per_cpu_pages is in
 * <linux/mmzone.h>; counts are read racily, as zoneinfo does.
 */
static unsigned long ls_pcp_free_pages(void)
{
	unsigned long pages = 0;
	int nid, cpu, i;

	for_each_online_node(nid) {
		struct pglist_data *pgdat = NODE_DATA(nid);

		for (i = 0; i < MAX_NR_ZONES; i++) {
			struct zone *zone = &pgdat->node_zones[i];

			if (!populated_zone(zone))
				continue;
			for_each_online_cpu(cpu)
				pages += max(0, READ_ONCE(per_cpu_ptr(zone->per_cpu_pageset,
								    cpu)->count));
		}
	}
	return pages;
}

void ls_meminfo_read(struct ls_meminfo *mi)
{
	unsigned long lru[NR_LRU_LISTS];
	unsigned long vmalloc_pages = 0;
	struct sysinfo si;
	s64 accounted;
	int i;

	si_meminfo(&si);
	for (i = LRU_BASE; i < NR_LRU_LISTS; i++)
		lru[i] = global_node_page_state(NR_LRU_BASE + i);

	for (i = 0; i < LS_MI_NR; i++)
		mi->valid[i] = true;

	mi->kb[LS_MI_ACTIVE_ANON] = ls_pages_kb(lru[LRU_ACTIVE_ANON]);
	mi->kb[LS_MI_INACTIVE_ANON] = ls_pages_kb(lru[LRU_INACTIVE_ANON]);
	mi->kb[LS_MI_ANON_PAGES] =
		ls_pages_kb(global_node_page_state(NR_ANON_MAPPED));
	mi->kb[LS_MI_MAPPED] =
		ls_pages_kb(global_node_page_state(NR_FILE_MAPPED));
	mi->kb[LS_MI_SHMEM] = ls_pages_kb(si.sharedram);
	mi->kb[LS_MI_UNEVICTABLE] = ls_pages_kb(lru[LRU_UNEVICTABLE]);
	mi->kb[LS_MI_MLOCKED] =
		ls_pages_kb(global_zone_page_state(NR_MLOCK));
	mi->kb[LS_MI_SRECLAIMABLE] =
		ls_pages_kb(global_node_page_state_pages(NR_SLAB_RECLAIMABLE_B));
	mi->kb[LS_MI_SUNRECLAIM] =
		ls_pages_kb(global_node_page_state_pages(NR_SLAB_UNRECLAIMABLE_B));
	mi->kb[LS_MI_SLAB] = mi->kb[LS_MI_SRECLAIMABLE] +
			     mi->kb[LS_MI_SUNRECLAIM];
	mi->valid[LS_MI_VMALLOC_USED] =
		ls_compat_vmalloc_used_pages(&vmalloc_pages);
	mi->kb[LS_MI_VMALLOC_USED] = ls_pages_kb(vmalloc_pages);
	mi->kb[LS_MI_KERNEL_STACK] = global_node_page_state(NR_KERNEL_STACK_KB);
	mi->kb[LS_MI_PAGE_TABLES] =
		ls_pages_kb(global_node_page_state(NR_PAGETABLE));

	/*
	 * The ledger: everything /proc/meminfo accounts for without overlap.
	 * The LRU lists hold page cache, buffers, anon and shmem pages alike.
	 * What is left is memory taken straight from the page allocator
	 * (drivers, percpu, hugetlb pool, zswap): its growth is a leak no
	 * other counter shows.  Without VmallocUsed the ledger cannot close.
	 * With VMAP_STACK, kernel stacks are vmalloc areas: already counted
	 * in VmallocUsed, so KernelStack is not subtracted twice.  Free
	 * pages on the per-CPU lists are free memory too.
	 */
	accounted = ls_pages_kb(si.freeram) +
		    ls_pages_kb(ls_pcp_free_pages()) +
		    ls_pages_kb(global_node_page_state(NR_KERNEL_MISC_RECLAIMABLE)) +
		    ls_pages_kb(global_node_page_state(NR_SECONDARY_PAGETABLE)) +
		    mi->kb[LS_MI_SLAB] + mi->kb[LS_MI_VMALLOC_USED] +
		    mi->kb[LS_MI_PAGE_TABLES];
	if (!IS_ENABLED(CONFIG_VMAP_STACK))
		accounted += mi->kb[LS_MI_KERNEL_STACK];
	for (i = LRU_BASE; i < NR_LRU_LISTS; i++)
		accounted += ls_pages_kb(lru[i]);
	mi->kb[LS_MI_UNACCOUNTED] = ls_pages_kb(si.totalram) - accounted;
	mi->valid[LS_MI_UNACCOUNTED] = mi->valid[LS_MI_VMALLOC_USED];
	mi->kb[LS_MI_SELF] = ls_self_kb();
}
