/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * lkinit.c - opens the standard libraries of integer-only Lua.
 *
 * Replaces Lua's linit.c: there is no 'io' and no 'os' (as in Lunatik
 * 3.6), 'math' is the integer one (lkmathlib.c), 'debug' has no
 * debug.debug nor the functions in unsafe_debug[] and 'package'
 * searches Lua files only.
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

/*
 * debug functions a kernel script must not have: each one lets a script
 * break an invariant the C side relies on for memory safety or liveness.
 *   sethook        replaces the runtime's count hook: no instruction budget
 *   setmetatable   puts one class's metatable on another's userdata: the
 *                  C type checks compare metatables
 *   setupvalue, upvaluejoin
 *                  rewrite the upvalues C methods keep their checks in
 *   setuservalue   the same for userdata user values
 *   getregistry    the registry holds the C side's metatables and refs
 *   getmetatable   ignores __metatable: hands out class metatables (a
 *                  script removed __gc and leaked every later object)
 *                  and their __gc/__close
 *   setlocal       also writes a C function's stack temporaries: from a
 *                  gsub callback it replaced the subject gsub was still
 *                  scanning through a raw pointer (use after free)
 */
static const char *const unsafe_debug[] = {
	"sethook", "setmetatable", "setupvalue", "upvaluejoin",
	"setuservalue", "getregistry", "setlocal", "getmetatable", NULL
};

static void strip_debug(lua_State *L)
{
	const char *const *name;

	luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
	if (lua_getfield(L, -1, LUA_DBLIBNAME) == LUA_TTABLE) {
		for (name = unsafe_debug; *name; name++) {
			lua_pushnil(L);
			lua_setfield(L, -2, *name);
		}
	}
	lua_pop(L, 2);
}

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
	strip_debug(L);
}
