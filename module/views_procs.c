// SPDX-License-Identifier: GPL-2.0
/*
 * The procs and regions files.
 *
 * procs streams the procs report that was latest at open, pinned by a
 * reference: no lock is held while formatting, and the memory a read
 * takes does not grow with the number of processes.  regions
 * walks the chosen process when it is read, in the reader's context (so
 * the mmap lock wait is killable), and marks what is new since the
 * baseline taken at the last `reset` or `pid=` change.
 */
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "leakscope.h"
#include "self_mem.h"
#include "views_pinned.h"

static int ls_procs_show(struct seq_file *m, const void *row)
{
	const struct ls_proc_row *r = row;

	if (!r) {
		seq_printf(m, "%7s %-16s %7s %10s %10s %10s %10s %10s %12s %6s %7s %7s %7s %13s %15s %14s %16s %-10s %s\n",
			   "pid", "comm", "samples", "vsz_kb", "anon_kb",
			   "shmem_kb", "locked_kb", "heap_kb", "anon_regions",
			   "stacks", "orphans", "threads", "zombies",
			   "vsz_growth_kb",
			   "vsz_rate_kb_min", "anon_growth_kb",
			   "anon_rate_kb_min", "verdict", "cgroup");
		return 0;
	}
	seq_printf(m, "%7d %-16s %7u %10lld %10lld %10lld %10lld %10lld %12u %6u %7u %7u %7u %13lld %15lld %14lld %16lld %-10s %s\n",
		   r->pid, r->comm, r->samples, r->vsz_kb, r->anon_kb,
		   r->shmem_kb, r->locked_kb, r->heap_kb, r->anon_regions,
		   r->stacks, r->orphans, r->threads, r->zombies,
		   r->vsz_growth_kb,
		   r->vsz_rate_kb_min, r->anon_growth_kb, r->anon_rate_kb_min,
		   r->verdict, r->cgroup);
	return 0;
}

static void ls_procs_put(void *report)
{
	ls_procs_report_put(report);
}

/* A pinned report (views_pinned.h): its memory does not grow with reads. */
static const struct ls_pinned_view ls_procs_view = {
	.show = ls_procs_show,
	.put = ls_procs_put,
};

static void ls_perms(char perms[5], unsigned long flags)
{
	perms[0] = flags & VM_READ ? 'r' : '-';
	perms[1] = flags & VM_WRITE ? 'w' : '-';
	perms[2] = flags & VM_EXEC ? 'x' : '-';
	perms[3] = flags & VM_MAYSHARE ? 's' : 'p';
	perms[4] = '\0';
}

/* Is [start, end) one of the baseline's regions?  Both sorted by address. */
static bool ls_in_baseline(const struct ls_regions *bl, unsigned long start,
			   unsigned long end)
{
	u32 lo = ls_lower_bound(bl->nr, i, bl->r[i].start < start);

	return lo < bl->nr && bl->r[lo].start == start && bl->r[lo].end == end;
}

/* Mark what is new; a baseline of another process marks everything new. */
static void ls_mark_new(struct ls_regions *rs)
{
	const struct ls_regions *bl;
	bool same;
	u32 i;

	mutex_lock(&ls_state.sample_lock);
	bl = ls_state.baseline;
	same = bl && bl->tgid == rs->tgid && bl->start_ns == rs->start_ns;
	for (i = 0; i < rs->nr; i++)
		rs->r[i].new = !same ||
			!ls_in_baseline(bl, rs->r[i].start, rs->r[i].end);
	mutex_unlock(&ls_state.sample_lock);
}

static int ls_regions_show(struct seq_file *m, void *unused)
{
	struct ls_regions *rs = NULL;
	const char *status = "ok";
	char extra[48], name[LS_REGION_NAME_LEN];
	struct ls_header h;
	u32 pid, i;
	int ret = 0;

	mutex_lock(&ls_state.sample_lock);
	pid = ls_state.pid;
	mutex_unlock(&ls_state.sample_lock);

	if (!pid) {
		status = "no-pid";
	} else {
		ret = ls_regions_walk(pid, &rs);
		if (ret && ret != -ESRCH && ret != -EBUSY)
			return ret;
		if (ret == -ESRCH)
			status = "gone";
		else if (ret == -EBUSY)
			status = "busy";	/* its mmap lock, held too long */
		else
			ls_mark_new(rs);
	}

	ls_header_copy(&h);
	if (pid)
		snprintf(extra, sizeof(extra), "pid=%u status=%s", pid, status);
	else
		snprintf(extra, sizeof(extra), "pid=- status=%s", status);
	ls_print_header(m, "regions", &h,
			rs && rs->truncated ? "regions" : NULL, extra);
	seq_printf(m, "%-14s %-14s %-5s %-12s %10s %-3s %s\n", "start", "end",
		   "perms", "kind", "size_kb", "new", "name");
	for (i = 0; rs && i < rs->nr; i++) {
		const struct ls_region *r = &rs->r[i];
		char perms[5];

		ls_perms(perms, r->flags);
		ls_field_copy(name, sizeof(name), r->name);
		seq_printf(m, "0x%012lx 0x%012lx %-5s %-12s %10lu %-3s %s\n",
			   r->start, r->end, perms, ls_region_kind_name(r->kind),
			   (r->end - r->start) >> 10, r->new ? "new" : "-",
			   name);
	}
	ls_mem_free(rs);
	return 0;
}

/*
 * Build what the last sample made stale, then pin the report and copy
 * the header together, under ls_state.lock, so that busy= and
 * pass_samples= describe the rows shown.  Formatting happens later, in
 * read(), with no lock held.
 */
static int ls_procs_open(struct inode *inode, struct file *file)
{
	struct ls_procs_report *pr;
	struct ls_pinned *p;
	struct ls_header h;
	char extra[48];
	int ret;

	ret = ls_reports_refresh();
	if (ret)
		return ret;
	p = ls_pinned_open(file, &ls_procs_view);
	if (IS_ERR(p))
		return PTR_ERR(p);
	mutex_lock(&ls_state.lock);
	h = ls_state.report.hdr;
	pr = ls_state.procs_report;
	if (pr)
		kref_get(&pr->ref);
	mutex_unlock(&ls_state.lock);

	p->report = pr;
	p->rows = pr ? pr->rows : NULL;
	p->row_size = sizeof(struct ls_proc_row);
	p->nr = pr ? pr->nr : 0;
	snprintf(extra, sizeof(extra), "busy=%u pass_samples=%u",
		 pr ? pr->busy : 0, pr ? pr->pass_samples : 0);
	p->head_len = ls_header_line(p->head, "procs", &h, NULL, extra);
	return 0;
}

/*
 * A report of thousands of processes is larger than seq_file's first
 * buffer; size it once instead of letting seq_read retry doubling.
 */
static int ls_regions_open(struct inode *inode, struct file *file)
{
	return single_open_size(file, ls_regions_show, inode->i_private,
				64 * 1024);
}

const struct file_operations ls_procs_fops = {
	.owner = THIS_MODULE,
	.open = ls_procs_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = ls_pinned_release,
};

const struct file_operations ls_regions_fops = {
	.owner = THIS_MODULE,
	.open = ls_regions_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
};
