// SPDX-License-Identifier: GPL-2.0
/*
 * lualunatik.c - the "lunatik" Lua library (Lunatik 3.6 API + extensions).
 *
 *   rt = lunatik.runtime(script [, sleep])  new runtime running
 *                                          <script_root>/<script>.lua
 *   rt:resume(...)                         resume the function the script
 *                                          returned (a coroutine)
 *   rt:stop()                              close the runtime
 *   lunatik.cpu()                          CPU of this instance (softirq
 *                                          sets), nil otherwise
 *   lunatik.set()                          name of this set, nil for a
 *                                          runtime created from Lua
 *
 * Values crossing runtimes (resume arguments and results) may be nil,
 * booleans, integers, strings and lunatik objects; anything else belongs to
 * one lua_State and is refused. Result strings are copied out of the
 * resumed state before its lock is dropped; the copies count against the
 * memory cap of the tree until they are pushed to the caller.
 *
 * Limits: the body of lunatik.runtime(script) runs as part of its
 * creator's call, on what is left of that call's instruction budget (and is
 * charged to it); the script is <script_root>/<script>.lua and must stay
 * there: no absolute names, no ".." components, no symlink out of the root.
 * It is read, like every file the tree opens, with the credentials of the
 * process that created the set.
 *
 * Nesting: only runtime-set instances create, resume and stop runtimes; a
 * runtime created from Lua cannot (lunatik_runtime.nest). This bounds
 * kernel-stack use (each level stacks a whole Lua call chain) and rules out
 * lock cycles (A resumes or stops B while B resumes or stops A).
 *
 * Ownership: a runtime created from Lua belongs to the set instance whose
 * tree made it (they share a memory quota). Other holders may keep its
 * object, but when that instance is closed (stop, reload, netns exit) the
 * runtime is stopped too (lunatik_runtime_tree_stop): its state, and any
 * reference cycle through it, cannot outlive the set.
 */
#include <linux/slab.h>
#include <net/net_namespace.h>

#include "lunatik_internal.h"
#include "luadata.h"
#include "lualibs.h"

#define LUNATIK_XFER_MAX	16

/*
 * Lua-made runtimes whose object is alive. A spinlock: the object's release
 * unlinks the runtime and may run in any context. Holding it keeps a listed
 * object's memory valid (its release waits here before the object is
 * freed), so a reference can be tried on it.
 */
static DEFINE_SPINLOCK(lunatik_lrts_lock);
static LIST_HEAD(lunatik_lrts);

struct lunatik_value {
	int type;
	union {
		lua_Integer i;
		bool b;
		lunatik_object_t *obj;
		struct {
			const char *s;
			size_t len;
			bool owned;	/* a lunatik_malloc() copy ... */
			struct lunatik_quota *quota;	/* ... charged here */
		};
	};
};

/*
 * Scratch space of one resume: lives in a userdata of the caller, so the
 * __gc frees whatever a Lua error leaves behind (STYLE §7).
 */
struct lunatik_xfer {
	int nargs;
	int nres;
	struct lunatik_value args[LUNATIK_XFER_MAX];
	struct lunatik_value res[LUNATIK_XFER_MAX];
	struct lunatik_err err;
};

#define LUNATIK_XFER_MT	"lunatik.xfer"

static void lunatik_value_clear(struct lunatik_value *v)
{
	if (v->type == LUA_TSTRING && v->owned) {
		lunatik_free(v->s);
		lunatik_uncharge(v->quota, v->len + 1);
	}
	else if (v->type == LUA_TUSERDATA && v->obj)
		lunatik_object_put(v->obj);
	v->type = LUA_TNIL;
}

/*
 * Reachable from Lua (debug.getlocal sees C temporaries, getmetatable a
 * userdata's metatable): check the type; called twice, nres is 0 the
 * second time.
 */
static int lunatik_xfer_gc(lua_State *L)
{
	struct lunatik_xfer *x = luaL_checkudata(L, 1, LUNATIK_XFER_MT);
	int i;

	for (i = 0; i < x->nres; i++)
		lunatik_value_clear(&x->res[i]);
	x->nres = 0;
	return 0;
}

