// SPDX-License-Identifier: GPL-2.0
/*
 * luadata.c - the "data" Lua library: bounds-checked access to raw memory.
 *
 *   d = data.new(size)          zeroed buffer owned by the object
 *   d:get<T>(off) / d:set<T>(off, v)
 *       T = number (lua_Integer), byte, int8, uint8, int16, uint16, int32,
 *           uint32, int64; integers in host byte order, any alignment
 *   d:getstring(off [, len])    len defaults to "up to the end"
 *   d:setstring(off, s)
 *   #d, tostring(d)             size, and the bytes as a Lua string
 *
 * Hooks expose packets through the C API in luadata.h (external memory,
 * reset per call, cleared when the hook returns).
 *
 * Cost: the per-byte accessor dominates a packet script (DESIGN §7), so the
 * type check is a metatable pointer compare against an upvalue of the
 * method closure (the metatable's address as a light userdata: the table
 * itself would hand it to debug.getupvalue) plus a type-tag test, instead
 * of luaL_checkudata's registry lookup (which hashes the class name on
 * every call). It is safe: a full userdata's metatable can only be set from
 * C, and only the core's object code gives one the data metatable. The bounds check is two compares on
 * the unsigned offset.
 *
 * Locking: none per access. The memory of a data.new() object lives as long
 * as any reference does (kref), so a read or write from any runtime stays
 * inside a live buffer; concurrent writers can only tear values, as in
 * Lunatik. External objects are confined to the runtime that owns them and
 * reset/cleared under its lock (see luadata.h), so they need none either.
 */
#include <linux/kernel.h>
#include <linux/version.h>
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

#include "lunatik.h"
#include "lualibs.h"
#include "luadata.h"

/* Bytes data.new() accepts: keeps the payload a modest kmalloc. */
#define LUADATA_MAX_SIZE	(1U << 20)

#define LUADATA_EXTERNAL	(1U << 1)

/**
 * struct luadata - payload of a data object
 * @ptr:   first byte; NULL once an external object is cleared
 * @size:  bytes accessible from @ptr
 * @flags: LUADATA_READONLY, LUADATA_EXTERNAL
 *
 * For data.new() objects the buffer follows this struct in the payload.
 */
struct luadata {
	u8 *ptr;
	size_t size;
	unsigned int flags;
};

static const struct lunatik_class luadata_class;

static void luadata_setfast(lua_State *L, int idx);

/* Slow path: not our metatable (wrong type, or a state not yet set up). */
static noinline struct luadata *luadata_checkslow(lua_State *L)
{
	lunatik_checkobject(L, 1, &luadata_class);
	luadata_setfast(L, 1);
	/*
	 * Check again: setfast allocates, so a finalizer may have run and
	 * closed this very userdata (freeing the object with it).
	 */
	return lunatik_checkobject(L, 1, &luadata_class)->private;
}

/*
 * A userdata of a lunatik object holds just the object pointer, NULL once
 * closed (object.c); a closed object takes the slow path, which raises.
 * The type test matters even after the metatable matched: Lua code can
 * give the data metatable to a table (setmetatable) or to every light
 * userdata (debug.setmetatable).
 */
static __always_inline struct luadata *luadata_check(lua_State *L)
{
	if (likely(lua_getmetatable(L, 1))) {
		if (likely(lua_topointer(L, -1) ==
			   lua_touserdata(L, lua_upvalueindex(1)) &&
			   lua_type(L, 1) == LUA_TUSERDATA)) {
			lunatik_object_t *obj;

			lua_pop(L, 1);
			obj = *(lunatik_object_t **)lua_touserdata(L, 1);
			if (likely(obj != NULL))
				return obj->private;
		} else {
			lua_pop(L, 1);
		}
	}
	return luadata_checkslow(L);
}

static noinline int luadata_rangeerror(lua_State *L, struct luadata *d,
				       lua_Integer off)
{
	if (d->ptr == NULL)
		return luaL_error(L, "data object is no longer valid");
	return luaL_argerror(L, 2, lua_pushfstring(L,
			"offset %I out of bounds (size %I)",
			(LUAI_UACINT)off, (LUAI_UACINT)d->size));
}

static noinline int luadata_readonlyerror(lua_State *L)
{
	return luaL_error(L, "data object is read-only");
}

