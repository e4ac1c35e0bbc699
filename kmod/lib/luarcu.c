// SPDX-License-Identifier: GPL-2.0
/*
 * luarcu.c - the "rcu" Lua library: kernel hash tables shared by runtimes.
 *
 *   t = rcu.table([size])   buckets: size rounded up to a power of 2
 *                           (default 1024, at most 65536)
 *   t[key]                  key: string (numbers are converted, as by
 *                           luaL_checkstring) of at most 255 bytes
 *   t[key] = v              v: lunatik object, integer, boolean or nil
 *                           (nil deletes)
 *   pairs(t), rcu.map(t, f) visit the entries; f(key, value)
 *   rcu.publish(name, obj)  make obj (usually a table) findable by name by
 *                           every runtime of the network namespace; nil
 *                           unpublishes
 *   rcu.subscribe(name)     the published object, or nil
 *   rcu.cas(t, key, old, new)
 *                           store new under key only if the value there is
 *                           still old (nil: absent); true when stored. Of
 *                           runtimes racing to change one key from the
 *                           value they read, exactly one wins (an update a
 *                           plain t[key] = v would lose). Objects compare
 *                           by identity, integers and booleans by value.
 *
 * Lunatik 3.6 documents object values only; integers and booleans are
 * accepted too, as the Netdev 0x17 examples store counters (log.cnt = 0).
 * publish/subscribe follow those slides and are per network namespace
 * (runtimes of one netns share a namespace of names).
 *
 * Readers run under rcu_read_lock() from any context and never block.
 * Writers are serialized by the table object's lock (a spinlock taken with
 * BH off, so process and softirq runtimes may both write). A replaced or
 * deleted entry keeps its reference on the stored object until a grace
 * period has passed, so a reader may take its own reference on a value it
 * found; the RCU callback then drops it. That is softirq context: like any
 * last reference dropped by a softirq runtime's garbage collector, it relies
 * on every class's release being callable from any context (classes whose
 * release sleeps defer it, as runtimes and threads do).
 *
 * Nothing that may raise a Lua error runs under rcu_read_lock() or the
 * table lock: values are copied out first and pushed afterwards, keys are
 * checked and entries allocated before the lock is taken.
 *
 * Not detected: reference cycles between tables (t1.x = t2; t2.y = t1)
 * keep both alive; only storing a table in itself is refused.
 */
#include <linux/hash.h>
#include <linux/jhash.h>
#include <linux/kernel.h>
#include <linux/llist.h>
#include <linux/refcount.h>
#include <linux/log2.h>
#include <linux/random.h>
#include <linux/rculist.h>
#include <linux/rcupdate.h>
#include <linux/string.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "lunatik.h"
#include "lualibs.h"
#include "luadata.h"

#define LUARCU_DEFAULT_SIZE	1024
#define LUARCU_MAX_SIZE		65536
#define LUARCU_REGISTRY_SIZE	64
#define LUARCU_KEY_MAX		255

enum luarcu_type {
	LUARCU_NIL,
	LUARCU_INTEGER,
	LUARCU_BOOLEAN,
	LUARCU_OBJECT,
};

struct luarcu_value {
	enum luarcu_type type;
	union {
		lua_Integer i;
		bool b;
		lunatik_object_t *obj;
	};
};

/**
 * struct luarcu_entry - one key/value pair
 * @node:  bucket chain link (RCU)
 * @rcu:   deferred free after a grace period (entry unlinked by a write)
 * @dead:  link in luarcu_table_release()'s list (entry of a released table)
 * @hash:  hash of the key
 * @value: the value; an object value holds one reference
 * @klen:  key length
 * @key:   key bytes
 */
struct luarcu_entry {
	struct hlist_node node;
	union {
		struct rcu_head rcu;
		struct llist_node dead;
	};
	u32 hash;
	struct luarcu_value value;
	struct lunatik_quota *quota;	/* of the runtime that stored it */
	size_t klen;
	char key[];
};

/**
 * struct luarcu_table - payload of an rcu.table object
 * @seed:    per-table hash seed, so keys chosen by the traffic a script
 *           sees cannot be aimed at one bucket of every table
 * @mask:    number of buckets - 1
 * @buckets: the chains
 */
