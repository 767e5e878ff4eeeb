// SPDX-License-Identifier: GPL-2.0
/*
 * The periodic sampler: a self-rearming delayed work on the unbound
 * workqueue (sampling must not pin a CPU), plus synchronous samples for
 * the `sample` and `reset` commands.
 */
#include <linux/jiffies.h>
#include <linux/lockdep.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/timekeeping.h>
#include <linux/workqueue.h>

#include "leakscope.h"
#include "self_mem.h"

/* How soon a sample that found sample_lock taken tries again */
#define LS_SAMPLE_RETRY_MS	50

/*
 * The reports (rows for every process, caller and cache, their trends,
 * the meminfo rows and every suspect) are built when a file is read, not
 * at every sample: on a machine where nobody is reading, the sampler pays
 * for its walks and histories only, and a reader that comes every 15 s
 * pays for one build, not fifteen.  Caller holds sample_lock.
 */
static void ls_reports_build(void)
{
	struct ls_procs_report *procs, *old = NULL;
	struct ls_cgroups_report *cgroups, *old_cgroups = NULL;
	struct ls_kernel_report *kernel, *old_kernel = NULL;
	struct ls_callsite_report *sites, *old_sites = NULL;
	u32 i, n;

	lockdep_assert_held(&ls_state.sample_lock);
	procs = ls_procs_report_build(&ls_state.procs, ls_state.proc_suspects,
				      LS_MAX_SUSPECTS,
				      &ls_state.nr_proc_suspects);
	/* It names each process's cgroup, in its row and its suspects. */
	cgroups = ls_cgroups_report_build(&ls_state.cgroups, procs,
					  ls_state.proc_suspects,
					  min_t(u32, ls_state.nr_proc_suspects,
						LS_MAX_SUSPECTS),
					  ls_state.cg_suspects, LS_MAX_SUSPECTS,
					  &ls_state.nr_cg_suspects);
	kernel = ls_kernel_report_build(&ls_state.kernel,
					ls_state.kernel_suspects,
					LS_MAX_SUSPECTS,
					&ls_state.nr_kernel_suspects);
	sites = ls_callsite_report_build(&ls_state.callsites);
	/* A growing cache's suspect names the call site behind its growth. */
	n = min_t(u32, ls_state.nr_kernel_suspects, LS_MAX_SUSPECTS);
	for (i = 0; sites && i < n; i++) {
		struct ls_suspect *s = &ls_state.kernel_suspects[i];

		if (s->kind == LS_SUSPECT_SLAB_GROWTH &&
		    !strncmp(s->subject, "slab:", 5))
			ls_callsite_explain(sites, s->subject + 5, s);
	}
	mutex_lock(&ls_state.lock);
	/* Out of memory: readers keep the previous report. */
	if (procs) {
		old = ls_state.procs_report;
		ls_state.procs_report = procs;
	}
	if (cgroups) {
		old_cgroups = ls_state.cgroups_report;
		ls_state.cgroups_report = cgroups;
	}
	if (kernel) {
		old_kernel = ls_state.kernel_report;
		ls_state.kernel_report = kernel;
	}
	if (sites) {
		old_sites = ls_state.callsite_report;
		ls_state.callsite_report = sites;
	}
	ls_report_update();
	mutex_unlock(&ls_state.lock);
	ls_procs_report_put(old);
	ls_cgroups_report_put(old_cgroups);
	ls_kernel_report_put(old_kernel);
	ls_callsite_report_put(old_sites);
	WRITE_ONCE(ls_state.reports_stale, false);
}

int ls_reports_refresh(void)
{
	if (!READ_ONCE(ls_state.reports_stale))
		return 0;
	if (mutex_lock_killable(&ls_state.sample_lock))
		return -EINTR;
	if (ls_state.reports_stale && ls_state.running)
		ls_reports_build();
	mutex_unlock(&ls_state.sample_lock);
	return 0;
}

/*
 * Whether auto wants pages and percpu memory: while meminfo's Unaccounted
 * item (@mi now, against the oldest sample of the window) has grown by its
 * rule's threshold, and, once armed, while it grows at all: the cheap half
 * of the Unaccounted rule, as for slab caches.  Percpu is no item of its
 * own: leakscope's ledger leaves it inside Unaccounted, so both kinds are
 * armed together.
 */
