/* SPDX-License-Identifier: GPL-2.0 */
/* Host build of kmod/lib: single-threaded stand-ins for kernel locking. */
#ifndef LUNATIK_HOST_LINUX_KREF_H
#define LUNATIK_HOST_LINUX_KREF_H

#include <linux/types.h>

struct kref {
	unsigned int refcount;
};

struct mutex {
	int unused;
};

typedef struct {
	int unused;
} spinlock_t;

#endif