struct luarcu_table {
	u32 seed;
	u32 mask;
	struct hlist_head buckets[];
};

struct luarcu_net {
	lunatik_object_t __rcu *registry;
};

static unsigned int luarcu_net_id __read_mostly;

static const struct lunatik_class luarcu_class;

/* ----------------------------------------------------------- the table */

static void luarcu_entry_free(struct luarcu_entry *e)
{
	if (e->value.type == LUARCU_OBJECT)
		lunatik_object_put(e->value.obj);
	lunatik_uncharge(e->quota, struct_size(e, key, e->klen));
	lunatik_free(e);
}

static void luarcu_entry_free_rcu(struct rcu_head *head)
{
	luarcu_entry_free(container_of(head, struct luarcu_entry, rcu));
}

/* Free @e (already unlinked) once current readers are done with it. */
static void luarcu_entry_defer(struct luarcu_entry *e)
{
	call_rcu(&e->rcu, luarcu_entry_free_rcu);
}

/* Move every entry of @t (unreachable: its last reference is gone) to @list. */
static void luarcu_table_unlink(struct luarcu_table *t, struct llist_node **list)
{
	struct luarcu_entry *e;
	struct hlist_node *tmp;
	u32 i;

	for (i = 0; i <= t->mask; i++) {
		hlist_for_each_entry_safe(e, tmp, &t->buckets[i], node) {
			hlist_del(&e->node);
			e->dead.next = *list;
			*list = &e->dead;
		}
	}
}

/*
 * The last reference is gone: no reader, no writer can reach t (a reader
 * holds a reference on the table it walks), so no grace period.
 *
 * Freeing an entry may drop the last reference to a table stored in it,
 * whose entries may hold tables, and so on: done recursively, a script's
 * chain of nested tables would overflow the kernel stack (in softirq context
 * too: entry frees run from RCU callbacks). So when an entry holds the last
 * reference to a table, that table's entries join this loop's list first;
 * the final put then releases an empty table, one level deep.
 */
static void luarcu_table_release(void *private)
{
	struct llist_node *list = NULL;
	struct luarcu_entry *e;
	lunatik_object_t *obj;

	luarcu_table_unlink(private, &list);
	while (list != NULL) {
		e = llist_entry(list, struct luarcu_entry, dead);
		list = list->next;
		obj = e->value.type == LUARCU_OBJECT ? e->value.obj : NULL;
		/* not the last reference: drop it here, nothing is released */
		if (obj != NULL && refcount_dec_not_one(&obj->kref.refcount))
			e->value.type = LUARCU_NIL;
		else if (obj != NULL && obj->class == &luarcu_class)
			luarcu_table_unlink(obj->private, &list);
		luarcu_entry_free(e);
	}
}

static size_t luarcu_table_size(u32 nbuckets)
{
	return sizeof(struct luarcu_table) +
	       (size_t)nbuckets * sizeof(struct hlist_head);
}

static void luarcu_table_init(struct luarcu_table *t, u32 nbuckets)
{
	u32 i;

	t->seed = get_random_u32();
	t->mask = nbuckets - 1;
	for (i = 0; i < nbuckets; i++)
		INIT_HLIST_HEAD(&t->buckets[i]);
}

static inline u32 luarcu_hash(const struct luarcu_table *t, const char *key,
			      size_t klen)
{
	return jhash(key, klen, t->seed);
}

static inline struct hlist_head *luarcu_bucket(struct luarcu_table *t, u32 hash)
{
	return &t->buckets[hash & t->mask];
}

/*
 * Each chain is kept sorted by (hash, key length, key bytes), so a walk can
 * resume after a key that is no longer there (next() after the current key
 * was deleted, as Lua allows) and a lookup stops at the first larger entry.
 */
static inline int luarcu_cmp(const struct luarcu_entry *e, u32 hash,
			     const char *key, size_t klen)
{
	if (e->hash != hash)
		return e->hash < hash ? -1 : 1;
	if (e->klen != klen)
		return e->klen < klen ? -1 : 1;
	return memcmp(e->key, key, klen);
}

