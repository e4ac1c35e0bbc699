// SPDX-License-Identifier: GPL-2.0
/*
 * genl_set.c - CREATE, STOP, RELOAD and LIST: policies, handlers and the
 * LUNATIK_A_SET nest.
 */
#include <linux/cpumask.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "lunatik_internal.h"

/*
 * Lua needs ~30 KiB to open its libraries; 1 GiB keeps sizes sane.
 * Not const: 6.1's nla_policy.range is a plain pointer.
 */
static struct netlink_range_validation lunatik_mem_range __ro_after_init = {
	.min = 64ULL << 10,
	.max = 1ULL << 30,
};

static struct netlink_range_validation lunatik_budget_range __ro_after_init = {
	.min = 1000,
	.max = U32_MAX,
};

#define LUNATIK_POLICY_NAME \
	[LUNATIK_A_NAME] = { .type = NLA_STRING, .len = LUNATIK_NAME_MAX - 1 }
#define LUNATIK_POLICY_SCRIPT \
	[LUNATIK_A_SCRIPT] = { .type = NLA_STRING, .len = LUNATIK_PATH_MAX - 1 }
#define LUNATIK_POLICY_CHUNKNAME \
	[LUNATIK_A_CHUNKNAME] = { .type = NLA_STRING, .len = LUNATIK_PATH_MAX - 1 }

const struct nla_policy lunatik_create_policy[LUNATIK_A_MAX + 1] = {
	LUNATIK_POLICY_NAME,
	LUNATIK_POLICY_SCRIPT,
	LUNATIK_POLICY_CHUNKNAME,
	[LUNATIK_A_CONTEXT] = NLA_POLICY_MAX(NLA_U8, __LUNATIK_CONTEXT_CNT - 1),
	[LUNATIK_A_MEM_LIMIT] = NLA_POLICY_FULL_RANGE(NLA_U64, &lunatik_mem_range),
	[LUNATIK_A_BUDGET] = NLA_POLICY_FULL_RANGE(NLA_U32, &lunatik_budget_range),
	[LUNATIK_A_HOOK_BUDGET] = NLA_POLICY_FULL_RANGE(NLA_U32,
							&lunatik_budget_range),
	[LUNATIK_A_POLICY] = NLA_POLICY_MAX(NLA_U8, __LUNATIK_POLICY_CNT - 1),
	[LUNATIK_A_SHARED] = NLA_POLICY_MAX(NLA_U8, 1),
};

const struct nla_policy lunatik_stop_policy[LUNATIK_A_MAX + 1] = {
	LUNATIK_POLICY_NAME,
};

const struct nla_policy lunatik_reload_policy[LUNATIK_A_MAX + 1] = {
	LUNATIK_POLICY_NAME,
	LUNATIK_POLICY_SCRIPT,
	LUNATIK_POLICY_CHUNKNAME,
};

const struct nla_policy lunatik_list_policy[LUNATIK_A_MAX + 1] = {
	LUNATIK_POLICY_NAME,
};

/* ------------------------------------------------------------ SET nest */

static size_t lunatik_genl_inst_size(void)
{
	return nla_total_size(0) +			/* INSTANCE nest */
	       nla_total_size(sizeof(u32)) +		/* CPU */
	       4 * nla_total_size_64bit(sizeof(u64));	/* counters */
}

/* Upper bound of a SET nest with @n instances. */
static size_t lunatik_genl_set_size_n(unsigned int n)
{
	return nla_total_size(0) +
	       nla_total_size(LUNATIK_NAME_MAX) +
	       nla_total_size(LUNATIK_PATH_MAX) +
	       nla_total_size(sizeof(u8)) +
	       nla_total_size_64bit(sizeof(u64)) +
	       4 * nla_total_size(sizeof(u32)) + nla_total_size(sizeof(u8)) +
	       n * lunatik_genl_inst_size() + lunatik_genl_hooks_size();
}

/**
 * lunatik_genl_set_size - upper bound of a SET nest for @set
 */
size_t lunatik_genl_set_size(const struct lunatik_set *set)
{
	return lunatik_genl_set_size_n(set->context == LUNATIK_CONTEXT_SOFTIRQ ?
				       nr_cpu_ids : 1);
}

