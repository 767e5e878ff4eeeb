/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel side of the method's steps 4 and 5: vmalloc areas grouped by
 * caller and slab caches, sampled into keyed histories, and the refcounted
 * report the vmalloc and slab files print.
 */
#ifndef LS_KERNEL_REPORT_H
#define LS_KERNEL_REPORT_H

#include <linux/bits.h>
#include <linux/kref.h>

#include "keyed_history.h"
#include "keysort.h"
#include "kernel_rules.h"
#include "walk_slab.h"
#include "walk_vmalloc.h"

#define LS_SLAB_CACHES_MAX	2048	/* caches per walk; more: caps_hit */

struct ls_vmalloc_row {
	char caller[LS_KR_NAME_LEN];
	char module[LS_KR_NAME_LEN];	/* the unloaded module, or "" */
	u32 samples;
	u32 kinds;			/* LS_VMK_* seen among its areas */
	s64 areas, size_kb, pages;
	s64 growth_kb, rate_kb_min;
	u32 persistence_pct;
	const char *verdict;
};

struct ls_slab_row {
	char name[LS_KR_NAME_LEN];
	u32 samples;
	u32 object_size, size;
	bool reclaimable;
	s64 active_objs, total_objs, slabs, size_kb;
	s64 growth_kb, rate_kb_min;
	u32 persistence_pct;
	const char *verdict;
};

/* Kinds of areas, as /proc/vmallocinfo names them. */
enum {
	LS_VMK_VMALLOC = 1 << 0,
	LS_VMK_VMAP = 1 << 1,
	LS_VMK_IOREMAP = 1 << 2,
	LS_VMK_USER = 1 << 3,
	LS_VMK_DMA = 1 << 4,
	LS_VMK_OTHER = 1 << 5,
};

/* An immutable snapshot; readers format it with no lock held. */
struct ls_kernel_report {
	struct kref ref;
	u32 nr_vmalloc, nr_slab;
	bool vmalloc_capped;		/* areas or callers over their bound */
	bool slab_capped;
	u32 longest_hold_us;		/* longest vmalloc spinlock hold, last walk */
	/* The last slab walk: its longest list_lock hold, nodes (not) scanned */
	u32 slab_hold_us, slab_scanned, slab_reused;
	u32 pending;		/* ls_vmalloc_pending(), ls_slab_pending() */
	struct ls_vmalloc_row *vmalloc;
	struct ls_slab_row *slab;
	/*
	 * The slab rows as the slab file prints them, NULL when out of
	 * memory: reading the file is a copy.  Most rows read the same as
	 * at the last sample and keep their text (ls_slab_row_text()).
	 */
	char *slab_text;
	size_t slab_text_len;
};

/* One formatted slab row, at most: a 64-character name fits. */
#define LS_SLAB_ROW_MAX	256
/* One slab row as the slab file prints it, with its newline. */
int ls_slab_row_format(char *buf, size_t len, const struct ls_slab_row *s);

#define LS_VM_SLOTS_BITS	13
#define LS_VM_SLOTS		BIT(LS_VM_SLOTS_BITS)

struct ls_kernel_history {
	struct ls_vmalloc_snap snap;
	struct ls_slab_walk slab_walk;
	struct ls_slab_cache *caches;	/* [LS_SLAB_CACHES_MAX] */
	struct ls_kh_sample *cur;	/* [LS_KH_MAX] aggregation buffer */
	/*
	 * vmalloc callers by hash: [LS_VM_SLOTS] indices into cur, plus
	 * one (0: empty); empty between samples.
	 */
	u32 *vm_slots;
	/*
	 * [keys_cap]: sort scratch, for callers and caches by name
	 * while sampling, then the slab rows' order while the report is built.
	 */
	struct ls_key *keys, *keys_tmp;
	u32 keys_cap;
	struct ls_keyed_history vmalloc;
	struct ls_keyed_history slab;
	bool slab_truncated;
	bool vmalloc_truncated;
};

int ls_kernel_history_init(struct ls_kernel_history *kh);
void ls_kernel_history_free(struct ls_kernel_history *kh);
void ls_kernel_history_reset(struct ls_kernel_history *kh);

/* Walk vmalloc and slab and add one sample.  Sleeps; sample_lock held. */
void ls_kernel_history_sample(struct ls_kernel_history *kh, s64 t_ms,
			      u32 window);

/*
 * A new report, and its suspects into @sus (room for @max; *@found says
 * how many there are).  NULL when out of memory.
 */
struct ls_kernel_report *ls_kernel_report_build(struct ls_kernel_history *kh,
						struct ls_suspect *sus, u32 max,
						u32 *found);
void ls_kernel_report_put(struct ls_kernel_report *r);

/*
 * The caches whose size grew over the window by at least what a
 * slab-growth suspect needs, or at all if they are in @armed[0..@nr_armed)
 * (so that a leak near the threshold is not armed and disarmed in turn),
 * largest growth first, into @names (room for @max; valid until the next
 * sample); how many.
 */
struct ls_cache_name {
	char name[LS_KR_NAME_LEN];
};

u32 ls_kernel_growing_caches(struct ls_kernel_history *kh,
			     const struct ls_cache_name *armed, u32 nr_armed,
			     const char **names, u32 max);

/*
 * Kernel text address @addr as one field: "func+0x16/0x70[mod]", or
 * "unknown:HASH" outside every symbol, never a raw address.
 */
void ls_symbol_field(char *dst, size_t len, unsigned long addr);

/* "vmalloc,ioremap"-style list of @kinds into @buf. */
void ls_vmalloc_kinds(char *buf, size_t len, u32 kinds);

#endif /* LS_KERNEL_REPORT_H */
