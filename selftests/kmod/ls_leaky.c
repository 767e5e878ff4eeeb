// SPDX-License-Identifier: GPL-2.0
/*
 * ls_leaky: a test-only module that leaks kernel memory at a steady pace,
 * for leakscope's VM tests.  Never load it outside a test VM.
 *
 * Every period_ms a delayed work
 *  - vmalloc()s one area of vm_kb KiB from ls_leaky_vmalloc_one(), so that
 *    /proc/vmallocinfo names that function as the area's caller, and
 *  - allocates objs_per_tick objects of obj_size bytes from the module's
 *    own, unmergeable kmem_cache "ls_leaky_cache" (/proc/slabinfo),
 * and keeps all of them on lists, until max_ticks periods have passed
 * (0: for as long as the module is loaded).
 *
 * Writing N (2 or more) to /sys/module/ls_leaky/parameters/free_every frees
 * every Nth object it holds, at once: the slabs they were in stay, with
 * holes, on the cache's partial lists.  That is how a partial list gets
 * long, and how objects are freed into slabs without any slab coming or
 * going, for the tests of leakscope's slab walk.
 *
 * On unload the slab objects are always freed and the cache destroyed: a
 * cache must not outlive the module that owns its name and constructor.
 * The vmalloc areas are freed only when free_on_unload is set (it may be
 * changed at run time in /sys/module/ls_leaky/parameters/).  With
 * free_on_unload=0 they stay allocated for good, and /proc/vmallocinfo
 * shows their caller as a bare address in the unloaded module's text: the
 * "driver unloaded without freeing" case.  Only the vmalloc areas are ever
 * orphaned.  They are leaked on purpose, so they are marked for kmemleak
 * as not a leak: a debug-kernel test run fails on any kmemleak report, and
 * this one would be no finding.
 *
 * vm_leak=0 turns the vmalloc leak off (and objs_per_tick=0 the
 * ls_leaky_cache one), for the tests of call-site tracking that want one
 * leak alone.  More reproducers for those tests, each off by default and
 * each allocating from a noinline function of its own, so that a call site
 * or a stack names it ("ls_leaky_strdup_leak+0x2a/0x90 [ls_leaky]").  Each
 * does new_per_tick (1..4096, default 32) allocations per period:
 *
 * Leaks, held on lists until unload (so never a kmemleak report):
 *  - strdup_bytes=N (16..8192): kstrdup()s a string of N bytes, NUL
 *    included, from ls_leaky_strdup_leak(): a kmalloc leak through a
 *    wrapper, into kmalloc-N, where the caller that matters is not the one
 *    the kmalloc event records (kstrdup);
 *  - kc_obj_size=N (16..65536): objects of N bytes of the module's second
 *    own, unmergeable cache "ls_leaky_kc", from ls_leaky_kc_leak();
 *  - leak_pages=1: alloc_pages(GFP_KERNEL, page_order) (page_order 0..4,
 *    default 0) from ls_leaky_pages_leak(): pages that no /proc/meminfo
 *    counter shows (MemFree falls, nothing rises);
 *  - percpu_bytes=N (32..4096): __alloc_percpu() of N bytes, from
 *    ls_leaky_percpu_leak() ("Percpu:" in /proc/meminfo grows).
 *
 * Non-leakers, whose population stays flat: everything allocated is freed
 * hold_ticks (1..1000, default 5) periods later, so that about
 * new_per_tick * hold_ticks of each are held at any time:
 *  - churn_obj_size=N (16..65536): objects of N bytes of a third own,
 *    unmergeable cache "ls_leaky_churn", from ls_leaky_churn_alloc(), freed
 *    with kmem_cache_free();
 *  - rcu_bytes=N (64..8192): kmalloc()s of N bytes from
 *    ls_leaky_rcu_alloc(), freed with kfree_rcu(): the frees go through
 *    RCU's batches and kfree_bulk(), which no kfree event traces;
 *  - churn_pages=1: alloc_pages(GFP_KERNEL, page_order) from
 *    ls_leaky_pages_churn_alloc(), freed with __free_pages().
 *
 * All of these stop with the vmalloc leak at max_ticks (and then hold what
 * they have), and all of them are freed on unload, whatever free_on_unload
 * says.  Writes to free_every touch ls_leaky_cache alone.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kmemleak.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>

#define LS_LEAKY_MAX_PERIOD_MS	60000
#define LS_LEAKY_MAX_VM_KB	65536
#define LS_LEAKY_MAX_OBJ_SIZE	65536
#define LS_LEAKY_MAX_OBJS	4096
#define LS_LEAKY_MAX_STRDUP	8192
#define LS_LEAKY_MAX_PAGE_ORDER	4
#define LS_LEAKY_MIN_PERCPU	32
#define LS_LEAKY_MAX_PERCPU	4096
#define LS_LEAKY_MIN_RCU	64
#define LS_LEAKY_MAX_RCU	8192
#define LS_LEAKY_MAX_HOLD	1000

static unsigned int period_ms = 200;
module_param(period_ms, uint, 0444);
MODULE_PARM_DESC(period_ms, "Milliseconds between two leaks (1..60000, default 200)");

static unsigned int vm_kb = 64;
module_param(vm_kb, uint, 0444);
MODULE_PARM_DESC(vm_kb, "KiB of each vmalloc area (1..65536, default 64)");

static unsigned int obj_size = 512;
module_param(obj_size, uint, 0444);
MODULE_PARM_DESC(obj_size, "Object size of ls_leaky_cache in bytes (16..65536, default 512)");

static unsigned int objs_per_tick = 32;
module_param(objs_per_tick, uint, 0444);
MODULE_PARM_DESC(objs_per_tick, "Slab objects allocated per period (0..4096, default 32)");

static unsigned int max_ticks;
module_param(max_ticks, uint, 0444);
MODULE_PARM_DESC(max_ticks, "Stop leaking after this many periods (0 = never, default)");

static bool free_on_unload = true;
module_param(free_on_unload, bool, 0644);
MODULE_PARM_DESC(free_on_unload, "Free the vmalloc areas on unload (default 1; slab objects are always freed)");

static bool vm_leak = true;
module_param(vm_leak, bool, 0444);
MODULE_PARM_DESC(vm_leak, "Leak a vmalloc area every period (default 1)");

static unsigned int new_per_tick = 32;
module_param(new_per_tick, uint, 0444);
MODULE_PARM_DESC(new_per_tick, "Allocations per period of each reproducer below (1..4096, default 32)");

static unsigned int strdup_bytes;
module_param(strdup_bytes, uint, 0444);
MODULE_PARM_DESC(strdup_bytes, "Leak kstrdup()s of this many bytes from ls_leaky_strdup_leak() (0 = off, default; 16..8192)");

static unsigned int kc_obj_size;
module_param(kc_obj_size, uint, 0444);
MODULE_PARM_DESC(kc_obj_size, "Leak objects of this size of cache ls_leaky_kc from ls_leaky_kc_leak() (0 = off, default; 16..65536)");

static bool leak_pages;
module_param(leak_pages, bool, 0444);
MODULE_PARM_DESC(leak_pages, "Leak alloc_pages() blocks from ls_leaky_pages_leak() (default 0)");

static unsigned int page_order;
module_param(page_order, uint, 0444);
MODULE_PARM_DESC(page_order, "Order of the leak_pages and churn_pages blocks (0..4, default 0)");

static unsigned int percpu_bytes;
module_param(percpu_bytes, uint, 0444);
MODULE_PARM_DESC(percpu_bytes, "Leak percpu areas of this size from ls_leaky_percpu_leak() (0 = off, default; 32..4096)");

static unsigned int hold_ticks = 5;
module_param(hold_ticks, uint, 0444);
MODULE_PARM_DESC(hold_ticks, "Periods the non-leakers hold an allocation before they free it (1..1000, default 5)");

static unsigned int churn_obj_size;
module_param(churn_obj_size, uint, 0444);
MODULE_PARM_DESC(churn_obj_size, "Churn objects of this size of cache ls_leaky_churn at a flat population (0 = off, default; 16..65536)");

static unsigned int rcu_bytes;
module_param(rcu_bytes, uint, 0444);
MODULE_PARM_DESC(rcu_bytes, "Churn kmalloc()s of this size freed by kfree_rcu() (0 = off, default; 64..8192)");

static bool churn_pages;
module_param(churn_pages, bool, 0444);
MODULE_PARM_DESC(churn_pages, "Churn alloc_pages() blocks, freed after hold_ticks periods (default 0)");

/*
 * Both kinds of allocation carry their own list node at their start, so
 * that nothing else is allocated to track them.  The lists are touched by
 * the work, a write to free_every and module exit, under ls_leaky_lock
 * (a parameter can be written while the module is being unloaded).
 */
