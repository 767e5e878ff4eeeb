/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Module tracking: the name and core text range of every module as modules
 * come and go, kept after they are unloaded, so that a vmalloc caller in
 * freed module text can still be named.
 */
#ifndef LS_MODTRACK_H
#define LS_MODTRACK_H

#include <linux/types.h>

#define LS_MODTRACK_MAX		256	/* records; the oldest go first */

/* Register the module notifier.  Process context, at module init. */
int ls_modtrack_init(void);

/* Unregister it; no notifier call runs once this returns. */
void ls_modtrack_exit(void);

/*
 * Is @addr inside the text of a module that has been unloaded (and whose
 * text has not been reused by a module loaded since)?  Then copy its name
 * into @name (@len bytes, NUL-terminated), set *@off to @addr's offset in
 * that text, and return true.  Any context but hard or soft IRQ.
 */
bool ls_modtrack_orphan(unsigned long addr, char *name, size_t len,
			unsigned long *off);

/*
 * Records held for loaded (@live) and unloaded (@gone) modules, and how
 * many unloaded modules' records were dropped to stay within
 * LS_MODTRACK_MAX (@evicted, the cap hit count).  Any may be NULL.
 */
void ls_modtrack_counts(u32 *live, u32 *gone, unsigned long *evicted);

/*
 * Changes each time a module comes or goes: what was derived from module
 * addresses (a symbol, an orphan's module) holds while it is unchanged.
 */
u64 ls_modtrack_gen(void);

#endif /* LS_MODTRACK_H */
