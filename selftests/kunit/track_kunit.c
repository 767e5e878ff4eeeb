// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite leakscope_track: call-site tracking (module/track*.c).
 *
 *  - the sampling math, built for the kernel (track_sample.c);
 *  - the record table under concurrent insert and remove from several
 *    kthreads and an hrtimer in hard-IRQ context on the same CPUs: every
 *    count consistent at the end;
 *  - stack interning: one id per distinct stack, bounded, full counted;
 *  - the real kmem tracepoints armed and disarmed 100 times under
 *    allocation load, then a sampled leak found at this file's call site
 *    and gone once freed, kfree_rcu'd objects included (bulk frees);
 *  - the page and percpu tracepoints (found by name) armed and disarmed
 *    100 times, by all and by auto's kinds, under page and percpu
 *    allocation load (snapshots read the struct pages of records that
 *    the load frees meanwhile), then pages and percpu areas found at this
 *    file's functions in their classes, a page-backed kmalloc's pages not
 *    in class pages, and all of them gone once freed.
 *
 * The slab layout is walker_fakes.c's here (no BTF walk in this module):
 * kmalloc records have no cache, kmem_cache events are sized by the fake.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/hrtimer.h>
#include <linux/kallsyms.h>
#include <linux/kthread.h>
#include <linux/gfp.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/random.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>

#include "track.h"
#include "track_sample.h"
#include "track_stacks.h"
#include "track_table.h"
#include "walker_fakes.h"

/* --- sampling math */

static void sample_weights(struct kunit *test)
{
	/* 1/p for s = M: 1/(1 - 1/e) = 1.5819767 */
	u64 w = ls_ts_weight_q16(4096, 4096);

	KUNIT_EXPECT_LE(test, abs((s64)w - 103676), 2);
	/* tiny: M/s + 1/2 */
	w = ls_ts_weight_q16(8, LS_TS_MEAN_DEFAULT);
	KUNIT_EXPECT_LE(test, abs((s64)w - (65536LL * 65536 + 32768)), 2);
	/* huge: 1 */
	KUNIT_EXPECT_EQ(test, ls_ts_weight_q16(64 << 20, 4096), LS_TS_WEIGHT_ONE);
	KUNIT_EXPECT_EQ(test, ls_ts_neg_log_q24(0xffffffffu), 0ULL);
	/* -ln(2^-32) = 22.18070978 */
	KUNIT_EXPECT_LE(test, abs((s64)ls_ts_neg_log_q24(0) - 372130559), 40);
}

static void sample_unbiased(struct kunit *test)
{
	static const u32 sizes[] = { 16, 256, 4096 };
	struct ls_ts_state st;
	u64 w, est;
	u32 i, k, n = 400000;

	for (k = 0; k < ARRAY_SIZE(sizes); k++) {
		est = 0;
		ls_ts_init(&st, 2048, 3 + k);
		for (i = 0; i < n; i++)
			if (ls_ts_step(&st, sizes[k], 2048, &w))
				est += w;
		est >>= LS_TS_WEIGHT_SHIFT;
		/* sd of the estimate < 1.4% of n for s = 16: within 6% */
		KUNIT_EXPECT_LE_MSG(test, abs((s64)est - n), n * 6 / 100,
				    "size %u: %llu of %u", sizes[k], est, n);
		cond_resched();
	}
}

/* --- the table */

#define TT_THREADS	4
#define TT_PER		512	/* addresses each actor owns */
#define TT_ROUNDS	4000

struct tt_actor {
	struct ls_track_table *t;
	unsigned long base;
	bool held[TT_PER];
	u32 outstanding;
	u64 inserts, removes, replaced, full;
	u32 rnd;
};

static struct tt_ctx {
	struct ls_track_table t;
	struct tt_actor actors[TT_THREADS + 1];	/* the last: the hrtimer */
	struct hrtimer timer;
	atomic_t timer_runs;
	bool stop;
} *tt;

