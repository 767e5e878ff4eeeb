// SPDX-License-Identifier: GPL-2.0
/*
 * The callsites and stacks files.  callsites streams the callsite report
 * that was latest at open, pinned until release (views_pinned.h); while
 * tracking is off it is its header and column line.
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
#include "views_pinned.h"

/* The tracker's words in the callsites header: under 280 bytes. */
#define LS_TRACK_WORDS_MAX	320

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

static int ls_callsites_show(struct seq_file *m, const void *v)
{
	const struct ls_callsite_row *row = v;

	if (!row) {
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

static void ls_callsites_put(void *report)
{
	ls_callsite_report_put(report);
}

static const struct ls_pinned_view ls_callsites_view = {
	.show = ls_callsites_show,
	.put = ls_callsites_put,
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
 * (kfree_rcu()'s batches) look outstanding in every cache.  pages= and
 * percpu= say whether those kinds' events are registered (untraced: the
 * tracepoint was not found or refused, dmesg says which);
 * pages_elsewhere= how many sampled pages the last snapshot left out
 * because slab or percpu rows show them (track.h).
 */
static void ls_track_words(char *buf, size_t len,
			   const struct ls_track_stats *st)
{
	snprintf(buf, len,
		 "track=%s mean_kb=%u records=%u/%u stacks=%u/%u sampled=%llu freed=%llu dropped=%llu reused=%llu nmi=%llu table_kb=%llu bulk_frees=%s pages=%s percpu=%s pages_elsewhere=%llu",
		 ls_track_mode_name(st->mode), st->mean_bytes >> 10,
		 st->records, st->records_cap, st->stacks, st->stacks_cap,
		 st->sampled, st->freed, st->dropped, st->reused, st->nmi,
		 st->table_bytes >> 10,
		 !st->armed ? "-" : st->bulk_seen ? "traced" : "untraced",
		 !st->armed ? "-" : st->pages_on ? "traced" : "untraced",
		 !st->armed ? "-" : st->percpu_on ? "traced" : "untraced",
		 st->pages_elsewhere);
}

static int ls_callsites_open(struct inode *inode, struct file *file)
{
	struct ls_track_stats st = {};
	struct ls_callsite_report *r;
	char extra[LS_TRACK_WORDS_MAX];
	struct ls_pinned *p;
	struct ls_header h;
	u32 nr;
	int ret;

	ret = ls_reports_refresh();
	if (ret)
		return ret;
	p = ls_pinned_open(file, &ls_callsites_view);
	if (IS_ERR(p))
		return PTR_ERR(p);
	r = ls_callsite_report_get(&h);
	p->report = r;
	p->rows = r ? r->rows : NULL;
	p->row_size = sizeof(struct ls_callsite_row);
	p->nr = r ? r->nr : 0;
	ls_track_snapshot(NULL, 0, &nr, &st);
	ls_track_words(extra, sizeof(extra), &st);
	p->head_len = ls_header_line(p->head, "callsites", &h,
				     r && r->capped ? "callsites" : NULL,
				     extra);
	return 0;
}

const struct file_operations ls_callsites_fops = {
	.owner = THIS_MODULE,
	.open = ls_callsites_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = ls_pinned_release,
};

/*
 * The stacks file: the ids interned when it is opened, each printed with
 * its frames (innermost first) as "func+0x1c/0x80[mod]", one field each,
 * as the tracker holds them when the line is formatted (none, once
 * tracking is off).
 */
static int ls_stacks_show(struct seq_file *m, const void *v)
{
	unsigned long frames[LS_STACK_DEPTH];
	char sym[KSYM_SYMBOL_LEN];
	u32 id, nr, i;

	if (!v) {
		seq_puts(m, "stack frames\n");
		return 0;
	}
	id = *(const u32 *)v;
	nr = ls_track_stack_frames(id, frames, ARRAY_SIZE(frames));
	seq_printf(m, "%u", id);
	for (i = 0; i < nr; i++) {
		ls_symbol_field(sym, sizeof(sym), frames[i]);
		seq_printf(m, " %s", sym);
	}
	seq_putc(m, '\n');
	return 0;
}

static void ls_stacks_put(void *ids)
{
	ls_mem_free(ids);
}

/* Its "report" is the ids taken at open. */
static const struct ls_pinned_view ls_stacks_view = {
	.show = ls_stacks_show,
	.put = ls_stacks_put,
};

static int ls_stacks_open(struct inode *inode, struct file *file)
{
	struct ls_pinned *p;
	struct ls_header h;
	char extra[64];
	u32 *ids;

	ids = ls_mem_calloc(LS_TRACK_STACKS_CAP, sizeof(*ids), GFP_KERNEL);
	if (!ids)
		return -ENOMEM;
	p = ls_pinned_open(file, &ls_stacks_view);
	if (IS_ERR(p)) {
		ls_mem_free(ids);
		return PTR_ERR(p);
	}
	p->report = ids;
	p->rows = ids;
	p->row_size = sizeof(*ids);
	p->nr = ls_track_stack_ids(ids, LS_TRACK_STACKS_CAP);
	ls_header_copy(&h);
	snprintf(extra, sizeof(extra), "track=%s stacks=%u/%u",
		 ls_track_mode_name(ls_track_mode()), p->nr,
		 LS_TRACK_STACKS_CAP);
	p->head_len = ls_header_line(p->head, "stacks", &h, NULL, extra);
	return 0;
}

const struct file_operations ls_stacks_fops = {
	.owner = THIS_MODULE,
	.open = ls_stacks_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = ls_pinned_release,
};
