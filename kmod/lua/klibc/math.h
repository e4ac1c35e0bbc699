/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * <math.h> for Lua compiled with -nostdinc in the kernel:
 * nothing: no floating point in the kernel, any use fails to compile
 */
#ifndef LUNATIK_KLIBC_MATH_H
#define LUNATIK_KLIBC_MATH_H

#endif
