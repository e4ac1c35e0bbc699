// SPDX-License-Identifier: GPL-2.0
/*
 * luaxtable.c - require("xtable"): x_tables matches and targets written in
 * Lua, as in Lunatik 3.6:
 *
 *	xtable.match{name, revision, family, proto, hooks,
 *		     match = function(skb, par, userargs) return bool end,
 *		     checkentry = function(userargs) end,
 *		     destroy = function(userargs) end}
 *	xtable.target{... target = function(skb, par, userargs)
 *			      return verdict end ...}
 *
 * Called by a script body of a softirq set: every instance records the
 * same extension and the hook core registers it once for the set when the
 * set goes live (hook_xt.c). The recorded value holds the callbacks and
 * this instance's packet data object, made here in process context.
 */
#include <linux/netfilter.h>
#include <linux/netfilter/x_tables.h>
#include <linux/string.h>

#include "lunatik.h"
#include "hook_xt.h"
#include "lualibs.h"
#include "luadata.h"

static lua_Integer luaxtable_checkint(lua_State *L, const char *field,
				      lua_Integer min, lua_Integer max)
{
	lua_Integer v;
	int isint;

	lua_getfield(L, 1, field);
	v = lua_tointegerx(L, -1, &isint);
	if (!isint || v < min || v > max)
		luaL_error(L, "xtable: '%s' must be an integer in %I..%I", field,
			   min, max);
	lua_pop(L, 1);
	return v;
}

static void luaxtable_checkfn(lua_State *L, const char *field, int slot,
			      int idx)
{
	if (lua_getfield(L, 1, field) != LUA_TFUNCTION)
		luaL_error(L, "xtable: '%s' must be a function", field);
	lua_rawseti(L, idx, slot);
}

static int luaxtable_new(lua_State *L, enum lunatik_xt_kind kind)
{
	bool match = kind == LUNATIK_XT_MATCH;
	struct lunatik_xt_spec spec;
	const char *name;
	size_t len;
	int rec;

	luaL_checktype(L, 1, LUA_TTABLE);
	memset(&spec, 0, sizeof(spec));	/* compared bytewise */
	spec.kind = kind;

	if (lua_getfield(L, 1, "name") != LUA_TSTRING)
		return luaL_error(L, "xtable: 'name' must be a string");
	name = lua_tolstring(L, -1, &len);
	if (len == 0 || len >= sizeof(spec.name) || strlen(name) != len)
		return luaL_error(L, "xtable: 'name' must have 1..%d characters",
				  (int)sizeof(spec.name) - 1);
	memcpy(spec.name, name, len);
	lua_pop(L, 1);
	spec.revision = luaxtable_checkint(L, "revision", 0, U8_MAX);
	/* x_tables indexes its lists by family: never past NFPROTO_NUMPROTO */
	spec.family = luaxtable_checkint(L, "family", 0, NFPROTO_NUMPROTO - 1);
	spec.proto = luaxtable_checkint(L, "proto", 0, U16_MAX);
	spec.hooks = luaxtable_checkint(L, "hooks", 0, U32_MAX);

	lua_createtable(L, 4, 0);
	rec = lua_gettop(L);
	luaxtable_checkfn(L, match ? "match" : "target", LUNATIK_XT_SLOT_FN, rec);
	luaxtable_checkfn(L, "checkentry", LUNATIK_XT_SLOT_CHECK, rec);
	luaxtable_checkfn(L, "destroy", LUNATIK_XT_SLOT_DESTROY, rec);
	luadata_new(L, NULL, 0, match ? LUADATA_READONLY : LUADATA_RW);
	lua_rawseti(L, rec, LUNATIK_XT_SLOT_DATA);

	lunatik_hook_record(L, match ? &lunatik_xt_match_type :
			    &lunatik_xt_target_type, &spec, rec);
	return 0;
}

static int luaxtable_match(lua_State *L)
{
	return luaxtable_new(L, LUNATIK_XT_MATCH);
}

static int luaxtable_target(lua_State *L)
{
	return luaxtable_new(L, LUNATIK_XT_TARGET);
}

int luaopen_xtable(lua_State *L)
{
	static const luaL_Reg funcs[] = {
		{ "match", luaxtable_match },
		{ "target", luaxtable_target },
		{ NULL, NULL },
	};

	luaL_newlib(L, funcs);
	/* 3.6: xtable carries the netfilter constants (family, action, hooks) */
	lua_pushcfunction(L, luaopen_netfilter);
	lua_call(L, 0, 1);
	lua_pushnil(L);
	while (lua_next(L, -2)) {
		if (lua_istable(L, -1)) {
			lua_pushvalue(L, -2);
			lua_insert(L, -2);
			lua_settable(L, -5);
		} else {
			lua_pop(L, 1);
		}
	}
	lua_pop(L, 1);
	return 1;
}
