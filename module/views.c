// SPDX-License-Identifier: GPL-2.0
/*
 * The debugfs files.  Each read copies the latest report out under
 * ls_state.lock and formats the copy with no lock held: a slow reader
 * never delays the sampler, and seq_file never runs under a lock.
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "compat.h"
#include "leakscope.h"
#include "self_mem.h"

static struct dentry *ls_dir;

static struct ls_report *ls_report_copy(void)
{
	struct ls_report *r = ls_mem_alloc(sizeof(*r), GFP_KERNEL);

	if (!r)
		return NULL;
	mutex_lock(&ls_state.lock);
	*r = ls_state.report;
	mutex_unlock(&ls_state.lock);
	return r;
}

/*
 * @more_caps: caps hit by this file alone, or NULL; @extra: more
 * "key=value" words for this file, or NULL.
 */
size_t ls_header_format(char *buf, size_t len, const char *file,
			const struct ls_header *h, const char *more_caps,
			const char *extra)
{
	const char *caps = h->caps_hit;
	const char *sep = "";

	if (more_caps) {
		sep = strcmp(caps, "-") ? "," : "";
		if (!*sep)
			caps = "";
	}
	return scnprintf(buf, len,
			 "# leakscope %s v%d interval_ms=%u samples=%u held=%u window_ms=%lld sample_us=%u self_kb=%llu caps_hit=%s%s%s disabled=%s%s%s\n",
			 file, LS_FORMAT_VERSION, h->interval_ms, h->samples,
			 h->held, (long long)h->window_ms, h->sample_us,
			 ls_self_kb(), caps,
			 sep, more_caps ?: "", ls_compat_disabled(),
			 extra ? " " : "", extra ?: "");
}

size_t ls_header_line(char line[LS_HEADER_LINE_MAX], const char *file,
		      const struct ls_header *h, const char *more_caps,
		      const char *extra)
{
	size_t n = ls_header_format(line, LS_HEADER_LINE_MAX, file, h,
				    more_caps, extra);

	/* Were it ever cut short, it would still end its line. */
	if (n == LS_HEADER_LINE_MAX - 1)
		line[n - 1] = '\n';
	return n;
}

void ls_print_header(struct seq_file *m, const char *file,
		     const struct ls_header *h, const char *more_caps,
		     const char *extra)
{
	char line[LS_HEADER_LINE_MAX];

	seq_write(m, line, ls_header_line(line, file, h, more_caps, extra));
}

static void ls_print_s64(struct seq_file *m, int width, bool known, s64 v)
{
	if (known)
		seq_printf(m, " %*lld", width, (long long)v);
	else
		seq_printf(m, " %*s", width, "-");
}

static int ls_summary_show(struct seq_file *m, void *unused)
{
	struct ls_report *r;
	int item, ret;

	ret = ls_reports_refresh();
	if (ret)
		return ret;
	r = ls_report_copy();
	if (!r)
		return -ENOMEM;
	ls_print_header(m, "summary", &r->hdr, NULL, NULL);
	seq_printf(m, "%-14s %12s %12s %12s %11s %-10s %s\n", "item", "now_kb",
		   "growth_kb", "rate_kb_min", "persist_pct", "verdict", "next");
	for (item = 0; item < LS_MI_NR; item++) {
		const struct ls_mi_row *row = &r->rows[item];
		const struct ls_trend *t = &row->trend;
		bool trend = row->valid && t->n >= 2;

		seq_printf(m, "%-14s", ls_mi_rules[item].name);
		ls_print_s64(m, 12, row->valid, row->now_kb);
		ls_print_s64(m, 12, trend, t->growth);
		ls_print_s64(m, 12, trend, t->rate_per_min);
		ls_print_s64(m, 11, trend, t->persistence_pct);
		seq_printf(m, " %-10s %s\n",
			   row->valid ? ls_verdict_name(t->verdict) : "disabled",
			   row->next);
	}
	ls_mem_free(r);
	return 0;
}