/*
 * The first entry of @key's chain not below @key (NULL: none), and in
 * *@prev the last one below it (NULL: insert at the head). Caller holds
 * rcu_read_lock() or the table lock. Adds the entries walked to *@steps: a
 * table has as many buckets as it was made with, whatever it holds, so a
 * chain can be long; the walk is charged to the caller's budget
 * (luarcu_work) once the lock is dropped.
 */
static struct luarcu_entry *luarcu_seek(struct luarcu_table *t,
					const char *key, size_t klen, u32 hash,
					struct luarcu_entry **prev, u32 *steps)
{
	struct luarcu_entry *e;

	*prev = NULL;
	hlist_for_each_entry_rcu(e, luarcu_bucket(t, hash), node) {
		(*steps)++;
		if (luarcu_cmp(e, hash, key, klen) >= 0)
			return e;
		*prev = e;
	}
	return NULL;
}

static struct luarcu_entry *luarcu_lookup(struct luarcu_table *t,
					  const char *key, size_t klen,
					  u32 hash, u32 *steps)
{
	struct luarcu_entry *prev;
	struct luarcu_entry *e = luarcu_seek(t, key, klen, hash, &prev, steps);

	return e != NULL && luarcu_cmp(e, hash, key, klen) == 0 ? e : NULL;
}

/*
 * Chain walks and empty buckets skipped are C work the count hook does not
 * see: charge them, outside any lock, when they add up to something.
 */
static void luarcu_work(lua_State *L, u32 steps)
{
	if (steps >= 32)
		lunatik_lua_work(L, steps);
}

/* Copy out @e's value, taking a reference on an object (under RCU). */
static void luarcu_value_get(const struct luarcu_entry *e,
			     struct luarcu_value *v)
{
	*v = e->value;
	if (v->type == LUARCU_OBJECT)
		lunatik_object_get(v->obj);
}

/* -------------------------------------------------------- Lua values */

static int luarcu_pushobject_protected(lua_State *L)
{
	lunatik_pushobject(L, lunatik_private(L));
	return 1;
}

/*
 * Push @v and drop the reference luarcu_value_get() took. The object push
 * allocates, so it runs under lua_pcall: our reference is dropped before
 * any error propagates. The caller reserved 3 stack slots.
 */
static void luarcu_pushvalue(lua_State *L, struct luarcu_value *v)
{
	int status;

	switch (v->type) {
	case LUARCU_NIL:
		lua_pushnil(L);
		break;
	case LUARCU_INTEGER:
		lua_pushinteger(L, v->i);
		break;
	case LUARCU_BOOLEAN:
		lua_pushboolean(L, v->b);
		break;
	case LUARCU_OBJECT:
		status = lunatik_pcall_private(L, luarcu_pushobject_protected,
					       v->obj, 0, 1);
		lunatik_object_put(v->obj);
		if (status != LUA_OK)
			lua_error(L);
		break;
	}
}

/*
 * The nil, boolean, integer or lunatik object at @idx as a table value;
 * false for any other type. Takes no reference.
 */
static bool luarcu_toplain(lua_State *L, int idx, struct luarcu_value *v)
{
	switch (lua_type(L, idx)) {
	case LUA_TNIL:
		v->type = LUARCU_NIL;
		return true;
	case LUA_TBOOLEAN:
		v->type = LUARCU_BOOLEAN;
		v->b = lua_toboolean(L, idx);
		return true;
	case LUA_TNUMBER:
		if (!lua_isinteger(L, idx))
			return false;
		v->type = LUARCU_INTEGER;
		v->i = lua_tointeger(L, idx);
		return true;
	case LUA_TUSERDATA:
		v->obj = lunatik_toobject(L, idx);
		if (v->obj == NULL)
			return false;
		v->type = LUARCU_OBJECT;
		return true;
	}
	return false;
}

/* Check the value at @idx for storing in @table; takes no reference. */
static void luarcu_tovalue(lua_State *L, int idx, lunatik_object_t *table,
			   struct luarcu_value *v)
{
	if (lua_isnone(L, idx)) {
		v->type = LUARCU_NIL;
		return;
	}
	if (!luarcu_toplain(L, idx, v)) {
		luaL_typeerror(L, idx, "lunatik object, integer, boolean or nil");
		return;
	}
	if (v->type != LUARCU_OBJECT)
		return;
	if (v->obj == table)
		luaL_argerror(L, idx, "cannot store a table in itself");
	if (luadata_isexternal(v->obj))
		luaL_argerror(L, idx, "data object is bound to its runtime");
}

