// SPDX-License-Identifier: GPL-2.0
/*
 * genl_hook.c - the LUNATIK_SET_A_HOOK nests of LIST: one per kernel hook
 * of a set, with its counters summed over CPUs.
 */
#include <net/genetlink.h>

#include "lunatik_internal.h"
#include "hook.h"

#define LUNATIK_HOOK_NCOUNTERS	8

/* Upper bound of the HOOK nests of one set. */
size_t lunatik_genl_hooks_size(void)
{
	size_t verdict = nla_total_size(0) + nla_total_size(32) +
			 nla_total_size_64bit(sizeof(u64));
	size_t one = nla_total_size(0) + nla_total_size(32) +
		     nla_total_size(LUNATIK_HOOK_DESC_MAX) +
		     LUNATIK_HOOK_NCOUNTERS * nla_total_size_64bit(sizeof(u64)) +
		     LUNATIK_HOOK_VERDICTS_MAX * verdict;

	return LUNATIK_HOOK_MAX * one;
}

static int lunatik_genl_fill_verdicts(struct sk_buff *msg,
				      const struct lunatik_hook *hook,
				      const struct lunatik_hook_stats *sum)
{
	unsigned int i;

	for (i = 0; i < hook->type->nverdicts; i++) {
		struct nlattr *nest = nla_nest_start(msg, LUNATIK_HOOK_A_VERDICT);

		if (!nest)
			return -EMSGSIZE;
		if (nla_put_string(msg, LUNATIK_VERDICT_A_NAME,
				   hook->type->verdicts[i]) ||
		    nla_put_u64_64bit(msg, LUNATIK_VERDICT_A_COUNT,
				      sum->verdicts[i], LUNATIK_VERDICT_A_PAD)) {
			nla_nest_cancel(msg, nest);
			return -EMSGSIZE;
		}
		nla_nest_end(msg, nest);
	}
	return 0;
}

static int lunatik_genl_fill_hook(struct sk_buff *msg,
				  const struct lunatik_hook *hook)
{
	struct lunatik_hook_stats sum;
	char desc[LUNATIK_HOOK_DESC_MAX] = "";
	struct nlattr *nest;

	lunatik_hook_counters(hook, &sum);
	if (hook->type->describe)
		hook->type->describe(hook, desc, sizeof(desc));
	nest = nla_nest_start(msg, LUNATIK_SET_A_HOOK);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_string(msg, LUNATIK_HOOK_A_TYPE, hook->type->name) ||
	    nla_put_string(msg, LUNATIK_HOOK_A_DESC, desc) ||
	    nla_put_u64_64bit(msg, LUNATIK_HOOK_A_PACKETS, sum.packets,
			      LUNATIK_HOOK_A_PAD) ||
	    nla_put_u64_64bit(msg, LUNATIK_HOOK_A_ERRORS, sum.errors,
			      LUNATIK_HOOK_A_PAD) ||
	    nla_put_u64_64bit(msg, LUNATIK_HOOK_A_BUDGET_HITS, sum.budget_hits,
			      LUNATIK_HOOK_A_PAD) ||
	    nla_put_u64_64bit(msg, LUNATIK_HOOK_A_MEMORY, sum.memory,
			      LUNATIK_HOOK_A_PAD) ||
	    nla_put_u64_64bit(msg, LUNATIK_HOOK_A_BUSY, sum.busy,
			      LUNATIK_HOOK_A_PAD) ||
	    nla_put_u64_64bit(msg, LUNATIK_HOOK_A_BAD_VERDICT, sum.bad_verdict,
			      LUNATIK_HOOK_A_PAD) ||
	    nla_put_u64_64bit(msg, LUNATIK_HOOK_A_STOPPED, sum.stopped,
			      LUNATIK_HOOK_A_PAD) ||
	    nla_put_u64_64bit(msg, LUNATIK_HOOK_A_FALLBACK, sum.fallback,
			      LUNATIK_HOOK_A_PAD) ||
	    lunatik_genl_fill_verdicts(msg, hook, &sum)) {
		nla_nest_cancel(msg, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return 0;
}

/**
 * lunatik_genl_fill_hooks - put @set's hook policy and one HOOK nest per
 * kernel hook (inside the SET nest; caller holds rcu_read_lock)
 */
int lunatik_genl_fill_hooks(struct sk_buff *msg, struct lunatik_set *set)
{
	const struct lunatik_hook *hook;

	if (nla_put_u32(msg, LUNATIK_SET_A_HOOK_BUDGET, set->hook_budget) ||
	    nla_put_u8(msg, LUNATIK_SET_A_POLICY, set->policy))
		return -EMSGSIZE;
	list_for_each_entry_rcu(hook, &set->hooks, node)
		if (lunatik_genl_fill_hook(msg, hook))
			return -EMSGSIZE;
	return 0;
}
