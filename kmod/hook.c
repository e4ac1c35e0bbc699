// SPDX-License-Identifier: GPL-2.0
/*
 * hook.c - the shared hook core (see hook.h for the life of a hook): records
 * made by script bodies, the agreement check across instances, one kernel
 * hook per spec per set, the reload diff, the packet path and counters.
 *
 * Locking
 *   - records belong to an instance and are written only while its body
 *     runs (process context, before the generation is published);
 *   - the set's hook list is written under set->lock (or before the set is
 *     visible) and read under RCU by LIST; hooks are freed after a grace
 *     period;
 *   - a generation's hook map (which hook is which record) is written before
 *     any packet can look at it and never changes afterwards;
 *   - the packet path takes only the instance lock of its own CPU, with
 *     trylock; in a shared set (one instance for all CPUs) it waits for
 *     other CPUs and gives up only when this CPU holds the lock already
 *     (lunatik_shared_lock).
 */
#include <linux/bottom_half.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "lunatik_internal.h"
#include "hook.h"

struct lunatik_hook_rec {
	const struct lunatik_hook_type *type;
	u8 spec[LUNATIK_HOOK_SPEC_MAX];
};

/**
 * struct lunatik_hook_recs - the registrations an instance's body made
 * @n:   records in @rec
 * @ref: registry reference of a table holding, at n + 1, the Lua value of
 *       record n
 */
struct lunatik_hook_recs {
	unsigned int n;
	int ref;
	struct lunatik_hook_rec rec[LUNATIK_HOOK_MAX];
};

/* ----------------------------------------------------------------- record */

int lunatik_hook_record(lua_State *L, const struct lunatik_hook_type *type,
			const void *spec, int idx)
{
	struct lunatik_runtime *rt = lunatik_toruntime(L);
	struct lunatik_hook_recs *recs;
	struct lunatik_hook_rec *rec;

	if (WARN_ON_ONCE(type->spec_size > LUNATIK_HOOK_SPEC_MAX ||
			 type->nverdicts > LUNATIK_HOOK_VERDICTS_MAX))
		return luaL_error(L, "%s: bad hook type", type->name);
	if (!rt->set)
		return luaL_error(L, "%s hooks are registered by the script of a "
				  "runtime set, not by a runtime made from Lua",
				  type->name);
	if (rt->set->context != LUNATIK_CONTEXT_SOFTIRQ)
		return luaL_error(L, "%s hooks run in softirq: create the set "
				  "with --context softirq", type->name);
	if (!rt->ctx_sleep)
		return luaL_error(L, "%s hooks are registered by the script body "
				  "(at load), not from a call", type->name);

	idx = lua_absindex(L, idx);
	recs = rt->hookrecs;
	if (!recs) {
		recs = lunatik_zalloc(sizeof(*recs), GFP_KERNEL);
		if (!recs)
			return luaL_error(L, "not enough memory");
		recs->ref = LUA_NOREF;
		rt->hookrecs = recs;
	}
	if (recs->n >= LUNATIK_HOOK_MAX)
		return luaL_error(L, "too many hooks (at most %d per set)",
				  LUNATIK_HOOK_MAX);
	if (recs->ref == LUA_NOREF) {
		lua_newtable(L);
		recs->ref = luaL_ref(L, LUA_REGISTRYINDEX);
	}
	lua_rawgeti(L, LUA_REGISTRYINDEX, recs->ref);
	lua_pushvalue(L, idx);
	lua_rawseti(L, -2, recs->n + 1);	/* may raise: nothing counted yet */
	lua_pop(L, 1);

	rec = &recs->rec[recs->n];
	rec->type = type;
	memset(rec->spec, 0, sizeof(rec->spec));
	memcpy(rec->spec, spec, type->spec_size);
	return recs->n++;
}