static void tt_step(struct tt_actor *a)
{
	struct ls_track_rec r = { .bytes = 64, .weight = LS_TS_WEIGHT_ONE };
	bool replaced;
	u32 i;

	a->rnd = a->rnd * 1103515245 + 12345;
	i = (a->rnd >> 8) % TT_PER;
	r.addr = a->base + i * 64;
	if (a->held[i] && (a->rnd & 0x80)) {
		if (ls_tt_remove(a->t, r.addr)) {
			a->held[i] = false;
			a->outstanding--;
			a->removes++;
		}
		return;
	}
	if (ls_tt_insert(a->t, &r, &replaced)) {
		a->full++;
		return;
	}
	a->inserts++;
	if (replaced) {
		a->replaced++;
	} else {
		a->held[i] = true;
		a->outstanding++;
	}
}

static enum hrtimer_restart tt_timer_fn(struct hrtimer *h)
{
	u32 i;

	for (i = 0; i < 8; i++)
		tt_step(&tt->actors[TT_THREADS]);
	atomic_inc(&tt->timer_runs);
	if (READ_ONCE(tt->stop))
		return HRTIMER_NORESTART;
	hrtimer_forward_now(h, ns_to_ktime(20 * NSEC_PER_USEC));
	return HRTIMER_RESTART;
}

static int tt_thread(void *arg)
{
	struct tt_actor *a = arg;
	u32 i;

	for (i = 0; i < TT_ROUNDS; i++) {
		tt_step(a);
		if (!(i % 64))
			cond_resched();
	}
	while (!kthread_should_stop())
		usleep_range(500, 1000);
	return 0;
}

static void table_basic(struct kunit *test)
{
	/* Off the stack: with lockdep, 64 raw spinlocks take 4 KiB. */
	struct ls_track_table *tp = kunit_kzalloc(test, sizeof(*tp), GFP_KERNEL);
	struct ls_track_rec r = { .addr = 0x1000, .site = 1, .bytes = 8 };
	struct ls_track_rec out[4];
	bool rep;
	u32 i;

	KUNIT_ASSERT_NOT_NULL(test, tp);
	KUNIT_ASSERT_EQ(test, 0, ls_tt_alloc(tp, 3));
	KUNIT_EXPECT_EQ(test, 0, ls_tt_insert(tp, &r, &rep));
	KUNIT_EXPECT_FALSE(test, rep);
	r.site = 2;
	r.flags = LS_TT_FIRST_OF_TWO;
	KUNIT_EXPECT_EQ(test, 0, ls_tt_insert(tp, &r, &rep));
	KUNIT_EXPECT_TRUE(test, rep);
	KUNIT_EXPECT_EQ(test, 1U, ls_tt_used(tp));
	KUNIT_EXPECT_TRUE(test, ls_tt_second_event(tp, 0x1000, 3));
	KUNIT_EXPECT_FALSE(test, ls_tt_second_event(tp, 0x1000, 4));
	for (i = 1; i < 3; i++) {
		r.addr = 0x1000 + i * 8;
		KUNIT_EXPECT_EQ(test, 0, ls_tt_insert(tp, &r, &rep));
	}
	r.addr = 0x9000;
	KUNIT_EXPECT_EQ(test, -ENOSPC, ls_tt_insert(tp, &r, &rep));
	KUNIT_EXPECT_EQ(test, 3U, ls_tt_copy(tp, out, ARRAY_SIZE(out)));
	for (i = 0; i < 3; i++)
		if (out[i].addr == 0x1000)
			KUNIT_EXPECT_EQ(test, 3UL, out[i].site);
	KUNIT_EXPECT_TRUE(test, ls_tt_remove(tp, 0x1008));
	KUNIT_EXPECT_FALSE(test, ls_tt_remove(tp, 0x1008));
	KUNIT_EXPECT_FALSE(test, ls_tt_remove(tp, 0x7777));
	r.addr = 0x9000;
	KUNIT_EXPECT_EQ(test, 0, ls_tt_insert(tp, &r, &rep));
	KUNIT_EXPECT_EQ(test, 3U, ls_tt_used(tp));
	KUNIT_EXPECT_EQ(test, 1LL, atomic64_read(&tp->full));
	ls_tt_free(tp);
	KUNIT_EXPECT_GT(test, ls_tt_cap_for(4 << 20), 40000U);
	KUNIT_EXPECT_LE(test, ls_tt_bytes(ls_tt_cap_for(4 << 20)), (size_t)4 << 20);
}

