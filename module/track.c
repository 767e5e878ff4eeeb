// SPDX-License-Identifier: GPL-2.0
/*
 * Sampled call-site tracking: the probes, arming and the snapshot (see
 * track.h).
 *
 * Probes run in every allocation context, with preemption off and no
 * recursion guard (KERNEL-NOTES.md B.5, B.7): they never allocate, never
 * sleep, take only raw spinlocks with interrupts off, and return at once
 * in NMI (counted).  An unsampled allocation costs one per-CPU subtraction
 * (plus, in auto mode, a look at a small RCU-published set); an unsampled
 * free one load of an empty bucket.
 *
 * The byte countdown is per CPU and is changed only by operations that
 * are atomic against interrupts on their CPU (this_cpu_sub_return(),
 * this_cpu_add_return()), because a hard IRQ that allocates can interrupt
 * a probe half way: see ls_track_decide().
 *
 * Blind spots, each handled or counted:
 *  - kmem_cache_free_bulk() (and kfree_bulk(), which is the kfree_rcu
 *    batch path, and napi's skb cache) has no tracepoint.  A kprobe at its
 *    entry removes the records of the objects it frees; a hit missed (a
 *    kprobe nested in another) is counted in bulk_missed; if the kprobe
 *    cannot be registered, bulk_seen is 0 and every cache may hold objects
 *    that look outstanding but were freed in bulk.
 *  - kmem_cache_alloc_bulk() has no tracepoint: those objects are never
 *    sampled (an underestimate, never a false leak).
 *  - On 6.12 a kmalloc above KMALLOC_MAX_CACHE_SIZE fires the kmalloc
 *    event twice (mm/slub.c:4340 and :4355), the first with a call site
 *    inside the allocator.  Whether this kernel does is measured when
 *    armed (ls_track_calibrate()); if it does, the second event of a pair
 *    (same address, next large event on the CPU) only gives its call site
 *    to the first's record and is counted in repeats, not reused.
 *
 * Pages and percpu memory (kinds LS_TRACK_PAGES, LS_TRACK_PERCPU): their
 * tracepoints (mm_page_alloc, mm_page_free, percpu_alloc_percpu,
 * percpu_free_percpu) have no exported __tracepoint_ symbol; they are
 * found by name with for_each_kernel_tracepoint() and registered with
 * tracepoint_probe_register(), through wrappers that check each probe's
 * prototype against the event's at compile time.  A page event of order n
 * is PAGE_SIZE << n bytes, a percpu one its size times the possible CPUs
 * (what meminfo's Percpu grows by; not the event's bytes_alloc, which on
 * a kernel with memcg kmem adds 8 bytes of obj_cgroup pointer per 4 bytes
 * of size, metadata a chunk has only if it is memcg-aware, and then per
 * chunk: pcpu_obj_full_size(), mm/percpu-internal.h), sampled on the same
 * countdown as slab.  Records are keyed by the struct page
 * pointer (vmemmap) and by the __percpu pointer (an offset from the first
 * chunk's base): neither range meets the direct map's slab objects, so
 * one table holds all three kinds.  Page events have no call site: the
 * site comes from the stack, past the page allocator's frames.  More
 * blind spots: mm_page_free_batched is an extra event (every page it
 * names has also passed free_pages_prepare(), which fires mm_page_free:
 * page_alloc.c 6.1:1422, 6.12:1097), not another free; alloc_pages_bulk()'s
 * fast path fires no mm_page_alloc (vmalloc, page_pool): those pages are
 * never sampled, and their frees find no record.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kallsyms.h>
#include <linux/kprobes.h>
#include <linux/ktime.h>
#include <linux/memory_hotplug.h>
#include <linux/mm.h>
#include <linux/page-flags.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/random.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/tracepoint.h>
#include <trace/events/kmem.h>
#include <trace/events/percpu.h>

#include "cgroup_path.h"
#include "self_mem.h"
#include "track.h"
#include "track_sample.h"
#include "track_sites.h"
#include "track_stacks.h"
#include "track_table.h"
#include "walk_slab.h"

/* A large kmalloc's cache: an identity no kmem_cache can have. */
static const char ls_track_large_id;
#define LS_LARGE	((const void *)&ls_track_large_id)

/*
 * The classes of pages and percpu rows, decided when a snapshot is taken
 * (ls_track_page_class()): identities no kmem_cache can have.
 */
enum ls_track_class {
	LS_CLASS_PAGES,		/* no meminfo counter shows them */
	LS_CLASS_LRU,		/* on an LRU list, in the page cache, or mapped */
	LS_CLASS_PGTABLE,	/* page tables (PageTables) */
	LS_CLASS_VMALLOC,	/* allocated by vmalloc (VmallocUsed) */
	LS_CLASS_PERCPU,	/* percpu areas (Percpu) */
	LS_CLASS_NR
};

static const char ls_track_class_ids[LS_CLASS_NR];
static const char *const ls_track_class_names[LS_CLASS_NR] = {
	[LS_CLASS_PAGES] = LS_TRACK_CLASS_PAGES,
	[LS_CLASS_LRU] = "pages-lru",
	[LS_CLASS_PGTABLE] = "pages-pgtable",
	[LS_CLASS_VMALLOC] = "pages-vmalloc",
	[LS_CLASS_PERCPU] = LS_TRACK_CLASS_PERCPU,
};

#define LS_CLASS(c)	((const void *)&ls_track_class_ids[c])

/* Auto mode's set: published with RCU, read by the probes. */
struct ls_track_set {
	struct rcu_head rcu;
	u32 nr;
	bool large;				/* kmalloc-large wanted */
	bool pages, percpu;			/* those kinds wanted */
	const void *caches[LS_TRACK_WANT_MAX];
	u32 sizes[LS_TRACK_WANT_MAX];		/* their s->size */
};

struct ls_track_pcpu {
	s64 countdown;			/* bytes to the next sample point */
	u32 mean;			/* the mean countdown was drawn with */
	u64 rnd;			/* splitmix64 counter */
	unsigned long large_ptr;	/* last large kmalloc: 6.12's pairs */
	u64 nmi, nested, unsized, repeats, dropped, sampled;
};

static DEFINE_PER_CPU(struct ls_track_pcpu, ls_track_pcpu);