/* After lua_close(): the registry table went with the state. */
void lunatik_hook_recs_free(struct lunatik_runtime *rt)
{
	lunatik_free(rt->hookrecs);
	rt->hookrecs = NULL;
}

static bool lunatik_hook_rec_eq(const struct lunatik_hook_rec *a,
				const struct lunatik_hook_rec *b)
{
	return a->type == b->type &&
	       !memcmp(a->spec, b->spec, LUNATIK_HOOK_SPEC_MAX);
}

static const struct lunatik_hook_recs *lunatik_hook_gen_recs(
	const struct lunatik_gen *gen, struct lunatik_err *err)
{
	static const struct lunatik_hook_recs none;
	const struct lunatik_hook_recs *first = NULL;
	unsigned int i, j;

	for (i = 0; i < gen->n; i++) {
		const struct lunatik_hook_recs *r;

		if (!gen->inst[i])
			continue;
		r = gen->inst[i]->hookrecs ? gen->inst[i]->hookrecs : &none;
		if (!first) {
			first = r;
			continue;
		}
		if (r->n != first->n)
			goto out_differ;
		for (j = 0; j < r->n; j++)
			if (!lunatik_hook_rec_eq(&r->rec[j], &first->rec[j]))
				goto out_differ;
	}
	return first ? first : &none;

out_differ:
	err->errno_ = EINVAL;
	snprintf(err->msg, sizeof(err->msg),
		 "instances registered different hooks (the script body must "
		 "register the same hooks on every CPU)");
	return NULL;
}

/* ---------------------------------------------------------------- hooks */

static void lunatik_hook_free_rcu(struct rcu_head *head)
{
	struct lunatik_hook *hook = container_of(head, struct lunatik_hook, rcu);

	free_percpu(hook->stats);
	lunatik_set_put(hook->set);
	lunatik_free(hook);
}

/* Detach @hook and free it after LIST readers are done (set->lock held). */
static void lunatik_hook_destroy(struct lunatik_hook *hook)
{
	if (hook->attached)
		hook->type->detach(hook);
	hook->attached = false;
	list_del_rcu(&hook->node);
	hook->set->nhooks--;
	call_rcu(&hook->rcu, lunatik_hook_free_rcu);
}

static struct lunatik_hook *lunatik_hook_new(struct lunatik_set *set,
					     const struct lunatik_hook_rec *rec)
{
	const struct lunatik_hook_type *type = rec->type;
	struct lunatik_hook *hook;

	hook = lunatik_zalloc(sizeof(*hook) + type->priv_size, GFP_KERNEL);
	if (!hook)
		return NULL;
	hook->stats = alloc_percpu(struct lunatik_hook_stats);
	if (!hook->stats) {
		lunatik_free(hook);
		return NULL;
	}
	hook->type = type;
	hook->dflt = set->policy == LUNATIK_POLICY_DROP ? type->drop : type->pass;
	memcpy(hook->spec, rec->spec, sizeof(hook->spec));
	lunatik_set_get(set);
	hook->set = set;
	return hook;
}

/**
 * lunatik_hook_prepare - register the hooks @gen needs before it goes live
 * @set: the set, set->lock held (or not yet visible)
 * @gen: the loaded, not yet published generation (create: published,
 *       with no hook yet)
 *
 * Checks that all instances agree, keeps the set's hooks whose spec is
 * recorded again, attaches new ones, and fills @gen's hook map. Hooks of
 * the set not recorded by @gen are left attached for lunatik_hook_commit()
 * to remove once @gen is published. On failure nothing changed.
 */
int lunatik_hook_prepare(struct lunatik_set *set, struct lunatik_gen *gen,
			 struct lunatik_err *err)
{
	const struct lunatik_hook_recs *recs;
	struct lunatik_hook **map = NULL;
	struct lunatik_hook *hook, *tmp;
	unsigned int i;
	int ret;

