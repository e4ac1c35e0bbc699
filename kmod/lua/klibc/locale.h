/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * <locale.h> for Lua compiled with -nostdinc in the kernel:
 * nothing: luaconf.h fixes the decimal point to '.'
 */
#ifndef LUNATIK_KLIBC_LOCALE_H
#define LUNATIK_KLIBC_LOCALE_H

#endif
