// SPDX-License-Identifier: GPL-2.0
/*
 * The cgroups file: one row per cgroup v2 holding at least one process,
 * the procs columns summed over its processes.  It streams the cgroups
 * report that was latest at open, pinned by a reference, as procs does
 * (views_pinned.h).  A kernel without cgroups has no rows, and says so
 * in the header (cgroups=none).
 */
#include <linux/fs.h>
#include <linux/seq_file.h>

#include "leakscope.h"
#include "views_pinned.h"

static int ls_cgroups_show(struct seq_file *m, const void *row)
{
	const struct ls_cgroup_row *r = row;

	if (!r) {
		seq_printf(m, "%7s %9s %7s %10s %10s %10s %10s %6s %7s %12s %14s %16s %15s %-10s %s\n",
			   "samples", "processes", "threads", "vsz_kb",
			   "anon_kb", "shmem_kb", "locked_kb", "stacks",
			   "orphans", "procs_growth", "anon_growth_kb",
			   "anon_rate_kb_min", "persistence_pct", "verdict",
			   "cgroup");
		return 0;
	}
	seq_printf(m, "%7u %9u %7u %10lld %10lld %10lld %10lld %6u %7u %12lld %14lld %16lld %15u %-10s %s\n",
		   r->samples, r->processes, r->threads, r->vsz_kb, r->anon_kb,
		   r->shmem_kb, r->locked_kb, r->stacks, r->orphans,
		   r->procs_growth, r->anon_growth_kb, r->anon_rate_kb_min,
		   r->persistence_pct, r->verdict, r->path);
	return 0;
}

static void ls_cgroups_put(void *report)
{
	ls_cgroups_report_put(report);
}

static const struct ls_pinned_view ls_cgroups_view = {
	.show = ls_cgroups_show,
	.put = ls_cgroups_put,
};

/* As procs: build what is stale, then pin the report with its header. */
static int ls_cgroups_open(struct inode *inode, struct file *file)
{
	struct ls_cgroups_report *cr;
	struct ls_pinned *p;
	struct ls_header h;
	int ret;

	ret = ls_reports_refresh();
	if (ret)
		return ret;
	p = ls_pinned_open(file, &ls_cgroups_view);
	if (IS_ERR(p))
		return PTR_ERR(p);
	mutex_lock(&ls_state.lock);
	h = ls_state.report.hdr;
	cr = ls_state.cgroups_report;
	if (cr)
		kref_get(&cr->ref);
	mutex_unlock(&ls_state.lock);

	p->report = cr;
	p->rows = cr ? cr->rows : NULL;
	p->row_size = sizeof(struct ls_cgroup_row);
	p->nr = cr ? cr->nr : 0;
	p->head_len = ls_header_line(p->head, "cgroups", &h,
				     cr && cr->capped ? "cgroups" : NULL,
				     IS_ENABLED(CONFIG_CGROUPS) ?
				     "cgroups=v2" : "cgroups=none");
	return 0;
}

const struct file_operations ls_cgroups_fops = {
	.owner = THIS_MODULE,
	.open = ls_cgroups_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = ls_pinned_release,
};
