/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* <assert.h> for Lua compiled with -nostdinc in the kernel */
#ifndef LUNATIK_KLIBC_ASSERT_H
#define LUNATIK_KLIBC_ASSERT_H

/*
 * Lua's internal checks (lua_assert, luai_apicheck) are compiled out
 * unless LUAI_ASSERT / LUA_USE_APICHECK is defined, which we never do in
 * the kernel: a failed check there could only BUG(). Keep assert() a
 * no-op that still type-checks its argument.
 */
#define assert(c)	((void)sizeof(!(c)))

#endif
