// SPDX-License-Identifier: GPL-2.0
/*
 * Runtime resolution of private kernel data symbols.
 *
 * kallsyms_lookup_name() is not exported, and on IBT kernels (Debian 6.12)
 * it is sealed, so it must not be called through a pointer.  register_kprobe()
 * resolves a symbol_name internally and stores the address in kp.addr
 * before it refuses a non-text address with -EINVAL; that is the address we
 * keep (KERNEL-NOTES.md D.3 (b), checked at runtime on both Debian kernels).
 * The probe is registered disabled, so that when the name is code and the
 * registration succeeds nothing is ever armed in live text.
 *
 * The ordering is not an API and a name is not proof: symbol_rules.c says
 * what an address must pass before it is read (refused with -EINVAL, the
 * start of the symbol asked for, in no module, inside the kernel image's
 * data, read-only data or bss).  Those three ranges come from the linker's
 * markers, found the same way and checked against exported objects the
 * module links against (init_task, hex_asc, empty_zero_page), since a marker
 * shares its address with the first object after it and cannot be checked
 * by its name.  Anything refused disables the user of that symbol.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/kallsyms.h>
#include <linux/kernel.h>
#include <linux/kprobes.h>
#include <linux/pgtable.h>
#include <linux/sched/task.h>
#include <linux/string.h>

#include "compat.h"
#include "symbol_rules.h"

static atomic_long_t *ls_nr_vmalloc_pages;
static char ls_disabled[96] = "-";
static char ls_resolved[256];
static struct ls_image_ranges ls_ranges;
static const char *ls_ranges_why = "range";	/* until they are found */

/*
 * The names of every data symbol resolved, for one line in dmesg: a test
 * checks each against /proc/kallsyms to prove none of them is code.
 */
static void ls_compat_note_resolved(const char *name)
{
	size_t used = strlen(ls_resolved);

	snprintf(ls_resolved + used, sizeof(ls_resolved) - used, "%s%s",
		 used ? " " : "", name);
}

const char *ls_compat_resolved(void)
{
	return ls_resolved[0] ? ls_resolved : "-";
}

/* Look @name up and judge it; the address, or NULL with *why set. */
static void *ls_resolve(const char *name, size_t size, bool marker,
			const struct ls_image_ranges *ranges, const char **why)
{
	char buf[KSYM_SYMBOL_LEN];
	struct kprobe kp = {
		.symbol_name = name,
		.flags = KPROBE_FLAG_DISABLED,
	};
	struct ls_symbol_facts f = { .name = name, .size = size };

	f.ret = register_kprobe(&kp);
	if (!f.ret)
		unregister_kprobe(&kp);
	f.addr = (unsigned long)kp.addr;
	if (f.addr) {
		sprint_symbol(buf, f.addr);
		f.where = buf;
	}
	*why = ls_symbol_verdict(&f, marker, ranges);
	if (!*why)
		return kp.addr;
	if (f.addr && strcmp(*why, "symbol"))
		pr_warn("%s resolved to %s, refused (%s): not used\n",
			name, f.where, *why);
	return NULL;
}

/* A data symbol, or a marker (@marker), inside the verified ranges */
static void *ls_resolve_in_image(const char *name, size_t size, bool marker,
				 const char **why)
{
	void *addr;

	if (ls_ranges_why) {
		*why = ls_ranges_why;
		return NULL;
	}
	addr = ls_resolve(name, size, marker, &ls_ranges, why);
	if (addr)
		ls_compat_note_resolved(name);
	return addr;
}

void *ls_resolve_data_symbol(const char *name, size_t size, const char **why)
{
	return ls_resolve_in_image(name, size, false, why);
}

void *ls_resolve_marker(const char *name, size_t size, const char **why)
{
	return ls_resolve_in_image(name, size, true, why);
}

/*
 * The kernel image's data, rodata and bss ranges, from the linker's
 * markers, each anchored by an exported object known to live there.
 */
static const char *ls_compat_find_ranges(void)
{
	static const char * const markers[LS_RANGE_NR][2] = {
		[LS_RANGE_DATA] = { "_sdata", "_edata" },
		[LS_RANGE_RODATA] = { "__start_rodata", "__end_rodata" },
		[LS_RANGE_BSS] = { "__bss_start", "__bss_stop" },
	};
	const unsigned long anchor[LS_RANGE_NR] = {
		[LS_RANGE_DATA] = (unsigned long)&init_task,
		[LS_RANGE_RODATA] = (unsigned long)hex_asc,
		[LS_RANGE_BSS] = (unsigned long)empty_zero_page,
	};
	struct ls_image_ranges r;
	const char *why;
	int i;

	for (i = 0; i < LS_RANGE_NR; i++) {
		r.start[i] = (unsigned long)ls_resolve(markers[i][0], 0, true,
						       NULL, &why);
		if (!r.start[i])
			return why;
		r.end[i] = (unsigned long)ls_resolve(markers[i][1], 0, true,
						     NULL, &why);
		if (!r.end[i])
			return why;
	}
	why = ls_image_ranges_check(&r, anchor);
	if (why) {
		pr_warn("kernel image ranges implausible: no private symbol is used\n");
		return why;
	}
	ls_ranges = r;
	return NULL;
}

bool ls_compat_in_image_data(const void *addr, size_t size)
{
	return !ls_ranges_why &&
	       ls_image_ranges_hold(&ls_ranges, (unsigned long)addr, size);
}

void ls_compat_disable(const char *what, const char *why)
{
	size_t used = strcmp(ls_disabled, "-") ? strlen(ls_disabled) : 0;

	/* Called at init only, before any reader can see the string. */
	snprintf(ls_disabled + used, sizeof(ls_disabled) - used, "%s%s:%s",
		 used ? "," : "", what, why);
}

void ls_compat_init(void)
{
	const char *why = NULL;

	ls_ranges_why = ls_compat_find_ranges();
	if (ls_ranges_why) {
		pr_warn("kernel image ranges not found (%s): walkers that read private data are disabled\n",
			ls_ranges_why);
		ls_compat_disable("symbols", ls_ranges_why);
	}
	ls_nr_vmalloc_pages = ls_resolve_data_symbol("nr_vmalloc_pages",
						     sizeof(atomic_long_t),
						     &why);
	if (!ls_nr_vmalloc_pages) {
		pr_warn("VmallocUsed disabled: nr_vmalloc_pages not resolved (%s)\n",
			why);
		ls_compat_disable("vmalloc_used", why);
	}
}

bool ls_compat_vmalloc_used_pages(unsigned long *pages)
{
	if (!ls_nr_vmalloc_pages)
		return false;
	*pages = atomic_long_read(ls_nr_vmalloc_pages);
	return true;
}

const char *ls_compat_disabled(void)
{
	return ls_disabled;
}
