// SPDX-License-Identifier: GPL-2.0
/*
 * libs.c - the built-in C libraries: require("<name>") finds them through
 * package.preload, filled in every lua_State when it is created; their
 * module-wide state is set up at module load.
 */
#include "lunatik_internal.h"
#include "lib/lualibs.h"
#include "hook_xt.h"

struct lunatik_lib {
	const char *name;
	lua_CFunction open;
	int (*init)(void);
	void (*exit)(void);
};

static const struct lunatik_lib lunatik_libs[] = {
	{ "lunatik", luaopen_lunatik },
	{ "data", luaopen_data },
	{ "linux", luaopen_linux },
	{ "rcu", luaopen_rcu, lunatik_rcu_init, lunatik_rcu_exit },
	{ "thread", luaopen_thread, NULL, lunatik_thread_exit },
	{ "completion", luaopen_completion },
	{ "netfilter", luaopen_netfilter, lunatik_netfilter_init,
	  lunatik_netfilter_exit },
	{ "xtable", luaopen_xtable, NULL, lunatik_xt_exit },
};

/**
 * lunatik_libs_preload - register every built-in library in package.preload
 * @L: a state whose package library is open (may raise: memory)
 */
void lunatik_libs_preload(lua_State *L)
{
	unsigned int i;

	if (lua_getglobal(L, "package") != LUA_TTABLE ||
	    lua_getfield(L, -1, "preload") != LUA_TTABLE)
		luaL_error(L, "package.preload is missing");
	for (i = 0; i < ARRAY_SIZE(lunatik_libs); i++) {
		lua_pushcfunction(L, lunatik_libs[i].open);
		lua_setfield(L, -2, lunatik_libs[i].name);
	}
	lua_pop(L, 2);
}

int lunatik_libs_init(void)
{
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(lunatik_libs); i++) {
		if (!lunatik_libs[i].init)
			continue;
		ret = lunatik_libs[i].init();
		if (ret)
			goto out_exit;
	}
	return 0;

out_exit:
	while (i--)
		if (lunatik_libs[i].exit)
			lunatik_libs[i].exit();
	return ret;
}

void lunatik_libs_exit(void)
{
	unsigned int i = ARRAY_SIZE(lunatik_libs);

	while (i--)
		if (lunatik_libs[i].exit)
			lunatik_libs[i].exit();
}
