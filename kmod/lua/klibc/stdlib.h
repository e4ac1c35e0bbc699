/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * <stdlib.h> for Lua compiled with -nostdinc in the kernel:
 * heap, abort and getenv for lauxlib and loadlib
 */
#ifndef LUNATIK_KLIBC_STDLIB_H
#define LUNATIK_KLIBC_STDLIB_H

#include <linux/compiler.h>
#include <linux/kernel.h>	/* abs(), panic(), and its abort() before our macro */
#include <linux/types.h>

/*
 * Only luaL_newstate's default allocator uses these (GFP_KERNEL, in
 * lklibc.c). The runtime passes its own lua_Alloc (GFP flags, memory cap).
 * Out of line on purpose: <linux/slab.h> would define 'current', which
 * Lua's lexer uses as a field name.
 */
void *realloc(void *ptr, size_t size);
void free(void *ptr);

/* no environment in the kernel: package.path is set by the runtime */
static inline char *getenv(const char *name)
{
	return NULL;
}

/*
 * Not the kernel's abort() (a BUG()). Lua calls abort() only when an error
 * is raised with no protected call active in the state (luaD_throw), after
 * the lua_atpanic handler returned. Lua cannot go on: the raising function
 * has no way to return. The runtime makes this unreachable by entering Lua
 * only through lua_pcall (lua_pushcfunction and lua_pushlightuserdata
 * before it never raise) and should set a lua_atpanic handler that logs;
 * if a bug still gets here, stop with a clear message rather than run on
 * with a corrupted state and a lock held. Inline, so that objtool sees the
 * call to panic() (a known noreturn) from Lua's own object.
 */
static inline void __noreturn lunatik_lua_abort(void)
{
	panic("lua: error raised outside a protected call\n");
}
/* object-like, so the kernel's own "void abort(void);" is renamed too */
#define abort	lunatik_lua_abort

#endif
