// SPDX-License-Identifier: GPL-2.0
/*
 * data_host.c - run a Lua script with the kernel's "data" library built for
 * the host (kmod/lib/luadata.c over object_host.c and the integer-only Lua).
 *
 *   lunatik-libs-host ROOT SCRIPT [MODULE...]
 *
 * require() finds ROOT/<dotted/path>.lua, as the kernel does under its
 * script root. Each MODULE (a dotted name) is also loaded up front, from C,
 * into package.preload: loading a file from inside Lua nests the loader's
 * stack buffer under the caller's C frames, which the host's C-stack
 * budget (luaconf.h) may refuse.
 * Exit status: 0 when SCRIPT ran without error, 1 otherwise.
 */
#include <stdio.h>
#include <string.h>

#include "lunatik.h"
#include "lualibs.h"

static int host_setup(lua_State *L)
{
	const char *root = lua_touserdata(L, 1);

	luaL_openlibs(L);
	lua_getglobal(L, "package");
	lua_getfield(L, -1, "preload");
	lua_pushcfunction(L, luaopen_data);
	lua_setfield(L, -2, "data");
	lua_pop(L, 1);
	lua_pushfstring(L, "%s/?.lua;%s/?/init.lua", root, root);
	lua_setfield(L, -2, "path");
	return 0;
}

/* package.preload[@module] = the chunk of ROOT/<module with / for .>.lua */
static int host_preload(lua_State *L, const char *root, const char *module)
{
	char path[4096];
	size_t i, n;
	int status;

	n = (size_t)snprintf(path, sizeof(path), "%s/%s.lua", root, module);
	if (n >= sizeof(path)) {
		lua_pushfstring(L, "path too long for module %s", module);
		return LUA_ERRFILE;
	}
	for (i = strlen(root) + 1; i < n - 4; i++)
		if (path[i] == '.')
			path[i] = '/';
	status = luaL_loadfile(L, path);
	if (status != LUA_OK)
		return status;
	lua_getglobal(L, "package");
	lua_getfield(L, -1, "preload");
	lua_rotate(L, -3, -1);		/* chunk on top */
	lua_setfield(L, -2, module);
	lua_pop(L, 2);
	return LUA_OK;
}

int main(int argc, char **argv)
{
	lua_State *L;
	int status, i;

	if (argc < 3) {
		fprintf(stderr, "usage: %s ROOT SCRIPT [MODULE...]\n", argv[0]);
		return 2;
	}
	L = luaL_newstate();
	if (L == NULL)
		return 1;
	lua_pushcfunction(L, host_setup);
	lua_pushlightuserdata(L, argv[1]);
	status = lua_pcall(L, 1, 0, 0);
	for (i = 3; status == LUA_OK && i < argc; i++)
		status = host_preload(L, argv[1], argv[i]);
	if (status == LUA_OK)
		status = luaL_dofile(L, argv[2]);
	if (status != LUA_OK)
		fprintf(stderr, "%s\n", lua_tostring(L, -1));
	lua_close(L);
	return status == LUA_OK ? 0 : 1;
}
