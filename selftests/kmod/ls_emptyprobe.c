// SPDX-License-Identifier: GPL-2.0
/*
 * ls_emptyprobe: a test-only module for leakscope's `make bench`
 * (selftests/vm/bench.sh): the floor of any tracepoint-based allocation
 * tracker.  While loaded it registers probes that do nothing on the
 * events leakscope's track=all uses for slab and pages (kmalloc,
 * kmem_cache_alloc, kfree, kmem_cache_free; mm_page_alloc, mm_page_free),
 * so that ls_allocbench's loops, read with it loaded, pay the tracepoint
 * calls and nothing else.  Never load it outside a test VM.
 *
 * The kmem events are exported (register_trace_*()); the page events are
 * not, and are found by name, as leakscope finds them.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <trace/events/kmem.h>

static void ls_ep_kmalloc(void *data, unsigned long call_site,
			  const void *ptr, size_t bytes_req,
			  size_t bytes_alloc, gfp_t gfp, int node)
{
}

static void ls_ep_kmem_cache_alloc(void *data, unsigned long call_site,
				   const void *ptr, struct kmem_cache *s,
				   gfp_t gfp, int node)
{
}

static void ls_ep_kfree(void *data, unsigned long call_site, const void *ptr)
{
}

static void ls_ep_kmem_cache_free(void *data, unsigned long call_site,
				  const void *ptr, const struct kmem_cache *s)
{
}

static void ls_ep_page_alloc(void *data, struct page *page,
			     unsigned int order, gfp_t gfp, int migratetype)
{
}

static void ls_ep_page_free(void *data, struct page *page,
			    unsigned int order)
{
}

static struct tracepoint *ls_ep_page_tp[2];

static void ls_ep_match(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "mm_page_alloc"))
		ls_ep_page_tp[0] = tp;
	else if (!strcmp(tp->name, "mm_page_free"))
		ls_ep_page_tp[1] = tp;
}

/* Probes registered so far, in the order of ls_ep_register(). */
static int ls_ep_registered;

/* Unregister the first @n probes, last first; wait until none runs. */
static void ls_ep_unregister(int n)
{
	if (n > 5)
		tracepoint_probe_unregister(ls_ep_page_tp[1], ls_ep_page_free,
					    NULL);
	if (n > 4)
		tracepoint_probe_unregister(ls_ep_page_tp[0], ls_ep_page_alloc,
					    NULL);
	if (n > 3)
		unregister_trace_kmem_cache_free(ls_ep_kmem_cache_free, NULL);
	if (n > 2)
		unregister_trace_kfree(ls_ep_kfree, NULL);
	if (n > 1)
		unregister_trace_kmem_cache_alloc(ls_ep_kmem_cache_alloc, NULL);
	if (n > 0)
		unregister_trace_kmalloc(ls_ep_kmalloc, NULL);
	tracepoint_synchronize_unregister();
}

/* Register all six; returns how many were, 6 on success. */
static int ls_ep_register(void)
{
	if (register_trace_kmalloc(ls_ep_kmalloc, NULL))
		return 0;
	if (register_trace_kmem_cache_alloc(ls_ep_kmem_cache_alloc, NULL))
		return 1;
	if (register_trace_kfree(ls_ep_kfree, NULL))
		return 2;
	if (register_trace_kmem_cache_free(ls_ep_kmem_cache_free, NULL))
		return 3;
	if (tracepoint_probe_register(ls_ep_page_tp[0], ls_ep_page_alloc,
				      NULL))
		return 4;
	if (tracepoint_probe_register(ls_ep_page_tp[1], ls_ep_page_free, NULL))
		return 5;
	return 6;
}

static int __init ls_ep_init(void)
{
	/* The probes' prototypes, checked against the events' at build. */
	check_trace_callback_type_mm_page_alloc(ls_ep_page_alloc);
	check_trace_callback_type_mm_page_free(ls_ep_page_free);
	for_each_kernel_tracepoint(ls_ep_match, NULL);
	if (!ls_ep_page_tp[0] || !ls_ep_page_tp[1]) {
		pr_err("mm_page_alloc or mm_page_free not found\n");
		return -ENOENT;
	}
	ls_ep_registered = ls_ep_register();
	if (ls_ep_registered < 6) {
		pr_err("probe %d of 6 did not register\n",
		       ls_ep_registered + 1);
		ls_ep_unregister(ls_ep_registered);
		return -EBUSY;
	}
	pr_info("empty probes on kmalloc, kmem_cache_alloc, kfree, kmem_cache_free, mm_page_alloc, mm_page_free\n");
	return 0;
}

static void __exit ls_ep_exit(void)
{
	ls_ep_unregister(ls_ep_registered);
}

module_init(ls_ep_init);
module_exit(ls_ep_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("leakscope test module: empty probes on the allocation tracepoints, a benchmark's floor");
