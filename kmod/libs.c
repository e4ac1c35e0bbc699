// SPDX-License-Identifier: GPL-2.0
/*
 * libs.c - the built-in C libraries: require("<name>") finds them through
 * package.preload, filled in every lua_State when it is created; their
 * module-wide state is set up at module load.
 *
 * This table is the only place the core names libraries: the runtime core
 * reaches them through the callbacks below (global libraries opened in
 * every state, what a closing set instance must stop), never by name.
 */
#include "lunatik_internal.h"
#include "lib/lualibs.h"
#include "hook_xdp.h"
#include "hook_xt.h"

/**
 * struct lunatik_lib - one built-in library
 * @open:      luaopen_<name>
 * @init/@exit: module-wide state (may be NULL)
 * @global:    also opened as a global in every state
 * @tree_stop: stop what runtimes charging quota @q started through this
 *             library (set instance close); called in table order
 */
struct lunatik_lib {
	const char *name;
	lua_CFunction open;
	int (*init)(void);
	void (*exit)(void);
	bool global;
	void (*tree_stop)(struct lunatik_quota *q);
};

static const struct lunatik_lib lunatik_libs[] = {
	/* its tree_stop stops the set's threads, then its Lua-made runtimes */
	{ "lunatik", luaopen_lunatik, NULL, NULL, true,
	  lunatik_runtime_tree_stop },
	{ "data", luaopen_data },
	{ "linux", luaopen_linux },
	{ "rcu", luaopen_rcu, lunatik_rcu_init, lunatik_rcu_exit },
	{ "thread", luaopen_thread, NULL, lunatik_thread_exit },
	{ "completion", luaopen_completion },
	{ "netfilter", luaopen_netfilter, lunatik_netfilter_init,
	  lunatik_netfilter_exit },
	{ "xdp", luaopen_xdp, lunatik_xdp_init, lunatik_xdp_exit },
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

/**
 * lunatik_libs_globals - open the global libraries in @L (may raise)
 */
void lunatik_libs_globals(lua_State *L)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(lunatik_libs); i++) {
		if (!lunatik_libs[i].global)
			continue;
		luaL_requiref(L, lunatik_libs[i].name, lunatik_libs[i].open, 1);
		lua_pop(L, 1);
	}
}

/**
 * lunatik_libs_tree_stop - stop what the runtimes sharing quota @q started
 * (kernel threads, runtimes made from Lua); process context
 */
void lunatik_libs_tree_stop(struct lunatik_quota *q)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(lunatik_libs); i++)
		if (lunatik_libs[i].tree_stop)
			lunatik_libs[i].tree_stop(q);
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
