// SPDX-License-Identifier: GPL-2.0
/*
 * set.c - runtime sets: named per network namespace, one instance (process
 * context) or one instance per possible CPU (softirq context), swapped as a
 * whole generation under RCU on reload. A "shared" softirq set has one
 * instance for all CPUs instead, behind a spinlock every CPU takes (how
 * Lunatik 3.6 runs hooks; kept to measure what per-CPU instances save).
 *
 * Lifetimes
 *   - a set is refcounted: the netns list holds one reference, every hook or
 *     caller that keeps the set holds one; it is freed after a grace period
 *     (the XDP kfunc looks sets up by name under RCU).
 *   - a generation is refcounted too: the set holds one reference while it is
 *     current. Softirq callers use it inside rcu_read_lock() and take no
 *     reference (no shared cache line on the packet path); process callers
 *     must sleep under the instance mutex, so they cannot stay inside an RCU
 *     read section and take a reference instead. The set drops its reference
 *     only after unpublishing the generation and a grace period, from a work
 *     item, so the last put comes either from that work or from a process
 *     caller, both in process context, where lua_close() may sleep.
 *   - a reload builds and loads every instance of the new generation first,
 *     then publishes it with one pointer store: a caller sees either the old
 *     or the new generation, never none.
 *
 * Hooks registered by script bodies (netfilter, xtables, XDP) - implemented
 * in hook.c (see hook.h); set.c calls lunatik_hook_prepare() before a
 * generation goes live and lunatik_hook_commit() after the swap.
 * Every instance of a softirq set runs the same script, so the body's
 * netfilter.register{...} runs once per CPU. The libraries will not register
 * kernel hooks directly from a set instance. Instead a registration made by
 * a body is recorded in the instance (the spec: pf, hooknum, priority, ...;
 * the Lua callback stays in the instance's registry, indexed by the spec's
 * position). When the whole generation is loaded, the set checks that all
 * instances recorded the same specs (else CREATE/RELOAD fails with "instances
 * registered different hooks") and registers one kernel hook per spec for the
 * set, each holding a set reference. The kernel hook calls
 * lunatik_hook_run(hook, packet), which dispatches to this CPU's instance of
 * the current generation and its callback (trylock: a busy instance gives
 * the hook's default verdict). On
 * reload the new generation's specs are diffed against the old: unchanged
 * hooks stay registered and see the new generation right after the swap,
 * new ones are registered before the swap, removed ones unregistered after
 * it (and after the grace period, before the old generation is freed).
 */
#include <linux/cpumask.h>
#include <linux/cred.h>
#include <linux/export.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "lunatik_internal.h"
#include "hook.h"

struct lunatik_net {
	struct mutex lock;	/* serializes list writers */
	struct list_head sets;
};

static unsigned int lunatik_net_id __read_mostly;

static struct lunatik_net *lunatik_pernet(struct net *net)
{
	return net_generic(net, lunatik_net_id);
}

/* ------------------------------------------------------------ generations */

static void lunatik_gen_free(struct lunatik_gen *gen)
{
	unsigned int i;

	for (i = 0; i < gen->n; i++) {
		struct lunatik_runtime *rt = gen->inst[i];

		if (!rt)
			continue;
		lunatik_runtime_close(rt);
		lunatik_hook_recs_free(rt);
		lunatik_runtime_free(rt);
	}
	lunatik_hook_gen_free(gen);
	lunatik_free(gen);
}

static void lunatik_gen_release(struct kref *kref)
{
	lunatik_gen_free(container_of(kref, struct lunatik_gen, ref));
}

/**
 * lunatik_gen_put - drop a generation reference (process context)
 */
void lunatik_gen_put(struct lunatik_gen *gen)
{
	might_sleep();
	kref_put(&gen->ref, lunatik_gen_release);
}

static struct lunatik_gen *lunatik_gen_new(struct lunatik_set *set,
					   const char *script,
					   const char *chunkname, u32 id,
					   struct lunatik_err *err)
{
	bool softirq = set->context == LUNATIK_CONTEXT_SOFTIRQ;
	bool percpu = softirq && !set->shared;
	unsigned int n = percpu ? nr_cpu_ids : 1;
	struct lunatik_runtime_cfg cfg = {
		.script = script,
		.chunkname = chunkname,
		.set = set,
		.net = set->net,
		.cpu = -1,
		.sleep = !softirq,
		.mem_limit = set->mem_limit,
		.budget = set->budget,
		.cred = set->cred,
	};
	struct lunatik_gen *gen;
	int cpu;

