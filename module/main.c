// SPDX-License-Identifier: GPL-2.0
/*
 * leakscope: find the root cause of a memory leak on a running machine.
 *
 * Samples the kernel's own bookkeeping over time and publishes growth and
 * ranked leak suspects in debugfs (/sys/kernel/debug/leakscope/).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>

#include "compat.h"
#include "compat_btf.h"
#include "leakscope.h"
#include "modtrack.h"
#include "track.h"

struct ls_state ls_state = {
	.sample_lock = __MUTEX_INITIALIZER(ls_state.sample_lock),
	.lock = __MUTEX_INITIALIZER(ls_state.lock),
	.interval_ms = LS_INTERVAL_MS_DEFAULT,
	.samples = LS_SAMPLES_DEFAULT,
	.track = LS_TRACK_SET_OFF,
	.track_mean_kb = LS_TRACK_MEAN_KB_DEFAULT,
};

static int __init leakscope_init(void)
{
	int ret;

	/* Every walker that can be disabled says so before the files exist. */
	ls_compat_init();
	ls_kernel_btf_init();
	ls_vmalloc_init();
	ls_slab_init(ls_kernel_btf());
	ls_kernel_btf_done();
	ret = ls_modtrack_init();
	if (ret)
		return ret;
	ret = ls_track_init();
	if (ret)
		goto fail_modtrack;
	ret = ls_sampler_start();
	if (ret)
		goto fail_track;
	ls_track_start();
	ret = ls_views_create();
	if (ret) {
		pr_err("cannot create /sys/kernel/debug/leakscope (%d): is debugfs disabled?\n",
		       ret);
		goto fail_sampler;
	}
	pr_info("loaded: interval_ms=%u samples=%u track=%s disabled=%s\n",
		ls_state.interval_ms, ls_state.samples,
		ls_track_word(ls_track_mode()), ls_compat_disabled());
	pr_info("data symbols read: %s\n", ls_compat_resolved());
	return 0;

fail_sampler:
	ls_sampler_stop();
fail_track:
	ls_track_exit();
fail_modtrack:
	ls_modtrack_exit();
	return ret;
}

static void __exit leakscope_exit(void)
{
	/* Files first: no reader may copy a report the sampler is freeing. */
	ls_views_remove();
	ls_sampler_stop();
	/* Probes unregistered and waited for before their tables go. */
	ls_track_exit();
	ls_modtrack_exit();
}

module_init(leakscope_init);
module_exit(leakscope_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("leakscope developers");
MODULE_DESCRIPTION("Find the root cause of memory leaks on a running machine");
MODULE_VERSION("0.1.0");