static int lunatik_genl_fill_inst(struct sk_buff *msg,
				  const struct lunatik_runtime *rt)
{
	struct nlattr *nest;

	nest = nla_nest_start(msg, LUNATIK_SET_A_INSTANCE);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(msg, LUNATIK_INST_A_CPU,
			rt->cpu < 0 ? U32_MAX : (u32)rt->cpu) ||
	    nla_put_u64_64bit(msg, LUNATIK_INST_A_CALLS, READ_ONCE(rt->calls),
			      LUNATIK_INST_A_PAD) ||
	    nla_put_u64_64bit(msg, LUNATIK_INST_A_ERRORS, READ_ONCE(rt->errors),
			      LUNATIK_INST_A_PAD) ||
	    nla_put_u64_64bit(msg, LUNATIK_INST_A_BUDGET_HITS,
			      READ_ONCE(rt->budget_hits), LUNATIK_INST_A_PAD) ||
	    nla_put_u64_64bit(msg, LUNATIK_INST_A_MEM_USED,
			      lunatik_quota_used(rt->quota), LUNATIK_INST_A_PAD)) {
		nla_nest_cancel(msg, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return 0;
}

/**
 * lunatik_genl_fill_set - put a LUNATIK_A_SET nest describing @set
 *
 * Counters are read without the instance locks: they are statistics, and
 * taking a softirq instance's lock here would stall its CPU's packets.
 */
int lunatik_genl_fill_set(struct sk_buff *msg, struct lunatik_set *set)
{
	const struct lunatik_gen *gen;
	struct nlattr *nest;
	unsigned int i, n = 0;
	int ret = -EMSGSIZE;

	nest = nla_nest_start(msg, LUNATIK_A_SET);
	if (!nest)
		return -EMSGSIZE;

	rcu_read_lock();
	gen = rcu_dereference(set->gen);
	if (gen)
		for (i = 0; i < gen->n; i++)
			n += !!gen->inst[i];
	if (nla_put_string(msg, LUNATIK_SET_A_NAME, set->name) ||
	    nla_put_string(msg, LUNATIK_SET_A_SCRIPT,
			   rcu_dereference(set->script)) ||
	    nla_put_u8(msg, LUNATIK_SET_A_CONTEXT, set->context) ||
	    nla_put_u64_64bit(msg, LUNATIK_SET_A_MEM_LIMIT, set->mem_limit,
			      LUNATIK_SET_A_PAD) ||
	    nla_put_u32(msg, LUNATIK_SET_A_BUDGET, set->budget) ||
	    nla_put_u32(msg, LUNATIK_SET_A_GENERATION, gen ? gen->id : 0) ||
	    nla_put_u32(msg, LUNATIK_SET_A_NINSTANCES, n))
		goto out_cancel;
	for (i = 0; gen && i < gen->n; i++)
		if (gen->inst[i] && lunatik_genl_fill_inst(msg, gen->inst[i]))
			goto out_cancel;
	if (lunatik_genl_fill_hooks(msg, set))
		goto out_cancel;
	rcu_read_unlock();
	nla_nest_end(msg, nest);
	return 0;

out_cancel:
	rcu_read_unlock();
	nla_nest_cancel(msg, nest);
	return ret;
}

static int lunatik_genl_reply_set(struct genl_info *info, struct lunatik_set *set)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(lunatik_genl_set_size(set), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &lunatik_genl_family, 0,
				info->genlhdr->cmd);
	if (!hdr || lunatik_genl_fill_set(msg, set)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/* ------------------------------------------------------------- helpers */

static const char *lunatik_genl_name(struct genl_info *info)
{
	const char *name;

	if (GENL_REQ_ATTR_CHECK(info, LUNATIK_A_NAME))
		return NULL;
	name = nla_data(info->attrs[LUNATIK_A_NAME]);
	/* the policy bounds the length; NLA_STRING may lack the NUL */
	if (nla_len(info->attrs[LUNATIK_A_NAME]) == 0 || name[0] == '\0' ||
	    strnlen(name, nla_len(info->attrs[LUNATIK_A_NAME])) ==
	    nla_len(info->attrs[LUNATIK_A_NAME])) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[LUNATIK_A_NAME],
				    "set name must be a non-empty NUL-terminated string");
		return NULL;
	}
	return name;
}

