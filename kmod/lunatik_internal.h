/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lunatik_internal.h - what the runtime core's files share among themselves.
 * Libraries (kmod/lib/) include only lunatik.h.
 */
#ifndef LUNATIK_INTERNAL_H
#define LUNATIK_INTERNAL_H

#include <linux/list.h>
#include <linux/rcupdate.h>
#include <linux/workqueue.h>
#include <linux/version.h>
#include <net/netlink.h>

#include <uapi/linux/lunatik_pipeline.h>

#include "lunatik.h"

/* Instructions between two budget checks (the count hook's period). */
#define LUNATIK_HOOK_STEP	1000
/*
 * A script body gets this many times the per-call budget: bodies build
 * tables and register hooks, so they legitimately run longer than one call,
 * but an endless loop at load must still end (10 x the default budget is
 * ~1 s of emulated CPU in the VM tests).
 */
#define LUNATIK_LOAD_BUDGET_MULT	10
/* Budget of runtimes created from Lua (lunatik.runtime): unlimited, as in
 * Lunatik, since they back kernel threads that loop until stopped. */
#define LUNATIK_NO_BUDGET	0
/* Largest script file read from disk. */
#define LUNATIK_SCRIPT_MAX	(4U << 20)
/* Longest error message copied out of a lua_State. */
#define LUNATIK_ERR_MAX		1024
/* Longest EXEC result (a netlink attribute holds less than 64 KiB). */
#define LUNATIK_RESULT_MAX	(60U * 1024)

/* ------------------------------------------------------------------ alloc */

void *lunatik_lua_alloc(void *ud, void *ptr, size_t osize, size_t nsize);

/* quota.c */
struct lunatik_quota *lunatik_quota_new(size_t limit);
void lunatik_quota_get(struct lunatik_quota *q);
void lunatik_quota_put(struct lunatik_quota *q);
bool lunatik_quota_charge(struct lunatik_quota *q, size_t bytes);
void lunatik_quota_uncharge(struct lunatik_quota *q, size_t bytes);
size_t lunatik_quota_used(const struct lunatik_quota *q);

/* lua/lkgc.c: make the collector pace itself as if @bytes were allocated */
void lunatik_lua_gcdebt(lua_State *L, size_t bytes);
void lunatik_stats_get(u64 *allocs, u64 *bytes);
void lunatik_stats_runtime(int delta);
void lunatik_stats_set(int delta);
unsigned int lunatik_stats_nruntimes(void);
unsigned int lunatik_stats_nsets(void);

/* ---------------------------------------------------------------- runtime */

/**
 * struct lunatik_runtime - one lua_State with its lock, budget and counters
 * @L:           the state; NULL once a Lua-made runtime was stopped
 * @set:         owning set, NULL for a runtime created from Lua
 * @obj:         the lunatik object of a Lua-made runtime, NULL for instances
 * @net:         network namespace the runtime acts in
 * @cpu:         CPU of a softirq-set instance, -1 otherwise
 * @sleep:       lock is a mutex and calls may sleep (process context)
 * @ctx_sleep:   the code running right now may sleep: true while the body
 *               runs at creation and while the state is closed, @sleep
 *               during calls
 * @gfp:         allocation flags for the code running right now
 * @quota:       memory cap charged by the Lua allocator and by what the
 *               script creates (quota.c); shared with Lua-made runtimes
 * @budget:      VM instructions per call, LUNATIK_NO_BUDGET for none
 * @budget_call: budget of the current call (@budget, or less for a call
 *               made as part of another runtime's call), LUNATIK_NO_BUDGET
 *               for none
 * @budget_left: instructions left in the current call
 * @cut:         why the current call is being cut (budget or signal)
 * @calls, @errors, @budget_hits: counters, written under the lock, read
 *               locklessly by LIST
 * @nest:        1 for a runtime created from Lua: it cannot create or
 *               resume runtimes itself (bounds stack use, rules out lock
 *               cycles; set instances, nest 0, can)
 * @stopped:     runtime:stop() was called; calls fail with -ENXIO
 * @entry:       registry reference of the function the script returned
 * @co:          registry reference of the coroutine running @entry (resume)
 * @tree_node:   a Lua-made runtime, on the module-wide list walked by
 *               lunatik_runtime_tree_stop() while its object is alive
 * @cred:        credentials of the process that created the set (a
 *               reference): files the script opens are opened with them
 */
