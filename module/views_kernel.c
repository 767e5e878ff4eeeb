// SPDX-License-Identifier: GPL-2.0
/*
 * The vmalloc and slab files: they show the latest kernel report, pinned
 * by a reference, with no lock held.
 */
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "leakscope.h"
#include "self_mem.h"
#include "views_pinned.h"

/*
 * The latest kernel report (the caller has it built first, with
 * ls_reports_refresh(), if a sample made it stale).
 */
static struct ls_kernel_report *ls_kernel_report_get(struct ls_header *h)
{
	struct ls_kernel_report *r;

	mutex_lock(&ls_state.lock);
	*h = ls_state.report.hdr;
	r = ls_state.kernel_report;
	if (r)
		kref_get(&r->ref);
	mutex_unlock(&ls_state.lock);
	return r;
}

static int ls_vmalloc_show(struct seq_file *m, const void *v)
{
	const struct ls_vmalloc_row *row = v;
	char kinds[48];

	if (!row) {
		seq_printf(m, "%7s %10s %8s %-16s %10s %12s %11s %-10s %s\n",
			   "areas", "size_kb", "pages", "kind", "growth_kb",
			   "rate_kb_min", "persist_pct", "verdict", "caller");
		return 0;
	}
	ls_vmalloc_kinds(kinds, sizeof(kinds), row->kinds);
	seq_printf(m, "%7lld %10lld %8lld %-16s %10lld %12lld %11u %-10s %s\n",
		   row->areas, row->size_kb, row->pages, kinds, row->growth_kb,
		   row->rate_kb_min, row->persistence_pct, row->verdict,
		   row->caller);
	return 0;
}

static void ls_kernel_put(void *report)
{
	ls_kernel_report_put(report);
}

/*
 * The vmalloc file streams the kernel report that was latest at open,
 * pinned until release (views_pinned.h).
 */
static const struct ls_pinned_view ls_vmalloc_view = {
	.show = ls_vmalloc_show,
	.put = ls_kernel_put,
};

static int ls_vmalloc_open(struct inode *inode, struct file *file)
{
	struct ls_kernel_report *r;
	struct ls_pinned *p;
	struct ls_header h;
	char extra[32];
	int ret;

	/* Built first if a sample made it stale, like every report. */
	ret = ls_reports_refresh();
	if (ret)
		return ret;
	p = ls_pinned_open(file, &ls_vmalloc_view);
	if (IS_ERR(p))
		return PTR_ERR(p);
	r = ls_kernel_report_get(&h);
	p->report = r;
	p->rows = r ? r->vmalloc : NULL;
	p->row_size = sizeof(struct ls_vmalloc_row);
	p->nr = r ? r->nr_vmalloc : 0;
	snprintf(extra, sizeof(extra), "longest_hold_us=%u",
		 r ? r->longest_hold_us : 0);
	p->head_len = ls_header_line(p->head, "vmalloc", &h,
				     r && r->vmalloc_capped ? "vmalloc" : NULL,
				     extra);
	return 0;
}

/*
 * The slab file is read the way /proc/slabinfo is, whole and often
 * (slabtop, exporters).  Its rows are text made with the report, at the
 * first read after a sample (r->slab_text), so a read is the header and column lines, made when the
 * snapshot is taken, then that text copied straight out of the pinned
 * report.  No seq_file: its buffer for ~200 caches is an order-3
 * allocation per open, zeroed on distribution kernels (init_on_alloc),
 * and a second copy of every row.
 *
 * As with seq_file, open takes a snapshot and a later read from offset 0
 * (lseek or pread) takes the latest; reads from elsewhere continue the
 * snapshot they started.
 */
struct ls_slab_snap {
	struct ls_kernel_report *r;	/* pinned while the snapshot lives */
	const char *rows;		/* r->slab_text, or own_rows */
	char *own_rows;			/* formatted here if the report has none */
	size_t rows_len;
	size_t head_len;
	char head[LS_VIEW_HEADER_BYTES];
};

struct ls_slab_file {
	struct mutex lock;		/* a read at 0 replaces snap */
	bool fresh;			/* snap taken at open, not read yet */
	struct ls_slab_snap *snap;
};

static void ls_slab_snap_free(struct ls_slab_snap *snap)
{
	if (!snap)
		return;
	ls_mem_free(snap->own_rows);
	ls_kernel_report_put(snap->r);
	ls_mem_free(snap);
}

/* The report could not keep its rows' text: format them for this snapshot. */
static int ls_slab_snap_format_rows(struct ls_slab_snap *snap)
{
	const struct ls_kernel_report *r = snap->r;
	size_t room = (size_t)r->nr_slab * LS_SLAB_ROW_MAX + 1;
	u32 i;

	snap->own_rows = ls_mem_alloc(room, GFP_KERNEL);
	if (!snap->own_rows)
		return -ENOMEM;
	for (i = 0; i < r->nr_slab; i++)
		snap->rows_len += ls_slab_row_format(snap->own_rows +
						     snap->rows_len,
						     room - snap->rows_len,
						     &r->slab[i]);
	snap->rows = snap->own_rows;
	return 0;
}

