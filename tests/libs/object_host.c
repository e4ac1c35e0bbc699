// SPDX-License-Identifier: GPL-2.0
/*
 * object_host.c - the lunatik.h object API for host builds of kmod/lib, so
 * the pure libraries (data) run under lunatik-lua-like test drivers.
 *
 * Single-threaded: locks are no-ops. Same userdata layout and metatable
 * rules as the kernel (kmod/object.c): a userdata holds the object pointer,
 * NULL once closed; one metatable per class name, out of scripts' reach
 * (__metatable; methods in a separate __index table unless the class has
 * its own __index); "__lunatik" names the class.
 */
#include <stdlib.h>
#include <string.h>

#include "lunatik.h"

void *lunatik_malloc(size_t size, gfp_t gfp)
{
	(void)gfp;
	return malloc(size ? size : 1);
}

void *lunatik_zalloc(size_t size, gfp_t gfp)
{
	(void)gfp;
	return calloc(1, size ? size : 1);
}

void lunatik_free(const void *ptr)
{
	free((void *)ptr);
}

gfp_t lunatik_gfp(lua_State *L)
{
	(void)L;
	return 0;
}

bool lunatik_cansleep(lua_State *L)
{
	(void)L;
	return true;
}

lunatik_object_t *lunatik_object_new(const struct lunatik_class *class,
				     size_t size, gfp_t gfp)
{
	lunatik_object_t *obj = lunatik_zalloc(sizeof(*obj) + size, gfp);

	if (obj == NULL)
		return NULL;
	obj->kref.refcount = 1;
	obj->class = class;
	obj->private = size ? obj + 1 : NULL;
	obj->sleep = class->sleep;
	return obj;
}

void lunatik_object_get(lunatik_object_t *obj)
{
	obj->kref.refcount++;
}

int lunatik_object_put(lunatik_object_t *obj)
{
	if (--obj->kref.refcount)
		return 0;
	if (obj->class->release)
		obj->class->release(obj->private);
	lunatik_free(obj);
	return 1;
}

void lunatik_object_lock(lunatik_object_t *obj)
{
	(void)obj;
}

void lunatik_object_unlock(lunatik_object_t *obj)
{
	(void)obj;
}

/* our userdata (any class) at @idx, or NULL, as object.c's lunatik_toud */
static lunatik_object_t **host_toud(lua_State *L, int idx)
{
	const struct lunatik_class *class;

	if (lua_type(L, idx) != LUA_TUSERDATA || !lua_getmetatable(L, idx))
		return NULL;
	lua_getfield(L, -1, "__lunatik");
	class = lua_touserdata(L, -1);
	lua_pop(L, 2);
	return class != NULL ? luaL_testudata(L, idx, class->name) : NULL;
}

static int host_object_gc(lua_State *L)
{
	lunatik_object_t **ud = host_toud(L, 1);

	if (ud == NULL)
		return luaL_typeerror(L, 1, "lunatik object");
	if (*ud != NULL) {
		lunatik_object_put(*ud);
		*ud = NULL;
	}
	return 0;
}

static lunatik_object_t **host_newud(lua_State *L,
				     const struct lunatik_class *class)
{
	lunatik_object_t **ud = lua_newuserdatauv(L, sizeof(*ud), 0);
	const luaL_Reg *r;

	*ud = NULL;
	if (luaL_newmetatable(L, class->name)) {
		lua_newtable(L);	/* methods; "__" names go to the metatable */
		for (r = class->methods; r && r->name; r++) {
			lua_pushcfunction(L, r->func);
			lua_setfield(L, strncmp(r->name, "__", 2) ? -2 : -3, r->name);
		}
		if (lua_getfield(L, -2, "__index") == LUA_TNIL) {
			lua_pop(L, 1);
			lua_setfield(L, -2, "__index");
		} else {
			lua_pop(L, 2);
		}
		lua_pushcfunction(L, host_object_gc);
		lua_setfield(L, -2, "__gc");
		lua_pushcfunction(L, host_object_gc);
		lua_setfield(L, -2, "__close");
		lua_pushstring(L, class->name);
		lua_setfield(L, -2, "__metatable");
		lua_pushlightuserdata(L, (void *)class);
		lua_setfield(L, -2, "__lunatik");
	}
	lua_setmetatable(L, -2);
	return ud;
}

lunatik_object_t *lunatik_newobject(lua_State *L,
				    const struct lunatik_class *class,
				    size_t size)
{
	lunatik_object_t **ud = host_newud(L, class);

	*ud = lunatik_object_new(class, size, 0);
	if (*ud == NULL)
		luaL_error(L, "not enough memory");
	return *ud;
}

void lunatik_pushobject(lua_State *L, lunatik_object_t *obj)
{
	lunatik_object_t **ud = host_newud(L, obj->class);

	lunatik_object_get(obj);
	*ud = obj;
}

lunatik_object_t *lunatik_checkobject(lua_State *L, int idx,
				      const struct lunatik_class *class)
{
	lunatik_object_t **ud = luaL_checkudata(L, idx, class->name);

	if (*ud == NULL)
		luaL_argerror(L, idx, "object is closed");
	return *ud;
}

lunatik_object_t *lunatik_toobject(lua_State *L, int idx)
{
	lunatik_object_t **ud = host_toud(L, idx);

	return ud != NULL ? *ud : NULL;
}
