// SPDX-License-Identifier: GPL-2.0
/*
 * leakscope_kunit.ko: KUnit suites of leakscope's pure logic, built from
 * the same sources as leakscope.ko (module/trend.c, suspects.c, control.c,
 * meminfo_rules.c, procs_rules.c, kernel_rules.c), of its histories and
 * kernel report (keyed_history.c, procs_history.c, kernel_report.c, over
 * the stand-in walkers of walker_fakes.c), of the call site a suspect
 * names (callsite_report.c), and of its symbol resolver and BTF parser.
 * Each suite file registers itself; this file only names the
 * module.
 */
#include <linux/module.h>

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests of leakscope's pure logic, histories and reports");
