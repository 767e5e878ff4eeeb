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
 * The verified address of data symbol @name, of which @size bytes will be
 * read, or NULL with *@why set to a short reason (symbol_rules.h: "symbol",
 * "lookup", "not-data", "module", "verify", "range"; or why the kernel
 * image's ranges were not found).  Init only: it registers a kprobe, always
 * disabled (never armed).
 */
void *ls_resolve_data_symbol(const char *name, size_t size, const char **why);

/*
 * The same for a linker-script marker (__start_BTF), which shares its
 * address with the first object after it: any symbol may be named there.
 * The caller must check what it finds there by its content.
 */
void *ls_resolve_marker(const char *name, size_t size, const char **why);

/*
 * Does [@addr, @addr + @size) lie in the kernel image's data, read-only
 * data or bss?  False when those ranges could not be verified at init.
 */
bool ls_compat_in_image_data(const void *addr, size_t size);

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