/* A NUL-terminated string attribute, or NULL with extack set. */
static const char *lunatik_genl_str(struct genl_info *info, int type)
{
	struct nlattr *attr = info->attrs[type];
	const char *s = nla_data(attr);

	if (nla_len(attr) > 0 && strnlen(s, nla_len(attr)) < nla_len(attr))
		return s;
	if (type == LUNATIK_A_SCRIPT)
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "script path must be a NUL-terminated string");
	else
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "chunk name must be a NUL-terminated string");
	return NULL;
}

/* The optional chunk name in *@chunkname (NULL when absent); -EINVAL if bad. */
static int lunatik_genl_chunkname(struct genl_info *info,
				  const char **chunkname)
{
	*chunkname = NULL;
	if (!info->attrs[LUNATIK_A_CHUNKNAME])
		return 0;
	*chunkname = lunatik_genl_str(info, LUNATIK_A_CHUNKNAME);
	return *chunkname ? 0 : -EINVAL;
}

static const char *lunatik_genl_script(struct genl_info *info)
{
	const char *script = lunatik_genl_str(info, LUNATIK_A_SCRIPT);

	if (script && script[0] != '/') {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[LUNATIK_A_SCRIPT],
				    "script path must be absolute");
		return NULL;
	}
	return script;
}

static struct lunatik_err *lunatik_genl_err_new(void)
{
	/* too big for the stack that the Lua calls below also need */
	return lunatik_zalloc(sizeof(struct lunatik_err), GFP_KERNEL);
}

/* ------------------------------------------------------------ handlers */

int lunatik_genl_create(struct sk_buff *skb, struct genl_info *info)
{
	enum lunatik_context context = LUNATIK_CONTEXT_PROCESS;
	u64 mem_limit = LUNATIK_DEFAULT_MEM_LIMIT;
	u32 budget = LUNATIK_DEFAULT_BUDGET;
	u32 hook_budget = LUNATIK_DEFAULT_HOOK_BUDGET;
	u8 policy = LUNATIK_POLICY_PASS;
	bool shared = false;
	const char *name, *script, *chunkname = NULL;
	struct lunatik_set *set;
	struct lunatik_err *err;
	int ret;

	name = lunatik_genl_name(info);
	if (!name)
		return -EINVAL;
	if (GENL_REQ_ATTR_CHECK(info, LUNATIK_A_SCRIPT))
		return -EINVAL;
	script = lunatik_genl_script(info);
	if (!script)
		return -EINVAL;
	if (lunatik_genl_chunkname(info, &chunkname))
		return -EINVAL;
	if (info->attrs[LUNATIK_A_CONTEXT])
		context = nla_get_u8(info->attrs[LUNATIK_A_CONTEXT]);
	if (info->attrs[LUNATIK_A_MEM_LIMIT])
		mem_limit = nla_get_u64(info->attrs[LUNATIK_A_MEM_LIMIT]);
	if (info->attrs[LUNATIK_A_BUDGET])
		budget = nla_get_u32(info->attrs[LUNATIK_A_BUDGET]);
	if (info->attrs[LUNATIK_A_HOOK_BUDGET])
		hook_budget = nla_get_u32(info->attrs[LUNATIK_A_HOOK_BUDGET]);
	if (info->attrs[LUNATIK_A_POLICY])
		policy = nla_get_u8(info->attrs[LUNATIK_A_POLICY]);
	if (info->attrs[LUNATIK_A_SHARED])
		shared = nla_get_u8(info->attrs[LUNATIK_A_SHARED]);
	if (shared && context != LUNATIK_CONTEXT_SOFTIRQ) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[LUNATIK_A_SHARED],
				    "a shared instance is for softirq sets (a "
				    "process set has one instance already)");
		return -EINVAL;
	}

	err = lunatik_genl_err_new();
	if (!err)
		return -ENOMEM;
	set = lunatik_set_create(genl_info_net(info), name, script, chunkname,
				 context, mem_limit, budget, hook_budget,
				 policy, shared, err);
	if (IS_ERR(set)) {
		if (PTR_ERR(set) == -EEXIST) {
			NL_SET_ERR_MSG_ATTR(info->extack,
					    info->attrs[LUNATIK_A_NAME],
					    "a set with this name already exists");
			ret = -EEXIST;
		} else {
			ret = lunatik_genl_reply_err(info, err);
		}
		goto out_err;
	}
	ret = lunatik_genl_reply_set(info, set);
	lunatik_set_put(set);
