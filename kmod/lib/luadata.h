/* SPDX-License-Identifier: GPL-2.0 */
/*
 * luadata.h - data objects over memory the kernel owns (packet buffers),
 * for the hooks (netfilter, xtables, XDP) that hand packets to Lua.
 *
 * A hook creates its data object once, in process context, when it is
 * registered, keeps it referenced (e.g. in the registry), and per call:
 *
 *	luadata_reset(d, skb->data, len, LUADATA_RW);
 *	... call the Lua function with d ...
 *	luadata_clear(d);
 *
 * reset/clear and every Lua access happen under the lock of the runtime
 * that owns the object, so an access never sees a half-updated object.
 * After clear, any access raises "data object is no longer valid" and never
 * dereferences the old pointer. Such "external" data objects must not leave
 * their runtime: the rcu library refuses to store them, and anything else
 * that passes objects between runtimes must check luadata_isexternal().
 */
#ifndef LUNATIK_LUADATA_H
#define LUNATIK_LUADATA_H

#include <linux/types.h>

#include "lunatik.h"

#define LUADATA_RW		0
#define LUADATA_READONLY	(1U << 0)

/**
 * luadata_new - push a data object over external memory
 * @L:     the Lua state that will own it
 * @ptr:   first byte (may be NULL with @size 0: an invalid object)
 * @size:  number of bytes readable from @ptr
 * @flags: LUADATA_RW or LUADATA_READONLY
 *
 * The object never frees @ptr. Raises a Lua memory error on failure.
 * Return: the new object, also pushed on L's stack (one reference, held
 * by the userdata).
 */
lunatik_object_t *luadata_new(lua_State *L, void *ptr, size_t size,
			      unsigned int flags);

/**
 * luadata_reset - point an external data object at new memory
 * @obj:   an object from luadata_new()
 * @ptr:   first byte
 * @size:  number of bytes
 * @flags: LUADATA_RW or LUADATA_READONLY
 *
 * Caller holds the lock of the runtime owning @obj. Never sleeps.
 */
void luadata_reset(lunatik_object_t *obj, void *ptr, size_t size,
		   unsigned int flags);

/**
 * luadata_clear - invalidate an external data object
 * @obj: an object from luadata_new()
 *
 * Caller holds the lock of the runtime owning @obj. Never sleeps.
 */
void luadata_clear(lunatik_object_t *obj);

/**
 * luadata_isexternal - whether @obj is a data object over external memory
 * @obj: any lunatik object
 *
 * Return: true for objects from luadata_new(), which must not be handed to
 * another runtime; false for any other object (including data.new ones).
 */
bool luadata_isexternal(const lunatik_object_t *obj);

#endif /* LUNATIK_LUADATA_H */