/* Under ls_track_mutex; the probes read ls_track_tab, _stk, _filter, _mean. */
static DEFINE_MUTEX(ls_track_mutex);
static enum ls_track_mode ls_track_cur;
static bool ls_track_armed;
static u64 ls_track_armed_ns;
static struct ls_track_table ls_track_tab;
static struct ls_stacks ls_track_stk;
static struct ls_track_set __rcu *ls_track_filter;	/* NULL: every cache */
static struct ls_track_set *ls_track_want;		/* auto's, kept */
static u32 ls_track_mean_base = LS_TS_MEAN_DEFAULT;
static u32 ls_track_mean = LS_TS_MEAN_DEFAULT;		/* base << widened */
static bool ls_track_pairs;		/* large kmallocs fire twice */
static bool ls_track_bulk_on;
static u32 ls_track_ncpus;		/* num_possible_cpus(), when armed */
static u64 ls_track_elsewhere;		/* the last snapshot's pages_elsewhere */
static atomic64_t ls_track_bulk_freed;

/* The calibration allocation (ls_track_calibrate()). */
#define LS_TRACK_CALIB_BYTES	(KMALLOC_MAX_CACHE_SIZE + 24)
static struct task_struct *ls_track_calib_task;
static atomic_t ls_track_calib_events;

static u32 ls_track_rand(void)
{
	u64 x = this_cpu_add_return(ls_track_pcpu.rnd, LS_TS_GOLDEN);

	return (u32)(ls_ts_mix(x) >> 32);
}

/*
 * Whether an allocation of @bytes is sampled on this CPU, and its weight.
 *
 * The subtraction claims the allocation's bytes atomically; the one that
 * takes the countdown from above zero to zero or below holds the sample
 * point and refills it by adding spacings.  An event that finds the
 * countdown already at or below zero interrupted such a refill on this
 * CPU: it gives its bytes back, leaving the countdown as if it never came,
 * and decides alone, sampled with probability p at the mean in force.
 * Either way each allocation is sampled with a known p and weighs 1/p, so
 * the estimate stays unbiased.
 */
static bool ls_track_decide(u32 bytes, u64 *weight)
{
	s64 left = this_cpu_sub_return(ls_track_pcpu.countdown, bytes);
	u32 mean, now;
	u64 p;

	if (likely(left > 0))
		return false;
	now = READ_ONCE(ls_track_mean);
	if (left + bytes <= 0) {
		this_cpu_add(ls_track_pcpu.countdown, bytes);
		this_cpu_inc(ls_track_pcpu.nested);
		p = ls_ts_prob_q32(bytes, now);
		if ((u64)ls_track_rand() >= p)
			return false;
		*weight = ls_ts_weight_q16(bytes, now);
		return true;
	}
	mean = this_cpu_read(ls_track_pcpu.mean);
	*weight = ls_ts_weight_q16(bytes, mean);
	this_cpu_write(ls_track_pcpu.mean, now);
	do {
		/*
		 * A local: x86's this_cpu_add_return() evaluates its value
		 * twice (the xadd, then old + value), and a draw differs
		 * each time.
		 */
		s64 gap = ls_ts_draw(now, ls_track_rand());

		left = this_cpu_add_return(ls_track_pcpu.countdown, gap);
	} while (left <= 0);
	return true;
}

static u64 ls_track_cgroup(void)
{
	u64 id;

	if (!in_task())
		return 0;
	rcu_read_lock();
	id = ls_task_cgroup_id(current);
	rcu_read_unlock();
	return id;
}

/* Double the interval: the table is full.  Once per interval seen. */
static void ls_track_widen(u32 seen)
{
	if (seen < LS_TS_MEAN_MAX)
		cmpxchg(&ls_track_mean, seen, seen * 2);
}

static void ls_track_record(u8 kind, unsigned long addr, unsigned long site,
			    const void *cache, u32 bytes, u64 weight, u8 flags)
{
	struct ls_track_rec r = {
		.addr = addr,
		.site = site,
		.cache = cache,
		.bytes = bytes,
		.weight = weight,
		.kind = kind,
		.flags = flags,
	};
	u32 seen = READ_ONCE(ls_track_mean);
	bool replaced;

	r.time_ns = ktime_get_mono_fast_ns();
	r.cgroup_id = ls_track_cgroup();
	r.stack_id = ls_stacks_capture(&ls_track_stk);
	this_cpu_inc(ls_track_pcpu.sampled);
	if (ls_tt_insert(&ls_track_tab, &r, &replaced)) {
		this_cpu_inc(ls_track_pcpu.dropped);
		ls_track_widen(seen);
	}
}

static const struct ls_track_set *ls_track_set_now(void)
{
	return rcu_dereference_sched(ls_track_filter);
}

static bool ls_track_set_has(const struct ls_track_set *f, const void *s)
{
	u32 i;

	for (i = 0; i < f->nr; i++)
		if (f->caches[i] == s)
			return true;
	return false;
}

static bool ls_track_set_has_size(const struct ls_track_set *f, u32 size)
{
	u32 i;

	for (i = 0; i < f->nr; i++)
		if (f->sizes[i] == size)
			return true;
	return false;
}

/* 6.12's pair: is this the second event of the large kmalloc at @ptr? */
static bool ls_track_second(unsigned long ptr, unsigned long site)
{
	if (this_cpu_read(ls_track_pcpu.large_ptr) == ptr) {
		this_cpu_write(ls_track_pcpu.large_ptr, 0);
		this_cpu_inc(ls_track_pcpu.repeats);
		ls_tt_second_event(&ls_track_tab, ptr, site);
		return true;
	}
	this_cpu_write(ls_track_pcpu.large_ptr, ptr);
	return false;
}

