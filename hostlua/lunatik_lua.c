// SPDX-License-Identifier: GPL-2.0
/*
 * lunatik-lua - run a script with the kernel's integer-only Lua, on the host.
 *
 *   lunatik-lua [-e CHUNK]... [SCRIPT [ARGS...]]
 *
 * The libraries are those of the kernel (no io, no os, integer math).
 * Errors are printed as "script.lua:LINE: message" on stderr and the exit
 * status is 1; a bad command line exits with 2. package.path is Lunatik's
 * default (/lib/modules/lua/...) unless LUA_PATH is set.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lua.h"
#include "lauxlib.h"
#include "lualib.h"

static void usage(const char *prog)
{
	fprintf(stderr, "usage: %s [-e CHUNK]... [SCRIPT [ARGS...]]\n", prog);
}

/* error messages as the kernel reports them: the message only */
static int report(lua_State *L, int status)
{
	if (status != LUA_OK) {
		const char *msg = lua_tostring(L, -1);

		if (msg == NULL)
			msg = lua_pushfstring(L, "(error object is a %s value)",
					      luaL_typename(L, -1));
		fprintf(stderr, "%s\n", msg);
		lua_pop(L, 1);
	}
	return status;
}

static int run_chunk(lua_State *L, int status, int nargs)
{
	if (status == LUA_OK) {
		lua_insert(L, -(nargs + 1));
		status = lua_pcall(L, nargs, 0, 0);
	} else {
		lua_pop(L, nargs);
	}
	return report(L, status);
}

/* arg table as lua.c builds it: arg[0] is the script, arg[1..] its args */
static void create_arg(lua_State *L, char **argv, int argc, int script)
{
	int i;

	lua_createtable(L, argc - script - 1, script + 1);
	for (i = 0; i < argc; i++) {
		lua_pushstring(L, argv[i]);
		lua_rawseti(L, -2, i - script);
	}
	lua_setglobal(L, "arg");
}

struct args {
	int argc;
	char **argv;
	int status;
};

static int pmain(lua_State *L)
{
	struct args *a = lua_touserdata(L, 1);
	int i;

	luaL_openlibs(L);
	for (i = 1; i < a->argc; i++) {
		if (strcmp(a->argv[i], "-e") == 0) {
			const char *chunk = a->argv[++i];

			if (chunk == NULL) {
				usage(a->argv[0]);
				a->status = 2;
				return 0;
			}
			if (run_chunk(L, luaL_loadbuffer(L, chunk, strlen(chunk),
							 "=(command line)"), 0)) {
				a->status = 1;
				return 0;
			}
		} else if (strcmp(a->argv[i], "--") == 0) {
			i++;
			break;
		} else if (a->argv[i][0] == '-' && a->argv[i][1] != '\0') {
			usage(a->argv[0]);
			a->status = 2;
			return 0;
		} else {
			break;
		}
	}
	if (i < a->argc) {
		int script = i;
		int nargs = a->argc - script - 1;
		int status;

		create_arg(L, a->argv, a->argc, script);
		status = luaL_loadfile(L, a->argv[script]);
		for (i = script + 1; i < a->argc; i++)
			lua_pushstring(L, a->argv[i]);
		if (run_chunk(L, status, nargs))
			a->status = 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct args a = { .argc = argc, .argv = argv, .status = 0 };
	lua_State *L = luaL_newstate();

	if (L == NULL) {
		fprintf(stderr, "%s: cannot create Lua state\n", argv[0]);
		return 1;
	}
	lua_pushcfunction(L, pmain);
	lua_pushlightuserdata(L, &a);
	if (report(L, lua_pcall(L, 1, 0, 0)) != LUA_OK)
		a.status = 1;
	lua_close(L);
	return a.status;
}
