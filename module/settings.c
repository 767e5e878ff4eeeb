// SPDX-License-Identifier: GPL-2.0
/*
 * Settings: one path for control writes and module parameters, so both
 * validate the same way and a refused value changes nothing.  Module
 * parameters matter because under kernel lockdown debugfs refuses every
 * file with a write bit: /sys/module/leakscope/parameters must be enough.
 *
 * Parameter callbacks can run before module_init (insmod arguments) and,
 * through sysfs, after module_exit has started; while not running they
 * only record the value.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/moduleparam.h>

#include "leakscope.h"
#include "self_mem.h"
#include "track.h"

/*
 * The regions of @pid now, for `regions` to mark what is new since.  A pid
 * with no process is not an error: its regions file says so.
 */
int ls_baseline_take(u32 pid, struct ls_regions **out)
{
	int ret;

	*out = NULL;
	if (!pid)
		return 0;
	ret = ls_regions_walk(pid, out);
	return ret == -ESRCH ? 0 : ret;
}

/*
 * The baseline is a walk of another process's address space, which waits
 * (boundedly) on its mmap lock: it is taken before sample_lock, so that
 * the periodic sample never waits behind it, and swapped in under the lock
 * if it is still of the pid that is then selected.  A writer that changes
 * pid meanwhile makes us take it again, a few times; a write that loses
 * every time (writers changing pid back to back) takes it under
 * sample_lock, where pid holds still: a valid write never fails for
 * having met another, and the wait is still bounded by the regions walk's.
 */
#define LS_BASELINE_TRIES	3

int ls_settings_apply(const struct ls_control_cmd *cmd)
{
	struct ls_regions *baseline = NULL;
	bool resize, rebase, want_base;
	struct ls_history fresh;
	u32 base_pid = 0, tries = 0;
	int ret = 0;

again:
	/* Writing the pid it already has keeps the baseline: reads repeat it. */
	want_base = READ_ONCE(ls_state.running) &&
		    ((cmd->set_pid && cmd->pid != READ_ONCE(ls_state.pid)) ||
		     cmd->reset);
	if (want_base) {
		base_pid = cmd->set_pid ? cmd->pid : READ_ONCE(ls_state.pid);
		ret = ls_baseline_take(base_pid, &baseline);
		if (ret)
			return ret;
	}

	mutex_lock(&ls_state.sample_lock);
	resize = ls_state.running && cmd->set_samples &&
		 cmd->samples != ls_state.samples;
	rebase = ls_state.running &&
		 ((cmd->set_pid && cmd->pid != ls_state.pid) || cmd->reset);
	if (rebase && (!want_base ||
		       base_pid != (cmd->set_pid ? cmd->pid : ls_state.pid))) {
		/* Another writer changed pid (or started us) meanwhile. */
		ls_mem_free(baseline);
		baseline = NULL;
		if (++tries < LS_BASELINE_TRIES) {
			mutex_unlock(&ls_state.sample_lock);
			goto again;
		}
		base_pid = cmd->set_pid ? cmd->pid : ls_state.pid;
		ret = ls_baseline_take(base_pid, &baseline);
		if (ret)
			goto out;
	}
	/* The steps that can fail come first: nothing is half-applied. */
	if (resize) {
		ret = ls_history_alloc(&fresh, cmd->samples);
		if (ret)
			goto out;
	}
	if (ls_state.running && cmd->set_track_mean) {
		/* Checked by the parser: cannot fail, but say so if it did. */
		ret = ls_track_set_mean_kb(cmd->track_mean_kb);
		if (WARN_ON_ONCE(ret)) {
			if (resize)
				ls_history_free(&fresh);
			goto out;
		}
	}
	if (ls_state.running && cmd->set_track) {
		/* Arming allocates the tables: it can fail, and changes nothing. */
		ret = ls_track_set_mode(cmd->track);
		if (ret) {
			if (cmd->set_track_mean)
				ls_track_set_mean_kb(ls_state.track_mean_kb);
			if (resize)
				ls_history_free(&fresh);
			goto out;
		}
	}
	if (cmd->set_track)
		ls_state.track = cmd->track;
	if (cmd->set_track_mean)
		ls_state.track_mean_kb = cmd->track_mean_kb;
	if (cmd->set_interval)
		ls_state.interval_ms = cmd->interval_ms;
	if (cmd->set_samples)
		ls_state.samples = cmd->samples;
	if (cmd->set_pid)
		WRITE_ONCE(ls_state.pid, cmd->pid);
	if (!ls_state.running)
		goto out;
	if (rebase) {
		ls_mem_free(ls_state.baseline);
		ls_state.baseline = baseline;
		baseline = NULL;
	}
	if (cmd->reset) {
		ls_procs_history_reset(&ls_state.procs);
		ls_cgroups_history_reset(&ls_state.cgroups);
		ls_kernel_history_reset(&ls_state.kernel);
		ls_callsite_history_reset(&ls_state.callsites);
	}

	mutex_lock(&ls_state.lock);
	if (resize) {
		if (!cmd->reset)
			ls_history_move(&fresh, &ls_state.hist);
		ls_history_free(&ls_state.hist);
		ls_state.hist = fresh;
	} else if (cmd->reset) {
		ls_ring_reset(&ls_state.hist.ring, ls_state.hist.ring.cap);
	}
	ls_report_update();
	mutex_unlock(&ls_state.lock);

	if (cmd->sample || cmd->reset) {
		/* Asked for: exact, no slab node's free count reused. */
		ls_state.kernel.slab_walk.exact = true;
		ls_sample_now();
	}
	if (cmd->set_interval)
		ls_sampler_schedule();
out:
	mutex_unlock(&ls_state.sample_lock);
	ls_mem_free(baseline);	/* taken but not used: the write changed nothing */
	return ret;
}