static const char *luarcu_checkkey(lua_State *L, int idx, size_t *klen)
{
	const char *key = luaL_checklstring(L, idx, klen);

	luaL_argcheck(L, *klen <= LUARCU_KEY_MAX, idx, "key too long");
	return key;
}

/* A new entry for @v, or a Lua memory error; the reference comes last. */
static struct luarcu_entry *luarcu_entry_new(lua_State *L, const char *key,
					     size_t klen, u32 hash,
					     const struct luarcu_value *v)
{
	size_t size = struct_size_t(struct luarcu_entry, key, klen);
	struct lunatik_quota *q = lunatik_charge(L, size);
	struct luarcu_entry *e;

	e = lunatik_malloc(size, lunatik_gfp(L));
	if (e == NULL) {
		lunatik_uncharge(q, size);
		luaL_error(L, "not enough memory");
	}
	e->quota = q;
	e->hash = hash;
	e->klen = klen;
	memcpy(e->key, key, klen);
	e->value = *v;
	if (v->type == LUARCU_OBJECT)
		lunatik_object_get(v->obj);
	return e;
}

/* Does @e (NULL: absent) hold the value @expect (NIL: absent)? */
static bool luarcu_holds(const struct luarcu_entry *e,
			 const struct luarcu_value *expect)
{
	if (e == NULL || expect->type == LUARCU_NIL)
		return e == NULL && expect->type == LUARCU_NIL;
	if (e->value.type != expect->type)
		return false;
	switch (expect->type) {
	case LUARCU_INTEGER:
		return e->value.i == expect->i;
	case LUARCU_BOOLEAN:
		return e->value.b == expect->b;
	case LUARCU_OBJECT:
		return e->value.obj == expect->obj;
	default:
		return false;
	}
}

/*
 * Store @v under @key in the table @tobj (nil deletes); with @expect, only
 * when the current value is @expect (compared under the lock). Returns
 * whether it stored. Raises only before anything is taken: the entry is
 * allocated and referenced first, and the locked section cannot fail.
 */
static bool luarcu_store(lua_State *L, lunatik_object_t *tobj,
			 const char *key, size_t klen,
			 const struct luarcu_value *v,
			 const struct luarcu_value *expect)
{
	struct luarcu_table *t = tobj->private;
	u32 hash = luarcu_hash(t, key, klen);
	struct luarcu_entry *e = NULL;
	struct luarcu_entry *old, *prev;
	u32 steps = 0;

	if (v->type != LUARCU_NIL)
		e = luarcu_entry_new(L, key, klen, hash, v);

	lunatik_object_lock(tobj);
	old = luarcu_seek(t, key, klen, hash, &prev, &steps);
	if (old != NULL && luarcu_cmp(old, hash, key, klen) != 0)
		old = NULL;
	if (expect != NULL && !luarcu_holds(old, expect)) {
		lunatik_object_unlock(tobj);
		if (e != NULL)	/* never linked: no reader can have seen it */
			luarcu_entry_free(e);
		luarcu_work(L, steps);
		return false;
	}
	if (old != NULL && e != NULL)
		hlist_replace_rcu(&old->node, &e->node);
	else if (old != NULL)
		hlist_del_rcu(&old->node);
	else if (e != NULL && prev != NULL)
		hlist_add_behind_rcu(&e->node, &prev->node);
	else if (e != NULL)
		hlist_add_head_rcu(&e->node, luarcu_bucket(t, hash));
	lunatik_object_unlock(tobj);

	if (old != NULL)
		luarcu_entry_defer(old);
	luarcu_work(L, steps);	/* after the store: a cut leaves it done */
	return true;
}

/* Copy out the value under @key (NIL when absent); count the walk. */
static void luarcu_load(lunatik_object_t *tobj, const char *key, size_t klen,
			struct luarcu_value *v, u32 *steps)
{
	struct luarcu_table *t = tobj->private;
	struct luarcu_entry *e;

