/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * <stdarg.h> for Lua compiled with -nostdinc in the kernel:
 * va_list and friends
 */
#ifndef LUNATIK_KLIBC_STDARG_H
#define LUNATIK_KLIBC_STDARG_H

#include <linux/stdarg.h>

#endif