static void table_concurrent(struct kunit *test)
{
	struct task_struct *th[TT_THREADS];
	struct ls_track_rec *out;
	u64 ins = 0, rem = 0, rep = 0, outstanding = 0;
	u32 i, n;

	tt = kunit_kzalloc(test, sizeof(*tt), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, tt);
	/* Room for all but a few: the full path runs too. */
	KUNIT_ASSERT_EQ(test, 0, ls_tt_alloc(&tt->t,
					     (TT_THREADS + 1) * TT_PER - 64));
	for (i = 0; i <= TT_THREADS; i++) {
		tt->actors[i].t = &tt->t;
		tt->actors[i].base = 0x100000UL * (i + 1);
		tt->actors[i].rnd = get_random_u32();
	}
	hrtimer_init(&tt->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_HARD);
	tt->timer.function = tt_timer_fn;
	hrtimer_start(&tt->timer, ns_to_ktime(20 * NSEC_PER_USEC),
		      HRTIMER_MODE_REL_HARD);
	for (i = 0; i < TT_THREADS; i++) {
		th[i] = kthread_run(tt_thread, &tt->actors[i], "ls_tt/%u", i);
		KUNIT_ASSERT_FALSE(test, IS_ERR(th[i]));
	}
	msleep(500);
	for (i = 0; i < TT_THREADS; i++)
		kthread_stop(th[i]);
	WRITE_ONCE(tt->stop, true);
	hrtimer_cancel(&tt->timer);
	KUNIT_EXPECT_GT(test, atomic_read(&tt->timer_runs), 10);

	for (i = 0; i <= TT_THREADS; i++) {
		ins += tt->actors[i].inserts;
		rem += tt->actors[i].removes;
		rep += tt->actors[i].replaced;
		outstanding += tt->actors[i].outstanding;
	}
	KUNIT_EXPECT_EQ(test, (u64)ls_tt_used(&tt->t), outstanding);
	KUNIT_EXPECT_EQ(test, (u64)atomic64_read(&tt->t.inserted) +
			(u64)atomic64_read(&tt->t.replaced), ins);
	KUNIT_EXPECT_EQ(test, (u64)atomic64_read(&tt->t.replaced), rep);
	KUNIT_EXPECT_EQ(test, (u64)atomic64_read(&tt->t.removed), rem);
	out = kunit_kcalloc(test, tt->t.cap, sizeof(*out), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, out);
	n = ls_tt_copy(&tt->t, out, tt->t.cap);
	KUNIT_EXPECT_EQ(test, (u64)n, outstanding);
	for (i = 0; i < n; i++) {
		u32 a = out[i].addr / 0x100000UL - 1;
		u32 k = (out[i].addr % 0x100000UL) / 64;

		KUNIT_ASSERT_LE(test, a, (u32)TT_THREADS);
		KUNIT_EXPECT_TRUE(test, tt->actors[a].held[k]);
	}
	/* Everything removed: the table is empty, every record free again. */
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_TRUE(test, ls_tt_remove(&tt->t, out[i].addr));
	KUNIT_EXPECT_EQ(test, 0U, ls_tt_used(&tt->t));
	ls_tt_free(&tt->t);
}

/* --- stacks */

