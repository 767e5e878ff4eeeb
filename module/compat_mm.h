/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mm counters across kernel versions.  Since 6.2 the RSS counters are
 * percpu_counters; /proc/PID/status sums them exactly (get_mm_counter_sum
 * on 6.12.117, itself a backport), so leakscope does too, or its numbers
 * would drift from what a user compares them with.  Feature-probed by
 * module/Kbuild, not keyed on a version number.
 */
#ifndef LS_COMPAT_MM_H
#define LS_COMPAT_MM_H

#include <linux/mm.h>
#include <linux/percpu_counter.h>

static inline unsigned long ls_mm_counter(struct mm_struct *mm, int member)
{
#ifdef LS_HAVE_PERCPU_RSS_STAT
	return percpu_counter_sum_positive(&mm->rss_stat[member]);
#else
	return get_mm_counter(mm, member);
#endif
}

#endif /* LS_COMPAT_MM_H */
