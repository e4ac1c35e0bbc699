// SPDX-License-Identifier: GPL-2.0
/*
 * genl.c - the generic-netlink family: ops table and shared reply helpers.
 * Policies and handlers live per command group in genl_set.c/genl_exec.c.
 *
 * Privilege: every op is GENL_ADMIN_PERM, i.e. CAP_NET_ADMIN in the initial
 * user namespace, not GENL_UNS_ADMIN_PERM (CAP_NET_ADMIN over the netns'
 * user namespace). Creating a set runs arbitrary Lua in the kernel, which
 * must never be granted to an unprivileged user who merely owns a user
 * namespace. The family is still netnsok: sets live per network namespace,
 * so a privileged admin can run separate sets in each netns.
 *
 * parallel_ops: loading a script may take long (file reads, the script
 * body, one load per CPU); without it the handlers would hold the global
 * genl mutex and stall every other generic-netlink family meanwhile. Our
 * own locks (per netns, per set, per instance) serialize what must be.
 */
#include <net/genetlink.h>

#include "lunatik_internal.h"

static const struct genl_ops lunatik_genl_ops[] = {
	{
		.cmd = LUNATIK_CMD_CREATE,
		.doit = lunatik_genl_create,
		.policy = lunatik_create_policy,
		.maxattr = LUNATIK_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = LUNATIK_CMD_STOP,
		.doit = lunatik_genl_stop,
		.policy = lunatik_stop_policy,
		.maxattr = LUNATIK_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = LUNATIK_CMD_RELOAD,
		.doit = lunatik_genl_reload,
		.policy = lunatik_reload_policy,
		.maxattr = LUNATIK_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = LUNATIK_CMD_LIST,
		.doit = lunatik_genl_list,
		.start = lunatik_genl_list_start,
		.dumpit = lunatik_genl_list_dump,
		.policy = lunatik_list_policy,
		.maxattr = LUNATIK_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = LUNATIK_CMD_EXEC,
		.doit = lunatik_genl_exec,
		.policy = lunatik_exec_policy,
		.maxattr = LUNATIK_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		/* no attributes: with no policy the core rejects any */
		.cmd = LUNATIK_CMD_STATS,
		.doit = lunatik_genl_stats,
		.flags = GENL_ADMIN_PERM,
	},
};

struct genl_family lunatik_genl_family __ro_after_init = {
	.name = LUNATIK_GENL_NAME,
	.version = LUNATIK_GENL_VERSION,
	.netnsok = true,
	.parallel_ops = true,
	.module = THIS_MODULE,
	.ops = lunatik_genl_ops,
	.n_ops = ARRAY_SIZE(lunatik_genl_ops),
	/*
	 * .resv_start_op stays 0: every op gets strict header and attribute
	 * validation (ops below it would be parsed leniently, for old families)
	 */
};

/**
 * lunatik_genl_reply_err - reply with a Lua error (LUNATIK_A_ERROR + ERRNO)
 *
 * Script errors are results of the request, not netlink failures: the reply
 * carries the message the user must see ("script.lua:3: ...").
 */
int lunatik_genl_reply_err(struct genl_info *info, const struct lunatik_err *err)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(nla_total_size(strlen(err->msg) + 1) +
			  nla_total_size(sizeof(u32)), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &lunatik_genl_family, 0,
				info->genlhdr->cmd);
	if (!hdr)
		goto out_free;
	if (nla_put_string(msg, LUNATIK_A_ERROR, err->msg) ||
	    nla_put_u32(msg, LUNATIK_A_ERRNO, err->errno_))
		goto out_free;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
out_free:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

int lunatik_genl_init(void)
{
	return genl_register_family(&lunatik_genl_family);
}

/* Waits for running handlers: none is in flight once this returns. */
void lunatik_genl_exit(void)
{
	genl_unregister_family(&lunatik_genl_family);
}