static void stacks_intern(struct kunit *test)
{
	unsigned long f[LS_STACK_DEPTH], got[LS_STACK_DEPTH];
	struct ls_stacks t;
	u32 a, b, i, id;

	KUNIT_ASSERT_EQ(test, 0, ls_stacks_alloc(&t, 8));
	for (i = 0; i < LS_STACK_DEPTH; i++)
		f[i] = 0xffffffff81000000UL + i * 16;
	a = ls_stacks_intern(&t, f, 5);
	b = ls_stacks_intern(&t, f, 5);
	KUNIT_EXPECT_EQ(test, 1U, a);
	KUNIT_EXPECT_EQ(test, a, b);
	KUNIT_EXPECT_EQ(test, 2U, ls_stacks_intern(&t, f, 6));
	KUNIT_EXPECT_EQ(test, 0U, ls_stacks_intern(&t, f, 0));
	KUNIT_EXPECT_EQ(test, 5U, ls_stacks_frames(&t, a, got, LS_STACK_DEPTH));
	KUNIT_EXPECT_EQ(test, 0, memcmp(f, got, 5 * sizeof(*f)));
	KUNIT_EXPECT_EQ(test, 0U, ls_stacks_frames(&t, 99, got, LS_STACK_DEPTH));
	for (i = 0; i < 20; i++) {
		f[0] = i;
		id = ls_stacks_intern(&t, f, LS_STACK_DEPTH);
		KUNIT_EXPECT_LE(test, id, 8U);
	}
	KUNIT_EXPECT_EQ(test, 8U, t.nr);
	KUNIT_EXPECT_EQ(test, 14ULL, t.full);	/* 20 + 2 + 14 refused = 8 */
	ls_stacks_free(&t);

	/* A real stack: no frame of this module's probe at its front. */
	KUNIT_ASSERT_EQ(test, 0, ls_stacks_alloc(&t, 4));
	id = ls_stacks_capture(&t);
	KUNIT_EXPECT_EQ(test, 1U, id);
	a = ls_stacks_frames(&t, id, got, LS_STACK_DEPTH);
	KUNIT_EXPECT_GT(test, a, 0U);
	if (a)
		KUNIT_EXPECT_FALSE(test, within_module(got[0], THIS_MODULE));
	ls_stacks_free(&t);
}

/* --- the real tracepoints */

struct load_ctx {
	struct kmem_cache *cache;
	atomic_t rounds;
};

static int load_thread(void *arg)
{
	struct load_ctx *c = arg;
	bool from_cache[16];
	void *p[16];
	u32 i, r;

	while (!kthread_should_stop()) {
		for (i = 0; i < ARRAY_SIZE(p); i++) {
			r = get_random_u32();
			from_cache[i] = r & 1;
			/* up to 20000 bytes: large kmallocs (6.12's pairs) too */
			p[i] = from_cache[i] ?
			       kmem_cache_alloc(c->cache, GFP_KERNEL) :
			       kmalloc(8 + (r >> 8) % 20000, GFP_KERNEL);
		}
		for (i = 0; i < ARRAY_SIZE(p); i++) {
			if (from_cache[i])
				kmem_cache_free(c->cache, p[i]);
			else
				kfree(p[i]);
		}
		atomic_inc(&c->rounds);
		cond_resched();
	}
	return 0;
}

/*
 * 100 arm/disarm cycles of each kind, run as 4 rounds of 25: one KUnit
 * case is one uninterruptible wait of insmod's, and 100 cycles under
 * KASAN and lockdep on a loaded 2-CPU TCG host took 190-200 s, past the
 * hung-task detector's 120 s.
 */
#define ARM_ROUNDS		4
#define ARM_CYCLES_PER_ROUND	25

static const u32 arm_rounds[ARM_ROUNDS] = { 0, 1, 2, 3 };

static void arm_round_desc(const u32 *round, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "cycles %u-%u",
		 *round * ARM_CYCLES_PER_ROUND,
		 (*round + 1) * ARM_CYCLES_PER_ROUND - 1);
}

KUNIT_ARRAY_PARAM(arm_round, arm_rounds, arm_round_desc);

static u32 arm_first_cycle(struct kunit *test)
{
	return *(const u32 *)test->param_value * ARM_CYCLES_PER_ROUND;
}

