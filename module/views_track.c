// SPDX-License-Identifier: GPL-2.0
/*
 * The callsites and stacks files.  callsites streams the callsite report
 * that was latest at open, pinned until release, as the vmalloc file does
 * its report; while tracking is off it is its header and column line.
 * stacks prints the tracker's interned stacks, one per line.
 */
#include <linux/fs.h>
#include <linux/kallsyms.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "leakscope.h"
#include "self_mem.h"
#include "track.h"
#include "track_stacks.h"

/* The tracker's words in the callsites header: under 200 bytes. */
#define LS_TRACK_WORDS_MAX	256

static const char *const ls_track_mode_names[] = {
	[LS_TRACK_OFF] = "off",
	[LS_TRACK_AUTO] = "auto",
	[LS_TRACK_ALL] = "all",
};

static const char *ls_track_mode_name(u32 mode)
{
	return mode < ARRAY_SIZE(ls_track_mode_names) ?
	       ls_track_mode_names[mode] : "?";
}

struct ls_callsites_iter {
	struct ls_callsite_report *r;	/* NULL: none (out of memory) */
	size_t head_len;
	char head[LS_HEADER_LINE_MAX];
};

/* Position 0 is the header and column lines; row i is at i + 1. */
static void *ls_callsites_row(struct ls_callsites_iter *it, loff_t pos)
{
	if (!it->r || pos > it->r->nr)
		return NULL;
	return &it->r->rows[pos - 1];
}

static void *ls_callsites_start(struct seq_file *m, loff_t *pos)
{
	return *pos ? ls_callsites_row(m->private, *pos) : SEQ_START_TOKEN;
}

static void *ls_callsites_next(struct seq_file *m, void *v, loff_t *pos)
{
	return ls_callsites_row(m->private, ++*pos);
}

/* Nothing to let go between chunks: the report is pinned until release. */
static void ls_callsites_stop(struct seq_file *m, void *v)
{
}

static int ls_callsites_show(struct seq_file *m, void *v)
{
	struct ls_callsites_iter *it = m->private;
	const struct ls_callsite_row *row = v;

	if (v == SEQ_START_TOKEN) {
		seq_write(m, it->head, it->head_len);
		seq_printf(m, "%9s %10s %8s %8s %10s %12s %11s %-10s %6s %-20s %-16s %s\n",
			   "objects", "size_kb", "oldest_s", "median_s",
			   "growth_kb", "rate_kb_min", "persist_pct", "verdict",
			   "stack", "cgroup", "class", "site");
		return 0;
	}
	seq_printf(m, "%9lld %10lld %8lld %8lld %10lld %12lld %11u %-10s %6u %-20s %-16s %s\n",
		   row->objects, row->size_kb, row->oldest_s, row->median_s,
		   row->growth_kb, row->rate_kb_min, row->persistence_pct,
		   row->verdict, row->stack_id, row->cgroup, row->cls,
		   row->site);
	return 0;
}

static const struct seq_operations ls_callsites_sops = {
	.start = ls_callsites_start,
	.next = ls_callsites_next,
	.stop = ls_callsites_stop,
	.show = ls_callsites_show,
};

static struct ls_callsite_report *ls_callsite_report_get(struct ls_header *h)
{
	struct ls_callsite_report *r;

	mutex_lock(&ls_state.lock);
	*h = ls_state.report.hdr;
	r = ls_state.callsite_report;
	if (r)
		kref_get(&r->ref);
	mutex_unlock(&ls_state.lock);
	return r;
}

/*
 * The tracker's words for the header, as it is at the open (the rows are
 * from the last sample): its mode, its sampling interval, how full its
 * tables are and what it counted.  bulk_frees=untraced: the kprobe on
 * kmem_cache_free_bulk() could not be had, and objects freed in bulk
 * (kfree_rcu()'s batches) look outstanding in every cache.
 */
static void ls_track_words(char *buf, size_t len,
			   const struct ls_track_stats *st)
{
	snprintf(buf, len,
		 "track=%s mean_kb=%u records=%u/%u stacks=%u/%u sampled=%llu freed=%llu dropped=%llu reused=%llu nmi=%llu table_kb=%llu bulk_frees=%s",
		 ls_track_mode_name(st->mode), st->mean_bytes >> 10,
		 st->records, st->records_cap, st->stacks, st->stacks_cap,
		 st->sampled, st->freed, st->dropped, st->reused, st->nmi,
		 st->table_bytes >> 10,
		 !st->armed ? "-" : st->bulk_seen ? "traced" : "untraced");
}

