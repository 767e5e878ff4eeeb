// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite leakscope_symbols: module/compat_symbols.c, the resolver of
 * private data symbols, against the running kernel's own kallsyms.  Each
 * refusal symbol_rules.c describes, met for real: a code symbol, a
 * module's variable, an alias (two linker markers at one address: only the
 * one kallsyms names there is that symbol), addresses outside the image's
 * data (past the bss; a per-CPU offset and freed __initdata, which kprobes
 * itself refuses).
 */
#include <kunit/test.h>
#include <linux/kallsyms.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/sched/task.h>

#include "compat.h"

/*
 * Only this module has a symbol of this name: a lookup finds it here.
 * Global (declared for sparse), so that kallsyms lists it.
 */
extern int ls_kunit_module_only_variable;
int ls_kunit_module_only_variable = 1;

static void *resolve(const char *name, size_t size, const char **why)
{
	*why = NULL;
	return ls_resolve_data_symbol(name, size, why);
}

static int symbols_init(struct kunit *test)
{
	static bool done;

	if (!done)
		ls_compat_init();
	done = true;
	return 0;
}

static void symbols_image_ranges(struct kunit *test)
{
	int *in_module = &ls_kunit_module_only_variable;
	int on_stack = 0;

	KUNIT_EXPECT_STREQ(test, "-", ls_compat_disabled());
	KUNIT_EXPECT_TRUE(test, ls_compat_in_image_data(&init_task,
							sizeof(init_task)));
	KUNIT_EXPECT_TRUE(test, ls_compat_in_image_data(hex_asc, 16));
	KUNIT_EXPECT_FALSE(test, ls_compat_in_image_data(&on_stack,
							 sizeof(on_stack)));
	KUNIT_EXPECT_FALSE(test, ls_compat_in_image_data(in_module,
							 sizeof(*in_module)));
	KUNIT_EXPECT_FALSE(test, ls_compat_in_image_data(symbols_image_ranges,
							 1));
}

static void symbols_data_accepted(struct kunit *test)
{
	const char *why;

	KUNIT_EXPECT_NOT_NULL(test, resolve("slab_caches",
					    sizeof(struct list_head), &why));
	KUNIT_EXPECT_NULL(test, why);
	KUNIT_EXPECT_NOT_NULL(test, resolve("slab_mutex", sizeof(struct mutex),
					    &why));
	KUNIT_EXPECT_NULL(test, why);
}

static void symbols_missing(struct kunit *test)
{
	const char *why;

	KUNIT_EXPECT_NULL(test, resolve("ls_no_such_symbol_anywhere", 8,
					&why));
	KUNIT_EXPECT_STREQ(test, "symbol", why);
}

static void symbols_code_refused(struct kunit *test)
{
	const char *why;

	/* Registers (disabled, never armed): code, not data */
	KUNIT_EXPECT_NULL(test, resolve("schedule", 8, &why));
	KUNIT_EXPECT_STREQ(test, "not-data", why);
	/* kprobe-blacklisted code fails to register: still not data */
	KUNIT_EXPECT_NULL(test, resolve("kprobe_exceptions_notify", 8, &why));
	KUNIT_EXPECT_NOT_NULL(test, why);
}

static void symbols_module_refused(struct kunit *test)
{
	const char *why;

	KUNIT_EXPECT_NULL(test, resolve("ls_kunit_module_only_variable",
					sizeof(int), &why));
	KUNIT_EXPECT_STREQ(test, "module", why);
}

/*
 * __stop_notes and __start_BTF: .notes is followed by .BTF, so both
 * markers have one address, and kallsyms names only one of them there.
 */
static void symbols_alias_refused(struct kunit *test)
{
	const char *why_notes, *why_btf;
	void *notes, *btf;

	notes = ls_resolve_marker("__stop_notes", 0, &why_notes);
	btf = ls_resolve_marker("__start_BTF", 0, &why_btf);
	KUNIT_ASSERT_NOT_NULL_MSG(test, notes, "__stop_notes: %s", why_notes);
	KUNIT_ASSERT_PTR_EQ(test, notes, btf);
	notes = resolve("__stop_notes", 0, &why_notes);
	btf = resolve("__start_BTF", 0, &why_btf);
	/* Exactly one is refused, as an alias */
	KUNIT_EXPECT_TRUE(test, !notes != !btf);
	KUNIT_EXPECT_STREQ(test, "verify", notes ? why_btf : why_notes);
}

static void symbols_outside_refused(struct kunit *test)
{
	const char *why;

	/* Just past the bss: a marker that is no object of the image's */
	KUNIT_EXPECT_NULL(test, ls_resolve_marker("__bss_stop", 1, &why));
	KUNIT_EXPECT_STREQ(test, "range", why);
	/* The object fits, a read past its range's end does not */
	KUNIT_EXPECT_NULL(test, resolve("slab_caches", 1UL << 31, &why));
	KUNIT_EXPECT_STREQ(test, "range", why);
	/*
	 * A per-CPU variable's symbol is an offset, not an address, and
	 * __initdata is freed (unmapped) after boot: kprobes refuses both
	 * before it sets an address, so the reason is its ("symbol",
	 * "lookup"); what matters is that neither is ever read.
	 */
	KUNIT_EXPECT_NULL(test, resolve("runqueues", 8, &why));
	KUNIT_EXPECT_NOT_NULL(test, why);
	KUNIT_EXPECT_NULL(test, resolve("boot_command_line", 8, &why));
	KUNIT_EXPECT_NOT_NULL(test, why);
}

static struct kunit_case symbols_cases[] = {
	KUNIT_CASE(symbols_image_ranges),
	KUNIT_CASE(symbols_data_accepted),
	KUNIT_CASE(symbols_missing),
	KUNIT_CASE(symbols_code_refused),
	KUNIT_CASE(symbols_module_refused),
	KUNIT_CASE(symbols_alias_refused),
	KUNIT_CASE(symbols_outside_refused),
	{}
};

static struct kunit_suite symbols_suite = {
	.name = "leakscope_symbols",
	.init = symbols_init,
	.test_cases = symbols_cases,
};

kunit_test_suite(symbols_suite);