	v->type = LUARCU_NIL;
	rcu_read_lock();
	e = luarcu_lookup(t, key, klen, luarcu_hash(t, key, klen), steps);
	if (e != NULL)
		luarcu_value_get(e, v);
	rcu_read_unlock();
}

/* ------------------------------------------------------- metamethods */

static lunatik_object_t *luarcu_checktable(lua_State *L, int idx)
{
	return lunatik_checkobject(L, idx, &luarcu_class);
}

/*
 * Converting a number key allocates, and a finalizer run by that allocation
 * may close the table's userdata (dropping what may be the last reference):
 * metamethods look the table up after every conversion.
 */
static int luarcu_index(lua_State *L)
{
	size_t klen;
	const char *key = luarcu_checkkey(L, 2, &klen);
	lunatik_object_t *tobj = luarcu_checktable(L, 1);
	struct luarcu_value v;
	u32 steps = 0;

	luaL_checkstack(L, 3, NULL);
	luarcu_load(tobj, key, klen, &v, &steps);
	luarcu_pushvalue(L, &v);
	luarcu_work(L, steps);	/* the value is on the stack: a cut drops it */
	return 1;
}

static int luarcu_newindex(lua_State *L)
{
	lunatik_object_t *tobj = luarcu_checktable(L, 1);
	struct luarcu_value v;
	size_t klen;
	const char *key = luarcu_checkkey(L, 2, &klen);

	luarcu_tovalue(L, 3, tobj, &v);
	tobj = luarcu_checktable(L, 1);	/* again: tovalue allocates */
	luarcu_store(L, tobj, key, klen, &v, NULL);
	return 0;
}

/*
 * The value at @idx as an expected value: anything t[key] can return (an
 * object that cannot be stored, such as a packet's data object, is never
 * there, so it just never matches).
 */
static void luarcu_toexpected(lua_State *L, int idx, struct luarcu_value *v)
{
	if (!luarcu_toplain(L, idx, v))
		luaL_typeerror(L, idx, "lunatik object, integer, boolean or nil");
}

/*
 * rcu.cas(t, key, old, new). The expected object needs no reference of its
 * own: the argument's userdata holds one until we return, so the pointer
 * cannot be freed and reused by another object meanwhile.
 */
static int luarcu_cas(lua_State *L)
{
	struct luarcu_value expect, v;
	lunatik_object_t *tobj;
	const char *key;
	size_t klen;

	luarcu_checktable(L, 1);
	key = luarcu_checkkey(L, 2, &klen);
	luaL_checkany(L, 3);
	luarcu_toexpected(L, 3, &expect);
	luarcu_tovalue(L, 4, luarcu_checktable(L, 1), &v);
	tobj = luarcu_checktable(L, 1);	/* again: conversions allocate */
	lua_pushboolean(L, luarcu_store(L, tobj, key, klen, &v, &expect));
	return 1;
}

/*
 * next(t, key): the entry after @key in (bucket, chain) order. Chains are
 * sorted, so the walk resumes right after @key even when @key was deleted
 * meanwhile (clearing a table inside pairs() visits every entry, as with a
 * Lua table). Concurrent writers may make a walk miss entries added or
 * repeat entries replaced meanwhile, never crash.
 */