static bool ls_track_want_unaccounted(const struct ls_meminfo *mi)
{
	struct ls_history *h = &ls_state.hist;
	s64 growth = 0;
	bool valid;

	mutex_lock(&ls_state.lock);
	valid = h->ring.count && mi->valid[LS_MI_UNACCOUNTED];
	if (valid)
		growth = mi->kb[LS_MI_UNACCOUNTED] -
			 h->mi[ls_ring_slot(&h->ring, 0)].kb[LS_MI_UNACCOUNTED];
	mutex_unlock(&ls_state.lock);
	if (!valid)
		return false;
	return growth >= ls_mi_rules[LS_MI_UNACCOUNTED].min_growth_kb ||
	       (ls_state.track_kinds && growth > 0);
}

/*
 * Tracking's part of a sample.  track=auto arms the probes for the caches
 * that grew by a slab-growth threshold over the window (the cheap half of
 * the slab rule: a superset of its suspects, found without the trends),
 * keeps them armed while they grow at all, and disarms them when they
 * stop; likewise for pages and percpu memory while Unaccounted grows.
 * Then the outstanding allocations of every armed cache and kind join the
 * callsites history.
 */
static void ls_track_sample(s64 t_ms, const struct ls_meminfo *mi)
{
	u32 n, i;

	if (ls_track_mode() == LS_TRACK_AUTO) {
		bool kinds = ls_track_want_unaccounted(mi);

		if (!ls_track_want_kinds(kinds, kinds))
			ls_state.track_kinds = kinds;
		n = ls_kernel_growing_caches(&ls_state.kernel,
					     ls_state.track_armed,
					     ls_state.nr_track_armed,
					     ls_state.track_want,
					     LS_TRACK_WANT_MAX);
		if (!ls_track_want_caches(ls_state.track_want, n)) {
			for (i = 0; i < n; i++)
				strscpy(ls_state.track_armed[i].name,
					ls_state.track_want[i],
					sizeof(ls_state.track_armed[i].name));
			ls_state.nr_track_armed = n;
		}
	}
	ls_callsite_history_sample(&ls_state.callsites, t_ms,
				   ls_state.samples);
}

/*
 * What the procs walk may take this sample.  A sample's budget is
 * LS_SAMPLE_BUDGET_PER_MILLE of the interval.  The rest of a sample costs
 * what the machine makes it cost: the parts before the walk (meminfo, a
 * walk of every vmalloc area and slab cache) are already paid, since
 * @start, and those after it (the cgroups history, tracking) cost about
 * what they did the last samples.  The procs walk, the one part a sample
 * can leave unfinished (a pass over the processes then takes several
 * samples), gets what is left, and at least LS_SLICE_MIN processes.
 */
static u32 ls_walk_budget_us(ktime_t start)
{
	s64 budget_us = (s64)ls_state.interval_ms * LS_SAMPLE_BUDGET_PER_MILLE;
	/* The larger of the average and the last: overrun less often. */
	s64 spent_us = ktime_us_delta(ktime_get(), start) +
		       max(ls_state.after_us, ls_state.after_last_us);

	return budget_us > spent_us ? budget_us - spent_us : 0;
}

void ls_sample_now(void)
{
	ktime_t start = ktime_get(), after, end;
	struct ls_meminfo mi;
	s64 t_ms, cost_us, after_us;

	lockdep_assert_held(&ls_state.sample_lock);
	/* Trends need strictly increasing times, even for back-to-back samples. */
	t_ms = max(ktime_to_ms(ktime_get_boottime()), ls_state.last_t_ms + 1);
	ls_state.last_t_ms = t_ms;

	/* Walk first, outside the lock the readers take. */
	ls_meminfo_read(&mi);
	ls_kernel_history_sample(&ls_state.kernel, t_ms, ls_state.samples);
	ls_procs_history_sample(&ls_state.procs, t_ms, ls_state.samples,
				ls_walk_budget_us(start));
	after = ktime_get();
	ls_cgroups_history_sample(&ls_state.cgroups, &ls_state.procs, t_ms,
				  ls_state.samples);
	ls_track_sample(t_ms, &mi);

	/*
	 * The sampler's cost for the header: walks and histories, averaged
	 * over about the last 8 samples (a slice's forced re-walks make some
	 * dearer than others).  What came after the procs walk, over about
	 * 4, for the next walk's budget.
	 */
	end = ktime_get();
	cost_us = min_t(s64, ktime_us_delta(end, start), U32_MAX / 8);
	ls_state.sample_us = ls_state.sample_us ?
		(ls_state.sample_us * 7 + cost_us) / 8 : cost_us;
	after_us = min_t(s64, ktime_us_delta(end, after), U32_MAX / 8);
	ls_state.after_us = ls_state.after_us ?
		(ls_state.after_us * 3 + after_us) / 4 : after_us;
	ls_state.after_last_us = after_us;

	mutex_lock(&ls_state.lock);
	ls_history_push(&mi, t_ms);
	/*
	 * The header now; rows and suspects when a file is next read.  Stale
	 * is said before the lock is dropped: a reader that sees this
	 * sample's header (under the lock) also sees that the reports are
	 * behind it, and builds them.
	 */
	WRITE_ONCE(ls_state.reports_stale, true);
	ls_header_update();
	mutex_unlock(&ls_state.lock);
}

