// SPDX-License-Identifier: GPL-2.0
/*
 * Emits one WARN on load, then loads normally. Used only by
 * tests/vm/selftest/ to check that the harness turns a kernel splat into a
 * failed run.
 */
#include <linux/module.h>
#include <linux/bug.h>

static int __init selftest_warn_init(void)
{
	WARN(1, "lunatik selftest: provoked warning\n");
	return 0;
}

static void __exit selftest_warn_exit(void)
{
}

module_init(selftest_warn_init);
module_exit(selftest_warn_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lunatik-pipeline VM harness self-test (provokes a WARN)");
