// SPDX-License-Identifier: GPL-2.0
/*
 * Per-cgroup sums of the tracked processes, updated by difference.
 *
 * Owned by the procs history, under ls_state.sample_lock.  The table is
 * sorted by cgroup id and grows by doubling; a host has far fewer cgroups
 * than processes, so an insert's memmove is rare and short.  Entries
 * never outnumber the cgroups of the records tracked at the last
 * compaction plus those of the records added since: at most twice
 * LS_PROCS_MAX.
 */
#include <linux/bug.h>
#include <linux/minmax.h>
#include <linux/string.h>

#include "cgroup_sums.h"
#include "self_mem.h"

#define LS_CG_SUMS_MIN_CAP	64

/* Index of the first entry with an id of at least @id. */
static u32 ls_cg_sums_find(const struct ls_cg_sums *s, u64 id)
{
	return ls_lower_bound(s->nr, i, s->e[i].id < id);
}

/* Room for one more entry; false: no memory. */
static bool ls_cg_sums_reserve(struct ls_cg_sums *s)
{
	struct ls_cg_sum *e;
	u32 cap;

	if (s->nr < s->cap)
		return true;
	ls_cg_sums_compact(s);
	if (s->nr < s->cap)
		return true;
	cap = max_t(u32, s->cap * 2, LS_CG_SUMS_MIN_CAP);
	e = ls_mem_array(cap, sizeof(*e), GFP_KERNEL);
	if (!e)
		return false;
	if (s->nr)
		memcpy(e, s->e, s->nr * sizeof(*e));
	ls_mem_free(s->e);
	s->e = e;
	s->cap = cap;
	return true;
}

/* The entry of cgroup @id, added at zero if new; NULL: no memory. */
static struct ls_cg_sum *ls_cg_sums_entry(struct ls_cg_sums *s, u64 id)
{
	u32 i = ls_cg_sums_find(s, id);

	if (i < s->nr && s->e[i].id == id)
		return &s->e[i];
	if (!ls_cg_sums_reserve(s))
		return NULL;
	/* The compaction may have moved it. */
	i = ls_cg_sums_find(s, id);
	memmove(&s->e[i + 1], &s->e[i], (s->nr - i) * sizeof(*s->e));
	memset(&s->e[i], 0, sizeof(s->e[i]));
	s->e[i].id = id;
	s->nr++;
	return &s->e[i];
}

static void ls_cg_sum_add(struct ls_cg_sum *e, const struct ls_proc *p)
{
	e->procs++;
	e->threads += p->threads;
	e->stacks += p->stacks;
	e->orphans += p->orphans;
	e->vsz_kb += p->vsz_kb;
	e->anon_kb += p->anon_kb;
	e->shmem_kb += p->shmem_kb;
	e->locked_kb += p->locked_kb;
}

static void ls_cg_sum_sub(struct ls_cg_sum *e, const struct ls_proc *p)
{
	e->procs--;
	e->threads -= p->threads;
	e->stacks -= p->stacks;
	e->orphans -= p->orphans;
	e->vsz_kb -= p->vsz_kb;
	e->anon_kb -= p->anon_kb;
	e->shmem_kb -= p->shmem_kb;
	e->locked_kb -= p->locked_kb;
}

void ls_cg_sums_move(struct ls_cg_sums *s, const struct ls_proc *old,
		     const struct ls_proc *now)
{
	struct ls_cg_sum *e;
	u32 i;

	if (s->lost)
		return;		/* rebuilt from the records anyway */
	if (old) {
		/* Tracked, so it is counted in its cgroup's entry. */
		i = ls_cg_sums_find(s, old->cgroup_id);
		if (WARN_ON_ONCE(i == s->nr || s->e[i].id != old->cgroup_id ||
				 !s->e[i].procs)) {
			s->lost = true;
			return;
		}
		ls_cg_sum_sub(&s->e[i], old);
	}
	if (now) {
		e = ls_cg_sums_entry(s, now->cgroup_id);
		if (!e) {
			s->lost = true;
			return;
		}
		ls_cg_sum_add(e, now);
	}
}

void ls_cg_sums_compact(struct ls_cg_sums *s)
{
	u32 i, n = 0;

	for (i = 0; i < s->nr; i++)
		if (s->e[i].procs)
			s->e[n++] = s->e[i];
	s->nr = n;
}

void ls_cg_sums_clear(struct ls_cg_sums *s)
{
	s->nr = 0;
	s->lost = false;
}

void ls_cg_sums_free(struct ls_cg_sums *s)
{
	ls_mem_free(s->e);
	memset(s, 0, sizeof(*s));
}
