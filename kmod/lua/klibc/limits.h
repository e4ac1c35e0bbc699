/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* <limits.h> for Lua compiled with -nostdinc in the kernel */
#ifndef LUNATIK_KLIBC_LIMITS_H
#define LUNATIK_KLIBC_LIMITS_H

/*
 * The kernel's limits are casts ((int)(~0U >> 1)), which the preprocessor
 * cannot evaluate, and Lua tests them in #if. Take the kernel header first
 * (its include guard keeps it from coming back) and then restate the
 * values as plain literals (x86_64 and arm64: LP64, 8-bit chars).
 */
#include <linux/limits.h>

#undef SHRT_MAX
#undef SHRT_MIN
#undef USHRT_MAX
#undef INT_MAX
#undef INT_MIN
#undef UINT_MAX
#undef LONG_MAX
#undef LONG_MIN
#undef ULONG_MAX
#undef LLONG_MAX
#undef LLONG_MIN
#undef ULLONG_MAX

#define CHAR_BIT	8
#define SCHAR_MAX	127
#define SCHAR_MIN	(-128)
#define UCHAR_MAX	255
#define SHRT_MAX	32767
#define SHRT_MIN	(-SHRT_MAX - 1)
#define USHRT_MAX	65535
#define INT_MAX		2147483647
#define INT_MIN		(-INT_MAX - 1)
#define UINT_MAX	4294967295U
#define LONG_MAX	9223372036854775807L
#define LONG_MIN	(-LONG_MAX - 1L)
#define ULONG_MAX	18446744073709551615UL
#define LLONG_MAX	9223372036854775807LL
#define LLONG_MIN	(-LLONG_MAX - 1LL)
#define ULLONG_MAX	18446744073709551615ULL

#endif