static int ls_param_set(const char *val,
			int (*parse)(const char *val, u32 *out),
			void (*fill)(struct ls_control_cmd *cmd, u32 v))
{
	struct ls_control_cmd cmd = { };
	u32 v;

	if (parse(val, &v))
		return -EINVAL;
	fill(&cmd, v);
	return ls_settings_apply(&cmd);
}

static void ls_fill_interval(struct ls_control_cmd *cmd, u32 v)
{
	cmd->set_interval = true;
	cmd->interval_ms = v;
}

static void ls_fill_samples(struct ls_control_cmd *cmd, u32 v)
{
	cmd->set_samples = true;
	cmd->samples = v;
}

static int ls_interval_set(const char *val, const struct kernel_param *kp)
{
	return ls_param_set(val, ls_parse_interval_ms, ls_fill_interval);
}

static int ls_samples_set(const char *val, const struct kernel_param *kp)
{
	return ls_param_set(val, ls_parse_samples, ls_fill_samples);
}

static void ls_fill_pid(struct ls_control_cmd *cmd, u32 v)
{
	cmd->set_pid = true;
	cmd->pid = v;
}

static int ls_pid_set(const char *val, const struct kernel_param *kp)
{
	return ls_param_set(val, ls_parse_pid, ls_fill_pid);
}

static int ls_u32_get(char *buf, const struct kernel_param *kp)
{
	u32 v;

	mutex_lock(&ls_state.sample_lock);
	v = *(u32 *)kp->arg;
	mutex_unlock(&ls_state.sample_lock);
	return scnprintf(buf, PAGE_SIZE, "%u\n", v);
}

static const struct kernel_param_ops ls_interval_ops = {
	.set = ls_interval_set,
	.get = ls_u32_get,
};

static const struct kernel_param_ops ls_samples_ops = {
	.set = ls_samples_set,
	.get = ls_u32_get,
};

static void ls_fill_track(struct ls_control_cmd *cmd, u32 v)
{
	cmd->set_track = true;
	cmd->track = v;
}

static int ls_track_param_set(const char *val, const struct kernel_param *kp)
{
	return ls_param_set(val, ls_parse_track, ls_fill_track);
}

static int ls_track_param_get(char *buf, const struct kernel_param *kp)
{
	u32 v;

	mutex_lock(&ls_state.sample_lock);
	v = ls_state.track;
	mutex_unlock(&ls_state.sample_lock);
	return scnprintf(buf, PAGE_SIZE, "%s\n", ls_track_word(v));
}

static const struct kernel_param_ops ls_track_ops = {
	.set = ls_track_param_set,
	.get = ls_track_param_get,
};

static void ls_fill_track_mean(struct ls_control_cmd *cmd, u32 v)
{
	cmd->set_track_mean = true;
	cmd->track_mean_kb = v;
}

static int ls_track_mean_set(const char *val, const struct kernel_param *kp)
{
	return ls_param_set(val, ls_parse_track_mean_kb, ls_fill_track_mean);
}

static const struct kernel_param_ops ls_track_mean_ops = {
	.set = ls_track_mean_set,
	.get = ls_u32_get,
};

/*
 * At load, once running: arm what insmod's track= asked for.  A failure
 * (no memory for the tables, probes that do not register) leaves tracking
 * off, says so, and the module loads all the same.
 */
void ls_track_start(void)
{
	int ret;

	/* control.h's words are track.h's modes (differences of 0). */
	BUILD_BUG_ON(LS_TRACK_OFF - LS_TRACK_SET_OFF);
	BUILD_BUG_ON(LS_TRACK_AUTO - LS_TRACK_SET_AUTO);
	BUILD_BUG_ON(LS_TRACK_ALL - LS_TRACK_SET_ALL);
	mutex_lock(&ls_state.sample_lock);
	ls_track_set_mean_kb(ls_state.track_mean_kb);
	ret = ls_track_set_mode(ls_state.track);
	if (ret) {
		pr_warn("track=%s: cannot arm (%d), tracking is off\n",
			ls_track_word(ls_state.track), ret);
		ls_state.track = LS_TRACK_SET_OFF;
	}
	mutex_unlock(&ls_state.sample_lock);
}

module_param_cb(interval_ms, &ls_interval_ops, &ls_state.interval_ms, 0644);
MODULE_PARM_DESC(interval_ms, "sample interval in ms (100..3600000, default 1000)");
static const struct kernel_param_ops ls_pid_ops = {
	.set = ls_pid_set,
	.get = ls_u32_get,
};

module_param_cb(samples, &ls_samples_ops, &ls_state.samples, 0644);
MODULE_PARM_DESC(samples, "samples kept per series, the window (8..1024, default 64)");
module_param_cb(pid, &ls_pid_ops, &ls_state.pid, 0644);
MODULE_PARM_DESC(pid, "process whose regions the regions file shows (0: none)");
module_param_cb(track, &ls_track_ops, &ls_state.track, 0644);
MODULE_PARM_DESC(track, "call-site tracking: off (default), auto, all");
module_param_cb(track_mean_kb, &ls_track_mean_ops, &ls_state.track_mean_kb,
		0644);
MODULE_PARM_DESC(track_mean_kb, "tracking's mean KiB between samples (1..1048576, default 512)");