	gen = lunatik_zalloc(struct_size(gen, inst, n), GFP_KERNEL);
	if (!gen) {
		err->errno_ = ENOMEM;
		strscpy(err->msg, "not enough memory", sizeof(err->msg));
		return ERR_PTR(-ENOMEM);
	}
	gen->id = id;
	gen->n = n;
	kref_init(&gen->ref);

	for (cpu = 0; cpu < n; cpu++) {
		struct lunatik_runtime *rt;

		if (percpu) {
			if (!cpu_possible(cpu))
				continue;
			cfg.cpu = cpu;
		}
		rt = lunatik_runtime_new(&cfg, err);
		if (IS_ERR(rt)) {
			lunatik_gen_free(gen);
			return ERR_CAST(rt);
		}
		rt->owner = -1;
		gen->inst[cpu] = rt;
	}
	return gen;
}

static void lunatik_gen_retire_work(struct work_struct *work)
{
	struct lunatik_gen *gen = container_of(to_rcu_work(work),
					       struct lunatik_gen, rwork);
	struct lunatik_set *set = gen->set;

	lunatik_free(gen->oldscript);
	lunatik_free(gen->oldchunk);
	lunatik_gen_put(gen);
	lunatik_set_put(set);
}

/*
 * Drop the set's reference on an unpublished generation once no RCU reader
 * can see it. Deferred to process context (lua_close() may sleep) rather
 * than synchronize_rcu() here: STOP and RELOAD return without waiting for a
 * grace period.
 */
static void lunatik_gen_retire(struct lunatik_set *set, struct lunatik_gen *gen)
{
	lunatik_set_get(set);
	gen->set = set;
	INIT_RCU_WORK(&gen->rwork, lunatik_gen_retire_work);
	lunatik_defer_rcu(&gen->rwork);
}

/**
 * lunatik_set_gen_get - take a reference on the current generation
 *
 * For callers that must sleep while using it (process sets, LIST).
 * Return: the generation or NULL when the set was stopped.
 */
struct lunatik_gen *lunatik_set_gen_get(struct lunatik_set *set)
{
	struct lunatik_gen *gen;

	rcu_read_lock();
	gen = rcu_dereference(set->gen);
	if (gen && !kref_get_unless_zero(&gen->ref))
		gen = NULL;
	rcu_read_unlock();
	return gen;
}

/* ------------------------------------------------------------------ calls */

/**
 * lunatik_set_inst - the instance a call on this CPU runs in (softirq set,
 * BH off): this CPU's, or the one instance of a shared set
 */
struct lunatik_runtime *lunatik_set_inst(const struct lunatik_set *set,
					 const struct lunatik_gen *gen)
{
	return gen->inst[set->shared ? 0 : smp_processor_id()];
}

/**
 * lunatik_shared_lock - lock the instance of a shared set (BH off)
 *
 * Other CPUs are waited for (spin): that wait is what a shared instance
 * costs. The holder being this CPU means a call made while the instance
 * runs here (Lua causing a transmit that meets a hook of the set): waiting
 * would never end, so that is -EBUSY. Only the holder writes its own CPU
 * into @owner, and clears it before unlocking, so this CPU reads its own
 * id there only while it holds the lock.
 */
int lunatik_shared_lock(struct lunatik_runtime *rt)
{
	int cpu = smp_processor_id();

	if (READ_ONCE(rt->owner) == cpu)
		return -EBUSY;
	spin_lock(&rt->spin);
	WRITE_ONCE(rt->owner, cpu);
	return 0;
}

void lunatik_shared_unlock(struct lunatik_runtime *rt)
{
	WRITE_ONCE(rt->owner, -1);
	spin_unlock(&rt->spin);
}

/**
 * lunatik_set_run - run @fn in this CPU's instance of the current generation
 * @set: the set
 * @fn:  handler, runs protected under the instance lock with the budget armed
 * @arg: its argument
 * @ret: receives @fn's return value when it succeeds (may be NULL)
 * @err: receives the Lua error (NULL: logged rate-limited)
 *
 * Softirq sets: under spin_lock with BH disabled, on the instance of the CPU
 * the caller runs on (callable from softirq and process context); a shared
 * set's one instance, -EBUSY when this CPU already holds it.
 * Process sets: under the instance mutex (process context only).
 * Return: 0 or -errno (-ENXIO when the set was stopped, see
 * lunatik_runtime_call() for the others).
 */
