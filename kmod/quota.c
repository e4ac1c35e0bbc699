// SPDX-License-Identifier: GPL-2.0
/*
 * quota.c - the memory cap of a runtime, shared with what it creates.
 *
 * A script reaches kernel memory in more ways than its lua_State: data.new()
 * buffers, rcu table entries, runtimes created from Lua (each with a state of
 * its own), threads. All of it is charged to one quota, so a loop of
 * data.new() or lunatik.runtime() ends in a Lua memory error at the cap
 * instead of exhausting the kernel.
 *
 * Who pays: a set instance owns a quota (limit = the set's memory cap);
 * runtimes created from Lua share their creator's; kernel objects and rcu
 * entries are charged to the runtime that created them, and hold a quota
 * reference until they are freed, because they may outlive that runtime
 * (kept in an rcu table, passed to another runtime).
 *
 * The counter is atomic: charges come from the owner's Lua allocator (under
 * its lock), from Lua-made runtimes (under theirs) and from releases in any
 * context. A quota belongs to one CPU instance, so the line does not bounce.
 */
#include <linux/atomic.h>
#include <linux/refcount.h>

#include "lunatik_internal.h"

struct lunatik_quota {
	refcount_t ref;
	atomic_long_t used;
	long limit;
};

/**
 * lunatik_quota_new - a quota of @limit bytes with one reference
 */
struct lunatik_quota *lunatik_quota_new(size_t limit)
{
	struct lunatik_quota *q = lunatik_malloc(sizeof(*q), GFP_KERNEL);

	if (!q)
		return NULL;
	refcount_set(&q->ref, 1);
	atomic_long_set(&q->used, 0);
	q->limit = min_t(size_t, limit, LONG_MAX);
	return q;
}

void lunatik_quota_get(struct lunatik_quota *q)
{
	refcount_inc(&q->ref);
}

/* Any context: the quota is a small kmalloc block. */
void lunatik_quota_put(struct lunatik_quota *q)
{
	if (refcount_dec_and_test(&q->ref)) {
		WARN_ON_ONCE(atomic_long_read(&q->used));
		lunatik_free(q);
	}
}

/**
 * lunatik_quota_charge - account @bytes more, unless that passes the limit
 *
 * Return: true when charged. Concurrent chargers may briefly overshoot in
 * the counter, never in what they are granted.
 */
bool lunatik_quota_charge(struct lunatik_quota *q, size_t bytes)
{
	if (bytes > (size_t)q->limit)
		return false;
	if (atomic_long_add_return((long)bytes, &q->used) > q->limit) {
		atomic_long_sub((long)bytes, &q->used);
		return false;
	}
	return true;
}

void lunatik_quota_uncharge(struct lunatik_quota *q, size_t bytes)
{
	atomic_long_sub((long)bytes, &q->used);
}

size_t lunatik_quota_used(const struct lunatik_quota *q)
{
	return atomic_long_read(&q->used);
}

/**
 * lunatik_charge - see lunatik.h
 */
struct lunatik_quota *lunatik_charge(lua_State *L, size_t bytes)
{
	struct lunatik_quota *q = lunatik_toruntime(L)->quota;

	/*
	 * No emergency collection here, unlike Lua at its own cap: finalizers
	 * it runs could close objects the caller holds raw pointers to.
	 */
	if (!lunatik_quota_charge(q, bytes))
		luaL_error(L, "not enough memory");
	lunatik_quota_get(q);
	return q;
}

/**
 * lunatik_uncharge - see lunatik.h
 */
void lunatik_uncharge(struct lunatik_quota *q, size_t bytes)
{
	if (!q)
		return;
	lunatik_quota_uncharge(q, bytes);
	lunatik_quota_put(q);
}