	recs = lunatik_hook_gen_recs(gen, err);
	if (!recs)
		return -EINVAL;
	list_for_each_entry(hook, &set->hooks, node)
		hook->keep = hook->fresh = false;
	if (!recs->n)
		return 0;

	map = lunatik_zalloc(recs->n * sizeof(*map), GFP_KERNEL);
	if (!map)
		goto out_nomem;
	/* packets on a hook attached below look here: published first */
	gen->nhooks = recs->n;
	WRITE_ONCE(gen->hookmap, map);

	for (i = 0; i < recs->n; i++) {
		const struct lunatik_hook_rec *rec = &recs->rec[i];
		struct lunatik_hook *found = NULL;

		list_for_each_entry(hook, &set->hooks, node)
			if (!hook->keep && hook->type == rec->type &&
			    !memcmp(hook->spec, rec->spec, sizeof(hook->spec))) {
				found = hook;
				break;
			}
		if (found) {
			found->keep = true;
			WRITE_ONCE(map[i], found);
			continue;
		}
		hook = lunatik_hook_new(set, rec);
		if (!hook)
			goto out_nomem;
		hook->keep = hook->fresh = true;
		list_add_tail_rcu(&hook->node, &set->hooks);
		set->nhooks++;
		WRITE_ONCE(map[i], hook);
		ret = rec->type->attach(hook);
		if (ret) {
			err->errno_ = -ret;
			snprintf(err->msg, sizeof(err->msg),
				 "cannot register %s hook #%u (errno %d)",
				 rec->type->name, i + 1, -ret);
			goto out_undo;
		}
		hook->attached = true;
	}
	list_for_each_entry(hook, &set->hooks, node)
		hook->fresh = false;
	return 0;

out_nomem:
	err->errno_ = ENOMEM;
	strscpy(err->msg, "not enough memory", sizeof(err->msg));
	ret = -ENOMEM;
out_undo:
	list_for_each_entry_safe(hook, tmp, &set->hooks, node)
		if (hook->fresh)
			lunatik_hook_destroy(hook);
	/* the generation is freed by the caller: no hook of it is left */
	return ret;
}

/**
 * lunatik_hook_commit - after @set published the generation that
 * lunatik_hook_prepare() prepared: remove the hooks it no longer records
 * (set->lock held)
 */
void lunatik_hook_commit(struct lunatik_set *set)
{
	struct lunatik_hook *hook, *tmp;

	list_for_each_entry_safe(hook, tmp, &set->hooks, node)
		if (!hook->keep)
			lunatik_hook_destroy(hook);
}

/**
 * lunatik_hook_remove_all - detach every hook of @set (stop, netns exit,
 * failed create); set->lock held or the set not visible
 */
void lunatik_hook_remove_all(struct lunatik_set *set)
{
	struct lunatik_hook *hook, *tmp;

	list_for_each_entry_safe(hook, tmp, &set->hooks, node)
		lunatik_hook_destroy(hook);
}

/* With the generation: its map only names hooks, it holds no reference. */
void lunatik_hook_gen_free(struct lunatik_gen *gen)
{
	lunatik_free(gen->hookmap);
	gen->hookmap = NULL;
}

/* ------------------------------------------------------------ packet path */

struct lunatik_hook_ctx {
	struct lunatik_hook *hook;
	int ref;
	unsigned int pos;
	void *arg;
};

static int lunatik_hook_handler(lua_State *L, void *p)
{
	struct lunatik_hook_ctx *c = p;

	lua_rawgeti(L, LUA_REGISTRYINDEX, c->ref);
	lua_rawgeti(L, -1, c->pos + 1);
	return c->hook->type->call(L, c->hook, c->arg);
}

static int lunatik_hook_pos(const struct lunatik_gen *gen,
			    const struct lunatik_hook *hook)
{
	struct lunatik_hook **map = READ_ONCE(gen->hookmap);
	unsigned int i;

	if (!map)
		return -1;
	for (i = 0; i < gen->nhooks; i++)
		if (READ_ONCE(map[i]) == hook)
			return i;
	return -1;
}