static int luarcu_next(lua_State *L)
{
	lunatik_object_t *tobj;
	struct luarcu_table *t;
	char kbuf[LUARCU_KEY_MAX];
	struct luarcu_entry *e = NULL;
	struct luarcu_value v;
	struct hlist_node *n;
	const char *key = NULL;
	size_t klen = 0;
	size_t nklen = 0;
	u32 b = 0, steps = 0, first;

	/* a number key is converted here, outside RCU: that allocates */
	if (!lua_isnoneornil(L, 2)) {
		key = lua_tolstring(L, 2, &klen);
		if (key == NULL || klen > LUARCU_KEY_MAX)
			return luaL_argerror(L, 2, "invalid key to 'next'");
	}
	tobj = luarcu_checktable(L, 1);
	t = tobj->private;
	luaL_checkstack(L, 4, NULL);
	rcu_read_lock();
	if (key != NULL) {
		struct luarcu_entry *prev;
		u32 hash;

		hash = luarcu_hash(t, key, klen);
		b = hash & t->mask;
		e = luarcu_seek(t, key, klen, hash, &prev, &steps);
		if (e != NULL && luarcu_cmp(e, hash, key, klen) == 0) {
			n = rcu_dereference(hlist_next_rcu(&e->node));
			e = n != NULL ? hlist_entry(n, struct luarcu_entry, node) : NULL;
		}
		b++;
	}
	first = b;
	for (; e == NULL && b <= t->mask; b++) {
		n = rcu_dereference(hlist_first_rcu(&t->buckets[b]));
		e = n != NULL ? hlist_entry(n, struct luarcu_entry, node) : NULL;
	}
	steps += (b - first) >> 4;	/* empty buckets are cheaper */
	if (e != NULL) {
		nklen = e->klen;
		memcpy(kbuf, e->key, nklen);
		luarcu_value_get(e, &v);
	}
	rcu_read_unlock();

	if (e == NULL) {
		lua_pushnil(L);
		luarcu_work(L, steps);
		return 1;
	}
	/* push the value first: it owns a reference until pushed */
	luarcu_pushvalue(L, &v);
	lua_pushlstring(L, kbuf, nklen);
	lua_insert(L, -2);
	luarcu_work(L, steps);	/* the results are on the stack */
	return 2;
}

static int luarcu_pairs(lua_State *L)
{
	luarcu_checktable(L, 1);
	lua_pushcfunction(L, luarcu_next);
	lua_pushvalue(L, 1);
	lua_pushnil(L);
	return 3;
}

/* A class's own __index is kept by the core (object.c): keys, not methods. */
static const luaL_Reg luarcu_metamethods[] = {
	{"__index", luarcu_index},
	{"__newindex", luarcu_newindex},
	{"__pairs", luarcu_pairs},
	{NULL, NULL}
};

static const struct lunatik_class luarcu_class = {
	.name = "rcu.table",
	.methods = luarcu_metamethods,
	.release = luarcu_table_release,
	.sleep = false,		/* read and written from softirq sets too */
};

/* ----------------------------------------------------------- library */

static int luarcu_table(lua_State *L)
{
	lua_Integer size = luaL_optinteger(L, 1, LUARCU_DEFAULT_SIZE);
	lunatik_object_t *obj;
	u32 nbuckets;

	luaL_argcheck(L, size > 0 && size <= LUARCU_MAX_SIZE, 1,
		      "size out of range");
	nbuckets = roundup_pow_of_two((u32)size);
	obj = lunatik_newobject(L, &luarcu_class, luarcu_table_size(nbuckets));
	luarcu_table_init(obj->private, nbuckets);
	return 1;
}

static int luarcu_map(lua_State *L)
{
	luarcu_checktable(L, 1);
	luaL_checktype(L, 2, LUA_TFUNCTION);
	luaL_checkstack(L, 6, NULL);
	lua_settop(L, 2);
	lua_pushnil(L);				/* 3: control key */
	for (;;) {
		lua_pushcfunction(L, luarcu_next);
		lua_pushvalue(L, 1);
		lua_pushvalue(L, 3);
		lua_call(L, 2, 2);		/* 4: key, 5: value */
		if (lua_isnil(L, 4))
			break;
		lua_pushvalue(L, 4);
		lua_replace(L, 3);
		lua_pushvalue(L, 2);
		lua_insert(L, 4);
		lua_call(L, 2, 0);
	}
	return 0;
}

/* Runs under lunatik_pcall_private(registry): (name, value) */
static int luarcu_publish_store(lua_State *L)
{
	lunatik_object_t *reg = lunatik_private(L);
	size_t klen;
	const char *name = luarcu_checkkey(L, 1, &klen);
	struct luarcu_value v;

	luarcu_tovalue(L, 2, NULL, &v);
	luarcu_store(L, reg, name, klen, &v, NULL);
	return 0;
}

/* The registry table of L's namespace, referenced, or a Lua error. */
static lunatik_object_t *luarcu_registry_get(lua_State *L)
{
	struct luarcu_net *rn = net_generic(lunatik_net(L), luarcu_net_id);
	lunatik_object_t *reg;

	rcu_read_lock();
	reg = rcu_dereference(rn->registry);
	if (reg != NULL)
		lunatik_object_get(reg);
	rcu_read_unlock();
	if (reg == NULL)
		luaL_error(L, "network namespace is going away");
	return reg;
}

