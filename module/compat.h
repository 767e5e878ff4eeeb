/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The compat layer: every kernel-version difference lives behind this
 * header.  Today it resolves the private *data* symbols leakscope reads
 * (never calls: on IBT kernels an indirect call to an unexported function
 * is a BUG(), see KERNEL-NOTES.md 1.3).
 */
#ifndef LS_COMPAT_H
#define LS_COMPAT_H

#include <linux/types.h>

/* Resolve all symbols; never fails, a missing one disables its user. */
void ls_compat_init(void);

/*
 * The verified address of data symbol @name, or NULL with *@why set to a
 * short reason ("symbol", "not-data", "verify", "lookup").  Init only: it
 * registers (and never arms) a kprobe.
 */
void *ls_resolve_data_symbol(const char *name, const char **why);

/*
 * Record that @what is disabled because of @why: it shows in every file's
 * header as disabled=what:why.  Init only, before the files exist.
 */
void ls_compat_disable(const char *what, const char *why);

/* Space-separated names of the data symbols resolved so far, or "-". */
const char *ls_compat_resolved(void);

/*
 * Pages of VM_ALLOC areas, the number /proc/meminfo shows as VmallocUsed.
 * False when the counter could not be resolved and verified at load.
 */
bool ls_compat_vmalloc_used_pages(unsigned long *pages);

/*
 * Comma-separated "source:reason" list of what is disabled, or "-".
 * Stable after ls_compat_init().
 */
const char *ls_compat_disabled(void);

#endif /* LS_COMPAT_H */