int lunatik_set_run(struct lunatik_set *set, lunatik_handler_t fn, void *arg,
		    int *ret, struct lunatik_err *err)
{
	struct lunatik_runtime *rt;
	struct lunatik_gen *gen;
	int status;

	if (set->context == LUNATIK_CONTEXT_SOFTIRQ) {
		local_bh_disable();
		rcu_read_lock();
		gen = rcu_dereference(set->gen);
		if (!gen) {
			status = -ENXIO;
			goto out_rcu;
		}
		rt = lunatik_set_inst(set, gen);
		if (set->shared) {
			status = lunatik_shared_lock(rt);
			if (status)
				goto out_rcu;
		} else {
			spin_lock(&rt->spin);
		}
		status = lunatik_runtime_call(rt, fn, arg, ret, err);
		if (set->shared)
			lunatik_shared_unlock(rt);
		else
			spin_unlock(&rt->spin);
out_rcu:
		rcu_read_unlock();
		local_bh_enable();
		return status;
	}

	might_sleep();
	gen = lunatik_set_gen_get(set);
	if (!gen)
		return -ENXIO;
	rt = gen->inst[0];
	status = mutex_lock_killable(&rt->mutex);
	if (!status) {
		status = lunatik_runtime_call(rt, fn, arg, ret, err);
		mutex_unlock(&rt->mutex);
	}
	lunatik_gen_put(gen);
	return status;
}

/**
 * lunatik_set_call - the entry point of hooks
 * @dflt: returned when the set is stopped or the call fails in any way
 *        (Lua error, budget, memory cap); the failure is counted and logged
 *        rate-limited
 *
 * Return: @fn's return value or @dflt.
 */
int lunatik_set_call(struct lunatik_set *set, lunatik_handler_t fn, void *arg,
		     int dflt)
{
	int ret;

	if (lunatik_set_run(set, fn, arg, &ret, NULL))
		return dflt;
	return ret;
}
EXPORT_SYMBOL_GPL(lunatik_set_call);

/* ------------------------------------------------------------ set objects */

static void lunatik_set_free_rcu(struct rcu_head *head)
{
	struct lunatik_set *set = container_of(head, struct lunatik_set, rcu);

	lunatik_free(rcu_access_pointer(set->script));
	lunatik_free(rcu_access_pointer(set->chunkname));
	lunatik_free(set);
}

static void lunatik_set_release(struct kref *kref)
{
	struct lunatik_set *set = container_of(kref, struct lunatik_set, kref);

	mutex_destroy(&set->lock);
	if (set->cred)
		put_cred(set->cred);
	call_rcu(&set->rcu, lunatik_set_free_rcu);
}

void lunatik_set_get(struct lunatik_set *set)
{
	kref_get(&set->kref);
}

/* Any context: the memory goes after a grace period. */
void lunatik_set_put(struct lunatik_set *set)
{
	kref_put(&set->kref, lunatik_set_release);
}
EXPORT_SYMBOL_GPL(lunatik_set_put);

static struct lunatik_set *__lunatik_set_find(struct lunatik_net *ln,
					      const char *name)
{
	struct lunatik_set *set;

	list_for_each_entry_rcu(set, &ln->sets, node,
				lockdep_is_held(&ln->lock))
		if (!strcmp(set->name, name))
			return set;
	return NULL;
}

/**
 * lunatik_set_find - look a set up by name and take a reference
 */
struct lunatik_set *lunatik_set_find(struct net *net, const char *name)
{
	struct lunatik_set *set;

	rcu_read_lock();
	set = __lunatik_set_find(lunatik_pernet(net), name);
	if (set && !kref_get_unless_zero(&set->kref))
		set = NULL;
	rcu_read_unlock();
	return set;
}
EXPORT_SYMBOL_GPL(lunatik_set_find);

static char *lunatik_strdup(const char *s)
{
	size_t len;
	char *d;

	if (!s)
		return NULL;
	len = strlen(s) + 1;
	d = lunatik_malloc(len, GFP_KERNEL);
	if (d)
		memcpy(d, s, len);
	return d;
}

static void lunatik_err_nomem(struct lunatik_err *err)
{
	err->errno_ = ENOMEM;
	strscpy(err->msg, "not enough memory", sizeof(err->msg));
}

/**
 * lunatik_set_create - create, load and publish a set
 *
 * Every instance loads and runs @script in process context before the set
 * becomes visible. Return: the set with a reference for the caller, or
 * ERR_PTR(-errno) with @err filled in.
 */
