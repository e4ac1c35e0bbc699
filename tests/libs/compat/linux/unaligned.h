/* SPDX-License-Identifier: GPL-2.0 */
/* Host build of kmod/lib: unaligned access through memcpy (one mov on x86). */
#ifndef LUNATIK_HOST_LINUX_UNALIGNED_H
#define LUNATIK_HOST_LINUX_UNALIGNED_H

#include <string.h>

#define get_unaligned(p) ({					\
	__typeof__(*(p)) __v;					\
	memcpy(&__v, (p), sizeof(__v));				\
	__v; })

#define put_unaligned(v, p) do {				\
	__typeof__(*(p)) __v = (v);				\
	memcpy((p), &__v, sizeof(__v));				\
} while (0)

#endif
