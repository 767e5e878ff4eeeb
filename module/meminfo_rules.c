// SPDX-License-Identifier: GPL-2.0
/*
 * Which meminfo item points where, and which growth is a suspect.
 *
 * Hints and evidence are written already encoded, words joined by '_' (the
 * reader shows spaces; see ls_words_copy()), so they hold no name with a
 * '_' of its own.
 *
 * The anon LRU lists and AnonPages grow together for a malloc leak, so only
 * AnonPages names it; Slab is the sum of its two halves, so only the halves
 * do.  A reclaimable slab (dentries, inodes) grows and shrinks with the page
 * cache on a healthy box: it needs much more growth before it is a suspect
 * than unreclaimable slab, which only a free() gives back.
 */
#include "meminfo_rules.h"

const struct ls_mi_rule ls_mi_rules[LS_MI_NR] = {
	[LS_MI_ACTIVE_ANON] = {
		.name = "Active(anon)",
		.next = "per-process_RSS:_pidstat_-r",
		.min_growth_kb = 1024,
	},
	[LS_MI_INACTIVE_ANON] = {
		.name = "Inactive(anon)",
		.next = "per-process_RSS:_pidstat_-r",
		.min_growth_kb = 1024,
	},
	[LS_MI_ANON_PAGES] = {
		.name = "AnonPages",
		.next = "per-process_RSS:_pidstat_-r",
		.min_growth_kb = 1024,
		.suspect = true,
		.kind = LS_SUSPECT_ANON_GROWTH,
		.severity = 2,
	},
	[LS_MI_MAPPED] = {
		.name = "Mapped",
		.next = "file_mappings:_pmap_-x_PID",
		.min_growth_kb = 2048,
	},
	[LS_MI_SHMEM] = {
		.name = "Shmem",
		.next = "tmpfs:_df_-t_tmpfs;_SysV:_ipcs_-m",
		.min_growth_kb = 1024,
		.suspect = true,
		.kind = LS_SUSPECT_SHMEM_GROWTH,
		.severity = 2,
	},
	[LS_MI_UNEVICTABLE] = {
		.name = "Unevictable",
		.next = "mlock:_grep_VmLck_/proc/*/status;_ramfs;_locked_SysV_shm",
		.min_growth_kb = 512,
		.suspect = true,
		.kind = LS_SUSPECT_MLOCK_GROWTH,
		.severity = 2,
	},
	[LS_MI_MLOCKED] = {
		.name = "Mlocked",
		.next = "mlock:_grep_VmLck_/proc/*/status",
		.min_growth_kb = 512,
		.suspect = true,
		.kind = LS_SUSPECT_MLOCK_GROWTH,
		.severity = 2,
	},
	[LS_MI_SLAB] = {
		.name = "Slab",
		.next = "slab_caches:_slabtop_-s_c",
		.min_growth_kb = 1024,
	},
	[LS_MI_SRECLAIMABLE] = {
		.name = "SReclaimable",
		.next = "slab_caches:_slabtop_-s_c",
		.min_growth_kb = 16384,
		.suspect = true,
		.kind = LS_SUSPECT_SLAB_GROWTH,
		.severity = 1,
	},
	[LS_MI_SUNRECLAIM] = {
		.name = "SUnreclaim",
		.next = "slab_caches:_slabtop_-s_c",
		.min_growth_kb = 1024,
		.suspect = true,
		.kind = LS_SUSPECT_SLAB_GROWTH,
		.severity = 3,
	},
	[LS_MI_VMALLOC_USED] = {
		.name = "VmallocUsed",
		.next = "vmalloc_callers:_/proc/vmallocinfo",
		.min_growth_kb = 1024,
		.suspect = true,
		.kind = LS_SUSPECT_VMALLOC_GROWTH,
		.severity = 3,
	},
	[LS_MI_KERNEL_STACK] = {
		.name = "KernelStack",
		.next = "thread_count:_ps_-eLf",
		.min_growth_kb = 512,
	},
	[LS_MI_PAGE_TABLES] = {
		.name = "PageTables",
		.next = "process_VSZ:_pidstat_-r",
		.min_growth_kb = 512,
	},
	[LS_MI_UNACCOUNTED] = {
		.name = "Unaccounted",
		.next = "driver_pages:_boot_with_page-owner_tracking;_Percpu_in_/proc/meminfo",
		.min_growth_kb = 4096,
		.suspect = true,
		.kind = LS_SUSPECT_UNACCOUNTED_GROWTH,
		.severity = 3,
	},
	/*
	 * leakscope's own memory, judged by the same rule as everything
	 * else, so that its own growth would show.  It grows as it meets
	 * processes and keys, then stays flat; it is no suspect of its own:
	 * its growth is in Slab or VmallocUsed, which name it if it leaks.
	 */
	[LS_MI_SELF] = {
		.name = "leakscope",
		.next = "its_tables:_self_kb_in_every_header;_fewer_samples",
		.min_growth_kb = 256,
	},
};

