// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of module/meminfo_rules.c: which growing meminfo items
 * become suspects, and what those suspects say.
 */
#include "kselftest_harness.h"

#include "ls_fixtures.h"

TEST(names_match_proc_meminfo)
{
	int i;

	for (i = 0; i < LS_MI_NR; i++) {
		ASSERT_STREQ(ls_fx_mi_names[i], ls_mi_rules[i].name);
		/* A field of its own: no whitespace in a hint. */
		ASSERT_EQ(NULL, strpbrk(ls_mi_rules[i].next, " \t\n"));
		ASSERT_GT(ls_mi_rules[i].min_growth_kb, 0);
	}
}

TEST(nothing_growing_no_suspect)
{
	struct ls_mi_row rows[LS_MI_NR];
	struct ls_suspect out[LS_MI_NR];

	ls_fx_mi_steady(rows);
	ASSERT_EQ(0U, ls_mi_suspects(rows, out, LS_MI_NR));
}

TEST(shmem_growth_is_named)
{
	struct ls_mi_row rows[LS_MI_NR];
	struct ls_suspect out[LS_MI_NR];

	ls_fx_mi_steady(rows);
	ls_fx_mi_mark(rows, LS_MI_SHMEM, 20480);
	/* Shmem pages sit on the anon LRU: those grow too, and stay quiet. */
	ls_fx_mi_mark(rows, LS_MI_ACTIVE_ANON, 20480);
	ASSERT_EQ(1U, ls_mi_suspects(rows, out, LS_MI_NR));
	ASSERT_EQ((int)LS_SUSPECT_SHMEM_GROWTH, (int)out[0].kind);
	ASSERT_STREQ("meminfo:Shmem", out[0].subject);
	ASSERT_EQ(20480, out[0].growth_kb);
	ASSERT_EQ(40960, out[0].rate_kb_min);
	ASSERT_EQ(96U, out[0].persistence_pct);
	ASSERT_STREQ("Shmem_+20480_kB_in_30_s,_rising_in_29_of_30_intervals",
		     out[0].evidence);
	ASSERT_EQ(NULL, strpbrk(out[0].next, " \t\n"));
}

TEST(unevictable_only_when_mlocked_is_quiet)
{
	struct ls_mi_row rows[LS_MI_NR];
	struct ls_suspect out[LS_MI_NR];

	ls_fx_mi_steady(rows);
	ls_fx_mi_mark(rows, LS_MI_UNEVICTABLE, 4096);
	ls_fx_mi_mark(rows, LS_MI_MLOCKED, 4096);
	ASSERT_EQ(1U, ls_mi_suspects(rows, out, LS_MI_NR));
	ASSERT_STREQ("meminfo:Mlocked", out[0].subject);

	rows[LS_MI_MLOCKED].trend.verdict = LS_VERDICT_STEADY;
	ASSERT_EQ(1U, ls_mi_suspects(rows, out, LS_MI_NR));
	ASSERT_STREQ("meminfo:Unevictable", out[0].subject);
	ASSERT_EQ((int)LS_SUSPECT_MLOCK_GROWTH, (int)out[0].kind);
	ASSERT_NE(NULL, strstr(out[0].evidence, "ramfs"));
}

TEST(unreclaimable_slab_outranks_reclaimable)
{
	struct ls_mi_row rows[LS_MI_NR];
	struct ls_suspect out[LS_MI_NR];

	ls_fx_mi_steady(rows);
	ls_fx_mi_mark(rows, LS_MI_SRECLAIMABLE, 20480);
	ls_fx_mi_mark(rows, LS_MI_SUNRECLAIM, 20480);
	ASSERT_EQ(2U, ls_mi_suspects(rows, out, LS_MI_NR));
	ls_suspects_rank(out, 2);
	ASSERT_STREQ("meminfo:SUnreclaim", out[0].subject);
	ASSERT_STREQ("meminfo:SReclaimable", out[1].subject);
	ASSERT_LT(out[1].severity, out[0].severity);
}

TEST(disabled_item_is_never_a_suspect)
{
	struct ls_mi_row rows[LS_MI_NR];
	struct ls_suspect out[LS_MI_NR];

	ls_fx_mi_steady(rows);
	ls_fx_mi_mark(rows, LS_MI_VMALLOC_USED, 8192);
	rows[LS_MI_VMALLOC_USED].valid = false;
	ASSERT_EQ(0U, ls_mi_suspects(rows, out, LS_MI_NR));
}