static void ls_probe_kmalloc(void *data, unsigned long call_site,
			     const void *ptr, size_t bytes_req,
			     size_t bytes_alloc, gfp_t gfp, int node)
{
	const struct ls_track_set *f;
	const void *cache = NULL;
	bool large = bytes_alloc > KMALLOC_MAX_CACHE_SIZE;
	u64 w;

	if (unlikely(in_nmi())) {
		this_cpu_inc(ls_track_pcpu.nmi);
		return;
	}
	if (unlikely(ZERO_OR_NULL_PTR(ptr) || !bytes_alloc))
		return;
	if (unlikely(large)) {
		if (unlikely(READ_ONCE(ls_track_calib_task) == current) &&
		    bytes_req == LS_TRACK_CALIB_BYTES)
			atomic_inc(&ls_track_calib_events);
		if (READ_ONCE(ls_track_pairs) &&
		    ls_track_second((unsigned long)ptr, call_site))
			return;
	}
	f = ls_track_set_now();
	/* Auto: by size class here, by the object's cache once sampled. */
	if (f && !(large ? f->large : ls_track_set_has_size(f, bytes_alloc)))
		return;
	if (likely(!ls_track_decide(min_t(size_t, bytes_alloc, U32_MAX), &w)))
		return;
	if (large) {
		cache = LS_LARGE;
	} else {
		cache = ls_slab_cache_of(ptr);
		if (f && cache && !ls_track_set_has(f, cache))
			return;
	}
	ls_track_record(LS_TRACK_SLAB, (unsigned long)ptr, call_site, cache,
			min_t(size_t, bytes_alloc, U32_MAX), w,
			large && READ_ONCE(ls_track_pairs) ?
			LS_TT_FIRST_OF_TWO : 0);
}

static void ls_probe_kmem_cache_alloc(void *data, unsigned long call_site,
				      const void *ptr, struct kmem_cache *s,
				      gfp_t gfp, int node)
{
	const struct ls_track_set *f;
	u32 bytes;
	u64 w;

	if (unlikely(in_nmi())) {
		this_cpu_inc(ls_track_pcpu.nmi);
		return;
	}
	if (unlikely(ZERO_OR_NULL_PTR(ptr)))
		return;
	f = ls_track_set_now();
	if (f && !ls_track_set_has(f, s))
		return;
	bytes = ls_slab_cache_size(s);
	if (unlikely(!bytes)) {
		this_cpu_inc(ls_track_pcpu.unsized);
		return;
	}
	if (likely(!ls_track_decide(bytes, &w)))
		return;
	ls_track_record(LS_TRACK_SLAB, (unsigned long)ptr, call_site, s, bytes,
			w, 0);
}

static void ls_track_free(const void *ptr)
{
	if (unlikely(in_nmi())) {
		this_cpu_inc(ls_track_pcpu.nmi);
		return;
	}
	if (unlikely(ZERO_OR_NULL_PTR(ptr)))
		return;
	/* A freed large kmalloc's address can come back: not a pair. */
	if (unlikely(this_cpu_read(ls_track_pcpu.large_ptr) ==
		     (unsigned long)ptr))
		this_cpu_write(ls_track_pcpu.large_ptr, 0);
	ls_tt_remove(&ls_track_tab, (unsigned long)ptr);
}

static void ls_probe_kfree(void *data, unsigned long call_site,
			   const void *ptr)
{
	ls_track_free(ptr);
}

static void ls_probe_kmem_cache_free(void *data, unsigned long call_site,
				     const void *ptr,
				     const struct kmem_cache *s)
{
	ls_track_free(ptr);
}

/*
 * Pages: the site is decided from the stack at snapshot time (0 here),
 * and so is the class (what the page has become since).  The unsampled
 * path is the slab one's: one per-CPU subtraction, one empty bucket.
 */
static void ls_probe_page_alloc(void *data, struct page *page,
				unsigned int order, gfp_t gfp, int migratetype)
{
	const struct ls_track_set *f;
	u32 bytes;
	u64 w;

	if (unlikely(in_nmi())) {
		this_cpu_inc(ls_track_pcpu.nmi);
		return;
	}
	if (unlikely(!page || order >= 32 - PAGE_SHIFT))
		return;
	f = ls_track_set_now();
	if (f && !f->pages)
		return;
	bytes = PAGE_SIZE << order;
	if (likely(!ls_track_decide(bytes, &w)))
		return;
	ls_track_record(LS_TRACK_PAGES, (unsigned long)page, 0,
			LS_CLASS(LS_CLASS_PAGES), bytes, w, 0);
}

static void ls_probe_page_free(void *data, struct page *page,
			       unsigned int order)
{
	if (unlikely(in_nmi())) {
		this_cpu_inc(ls_track_pcpu.nmi);
		return;
	}
	if (unlikely(!page))
		return;
	ls_tt_remove(&ls_track_tab, (unsigned long)page);
}

static void ls_probe_percpu_alloc(void *data, unsigned long call_site,
				  bool reserved, bool is_atomic, size_t size,
				  size_t align, void *base_addr, int off,
				  void __percpu *ptr, size_t bytes_alloc,
				  gfp_t gfp)
{
	const struct ls_track_set *f;
	u32 bytes = min_t(u64, (u64)size * READ_ONCE(ls_track_ncpus),
			  U32_MAX);
	u64 w;

	if (unlikely(in_nmi())) {
		this_cpu_inc(ls_track_pcpu.nmi);
		return;
	}
	if (unlikely(!ptr || !bytes))
		return;
	f = ls_track_set_now();
	if (f && !f->percpu)
		return;
	if (likely(!ls_track_decide(bytes, &w)))
		return;
	ls_track_record(LS_TRACK_PERCPU, (__force unsigned long)ptr, call_site,
			LS_CLASS(LS_CLASS_PERCPU), bytes, w, 0);
}

static void ls_probe_percpu_free(void *data, void *base_addr, int off,
				 void __percpu *ptr)
{
	if (unlikely(in_nmi())) {
		this_cpu_inc(ls_track_pcpu.nmi);
		return;
	}
	if (unlikely(!ptr))
		return;
	ls_tt_remove(&ls_track_tab, (__force unsigned long)ptr);
}

/*
 * The unexported tracepoints, by name.  Each probe's prototype is checked
 * against its event's (check_trace_callback_type_*() is an empty inline
 * that only the compiler sees: no reference to the unexported symbol).
 */
struct ls_tp_find {
	const char *name;
	struct tracepoint *tp;
};

static void ls_tp_match(struct tracepoint *tp, void *priv)
{
	struct ls_tp_find *f = priv;

	if (!f->tp && !strcmp(tp->name, f->name))
		f->tp = tp;
}

