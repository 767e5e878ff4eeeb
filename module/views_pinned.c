// SPDX-License-Identifier: GPL-2.0
/*
 * The seq_file iterator shared by the files that stream a pinned report
 * (views_pinned.h).
 */
#include <linux/err.h>
#include <linux/slab.h>

#include "self_mem.h"
#include "views_pinned.h"

/* Position 0 is the header and column lines; row i is at i + 1. */
static void *ls_pinned_row(struct ls_pinned *p, loff_t pos)
{
	if (!p->report || pos > p->nr)
		return NULL;
	return (void *)((const char *)p->rows + (pos - 1) * p->row_size);
}

static void *ls_pinned_start(struct seq_file *m, loff_t *pos)
{
	return *pos ? ls_pinned_row(m->private, *pos) : SEQ_START_TOKEN;
}

static void *ls_pinned_next(struct seq_file *m, void *v, loff_t *pos)
{
	return ls_pinned_row(m->private, ++*pos);
}

/* Nothing to let go between chunks: the report is pinned until release. */
static void ls_pinned_stop(struct seq_file *m, void *v)
{
}

static int ls_pinned_show(struct seq_file *m, void *v)
{
	struct ls_pinned *p = m->private;

	if (v == SEQ_START_TOKEN) {
		seq_write(m, p->head, p->head_len);
		return p->view->show(m, NULL);
	}
	return p->view->show(m, v);
}

static const struct seq_operations ls_pinned_sops = {
	.start = ls_pinned_start,
	.next = ls_pinned_next,
	.stop = ls_pinned_stop,
	.show = ls_pinned_show,
};

struct ls_pinned *ls_pinned_open(struct file *file,
				 const struct ls_pinned_view *view)
{
	struct ls_pinned *p;
	struct seq_file *m;
	int ret;

	p = ls_mem_zalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return ERR_PTR(-ENOMEM);
	ret = seq_open(file, &ls_pinned_sops);
	if (ret) {
		ls_mem_free(p);
		return ERR_PTR(ret);
	}
	p->view = view;
	m = file->private_data;
	m->private = p;
	return p;
}

int ls_pinned_release(struct inode *inode, struct file *file)
{
	struct seq_file *m = file->private_data;
	struct ls_pinned *p = m->private;

	if (p->report)
		p->view->put(p->report);
	ls_mem_free(p);
	return seq_release(inode, file);
}