/* Offset of a @width-byte access, or a Lua error naming it. */
static __always_inline size_t luadata_checkoffset(lua_State *L,
						  struct luadata *d,
						  size_t width)
{
	lua_Integer off = luaL_checkinteger(L, 2);

	if (unlikely(d->size < width || (lua_Unsigned)off > d->size - width))
		luadata_rangeerror(L, d, off);
	return (size_t)off;
}

static __always_inline void luadata_checkwritable(lua_State *L,
						  struct luadata *d)
{
	if (unlikely(d->flags & LUADATA_READONLY))
		luadata_readonlyerror(L);
}

#define LUADATA_ACCESSORS(name, T)					\
static int luadata_get##name(lua_State *L)				\
{									\
	struct luadata *d = luadata_check(L);				\
	size_t off = luadata_checkoffset(L, d, sizeof(T));		\
									\
	lua_pushinteger(L, (lua_Integer)get_unaligned((T *)(d->ptr + off))); \
	return 1;							\
}									\
									\
static int luadata_set##name(lua_State *L)				\
{									\
	struct luadata *d = luadata_check(L);				\
	size_t off = luadata_checkoffset(L, d, sizeof(T));		\
	T v = (T)luaL_checkinteger(L, 3);				\
									\
	luadata_checkwritable(L, d);					\
	put_unaligned(v, (T *)(d->ptr + off));				\
	return 0;							\
}

LUADATA_ACCESSORS(number, s64)
LUADATA_ACCESSORS(byte, u8)
LUADATA_ACCESSORS(int8, s8)
LUADATA_ACCESSORS(uint8, u8)
LUADATA_ACCESSORS(int16, s16)
LUADATA_ACCESSORS(uint16, u16)
LUADATA_ACCESSORS(int32, s32)
LUADATA_ACCESSORS(uint32, u32)
LUADATA_ACCESSORS(int64, s64)

static int luadata_getstring(lua_State *L)
{
	struct luadata *d = luadata_check(L);
	lua_Integer off = luaL_checkinteger(L, 2);
	lua_Integer len;

	if (unlikely(d->ptr == NULL || (lua_Unsigned)off > d->size))
		return luadata_rangeerror(L, d, off);
	len = luaL_optinteger(L, 3, (lua_Integer)(d->size - (size_t)off));
	if (unlikely((lua_Unsigned)len > d->size - (size_t)off))
		return luaL_argerror(L, 3, lua_pushfstring(L,
				"length %I out of bounds (offset %I, size %I)",
				(LUAI_UACINT)len, (LUAI_UACINT)off,
				(LUAI_UACINT)d->size));
	lua_pushlstring(L, (const char *)d->ptr + off, (size_t)len);
	return 1;
}

static int luadata_setstring(lua_State *L)
{
	size_t len;
	/*
	 * First: converting a number allocates, and a finalizer run by that
	 * allocation may close the object at 1; look it up only afterwards.
	 */
	const char *s = luaL_checklstring(L, 3, &len);
	struct luadata *d = luadata_check(L);
	lua_Integer off = luaL_checkinteger(L, 2);

	if (unlikely(d->ptr == NULL || (lua_Unsigned)off > d->size))
		return luadata_rangeerror(L, d, off);
	if (unlikely(len > d->size - (size_t)off))
		return luaL_argerror(L, 3, lua_pushfstring(L,
				"length %I out of bounds (offset %I, size %I)",
				(LUAI_UACINT)len, (LUAI_UACINT)off,
				(LUAI_UACINT)d->size));
	luadata_checkwritable(L, d);
	memcpy(d->ptr + off, s, len);
	return 0;
}

/* Metamethods are called without our upvalue: take the checked path. */
static struct luadata *luadata_checkvalid(lua_State *L)
{
	struct luadata *d = lunatik_checkobject(L, 1, &luadata_class)->private;

	if (d->ptr == NULL)
		luaL_error(L, "data object is no longer valid");
	return d;
}

static int luadata_len(lua_State *L)
{
	lua_pushinteger(L, (lua_Integer)luadata_checkvalid(L)->size);
	return 1;
}

static int luadata_tostring(lua_State *L)
{
	struct luadata *d = luadata_checkvalid(L);

	lua_pushlstring(L, (const char *)d->ptr, d->size);
	return 1;
}