out_err:
	lunatik_free(err);
	return ret;
}

static struct lunatik_set *lunatik_genl_find(struct genl_info *info)
{
	const char *name = lunatik_genl_name(info);
	struct lunatik_set *set;

	if (!name)
		return ERR_PTR(-EINVAL);
	set = lunatik_set_find(genl_info_net(info), name);
	if (!set) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[LUNATIK_A_NAME],
				    "no set with this name");
		return ERR_PTR(-ENOENT);
	}
	return set;
}

int lunatik_genl_stop(struct sk_buff *skb, struct genl_info *info)
{
	const char *name = lunatik_genl_name(info);

	if (!name)
		return -EINVAL;
	if (lunatik_set_stop(genl_info_net(info), name)) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[LUNATIK_A_NAME],
				    "no set with this name");
		return -ENOENT;
	}
	return 0;
}

int lunatik_genl_reload(struct sk_buff *skb, struct genl_info *info)
{
	const char *script = NULL, *chunkname = NULL;
	struct lunatik_set *set;
	struct lunatik_err *err;
	int ret;

	if (info->attrs[LUNATIK_A_SCRIPT]) {
		script = lunatik_genl_script(info);
		if (!script)
			return -EINVAL;
	}
	if (lunatik_genl_chunkname(info, &chunkname))
		return -EINVAL;
	set = lunatik_genl_find(info);
	if (IS_ERR(set))
		return PTR_ERR(set);

	ret = -ENOMEM;
	err = lunatik_genl_err_new();
	if (!err)
		goto out_put;
	ret = lunatik_set_reload(set, script, chunkname, err);
	if (ret == -EINTR && !err->msg[0])
		goto out_err;	/* killed while waiting for the set lock */
	if (ret)
		ret = lunatik_genl_reply_err(info, err);
	else
		ret = lunatik_genl_reply_set(info, set);
out_err:
	lunatik_free(err);
out_put:
	lunatik_set_put(set);
	return ret;
}

int lunatik_genl_list(struct sk_buff *skb, struct genl_info *info)
{
	struct lunatik_set *set = lunatik_genl_find(info);
	int ret;

	if (IS_ERR(set))
		return PTR_ERR(set);
	ret = lunatik_genl_reply_set(info, set);
	lunatik_set_put(set);
	return ret;
}

/**
 * lunatik_genl_list_start - make every dump skb big enough for one set
 *
 * A LIST message carries one whole set, and a softirq set has an instance
 * per possible CPU: on a machine with a few dozen CPUs that is more than
 * the NLMSG_GOODSIZE skb a dump gets by default, and the set could never
 * be listed. The receiver sizes its buffer from the datagram (MSG_PEEK |
 * MSG_TRUNC), as the CLI does.
 */
int lunatik_genl_list_start(struct netlink_callback *cb)
{
	size_t size = NLMSG_ALIGN(NLMSG_HDRLEN + GENL_HDRLEN) +
		      lunatik_genl_set_size_n(nr_cpu_ids);

	cb->min_dump_alloc = max_t(size_t, cb->min_dump_alloc,
				   min_t(size_t, size, U32_MAX));
	return 0;
}

int lunatik_genl_list_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct net *net = sock_net(skb->sk);
	unsigned long idx = cb->args[0];
	struct lunatik_set *set;
	int ret = 0;

	while ((set = lunatik_set_nth(net, idx))) {
		void *hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
					cb->nlh->nlmsg_seq, &lunatik_genl_family,
					NLM_F_MULTI, LUNATIK_CMD_LIST);

		if (!hdr) {
			lunatik_set_put(set);
			break;
		}
		ret = lunatik_genl_fill_set(skb, set);
		lunatik_set_put(set);
		if (ret) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		idx++;
	}
	/* an empty skb with a set left means that set can never fit */
	if (ret && idx == cb->args[0] && skb->len == 0)
		return ret;
	cb->args[0] = idx;
	return skb->len;
}