struct lunatik_set *lunatik_set_create(struct net *net, const char *name,
				       const char *script, const char *chunkname,
				       enum lunatik_context context,
				       u64 mem_limit, u32 budget,
				       u32 hook_budget, enum lunatik_policy policy,
				       bool shared, struct lunatik_err *err)
{
	struct lunatik_net *ln = lunatik_pernet(net);
	struct lunatik_set *set;
	struct lunatik_gen *gen;
	int ret;

	rcu_read_lock();
	set = __lunatik_set_find(ln, name);
	rcu_read_unlock();
	if (set)
		goto out_exists;

	set = lunatik_zalloc(sizeof(*set), GFP_KERNEL);
	if (!set)
		goto out_nomem;
	kref_init(&set->kref);
	mutex_init(&set->lock);
	set->net = net;
	strscpy(set->name, name, sizeof(set->name));
	set->context = context;
	set->mem_limit = mem_limit;
	set->budget = budget;
	/*
	 * Its scripts open files as the creator, for the set's whole life:
	 * reloads, kernel threads and queue workers included.
	 */
	set->cred = get_current_cred();
	set->hook_budget = hook_budget;
	set->policy = policy;
	set->shared = shared && context == LUNATIK_CONTEXT_SOFTIRQ;
	INIT_LIST_HEAD(&set->hooks);
	RCU_INIT_POINTER(set->script, lunatik_strdup(script));
	RCU_INIT_POINTER(set->chunkname, lunatik_strdup(chunkname));
	if (!rcu_access_pointer(set->script) ||
	    (chunkname && !rcu_access_pointer(set->chunkname)))
		goto out_put_nomem;

	gen = lunatik_gen_new(set, script, chunkname, 0, err);
	if (IS_ERR(gen)) {
		ret = PTR_ERR(gen);
		goto out_put;
	}
	set->next_gen = 1;
	/* published before its hooks are attached: their first packets find it */
	rcu_assign_pointer(set->gen, gen);
	mutex_lock(&set->lock);
	ret = lunatik_hook_prepare(set, gen, err);
	mutex_unlock(&set->lock);
	if (ret) {
		RCU_INIT_POINTER(set->gen, NULL);
		lunatik_gen_put(gen);
		goto out_put;
	}

	mutex_lock(&ln->lock);
	if (__lunatik_set_find(ln, name)) {
		mutex_unlock(&ln->lock);
		mutex_lock(&set->lock);
		lunatik_hook_remove_all(set);
		mutex_unlock(&set->lock);
		RCU_INIT_POINTER(set->gen, NULL);
		lunatik_gen_put(gen);
		lunatik_set_put(set);
		goto out_exists;
	}
	lunatik_set_get(set);	/* the caller's */
	list_add_tail_rcu(&set->node, &ln->sets);
	lunatik_stats_set(1);
	mutex_unlock(&ln->lock);
	return set;

out_put_nomem:
	lunatik_err_nomem(err);
	ret = -ENOMEM;
out_put:
	lunatik_set_put(set);
	return ERR_PTR(ret);
out_nomem:
	lunatik_err_nomem(err);
	return ERR_PTR(-ENOMEM);
out_exists:
	err->errno_ = EEXIST;
	snprintf(err->msg, sizeof(err->msg), "set %s already exists", name);
	return ERR_PTR(-EEXIST);
}

/**
 * lunatik_set_reload - load a new generation and swap it in
 * @script:    new script path, NULL to reload the current one
 * @chunkname: new chunk name, NULL to keep the current one
 *
 * On failure the current generation keeps running untouched.
 */
int lunatik_set_reload(struct lunatik_set *set, const char *script,
		       const char *chunkname, struct lunatik_err *err)
{
	char *newscript = NULL, *newchunk = NULL, *oldscript, *oldchunk;
	const char *usescript, *usechunk;
	struct lunatik_gen *gen, *old;
	int ret;

	if (script) {
		newscript = lunatik_strdup(script);
		if (!newscript)
			goto out_nomem;
	}
	if (chunkname) {
		newchunk = lunatik_strdup(chunkname);
		if (!newchunk)
			goto out_nomem;
	}

	ret = mutex_lock_killable(&set->lock);
	if (ret)
		goto out_free;
	old = rcu_dereference_protected(set->gen, lockdep_is_held(&set->lock));
	if (!old) {
		ret = -ENXIO;
		err->errno_ = ENXIO;
		snprintf(err->msg, sizeof(err->msg), "set %s was stopped",
			 set->name);
		goto out_unlock;
	}
	oldscript = rcu_dereference_protected(set->script,
					      lockdep_is_held(&set->lock));
	oldchunk = rcu_dereference_protected(set->chunkname,
					     lockdep_is_held(&set->lock));
	usescript = newscript ? newscript : oldscript;
	/* a new script without a new chunk name gets "@path" */
	usechunk = newchunk ? newchunk : (newscript ? NULL : oldchunk);

	gen = lunatik_gen_new(set, usescript, usechunk, set->next_gen, err);
	if (IS_ERR(gen)) {
		ret = PTR_ERR(gen);
		goto out_unlock;
	}
	/* new hooks attach before the swap, removed ones go after it */
	ret = lunatik_hook_prepare(set, gen, err);
	if (ret) {
		mutex_unlock(&set->lock);
		lunatik_gen_put(gen);
		goto out_free;
	}
	set->next_gen++;
	rcu_assign_pointer(set->gen, gen);
	lunatik_hook_commit(set);
	if (newscript) {
		rcu_assign_pointer(set->script, newscript);
		rcu_assign_pointer(set->chunkname, newchunk);
	} else if (newchunk) {
		rcu_assign_pointer(set->chunkname, newchunk);
	}
	mutex_unlock(&set->lock);

	/* readers may still see the old strings: they go with the old gen */
	if (newscript)
		old->oldscript = oldscript;
	if (newscript || newchunk)
		old->oldchunk = oldchunk;
	lunatik_gen_retire(set, old);
	return 0;

out_unlock:
	mutex_unlock(&set->lock);
out_free:
	lunatik_free(newscript);
	lunatik_free(newchunk);
	return ret;
out_nomem:
	lunatik_free(newscript);
	lunatik_err_nomem(err);
	return -ENOMEM;
}

