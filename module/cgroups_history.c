// SPDX-License-Identifier: GPL-2.0
/*
 * The cgroups history and report.
 *
 * Owned by the sampler, under ls_state.sample_lock; readers only ever see
 * a finished, refcounted report.  A cgroup is summed from the records the
 * procs history keeps (it keeps the sums, see cgroup_sums.h), so a pass
 * over the processes that takes several samples (a box with thousands of
 * them) sums each process's latest record, as the procs file shows it,
 * and the two always agree.
 */
#include <linux/minmax.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include "cgroups_history.h"
#include "self_mem.h"

enum {
	LS_CGV_PROCS, LS_CGV_THREADS, LS_CGV_VSZ,
	LS_CGV_ANON, LS_CGV_SHMEM, LS_CGV_LOCKED,
	LS_CGV_NR
};

enum { LS_CGA_STACKS, LS_CGA_ORPHANS };

int ls_cgroups_history_init(struct ls_cgroups_history *ch)
{
	int ret;

	memset(ch, 0, sizeof(*ch));
	BUILD_BUG_ON(LS_CGV_NR > LS_KH_NV_MAX);
	ret = ls_kh_init(&ch->kh, LS_CGV_NR);
	if (ret)
		return ret;
	ch->cur = ls_mem_calloc(LS_CGROUPS_MAX, sizeof(*ch->cur), GFP_KERNEL);
	if (!ch->cur) {
		ls_cgroups_history_free(ch);
		return -ENOMEM;
	}
	return 0;
}

void ls_cgroups_history_free(struct ls_cgroups_history *ch)
{
	ls_kh_free(&ch->kh);
	ls_mem_free(ch->cur);
	memset(ch, 0, sizeof(*ch));
}

void ls_cgroups_history_reset(struct ls_cgroups_history *ch)
{
	ls_kh_reset(&ch->kh);
}

void ls_cgroups_history_sample(struct ls_cgroups_history *ch,
			       struct ls_procs_history *ph, s64 t_ms,
			       u32 window)
{
	const struct ls_cg_sum *sums;
	u32 i, n;

	sums = ls_procs_history_by_cgroup(ph, &n);
	if (!sums)
		return;		/* out of memory: no cgroups this sample */
	/* Without cgroups every process has id 0, and there is no row. */
	if (!IS_ENABLED(CONFIG_CGROUPS))
		n = 0;
	/* More cgroups: the lowest ids are kept. */
	ch->capped = n > LS_CGROUPS_MAX;
	n = min_t(u32, n, LS_CGROUPS_MAX);
	/*
	 * Every value and attribute is set; the names stay empty (zeroed
	 * when allocated): a cgroup's path is made at a read.
	 */
	for (i = 0; i < n; i++) {
		struct ls_kh_sample *c = &ch->cur[i];

		c->key = sums[i].id;
		c->v[LS_CGV_PROCS] = sums[i].procs;
		c->v[LS_CGV_THREADS] = sums[i].threads;
		c->v[LS_CGV_VSZ] = sums[i].vsz_kb;
		c->v[LS_CGV_ANON] = sums[i].anon_kb;
		c->v[LS_CGV_SHMEM] = sums[i].shmem_kb;
		c->v[LS_CGV_LOCKED] = sums[i].locked_kb;
		c->attr[LS_CGA_STACKS] = sums[i].stacks;
		c->attr[LS_CGA_ORPHANS] = sums[i].orphans;
	}
	ls_kh_sample(&ch->kh, ch->cur, n, t_ms, window);
}

/*
 * What the rules see of @row's cgroup.  Most cgroups never rise by a
 * floor: their trends come from the ends (a host's hundreds of cgroups,
 * four series each, at every report).
 */
static void ls_cg_view_fill(struct ls_cgroups_history *ch,
			    const struct ls_cgroup_row *row,
			    struct ls_cg_view *v)
{
	memset(v, 0, sizeof(*v));
	strscpy(v->path, row->path, sizeof(v->path));
	ls_kh_trend_sparse(&ch->kh, row->idx, LS_CGV_PROCS,
			   ls_cg_min_growth[LS_CG_PROCS],
			   &v->trend[LS_CG_PROCS]);
	ls_kh_trend_sparse(&ch->kh, row->idx, LS_CGV_ANON,
			   ls_cg_min_growth[LS_CG_ANON],
			   &v->trend[LS_CG_ANON]);
	ls_kh_trend_sparse(&ch->kh, row->idx, LS_CGV_SHMEM,
			   ls_cg_min_growth[LS_CG_SHMEM],
			   &v->trend[LS_CG_SHMEM]);
	ls_kh_trend_sparse(&ch->kh, row->idx, LS_CGV_LOCKED,
			   ls_cg_min_growth[LS_CG_LOCKED],
			   &v->trend[LS_CG_LOCKED]);
	v->proc_kinds = row->proc_kinds;
}

/* The row of the history's cgroup @i. */
static void ls_cg_row_fill(struct ls_cgroups_history *ch, u32 i,
			   struct ls_cgroup_row *row, struct ls_cg_view *v)
{
	const struct ls_kh_sample *c;
	u32 samples;