static struct lunatik_xfer *lunatik_xfer_new(lua_State *L)
{
	struct lunatik_xfer *x = lua_newuserdatauv(L, sizeof(*x), 0);

	memset(x, 0, sizeof(*x));
	if (luaL_newmetatable(L, LUNATIK_XFER_MT)) {
		lua_pushcfunction(L, lunatik_xfer_gc);
		lua_setfield(L, -2, "__gc");
		lua_pushboolean(L, 0);	/* getmetatable() hides it */
		lua_setfield(L, -2, "__metatable");
	}
	lua_setmetatable(L, -2);
	return x;
}

/*
 * The lunatik object at @idx, if it may cross to another runtime. A data
 * object over a hook's packet memory is valid only during that hook call on
 * that CPU: another runtime could read it after the packet is gone.
 */
static lunatik_object_t *lunatik_value_getobj(lua_State *L, int idx)
{
	lunatik_object_t *obj = lunatik_toobject(L, idx);

	if (obj && luadata_isexternal(obj))
		luaL_error(L, "data object is bound to its runtime");
	return obj;
}

/* Describe the value at @idx of @L in @v without allocating. */
static bool lunatik_value_get(lua_State *L, int idx, struct lunatik_value *v)
{
	v->type = lua_type(L, idx);
	switch (v->type) {
	case LUA_TNIL:
		return true;
	case LUA_TBOOLEAN:
		v->b = lua_toboolean(L, idx);
		return true;
	case LUA_TNUMBER:
		v->i = lua_tointeger(L, idx);
		return true;
	case LUA_TSTRING:
		v->s = lua_tolstring(L, idx, &v->len);
		v->owned = false;
		return true;
	case LUA_TUSERDATA:
		v->obj = NULL;
		return false;	/* objects: see callers */
	default:
		return false;
	}
}

static void lunatik_value_push(lua_State *L, const struct lunatik_value *v)
{
	switch (v->type) {
	case LUA_TBOOLEAN:
		lua_pushboolean(L, v->b);
		break;
	case LUA_TNUMBER:
		lua_pushinteger(L, v->i);
		break;
	case LUA_TSTRING:
		lua_pushlstring(L, v->s, v->len);
		break;
	case LUA_TUSERDATA:
		lunatik_pushobject(L, v->obj);
		break;
	default:
		lua_pushnil(L);
		break;
	}
}

/* ---------------------------------------------------------------- runtime */

static struct lunatik_runtime **lunatik_lrt(lua_State *L)
{
	lunatik_object_t *obj = lunatik_checkobject(L, 1, &lunatik_runtime_class);

	return obj->private;
}

static void lunatik_lrt_close_work(struct work_struct *work)
{
	struct lunatik_runtime *rt = container_of(work, struct lunatik_runtime,
						  close_work);

	lunatik_runtime_close(rt);
	lunatik_runtime_free(rt);
}

/* The last reference may go in any context: close in process context. */
static void lunatik_lrt_release(void *private)
{
	struct lunatik_runtime *rt = *(struct lunatik_runtime **)private;

	if (!rt)
		return;
	spin_lock_bh(&lunatik_lrts_lock);
	list_del_init(&rt->tree_node);
	spin_unlock_bh(&lunatik_lrts_lock);
	INIT_WORK(&rt->close_work, lunatik_lrt_close_work);
	lunatik_defer(&rt->close_work);
}

static void lunatik_checknest(lua_State *L, const char *what)
{
	if (lunatik_toruntime(L)->nest)
		luaL_error(L, "%s: runtimes nest at most one level", what);
}

/*
 * A script name stays under the script root: relative, no ".." component,
 * no NUL (the file is then opened beneath the root, which also refuses a
 * symlink out of it: lunatik_file_open).
 */
static const char *lunatik_checkscript(lua_State *L, int idx)
{
	size_t len;
	const char *script = luaL_checklstring(L, idx, &len);
	const char *p;

	luaL_argcheck(L, len > 0 && strlen(script) == len, idx,
		      "invalid script name");
	luaL_argcheck(L, script[0] != '/', idx,
		      "script name must be relative to the script root");
	for (p = script; p; p = strchr(p, '/')) {
		if (*p == '/')
			p++;
		luaL_argcheck(L, !(p[0] == '.' && p[1] == '.' &&
				   (p[2] == '/' || p[2] == '\0')), idx,
			      "script name must not contain '..'");
	}
	return script;
}

