/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * <stddef.h> for Lua compiled with -nostdinc in the kernel:
 * offsetof, size_t, ptrdiff_t, NULL
 */
#ifndef LUNATIK_KLIBC_STDDEF_H
#define LUNATIK_KLIBC_STDDEF_H

#include <linux/stddef.h>
#include <linux/types.h>

#endif