static int ls_callsites_open(struct inode *inode, struct file *file)
{
	struct ls_track_stats st = {};
	struct ls_callsites_iter *it;
	struct ls_callsite_report *r;
	char extra[LS_TRACK_WORDS_MAX];
	struct ls_header h;
	struct seq_file *m;
	u32 nr;
	int ret;

	ret = ls_reports_refresh();
	if (ret)
		return ret;
	it = ls_mem_alloc(sizeof(*it), GFP_KERNEL);
	if (!it)
		return -ENOMEM;
	ret = seq_open(file, &ls_callsites_sops);
	if (ret) {
		ls_mem_free(it);
		return ret;
	}
	r = ls_callsite_report_get(&h);
	it->r = r;
	ls_track_snapshot(NULL, 0, &nr, &st);
	ls_track_words(extra, sizeof(extra), &st);
	it->head_len = ls_header_line(it->head, "callsites", &h,
				      r && r->capped ? "callsites" : NULL,
				      extra);
	m = file->private_data;
	m->private = it;
	return 0;
}

static int ls_callsites_release(struct inode *inode, struct file *file)
{
	struct seq_file *m = file->private_data;
	struct ls_callsites_iter *it = m->private;

	ls_callsite_report_put(it->r);
	ls_mem_free(it);
	return seq_release(inode, file);
}

const struct file_operations ls_callsites_fops = {
	.owner = THIS_MODULE,
	.open = ls_callsites_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = ls_callsites_release,
};

/*
 * The stacks file: the ids interned when it is opened, each printed with
 * its frames (innermost first) as "func+0x1c/0x80[mod]", one field each.
 */
struct ls_stacks_iter {
	u32 nr;
	u32 *ids;			/* [LS_TRACK_STACKS_CAP] */
	size_t head_len;
	char head[LS_HEADER_LINE_MAX];
};

static void *ls_stacks_pos(struct ls_stacks_iter *it, loff_t pos)
{
	return pos <= it->nr ? &it->ids[pos - 1] : NULL;
}

static void *ls_stacks_start(struct seq_file *m, loff_t *pos)
{
	return *pos ? ls_stacks_pos(m->private, *pos) : SEQ_START_TOKEN;
}

static void *ls_stacks_next(struct seq_file *m, void *v, loff_t *pos)
{
	return ls_stacks_pos(m->private, ++*pos);
}

static void ls_stacks_stop(struct seq_file *m, void *v)
{
}

static int ls_stacks_show(struct seq_file *m, void *v)
{
	struct ls_stacks_iter *it = m->private;
	unsigned long frames[LS_STACK_DEPTH];
	char sym[KSYM_SYMBOL_LEN], *sp;
	u32 id, nr, i;

	if (v == SEQ_START_TOKEN) {
		seq_write(m, it->head, it->head_len);
		seq_puts(m, "stack frames\n");
		return 0;
	}
	id = *(u32 *)v;
	nr = ls_track_stack_frames(id, frames, ARRAY_SIZE(frames));
	seq_printf(m, "%u", id);
	for (i = 0; i < nr; i++) {
		sprint_symbol(sym, frames[i]);
		sp = strstr(sym, " [");
		if (sp)
			memmove(sp, sp + 1, strlen(sp));
		/* A frame outside any symbol stays hashed, never raw. */
		if (!strncmp(sym, "0x", 2))
			seq_printf(m, " unknown:%p", (void *)frames[i]);
		else
			seq_printf(m, " %s", sym);
	}
	seq_putc(m, '\n');
	return 0;
}

static const struct seq_operations ls_stacks_sops = {
	.start = ls_stacks_start,
	.next = ls_stacks_next,
	.stop = ls_stacks_stop,
	.show = ls_stacks_show,
};

static int ls_stacks_open(struct inode *inode, struct file *file)
{
	struct ls_stacks_iter *it;
	char extra[64];
	struct ls_header h;
	struct seq_file *m;
	int ret;

	it = ls_mem_zalloc(sizeof(*it), GFP_KERNEL);
	if (!it)
		return -ENOMEM;
	it->ids = ls_mem_calloc(LS_TRACK_STACKS_CAP, sizeof(*it->ids),
				GFP_KERNEL);
	if (!it->ids) {
		ls_mem_free(it);
		return -ENOMEM;
	}
	ret = seq_open(file, &ls_stacks_sops);
	if (ret) {
		ls_mem_free(it->ids);
		ls_mem_free(it);
		return ret;
	}
	it->nr = ls_track_stack_ids(it->ids, LS_TRACK_STACKS_CAP);
	ls_header_copy(&h);
	snprintf(extra, sizeof(extra), "track=%s stacks=%u/%u",
		 ls_track_mode_name(ls_track_mode()), it->nr,
		 LS_TRACK_STACKS_CAP);
	it->head_len = ls_header_line(it->head, "stacks", &h, NULL, extra);
	m = file->private_data;
	m->private = it;
	return 0;
}

static int ls_stacks_release(struct inode *inode, struct file *file)
{
	struct seq_file *m = file->private_data;
	struct ls_stacks_iter *it = m->private;

	ls_mem_free(it->ids);
	ls_mem_free(it);
	return seq_release(inode, file);
}

const struct file_operations ls_stacks_fops = {
	.owner = THIS_MODULE,
	.open = ls_stacks_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = ls_stacks_release,
};