static struct tracepoint *ls_tp_lookup(const char *name)
{
	struct ls_tp_find f = { .name = name };

	for_each_kernel_tracepoint(ls_tp_match, &f);
	return f.tp;
}

enum {
	LS_TP_PAGE_FREE,
	LS_TP_PERCPU_FREE,
	LS_TP_PAGE_ALLOC,
	LS_TP_PERCPU_ALLOC,
	LS_TP_NR
};

static struct {
	const char *name;
	void *probe;
	struct tracepoint *tp;		/* registered: non-NULL */
} ls_track_tps[LS_TP_NR] = {
	/* Frees first: no record is made before its free can be seen. */
	[LS_TP_PAGE_FREE] = { "mm_page_free" },
	[LS_TP_PERCPU_FREE] = { "percpu_free_percpu" },
	[LS_TP_PAGE_ALLOC] = { "mm_page_alloc" },
	[LS_TP_PERCPU_ALLOC] = { "percpu_alloc_percpu" },
};

static void ls_track_tp_probes(void)
{
	check_trace_callback_type_mm_page_free(ls_probe_page_free);
	check_trace_callback_type_percpu_free_percpu(ls_probe_percpu_free);
	check_trace_callback_type_mm_page_alloc(ls_probe_page_alloc);
	check_trace_callback_type_percpu_alloc_percpu(ls_probe_percpu_alloc);
	ls_track_tps[LS_TP_PAGE_FREE].probe = (void *)ls_probe_page_free;
	ls_track_tps[LS_TP_PERCPU_FREE].probe = (void *)ls_probe_percpu_free;
	ls_track_tps[LS_TP_PAGE_ALLOC].probe = (void *)ls_probe_page_alloc;
	ls_track_tps[LS_TP_PERCPU_ALLOC].probe = (void *)ls_probe_percpu_alloc;
}

/*
 * Register what can be: a kind whose alloc or free event is missing or
 * refused is not tracked (said at arming and in the stats), the others
 * are.  An alloc event is only registered after its free event.
 */
static void ls_track_tp_register(void)
{
	int i, ret;

	ls_track_tp_probes();
	for (i = 0; i < LS_TP_NR; i++) {
		struct tracepoint *tp = ls_tp_lookup(ls_track_tps[i].name);

		ls_track_tps[i].tp = NULL;
		if (i >= LS_TP_PAGE_ALLOC && !ls_track_tps[i - 2].tp)
			continue;
		ret = tp ? tracepoint_probe_register(tp, ls_track_tps[i].probe,
						     NULL) : -ENOENT;
		if (ret)
			pr_warn("track: %s: cannot register (%d): not tracked\n",
				ls_track_tps[i].name, ret);
		else
			ls_track_tps[i].tp = tp;
	}
}

static void ls_track_tp_unregister(void)
{
	int i;

	for (i = LS_TP_NR - 1; i >= 0; i--) {
		if (ls_track_tps[i].tp)
			tracepoint_probe_unregister(ls_track_tps[i].tp,
						    ls_track_tps[i].probe,
						    NULL);
		ls_track_tps[i].tp = NULL;
	}
}

/* Whether kind @kind is tracked now (its alloc event registered). */
static bool ls_track_tp_on(int alloc)
{
	return !!READ_ONCE(ls_track_tps[alloc].tp);
}

/* kmem_cache_free_bulk(s, size, p): remove the records of p[0..size). */
static int ls_track_bulk_pre(struct kprobe *kp, struct pt_regs *regs)
{
	size_t size = regs_get_kernel_argument(regs, 1), i;
	void **p = (void **)regs_get_kernel_argument(regs, 2);

	if (unlikely(in_nmi()) || !p)
		return 0;
	for (i = 0; i < size; i++)
		if (ls_tt_remove(&ls_track_tab, (unsigned long)p[i]))
			atomic64_inc(&ls_track_bulk_freed);
	return 0;
}

static struct kprobe ls_track_bulk_kp;

static int ls_track_bulk_register(void)
{
	memset(&ls_track_bulk_kp, 0, sizeof(ls_track_bulk_kp));
	ls_track_bulk_kp.symbol_name = "kmem_cache_free_bulk";
	ls_track_bulk_kp.pre_handler = ls_track_bulk_pre;
	return register_kprobe(&ls_track_bulk_kp);
}

/*
 * Whether a large kmalloc fires its event twice here: allocate one and
 * count.  Measured, not assumed from the version (backports).
 */
static void ls_track_calibrate(void)
{
	/*
	 * Not a constant: kmalloc() of a constant large size goes straight
	 * to the page-backed path, which fires once on every kernel.
	 */
	static size_t size = LS_TRACK_CALIB_BYTES;
	void *p;

	atomic_set(&ls_track_calib_events, 0);
	WRITE_ONCE(ls_track_calib_task, current);
	p = kmalloc(READ_ONCE(size), GFP_KERNEL | __GFP_NOWARN);
	WRITE_ONCE(ls_track_calib_task, NULL);
	kfree(p);
	if (p)
		WRITE_ONCE(ls_track_pairs,
			   atomic_read(&ls_track_calib_events) == 2);
}

static void ls_track_unregister(u32 done)
{
	if (done & 8)
		unregister_trace_kmem_cache_free(ls_probe_kmem_cache_free, NULL);
	if (done & 4)
		unregister_trace_kfree(ls_probe_kfree, NULL);
	if (done & 2)
		unregister_trace_kmem_cache_alloc(ls_probe_kmem_cache_alloc,
						  NULL);
	if (done & 1)
		unregister_trace_kmalloc(ls_probe_kmalloc, NULL);
	ls_track_tp_unregister();
	if (ls_track_bulk_on)
		unregister_kprobe(&ls_track_bulk_kp);
	ls_track_bulk_on = false;
	/* Every probe that started has returned: the tables may go. */
	tracepoint_synchronize_unregister();
}

static void ls_track_tables_free(void)
{
	ls_tt_free(&ls_track_tab);
	ls_stacks_free(&ls_track_stk);
}

