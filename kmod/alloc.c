// SPDX-License-Identifier: GPL-2.0
/*
 * alloc.c - every byte the module allocates, and the Lua allocator.
 *
 * Module-wide accounting (LUNATIK_CMD_STATS) counts live allocations and
 * their bytes, for Lua memory and for lunatik_malloc() alike, so a leak test
 * compares two readings. The counters are per CPU: the Lua allocator runs on
 * the packet path of every CPU and must not bounce a shared cache line; the
 * sum is exact once the module is quiescent.
 */
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/atomic.h>

#include "lunatik_internal.h"

/*
 * Blocks up to this size always come from kmalloc; bigger ones from
 * kvmalloc when the caller may sleep (vmalloc cannot be used in atomic
 * context), so a large table does not need a high-order page block.
 */
#define LUNATIK_KMALLOC_MAX	(2 * PAGE_SIZE)

struct lunatik_pcpu_stats {
	s64 allocs;
	s64 bytes;
};

static DEFINE_PER_CPU(struct lunatik_pcpu_stats, lunatik_pcpu_stats);
static atomic_t lunatik_nruntimes = ATOMIC_INIT(0);
static atomic_t lunatik_nsets = ATOMIC_INIT(0);

static inline void lunatik_account(s64 allocs, s64 bytes)
{
	/* this_cpu ops are safe against preemption and interrupts */
	this_cpu_add(lunatik_pcpu_stats.allocs, allocs);
	this_cpu_add(lunatik_pcpu_stats.bytes, bytes);
}

void lunatik_stats_get(u64 *allocs, u64 *bytes)
{
	s64 a = 0, b = 0;
	int cpu;

	for_each_possible_cpu(cpu) {
		const struct lunatik_pcpu_stats *s = per_cpu_ptr(&lunatik_pcpu_stats, cpu);

		a += READ_ONCE(s->allocs);
		b += READ_ONCE(s->bytes);
	}
	*allocs = a;
	*bytes = b;
}

void lunatik_stats_runtime(int delta)
{
	atomic_add(delta, &lunatik_nruntimes);
}

void lunatik_stats_set(int delta)
{
	atomic_add(delta, &lunatik_nsets);
}

unsigned int lunatik_stats_nruntimes(void)
{
	return atomic_read(&lunatik_nruntimes);
}

unsigned int lunatik_stats_nsets(void)
{
	return atomic_read(&lunatik_nsets);
}

static void *lunatik_raw_alloc(size_t size, gfp_t gfp)
{
	gfp |= __GFP_NOWARN;
	if (size > LUNATIK_KMALLOC_MAX && gfpflags_allow_blocking(gfp))
		return kvmalloc(size, gfp);
	return kmalloc(size, gfp);
}

/*
 * lunatik_malloc() blocks carry their size in a header so lunatik_free()
 * can account for them; the header keeps the payload 16-byte aligned.
 */
struct lunatik_hdr {
	size_t size;
} __aligned(16);

/**
 * lunatik_malloc - allocate @size bytes, counted in the module statistics
 * @size: bytes wanted
 * @gfp:  allocation flags of the calling context
 *
 * Return: the block, or NULL. Never warns on failure.
 */
void *lunatik_malloc(size_t size, gfp_t gfp)
{
	struct lunatik_hdr *h;

	if (size > SIZE_MAX - sizeof(*h))
		return NULL;
	h = lunatik_raw_alloc(size + sizeof(*h), gfp);
	if (!h)
		return NULL;
	h->size = size;
	lunatik_account(1, size);
	return h + 1;
}

/**
 * lunatik_zalloc - lunatik_malloc() returning zeroed memory
 */
void *lunatik_zalloc(size_t size, gfp_t gfp)
{
	return lunatik_malloc(size, gfp | __GFP_ZERO);
}

/**
 * lunatik_free - free a block from lunatik_malloc() (NULL is ignored)
 */
void lunatik_free(const void *ptr)
{
	const struct lunatik_hdr *h;

	if (!ptr)
		return;
	h = (const struct lunatik_hdr *)ptr - 1;
	lunatik_account(-1, -(s64)h->size);
	kvfree(h);
}

/**
 * lunatik_lua_alloc - the lua_Alloc of every runtime (@ud is the runtime)
 *
 * Enforces the runtime's memory cap (its quota, see quota.c): growing past it
 * returns NULL, which Lua turns into a "not enough memory" error after an
 * emergency collection.
 * Shrinking a kmalloc block goes through krealloc(), which shrinks in place
 * and so cannot fail.
 */
void *lunatik_lua_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	struct lunatik_runtime *rt = ud;
	size_t old = ptr ? osize : 0;
	gfp_t gfp = rt->gfp | __GFP_NOWARN;
	void *new;

	if (nsize == 0) {
		if (ptr) {
			kvfree(ptr);
			lunatik_quota_uncharge(rt->quota, old);
			lunatik_account(-1, -(s64)old);
		}
		return NULL;
	}

	if (nsize > old && !lunatik_quota_charge(rt->quota, nsize - old))
		return NULL;

	if (!ptr) {
		new = lunatik_raw_alloc(nsize, gfp);
	} else if (!is_vmalloc_addr(ptr) &&
		   (nsize <= old || nsize <= LUNATIK_KMALLOC_MAX ||
		    !gfpflags_allow_blocking(gfp))) {
		new = krealloc(ptr, nsize, gfp);
	} else {
		new = lunatik_raw_alloc(nsize, gfp);
		if (new) {
			memcpy(new, ptr, min(old, nsize));
			kvfree(ptr);
		}
	}
	if (!new) {
		if (nsize > old)
			lunatik_quota_uncharge(rt->quota, nsize - old);
		return NULL;
	}
	if (nsize < old)
		lunatik_quota_uncharge(rt->quota, old - nsize);
	lunatik_account(ptr ? 0 : 1, (s64)nsize - (s64)old);
	return new;
}