static void track_arm_disarm_under_load(struct kunit *test)
{
	u32 first = arm_first_cycle(test);
	struct load_ctx c = { };
	struct task_struct *th[2];
	struct ls_track_stats st;
	u32 i, nr;

	c.cache = kmem_cache_create("ls_track_kunit", 200, 0, 0, NULL);
	KUNIT_ASSERT_NOT_NULL(test, c.cache);
	ls_fake_reset();
	ls_fake.track_cache = c.cache;
	ls_fake.track_cache_name = "ls_track_kunit";
	ls_fake.track_cache_size = 200;
	for (i = 0; i < ARRAY_SIZE(th); i++) {
		th[i] = kthread_run(load_thread, &c, "ls_load/%u", i);
		KUNIT_ASSERT_FALSE(test, IS_ERR(th[i]));
	}
	KUNIT_ASSERT_EQ(test, 0, ls_track_set_mean_kb(1));
	for (i = first; i < first + ARM_CYCLES_PER_ROUND; i++) {
		KUNIT_ASSERT_EQ(test, 0, ls_track_set_mode(i % 3 ? LS_TRACK_ALL :
							   LS_TRACK_AUTO));
		if (i % 3 == 0) {
			static const char *const names[] = { "ls_track_kunit" };

			KUNIT_ASSERT_EQ(test, 0, ls_track_want_caches(names, 1));
		}
		usleep_range(500, 2000);
		if (i % 10 == 0) {
			KUNIT_ASSERT_EQ(test, 0, ls_track_snapshot(NULL, 0, &nr, &st));
			KUNIT_EXPECT_TRUE(test, st.armed);
		}
		KUNIT_ASSERT_EQ(test, 0, ls_track_set_mode(LS_TRACK_OFF));
		KUNIT_ASSERT_EQ(test, 0, ls_track_want_caches(NULL, 0));
	}
	ls_track_exit();
	for (i = 0; i < ARRAY_SIZE(th); i++)
		kthread_stop(th[i]);
	KUNIT_EXPECT_GT(test, atomic_read(&c.rounds), ARM_CYCLES_PER_ROUND);
	KUNIT_ASSERT_EQ(test, 0, ls_track_snapshot(NULL, 0, &nr, &st));
	KUNIT_EXPECT_FALSE(test, st.armed);
	KUNIT_EXPECT_EQ(test, 0U, nr);
	kmem_cache_destroy(c.cache);
	ls_track_set_mean_kb(LS_TS_MEAN_DEFAULT / 1024);
}

#define LEAK_N		256
#define LEAK_BYTES	4096

struct leak_obj {
	struct rcu_head rcu;
	char pad[LEAK_BYTES - sizeof(struct rcu_head)];
};

/* The estimate of what this file's @fn holds now, from a snapshot. */
static u64 held_by(struct kunit *test, void *fn, struct ls_track_stats *st,
		   u32 *samples)
{
	struct ls_track_row *rows;
	u32 nr, i;
	u64 objs = 0;
	char *want, *sym;

	rows = kunit_kcalloc(test, 512, sizeof(*rows), GFP_KERNEL);
	want = kunit_kzalloc(test, KSYM_SYMBOL_LEN, GFP_KERNEL);
	sym = kunit_kzalloc(test, KSYM_SYMBOL_LEN, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, rows);
	KUNIT_ASSERT_NOT_NULL(test, want);
	KUNIT_ASSERT_NOT_NULL(test, sym);
	KUNIT_ASSERT_EQ(test, 0, ls_track_snapshot(rows, 512, &nr, st));
	sprint_symbol_no_offset(want, (unsigned long)fn);
	*samples = 0;
	for (i = 0; i < nr; i++) {
		sprint_symbol_no_offset(sym, rows[i].site);
		if (strcmp(sym, want))
			continue;
		objs += rows[i].objects;
		*samples += rows[i].samples;
	}
	kunit_kfree(test, rows);
	kunit_kfree(test, want);
	kunit_kfree(test, sym);
	return objs;
}

static noinline void leak_alloc(struct leak_obj **objs)
{
	u32 i;

	for (i = 0; i < LEAK_N; i++)
		objs[i] = kmalloc(sizeof(**objs), GFP_KERNEL);
}

