/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * lkmathlib.c - the 'math' library of integer-only Lua.
 *
 * Replaces Lua's lmathlib.c (which is float throughout). Only what makes
 * sense on integers is kept, as in Lunatik 3.6: abs, max, min, tointeger,
 * ult, maxinteger and mininteger. Random numbers come from the 'linux'
 * library (linux.random) in the kernel.
 */
#define lkmathlib_c
#define LUA_LIB

#include "lprefix.h"

#include "lua.h"

#include "lauxlib.h"
#include "lualib.h"

static int math_abs(lua_State *L)
{
	lua_Integer n = luaL_checkinteger(L, 1);

	/* unsigned negation: abs(mininteger) wraps to mininteger, as in Lua */
	if (n < 0)
		n = (lua_Integer)(0u - (lua_Unsigned)n);
	lua_pushinteger(L, n);
	return 1;
}

static int math_min(lua_State *L)
{
	int n = lua_gettop(L);
	int imin = 1;
	int i;

	luaL_argcheck(L, n >= 1, 1, "number expected");
	for (i = 1; i <= n; i++) {
		if (luaL_checkinteger(L, i) < lua_tointeger(L, imin))
			imin = i;
	}
	lua_pushinteger(L, lua_tointeger(L, imin));
	return 1;
}

static int math_max(lua_State *L)
{
	int n = lua_gettop(L);
	int imax = 1;
	int i;

	luaL_argcheck(L, n >= 1, 1, "number expected");
	for (i = 1; i <= n; i++) {
		if (luaL_checkinteger(L, i) > lua_tointeger(L, imax))
			imax = i;
	}
	lua_pushinteger(L, lua_tointeger(L, imax));
	return 1;
}

/* the integer value of a number or of a string with an integer numeral */
static int math_tointeger(lua_State *L)
{
	int valid;
	lua_Integer n = lua_tointegerx(L, 1, &valid);

	if (valid) {
		lua_pushinteger(L, n);
	} else {
		luaL_checkany(L, 1);
		luaL_pushfail(L);
	}
	return 1;
}

static int math_ult(lua_State *L)
{
	lua_Integer a = luaL_checkinteger(L, 1);
	lua_Integer b = luaL_checkinteger(L, 2);

	lua_pushboolean(L, (lua_Unsigned)a < (lua_Unsigned)b);
	return 1;
}

static const luaL_Reg mathlib[] = {
	{"abs", math_abs},
	{"max", math_max},
	{"min", math_min},
	{"tointeger", math_tointeger},
	{"ult", math_ult},
	/* placeholders, set below */
	{"maxinteger", NULL},
	{"mininteger", NULL},
	{NULL, NULL}
};

LUAMOD_API int luaopen_math(lua_State *L)
{
	luaL_newlib(L, mathlib);
	lua_pushinteger(L, LUA_MAXINTEGER);
	lua_setfield(L, -2, "maxinteger");
	lua_pushinteger(L, LUA_MININTEGER);
	lua_setfield(L, -2, "mininteger");
	return 1;
}
