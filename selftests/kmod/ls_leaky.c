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
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kmemleak.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>

#define LS_LEAKY_MAX_PERIOD_MS	60000
#define LS_LEAKY_MAX_VM_KB	65536
#define LS_LEAKY_MAX_OBJ_SIZE	65536
#define LS_LEAKY_MAX_OBJS	4096

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

/*
 * Both kinds of allocation carry their own list node at their start, so
 * that nothing else is allocated to track them.  The lists are touched by
 * the work, a write to free_every and module exit, under ls_leaky_lock
 * (a parameter can be written while the module is being unloaded).
 */
struct ls_leaky_chunk {
	struct list_head node;
};

static DEFINE_MUTEX(ls_leaky_lock);
static LIST_HEAD(ls_leaky_areas);
static LIST_HEAD(ls_leaky_objs);
static unsigned long ls_leaky_nr_areas;
static unsigned long ls_leaky_nr_objs;
static unsigned int ls_leaky_ticks;
static struct kmem_cache *ls_leaky_cache;

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

static void ls_leaky_tick(struct work_struct *work)
{
	unsigned int i;

	mutex_lock(&ls_leaky_lock);
	if (ls_leaky_vmalloc_one())
		pr_warn_ratelimited("vmalloc of %u KiB failed\n", vm_kb);
	for (i = 0; i < objs_per_tick; i++) {
		if (ls_leaky_alloc_obj()) {
			pr_warn_ratelimited("ls_leaky_cache allocation failed\n");
			break;
		}
	}

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

static void ls_leaky_free_objs(void)
{
	struct ls_leaky_chunk *chunk, *next;

	list_for_each_entry_safe(chunk, next, &ls_leaky_objs, node) {
		list_del(&chunk->node);
		kmem_cache_free(ls_leaky_cache, chunk);
	}
	ls_leaky_nr_objs = 0;
}

static void ls_leaky_free_areas(void)
{
	struct ls_leaky_chunk *chunk, *next;

	list_for_each_entry_safe(chunk, next, &ls_leaky_areas, node) {
		list_del(&chunk->node);
		vfree(chunk);
	}
	ls_leaky_nr_areas = 0;
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
	if (period_ms < 1 || period_ms > LS_LEAKY_MAX_PERIOD_MS ||
	    vm_kb < 1 || vm_kb > LS_LEAKY_MAX_VM_KB ||
	    obj_size < sizeof(struct ls_leaky_chunk) ||
	    obj_size > LS_LEAKY_MAX_OBJ_SIZE ||
	    objs_per_tick > LS_LEAKY_MAX_OBJS) {
		pr_err("parameter out of range (see modinfo ls_leaky)\n");
		return -EINVAL;
	}

	ls_leaky_cache = kmem_cache_create("ls_leaky_cache", obj_size, 0, 0,
					   ls_leaky_ctor);
	if (!ls_leaky_cache)
		return -ENOMEM;

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
