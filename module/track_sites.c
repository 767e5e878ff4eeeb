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
};

static bool ls_has_prefix(const char *s, size_t len, const char *p)
{
	size_t n = strlen(p);

	return len >= n && !memcmp(s, p, n);
}

bool ls_site_skip(const char *sym)
{
	static const char noprof[] = "_noprof";
	size_t len = 0, i;

	if (!sym)
		return false;
	while (len < LS_SITE_NAME_MAX && sym[len] && sym[len] != '+' &&
	       sym[len] != ' ' && sym[len] != '.')
		len++;
	if (!len || len == LS_SITE_NAME_MAX)
		return false;
	/* The tracepoint's own call into the probes */
	if (ls_has_prefix(sym, len, "__traceiter_") ||
	    ls_has_prefix(sym, len, "__probestub_"))
		return true;
	if (len > sizeof(noprof) - 1 &&
	    !memcmp(sym + len - (sizeof(noprof) - 1), noprof,
		    sizeof(noprof) - 1))
		len -= sizeof(noprof) - 1;
	for (i = 0; i < ARRAY_SIZE(ls_site_skipped); i++)
		if (strlen(ls_site_skipped[i]) == len &&
		    !memcmp(sym, ls_site_skipped[i], len))
			return true;
	return false;
}