struct lunatik_runtime {
	lua_State *L;
	struct lunatik_set *set;
	lunatik_object_t *obj;
	struct net *net;
	int cpu;
	bool sleep;
	bool ctx_sleep;
	gfp_t gfp;
	union {
		struct mutex mutex;
		spinlock_t spin;
	};
	int owner;	/* shared softirq instance: CPU holding @spin, or -1 */
	struct lunatik_quota *quota;
	u64 budget;
	u64 budget_call;
	s64 budget_left;
	int cut;
	u64 calls;
	u64 errors;
	u64 budget_hits;
	int nest;
	bool stopped;
	int entry;
	int co;
	void *private_arg;	/* lunatik_pcall_private() */
	struct work_struct close_work;
	struct list_head tree_node;
	const struct cred *cred;
	struct lunatik_hook_recs *hookrecs;	/* hook.c: what the body registered */
};

/**
 * struct lunatik_runtime_cfg - how to build a runtime
 * @script:    absolute path of the script to load (NULL: no script)
 * @chunkname: Lua chunk name ("@path" when NULL)
 */
struct lunatik_runtime_cfg {
	const char *script;
	const char *chunkname;
	struct lunatik_set *set;
	struct net *net;
	int cpu;
	bool sleep;
	size_t mem_limit;		/* a new quota of this size ... */
	struct lunatik_quota *quota;	/* ... unless sharing this one */
	u64 budget;
	int nest;
	const struct cred *cred;	/* files are opened with these (or NULL) */
	bool beneath_root;		/* @script must lie under the script root */
	u64 load_budget;		/* body budget; 0: budget x LOAD_BUDGET_MULT */
	u64 *load_used;			/* receives what the body ran (or NULL) */
};

/* Error text + errno of a failed load or call. */
struct lunatik_err {
	int errno_;
	char msg[LUNATIK_ERR_MAX];
};

struct lunatik_runtime *lunatik_runtime_new(const struct lunatik_runtime_cfg *cfg,
					    struct lunatik_err *err);
void lunatik_runtime_close(struct lunatik_runtime *rt);
/*
 * Stop what the runtimes sharing quota @q started: kernel threads, then
 * runtimes created from Lua (lualunatik.c). Called when a set instance is
 * closed, so nothing a set made outlives it, reference cycles included.
 */
void lunatik_runtime_tree_stop(struct lunatik_quota *q);
void lunatik_runtime_free(struct lunatik_runtime *rt);
void lunatik_runtime_lock(struct lunatik_runtime *rt);
int lunatik_runtime_lock_killable(struct lunatik_runtime *rt);
void lunatik_runtime_unlock(struct lunatik_runtime *rt);
int lunatik_runtime_call_from(struct lunatik_runtime *rt,
			      const struct lunatik_runtime *caller,
			      lunatik_handler_t fn, void *arg,
			      struct lunatik_err *err, u64 *used);
int lunatik_runtime_call(struct lunatik_runtime *rt, lunatik_handler_t fn,
			 void *arg, int *ret, struct lunatik_err *err);
struct file *lunatik_file_open(const char *path, const char *beneath);
int lunatik_read_script(const char *path, const char *beneath, char **buf,
			size_t *len);
int lunatik_runtime_call_budget(struct lunatik_runtime *rt, u64 budget,
				lunatik_handler_t fn, void *arg, int *ret,
				struct lunatik_err *err);
const char *lunatik_script_root(void);

/* -------------------------------------------------------------------- set */

/**
 * struct lunatik_gen - one generation of a set: its loaded instances
 * @id:   generation number (0 at create, +1 per reload)
 * @n:    entries in @inst: nr_cpu_ids for softirq sets, 1 for process sets
 * @ref:  held by the set while current and by process-context callers;
 *        softirq callers rely on RCU alone
 * @set:  the set, referenced while the retired generation waits to close
 * @rwork: closes a retired generation after a grace period
 * @oldscript, @oldchunk: set strings replaced by the reload that retired
 *        this generation; RCU readers may still see them until @rwork runs
 * @inst: instance per possible CPU (NULL for impossible CPUs)
 */
struct lunatik_gen {
	u32 id;
	unsigned int n;
	struct kref ref;
	struct lunatik_set *set;
	struct rcu_work rwork;
	char *oldscript;
	char *oldchunk;
	struct lunatik_hook **hookmap;	/* hook.c: record position -> hook */
	unsigned int nhooks;
	struct lunatik_runtime *inst[];
};

/**
 * struct lunatik_set - a named set of runtimes in one network namespace
 * @node:   entry in the netns list (RCU: the XDP kfunc looks sets up)
 * @kref:   one for the netns list, one per hook or caller holding it
 * @lock:   serializes reload and stop of this set (never taken by callers)
 * @gen:    current generation, NULL once stopped
 * @hooks:  kernel hooks registered for the set (hook.c), written under
 *          @lock, read under RCU
 * @hook_budget: VM instructions per hook call
 * @policy: enum lunatik_policy, the hooks' default verdict
 * @shared: softirq set with ONE instance that every CPU locks in turn
 *          (LUNATIK_A_SHARED), instead of one instance per CPU
 */
