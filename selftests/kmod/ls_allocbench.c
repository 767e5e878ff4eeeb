// SPDX-License-Identifier: GPL-2.0
/*
 * ls_allocbench: a test-only module that times the allocator, for
 * leakscope's `make bench` (selftests/vm/bench.sh): what call-site
 * tracking costs each allocation and free.  Never load it outside a test VM.
 *
 * Reading /sys/kernel/debug/ls_allocbench/run runs, in the reader's
 * process context, with preemption and interrupts as they normally are,
 * @rounds rounds of four tight loops of @iters iterations each:
 *  - kmalloc-64:   kmalloc(64, GFP_KERNEL), kfree();
 *  - kmalloc-1024: kmalloc(1024, GFP_KERNEL), kfree();
 *  - kmem_cache:   kmem_cache_alloc() and kmem_cache_free() of 64-byte
 *    objects of the module's own, unmergeable cache "ls_allocbench";
 *  - pages:        alloc_pages(GFP_KERNEL, 0), __free_pages();
 * the four one after the other in each round, so that whatever else the
 * machine does falls on all of them alike.  Each round of a loop is timed
 * with ktime_get_ns(); the file prints, per loop, the median, the
 * smallest and the largest round, in nanoseconds per allocation and free
 * (one pair), to a tenth:
 *
 *   # ls_allocbench v1 iters=200000 rounds=9 unit=ns_per_alloc_free
 *   op            median      min      max
 *   kmalloc-64      98.3     97.1    104.6
 *   ...
 *
 * iters (1000..10000000, default 200000) and rounds (1..63, default 9)
 * are module parameters, writable in /sys/module/ls_allocbench/parameters/.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/gfp.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sort.h>

#define LS_AB_MIN_ITERS		1000
#define LS_AB_MAX_ITERS		10000000
#define LS_AB_MAX_ROUNDS	63
#define LS_AB_OBJ_SIZE		64

static unsigned int iters = 200000;
module_param(iters, uint, 0644);
MODULE_PARM_DESC(iters, "Allocations and frees per round of each loop (1000..10000000, default 200000)");

static unsigned int rounds = 9;
module_param(rounds, uint, 0644);
MODULE_PARM_DESC(rounds, "Rounds of each loop, the median is reported (1..63, default 9)");

enum ls_ab_op { LS_AB_KMALLOC64, LS_AB_KMALLOC1K, LS_AB_CACHE, LS_AB_PAGES,
		LS_AB_NR };

static const char *const ls_ab_names[LS_AB_NR] = {
	"kmalloc-64", "kmalloc-1024", "kmem_cache", "pages",
};

static struct kmem_cache *ls_ab_cache;
static struct dentry *ls_ab_dir;
static DEFINE_MUTEX(ls_ab_lock);	/* one run at a time */
/* Tenths of a nanosecond per pair, per op and round. */
static u64 ls_ab_t[LS_AB_NR][LS_AB_MAX_ROUNDS];

/*
 * The constructor is there to make the cache unmergeable (SLAB_NO_MERGE
 * only exists since 6.5): its objects are its own, so that tracking armed
 * for some other cache never looks at them.
 */
static void ls_ab_ctor(void *obj)
{
}

/* One loop of @n pairs of @op: 0, or -ENOMEM. */
static noinline int ls_ab_loop(enum ls_ab_op op, unsigned int n)
{
	struct page *page;
	unsigned int i;
	void *p;

	switch (op) {
	case LS_AB_KMALLOC64:
		for (i = 0; i < n; i++) {
			p = kmalloc(64, GFP_KERNEL);
			if (unlikely(!p))
				return -ENOMEM;
			kfree(p);
		}
		break;
	case LS_AB_KMALLOC1K:
		for (i = 0; i < n; i++) {
			p = kmalloc(1024, GFP_KERNEL);
			if (unlikely(!p))
				return -ENOMEM;
			kfree(p);
		}
		break;
	case LS_AB_CACHE:
		for (i = 0; i < n; i++) {
			p = kmem_cache_alloc(ls_ab_cache, GFP_KERNEL);
			if (unlikely(!p))
				return -ENOMEM;
			kmem_cache_free(ls_ab_cache, p);
		}
		break;
	case LS_AB_PAGES:
		for (i = 0; i < n; i++) {
			page = alloc_pages(GFP_KERNEL, 0);
			if (unlikely(!page))
				return -ENOMEM;
			__free_pages(page, 0);
		}
		break;
	default:
		return -EINVAL;
	}
	return 0;
}

static int ls_ab_cmp(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static void ls_ab_print(struct seq_file *m, u64 tenths)
{
	seq_printf(m, " %8llu.%llu", div_u64(tenths, 10),
		   tenths - div_u64(tenths, 10) * 10);
}

static int ls_ab_show(struct seq_file *m, void *v)
{
	unsigned int n = READ_ONCE(iters), r = READ_ONCE(rounds), i;
	enum ls_ab_op op;
	u64 t0, t;
	int ret = 0;

	if (n < LS_AB_MIN_ITERS || n > LS_AB_MAX_ITERS || r < 1 ||
	    r > LS_AB_MAX_ROUNDS)
		return -EINVAL;
	mutex_lock(&ls_ab_lock);
	for (i = 0; i < r && !ret; i++) {
		for (op = 0; op < LS_AB_NR && !ret; op++) {
			cond_resched();
			t0 = ktime_get_ns();
			ret = ls_ab_loop(op, n);
			t = ktime_get_ns() - t0;
			ls_ab_t[op][i] = div_u64(t * 10 + n / 2, n);
		}
		if (fatal_signal_pending(current))
			ret = -EINTR;
	}
	if (ret)
		goto out;
	seq_printf(m, "# ls_allocbench v1 iters=%u rounds=%u unit=ns_per_alloc_free\n",
		   n, r);
	seq_printf(m, "%-12s %10s %10s %10s\n", "op", "median", "min", "max");
	for (op = 0; op < LS_AB_NR; op++) {
		sort(ls_ab_t[op], r, sizeof(u64), ls_ab_cmp, NULL);
		seq_printf(m, "%-12s", ls_ab_names[op]);
		ls_ab_print(m, ls_ab_t[op][r / 2]);
		ls_ab_print(m, ls_ab_t[op][0]);
		ls_ab_print(m, ls_ab_t[op][r - 1]);
		seq_putc(m, '\n');
	}
out:
	mutex_unlock(&ls_ab_lock);
	return ret;
}
DEFINE_SHOW_ATTRIBUTE(ls_ab);

static int __init ls_ab_init(void)
{
	ls_ab_cache = kmem_cache_create("ls_allocbench", LS_AB_OBJ_SIZE, 0, 0,
					ls_ab_ctor);
	if (!ls_ab_cache)
		return -ENOMEM;
	ls_ab_dir = debugfs_create_dir("ls_allocbench", NULL);
	debugfs_create_file("run", 0400, ls_ab_dir, NULL, &ls_ab_fops);
	return 0;
}

static void __exit ls_ab_exit(void)
{
	debugfs_remove_recursive(ls_ab_dir);
	kmem_cache_destroy(ls_ab_cache);
}

module_init(ls_ab_init);
module_exit(ls_ab_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("leakscope test module: times kmalloc, kmem_cache and page allocation loops");