static int lunatik_lruntime(lua_State *L)
{
	const char *script = lunatik_checkscript(L, 1);
	bool sleep = lua_isnoneornil(L, 2) ? true : lua_toboolean(L, 2);
	struct lunatik_runtime *self = lunatik_toruntime(L);
	u64 used = 0;
	struct lunatik_runtime_cfg cfg = {
		.net = lunatik_net(L),
		.cpu = -1,
		.sleep = sleep,
		/* its memory, Lua state included, counts against ours */
		.quota = lunatik_toruntime(L)->quota,
		/*
		 * sleepable runtimes back kernel threads that loop until
		 * stopped: no budget (the hook still yields the CPU and
		 * honours fatal signals); atomic ones must always end
		 */
		.budget = sleep ? LUNATIK_NO_BUDGET : LUNATIK_DEFAULT_BUDGET,
		.nest = 1,
		.cred = self->cred,
		.beneath_root = true,
		/* the body is part of this call: what is left of our budget */
		.load_budget = self->budget_call == LUNATIK_NO_BUDGET ? 0 :
			       max_t(s64, self->budget_left, 1),
		.load_used = &used,
	};
	struct lunatik_runtime **prt, *rt;
	lunatik_object_t *obj;
	struct lunatik_err *err;

	if (!lunatik_cansleep(L))
		return luaL_error(L, "lunatik.runtime: cannot sleep in this context");
	lunatik_checknest(L, "lunatik.runtime");
	cfg.script = lua_pushfstring(L, "%s/%s.lua", lunatik_script_root(),
				     script);
	obj = lunatik_newobject(L, &lunatik_runtime_class, sizeof(rt));
	prt = obj->private;
	err = lua_newuserdatauv(L, sizeof(*err), 0);
	err->msg[0] = '\0';

	rt = lunatik_runtime_new(&cfg, err);
	if (IS_ERR(rt)) {
		if (used)	/* may raise first: "budget exceeded" */
			lunatik_lua_work(L, (long)min_t(u64, used, LONG_MAX));
		return luaL_error(L, "%s", err->msg[0] ? err->msg :
				  "cannot create runtime");
	}
	/*
	 * No netns reference: a set's script holding its runtime would pin
	 * the netns whose exit is what stops the set. Sets of a netns, and
	 * the runtimes they own, are closed before the netns goes.
	 */
	rt->obj = obj;
	*prt = rt;
	spin_lock_bh(&lunatik_lrts_lock);
	list_add_tail(&rt->tree_node, &lunatik_lrts);
	spin_unlock_bh(&lunatik_lrts_lock);
	lua_pop(L, 1);	/* err */
	/* what the body ran counts against this call; its object owns rt */
	if (used)
		lunatik_lua_work(L, (long)min_t(u64, used, LONG_MAX));
	return 1;
}

/*
 * Stop @rt: wait for a running resume or thread (later ones see it stopped),
 * then close its state. Several holders may stop it at once: only the first
 * one closes. -EINTR when a fatal signal ended a @killable wait.
 */
static int lunatik_lrt_shutdown(struct lunatik_runtime *rt, bool killable)
{
	bool closer;

	if (!killable)
		lunatik_runtime_lock(rt);
	else if (lunatik_runtime_lock_killable(rt))
		return -EINTR;
	closer = !rt->stopped;
	rt->stopped = true;
	lunatik_runtime_unlock(rt);
	if (closer)
		lunatik_runtime_close(rt);
	return 0;
}

static int lunatik_lrt_stop(lua_State *L)
{
	struct lunatik_runtime *rt = *lunatik_lrt(L);

	if (!rt)
		return 0;
	if (rt == lunatik_toruntime(L))
		return luaL_error(L, "a runtime cannot stop itself");
	if (!lunatik_cansleep(L))
		return luaL_error(L, "runtime:stop: cannot sleep in this context");
	/*
	 * Stopping takes the runtime's lock: a Lua-made runtime stopping
	 * another while that one stops it would deadlock (A -> B, B -> A).
	 */
	lunatik_checknest(L, "runtime:stop");
	if (lunatik_lrt_shutdown(rt, true))
		return luaL_error(L, "runtime:stop: interrupted");
	return 0;
}