struct lunatik_set {
	struct list_head node;
	struct kref kref;
	struct mutex lock;
	struct net *net;
	char name[LUNATIK_NAME_MAX];
	char __rcu *script;
	char __rcu *chunkname;
	enum lunatik_context context;
	u64 mem_limit;
	u32 budget;
	u32 next_gen;
	struct lunatik_gen __rcu *gen;
	struct list_head hooks;
	unsigned int nhooks;
	u32 hook_budget;
	u8 policy;
	bool shared;
	struct rcu_head rcu;
	const struct cred *cred;	/* the creator's: see lunatik_runtime */
};

struct lunatik_set *lunatik_set_create(struct net *net, const char *name,
				       const char *script, const char *chunkname,
				       enum lunatik_context context,
				       u64 mem_limit, u32 budget,
				       u32 hook_budget, enum lunatik_policy policy,
				       bool shared, struct lunatik_err *err);
int lunatik_set_reload(struct lunatik_set *set, const char *script,
		       const char *chunkname, struct lunatik_err *err);
int lunatik_set_stop(struct net *net, const char *name);
int lunatik_set_run(struct lunatik_set *set, lunatik_handler_t fn, void *arg,
		    int *ret, struct lunatik_err *err);
struct lunatik_set *lunatik_set_nth(struct net *net, unsigned long idx);
struct lunatik_gen *lunatik_set_gen_get(struct lunatik_set *set);
struct lunatik_runtime *lunatik_set_inst(const struct lunatik_set *set,
					 const struct lunatik_gen *gen);
int lunatik_shared_lock(struct lunatik_runtime *rt);
void lunatik_shared_unlock(struct lunatik_runtime *rt);
void lunatik_gen_put(struct lunatik_gen *gen);

/* hook.c */
struct lunatik_hook_recs;
void lunatik_hook_recs_free(struct lunatik_runtime *rt);
int lunatik_hook_prepare(struct lunatik_set *set, struct lunatik_gen *gen,
			 struct lunatik_err *err);
void lunatik_hook_commit(struct lunatik_set *set);
void lunatik_hook_remove_all(struct lunatik_set *set);
void lunatik_hook_gen_free(struct lunatik_gen *gen);
int lunatik_genl_fill_hooks(struct sk_buff *msg, struct lunatik_set *set);
size_t lunatik_genl_hooks_size(void);

int lunatik_set_net_init(void);
void lunatik_set_net_exit(void);

/* ------------------------------------------------------------------- libs */

int lunatik_libs_init(void);
void lunatik_libs_exit(void);
void lunatik_libs_preload(lua_State *L);
void lunatik_libs_globals(lua_State *L);
void lunatik_libs_tree_stop(struct lunatik_quota *q);

/* ------------------------------------------------------------------ genl */

struct genl_info;
struct sk_buff;
struct netlink_callback;
extern struct genl_family lunatik_genl_family;

int lunatik_genl_init(void);
void lunatik_genl_exit(void);
int lunatik_genl_reply_err(struct genl_info *info, const struct lunatik_err *err);
int lunatik_genl_fill_set(struct sk_buff *msg, struct lunatik_set *set);
size_t lunatik_genl_set_size(const struct lunatik_set *set);
const char *lunatik_chunkname(lua_State *L, const char *name, const char *dflt);

extern const struct nla_policy lunatik_create_policy[];
extern const struct nla_policy lunatik_stop_policy[];
extern const struct nla_policy lunatik_reload_policy[];
extern const struct nla_policy lunatik_list_policy[];
extern const struct nla_policy lunatik_exec_policy[];
int lunatik_genl_create(struct sk_buff *skb, struct genl_info *info);
int lunatik_genl_stop(struct sk_buff *skb, struct genl_info *info);
int lunatik_genl_reload(struct sk_buff *skb, struct genl_info *info);
int lunatik_genl_list(struct sk_buff *skb, struct genl_info *info);
int lunatik_genl_list_start(struct netlink_callback *cb);
int lunatik_genl_list_dump(struct sk_buff *skb, struct netlink_callback *cb);
int lunatik_genl_exec(struct sk_buff *skb, struct genl_info *info);
int lunatik_genl_stats(struct sk_buff *skb, struct genl_info *info);

/* ---------------------------------------------------------------- object */

extern const struct lunatik_class lunatik_runtime_class;
int lunatik_object_init(void);
void lunatik_object_exit(void);
void lunatik_defer(struct work_struct *work);
/* drain deferred work and RCU callbacks until idle, at most @max_rounds */
#define LUNATIK_FLUSH_ALL	64
void lunatik_object_flush(int max_rounds);
void lunatik_defer_rcu(struct rcu_work *rwork);
int luaopen_lunatik(lua_State *L);

#endif /* LUNATIK_INTERNAL_H */
