/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * lkgc.c - let the collector see memory a userdata holds outside the state.
 *
 * A data.new(1 MiB) object is a few dozen bytes of userdata to Lua; the
 * buffer is a kernel allocation freed by the userdata's finalizer. Left
 * alone, the collector would pace itself by the small userdata and let
 * garbage buffers pile up to the runtime's memory cap. Adding the external
 * size to the GC debt makes the next collection step do the work it would
 * do had Lua allocated those bytes itself. Only the pacing changes: steps
 * still run where they always run, at Lua allocations.
 */
#include "lstate.h"

void lunatik_lua_gcdebt(lua_State *L, size_t bytes);

void lunatik_lua_gcdebt(lua_State *L, size_t bytes)
{
	global_State *g = G(L);
	l_mem debt = bytes > (size_t)MAX_LMEM / 2 ? MAX_LMEM / 2 : (l_mem)bytes;

	if (g->GCdebt < MAX_LMEM / 2)
		luaE_setdebt(g, g->GCdebt + debt);
}