static noinline void leak_free_rcu(struct leak_obj **objs)
{
	u32 i;

	for (i = 0; i < LEAK_N; i++)
		if (objs[i])
			kfree_rcu(objs[i], rcu);
}

static void track_finds_site_and_bulk_frees(struct kunit *test)
{
	struct leak_obj **objs;
	struct ls_track_stats st;
	u32 samples, i;
	u64 held;

	objs = kunit_kcalloc(test, LEAK_N, sizeof(*objs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, objs);
	ls_fake_reset();
	/* 1 KiB between samples: a 4 KiB object is sampled 98% of the time */
	KUNIT_ASSERT_EQ(test, 0, ls_track_set_mean_kb(1));
	KUNIT_ASSERT_EQ(test, 0, ls_track_set_mode(LS_TRACK_ALL));
	leak_alloc(objs);
	held = held_by(test, leak_alloc, &st, &samples);
	KUNIT_EXPECT_GT(test, samples, LEAK_N * 9 / 10);
	KUNIT_EXPECT_LE(test, abs((s64)held - LEAK_N), LEAK_N / 5);
	KUNIT_EXPECT_EQ(test, 0ULL, st.nmi);
	KUNIT_EXPECT_GT(test, st.sampled, (u64)LEAK_N * 9 / 10);
	/*
	 * The countdown's nested-IRQ fallback is for a window of a few
	 * instructions per sample: a countdown left at or below zero (a
	 * refill that went wrong) would send every event through it.
	 */
	KUNIT_EXPECT_LE(test, st.nested, st.sampled / 10 + 10);

	/* Freed through kfree_rcu: its batches free in bulk, untraced. */
	leak_free_rcu(objs);
	for (i = 0; i < 200; i++) {
		held = held_by(test, leak_alloc, &st, &samples);
		if (!samples)
			break;
		rcu_barrier();
		msleep(100);
	}
	KUNIT_EXPECT_EQ_MSG(test, 0U, samples,
			    "kfree_rcu'd objects still recorded: bulk_seen=%u bulk_freed=%llu bulk_missed=%llu",
			    st.bulk_seen, st.bulk_freed, st.bulk_missed);
	KUNIT_EXPECT_TRUE(test, st.bulk_seen);
	KUNIT_ASSERT_EQ(test, 0, ls_track_set_mode(LS_TRACK_OFF));
	ls_track_set_mean_kb(LS_TS_MEAN_DEFAULT / 1024);
}

/* --- pages and percpu */

static int page_load_thread(void *arg)
{
	atomic_t *rounds = arg;
	void __percpu *pc[8];
	struct page *pg[8];
	u32 order[8], i, r;

	while (!kthread_should_stop()) {
		for (i = 0; i < ARRAY_SIZE(pg); i++) {
			r = get_random_u32();
			order[i] = r % 4;
			pg[i] = alloc_pages(GFP_KERNEL | __GFP_NOWARN, order[i]);
			pc[i] = __alloc_percpu(8 + (r >> 8) % 1024, 8);
		}
		for (i = 0; i < ARRAY_SIZE(pg); i++) {
			if (pg[i])
				__free_pages(pg[i], order[i]);
			free_percpu(pc[i]);
		}
		atomic_inc(rounds);
		cond_resched();
	}
	return 0;
}

static void track_pages_arm_disarm_under_load(struct kunit *test)
{
	u32 first = arm_first_cycle(test);
	struct task_struct *th[2];
	struct ls_track_stats st;
	atomic_t rounds;
	u32 i, nr;

	atomic_set(&rounds, 0);
	ls_fake_reset();
	for (i = 0; i < ARRAY_SIZE(th); i++) {
		th[i] = kthread_run(page_load_thread, &rounds, "ls_pload/%u", i);
		KUNIT_ASSERT_FALSE(test, IS_ERR(th[i]));
	}
	KUNIT_ASSERT_EQ(test, 0, ls_track_set_mean_kb(1));
	for (i = first; i < first + ARM_CYCLES_PER_ROUND; i++) {
		bool all = i % 4 == 0;

		KUNIT_ASSERT_EQ(test, 0, ls_track_set_mode(all ? LS_TRACK_ALL :
							   LS_TRACK_AUTO));
		if (!all)
			KUNIT_ASSERT_EQ(test, 0,
					ls_track_want_kinds(i % 4 != 3,
							    i % 4 != 2));
		usleep_range(500, 2000);
		if (i % 5 == 0 || i % 5 == 1) {
			KUNIT_ASSERT_EQ(test, 0,
					ls_track_snapshot(NULL, 0, &nr, &st));
			KUNIT_EXPECT_TRUE(test, st.armed);
			KUNIT_EXPECT_TRUE(test, st.pages_on);
			KUNIT_EXPECT_TRUE(test, st.percpu_on);
		}
		KUNIT_ASSERT_EQ(test, 0, ls_track_set_mode(LS_TRACK_OFF));
		KUNIT_ASSERT_EQ(test, 0, ls_track_want_kinds(false, false));
	}
	ls_track_exit();
	for (i = 0; i < ARRAY_SIZE(th); i++)
		kthread_stop(th[i]);
	KUNIT_EXPECT_GT(test, atomic_read(&rounds), ARM_CYCLES_PER_ROUND);
	KUNIT_ASSERT_EQ(test, 0, ls_track_snapshot(NULL, 0, &nr, &st));
	KUNIT_EXPECT_FALSE(test, st.armed);
	KUNIT_EXPECT_EQ(test, 0U, nr);
	ls_track_set_mean_kb(LS_TS_MEAN_DEFAULT / 1024);
}

#define PG_N		128
#define PCPU_BYTES	4096
#define LARGE_N		16
#define LARGE_BYTES	(64 << 10)

/* What this file's @fn holds now in class @cls, from a snapshot. */
static u64 held_in(struct kunit *test, void *fn, const char *cls,
		   struct ls_track_stats *st, u32 *samples)
{
	struct ls_track_row *rows;
	u32 nr, i;
	u64 objs = 0;
	char *want, *sym;

	rows = kunit_kcalloc(test, 512, sizeof(*rows), GFP_KERNEL);
	want = kunit_kzalloc(test, KSYM_SYMBOL_LEN, GFP_KERNEL);
	sym = kunit_kzalloc(test, KSYM_SYMBOL_LEN, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, rows);
	KUNIT_ASSERT_NOT_NULL(test, want);
	KUNIT_ASSERT_NOT_NULL(test, sym);
	KUNIT_ASSERT_EQ(test, 0, ls_track_snapshot(rows, 512, &nr, st));
	sprint_symbol_no_offset(want, (unsigned long)fn);
	*samples = 0;
	for (i = 0; i < nr; i++) {
		sprint_symbol_no_offset(sym, rows[i].site);
		if (strcmp(sym, want) || strcmp(rows[i].cache_name, cls))
			continue;
		objs += rows[i].objects;
		*samples += rows[i].samples;
	}
	kunit_kfree(test, rows);
	kunit_kfree(test, want);
	kunit_kfree(test, sym);
	return objs;
}

static noinline void pages_alloc(struct page **pg)
{
	u32 i;

	for (i = 0; i < PG_N; i++)
		pg[i] = alloc_page(GFP_KERNEL);
}

static noinline void percpu_alloc(void __percpu **pc)
{
	u32 i;

	for (i = 0; i < PG_N; i++)
		pc[i] = __alloc_percpu(PCPU_BYTES, 8);
}

static noinline void large_alloc(void **p)
{
	u32 i;

	for (i = 0; i < LARGE_N; i++)
		p[i] = kmalloc(LARGE_BYTES, GFP_KERNEL);
}

static void track_finds_pages_and_percpu(struct kunit *test)
{
	void __percpu **pc;
	struct ls_track_stats st;
	struct page **pg;
	void **large;
	u32 samples, i;
	u64 held;

	pg = kunit_kcalloc(test, PG_N, sizeof(*pg), GFP_KERNEL);
	pc = kunit_kcalloc(test, PG_N, sizeof(*pc), GFP_KERNEL);
	large = kunit_kcalloc(test, LARGE_N, sizeof(*large), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pg);
	KUNIT_ASSERT_NOT_NULL(test, pc);
	KUNIT_ASSERT_NOT_NULL(test, large);
	ls_fake_reset();
	/* 1 KiB between samples: a 4 KiB event is sampled 98% of the time */
	KUNIT_ASSERT_EQ(test, 0, ls_track_set_mean_kb(1));
	KUNIT_ASSERT_EQ(test, 0, ls_track_set_mode(LS_TRACK_ALL));
	pages_alloc(pg);
	percpu_alloc(pc);
	large_alloc(large);

	held = held_in(test, pages_alloc, LS_TRACK_CLASS_PAGES, &st, &samples);
	KUNIT_EXPECT_TRUE(test, st.pages_on);
	KUNIT_EXPECT_TRUE(test, st.percpu_on);
	KUNIT_EXPECT_GT(test, samples, PG_N * 9 / 10);
	KUNIT_EXPECT_LE(test, abs((s64)held - PG_N), PG_N / 5);
	held = held_in(test, percpu_alloc, LS_TRACK_CLASS_PERCPU, &st,
		       &samples);
	KUNIT_EXPECT_GT(test, samples, PG_N * 9 / 10);
	KUNIT_EXPECT_LE(test, abs((s64)held - PG_N), PG_N / 5);
	/* A page-backed kmalloc: its slab row, never a pages one. */
	held_in(test, large_alloc, LS_TRACK_CLASS_PAGES, &st, &samples);
	KUNIT_EXPECT_EQ(test, 0U, samples);
	held_in(test, large_alloc, LS_TRACK_CACHE_LARGE, &st, &samples);
	KUNIT_EXPECT_GT(test, samples, LARGE_N / 2);
	KUNIT_EXPECT_GT(test, st.pages_elsewhere, (u64)LARGE_N / 2);
	KUNIT_EXPECT_EQ(test, 0ULL, st.nmi);

	for (i = 0; i < PG_N; i++) {
		if (pg[i])
			__free_page(pg[i]);
		free_percpu(pc[i]);
	}
	for (i = 0; i < LARGE_N; i++)
		kfree(large[i]);
	held_in(test, pages_alloc, LS_TRACK_CLASS_PAGES, &st, &samples);
	KUNIT_EXPECT_EQ(test, 0U, samples);
	held_in(test, percpu_alloc, LS_TRACK_CLASS_PERCPU, &st, &samples);
	KUNIT_EXPECT_EQ(test, 0U, samples);
	KUNIT_ASSERT_EQ(test, 0, ls_track_set_mode(LS_TRACK_OFF));
	ls_track_set_mean_kb(LS_TS_MEAN_DEFAULT / 1024);
}

static struct kunit_case track_cases[] = {
	KUNIT_CASE(sample_weights),
	KUNIT_CASE(sample_unbiased),
	KUNIT_CASE(table_basic),
	KUNIT_CASE(table_concurrent),
	KUNIT_CASE(stacks_intern),
	KUNIT_CASE_PARAM(track_arm_disarm_under_load, arm_round_gen_params),
	KUNIT_CASE(track_finds_site_and_bulk_frees),
	KUNIT_CASE_PARAM(track_pages_arm_disarm_under_load,
			 arm_round_gen_params),
	KUNIT_CASE(track_finds_pages_and_percpu),
	{}
};

/* Disarmed and every table freed, whatever a case left. */
static void track_exit(struct kunit *test)
{
	ls_track_exit();
	ls_track_set_mean_kb(LS_TS_MEAN_DEFAULT / 1024);
}

static struct kunit_suite track_suite = {
	.name = "leakscope_track",
	.exit = track_exit,
	.test_cases = track_cases,
};

kunit_test_suite(track_suite);