	c = ls_kh_latest(&ch->kh, i, &samples);
	memset(row, 0, sizeof(*row));
	row->id = c->key;
	row->idx = i;
	ls_cgroup_field(row->path, sizeof(row->path), row->id);
	row->samples = samples;
	row->processes = c->v[LS_CGV_PROCS];
	row->threads = c->v[LS_CGV_THREADS];
	row->vsz_kb = c->v[LS_CGV_VSZ];
	row->stacks = c->attr[LS_CGA_STACKS];
	row->orphans = c->attr[LS_CGA_ORPHANS];
	row->anon_kb = c->v[LS_CGV_ANON];
	row->shmem_kb = c->v[LS_CGV_SHMEM];
	row->locked_kb = c->v[LS_CGV_LOCKED];
	ls_cg_view_fill(ch, row, v);
	row->procs_growth = v->trend[LS_CG_PROCS].growth;
	row->anon_growth_kb = v->trend[LS_CG_ANON].growth;
	row->anon_rate_kb_min = v->trend[LS_CG_ANON].rate_per_min;
	row->persistence_pct = v->trend[LS_CG_ANON].persistence_pct;
	row->verdict = ls_verdict_name(ls_cg_verdict(v));
}

/* The row of cgroup @id in @rows[0..@nr), sorted by id; NULL: none. */
static struct ls_cgroup_row *ls_cg_row_of(struct ls_cgroup_row *rows, u32 nr,
					  u64 id)
{
	u32 lo = ls_lower_bound(nr, i, rows[i].id < id);

	return lo < nr && rows[lo].id == id ? &rows[lo] : NULL;
}

/* The pid of a process suspect's subject "pid:PID:COMM", or -1. */
static int ls_subject_pid(const char *subject)
{
	int pid;

	if (strncmp(subject, "pid:", 4) || sscanf(subject + 4, "%d:", &pid) != 1)
		return -1;
	return pid;
}

/*
 * Each process row's cgroup path, and each process suspect's cgroup:
 * named in its evidence, and its kind noted for the cgroup's rules, as
 * are the kinds a process too young to judge is pending for.
 */
static void ls_cg_label_procs(struct ls_cgroups_report *r,
			      struct ls_procs_report *procs,
			      struct ls_suspect *psus, u32 npsus)
{
	char text[LS_EVIDENCE_LEN], words[LS_EVIDENCE_LEN];
	struct ls_cgroup_row *cg;
	u32 i, k;
	int pid;

	for (i = 0; procs && i < procs->nr; i++) {
		struct ls_proc_row *p = &procs->rows[i];

		cg = ls_cg_row_of(r->rows, r->nr, p->cgroup_id);
		if (!cg) {
			/* Beyond the cap: its path all the same. */
			ls_cgroup_field(p->cgroup, sizeof(p->cgroup),
					p->cgroup_id);
			continue;
		}
		strscpy(p->cgroup, cg->path, sizeof(p->cgroup));
		/* Soon named, when the process is old enough. */
		cg->proc_kinds |= p->pending;
	}
	for (k = 0; procs && k < npsus; k++) {
		pid = ls_subject_pid(psus[k].subject);
		for (i = 0; pid > 0 && i < procs->nr; i++)
			if (procs->rows[i].pid == pid)
				break;
		if (pid <= 0 || i == procs->nr)
			continue;
		cg = ls_cg_row_of(r->rows, r->nr, procs->rows[i].cgroup_id);
		if (!cg)
			continue;
		cg->proc_kinds |= BIT(psus[k].kind);
		snprintf(text, sizeof(text), ", cgroup %s", cg->path);
		ls_words_copy(words, sizeof(words), text);
		if (strlen(psus[k].evidence) + strlen(words) <
		    sizeof(psus[k].evidence))
			strcat(psus[k].evidence, words);
	}
}

static int ls_cg_cmp_row(const void *a, const void *b)
{
	const struct ls_cgroup_row *x = a, *y = b;

	if (x->anon_growth_kb != y->anon_growth_kb)
		return x->anon_growth_kb < y->anon_growth_kb ? 1 : -1;
	if (x->procs_growth != y->procs_growth)
		return x->procs_growth < y->procs_growth ? 1 : -1;
	if (x->anon_kb != y->anon_kb)
		return x->anon_kb < y->anon_kb ? 1 : -1;
	return strcmp(x->path, y->path);
}

struct ls_cgroups_report *
ls_cgroups_report_build(struct ls_cgroups_history *ch,
			struct ls_procs_report *procs,
			struct ls_suspect *psus, u32 npsus,
			struct ls_suspect *sus, u32 max, u32 *found)
{
	struct ls_cgroups_report *r;
	struct ls_cg_view *v;
	u32 i, nr = ch->kh.nr, n = 0;

	*found = 0;
	v = ls_mem_alloc(sizeof(*v), GFP_KERNEL);
	r = ls_mem_alloc(struct_size(r, rows, nr), GFP_KERNEL);
	if (!v || !r) {
		ls_mem_free(v);
		ls_mem_free(r);
		return NULL;
	}
	kref_init(&r->ref);
	r->capped = ch->capped || ch->kh.capped;
	/* In id order first: the processes find their cgroup's row. */
	for (i = 0; i < nr; i++)
		ls_cg_row_fill(ch, i, &r->rows[i], v);
	r->nr = nr;
	ls_cg_label_procs(r, procs, psus, npsus);
	for (i = 0; i < nr; i++) {
		if (strcmp(r->rows[i].verdict,
			   ls_verdict_name(LS_VERDICT_GROWING)))
			continue;
		ls_cg_view_fill(ch, &r->rows[i], v);
		n += ls_cg_suspects(v, sus + min(n, max), max - min(n, max));
	}
	sort(r->rows, nr, sizeof(*r->rows), ls_cg_cmp_row, NULL);
	ls_mem_free(v);
	*found = n;
	return r;
}

static void ls_cgroups_report_release(struct kref *ref)
{
	ls_mem_free(container_of(ref, struct ls_cgroups_report, ref));
}

void ls_cgroups_report_put(struct ls_cgroups_report *r)
{
	if (r)
		kref_put(&r->ref, ls_cgroups_report_release);
}