TEST(count_beyond_max_reports_the_cap)
{
	struct ls_mi_row rows[LS_MI_NR];
	struct ls_suspect out[2];
	int i;

	ls_fx_mi_steady(rows);
	for (i = 0; i < LS_MI_NR; i++)
		ls_fx_mi_mark(rows, i, 8192);
	/* AnonPages Shmem Mlocked SReclaimable SUnreclaim VmallocUsed Unaccounted */
	ASSERT_EQ(7U, ls_mi_suspects(rows, out, 2));
	ASSERT_EQ((int)LS_SUSPECT_ANON_GROWTH, (int)out[0].kind);
	ASSERT_EQ((int)LS_SUSPECT_SHMEM_GROWTH, (int)out[1].kind);
}

/*
 * KernelStack growing: its next names the thread-growth suspect that
 * accounts for it (the fastest of them), else a zombie-growth one; with
 * neither, or KernelStack steady, the rule's own advice.
 */
TEST(kernel_stack_next_names_thread_or_zombie_suspect)
{
	struct ls_mi_row rows[LS_MI_NR];
	struct ls_suspect sus[4];

	ls_fx_mi_steady(rows);
	ls_fx_suspect(&sus[0], LS_SUSPECT_ANON_GROWTH, "pid:5:grower", 9000, 90, 2);
	ls_fx_suspect(&sus[1], LS_SUSPECT_ZOMBIE_GROWTH, "pid:6:noreap", 60, 90, 2);
	ls_fx_suspect(&sus[2], LS_SUSPECT_THREAD_GROWTH, "pid:7:my_pile", 400, 90, 3);
	ls_fx_suspect(&sus[3], LS_SUSPECT_THREAD_GROWTH, "pid:8:pile2", 800, 90, 3);

	/* Steady: the rule's advice, whatever the suspects. */
	ls_mi_next(LS_MI_KERNEL_STACK, &rows[LS_MI_KERNEL_STACK], sus, 4);
	ASSERT_STREQ(ls_mi_rules[LS_MI_KERNEL_STACK].next,
		     rows[LS_MI_KERNEL_STACK].next);

	ls_fx_mi_mark(rows, LS_MI_KERNEL_STACK, 4096);
	ls_mi_next(LS_MI_KERNEL_STACK, &rows[LS_MI_KERNEL_STACK], sus, 4);
	ASSERT_STREQ("suspect_thread-growth_pid:8:pile2",
		     rows[LS_MI_KERNEL_STACK].next);
	/* A '_' of the subject's own is written "__", as in evidence. */
	ls_mi_next(LS_MI_KERNEL_STACK, &rows[LS_MI_KERNEL_STACK], sus, 3);
	ASSERT_STREQ("suspect_thread-growth_pid:7:my__pile",
		     rows[LS_MI_KERNEL_STACK].next);
	ls_mi_next(LS_MI_KERNEL_STACK, &rows[LS_MI_KERNEL_STACK], sus, 2);
	ASSERT_STREQ("suspect_zombie-growth_pid:6:noreap",
		     rows[LS_MI_KERNEL_STACK].next);
	ls_mi_next(LS_MI_KERNEL_STACK, &rows[LS_MI_KERNEL_STACK], sus, 1);
	ASSERT_STREQ(ls_mi_rules[LS_MI_KERNEL_STACK].next,
		     rows[LS_MI_KERNEL_STACK].next);
	ls_mi_next(LS_MI_KERNEL_STACK, &rows[LS_MI_KERNEL_STACK], NULL, 0);
	ASSERT_STREQ(ls_mi_rules[LS_MI_KERNEL_STACK].next,
		     rows[LS_MI_KERNEL_STACK].next);

	/* Other items never name them, growing or not. */
	ls_fx_mi_mark(rows, LS_MI_SLAB, 4096);
	ls_mi_next(LS_MI_SLAB, &rows[LS_MI_SLAB], sus, 4);
	ASSERT_STREQ(ls_mi_rules[LS_MI_SLAB].next, rows[LS_MI_SLAB].next);
}

TEST_HARNESS_MAIN