#define LUADATA_METHOD(name)			\
	{"get" #name, luadata_get##name},	\
	{"set" #name, luadata_set##name}

/* Methods reached through __index: closures with the metatable upvalue. */
static const luaL_Reg luadata_methods[] = {
	LUADATA_METHOD(number),
	LUADATA_METHOD(byte),
	LUADATA_METHOD(string),
	LUADATA_METHOD(int8),
	LUADATA_METHOD(uint8),
	LUADATA_METHOD(int16),
	LUADATA_METHOD(uint16),
	LUADATA_METHOD(int32),
	LUADATA_METHOD(uint32),
	LUADATA_METHOD(int64),
	{NULL, NULL}
};

/* What the core installs in the metatable: the methods and metamethods. */
static const luaL_Reg luadata_classmethods[] = {
	LUADATA_METHOD(number),
	LUADATA_METHOD(byte),
	LUADATA_METHOD(string),
	LUADATA_METHOD(int8),
	LUADATA_METHOD(uint8),
	LUADATA_METHOD(int16),
	LUADATA_METHOD(uint16),
	LUADATA_METHOD(int32),
	LUADATA_METHOD(uint32),
	LUADATA_METHOD(int64),
	{"__len", luadata_len},
	{"__tostring", luadata_tostring},
	{NULL, NULL}
};

static const struct lunatik_class luadata_class = {
	.name = "data",
	.methods = luadata_classmethods,
	.release = NULL,	/* the buffer is part of the payload */
	.sleep = false,		/* usable from softirq sets */
};

/*
 * Point the data metatable of this state (that of the data object at @idx)
 * at a method table whose closures carry the metatable's address as
 * upvalue 1, once
 * per state. Until then (an object that arrived from another runtime before
 * any data object was created here) methods take the checked slow path,
 * which calls this.
 */
static void luadata_setfast(lua_State *L, int idx)
{
	if (!lua_getmetatable(L, idx))
		return;
	if (lua_rawgetp(L, -1, &luadata_class) == LUA_TNIL) {
		lua_pop(L, 1);
		luaL_checkstack(L, 3, NULL);
		lua_createtable(L, 0, ARRAY_SIZE(luadata_methods) - 1);
		lua_pushlightuserdata(L, (void *)lua_topointer(L, -2));
		luaL_setfuncs(L, luadata_methods, 1);
		lua_setfield(L, -2, "__index");
		lua_pushboolean(L, 1);
		lua_rawsetp(L, -2, &luadata_class);
	} else {
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
}

static lunatik_object_t *luadata_push(lua_State *L, size_t extra)
{
	lunatik_object_t *obj = lunatik_newobject(L, &luadata_class,
						  sizeof(struct luadata) + extra);

	luadata_setfast(L, -1);
	return obj;
}

static int luadata_lnew(lua_State *L)
{
	lua_Integer size = luaL_checkinteger(L, 1);
	struct luadata *d;

	luaL_argcheck(L, size >= 0 && size <= LUADATA_MAX_SIZE, 1,
		      "size out of range");
	d = luadata_push(L, (size_t)size)->private;
	d->ptr = (u8 *)(d + 1);
	d->size = (size_t)size;
	d->flags = 0;
	return 1;
}

lunatik_object_t *luadata_new(lua_State *L, void *ptr, size_t size,
			      unsigned int flags)
{
	lunatik_object_t *obj = luadata_push(L, 0);

	luadata_reset(obj, ptr, size, flags);
	return obj;
}

void luadata_reset(lunatik_object_t *obj, void *ptr, size_t size,
		   unsigned int flags)
{
	struct luadata *d = obj->private;

	d->ptr = ptr;
	d->size = ptr != NULL ? size : 0;
	d->flags = LUADATA_EXTERNAL | (flags & LUADATA_READONLY);
}

void luadata_clear(lunatik_object_t *obj)
{
	luadata_reset(obj, NULL, 0, LUADATA_READONLY);
}

bool luadata_isexternal(const lunatik_object_t *obj)
{
	const struct luadata *d = obj->private;

	return obj->class == &luadata_class && (d->flags & LUADATA_EXTERNAL);
}

static const luaL_Reg luadata_lib[] = {
	{"new", luadata_lnew},
	{NULL, NULL}
};

/**
 * luaopen_data - open the "data" library
 * @L: the Lua state requiring it
 *
 * Return: 1 (the library table).
 */
int luaopen_data(lua_State *L)
{
	luaL_newlib(L, luadata_lib);
	return 1;
}
