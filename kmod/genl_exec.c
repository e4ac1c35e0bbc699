// SPDX-License-Identifier: GPL-2.0
/*
 * genl_exec.c - EXEC (run a chunk in this CPU's instance) and STATS.
 */
#include <net/genetlink.h>

#include "lunatik_internal.h"

const struct nla_policy lunatik_exec_policy[LUNATIK_A_MAX + 1] = {
	[LUNATIK_A_NAME] = { .type = NLA_STRING, .len = LUNATIK_NAME_MAX - 1 },
	[LUNATIK_A_CHUNK] = { .type = NLA_BINARY, .len = LUNATIK_CHUNK_MAX },
	[LUNATIK_A_CHUNKNAME] = { .type = NLA_STRING, .len = LUNATIK_PATH_MAX - 1 },
};

struct lunatik_exec {
	const char *chunk;
	size_t len;
	const char *chunkname;
	char *result;
	size_t rlen;
};

/*
 * Runs inside the instance, protected and budgeted: the results are
 * tostring()ed (so __tostring counts against the budget too) and copied out
 * before the lock is dropped, since the strings belong to the lua_State.
 */
static int lunatik_exec_handler(lua_State *L, void *arg)
{
	struct lunatik_exec *ex = arg;
	const char *chunkname = lunatik_chunkname(L, ex->chunkname, "=exec");
	luaL_Buffer b;
	const char *s;
	size_t len;
	int i, n, base = lua_gettop(L);	/* the chunk name may lie below */

	if (luaL_loadbufferx(L, ex->chunk, ex->len, chunkname, "t") != LUA_OK)
		return lua_error(L);
	lua_call(L, 0, LUA_MULTRET);
	n = lua_gettop(L);
	luaL_buffinit(L, &b);
	for (i = base + 1; i <= n; i++) {
		if (i > base + 1)
			luaL_addchar(&b, '\t');
		luaL_tolstring(L, i, NULL);
		luaL_addvalue(&b);
	}
	luaL_pushresult(&b);
	s = lua_tolstring(L, -1, &len);
	if (len > LUNATIK_RESULT_MAX)
		return luaL_error(L, "results too long (%I bytes, at most %d)",
				  (lua_Integer)len, (int)LUNATIK_RESULT_MAX);
	ex->result = lunatik_malloc(len + 1, lunatik_gfp(L));
	if (!ex->result)
		return luaL_error(L, "not enough memory");
	memcpy(ex->result, s, len + 1);
	ex->rlen = len;
	return 0;
}

int lunatik_genl_exec(struct sk_buff *skb, struct genl_info *info)
{
	struct lunatik_exec ex = { 0 };
	struct lunatik_set *set;
	struct lunatik_err *err;
	struct nlattr *attr;
	struct sk_buff *msg;
	const char *name;
	void *hdr;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, LUNATIK_A_NAME) ||
	    GENL_REQ_ATTR_CHECK(info, LUNATIK_A_CHUNK))
		return -EINVAL;
	attr = info->attrs[LUNATIK_A_NAME];
	name = nla_data(attr);
	if (nla_len(attr) == 0 || strnlen(name, nla_len(attr)) == nla_len(attr)) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "set name must be a NUL-terminated string");
		return -EINVAL;
	}
	attr = info->attrs[LUNATIK_A_CHUNKNAME];
	if (attr) {
		ex.chunkname = nla_data(attr);
		if (nla_len(attr) == 0 ||
		    strnlen(ex.chunkname, nla_len(attr)) == nla_len(attr)) {
			NL_SET_ERR_MSG_ATTR(info->extack, attr,
					    "chunk name must be a NUL-terminated string");
			return -EINVAL;
		}
	}
	ex.chunk = nla_data(info->attrs[LUNATIK_A_CHUNK]);
	ex.len = nla_len(info->attrs[LUNATIK_A_CHUNK]);

	set = lunatik_set_find(genl_info_net(info), name);
	if (!set) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[LUNATIK_A_NAME],
				    "no set with this name");
		return -ENOENT;
	}
	ret = -ENOMEM;
	err = lunatik_zalloc(sizeof(*err), GFP_KERNEL);
	if (!err)
		goto out_put;

	ret = lunatik_set_run(set, lunatik_exec_handler, &ex, NULL, err);
	if (ret == -ENXIO && !err->msg[0]) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[LUNATIK_A_NAME],
				    "set was stopped");
		goto out_err;
	}
	if (ret == -EINTR && !err->msg[0])
		goto out_err;	/* killed while waiting for the instance */
	if (ret) {
		ret = lunatik_genl_reply_err(info, err);
		goto out_err;
	}

	ret = -ENOMEM;
	msg = genlmsg_new(nla_total_size(ex.rlen + 1), GFP_KERNEL);
	if (!msg)
		goto out_err;
	hdr = genlmsg_put_reply(msg, info, &lunatik_genl_family, 0,
				LUNATIK_CMD_EXEC);
	/*
	 * Results are byte strings ("a\0b" is three bytes): put them whole,
	 * with the terminating NUL the decoder drops, never as a C string.
	 */
	if (!hdr || nla_put(msg, LUNATIK_A_RESULT, ex.rlen + 1, ex.result)) {
		nlmsg_free(msg);
		ret = -EMSGSIZE;
		goto out_err;
	}
	genlmsg_end(msg, hdr);
	ret = genlmsg_reply(msg, info);
out_err:
	lunatik_free(ex.result);
	lunatik_free(err);
out_put:
	lunatik_set_put(set);
	return ret;
}

int lunatik_genl_stats(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	struct nlattr *nest;
	u64 allocs, bytes;
	void *hdr;

	/*
	 * Make the reading exact: retired generations and Lua-made runtimes
	 * are closed by deferred work, stopped sets freed by RCU callbacks.
	 * A few rounds: exact when the module is idle, as leak tests need.
	 */
	lunatik_object_flush(4);
	lunatik_stats_get(&allocs, &bytes);

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &lunatik_genl_family, 0,
				LUNATIK_CMD_STATS);
	if (!hdr)
		goto out_free;
	nest = nla_nest_start(msg, LUNATIK_A_STATS);
	if (!nest ||
	    nla_put_u64_64bit(msg, LUNATIK_STATS_A_ALLOCS, allocs,
			      LUNATIK_STATS_A_PAD) ||
	    nla_put_u64_64bit(msg, LUNATIK_STATS_A_ALLOC_BYTES, bytes,
			      LUNATIK_STATS_A_PAD) ||
	    nla_put_u32(msg, LUNATIK_STATS_A_NSETS, lunatik_stats_nsets()) ||
	    nla_put_u32(msg, LUNATIK_STATS_A_NRUNTIMES, lunatik_stats_nruntimes()))
		goto out_free;
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
out_free:
	nlmsg_free(msg);
	return -EMSGSIZE;
}