static void ls_track_pcpu_init(void)
{
	struct ls_track_pcpu *pc;
	u64 seed = get_random_u64();
	int cpu;

	for_each_possible_cpu(cpu) {
		pc = per_cpu_ptr(&ls_track_pcpu, cpu);
		memset(pc, 0, sizeof(*pc));
		pc->rnd = seed + (u64)cpu * 0x632be59bd9b4e019ULL;
		pc->mean = ls_track_mean;
		pc->countdown = ls_ts_draw(pc->mean,
					   (u32)(ls_ts_mix(pc->rnd) >> 32));
	}
}

static int ls_track_arm(void)
{
	u32 stacks_bytes = ls_stacks_bytes(LS_TRACK_STACKS_CAP), done = 0;
	int ret;

	if (ls_track_armed)
		return 0;
	ret = ls_stacks_alloc(&ls_track_stk, LS_TRACK_STACKS_CAP);
	if (!ret)
		ret = ls_tt_alloc(&ls_track_tab,
				  ls_tt_cap_for(LS_TRACK_BUDGET_BYTES -
						stacks_bytes));
	if (ret) {
		ls_track_tables_free();
		return ret;
	}
	atomic64_set(&ls_track_bulk_freed, 0);
	ls_track_mean = ls_track_mean_base;
	ls_track_pairs = false;
	ls_track_ncpus = num_possible_cpus();
	ls_track_elsewhere = 0;
	ls_track_pcpu_init();
	/* Bulk frees first: no record is made before they are seen. */
	ls_track_bulk_on = !ls_track_bulk_register();
	ret = register_trace_kfree(ls_probe_kfree, NULL);
	if (!ret) {
		done |= 4;
		ret = register_trace_kmem_cache_free(ls_probe_kmem_cache_free,
						     NULL);
	}
	if (!ret) {
		done |= 8;
		ret = register_trace_kmalloc(ls_probe_kmalloc, NULL);
	}
	if (!ret) {
		done |= 1;
		ret = register_trace_kmem_cache_alloc(ls_probe_kmem_cache_alloc,
						      NULL);
	}
	if (ret) {
		ls_track_unregister(done);
		ls_track_tables_free();
		pr_warn("track: cannot register the kmem probes (%d)\n", ret);
		return ret;
	}
	ls_track_tp_register();
	ls_track_calibrate();
	ls_track_armed = true;
	ls_track_armed_ns = ktime_get_ns();
	pr_info("track: armed: mean %u KiB, %u records, %u stacks (%zu kB), large kmalloc %s, bulk frees %s, pages %s, percpu %s\n",
		ls_track_mean >> 10, ls_track_tab.cap, ls_track_stk.cap,
		(ls_tt_bytes(ls_track_tab.cap) + stacks_bytes) >> 10,
		ls_track_pairs ? "fires twice" : "fires once",
		ls_track_bulk_on ? "seen" : "NOT seen (kprobe failed)",
		ls_track_tp_on(LS_TP_PAGE_ALLOC) ? "tracked" : "NOT tracked",
		ls_track_tp_on(LS_TP_PERCPU_ALLOC) ? "tracked" : "NOT tracked");
	return 0;
}

static int ls_track_snapshot_locked(struct ls_track_row *rows, u32 cap,
				    u32 *nr, struct ls_track_stats *st);

/* One line in dmesg of what was seen while armed, and the top site. */
static void ls_track_report(void)
{
	struct ls_track_stats st;
	struct ls_track_row top;
	u32 nr = 0;

	ls_track_snapshot_locked(&top, 1, &nr, &st);
	pr_info("track: disarmed after %llu s: sampled=%llu records=%u/%u dropped=%llu freed=%llu reused=%llu repeats=%llu bulk_freed=%llu bulk_missed=%llu nested=%llu nmi=%llu stacks=%u/%u widened=%u\n",
		div_u64(ktime_get_ns() - ls_track_armed_ns, NSEC_PER_SEC),
		st.sampled, st.records, st.records_cap, st.dropped, st.freed,
		st.reused, st.repeats, st.bulk_freed, st.bulk_missed,
		st.nested, st.nmi, st.stacks, st.stacks_cap, st.widened);
	if (nr)
		pr_info("track: top: %s %pS ~%llu objects ~%llu kB (%u samples)\n",
			top.cache_name, (void *)top.site, top.objects,
			top.bytes >> 10, top.samples);
}

static void ls_track_disarm(void)
{
	if (!ls_track_armed)
		return;
	ls_track_report();
	ls_track_unregister(1 | 2 | 4 | 8);
	ls_track_tables_free();
	ls_track_armed = false;
	ls_track_armed_ns = 0;
}

/* Publish what the probes filter by, for mode @m. */
static void ls_track_publish(enum ls_track_mode m)
{
	struct ls_track_set *f = m == LS_TRACK_AUTO ? ls_track_want : NULL;

	rcu_assign_pointer(ls_track_filter, f);
	/* No probe still looks at a set about to be freed (callers). */
	synchronize_rcu();
}

static bool ls_track_should_arm(enum ls_track_mode m)
{
	return m == LS_TRACK_ALL ||
	       (m == LS_TRACK_AUTO && ls_track_want &&
		(ls_track_want->nr || ls_track_want->large ||
		 ls_track_want->pages || ls_track_want->percpu));
}

static int ls_track_apply(enum ls_track_mode m)
{
	int ret = 0;

	/* The filter first: armed or not, probes never see a wider set. */
	ls_track_publish(m);
	if (ls_track_should_arm(m))
		ret = ls_track_arm();
	else
		ls_track_disarm();
	if (ret)
		return ret;
	ls_track_cur = m;
	return 0;
}

int ls_track_set_mode(enum ls_track_mode m)
{
	enum ls_track_mode old;
	int ret;

	if (m > LS_TRACK_ALL)
		return -EINVAL;
	mutex_lock(&ls_track_mutex);
	old = ls_track_cur;
	ret = ls_track_apply(m);
	if (ret)
		ls_track_apply(old);	/* old was armed, or off: no failure */
	mutex_unlock(&ls_track_mutex);
	return ret;
}

enum ls_track_mode ls_track_mode(void)
{
	enum ls_track_mode m;

	mutex_lock(&ls_track_mutex);
	m = ls_track_cur;
	mutex_unlock(&ls_track_mutex);
	return m;
}

