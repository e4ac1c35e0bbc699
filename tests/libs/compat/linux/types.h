/* SPDX-License-Identifier: GPL-2.0 */
/* Host build of kmod/lib: the kernel types the libraries use. */
#ifndef LUNATIK_HOST_LINUX_TYPES_H
#define LUNATIK_HOST_LINUX_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef int8_t s8;
typedef uint16_t u16;
typedef int16_t s16;
typedef uint32_t u32;
typedef int32_t s32;
typedef uint64_t u64;
typedef int64_t s64;
typedef unsigned int gfp_t;

#endif
