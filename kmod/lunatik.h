/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lunatik.h - the in-kernel API shared by the runtime core and the Lua
 * libraries (kmod/lib/). Only the hook entry points lunatik_set_find(),
 * lunatik_set_call() and lunatik_set_put() are exported (GPL) to other
 * modules: C extensions calling into a set (the VM tests use them to make
 * the stack transmit from inside an instance).
 *
 * Vocabulary:
 *   runtime   one lua_State, its lock, its allocator accounting and counters
 *   set       what the user names: one runtime (process context) or one
 *             runtime per possible CPU (softirq context); it owns a
 *             generation pointer swapped under RCU on reload
 *   object    a refcounted kernel object (lunatik_object_t) that several
 *             runtimes may hold at once: rcu tables, data buffers, threads,
 *             completions, runtimes created from Lua
 */
#ifndef LUNATIK_H
#define LUNATIK_H

#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/gfp.h>
#include <linux/types.h>

#include "lua.h"
#include "lauxlib.h"
#include "lualib.h"

struct net;
struct lunatik_runtime;
struct lunatik_set;
struct lunatik_quota;

/* ---------------------------------------------------------------- objects */

/**
 * struct lunatik_class - the type of a lunatik object
 * @name:    metatable name registered in each lua_State that sees the class
 * @methods: methods and metamethods ("__" names; not __gc/__close),
 *           NULL-terminated; the core adds __gc, __close, __metatable and
 *           an __index table of the methods unless __index is given
 * @release: frees @private once the last reference is gone (may be NULL)
 * @sleep:   true: the object lock is a mutex and the object may only be used
 *           from process context; false: a spinlock taken with BH disabled
 */
struct lunatik_class {
	const char *name;
	const luaL_Reg *methods;
	void (*release)(void *private);
	bool sleep;
};

/**
 * struct lunatik_object - a refcounted object shared between runtimes
 * @kref:    one reference per Lua userdata pointing here, plus kernel holders
 * @class:   its type
 * @private: class payload, allocated with the object (see lunatik_object_new)
 * @quota:   charged @charged bytes for the object (lunatik_newobject), or NULL
 */
typedef struct lunatik_object {
	struct kref kref;
	const struct lunatik_class *class;
	void *private;
	struct lunatik_quota *quota;
	size_t charged;
	bool sleep;
	union {
		struct mutex mutex;
		spinlock_t spin;
	};
} lunatik_object_t;

/**
 * lunatik_object_new - allocate an object with @size bytes of zeroed private
 * payload and one reference. Returns NULL on allocation failure.
 */
lunatik_object_t *lunatik_object_new(const struct lunatik_class *class,
				     size_t size, gfp_t gfp);
void lunatik_object_get(lunatik_object_t *obj);
/* Returns 1 when this put released the object. */
int lunatik_object_put(lunatik_object_t *obj);
void lunatik_object_lock(lunatik_object_t *obj);
void lunatik_object_unlock(lunatik_object_t *obj);

/**
 * lunatik_newobject - create an object and push a userdata for it on L.
 * The object is charged to L's memory cap until it is freed. Raises a Lua
 * memory error on failure or past the cap (the object is never leaked: the
 * userdata exists, "closed", before the object is allocated).
 */
lunatik_object_t *lunatik_newobject(lua_State *L,
				    const struct lunatik_class *class,
				    size_t size);
/* Push a userdata for an existing object; takes a new reference. */
void lunatik_pushobject(lua_State *L, lunatik_object_t *obj);
/* The object at @idx if it is of @class, else raise a Lua argument error. */
lunatik_object_t *lunatik_checkobject(lua_State *L, int idx,
				      const struct lunatik_class *class);
/* The object at @idx of any class, or NULL. */
lunatik_object_t *lunatik_toobject(lua_State *L, int idx);

/* --------------------------------------------------------------- runtimes */

/* The runtime that owns L (stored in L's extra space). */
struct lunatik_runtime *lunatik_toruntime(lua_State *L);
/* Whether code running in L may sleep (process-context runtime). */
bool lunatik_cansleep(lua_State *L);
/* GFP flags for allocations made on behalf of L. */
gfp_t lunatik_gfp(lua_State *L);
/* The network namespace L's set was created in (never NULL). */
struct net *lunatik_net(lua_State *L);
/* CPU of L's instance in a softirq set, -1 for a single-instance runtime. */
int lunatik_cpu(lua_State *L);
/* The set L belongs to, or NULL for a runtime created from Lua. */
struct lunatik_set *lunatik_set_of(lua_State *L);
/*
 * A protected call of a C helper that needs a kernel pointer (to release
 * what it holds when the helper raises). Never lua_pcall such a helper with
 * a light userdata and trust lua_touserdata(L, 1) in it: Lua can reach the
 * helper (debug.getinfo) and call it with anything. The helper calls
 * lunatik_private() first; its own arguments then start at index 1.
 */
int lunatik_pcall_private(lua_State *L, lua_CFunction fn, void *p, int nargs,
			  int nresults);
void *lunatik_private(lua_State *L);

/*
 * Memory handed out by the module outside Lua states goes through these so
 * the module-wide allocation counter (LUNATIK_CMD_STATS) sees every byte.
 */
void *lunatik_malloc(size_t size, gfp_t gfp);
void *lunatik_zalloc(size_t size, gfp_t gfp);
void lunatik_free(const void *ptr);

/*
 * Kernel memory a script makes the module keep (rcu entries, object
 * payloads) counts against the memory cap of the script's runtime:
 * lunatik_charge() charges @bytes to L's runtime or raises a Lua memory
 * error past the cap, and returns the quota with a reference held;
 * lunatik_uncharge() (any context, NULL ignored) gives both back when the
 * memory is freed, possibly long after that runtime is gone. Neither runs
 * the collector, so callers may hold raw pointers across them.
 */
struct lunatik_quota *lunatik_charge(lua_State *L, size_t bytes);
void lunatik_uncharge(struct lunatik_quota *q, size_t bytes);

/* ------------------------------------------------------------------ hooks */

/*
 * Kernel hooks (netfilter, xtables, XDP) hold a reference on a set and call
 * into this CPU's instance of its current generation. The handler runs
 * protected, under the instance lock, with the set's instruction budget
 * armed; it may raise Lua errors.
 */
typedef int (*lunatik_handler_t)(lua_State *L, void *arg);

/*
 * lunatik_set_call - @fn(L, @arg) in this CPU's instance; @dflt when the set
 * is stopped or the call fails (error, budget, memory cap: counted and
 * logged rate-limited). Softirq sets: softirq or process context, never
 * hardirq/NMI (the instance lock is not irq-safe). Process sets: process
 * context only.
 */
int lunatik_set_call(struct lunatik_set *set, lunatik_handler_t fn, void *arg,
		     int dflt);
/* The set @name of @net with a new reference, or NULL (any context). */
struct lunatik_set *lunatik_set_find(struct net *net, const char *name);
void lunatik_set_get(struct lunatik_set *set);
/* Any context: the set is freed after an RCU grace period. */
void lunatik_set_put(struct lunatik_set *set);

/* --------------------------------------------------------------- libraries */

/*
 * Each built-in library is one file kmod/lib/lua<name>.c exporting
 *   int luaopen_<name>(lua_State *L);
 * and optionally, for module-wide state,
 *   int lunatik_<name>_init(void);  void lunatik_<name>_exit(void);
 * The core lists them in kmod/libs.c; require("<name>") finds them by name.
 */

#endif /* LUNATIK_H */
