/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * <string.h> for Lua compiled with -nostdinc in the kernel:
 * linux/string.h plus strcoll (bytewise: no locales) and strerror
 */
#ifndef LUNATIK_KLIBC_STRING_H
#define LUNATIK_KLIBC_STRING_H

#include <linux/string.h>

#define strcoll(a, b)	strcmp((a), (b))

/* a short description of a positive errno value; never NULL */
const char *lunatik_lua_strerror(int err);
#define strerror(err)	lunatik_lua_strerror(err)

#endif
