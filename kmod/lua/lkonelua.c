/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * lkonelua.c - all of the kernel's Lua as one translation unit.
 *
 * Lua's core calls its noreturn error functions (luaG_runerror,
 * luaD_throw, ...) across files. When objtool checks each object on its
 * own (kernels without IBT, e.g. Debian's 6.1), such a call at the end of
 * a function looks like falling into the next one. Compiled as one
 * object, every noreturn callee is visible to objtool. Lua supports being
 * built this way (it keeps its static names distinct across files).
 */
#define LUNATIK_LUA_ONE

#include "lprefix.h"

/* core */
#include "lapi.c"
#include "lcode.c"
#include "lctype.c"
#include "ldebug.c"
#include "ldo.c"
#include "ldump.c"
#include "lfunc.c"
#include "lgc.c"
#include "llex.c"
#include "lmem.c"
#include "lobject.c"
#include "lopcodes.c"
#include "lparser.c"
#include "lstate.c"
#include "lstring.c"
#include "ltable.c"
#include "ltm.c"
#include "lvm.c"
#include "lzio.c"

/* libraries */
#include "lauxlib.c"
#include "lbaselib.c"
#include "lcorolib.c"
#include "ldblib.c"
#include "lkinit.c"
#include "lkgc.c"
#include "lkwork.c"
#include "lkmathlib.c"
#include "loadlib.c"
#include "lstrlib.c"
#include "ltablib.c"
#include "lutf8lib.c"
