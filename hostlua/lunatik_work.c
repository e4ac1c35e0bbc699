/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * lunatik_work.c - the host's luai_work and luai_workdefer (luaconf.h): no
 * budget by default.
 *
 * The kernel charges work done in Lua's C loops to the runtime's
 * instruction budget. A host program with a budget of its own (the fuzzer)
 * defines a strong lunatik_lua_work that replaces this one.
 */
#include "lua.h"

__attribute__((weak)) void lunatik_lua_work(lua_State *L, long n)
{
	(void)L;
	(void)n;
}

__attribute__((weak)) void lunatik_lua_workdefer(lua_State *L, long n)
{
	(void)L;
	(void)n;
}
