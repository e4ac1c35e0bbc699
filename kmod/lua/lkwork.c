/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * lkwork.c - the error that ends a call whose budget the C side spent.
 *
 * luai_work (luaconf.h) is called from Lua's core as well as from its
 * libraries: inside the VM (comparisons, concatenation, metamethod chains),
 * the parser and the lexer, where L->top is not a C function's stack and
 * the C API must not push. luaG_runerror is what the core itself raises
 * from those places; this gives the runtime (and the host fuzzer) a way to
 * call it. The message is short, so building it charges nothing.
 */
#define lkwork_c
#define LUA_CORE

#include "lprefix.h"

#include "lua.h"

#include "ldebug.h"

void lunatik_lua_workerror(lua_State *L, const char *msg)
{
	luaG_runerror(L, "%s", msg);
}
