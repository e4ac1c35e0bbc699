// SPDX-License-Identifier: GPL-2.0
/*
 * luaxdp.c - the "xdp" Lua library (Lunatik 3.6 API):
 *
 *   xdp.attach(callback)   run callback(frame, argument) for the frames an
 *                          XDP program hands over with bpf_luaxdp_run(key,
 *                          ...) where key is this set's name; frame spans
 *                          data .. data_end (writable), argument the bytes
 *                          the program passed; the return is an xdp.action
 *   xdp.detach()           stop calling it: the kfunc returns a negative
 *                          value (the program decides), until a reload
 *   xdp.action             ABORTED DROP PASS TX REDIRECT
 *
 * attach is called once by the script body of a softirq set (every
 * instance runs it); it records the hook with the core (hook.c), which
 * enters the set in its netns table (hook_xdp.c) once the generation is
 * loaded. Errors, the budget, the memory cap, a busy instance or a return
 * that is not an action give the set's default action and a counter.
 */
#include <linux/bpf.h>

#include "lunatik.h"
#include "lualibs.h"
#include "luadata.h"
#include "../hook.h"
#include "../hook_xdp.h"

/* fields of the recorded table, one per instance */
enum { LUAXDP_FN = 1, LUAXDP_FRAME, LUAXDP_ARG };

/* the hook's spec: one XDP hook per set, so nothing to tell apart */
struct luaxdp_spec {
	u8 kind;
};

static const char *const luaxdp_verdicts[] = {
	"aborted", "drop", "pass", "tx", "redirect",
};

static int luaxdp_call(lua_State *L, struct lunatik_hook *hook, void *p)
{
	struct lunatik_xdp_call *c = p;
	lua_Integer action;
	int isnum;

	if (lua_rawgeti(L, -1, LUAXDP_FN) != LUA_TFUNCTION) {
		c->no_callback = true;
		return XDP_PASS;
	}
	lua_rawgeti(L, -2, LUAXDP_FRAME);
	c->frame_obj = lunatik_toobject(L, -1);
	luadata_reset(c->frame_obj, c->data, c->len, LUADATA_RW);
	lua_rawgeti(L, -3, LUAXDP_ARG);
	c->arg_obj = lunatik_toobject(L, -1);
	luadata_reset(c->arg_obj, c->arg, c->arg_len, LUADATA_RW);
	lua_call(L, 2, 1);
	action = lua_tointegerx(L, -1, &isnum);
	if (!isnum || action < 0 || action > XDP_REDIRECT)
		return -1;	/* counted as a bad verdict: default action */
	return (int)action;
}

/* After every call, raised or not: the frame is gone once we return. */
static void luaxdp_done(struct lunatik_hook *hook, void *p)
{
	struct lunatik_xdp_call *c = p;

	if (c->frame_obj)
		luadata_clear(c->frame_obj);
	if (c->arg_obj)
		luadata_clear(c->arg_obj);
}

static const struct lunatik_hook_type luaxdp_type = {
	.name = "xdp",
	.spec_size = sizeof(struct luaxdp_spec),
	.priv_size = sizeof(struct lunatik_xdp_priv),
	.nverdicts = ARRAY_SIZE(luaxdp_verdicts),
	.verdicts = luaxdp_verdicts,
	.pass = XDP_PASS,
	.drop = XDP_DROP,
	.attach = lunatik_xdp_attach,
	.detach = lunatik_xdp_detach,
	.call = luaxdp_call,
	.done = luaxdp_done,
};

/* registry key of this state's recorded table */
static const char luaxdp_key = 0;

static int luaxdp_attach(lua_State *L)
{
	struct luaxdp_spec spec = { .kind = 1 };

	luaL_checktype(L, 1, LUA_TFUNCTION);
	if (lua_rawgetp(L, LUA_REGISTRYINDEX, &luaxdp_key) != LUA_TNIL)
		return luaL_error(L, "xdp.attach: this set is already attached");
	lua_pop(L, 1);
	lua_createtable(L, 3, 0);
	lua_pushvalue(L, 1);
	lua_rawseti(L, -2, LUAXDP_FN);
	/* the data objects exist before any packet: none is made per call */
	luadata_new(L, NULL, 0, LUADATA_READONLY);
	lua_rawseti(L, -2, LUAXDP_FRAME);
	luadata_new(L, NULL, 0, LUADATA_READONLY);
	lua_rawseti(L, -2, LUAXDP_ARG);
	lunatik_hook_record(L, &luaxdp_type, &spec, -1);
	lua_rawsetp(L, LUA_REGISTRYINDEX, &luaxdp_key);
	return 0;
}

static int luaxdp_detach(lua_State *L)
{
	if (lua_rawgetp(L, LUA_REGISTRYINDEX, &luaxdp_key) == LUA_TTABLE) {
		lua_pushnil(L);
		lua_rawseti(L, -2, LUAXDP_FN);
	}
	return 0;
}

static const luaL_Reg luaxdp_lib[] = {
	{"attach", luaxdp_attach},
	{"detach", luaxdp_detach},
	{NULL, NULL}
};

int luaopen_xdp(lua_State *L)
{
	luaL_newlib(L, luaxdp_lib);
	lua_createtable(L, 0, ARRAY_SIZE(luaxdp_verdicts));
	lua_pushinteger(L, XDP_ABORTED);
	lua_setfield(L, -2, "ABORTED");
	lua_pushinteger(L, XDP_DROP);
	lua_setfield(L, -2, "DROP");
	lua_pushinteger(L, XDP_PASS);
	lua_setfield(L, -2, "PASS");
	lua_pushinteger(L, XDP_TX);
	lua_setfield(L, -2, "TX");
	lua_pushinteger(L, XDP_REDIRECT);
	lua_setfield(L, -2, "REDIRECT");
	lua_setfield(L, -2, "action");
	return 1;
}
