// SPDX-License-Identifier: GPL-2.0
/*
 * The frames call-site tracking looks past (see track_sites.h).  Names
 * are exact (plus the "_noprof" that 6.10's allocation profiling adds to
 * the allocator's own functions): a prefix such as "kmalloc" would also
 * swallow a driver's kmalloc_foo(), which is the caller that matters.
 */

#include "ls_pure.h"
#include "track_sites.h"

#define LS_SITE_NAME_MAX	64

static const char *const ls_site_skipped[] = {
	/* The allocator itself: 6.1 and 6.12 (without _noprof) */
	"__kmalloc", "__kmalloc_node", "__kmalloc_node_track_caller",
	"__kmalloc_cache", "__kmalloc_cache_node", "__kmalloc_track_caller",
	"__do_kmalloc_node", "__kmem_cache_alloc_node", "__kmem_cache_alloc_lru",
	"kmalloc_trace", "kmalloc_node_trace", "kmalloc_large",
	"kmalloc_large_node", "__kmalloc_large", "__kmalloc_large_node",
	"___kmalloc_large_node", "__kmalloc_large_node_trace",
	"kmalloc_order", "kmalloc_order_trace",
	"kmem_cache_alloc", "kmem_cache_alloc_node", "kmem_cache_alloc_lru",
	"slab_alloc_node", "slab_alloc", "__slab_alloc", "___slab_alloc",
	/* Wrappers: the allocation is for whoever called them */
	"kstrdup", "kstrdup_const", "kstrndup", "kmemdup", "kmemdup_nul",
	"kmemdup_array", "kvmemdup", "kvmalloc_node", "__kvmalloc_node",
	"kvasprintf", "kvasprintf_const", "kasprintf", "krealloc",
	"__krealloc", "kvrealloc", "memdup_user", "memdup_user_nul",
	"vmemdup_user", "strndup_user", "devm_kmalloc", "devm_krealloc",
	"devm_kstrdup", "devm_kstrdup_const", "devm_kmemdup",
	"devm_kvasprintf", "devm_kasprintf",
	/*
	 * The page allocator, for page events (which have no call site):
	 * 6.1's and 6.12's (less _noprof) entry points and inner functions
	 */
	"__alloc_pages", "alloc_pages", "alloc_pages_mpol", "alloc_pages_node",
	"__alloc_pages_node", "__folio_alloc", "folio_alloc",
	"folio_alloc_mpol", "vma_alloc_folio", "__get_free_pages",
	"get_free_pages", "get_zeroed_page", "alloc_pages_exact",
	"alloc_pages_exact_nid", "__alloc_pages_bulk", "alloc_pages_bulk",
	"alloc_pages_bulk_array_mempolicy", "alloc_pages_bulk_mempolicy",
	"__alloc_pages_slowpath", "get_page_from_freelist",
	/* Percpu: the event's call site is inside these on 6.1 */
	"pcpu_alloc", "__alloc_percpu", "__alloc_percpu_gfp",
	"__alloc_reserved_percpu",
};

/*
 * Frames that say whose a page is: memory that another meminfo counter
 * (and another class of the callsites file) already shows.
 */
static const char *const ls_site_slab[] = {
	"__kmalloc", "__kmalloc_node", "__kmalloc_node_track_caller",
	"__kmalloc_track_caller", "__do_kmalloc_node", "kmalloc_large",
	"kmalloc_large_node", "__kmalloc_large", "__kmalloc_large_node",
	"___kmalloc_large_node", "__kmalloc_large_node_trace", "kmalloc_order",
	"kmalloc_order_trace", "allocate_slab", "new_slab", "alloc_slab_page",
	"___slab_alloc", "__slab_alloc",
};

static const char *const ls_site_vmalloc[] = {
	"vm_area_alloc_pages", "__vmalloc_area_node", "__vmalloc_node_range",
	"__vmalloc_node",
};

static const char *const ls_site_percpu[] = {
	"pcpu_alloc_pages", "pcpu_populate_chunk", "pcpu_balance_populated",
	"pcpu_create_chunk",
};

static bool ls_has_prefix(const char *s, size_t len, const char *p)
{
	size_t n = strlen(p);

	return len >= n && !memcmp(s, p, n);
}

/*
 * The length of @sym's function name, less compiler suffixes and
 * "_noprof"; 0 if it is not one.
 */
static size_t ls_site_name_len(const char *sym)
{
	static const char noprof[] = "_noprof";
	size_t len = 0;

	if (!sym)
		return 0;
	while (len < LS_SITE_NAME_MAX && sym[len] && sym[len] != '+' &&
	       sym[len] != ' ' && sym[len] != '.')
		len++;
	if (!len || len == LS_SITE_NAME_MAX)
		return 0;
	if (len > sizeof(noprof) - 1 &&
	    !memcmp(sym + len - (sizeof(noprof) - 1), noprof,
		    sizeof(noprof) - 1))
		len -= sizeof(noprof) - 1;
	return len;
}

static bool ls_site_in(const char *const *list, size_t nr, const char *sym,
		       size_t len)
{
	size_t i;

	for (i = 0; i < nr; i++)
		if (strlen(list[i]) == len && !memcmp(sym, list[i], len))
			return true;
	return false;
}

bool ls_site_skip(const char *sym)
{
	size_t len = ls_site_name_len(sym);

	if (!len)
		return false;
	/* The tracepoint's own call into the probes */
	if (ls_has_prefix(sym, len, "__traceiter_") ||
	    ls_has_prefix(sym, len, "__probestub_"))
		return true;
	return ls_site_in(ls_site_skipped, ARRAY_SIZE(ls_site_skipped), sym,
			  len);
}

enum ls_site_owner ls_site_owner(const char *sym)
{
	size_t len = ls_site_name_len(sym);

	if (!len)
		return LS_OWNER_NONE;
	if (ls_site_in(ls_site_slab, ARRAY_SIZE(ls_site_slab), sym, len))
		return LS_OWNER_SLAB;
	if (ls_site_in(ls_site_vmalloc, ARRAY_SIZE(ls_site_vmalloc), sym, len))
		return LS_OWNER_VMALLOC;
	if (ls_site_in(ls_site_percpu, ARRAY_SIZE(ls_site_percpu), sym, len))
		return LS_OWNER_PERCPU;
	return LS_OWNER_NONE;
}