void ls_sampler_schedule(void)
{
	lockdep_assert_held(&ls_state.sample_lock);
	mod_delayed_work(system_unbound_wq, &ls_state.work,
			 msecs_to_jiffies(ls_state.interval_ms));
}

static void ls_sampler_work(struct work_struct *work)
{
	/*
	 * Never wait for sample_lock: whoever holds it (a settings write, a
	 * reader building reports) is done soon, and a worker blocked here
	 * would stall every sample after it.  Try again shortly instead.
	 */
	if (!mutex_trylock(&ls_state.sample_lock)) {
		if (READ_ONCE(ls_state.running))
			mod_delayed_work(system_unbound_wq, &ls_state.work,
					 msecs_to_jiffies(LS_SAMPLE_RETRY_MS));
		return;
	}
	if (ls_state.running) {
		ls_sample_now();
		ls_sampler_schedule();
	}
	mutex_unlock(&ls_state.sample_lock);
}

int ls_sampler_start(void)
{
	struct ls_regions *baseline;
	int ret;

	INIT_DELAYED_WORK(&ls_state.work, ls_sampler_work);
	/*
	 * A pid given at insmod: its baseline is the moment of loading,
	 * taken before sample_lock like every baseline (settings.c).
	 */
	if (ls_baseline_take(ls_state.pid, &baseline))
		baseline = NULL;
	mutex_lock(&ls_state.sample_lock);
	ret = ls_procs_history_init(&ls_state.procs);
	if (ret)
		goto out;
	ret = ls_cgroups_history_init(&ls_state.cgroups);
	if (ret) {
		ls_procs_history_free(&ls_state.procs);
		goto out;
	}
	ret = ls_kernel_history_init(&ls_state.kernel);
	if (ret) {
		ls_cgroups_history_free(&ls_state.cgroups);
		ls_procs_history_free(&ls_state.procs);
		goto out;
	}
	ret = ls_callsite_history_init(&ls_state.callsites);
	if (ret) {
		ls_kernel_history_free(&ls_state.kernel);
		ls_cgroups_history_free(&ls_state.cgroups);
		ls_procs_history_free(&ls_state.procs);
		goto out;
	}
	ret = ls_history_alloc(&ls_state.hist, ls_state.samples);
	if (ret) {
		ls_callsite_history_free(&ls_state.callsites);
		ls_kernel_history_free(&ls_state.kernel);
		ls_cgroups_history_free(&ls_state.cgroups);
		ls_procs_history_free(&ls_state.procs);
		goto out;
	}
	WRITE_ONCE(ls_state.running, true);
	ls_state.baseline = baseline;
	ls_sample_now();
	ls_sampler_schedule();
out:
	mutex_unlock(&ls_state.sample_lock);
	if (ret)
		ls_mem_free(baseline);
	return ret;
}

void ls_sampler_stop(void)
{
	mutex_lock(&ls_state.sample_lock);
	WRITE_ONCE(ls_state.running, false);
	mutex_unlock(&ls_state.sample_lock);
	/* Safe against the work re-arming itself: running is now false. */
	cancel_delayed_work_sync(&ls_state.work);

	mutex_lock(&ls_state.sample_lock);
	mutex_lock(&ls_state.lock);
	ls_history_free(&ls_state.hist);
	ls_procs_report_put(ls_state.procs_report);
	ls_state.procs_report = NULL;
	ls_cgroups_report_put(ls_state.cgroups_report);
	ls_state.cgroups_report = NULL;
	ls_kernel_report_put(ls_state.kernel_report);
	ls_state.kernel_report = NULL;
	ls_callsite_report_put(ls_state.callsite_report);
	ls_state.callsite_report = NULL;
	mutex_unlock(&ls_state.lock);
	ls_procs_history_free(&ls_state.procs);
	ls_cgroups_history_free(&ls_state.cgroups);
	ls_kernel_history_free(&ls_state.kernel);
	ls_callsite_history_free(&ls_state.callsites);
	ls_mem_free(ls_state.baseline);
	ls_state.baseline = NULL;
	mutex_unlock(&ls_state.sample_lock);
}
