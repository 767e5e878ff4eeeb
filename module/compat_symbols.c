// SPDX-License-Identifier: GPL-2.0
/*
 * Runtime resolution of private kernel data symbols.
 *
 * kallsyms_lookup_name() is not exported, and on IBT kernels (Debian 6.12)
 * it is sealed, so it must not be called through a pointer.  register_kprobe()
 * resolves a symbol_name internally and stores the address in kp.addr
 * before it refuses a non-text address with -EINVAL; that is the address we
 * keep (KERNEL-NOTES.md D.3 (b), checked at runtime on both Debian kernels).
 * The ordering is not an API, so every result is verified: sprint_symbol()
 * must name exactly the symbol at offset 0, and the registration must have
 * failed (a data symbol can never be probed).  Anything else is refused and
 * the user of that symbol is disabled.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/kallsyms.h>
#include <linux/kprobes.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "compat.h"

static atomic_long_t *ls_nr_vmalloc_pages;
static char ls_disabled[96] = "-";
static char ls_resolved[256];

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

/*
 * Return the verified address of data symbol @name, or NULL with *why set
 * to a short reason.
 */
void *ls_resolve_data_symbol(const char *name, const char **why)
{
	char buf[KSYM_SYMBOL_LEN];
	struct kprobe kp = { .symbol_name = name };
	size_t len = strlen(name);
	int ret;

	ret = register_kprobe(&kp);
	if (!ret) {
		/* It is code: a data symbol of that name does not exist. */
		unregister_kprobe(&kp);
		*why = "not-data";
		return NULL;
	}
	if (!kp.addr) {
		*why = ret == -ENOENT ? "symbol" : "lookup";
		return NULL;
	}
	sprint_symbol(buf, (unsigned long)kp.addr);
	if (strncmp(buf, name, len) || strncmp(buf + len, "+0x0/", 5)) {
		pr_warn("%s resolved to %s, not to itself: not used\n",
			name, buf);
		*why = "verify";
		return NULL;
	}
	ls_compat_note_resolved(name);
	return kp.addr;
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

	ls_nr_vmalloc_pages = ls_resolve_data_symbol("nr_vmalloc_pages", &why);
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
