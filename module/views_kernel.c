// SPDX-License-Identifier: GPL-2.0
/*
 * The vmalloc and slab files: they show the latest kernel report, pinned
 * by a reference, with no lock held.
 */
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "leakscope.h"

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

static int ls_vmalloc_show(struct seq_file *m, void *unused)
{
	struct ls_kernel_report *r;
	struct ls_header h;
	char extra[32], kinds[48];
	u32 i;

	r = ls_kernel_report_get(&h);
	snprintf(extra, sizeof(extra), "longest_hold_us=%u",
		 r ? r->longest_hold_us : 0);
	ls_print_header(m, "vmalloc", &h,
			r && r->vmalloc_capped ? "vmalloc" : NULL, extra);
	seq_printf(m, "%7s %10s %8s %-16s %10s %12s %11s %-10s %s\n", "areas",
		   "size_kb", "pages", "kind", "growth_kb", "rate_kb_min",
		   "persist_pct", "verdict", "caller");
	for (i = 0; r && i < r->nr_vmalloc; i++) {
		const struct ls_vmalloc_row *v = &r->vmalloc[i];

		ls_vmalloc_kinds(kinds, sizeof(kinds), v->kinds);
		seq_printf(m, "%7lld %10lld %8lld %-16s %10lld %12lld %11u %-10s %s\n",
			   v->areas, v->size_kb, v->pages, kinds, v->growth_kb,
			   v->rate_kb_min, v->persistence_pct, v->verdict,
			   v->caller);
	}
	ls_kernel_report_put(r);
	return 0;
}

#define LS_VMALLOC_ROW_BYTES	160	/* one formatted row, at most */

/* Size the seq_file buffer once (see ls_procs_size_hint()). */
static size_t ls_vmalloc_size_hint(void)
{
	u32 rows = 0;

	mutex_lock(&ls_state.lock);
	if (ls_state.kernel_report)
		rows = ls_state.kernel_report->nr_vmalloc;
	mutex_unlock(&ls_state.lock);
	return LS_VIEW_HEADER_BYTES + (size_t)(rows + 16) *
		LS_VMALLOC_ROW_BYTES;
}

static int ls_vmalloc_open(struct inode *inode, struct file *file)
{
	return single_open_size(file, ls_vmalloc_show, inode->i_private,
				ls_vmalloc_size_hint());
}

/*
 * The slab file is read the way /proc/slabinfo is, whole and often
 * (slabtop, exporters).  Its rows are text made when the sample was taken
 * (r->slab_text), so a read is the header and column lines, made at open,
 * then that text copied straight out of the pinned report.  No seq_file:
 * its buffer for ~200 caches is an order-3 allocation per open, zeroed on
 * distribution kernels (init_on_alloc), and a second copy of every row.
 */
struct ls_slab_file {
	struct ls_kernel_report *r;	/* pinned until release */
	const char *rows;		/* r->slab_text, or own_rows */
	char *own_rows;			/* formatted here if the report has none */
	size_t rows_len;
	size_t head_len;
	char head[LS_VIEW_HEADER_BYTES];
};

/* The report could not keep its rows' text: format them for this open. */
static int ls_slab_file_format_rows(struct ls_slab_file *f)
{
	const struct ls_kernel_report *r = f->r;
	size_t room = (size_t)r->nr_slab * LS_SLAB_ROW_MAX + 1;
	u32 i;

	f->own_rows = kvmalloc(room, GFP_KERNEL);
	if (!f->own_rows)
		return -ENOMEM;
	for (i = 0; i < r->nr_slab; i++)
		f->rows_len += ls_slab_row_format(f->own_rows + f->rows_len,
						  room - f->rows_len,
						  &r->slab[i]);
	f->rows = f->own_rows;
	return 0;
}

static int ls_slab_open(struct inode *inode, struct file *file)
{
	struct ls_slab_file *f = kzalloc(sizeof(*f), GFP_KERNEL);
	struct ls_header h;
	int err;

	if (!f)
		return -ENOMEM;
	f->r = ls_kernel_report_get(&h);
	f->head_len = ls_header_format(f->head, sizeof(f->head), "slab", &h,
				       f->r && f->r->slab_capped ? "slab" : NULL,
				       NULL);
	f->head_len += scnprintf(f->head + f->head_len,
				 sizeof(f->head) - f->head_len,
				 "%-24s %7s %7s %11s %11s %8s %10s %-11s %10s %12s %11s %s\n",
				 "cache", "objsize", "size", "active_objs",
				 "total_objs", "slabs", "size_kb", "reclaimable",
				 "growth_kb", "rate_kb_min", "persist_pct",
				 "verdict");
	if (f->r && f->r->slab_text) {
		f->rows = f->r->slab_text;
		f->rows_len = f->r->slab_text_len;
	} else if (f->r) {
		err = ls_slab_file_format_rows(f);
		if (err) {
			ls_kernel_report_put(f->r);
			kfree(f);
			return err;
		}
	}
	file->private_data = f;
	return 0;
}

/* Two pieces, one after the other: the head lines, then the rows. */
static ssize_t ls_slab_read(struct file *file, char __user *buf,
			    size_t count, loff_t *ppos)
{
	struct ls_slab_file *f = file->private_data;
	loff_t head_len = f->head_len, pos;
	ssize_t done = 0, n;

	if (*ppos < head_len) {
		done = simple_read_from_buffer(buf, count, ppos, f->head,
					       f->head_len);
		if (done < 0 || *ppos < head_len)
			return done;
	}
	pos = *ppos - head_len;
	n = simple_read_from_buffer(buf + done, count - done, &pos, f->rows,
				    f->rows_len);
	if (n < 0)
		return done ?: n;
	*ppos = head_len + pos;
	return done + n;
}

static loff_t ls_slab_llseek(struct file *file, loff_t offset, int whence)
{
	struct ls_slab_file *f = file->private_data;

	return fixed_size_llseek(file, offset, whence,
				 f->head_len + f->rows_len);
}

static int ls_slab_release(struct inode *inode, struct file *file)
{
	struct ls_slab_file *f = file->private_data;

	kvfree(f->own_rows);
	ls_kernel_report_put(f->r);
	kfree(f);
	return 0;
}

const struct file_operations ls_vmalloc_fops = {
	.owner = THIS_MODULE,
	.open = ls_vmalloc_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
};

const struct file_operations ls_slab_fops = {
	.owner = THIS_MODULE,
	.open = ls_slab_open,
	.read = ls_slab_read,
	.llseek = ls_slab_llseek,
	.release = ls_slab_release,
};
