// SPDX-License-Identifier: GPL-2.0
/*
 * The vmalloc and slab files: they format the latest kernel report,
 * pinned by a reference, with no lock held.
 */
#include <linux/fs.h>
#include <linux/seq_file.h>

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

static int ls_slab_show(struct seq_file *m, void *unused)
{
	struct ls_kernel_report *r;
	struct ls_header h;
	char line[256];
	u32 i;

	r = ls_kernel_report_get(&h);
	ls_print_header(m, "slab", &h, r && r->slab_capped ? "slab" : NULL,
			NULL);
	seq_printf(m, "%-24s %7s %7s %11s %11s %8s %10s %-11s %10s %12s %11s %s\n",
		   "cache", "objsize", "size", "active_objs", "total_objs",
		   "slabs", "size_kb", "reclaimable", "growth_kb",
		   "rate_kb_min", "persist_pct", "verdict");
	if (r && r->slab_text) {
		seq_write(m, r->slab_text, r->slab_text_len);
	} else {
		/* The report had no memory for its text: format it here. */
		for (i = 0; r && i < r->nr_slab; i++) {
			ls_slab_row_format(line, sizeof(line), &r->slab[i]);
			seq_puts(m, line);
		}
	}
	ls_kernel_report_put(r);
	return 0;
}

#define LS_VMALLOC_ROW_BYTES	160	/* one formatted row, at most */
#define LS_SLAB_ROW_BYTES	160

/* Size the seq_file buffer once (see ls_procs_size_hint()). */
static size_t ls_kernel_size_hint(bool slab)
{
	u32 rows = 0;

	mutex_lock(&ls_state.lock);
	if (ls_state.kernel_report)
		rows = slab ? ls_state.kernel_report->nr_slab
			    : ls_state.kernel_report->nr_vmalloc;
	mutex_unlock(&ls_state.lock);
	return LS_VIEW_HEADER_BYTES + (size_t)(rows + 16) *
		(slab ? LS_SLAB_ROW_BYTES : LS_VMALLOC_ROW_BYTES);
}

static int ls_vmalloc_open(struct inode *inode, struct file *file)
{
	return single_open_size(file, ls_vmalloc_show, inode->i_private,
				ls_kernel_size_hint(false));
}

static int ls_slab_open(struct inode *inode, struct file *file)
{
	return single_open_size(file, ls_slab_show, inode->i_private,
				ls_kernel_size_hint(true));
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
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
};
