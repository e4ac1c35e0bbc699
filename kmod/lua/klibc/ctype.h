/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * <ctype.h> for Lua compiled with -nostdinc in the kernel:
 * the kernel's ASCII classification
 */
#ifndef LUNATIK_KLIBC_CTYPE_H
#define LUNATIK_KLIBC_CTYPE_H

#include <linux/ctype.h>

#endif
