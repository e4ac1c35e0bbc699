// SPDX-License-Identifier: GPL-2.0
/*
 * object.c - lunatik objects: kref'd kernel objects that Lua userdata in any
 * number of runtimes point at, and the module's deferred-work queue.
 *
 * A userdata holds only a pointer to its object. It is created "closed"
 * (NULL) before the object is allocated, so a Lua error at any point leaves
 * nothing to leak; __gc and __close drop the userdata's reference and close
 * it. Each class gets its metatable lazily, once per lua_State, registered
 * under the class name. A registry table maps each such metatable to its
 * class so lunatik_toobject() recognizes objects of any class. It lives in
 * the registry, not in a metatable field, and the metatables themselves are
 * out of scripts' reach (see lunatik_setclass): a script can neither plant
 * a forged class pointer nor remove the __gc that releases an object.
 */
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include "lunatik_internal.h"

static struct workqueue_struct *lunatik_wq;

/* registry key (its address) of the metatable -> class table */
static const char lunatik_classes_key;

/* ------------------------------------------------------------ kernel side */

lunatik_object_t *lunatik_object_new(const struct lunatik_class *class,
				     size_t size, gfp_t gfp)
{
	lunatik_object_t *obj;

	obj = lunatik_zalloc(sizeof(*obj) + size, gfp);
	if (!obj)
		return NULL;
	kref_init(&obj->kref);
	obj->class = class;
	obj->private = size ? obj + 1 : NULL;
	obj->sleep = class->sleep;
	if (obj->sleep)
		mutex_init(&obj->mutex);
	else
		spin_lock_init(&obj->spin);
	return obj;
}

static void lunatik_object_release(struct kref *kref)
{
	lunatik_object_t *obj = container_of(kref, lunatik_object_t, kref);

	if (obj->class->release)
		obj->class->release(obj->private);
	if (obj->sleep)
		mutex_destroy(&obj->mutex);
	lunatik_uncharge(obj->quota, obj->charged);
	lunatik_free(obj);
}

void lunatik_object_get(lunatik_object_t *obj)
{
	kref_get(&obj->kref);
}

int lunatik_object_put(lunatik_object_t *obj)
{
	return kref_put(&obj->kref, lunatik_object_release);
}

void lunatik_object_lock(lunatik_object_t *obj)
{
	if (obj->sleep)
		mutex_lock(&obj->mutex);
	else
		spin_lock_bh(&obj->spin);
}

void lunatik_object_unlock(lunatik_object_t *obj)
{
	if (obj->sleep)
		mutex_unlock(&obj->mutex);
	else
		spin_unlock_bh(&obj->spin);
}

/* --------------------------------------------------------------- Lua side */

/*
 * The userdata at @idx if it is a lunatik object of any class (open or
 * closed), else NULL. Only lunatik_setclass() puts entries in the class
 * map, and only C can give a userdata a metatable, so a match is a
 * userdata this file made. Allocates nothing (callable from __gc).
 */
static lunatik_object_t **lunatik_toud(lua_State *L, int idx)
{
	bool known;

	idx = lua_absindex(L, idx);
	if (lua_type(L, idx) != LUA_TUSERDATA || !lua_getmetatable(L, idx))
		return NULL;
	if (lua_rawgetp(L, LUA_REGISTRYINDEX, &lunatik_classes_key) != LUA_TTABLE) {
		lua_pop(L, 2);
		return NULL;
	}
	lua_pushvalue(L, -2);
	known = lua_rawget(L, -2) == LUA_TLIGHTUSERDATA;
	lua_pop(L, 3);
	return known ? lua_touserdata(L, idx) : NULL;
}

/*
 * __gc and __close. Scripts can reach these functions (a class method
 * table, debug.getinfo on a finalizer's caller) and call them with any
 * value: anything but one of our userdata is refused.
 */
static int lunatik_object_gc(lua_State *L)
{
	lunatik_object_t **ud = lunatik_toud(L, 1);
	lunatik_object_t *obj;

	if (!ud)
		return luaL_typeerror(L, 1, "lunatik object");
	obj = *ud;
	*ud = NULL;
	if (obj)
		lunatik_object_put(obj);
	return 0;
}

/*
 * The class metatable of this state, made on first use. Scripts never see
 * it: __metatable makes getmetatable() return the class name, methods live
 * in a separate __index table (so obj.__gc or obj.__index find nothing),
 * and libraries that need to recognize it keep lua_topointer() of it, not
 * the table. So __gc and __close, which release the object, cannot be
 * removed or replaced by a script. Metamethods ("__" names) of the class
 * go to the metatable, other entries to the method table; a class's own
 * __index (a function) replaces the method table.
 */