struct ls_leaky_chunk {
	struct list_head node;
};

/* What the non-leakers hold: stamped with the period it was allocated in. */
struct ls_leaky_held {
	struct list_head node;
	unsigned int tick;
};

struct ls_leaky_rcu_obj {
	struct list_head node;
	unsigned int tick;
	struct rcu_head rcu;
};

/*
 * A percpu area holds its own list node, in its copy for CPU 0, and the
 * __percpu pointer to itself, to be freed by.
 */
struct ls_leaky_pcpu {
	struct list_head node;
	void __percpu *self;
};

/* One list and count per reproducer, all under ls_leaky_lock. */
struct ls_leaky_list {
	struct list_head head;
	unsigned long nr;
};

static DEFINE_MUTEX(ls_leaky_lock);
static LIST_HEAD(ls_leaky_areas);
static LIST_HEAD(ls_leaky_objs);
static unsigned long ls_leaky_nr_areas;
static unsigned long ls_leaky_nr_objs;
static unsigned int ls_leaky_ticks;
static struct kmem_cache *ls_leaky_cache;

static struct ls_leaky_list ls_leaky_strdups;
static struct ls_leaky_list ls_leaky_kc_objs;
static struct ls_leaky_list ls_leaky_pages;
static struct ls_leaky_list ls_leaky_percpus;
static struct ls_leaky_list ls_leaky_churn_objs;
static struct ls_leaky_list ls_leaky_rcu_objs;
static struct ls_leaky_list ls_leaky_churn_page_list;
static struct kmem_cache *ls_leaky_kc;
static struct kmem_cache *ls_leaky_churn;
static char *ls_leaky_string;	/* what strdup_bytes duplicates */