int ls_track_set_mean_kb(u32 kb)
{
	u64 bytes = (u64)kb * 1024;

	if (bytes < LS_TS_MEAN_MIN || bytes > LS_TS_MEAN_MAX)
		return -EINVAL;
	mutex_lock(&ls_track_mutex);
	ls_track_mean_base = bytes;
	/* From the next draw on each CPU; records keep their own weights. */
	WRITE_ONCE(ls_track_mean, bytes);
	mutex_unlock(&ls_track_mutex);
	return 0;
}

/* Do @a and @b hold the same caches, in any order? */
static bool ls_track_set_same(const struct ls_track_set *a,
			      const struct ls_track_set *b)
{
	u32 i;

	if (!a || !b || a->nr != b->nr || a->large != b->large ||
	    a->pages != b->pages || a->percpu != b->percpu)
		return false;
	for (i = 0; i < a->nr; i++)
		if (!ls_track_set_has(b, a->caches[i]))
			return false;
	return true;
}

/*
 * Make @set auto's set (it may be the same as the one in force: then it
 * is freed), under ls_track_mutex: 1 when the set changed, 0 when it did
 * not, or an error; @set is consumed.
 */
static int ls_track_want_set(struct ls_track_set *set)
{
	struct ls_track_set *old;
	int ret;

	/* auto asks at every sample: the same set changes nothing. */
	if (ls_track_set_same(set, ls_track_want)) {
		ls_mem_free(set);
		return 0;
	}
	old = ls_track_want;
	ls_track_want = set;
	ret = ls_track_apply(ls_track_cur);
	if (ret) {
		ls_track_want = old;
		ls_track_apply(ls_track_cur);
		old = set;
	}
	/* ls_track_apply() published and waited: no probe sees @old. */
	ls_mem_free(old);
	return ret ?: 1;
}

int ls_track_want_kinds(bool pages, bool percpu)
{
	struct ls_track_set *set;
	int ret;

	set = ls_mem_zalloc(sizeof(*set), GFP_KERNEL);
	if (!set)
		return -ENOMEM;
	mutex_lock(&ls_track_mutex);
	if (ls_track_want)
		*set = *ls_track_want;
	set->pages = pages;
	set->percpu = percpu;
	ret = ls_track_want_set(set);
	mutex_unlock(&ls_track_mutex);
	return min(ret, 0);
}

/*
 * One line in dmesg each time auto's set changes: which caches it arms
 * for now (none: disarmed).  Only the names that were found.
 */
static void ls_track_say_set(const char *const *names, u32 nr,
			     const void *const *caches)
{
	size_t len = LS_TRACK_WANT_MAX * (LS_SLAB_NAME_LEN + 1) + 1, at = 0;
	char *buf = ls_mem_alloc(len, GFP_KERNEL);
	u32 i, n = 0;

	if (!buf)
		return;
	buf[0] = '\0';
	for (i = 0; i < nr; i++) {
		if (!caches[i] && strcmp(names[i], LS_TRACK_CACHE_LARGE))
			continue;
		at += scnprintf(buf + at, len - at, " %s", names[i]);
		n++;
	}
	pr_info("track: auto: %u caches wanted:%s\n", n, n ? buf : " none");
	ls_mem_free(buf);
}

int ls_track_want_caches(const char *const *names, u32 nr)
{
	struct ls_track_set *set;
	const void *caches[LS_TRACK_WANT_MAX];
	u32 sizes[LS_TRACK_WANT_MAX], i;
	int ret;

	if (nr > LS_TRACK_WANT_MAX || (nr && !names))
		return -EINVAL;
	set = ls_mem_zalloc(sizeof(*set), GFP_KERNEL);
	if (!set)
		return -ENOMEM;
	ret = ls_slab_lookup(names, nr, caches, sizes);
	if (ret && ret != -ENODEV)
		goto fail;
	for (i = 0; i < nr; i++) {
		if (!strcmp(names[i], LS_TRACK_CACHE_LARGE)) {
			set->large = true;
		} else if (caches[i]) {
			set->caches[set->nr] = caches[i];
			set->sizes[set->nr++] = sizes[i];
		}
	}
	mutex_lock(&ls_track_mutex);
	/* The kinds stay as ls_track_want_kinds() last set them. */
	if (ls_track_want) {
		set->pages = ls_track_want->pages;
		set->percpu = ls_track_want->percpu;
	}
	ret = ls_track_want_set(set);
	mutex_unlock(&ls_track_mutex);
	if (ret > 0) {
		ls_track_say_set(names, nr, caches);
		ret = 0;
	}
	return ret;
fail:
	ls_mem_free(set);
	return ret;
}

/* One record as the snapshot sorts it. */
struct ls_track_item {
	unsigned long site;
	u32 stack_id;
	u8 kind;
	const void *cache;
	u64 cgroup_id;
	u64 time_ns;
	u64 weight;
	u32 bytes;
};

static int ls_track_cmp_key(const struct ls_track_item *a,
			    const struct ls_track_item *b)
{
	if (a->site != b->site)
		return a->site < b->site ? -1 : 1;
	if (a->stack_id != b->stack_id)
		return a->stack_id < b->stack_id ? -1 : 1;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if (a->cache != b->cache)
		return a->cache < b->cache ? -1 : 1;
	if (a->cgroup_id != b->cgroup_id)
		return a->cgroup_id < b->cgroup_id ? -1 : 1;
	return 0;
}

static int ls_track_cmp(const void *x, const void *y)
{
	const struct ls_track_item *a = x, *b = y;
	int c = ls_track_cmp_key(a, b);

	if (c)
		return c;
	return a->time_ns < b->time_ns ? -1 : a->time_ns > b->time_ns;
}

static int ls_track_row_cmp(const void *x, const void *y)
{
	const struct ls_track_row *a = x, *b = y;

	if (a->bytes != b->bytes)
		return a->bytes > b->bytes ? -1 : 1;
	return a->samples > b->samples ? -1 : a->samples < b->samples;
}

/*
 * The caller that matters for a record whose event site is @site and whose
 * stack is @id: @site itself unless it is in the allocator or a wrapper
 * (or 0: a page event), else the innermost frame of the stack that is
 * neither (the stack holds the site's own frame, and the tracepoint's
 * above it).  *@owner: whose memory the frames up to that one say it is
 * (pages of slab, vmalloc or percpu; see track_sites.h).
 */