static void lunatik_setclass(lua_State *L, const struct lunatik_class *class)
{
	const luaL_Reg *r;

	if (luaL_newmetatable(L, class->name)) {
		luaL_checkstack(L, 4, NULL);
		lua_newtable(L);			/* methods */
		for (r = class->methods; r && r->name; r++) {
			lua_pushcfunction(L, r->func);
			lua_setfield(L, strncmp(r->name, "__", 2) ? -2 : -3,
				     r->name);
		}
		if (lua_getfield(L, -2, "__index") == LUA_TNIL) {
			lua_pop(L, 1);
			lua_setfield(L, -2, "__index");
		} else {
			lua_pop(L, 2);
		}
		lua_pushcfunction(L, lunatik_object_gc);
		lua_setfield(L, -2, "__gc");
		lua_pushcfunction(L, lunatik_object_gc);
		lua_setfield(L, -2, "__close");
		lua_pushstring(L, class->name);
		lua_setfield(L, -2, "__metatable");
		if (lua_rawgetp(L, LUA_REGISTRYINDEX,
				&lunatik_classes_key) != LUA_TTABLE) {
			lua_pop(L, 1);
			lua_newtable(L);
			lua_pushvalue(L, -1);
			lua_rawsetp(L, LUA_REGISTRYINDEX, &lunatik_classes_key);
		}
		lua_pushvalue(L, -2);
		lua_pushlightuserdata(L, (void *)class);
		lua_rawset(L, -3);
		lua_pop(L, 1);
	}
	lua_setmetatable(L, -2);
}

static lunatik_object_t **lunatik_newud(lua_State *L,
					const struct lunatik_class *class)
{
	lunatik_object_t **ud = lua_newuserdatauv(L, sizeof(*ud), 0);

	*ud = NULL;
	lunatik_setclass(L, class);
	return ud;
}

/**
 * lunatik_newobject - see lunatik.h
 */
lunatik_object_t *lunatik_newobject(lua_State *L,
				    const struct lunatik_class *class,
				    size_t size)
{
	lunatik_object_t **ud = lunatik_newud(L, class);
	size_t charged = sizeof(lunatik_object_t) + size;
	struct lunatik_quota *q = lunatik_charge(L, charged);
	lunatik_object_t *obj = lunatik_object_new(class, size, lunatik_gfp(L));

	if (!obj) {
		lunatik_uncharge(q, charged);
		luaL_error(L, "not enough memory");
	}
	obj->quota = q;
	obj->charged = charged;
	*ud = obj;
	/* the payload is freed by the userdata's finalizer: pace the GC */
	lunatik_lua_gcdebt(L, charged);
	return obj;
}

/**
 * lunatik_pushobject - see lunatik.h
 */
void lunatik_pushobject(lua_State *L, lunatik_object_t *obj)
{
	lunatik_object_t **ud = lunatik_newud(L, obj->class);

	lunatik_object_get(obj);
	*ud = obj;
}

/**
 * lunatik_checkobject - see lunatik.h; also raises on a closed object
 */
lunatik_object_t *lunatik_checkobject(lua_State *L, int idx,
				      const struct lunatik_class *class)
{
	lunatik_object_t **ud = luaL_checkudata(L, idx, class->name);

	if (!*ud)
		luaL_argerror(L, idx, "object is closed");
	return *ud;
}

/**
 * lunatik_toobject - see lunatik.h; NULL also for a closed object
 */
lunatik_object_t *lunatik_toobject(lua_State *L, int idx)
{
	lunatik_object_t **ud = lunatik_toud(L, idx);

	return ud ? *ud : NULL;
}

/* ----------------------------------------------------------- deferred work */

/**
 * lunatik_defer - run @work later in process context
 *
 * For releases that happen where sleeping is not allowed (an object freed by
 * the garbage collector of a softirq instance) but must close a lua_State.
 */
void lunatik_defer(struct work_struct *work)
{
	queue_work(lunatik_wq, work);
}

/**
 * lunatik_defer_rcu - run @rwork in process context after a grace period
 */
void lunatik_defer_rcu(struct rcu_work *rwork)
{
	queue_rcu_work(lunatik_wq, rwork);
}

/*
 * Deferred work can defer more: closing a state frees rcu entries after a
 * grace period, their callbacks drop objects, and the release of a sleeping
 * object is queued here again. Drain in rounds (grace period, then queue)
 * until two whole rounds free nothing (or @max_rounds), so no chain is left
 * running into lunatik_object_exit(). With other runtimes busy allocating,
 * rounds never look idle: @max_rounds bounds the wait then.
 */
void lunatik_object_flush(int max_rounds)
{
	u64 allocs, bytes, last_allocs = U64_MAX, last_bytes = U64_MAX;
	int round, idle = 0;

	for (round = 0; round < max_rounds && idle < 2; round++) {
		rcu_barrier();
		flush_workqueue(lunatik_wq);
		lunatik_stats_get(&allocs, &bytes);
		if (allocs == last_allocs && bytes == last_bytes)
			idle++;
		else
			idle = 0;
		last_allocs = allocs;
		last_bytes = bytes;
	}
}

int lunatik_object_init(void)
{
	lunatik_wq = alloc_workqueue("lunatik", WQ_UNBOUND, 0);
	return lunatik_wq ? 0 : -ENOMEM;
}

void lunatik_object_exit(void)
{
	destroy_workqueue(lunatik_wq);	/* drains it first */
}