static void ls_leaky_tick(struct work_struct *work);
static DECLARE_DELAYED_WORK(ls_leaky_work, ls_leaky_tick);

/*
 * The constructor is there to make the cache unmergeable (SLAB_NO_MERGE
 * only exists since 6.5), so that ls_leaky_cache has its own line in
 * /proc/slabinfo on every kernel.
 */
static void ls_leaky_ctor(void *obj)
{
	struct ls_leaky_chunk *chunk = obj;

	INIT_LIST_HEAD(&chunk->node);
}

/*
 * vmalloc() records its caller (__builtin_return_address(0)) as the area's
 * caller: keep this a function of its own, and keep the vmalloc() call
 * out of tail position, or the caller would be ls_leaky_tick().
 */
static noinline int ls_leaky_vmalloc_one(void)
{
	struct ls_leaky_chunk *chunk;

	chunk = vmalloc((unsigned long)vm_kb * 1024);
	if (!chunk)
		return -ENOMEM;
	list_add_tail(&chunk->node, &ls_leaky_areas);
	ls_leaky_nr_areas++;
	return 0;
}

static int ls_leaky_alloc_obj(void)
{
	struct ls_leaky_chunk *chunk;

	chunk = kmem_cache_alloc(ls_leaky_cache, GFP_KERNEL);
	if (!chunk)
		return -ENOMEM;
	list_add_tail(&chunk->node, &ls_leaky_objs);
	ls_leaky_nr_objs++;
	return 0;
}

/*
 * The allocating functions below are noinline and keep their allocation
 * out of tail position, so that each is the return address of its call
 * and a frame of its stack.
 */