static int ls_suspects_show(struct seq_file *m, void *unused)
{
	struct ls_report *r;
	int ret;
	u32 i;

	ret = ls_reports_refresh();
	if (ret)
		return ret;
	r = ls_report_copy();
	if (!r)
		return -ENOMEM;
	ls_print_header(m, "suspects", &r->hdr, NULL, NULL);
	seq_printf(m, "%-4s %-18s %-24s %12s %12s %11s %s %s\n", "rank", "kind",
		   "subject", "growth_kb", "rate_kb_min", "persist_pct",
		   "evidence", "next");
	for (i = 0; i < r->nr_suspects; i++) {
		const struct ls_suspect *s = &r->suspects[i];

		seq_printf(m, "%-4u %-18s %-24s %12lld %12lld %11u %s %s\n",
			   s->rank, ls_suspect_kind_name(s->kind), s->subject,
			   (long long)s->growth_kb, (long long)s->rate_kb_min,
			   s->persistence_pct, s->evidence, s->next);
	}
	ls_mem_free(r);
	return 0;
}

static int ls_control_show(struct seq_file *m, void *unused)
{
	u32 pid, track, track_mean_kb;
	struct ls_header h;

	ls_header_copy(&h);
	mutex_lock(&ls_state.sample_lock);
	pid = ls_state.pid;
	track = ls_state.track;
	track_mean_kb = ls_state.track_mean_kb;
	mutex_unlock(&ls_state.sample_lock);
	ls_print_header(m, "control", &h, NULL, NULL);
	seq_printf(m, "%-13s %s\n", "setting", "value");
	seq_printf(m, "%-13s %u\n", "interval_ms", h.interval_ms);
	seq_printf(m, "%-13s %u\n", "samples", h.samples);
	seq_printf(m, "%-13s %u\n", "pid", pid);
	seq_printf(m, "%-13s %s\n", "track", ls_track_word(track));
	seq_printf(m, "%-13s %u\n", "track_mean_kb", track_mean_kb);
	return 0;
}

/*
 * One write is one command line, parsed whole: anything that does not
 * parse is -EINVAL and changes nothing.
 */
static ssize_t ls_control_write(struct file *file, const char __user *ubuf,
				size_t len, loff_t *ppos)
{
	struct ls_control_cmd cmd;
	char *buf;
	int ret;

	if (len > LS_CONTROL_MAX_LEN)
		return -EINVAL;
	buf = memdup_user_nul(ubuf, len);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	ret = ls_control_parse(buf, len, &cmd);
	kfree(buf);
	if (ret)
		return -EINVAL;
	ret = ls_settings_apply(&cmd);
	return ret ? ret : len;
}

DEFINE_SHOW_ATTRIBUTE(ls_summary);
DEFINE_SHOW_ATTRIBUTE(ls_suspects);

static int ls_control_open(struct inode *inode, struct file *file)
{
	return single_open(file, ls_control_show, inode->i_private);
}

static const struct file_operations ls_control_fops = {
	.owner = THIS_MODULE,
	.open = ls_control_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.write = ls_control_write,
	.release = single_release,
};

int ls_views_create(void)
{
	ls_dir = debugfs_create_dir("leakscope", NULL);
	if (IS_ERR(ls_dir))
		return PTR_ERR(ls_dir);
	debugfs_create_file("summary", 0400, ls_dir, NULL, &ls_summary_fops);
	debugfs_create_file("suspects", 0400, ls_dir, NULL, &ls_suspects_fops);
	debugfs_create_file("procs", 0400, ls_dir, NULL, &ls_procs_fops);
	debugfs_create_file("cgroups", 0400, ls_dir, NULL, &ls_cgroups_fops);
	debugfs_create_file("regions", 0400, ls_dir, NULL, &ls_regions_fops);
	debugfs_create_file("vmalloc", 0400, ls_dir, NULL, &ls_vmalloc_fops);
	debugfs_create_file("slab", 0400, ls_dir, NULL, &ls_slab_fops);
	debugfs_create_file("callsites", 0400, ls_dir, NULL,
			    &ls_callsites_fops);
	debugfs_create_file("stacks", 0400, ls_dir, NULL, &ls_stacks_fops);
	debugfs_create_file("control", 0600, ls_dir, NULL, &ls_control_fops);
	return 0;
}

void ls_views_remove(void)
{
	debugfs_remove_recursive(ls_dir);
	ls_dir = NULL;
}