static int luarcu_publish(lua_State *L)
{
	size_t klen;
	struct luarcu_value v;
	lunatik_object_t *reg;

	luarcu_checkkey(L, 1, &klen);
	luaL_argcheck(L, lua_isnoneornil(L, 2) || lunatik_toobject(L, 2) != NULL, 2,
		      "lunatik object or nil expected");
	luarcu_tovalue(L, 2, NULL, &v);
	luaL_checkstack(L, 4, NULL);

	reg = luarcu_registry_get(L);
	/* the entry is allocated inside: drop our reference on error */
	lua_pushvalue(L, 1);
	lua_pushvalue(L, 2);
	if (lunatik_pcall_private(L, luarcu_publish_store, reg, 2, 0) != LUA_OK) {
		lunatik_object_put(reg);
		return lua_error(L);
	}
	lunatik_object_put(reg);
	return 0;
}

static int luarcu_subscribe(lua_State *L)
{
	size_t klen;
	const char *name = luarcu_checkkey(L, 1, &klen);
	struct luarcu_net *rn = net_generic(lunatik_net(L), luarcu_net_id);
	struct luarcu_value v = { .type = LUARCU_NIL };
	lunatik_object_t *reg;
	u32 steps = 0;

	luaL_checkstack(L, 3, NULL);
	rcu_read_lock();
	reg = rcu_dereference(rn->registry);
	if (reg != NULL)	/* nests rcu_read_lock */
		luarcu_load(reg, name, klen, &v, &steps);
	rcu_read_unlock();
	luarcu_pushvalue(L, &v);
	luarcu_work(L, steps);
	return 1;
}

static const luaL_Reg luarcu_lib[] = {
	{"table", luarcu_table},
	{"map", luarcu_map},
	{"publish", luarcu_publish},
	{"subscribe", luarcu_subscribe},
	{"cas", luarcu_cas},
	{NULL, NULL}
};

/**
 * luaopen_rcu - open the "rcu" library
 * @L: the Lua state requiring it
 *
 * Return: 1 (the library table).
 */
int luaopen_rcu(lua_State *L)
{
	luaL_newlib(L, luarcu_lib);
	return 1;
}

/* ---------------------------------------------------- per-netns names */

static int __net_init luarcu_net_init(struct net *net)
{
	struct luarcu_net *rn = net_generic(net, luarcu_net_id);
	u32 n = LUARCU_REGISTRY_SIZE;
	lunatik_object_t *reg;

	reg = lunatik_object_new(&luarcu_class, luarcu_table_size(n),
				 GFP_KERNEL);
	if (reg == NULL)
		return -ENOMEM;
	luarcu_table_init(reg->private, n);
	rcu_assign_pointer(rn->registry, reg);
	return 0;
}

static void __net_exit luarcu_net_exit(struct net *net)
{
	struct luarcu_net *rn = net_generic(net, luarcu_net_id);
	lunatik_object_t *reg = rcu_replace_pointer(rn->registry, NULL, true);

	/* readers found reg under RCU and took their reference in it */
	synchronize_rcu();
	lunatik_object_put(reg);
}

static struct pernet_operations luarcu_net_ops = {
	.init = luarcu_net_init,
	.exit = luarcu_net_exit,
	.id = &luarcu_net_id,
	.size = sizeof(struct luarcu_net),
};

/**
 * lunatik_rcu_init - module-wide state of the rcu library
 *
 * Return: 0 or a negative errno.
 */
int lunatik_rcu_init(void)
{
	return register_pernet_subsys(&luarcu_net_ops);
}

/**
 * lunatik_rcu_exit - release what lunatik_rcu_init() set up
 *
 * Called once no runtime is left. Waits for the entry frees in flight,
 * which may drop last references (whose releases may defer work to the
 * core's queue: it must still exist).
 */
void lunatik_rcu_exit(void)
{
	unregister_pernet_subsys(&luarcu_net_ops);
	rcu_barrier();
}
