/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * <float.h> for Lua compiled with -nostdinc in the kernel:
 * nothing: lua_Number is an integer, luaconf.h answers l_floatatt
 */
#ifndef LUNATIK_KLIBC_FLOAT_H
#define LUNATIK_KLIBC_FLOAT_H

#endif
