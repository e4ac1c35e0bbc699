// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - module init and exit.
 *
 * Exit is init read backwards: the control plane goes first (no new sets,
 * no handler in flight), then every set of every netns is stopped, then the
 * libraries' module-wide state, then deferred closes and RCU callbacks are
 * drained. Finally the module's own allocation counter must read zero.
 */
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/rcupdate.h>
#include <net/genetlink.h>

#include "lunatik_internal.h"

static char *script_root = "/lib/modules/lua";
module_param(script_root, charp, 0444);
MODULE_PARM_DESC(script_root,
		 "directory of Lua scripts and modules (default /lib/modules/lua)");

/**
 * lunatik_script_root - the script root (read-only after load)
 */
const char *lunatik_script_root(void)
{
	return script_root;
}

static int __init lunatik_init(void)
{
	int ret;

	lunatik_lua_hashinit();
	ret = lunatik_object_init();
	if (ret)
		return ret;
	ret = lunatik_libs_init();
	if (ret)
		goto out_object;
	ret = lunatik_set_net_init();
	if (ret)
		goto out_libs;
	ret = lunatik_genl_init();
	if (ret)
		goto out_net;
	return 0;

out_net:
	lunatik_set_net_exit();
out_libs:
	lunatik_object_flush(LUNATIK_FLUSH_ALL);
	lunatik_libs_exit();
out_object:
	lunatik_object_exit();
	rcu_barrier();
	return ret;
}

static void __exit lunatik_exit(void)
{
	u64 allocs, bytes;

	lunatik_genl_exit();
	lunatik_set_net_exit();
	/* every state closes before the libraries' module-wide state goes */
	lunatik_object_flush(LUNATIK_FLUSH_ALL);
	lunatik_libs_exit();
	lunatik_object_flush(LUNATIK_FLUSH_ALL);
	lunatik_object_exit();
	rcu_barrier();

	lunatik_stats_get(&allocs, &bytes);
	if (allocs || bytes)
		pr_err("lunatik: %lld allocations (%lld bytes) leaked\n",
		       (s64)allocs, (s64)bytes);
}

module_init(lunatik_init);
module_exit(lunatik_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Lua 5.4 runtimes in the kernel, per CPU, over generic netlink");
MODULE_ALIAS_GENL_FAMILY(LUNATIK_GENL_NAME);