/* Unpublish the generation, wait for its callers, drop the list reference.
 * The set must already be off the netns list. */
static void lunatik_set_retire(struct lunatik_set *set)
{
	struct lunatik_gen *gen;

	mutex_lock(&set->lock);
	/* no packet reaches the set once this returns */
	lunatik_hook_remove_all(set);
	gen = rcu_replace_pointer(set->gen, NULL, lockdep_is_held(&set->lock));
	mutex_unlock(&set->lock);

	if (gen)
		lunatik_gen_retire(set, gen);
	lunatik_stats_set(-1);
	lunatik_set_put(set);
}

/**
 * lunatik_set_stop - stop the set @name of @net and release it
 *
 * Return: 0 or -ENOENT.
 */
int lunatik_set_stop(struct net *net, const char *name)
{
	struct lunatik_net *ln = lunatik_pernet(net);
	struct lunatik_set *set;

	mutex_lock(&ln->lock);
	set = __lunatik_set_find(ln, name);
	if (set)
		list_del_rcu(&set->node);
	mutex_unlock(&ln->lock);
	if (!set)
		return -ENOENT;
	lunatik_set_retire(set);
	return 0;
}

/**
 * lunatik_set_nth - the @idx-th set of @net, with a reference, or NULL
 *
 * Dumps resume by index: a set stopped between two dump rounds shifts the
 * rest by one, as in any netlink dump of a changing list.
 */
struct lunatik_set *lunatik_set_nth(struct net *net, unsigned long idx)
{
	struct lunatik_net *ln = lunatik_pernet(net);
	struct lunatik_set *set, *found = NULL;
	unsigned long i = 0;

	rcu_read_lock();
	list_for_each_entry_rcu(set, &ln->sets, node) {
		if (i++ != idx)
			continue;
		if (kref_get_unless_zero(&set->kref))
			found = set;
		break;
	}
	rcu_read_unlock();
	return found;
}

/* ------------------------------------------------------------------ pernet */

static int __net_init lunatik_net_init(struct net *net)
{
	struct lunatik_net *ln = lunatik_pernet(net);

	mutex_init(&ln->lock);
	INIT_LIST_HEAD(&ln->sets);
	return 0;
}

static void __net_exit lunatik_net_exit(struct net *net)
{
	struct lunatik_net *ln = lunatik_pernet(net);
	struct lunatik_set *set;

	for (;;) {
		mutex_lock(&ln->lock);
		set = list_first_entry_or_null(&ln->sets, struct lunatik_set,
					       node);
		if (set)
			list_del_rcu(&set->node);
		mutex_unlock(&ln->lock);
		if (!set)
			break;
		lunatik_set_retire(set);
	}
	/* close every state of this netns while the netns still exists */
	lunatik_object_flush(LUNATIK_FLUSH_ALL);
	mutex_destroy(&ln->lock);
}

static struct pernet_operations lunatik_net_ops = {
	.init = lunatik_net_init,
	.exit = lunatik_net_exit,
	.id = &lunatik_net_id,
	.size = sizeof(struct lunatik_net),
};

int lunatik_set_net_init(void)
{
	return register_pernet_subsys(&lunatik_net_ops);
}

/* Stops every set of every netns; the sets' memory goes after rcu_barrier(). */
void lunatik_set_net_exit(void)
{
	unregister_pernet_subsys(&lunatik_net_ops);
}