/**
 * lunatik_runtime_tree_stop - see lunatik_internal.h
 *
 * Threads go first: a thread holds its runtime's lock while it runs, so the
 * runtime could not be stopped under it.
 */
void lunatik_runtime_tree_stop(struct lunatik_quota *q)
{
	struct lunatik_runtime *rt;
	bool found;

	might_sleep();
	lunatik_thread_stop_tree(q);
	do {
		found = false;
		spin_lock_bh(&lunatik_lrts_lock);
		list_for_each_entry(rt, &lunatik_lrts, tree_node) {
			if (rt->quota == q &&
			    kref_get_unless_zero(&rt->obj->kref)) {
				list_del_init(&rt->tree_node);
				found = true;
				break;
			}
		}
		spin_unlock_bh(&lunatik_lrts_lock);
		if (found) {
			lunatik_object_t *obj = rt->obj;

			/* not killable: the set's teardown must finish */
			lunatik_lrt_shutdown(rt, false);
			lunatik_object_put(obj);
		}
	} while (found);
}

struct lunatik_resume {
	struct lunatik_xfer *x;
};

/* Runs in the resumed runtime, protected: every error is caught there. */
static int lunatik_resume_handler(lua_State *L, void *arg)
{
	struct lunatik_runtime *rt = lunatik_toruntime(L);
	struct lunatik_xfer *x = arg;
	lua_State *co;
	int i, status, nres;

	if (rt->co == LUA_NOREF) {
		if (rt->entry == LUA_NOREF)
			return luaL_error(L, "runtime script returned no function");
		co = lua_newthread(L);
		lua_rawgeti(L, LUA_REGISTRYINDEX, rt->entry);
		lua_xmove(L, co, 1);
		rt->co = luaL_ref(L, LUA_REGISTRYINDEX);
	}
	lua_rawgeti(L, LUA_REGISTRYINDEX, rt->co);
	co = lua_tothread(L, -1);

	luaL_checkstack(L, x->nargs, "too many arguments");
	for (i = 0; i < x->nargs; i++)
		lunatik_value_push(L, &x->args[i]);
	if (!lua_checkstack(co, x->nargs))
		return luaL_error(L, "too many arguments");
	lua_xmove(L, co, x->nargs);

	status = lua_resume(co, L, x->nargs, &nres);
	if (status != LUA_OK && status != LUA_YIELD) {
		lua_xmove(co, L, 1);
		return lua_error(L);
	}
	if (nres > LUNATIK_XFER_MAX) {
		lua_pop(co, nres);
		return luaL_error(L, "too many results (at most %d)",
				  LUNATIK_XFER_MAX);
	}
	luaL_checkstack(L, nres, "too many results");
	lua_xmove(co, L, nres);

	/* copy out: the strings belong to this state, unlocked soon */
	for (i = 0; i < nres; i++) {
		struct lunatik_value *v = &x->res[i];
		int idx = lua_gettop(L) - nres + 1 + i;

		if (lunatik_value_get(L, idx, v)) {
			if (v->type == LUA_TSTRING) {
				/* charged to the tree's cap (raises past it) */
				struct lunatik_quota *q;
				char *s;

				v->type = LUA_TNIL;
				q = lunatik_charge(L, v->len + 1);
				s = lunatik_malloc(v->len + 1, lunatik_gfp(L));
				if (!s) {
					lunatik_uncharge(q, v->len + 1);
					return luaL_error(L, "not enough memory");
				}
				memcpy(s, lua_tostring(L, idx), v->len + 1);
				v->type = LUA_TSTRING;
				v->s = s;
				v->owned = true;
				v->quota = q;
			}
		} else if (v->type == LUA_TUSERDATA &&
			   (v->obj = lunatik_value_getobj(L, idx))) {
			lunatik_object_get(v->obj);
		} else {
			v->type = LUA_TNIL;
			return luaL_error(L, "cannot return a %s to another runtime",
					  luaL_typename(L, idx));
		}
		x->nres = i + 1;
	}
	return 0;
}