static unsigned long ls_track_real_site(unsigned long site, u32 id,
					char *sym, enum ls_site_owner *owner)
{
	unsigned long frames[LS_STACK_DEPTH];
	u32 n, i;

	*owner = LS_OWNER_NONE;
	if (site) {
		sprint_symbol(sym, site);
		if (!ls_site_skip(sym))
			return site;
	}
	n = ls_stacks_frames(&ls_track_stk, id, frames, LS_STACK_DEPTH);
	for (i = 0; i < n; i++) {
		sprint_symbol(sym, frames[i]);
		if (*owner == LS_OWNER_NONE)
			*owner = ls_site_owner(sym);
		if (!ls_site_skip(sym))
			return frames[i];
	}
	return site;
}

/*
 * What a sampled page is now: its class, or NULL when it is a slab page
 * (the slab classes show it).  Process context, no lock: the page may
 * have been freed since its record was copied (a free removes the record,
 * but the copy was taken before).  Its struct page is still there to be
 * read (the memmap of online memory is never freed; pfn_to_online_page()
 * checks it is online first, and offlining a section first needs every
 * page in it free and isolated, which is not the case of a page that was
 * allocated an instant ago), and the flags of a page freed meanwhile
 * only misclassify that one sample for this one snapshot: the next one
 * no longer has it.  Only public page-flag helpers, on the head page
 * recorded (mm_page_alloc names the head of a compound page).
 */
static const void *ls_track_page_class(unsigned long addr)
{
	struct page *page = (struct page *)addr;

	if (!pfn_to_online_page(page_to_pfn(page)))
		return NULL;
	if (PageSlab(page))
		return NULL;
	if (PageTable(page))
		return LS_CLASS(LS_CLASS_PGTABLE);
	if (PageLRU(page) || READ_ONCE(page->mapping))
		return LS_CLASS(LS_CLASS_LRU);
	return LS_CLASS(LS_CLASS_PAGES);
}

#define LS_KIND_DROPPED	0xff	/* an item left out of the rows */

static void ls_track_stats_fill(struct ls_track_stats *st)
{
	int cpu;

	memset(st, 0, sizeof(*st));
	st->mode = ls_track_cur;
	st->armed = ls_track_armed;
	st->mean_base = ls_track_mean_base;
	st->mean_bytes = READ_ONCE(ls_track_mean);
	st->widened = ilog2(max(st->mean_bytes / ls_track_mean_base, 1U));
	st->layout = ls_slab_enabled();
	st->armed_ns = ls_track_armed_ns;
	if (!ls_track_armed)
		return;
	st->bulk_seen = ls_track_bulk_on;
	if (ls_track_bulk_on)
		st->bulk_missed = ls_track_bulk_kp.nmissed;
	st->bulk_freed = atomic64_read(&ls_track_bulk_freed);
	for_each_possible_cpu(cpu) {
		struct ls_track_pcpu *pc = per_cpu_ptr(&ls_track_pcpu, cpu);

		st->nmi += READ_ONCE(pc->nmi);
		st->nested += READ_ONCE(pc->nested);
		st->unsized += READ_ONCE(pc->unsized);
		st->repeats += READ_ONCE(pc->repeats);
		st->sampled += READ_ONCE(pc->sampled);
		st->dropped += READ_ONCE(pc->dropped);
	}
	st->freed = atomic64_read(&ls_track_tab.removed);
	st->reused = atomic64_read(&ls_track_tab.replaced);
	st->records = ls_tt_used(&ls_track_tab);
	st->records_cap = ls_track_tab.cap;
	st->stacks = READ_ONCE(ls_track_stk.nr);
	st->stacks_cap = ls_track_stk.cap;
	st->stacks_full = READ_ONCE(ls_track_stk.full);
	st->table_bytes = ls_tt_bytes(ls_track_tab.cap) +
			  ls_stacks_bytes(ls_track_stk.cap);
	st->pages_elsewhere = ls_track_elsewhere;
	st->pages_on = ls_track_tp_on(LS_TP_PAGE_ALLOC);
	st->percpu_on = ls_track_tp_on(LS_TP_PERCPU_ALLOC);
}

/* Aggregate @n sorted items into @rows: how many rows. */
static u32 ls_track_aggregate(struct ls_track_item *it, u32 n,
			      struct ls_track_row *rows)
{
	u32 i = 0, j, k = 0;
	struct ls_track_row *r;
	u64 w, b;

	while (i < n) {
		for (j = i + 1; j < n && !ls_track_cmp_key(&it[i], &it[j]); j++)
			;
		r = &rows[k++];
		memset(r, 0, sizeof(*r));
		r->kind = it[i].kind;
		r->cache = it[i].cache;
		r->site = it[i].site;
		r->stack_id = it[i].stack_id;
		r->cgroup_id = it[i].cgroup_id;
		r->samples = j - i;
		r->oldest_ns = it[i].time_ns;
		r->median_ns = it[i + (j - i - 1) / 2].time_ns;
		w = 0;
		b = 0;
		for (; i < j; i++) {
			w += it[i].weight;
			b += it[i].weight * it[i].bytes;
		}
		r->objects = w >> LS_TS_WEIGHT_SHIFT;
		r->bytes = b >> LS_TS_WEIGHT_SHIFT;
	}
	return k;
}

/* The slab file's names of @rows' caches. */
static void ls_track_name_rows(struct ls_track_row *rows, u32 n)
{
	char *names;
	const void **caches;
	u32 i;

	caches = ls_mem_array(max(n, 1U), sizeof(*caches), GFP_KERNEL);
	names = ls_mem_array(max(n, 1U), LS_SLAB_NAME_LEN, GFP_KERNEL);
	for (i = 0; i < n; i++)
		strscpy(rows[i].cache_name, "?", sizeof(rows[i].cache_name));
	if (caches && names) {
		for (i = 0; i < n; i++)
			caches[i] = rows[i].cache;
		ls_slab_names_of(caches, n, names);
		for (i = 0; i < n; i++)
			strscpy(rows[i].cache_name,
				names + i * LS_SLAB_NAME_LEN,
				sizeof(rows[i].cache_name));
	}
	for (i = 0; i < n; i++) {
		const char *c = rows[i].cache;

		if (c == LS_LARGE)
			strscpy(rows[i].cache_name, LS_TRACK_CACHE_LARGE,
				sizeof(rows[i].cache_name));
		else if (c >= ls_track_class_ids &&
			 c < ls_track_class_ids + LS_CLASS_NR)
			strscpy(rows[i].cache_name,
				ls_track_class_names[c - ls_track_class_ids],
				sizeof(rows[i].cache_name));
	}
	ls_mem_free(caches);
	ls_mem_free(names);
}