/* The latest kernel report as the slab file shows it. */
static struct ls_slab_snap *ls_slab_snap_take(void)
{
	struct ls_slab_snap *snap = ls_mem_zalloc(sizeof(*snap), GFP_KERNEL);
	struct ls_kernel_report *r;
	struct ls_header h;
	char extra[80];
	int err;

	if (!snap)
		return ERR_PTR(-ENOMEM);
	err = ls_reports_refresh();
	if (err) {
		ls_mem_free(snap);
		return ERR_PTR(err);
	}
	r = ls_kernel_report_get(&h);
	snap->r = r;
	snprintf(extra, sizeof(extra),
		 "longest_hold_us=%u nodes_scanned=%u nodes_reused=%u",
		 r ? r->slab_hold_us : 0, r ? r->slab_scanned : 0,
		 r ? r->slab_reused : 0);
	snap->head_len = ls_header_format(snap->head, sizeof(snap->head),
					  "slab", &h,
					  r && r->slab_capped ? "slab" : NULL,
					  extra);
	snap->head_len += scnprintf(snap->head + snap->head_len,
				    sizeof(snap->head) - snap->head_len,
				    "%-24s %7s %7s %11s %11s %8s %10s %-11s %10s %12s %11s %s\n",
				    "cache", "objsize", "size", "active_objs",
				    "total_objs", "slabs", "size_kb",
				    "reclaimable", "growth_kb", "rate_kb_min",
				    "persist_pct", "verdict");
	if (r && r->slab_text) {
		snap->rows = r->slab_text;
		snap->rows_len = r->slab_text_len;
	} else if (r) {
		err = ls_slab_snap_format_rows(snap);
		if (err) {
			ls_slab_snap_free(snap);
			return ERR_PTR(err);
		}
	}
	return snap;
}

static int ls_slab_open(struct inode *inode, struct file *file)
{
	struct ls_slab_file *f = ls_mem_zalloc(sizeof(*f), GFP_KERNEL);

	if (!f)
		return -ENOMEM;
	f->snap = ls_slab_snap_take();
	if (IS_ERR(f->snap)) {
		int err = PTR_ERR(f->snap);

		ls_mem_free(f);
		return err;
	}
	mutex_init(&f->lock);
	f->fresh = true;
	file->private_data = f;
	return 0;
}

/* Two pieces, one after the other: the head lines, then the rows. */
static ssize_t ls_slab_snap_read(const struct ls_slab_snap *snap,
				 char __user *buf, size_t count, loff_t *ppos)
{
	loff_t head_len = snap->head_len, pos;
	ssize_t done = 0, n;

	if (*ppos < head_len) {
		done = simple_read_from_buffer(buf, count, ppos, snap->head,
					       snap->head_len);
		if (done < 0 || *ppos < head_len)
			return done;
	}
	pos = *ppos - head_len;
	n = simple_read_from_buffer(buf + done, count - done, &pos,
				    snap->rows, snap->rows_len);
	if (n < 0)
		return done ?: n;
	*ppos = head_len + pos;
	return done + n;
}

static ssize_t ls_slab_read(struct file *file, char __user *buf,
			    size_t count, loff_t *ppos)
{
	struct ls_slab_file *f = file->private_data;
	struct ls_slab_snap *snap;
	ssize_t ret;

	ret = mutex_lock_interruptible(&f->lock);
	if (ret)
		return ret;
	if (*ppos == 0 && !f->fresh) {
		snap = ls_slab_snap_take();
		if (IS_ERR(snap)) {
			ret = PTR_ERR(snap);
			goto out;
		}
		ls_slab_snap_free(f->snap);
		f->snap = snap;
	}
	f->fresh = false;
	ret = ls_slab_snap_read(f->snap, buf, count, ppos);
out:
	mutex_unlock(&f->lock);
	return ret;
}

static loff_t ls_slab_llseek(struct file *file, loff_t offset, int whence)
{
	struct ls_slab_file *f = file->private_data;
	loff_t ret;

	mutex_lock(&f->lock);
	ret = fixed_size_llseek(file, offset, whence,
				f->snap->head_len + f->snap->rows_len);
	mutex_unlock(&f->lock);
	return ret;
}

static int ls_slab_release(struct inode *inode, struct file *file)
{
	struct ls_slab_file *f = file->private_data;

	ls_slab_snap_free(f->snap);
	mutex_destroy(&f->lock);
	ls_mem_free(f);
	return 0;
}

const struct file_operations ls_vmalloc_fops = {
	.owner = THIS_MODULE,
	.open = ls_vmalloc_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = ls_pinned_release,
};

const struct file_operations ls_slab_fops = {
	.owner = THIS_MODULE,
	.open = ls_slab_open,
	.read = ls_slab_read,
	.llseek = ls_slab_llseek,
	.release = ls_slab_release,
};
