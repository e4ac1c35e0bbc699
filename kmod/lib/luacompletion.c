// SPDX-License-Identifier: GPL-2.0
/*
 * luacompletion.c - the "completion" Lua library: kernel completions as
 * lunatik objects, so one runtime (or thread) can wait for another.
 *
 *   c = completion.new()
 *   c:complete()           wake one waiter; callable from any context
 *   c:wait([timeout_ms])   true | nil, "timeout" | nil, "interrupt"
 *
 * wait() sleeps, so it raises in a runtime that cannot sleep (softirq
 * sets); complete() never sleeps, so a packet hook may signal a thread.
 * No object lock is taken: struct completion has its own wait-queue lock.
 */
#include <linux/completion.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/sched.h>

#include "lunatik.h"
#include "lualibs.h"

static const struct lunatik_class luacompletion_class;

static struct completion *luacompletion_check(lua_State *L, int idx)
{
	lunatik_object_t *obj = lunatik_checkobject(L, idx, &luacompletion_class);

	return obj->private;
}

static int luacompletion_complete(lua_State *L)
{
	complete(luacompletion_check(L, 1));
	return 0;
}

static int luacompletion_wait(lua_State *L)
{
	struct completion *c = luacompletion_check(L, 1);
	lua_Integer ms = luaL_optinteger(L, 2, -1);
	long ret;

	if (!lunatik_cansleep(L))
		return luaL_error(L, "completion.wait: cannot sleep in this context");
	luaL_argcheck(L, lua_isnoneornil(L, 2) || ms >= 0, 2,
		      "timeout must be non-negative");

	if (ms < 0 || ms >= (lua_Integer)UINT_MAX / 2)
		ret = wait_for_completion_interruptible(c) ? -ERESTARTSYS : 1;
	else
		ret = wait_for_completion_interruptible_timeout(c,
					msecs_to_jiffies((unsigned int)ms));

	if (ret > 0) {
		lua_pushboolean(L, 1);
		return 1;
	}
	lua_pushnil(L);
	lua_pushstring(L, ret == 0 ? "timeout" : "interrupt");
	return 2;
}

static const luaL_Reg luacompletion_methods[] = {
	{"complete", luacompletion_complete},
	{"wait", luacompletion_wait},
	{NULL, NULL}
};

static const struct lunatik_class luacompletion_class = {
	.name = "completion",
	.methods = luacompletion_methods,
	.release = NULL,	/* nothing beyond the payload itself */
	.sleep = false,		/* complete() is usable from softirq sets */
};

static int luacompletion_new(lua_State *L)
{
	lunatik_object_t *obj = lunatik_newobject(L, &luacompletion_class,
						  sizeof(struct completion));

	init_completion(obj->private);
	return 1;
}

static const luaL_Reg luacompletion_lib[] = {
	{"new", luacompletion_new},
	{NULL, NULL}
};

/**
 * luaopen_completion - open the "completion" library
 * @L: the Lua state requiring it
 *
 * Return: 1 (the library table).
 */
int luaopen_completion(lua_State *L)
{
	luaL_newlib(L, luacompletion_lib);
	return 1;
}