/*
 * @packet: a packet's call, counted with its verdict; else a control call
 * (an xtables rule's checkentry or destroy), where only the script's
 * failures are counted.
 */
static int lunatik_hook_exec(struct lunatik_hook *hook, void *arg,
			     bool packet)
{
	struct lunatik_set *set = hook->set;
	struct lunatik_hook_stats *st;
	struct lunatik_hook_ctx c = { .hook = hook, .arg = arg };
	struct lunatik_runtime *rt;
	struct lunatik_gen *gen;
	int verdict = hook->dflt, ret, pos, status;

	/* BH off: the instance lock is taken with BH off everywhere else,
	 * and this CPU's instance stays this CPU's */
	local_bh_disable();
	st = this_cpu_ptr(hook->stats);
	if (packet)
		st->packets++;
	rcu_read_lock();
	gen = rcu_dereference(set->gen);
	pos = gen ? lunatik_hook_pos(gen, hook) : -1;
	if (pos < 0) {
		if (packet)
			st->stopped++;
		goto out_fallback;
	}
	rt = lunatik_set_inst(set, gen);
	if (unlikely(!rt || !rt->hookrecs)) {
		if (packet)
			st->stopped++;
		goto out_fallback;
	}
	/* busy: this CPU is already running the instance (re-entry) */
	if (set->shared ? lunatik_shared_lock(rt) : !spin_trylock(&rt->spin)) {
		if (packet)
			st->busy++;
		goto out_fallback;
	}
	c.ref = rt->hookrecs->ref;
	c.pos = pos;
	status = lunatik_runtime_call_budget(rt, set->hook_budget,
					     lunatik_hook_handler, &c, &ret,
					     NULL);
	if (hook->type->done)
		hook->type->done(hook, arg);
	if (set->shared)
		lunatik_shared_unlock(rt);
	else
		spin_unlock(&rt->spin);

	if (status) {
		if (status == -ENXIO) {
			if (packet)
				st->stopped++;
		} else {
			st->errors++;
			if (status == -ETIME)
				st->budget_hits++;
			else if (status == -ENOMEM)
				st->memory++;
		}
		goto out_fallback;
	}
	if (ret < 0 || ret >= hook->type->nverdicts) {
		if (packet)
			st->bad_verdict++;
		goto out_fallback;
	}
	verdict = ret;
	goto out;

out_fallback:
	if (packet)
		st->fallback++;
out:
	if (packet)
		st->verdicts[verdict]++;
	rcu_read_unlock();
	local_bh_enable();
	return verdict;
}

int lunatik_hook_run(struct lunatik_hook *hook, void *arg)
{
	return lunatik_hook_exec(hook, arg, true);
}

int lunatik_hook_control(struct lunatik_hook *hook, void *arg)
{
	return lunatik_hook_exec(hook, arg, false);
}

struct net *lunatik_hook_net(const struct lunatik_hook *hook)
{
	return hook->set->net;
}

void lunatik_hook_counters(const struct lunatik_hook *hook,
			   struct lunatik_hook_stats *sum)
{
	int cpu, i;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		const struct lunatik_hook_stats *s = per_cpu_ptr(hook->stats, cpu);

		sum->packets += READ_ONCE(s->packets);
		sum->errors += READ_ONCE(s->errors);
		sum->budget_hits += READ_ONCE(s->budget_hits);
		sum->memory += READ_ONCE(s->memory);
		sum->busy += READ_ONCE(s->busy);
		sum->bad_verdict += READ_ONCE(s->bad_verdict);
		sum->stopped += READ_ONCE(s->stopped);
		sum->fallback += READ_ONCE(s->fallback);
		for (i = 0; i < LUNATIK_HOOK_VERDICTS_MAX; i++)
			sum->verdicts[i] += READ_ONCE(s->verdicts[i]);
	}
}