static int lunatik_lrt_resume(lua_State *L)
{
	struct lunatik_runtime *rt = *lunatik_lrt(L);
	int i, ret, nargs = lua_gettop(L) - 1;
	struct lunatik_xfer *x;
	u64 used;

	if (!rt)
		return luaL_error(L, "runtime was stopped");
	if (rt == lunatik_toruntime(L))
		return luaL_error(L, "a runtime cannot resume itself");
	if (rt->sleep && !lunatik_cansleep(L))
		return luaL_error(L, "runtime:resume: cannot sleep in this context");
	lunatik_checknest(L, "runtime:resume");
	luaL_argcheck(L, nargs <= LUNATIK_XFER_MAX, LUNATIK_XFER_MAX + 2,
		      "too many arguments");

	x = lunatik_xfer_new(L);
	x->nargs = nargs;
	for (i = 0; i < nargs; i++) {
		struct lunatik_value *v = &x->args[i];

		/* the caller's stack keeps strings and objects alive */
		if (lunatik_value_get(L, i + 2, v))
			continue;
		if (v->type == LUA_TUSERDATA &&
		    (v->obj = lunatik_value_getobj(L, i + 2)))
			continue;
		return luaL_argerror(L, i + 2, lua_pushfstring(L,
				     "cannot pass a %s to another runtime",
				     luaL_typename(L, i + 2)));
	}
	/*
	 * Again: lunatik_xfer_new allocated, and a finalizer it ran may have
	 * closed this userdata (rt:__close()), dropping what may have been
	 * the last reference to rt.
	 */
	rt = *lunatik_lrt(L);
	if (!rt)
		return luaL_error(L, "runtime was stopped");

	ret = lunatik_runtime_lock_killable(rt);
	if (ret)
		return luaL_error(L, "runtime:resume: interrupted");
	if (rt->stopped) {
		lunatik_runtime_unlock(rt);
		return luaL_error(L, "runtime was stopped");
	}
	ret = lunatik_runtime_call_from(rt, lunatik_toruntime(L),
					lunatik_resume_handler, x, &x->err, &used);
	lunatik_runtime_unlock(rt);
	/* what the resumed runtime ran counts against this call */
	if (used)
		lunatik_lua_work(L, (long)min_t(u64, used, LONG_MAX));
	if (ret)
		return luaL_error(L, "%s", x->err.msg);

	/* the xfer userdata stays below: its __gc covers a failing push */
	luaL_checkstack(L, x->nres, "too many results");
	for (i = 0; i < x->nres; i++) {
		lunatik_value_push(L, &x->res[i]);
		lunatik_value_clear(&x->res[i]);
	}
	return x->nres;
}

static const luaL_Reg lunatik_runtime_methods[] = {
	{"resume", lunatik_lrt_resume},
	{"stop", lunatik_lrt_stop},
	{NULL, NULL}
};

const struct lunatik_class lunatik_runtime_class = {
	.name = "runtime",
	.methods = lunatik_runtime_methods,
	.release = lunatik_lrt_release,
	.sleep = false,
};

/* ---------------------------------------------------------------- library */

static int lunatik_lcpu(lua_State *L)
{
	int cpu = lunatik_cpu(L);

	if (cpu < 0)
		lua_pushnil(L);
	else
		lua_pushinteger(L, cpu);
	return 1;
}

static int lunatik_lset(lua_State *L)
{
	struct lunatik_set *set = lunatik_set_of(L);

	if (set)
		lua_pushstring(L, set->name);
	else
		lua_pushnil(L);
	return 1;
}

static const luaL_Reg lunatik_lib[] = {
	{"runtime", lunatik_lruntime},
	{"cpu", lunatik_lcpu},
	{"set", lunatik_lset},
	{NULL, NULL}
};

/**
 * luaopen_lunatik - open the "lunatik" library
 * @L: the Lua state requiring it
 *
 * Return: 1 (the library table).
 */
int luaopen_lunatik(lua_State *L)
{
	luaL_newlib(L, lunatik_lib);
	return 1;
}