/* ls_track_snapshot(), under ls_track_mutex. */
static int ls_track_snapshot_locked(struct ls_track_row *rows, u32 cap,
				    u32 *nr, struct ls_track_stats *st)
{
	struct ls_track_rec *recs = NULL;
	struct ls_track_item *it = NULL;
	struct ls_track_row *all = NULL;
	char *sym = NULL;
	u32 n, i, k, used;
	int ret = 0;

	*nr = 0;
	ls_track_stats_fill(st);
	/* No room for rows: the stats alone. */
	if (!ls_track_armed || !cap)
		goto out;
	used = ls_tt_used(&ls_track_tab);
	/* Room for some that arrive while the stripes are read. */
	n = min(ls_track_tab.cap, used + used / 8 + 16);
	recs = ls_mem_array(n, sizeof(*recs), GFP_KERNEL);
	it = ls_mem_array(n, sizeof(*it), GFP_KERNEL);
	all = ls_mem_array(n, sizeof(*all), GFP_KERNEL);
	sym = ls_mem_alloc(KSYM_SYMBOL_LEN, GFP_KERNEL);
	if (!recs || !it || !all || !sym) {
		ret = -ENOMEM;
		goto out;
	}
	n = ls_tt_copy(&ls_track_tab, recs, n);
	st->pages_elsewhere = 0;
	for (i = 0; i < n; i++) {
		const void *cache = recs[i].cache;
		u8 kind = recs[i].kind;

		if (kind == LS_TRACK_PAGES) {
			cache = ls_track_page_class(recs[i].addr);
			if (!cache) {
				st->pages_elsewhere++;
				kind = LS_KIND_DROPPED;
			}
		}
		it[i] = (struct ls_track_item) {
			.site = recs[i].site, .stack_id = recs[i].stack_id,
			.kind = kind, .cache = cache,
			.cgroup_id = recs[i].cgroup_id,
			.time_ns = recs[i].time_ns, .weight = recs[i].weight,
			.bytes = recs[i].bytes,
		};
	}
	sort(it, n, sizeof(*it), ls_track_cmp, NULL);
	/* The caller that matters, once per (site, stack) run. */
	for (i = 0; i < n; i = k) {
		enum ls_site_owner owner;
		unsigned long real = ls_track_real_site(it[i].site,
							it[i].stack_id, sym,
							&owner);

		for (k = i; k < n && it[k].site == it[i].site &&
		     it[k].stack_id == it[i].stack_id; k++)
			;
		for (; i < k; i++) {
			it[i].site = real;
			if (it[i].kind != LS_TRACK_PAGES)
				continue;
			/* Pages that slab or percpu rows show already. */
			if (owner == LS_OWNER_SLAB ||
			    owner == LS_OWNER_PERCPU) {
				it[i].kind = LS_KIND_DROPPED;
				st->pages_elsewhere++;
			} else if (owner == LS_OWNER_VMALLOC) {
				it[i].cache = LS_CLASS(LS_CLASS_VMALLOC);
			}
		}
		cond_resched();
	}
	for (i = 0, k = 0; i < n; i++)
		if (it[i].kind != LS_KIND_DROPPED)
			it[k++] = it[i];
	n = k;
	/* For the stats of later snapshots without rows (the header's). */
	ls_track_elsewhere = st->pages_elsewhere;
	sort(it, n, sizeof(*it), ls_track_cmp, NULL);
	k = ls_track_aggregate(it, n, all);
	sort(all, k, sizeof(*all), ls_track_row_cmp, NULL);
	st->rows = k;
	*nr = min(k, cap);
	memcpy(rows, all, *nr * sizeof(*rows));
	ls_track_name_rows(rows, *nr);
	/* Room again: narrow back, new samples at the finer interval. */
	if (ls_track_mean > ls_track_mean_base &&
	    ls_tt_used(&ls_track_tab) < ls_track_tab.cap / 8)
		WRITE_ONCE(ls_track_mean, ls_track_mean / 2);
out:
	ls_mem_free(recs);
	ls_mem_free(it);
	ls_mem_free(all);
	ls_mem_free(sym);
	return ret;
}

int ls_track_snapshot(struct ls_track_row *rows, u32 cap, u32 *nr,
		      struct ls_track_stats *st)
{
	int ret;

	mutex_lock(&ls_track_mutex);
	ret = ls_track_snapshot_locked(rows, cap, nr, st);
	mutex_unlock(&ls_track_mutex);
	return ret;
}

u32 ls_track_stack_frames(u32 id, unsigned long *frames, u32 cap)
{
	u32 n = 0;

	mutex_lock(&ls_track_mutex);
	if (ls_track_armed)
		n = ls_stacks_frames(&ls_track_stk, id, frames, cap);
	mutex_unlock(&ls_track_mutex);
	return n;
}

u32 ls_track_stack_ids(u32 *ids, u32 cap)
{
	u32 n = 0, i;

	mutex_lock(&ls_track_mutex);
	if (ls_track_armed) {
		n = min(cap, READ_ONCE(ls_track_stk.nr));
		for (i = 0; i < n; i++)
			ids[i] = i + 1;
	}
	mutex_unlock(&ls_track_mutex);
	return n;
}

int ls_track_init(void)
{
	return 0;
}

void ls_track_exit(void)
{
	mutex_lock(&ls_track_mutex);
	ls_track_publish(LS_TRACK_OFF);
	ls_track_disarm();
	ls_track_cur = LS_TRACK_OFF;
	mutex_unlock(&ls_track_mutex);
	ls_mem_free(ls_track_want);
	ls_track_want = NULL;
}
