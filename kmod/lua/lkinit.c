/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * lkinit.c - opens the standard libraries of integer-only Lua.
 *
 * Replaces Lua's linit.c: there is no 'io' and no 'os' (as in Lunatik
 * 3.6), 'math' is the integer one (lkmathlib.c), 'debug' has no
 * debug.debug and 'package' searches Lua files only.
 */
#define lkinit_c
#define LUA_LIB

#include "lprefix.h"

#include <stddef.h>

#include "lua.h"

#include "lualib.h"
#include "lauxlib.h"

static const luaL_Reg loadedlibs[] = {
	{LUA_GNAME, luaopen_base},
	{LUA_LOADLIBNAME, luaopen_package},
	{LUA_COLIBNAME, luaopen_coroutine},
	{LUA_TABLIBNAME, luaopen_table},
	{LUA_STRLIBNAME, luaopen_string},
	{LUA_MATHLIBNAME, luaopen_math},
	{LUA_UTF8LIBNAME, luaopen_utf8},
	{LUA_DBLIBNAME, luaopen_debug},
	{NULL, NULL}
};

/**
 * luaL_openlibs - open the libraries above into the globals of L, each
 * also registered in package.loaded, like Lua's own luaL_openlibs.
 *
 * It allocates, so it may raise: call it inside lua_pcall.
 */
LUALIB_API void luaL_openlibs(lua_State *L)
{
	const luaL_Reg *lib;

	for (lib = loadedlibs; lib->func; lib++) {
		luaL_requiref(L, lib->name, lib->func, 1);
		lua_pop(L, 1);
	}
}
