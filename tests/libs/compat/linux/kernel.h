/* SPDX-License-Identifier: GPL-2.0 */
/* Host build of kmod/lib: compiler helpers from <linux/kernel.h>. */
#ifndef LUNATIK_HOST_LINUX_KERNEL_H
#define LUNATIK_HOST_LINUX_KERNEL_H

#include <string.h>
#include <linux/types.h>

#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)
#define noinline		__attribute__((__noinline__))
#ifndef __always_inline		/* glibc's <sys/cdefs.h> may have it */
#define __always_inline		inline __attribute__((__always_inline__))
#endif
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))

#endif
