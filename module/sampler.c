// SPDX-License-Identifier: GPL-2.0
/*
 * The periodic sampler: a self-rearming delayed work on the unbound
 * workqueue (sampling must not pin a CPU), plus synchronous samples for
 * the `sample` and `reset` commands.
 */
#include <linux/jiffies.h>
#include <linux/lockdep.h>
#include <linux/workqueue.h>

#include "leakscope.h"

void ls_sample_now(void)
{
	struct ls_meminfo mi;

	lockdep_assert_held(&ls_state.sample_lock);
	/* Walk first, outside the lock the readers take. */
	ls_meminfo_read(&mi);

	mutex_lock(&ls_state.lock);
	ls_history_push(&mi);
	ls_report_update();
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
	mutex_lock(&ls_state.sample_lock);
	if (ls_state.running) {
		ls_sample_now();
		ls_sampler_schedule();
	}
	mutex_unlock(&ls_state.sample_lock);
}

int ls_sampler_start(void)
{
	int ret;

	INIT_DELAYED_WORK(&ls_state.work, ls_sampler_work);
	mutex_lock(&ls_state.sample_lock);
	ret = ls_history_alloc(&ls_state.hist, ls_state.samples);
	if (!ret) {
		ls_state.running = true;
		ls_sample_now();
		ls_sampler_schedule();
	}
	mutex_unlock(&ls_state.sample_lock);
	return ret;
}

void ls_sampler_stop(void)
{
	mutex_lock(&ls_state.sample_lock);
	ls_state.running = false;
	mutex_unlock(&ls_state.sample_lock);
	/* Safe against the work re-arming itself: running is now false. */
	cancel_delayed_work_sync(&ls_state.work);

	mutex_lock(&ls_state.sample_lock);
	mutex_lock(&ls_state.lock);
	ls_history_free(&ls_state.hist);
	mutex_unlock(&ls_state.lock);
	mutex_unlock(&ls_state.sample_lock);
}
