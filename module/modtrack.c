// SPDX-License-Identifier: GPL-2.0
/*
 * Module tracking for orphaned vmalloc callers.
 *
 * vmalloc() records its caller's return address in the area.  When the
 * module that made the call is unloaded without freeing, the address points
 * into freed module text: %pS prints it bare, and nothing in the kernel
 * remembers whose it was.  So leakscope keeps its own record of each
 * module's name and core text range, taken from the module notifier:
 *  - at MODULE_STATE_COMING (text final, init not run yet), and
 *  - again at MODULE_STATE_GOING (text still mapped), so that a module
 *    loaded before leakscope is known by the time it goes.
 * Records of unloaded modules are kept, in a bounded table.
 *
 * Module text is allocated afresh at each load and may reuse the range of
 * a module unloaded earlier.  Every module that can reuse a range is loaded
 * after that record was made, so leakscope sees its COMING, and drops the
 * unloaded records its text overlaps: an address there now belongs to the
 * new module.  That makes "in an unloaded module's recorded text" exact,
 * without asking the kernel which modules are live (__module_address() is
 * not exported).  The one thing it cannot tell: an area leaked by the old
 * module whose caller lies in text a new module now occupies is charged to
 * the new one, as %pS would charge it.
 *
 * Only core text is tracked: init text is freed once init has run, while
 * the module stays loaded, and is then reused by anything; a caller there
 * is not attributable.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/notifier.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "modtrack.h"

struct ls_mod_rec {
	char name[MODULE_NAME_LEN];
	unsigned long base;		/* core text */
	unsigned long size;
	u64 seq;			/* order of recording, for eviction */
	bool used;
	bool gone;			/* unloaded (or failed to load) */
};

/*
 * A spinlock, not a mutex: the notifier is in process context, but the
 * lookup may be called with a spinlock or RCU held.  Every hold is a scan
 * of LS_MODTRACK_MAX entries at most.
 */
static DEFINE_SPINLOCK(ls_mod_lock);
static struct ls_mod_rec ls_mods[LS_MODTRACK_MAX];
static u64 ls_mod_seq;
static unsigned long ls_mod_evicted;

/*
 * The module's core text.  The field moved when module memory was split
 * by type (6.4, struct module_memory); the Kbuild header probe says which
 * this kernel has.
 */
static void ls_mod_text(const struct module *mod, unsigned long *base,
			unsigned long *size)
{
#ifdef LS_HAVE_MODULE_MEMORY
	*base = (unsigned long)mod->mem[MOD_TEXT].base;
	*size = mod->mem[MOD_TEXT].size;
#else
	*base = (unsigned long)mod->core_layout.base;
	*size = mod->core_layout.text_size;
#endif
}

static bool ls_mod_overlaps(const struct ls_mod_rec *r, unsigned long base,
			    unsigned long size)
{
	return r->base < base + size && base < r->base + r->size;
}

/*
 * A slot for a new record: a free one, else the oldest record of a loaded
 * module (its GOING records it again), else the oldest of an unloaded one,
 * which is lost (counted in *@lost).  Caller holds ls_mod_lock.
 */
static struct ls_mod_rec *ls_mod_slot(bool *lost)
{
	struct ls_mod_rec *r, *live = NULL, *gone = NULL;

	for (r = ls_mods; r < ls_mods + LS_MODTRACK_MAX; r++) {
		if (!r->used)
			return r;
		if (r->gone) {
			if (!gone || r->seq < gone->seq)
				gone = r;
		} else if (!live || r->seq < live->seq) {
			live = r;
		}
	}
	if (live)
		return live;
	ls_mod_evicted++;
	*lost = true;
	return gone;
}

static void ls_mod_record(const struct module *mod, bool going)
{
	unsigned long base, size;
	struct ls_mod_rec *r, *found = NULL;
	bool lost = false;

	ls_mod_text(mod, &base, &size);
	if (!base || !size || base + size < base)
		return;

	spin_lock(&ls_mod_lock);
	for (r = ls_mods; r < ls_mods + LS_MODTRACK_MAX; r++) {
		if (!r->used)
			continue;
		if (!going && r->gone && ls_mod_overlaps(r, base, size)) {
			/* Its text is this module's now. */
			r->used = false;
			continue;
		}
		if (!r->gone && r->base == base && !strcmp(r->name, mod->name))
			found = r;
	}
	if (!found)
		found = ls_mod_slot(&lost);
	strscpy(found->name, mod->name, sizeof(found->name));
	found->base = base;
	found->size = size;
	found->seq = ++ls_mod_seq;
	found->gone = going;
	found->used = true;
	spin_unlock(&ls_mod_lock);

	if (lost)
		pr_info_once("module table full (%d): forgetting the oldest unloaded modules\n",
			     LS_MODTRACK_MAX);
}

static int ls_mod_notify(struct notifier_block *nb, unsigned long action,
			 void *data)
{
	if (action == MODULE_STATE_COMING)
		ls_mod_record(data, false);
	else if (action == MODULE_STATE_GOING)
		ls_mod_record(data, true);
	return NOTIFY_DONE;
}

static struct notifier_block ls_mod_nb = {
	.notifier_call = ls_mod_notify,
};

int ls_modtrack_init(void)
{
	return register_module_notifier(&ls_mod_nb);
}

void ls_modtrack_exit(void)
{
	/* Takes the chain's rwsem for writing: no call is in flight after. */
	unregister_module_notifier(&ls_mod_nb);
}

bool ls_modtrack_orphan(unsigned long addr, char *name, size_t len,
			unsigned long *off)
{
	struct ls_mod_rec *r;
	bool hit = false;

	spin_lock(&ls_mod_lock);
	/* Unloaded records never overlap: COMING drops the ones it reuses. */
	for (r = ls_mods; r < ls_mods + LS_MODTRACK_MAX; r++) {
		if (r->used && r->gone && addr - r->base < r->size) {
			strscpy(name, r->name, len);
			*off = addr - r->base;
			hit = true;
			break;
		}
	}
	spin_unlock(&ls_mod_lock);
	return hit;
}

void ls_modtrack_counts(u32 *live, u32 *gone, unsigned long *evicted)
{
	struct ls_mod_rec *r;
	u32 nl = 0, ng = 0;

	spin_lock(&ls_mod_lock);
	for (r = ls_mods; r < ls_mods + LS_MODTRACK_MAX; r++) {
		if (r->used && r->gone)
			ng++;
		else if (r->used)
			nl++;
	}
	if (evicted)
		*evicted = ls_mod_evicted;
	spin_unlock(&ls_mod_lock);
	if (live)
		*live = nl;
	if (gone)
		*gone = ng;
}

u64 ls_modtrack_gen(void)
{
	u64 gen;

	spin_lock(&ls_mod_lock);
	gen = ls_mod_seq;
	spin_unlock(&ls_mod_lock);
	return gen;
}