static bool ls_mi_growing(const struct ls_mi_row *row)
{
	return row->valid && row->trend.verdict == LS_VERDICT_GROWING;
}

static void ls_mi_fill(struct ls_suspect *s, enum ls_mi_item item,
		       const struct ls_mi_row *row, const char *note)
{
	const struct ls_mi_rule *rule = &ls_mi_rules[item];
	const struct ls_trend *t = &row->trend;
	char buf[LS_SUBJECT_LEN];

	memset(s, 0, sizeof(*s));
	s->kind = rule->kind;
	snprintf(buf, sizeof(buf), "meminfo:%s", rule->name);
	ls_field_copy(s->subject, sizeof(s->subject), buf);
	s->growth_kb = t->growth;
	s->rate_kb_min = t->rate_per_min;
	s->persistence_pct = t->persistence_pct;
	s->severity = rule->severity;
	snprintf(s->evidence, sizeof(s->evidence),
		 "%s_%+lld_kB_in_%lld_s,_rising_in_%u_of_%u_intervals%s",
		 rule->name, (long long)t->growth,
		 (long long)(t->span_ms / 1000), t->rises,
		 t->n ? t->n - 1 : 0, note);
	ls_field_copy(s->next, sizeof(s->next), rule->next);
}

u32 ls_mi_suspects(const struct ls_mi_row rows[LS_MI_NR],
		   struct ls_suspect *out, u32 max)
{
	u32 n = 0;
	int item;

	for (item = 0; item < LS_MI_NR; item++) {
		const char *note = "";

		if (!ls_mi_rules[item].suspect || !ls_mi_growing(&rows[item]))
			continue;
		if (item == LS_MI_UNEVICTABLE) {
			if (ls_mi_growing(&rows[LS_MI_MLOCKED]))
				continue;
			note = ",_not_mlocked:_ramfs_or_locked_SysV_shm";
		}
		if (item == LS_MI_SRECLAIMABLE)
			note = ",_reclaimable:_check_it_survives_drop_caches";
		if (n < max)
			ls_mi_fill(&out[n], item, &rows[item], note);
		n++;
	}
	return n;
}

/* The fastest-growing suspect of @kind in @sus[0..@n), or NULL. */
static const struct ls_suspect *ls_mi_fastest(const struct ls_suspect *sus,
					      u32 n, enum ls_suspect_kind kind)
{
	const struct ls_suspect *best = NULL;
	u32 i;

	for (i = 0; i < n; i++)
		if (sus[i].kind == kind &&
		    (!best || sus[i].rate_kb_min > best->rate_kb_min))
			best = &sus[i];
	return best;
}

void ls_mi_next(enum ls_mi_item item, struct ls_mi_row *row,
		const struct ls_suspect *sus, u32 n)
{
	const struct ls_suspect *s = NULL;
	char text[LS_NEXT_LEN];

	if ((unsigned int)item >= LS_MI_NR)
		return;
	ls_field_copy(row->next, sizeof(row->next), ls_mi_rules[item].next);
	if (item != LS_MI_KERNEL_STACK || !ls_mi_growing(row))
		return;
	s = ls_mi_fastest(sus, n, LS_SUSPECT_THREAD_GROWTH);
	if (!s)
		s = ls_mi_fastest(sus, n, LS_SUSPECT_ZOMBIE_GROWTH);
	if (!s)
		return;
	snprintf(text, sizeof(text), "suspect %s %s",
		 ls_suspect_kind_name(s->kind), s->subject);
	ls_words_copy(row->next, sizeof(row->next), text);
}