static noinline int ls_leaky_strdup_leak(void)
{
	struct ls_leaky_chunk *chunk;

	void *p;

	p = kstrdup(ls_leaky_string, GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	chunk = p;
	list_add_tail(&chunk->node, &ls_leaky_strdups.head);
	ls_leaky_strdups.nr++;
	return 0;
}

static noinline int ls_leaky_kc_leak(void)
{
	struct ls_leaky_chunk *chunk;

	chunk = kmem_cache_alloc(ls_leaky_kc, GFP_KERNEL);
	if (!chunk)
		return -ENOMEM;
	list_add_tail(&chunk->node, &ls_leaky_kc_objs.head);
	ls_leaky_kc_objs.nr++;
	return 0;
}

static void ls_leaky_hold_page(struct ls_leaky_list *list, struct page *page)
{
	set_page_private(page, ls_leaky_ticks);
	list_add_tail(&page->lru, &list->head);
	list->nr++;
}

static noinline int ls_leaky_pages_leak(void)
{
	struct page *page;

	page = alloc_pages(GFP_KERNEL, page_order);
	if (!page)
		return -ENOMEM;
	ls_leaky_hold_page(&ls_leaky_pages, page);
	return 0;
}

static noinline int ls_leaky_percpu_leak(void)
{
	void __percpu *p;
	struct ls_leaky_pcpu *pc;

	p = __alloc_percpu(percpu_bytes, sizeof(void *));
	if (!p)
		return -ENOMEM;
	pc = per_cpu_ptr((struct ls_leaky_pcpu __percpu *)p, 0);
	pc->self = p;
	list_add_tail(&pc->node, &ls_leaky_percpus.head);
	ls_leaky_percpus.nr++;
	return 0;
}

static noinline int ls_leaky_churn_alloc(void)
{
	struct ls_leaky_held *held;

	held = kmem_cache_alloc(ls_leaky_churn, GFP_KERNEL);
	if (!held)
		return -ENOMEM;
	held->tick = ls_leaky_ticks;
	list_add_tail(&held->node, &ls_leaky_churn_objs.head);
	ls_leaky_churn_objs.nr++;
	return 0;
}

static noinline int ls_leaky_rcu_alloc(void)
{
	struct ls_leaky_rcu_obj *obj;

	obj = kmalloc(rcu_bytes, GFP_KERNEL);
	if (!obj)
		return -ENOMEM;
	obj->tick = ls_leaky_ticks;
	list_add_tail(&obj->node, &ls_leaky_rcu_objs.head);
	ls_leaky_rcu_objs.nr++;
	return 0;
}

static noinline int ls_leaky_pages_churn_alloc(void)
{
	struct page *page;

	page = alloc_pages(GFP_KERNEL, page_order);
	if (!page)
		return -ENOMEM;
	ls_leaky_hold_page(&ls_leaky_churn_page_list, page);
	return 0;
}

/* Is something allocated in period @tick due to be freed (all: now)? */
static bool ls_leaky_due(unsigned int tick, bool all)
{
	return all || ls_leaky_ticks - tick >= hold_ticks;
}

/* The non-leakers' frees, oldest first: what is due, or everything. */
static void ls_leaky_free_held(bool all)
{
	struct ls_leaky_held *held, *hnext;
	struct ls_leaky_rcu_obj *obj, *onext;
	struct page *page, *pnext;

	list_for_each_entry_safe(held, hnext, &ls_leaky_churn_objs.head, node) {
		if (!ls_leaky_due(held->tick, all))
			break;
		list_del(&held->node);
		kmem_cache_free(ls_leaky_churn, held);
		ls_leaky_churn_objs.nr--;
	}
	list_for_each_entry_safe(obj, onext, &ls_leaky_rcu_objs.head, node) {
		if (!ls_leaky_due(obj->tick, all))
			break;
		list_del(&obj->node);
		kfree_rcu(obj, rcu);
		ls_leaky_rcu_objs.nr--;
	}
	list_for_each_entry_safe(page, pnext, &ls_leaky_churn_page_list.head,
				 lru) {
		if (!ls_leaky_due(page_private(page), all))
			break;
		list_del(&page->lru);
		set_page_private(page, 0);
		__free_pages(page, page_order);
		ls_leaky_churn_page_list.nr--;
	}
}

/* new_per_tick calls of @alloc, while they succeed. */
static void ls_leaky_repeat(int (*alloc)(void), const char *what)
{
	unsigned int i;

	for (i = 0; i < new_per_tick; i++) {
		if (alloc()) {
			pr_warn_ratelimited("%s failed\n", what);
			break;
		}
	}
}

static void ls_leaky_tick_more(void)
{
	ls_leaky_free_held(false);
	if (strdup_bytes)
		ls_leaky_repeat(ls_leaky_strdup_leak, "kstrdup");
	if (kc_obj_size)
		ls_leaky_repeat(ls_leaky_kc_leak, "ls_leaky_kc allocation");
	if (leak_pages)
		ls_leaky_repeat(ls_leaky_pages_leak, "alloc_pages");
	if (percpu_bytes)
		ls_leaky_repeat(ls_leaky_percpu_leak, "__alloc_percpu");
	if (churn_obj_size)
		ls_leaky_repeat(ls_leaky_churn_alloc, "ls_leaky_churn allocation");
	if (rcu_bytes)
		ls_leaky_repeat(ls_leaky_rcu_alloc, "kmalloc");
	if (churn_pages)
		ls_leaky_repeat(ls_leaky_pages_churn_alloc, "alloc_pages");
}

static void ls_leaky_tick(struct work_struct *work)
{
	unsigned int i;

	mutex_lock(&ls_leaky_lock);
	if (vm_leak && ls_leaky_vmalloc_one())
		pr_warn_ratelimited("vmalloc of %u KiB failed\n", vm_kb);
	for (i = 0; i < objs_per_tick; i++) {
		if (ls_leaky_alloc_obj()) {
			pr_warn_ratelimited("ls_leaky_cache allocation failed\n");
			break;
		}
	}
	ls_leaky_tick_more();

	ls_leaky_ticks++;
	if (max_ticks && ls_leaky_ticks >= max_ticks) {
		pr_info("stopped after %u periods: %lu vmalloc areas, %lu objects\n",
			ls_leaky_ticks, ls_leaky_nr_areas, ls_leaky_nr_objs);
		mutex_unlock(&ls_leaky_lock);
		return;
	}
	mutex_unlock(&ls_leaky_lock);
	schedule_delayed_work(&ls_leaky_work, msecs_to_jiffies(period_ms));
}

/*
 * The frees at unload: tens of thousands of objects on a slow debug
 * kernel (kmemleak and KASAN on every free) took 22 s in one go, a soft
 * lockup; hence a cond_resched() per object in each of these loops.
 */
static void ls_leaky_free_objs(void)
{
	struct ls_leaky_chunk *chunk, *next;

	list_for_each_entry_safe(chunk, next, &ls_leaky_objs, node) {
		list_del(&chunk->node);
		kmem_cache_free(ls_leaky_cache, chunk);
		cond_resched();
	}
	ls_leaky_nr_objs = 0;
}

static void ls_leaky_free_areas(void)
{
	struct ls_leaky_chunk *chunk, *next;

	list_for_each_entry_safe(chunk, next, &ls_leaky_areas, node) {
		list_del(&chunk->node);
		vfree(chunk);
		cond_resched();
	}
	ls_leaky_nr_areas = 0;
}

/* The leakers' frees, at unload. */
static void ls_leaky_free_leaked(void)
{
	struct ls_leaky_chunk *chunk, *next;
	struct ls_leaky_pcpu *pc, *pnext;
	struct page *page, *gnext;

	list_for_each_entry_safe(chunk, next, &ls_leaky_strdups.head, node) {
		list_del(&chunk->node);
		kfree(chunk);
		cond_resched();
	}
	list_for_each_entry_safe(chunk, next, &ls_leaky_kc_objs.head, node) {
		list_del(&chunk->node);
		kmem_cache_free(ls_leaky_kc, chunk);
		cond_resched();
	}
	list_for_each_entry_safe(page, gnext, &ls_leaky_pages.head, lru) {
		list_del(&page->lru);
		set_page_private(page, 0);
		__free_pages(page, page_order);
		cond_resched();
	}
	list_for_each_entry_safe(pc, pnext, &ls_leaky_percpus.head, node) {
		list_del(&pc->node);
		free_percpu(pc->self);
		cond_resched();
	}
	ls_leaky_strdups.nr = 0;
	ls_leaky_kc_objs.nr = 0;
	ls_leaky_pages.nr = 0;
	ls_leaky_percpus.nr = 0;
}

/* An own cache that no other cache is merged into: see ls_leaky_ctor(). */
static struct kmem_cache *ls_leaky_cache_create(const char *name,
						unsigned int size)
{
	return kmem_cache_create(name, size, 0, 0, ls_leaky_ctor);
}

static bool ls_leaky_bad_size(unsigned int v, size_t min, unsigned int max)
{
	return v && (v < min || v > max);
}

static bool ls_leaky_bad_params(void)
{
	return new_per_tick < 1 || new_per_tick > LS_LEAKY_MAX_OBJS ||
	       ls_leaky_bad_size(strdup_bytes, sizeof(struct ls_leaky_chunk) + 1,
				 LS_LEAKY_MAX_STRDUP) ||
	       ls_leaky_bad_size(kc_obj_size, sizeof(struct ls_leaky_chunk),
				 LS_LEAKY_MAX_OBJ_SIZE) ||
	       page_order > LS_LEAKY_MAX_PAGE_ORDER ||
	       ls_leaky_bad_size(percpu_bytes, LS_LEAKY_MIN_PERCPU,
				 LS_LEAKY_MAX_PERCPU) ||
	       hold_ticks < 1 || hold_ticks > LS_LEAKY_MAX_HOLD ||
	       ls_leaky_bad_size(churn_obj_size, sizeof(struct ls_leaky_held),
				 LS_LEAKY_MAX_OBJ_SIZE) ||
	       ls_leaky_bad_size(rcu_bytes, LS_LEAKY_MIN_RCU, LS_LEAKY_MAX_RCU);
}

/* Whatever init made, on its failure and at unload; under ls_leaky_lock. */
static void ls_leaky_destroy_more(void)
{
	ls_leaky_free_leaked();
	ls_leaky_free_held(true);
	kmem_cache_destroy(ls_leaky_kc);
	ls_leaky_kc = NULL;
	kmem_cache_destroy(ls_leaky_churn);
	ls_leaky_churn = NULL;
	kfree(ls_leaky_string);
	ls_leaky_string = NULL;
}

static int ls_leaky_init_more(void)
{
	struct ls_leaky_list *lists[] = {
		&ls_leaky_strdups, &ls_leaky_kc_objs, &ls_leaky_pages,
		&ls_leaky_percpus, &ls_leaky_churn_objs, &ls_leaky_rcu_objs,
		&ls_leaky_churn_page_list,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(lists); i++)
		INIT_LIST_HEAD(&lists[i]->head);
	if (strdup_bytes) {
		ls_leaky_string = kmalloc(strdup_bytes, GFP_KERNEL);
		if (!ls_leaky_string)
			return -ENOMEM;
		memset(ls_leaky_string, 'x', strdup_bytes - 1);
		ls_leaky_string[strdup_bytes - 1] = '\0';
	}
	if (kc_obj_size) {
		ls_leaky_kc = ls_leaky_cache_create("ls_leaky_kc", kc_obj_size);
		if (!ls_leaky_kc)
			return -ENOMEM;
	}
	if (churn_obj_size) {
		ls_leaky_churn = ls_leaky_cache_create("ls_leaky_churn",
						       churn_obj_size);
		if (!ls_leaky_churn)
			return -ENOMEM;
	}
	if (strdup_bytes || kc_obj_size || leak_pages || percpu_bytes)
		pr_info("also leaking, %u at a time: strdup_bytes=%u kc_obj_size=%u leak_pages=%d percpu_bytes=%u page_order=%u\n",
			new_per_tick, strdup_bytes, kc_obj_size, leak_pages,
			percpu_bytes, page_order);
	if (churn_obj_size || rcu_bytes || churn_pages)
		pr_info("churning, %u at a time, each freed after %u periods: churn_obj_size=%u rcu_bytes=%u churn_pages=%d page_order=%u\n",
			new_per_tick, hold_ticks, churn_obj_size, rcu_bytes,
			churn_pages, page_order);
	return 0;
}

/* free_every=N: free every Nth object held, in allocation order. */
static int ls_leaky_free_every_set(const char *val,
				   const struct kernel_param *kp)
{
	struct ls_leaky_chunk *chunk, *next;
	unsigned long i = 0, freed = 0;
	unsigned int n;
	int ret;

	ret = kstrtouint(val, 0, &n);
	if (ret)
		return ret;
	if (n < 2)
		return -EINVAL;
	mutex_lock(&ls_leaky_lock);
	if (ls_leaky_cache) {
		list_for_each_entry_safe(chunk, next, &ls_leaky_objs, node) {
			if (++i % n)
				continue;
			list_del(&chunk->node);
			kmem_cache_free(ls_leaky_cache, chunk);
			freed++;
		}
		ls_leaky_nr_objs -= freed;
		pr_info("freed every %uth object: %lu freed, %lu held\n", n,
			freed, ls_leaky_nr_objs);
	}
	mutex_unlock(&ls_leaky_lock);
	return 0;
}

static const struct kernel_param_ops ls_leaky_free_every_ops = {
	.set = ls_leaky_free_every_set,
};
module_param_cb(free_every, &ls_leaky_free_every_ops, NULL, 0200);
MODULE_PARM_DESC(free_every, "Write N (2 or more): free every Nth slab object held, now");

static int __init ls_leaky_init(void)
{
	int ret;

	if (period_ms < 1 || period_ms > LS_LEAKY_MAX_PERIOD_MS ||
	    vm_kb < 1 || vm_kb > LS_LEAKY_MAX_VM_KB ||
	    obj_size < sizeof(struct ls_leaky_chunk) ||
	    obj_size > LS_LEAKY_MAX_OBJ_SIZE ||
	    objs_per_tick > LS_LEAKY_MAX_OBJS || ls_leaky_bad_params()) {
		pr_err("parameter out of range (see modinfo ls_leaky)\n");
		return -EINVAL;
	}

	ls_leaky_cache = kmem_cache_create("ls_leaky_cache", obj_size, 0, 0,
					   ls_leaky_ctor);
	if (!ls_leaky_cache)
		return -ENOMEM;
	ret = ls_leaky_init_more();
	if (ret) {
		ls_leaky_destroy_more();
		kmem_cache_destroy(ls_leaky_cache);
		ls_leaky_cache = NULL;
		return ret;
	}

	pr_info("leaking %u KiB of vmalloc and %u x %u bytes of ls_leaky_cache every %u ms\n",
		vm_kb, objs_per_tick, obj_size, period_ms);
	schedule_delayed_work(&ls_leaky_work, msecs_to_jiffies(period_ms));
	return 0;
}

static void __exit ls_leaky_exit(void)
{
	cancel_delayed_work_sync(&ls_leaky_work);

	mutex_lock(&ls_leaky_lock);
	ls_leaky_free_objs();
	kmem_cache_destroy(ls_leaky_cache);
	ls_leaky_cache = NULL;
	ls_leaky_destroy_more();
	mutex_unlock(&ls_leaky_lock);

	if (READ_ONCE(free_on_unload)) {
		pr_info("unloading after %u periods: freeing %lu vmalloc areas\n",
			ls_leaky_ticks, ls_leaky_nr_areas);
		ls_leaky_free_areas();
	} else {
		struct ls_leaky_chunk *chunk;

		/* Deliberate, see the top: not a finding for kmemleak. */
		list_for_each_entry(chunk, &ls_leaky_areas, node)
			kmemleak_not_leak(chunk);
		pr_info("unloading after %u periods: leaving %lu vmalloc areas (%lu KiB) allocated\n",
			ls_leaky_ticks, ls_leaky_nr_areas,
			ls_leaky_nr_areas * vm_kb);
	}
}

module_init(ls_leaky_init);
module_exit(ls_leaky_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("leakscope test module: leaks vmalloc areas and slab objects at a steady pace");
