/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hook.h - the shared core of kernel hooks (netfilter, xtables, XDP) that
 * call into a softirq runtime set. One file per hook type (hook_nf.c,
 * hook_xt.c, hook_xdp.c) fills a struct lunatik_hook_type; the Lua APIs in
 * kmod/lib/ record registrations with lunatik_hook_record().
 *
 * Life of a hook
 *   1. A script body calls e.g. netfilter.register{...}. The library turns
 *      the arguments into a fixed-size @spec (compared bytewise: zero it
 *      before filling it) and records it with the Lua value the hook will
 *      need at call time (lunatik_hook_record). Every instance of the set
 *      runs the body, so every instance records the same specs.
 *   2. When the whole generation is loaded, the core checks that every
 *      instance recorded the same specs in the same order, then registers
 *      ONE kernel hook per spec for the set (type->attach), in the set's
 *      network namespace.
 *   3. Per packet the kernel hook calls lunatik_hook_run(hook, arg): the
 *      instance of this CPU in the current generation runs type->call with
 *      the recorded value on top of its stack; the return value is the
 *      verdict. A busy instance (re-entry on this CPU), a stopped set, an
 *      error, the budget, the memory cap or a verdict out of range give the
 *      hook's default verdict, and each has its counter.
 *   4. On reload, specs equal to a registered hook's keep that hook (it
 *      sees the new generation right after the swap), new ones are attached
 *      before the swap, removed ones detached after it. Stop, netns exit and
 *      module unload detach every hook of the set.
 *
 * Verdicts are small integers 0 .. type->nverdicts - 1 (an index); the
 * hook type maps them to what its kernel hook returns.
 */
#ifndef LUNATIK_HOOK_H
#define LUNATIK_HOOK_H

#include <linux/list.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/types.h>

#include "lunatik.h"

/* Hooks one set may register (all types together). */
#define LUNATIK_HOOK_MAX		32
/* Bytes of a hook spec (the key compared across instances and reloads). */
#define LUNATIK_HOOK_SPEC_MAX		96
/* Verdict kinds a hook type may have (counted separately). */
#define LUNATIK_HOOK_VERDICTS_MAX	8
/* Text describing one hook in LIST ("ipv4 LOCAL_OUT prio -300"). */
#define LUNATIK_HOOK_DESC_MAX		64

struct lunatik_hook;

/**
 * struct lunatik_hook_type - one kind of kernel hook
 * @name:      shown in LIST ("netfilter")
 * @spec_size: bytes of the spec (<= LUNATIK_HOOK_SPEC_MAX)
 * @priv_size: bytes of per-hook private state (lunatik_hook_priv), zeroed
 * @nverdicts: valid verdicts are 0 .. @nverdicts - 1
 * @verdicts:  their names (for LIST), @nverdicts entries
 * @pass:      default verdict of a set whose policy is "pass" (the default)
 * @drop:      default verdict of a set whose policy is "drop"
 * @attach:    register the kernel hook for @hook (process context, may
 *             sleep); lunatik_hook_run() may be called as soon as it is
 *             registered. Return 0 or -errno.
 * @detach:    unregister it; when it returns no call is in flight and none
 *             will start (process context, may sleep)
 * @call:      runs in the instance, protected, budget armed, under the
 *             instance lock with BH off; the value recorded for this hook
 *             is on top of L's stack. May raise. Returns the verdict
 *             (anything outside 0 .. @nverdicts - 1 counts as "bad").
 * @done:      optional; runs after @call under the same lock whether or not
 *             it raised (invalidate packet data objects here)
 * @describe:  optional; fill @buf with a short text for LIST
 */
struct lunatik_hook_type {
	const char *name;
	size_t spec_size;
	size_t priv_size;
	unsigned int nverdicts;
	const char *const *verdicts;
	int pass;
	int drop;
	int (*attach)(struct lunatik_hook *hook);
	void (*detach)(struct lunatik_hook *hook);
	int (*call)(lua_State *L, struct lunatik_hook *hook, void *arg);
	void (*done)(struct lunatik_hook *hook, void *arg);
	void (*describe)(const struct lunatik_hook *hook, char *buf, size_t len);
};

/* Per-CPU counters of one hook (summed by lunatik_hook_counters). */
struct lunatik_hook_stats {
	u64 packets;		/* calls of lunatik_hook_run */
	u64 errors;		/* Lua errors (budget and memory included) */
	u64 budget_hits;	/* calls cut by the instruction budget */
	u64 memory;		/* calls failed by the memory cap */
	u64 busy;		/* instance busy on this CPU (re-entry) */
	u64 bad_verdict;	/* returns outside the verdict range */
	u64 stopped;		/* no generation for the hook (stop, reload) */
	u64 fallback;		/* default verdicts given, all causes */
	u64 verdicts[LUNATIK_HOOK_VERDICTS_MAX];
};

/**
 * struct lunatik_hook - one registered kernel hook of a set
 * @node:  entry in the set's hook list (RCU for LIST readers)
 * @type:  its type
 * @set:   the set (a reference is held while the hook exists)
 * @dflt:  default verdict (from the set's policy)
 * @stats: per-CPU counters
 * @spec:  the recorded spec (type->spec_size bytes, rest zero)
 * @priv:  type->priv_size bytes for the hook type (e.g. struct nf_hook_ops)
 */
struct lunatik_hook {
	struct list_head node;
	struct rcu_head rcu;
	const struct lunatik_hook_type *type;
	struct lunatik_set *set;
	int dflt;
	bool attached;
	bool keep;	/* recorded by the generation being prepared */
	bool fresh;	/* attached by the prepare in progress */
	struct lunatik_hook_stats __percpu *stats;
	u8 spec[LUNATIK_HOOK_SPEC_MAX] __aligned(8);
	u8 priv[] __aligned(8);
};

static inline void *lunatik_hook_priv(struct lunatik_hook *hook)
{
	return hook->priv;
}

static inline const void *lunatik_hook_spec(const struct lunatik_hook *hook)
{
	return hook->spec;
}

/**
 * lunatik_hook_record - record a hook registration made by a script body
 * @L:    the state running the body (a softirq set instance)
 * @type: hook type
 * @spec: type->spec_size bytes (padding zeroed: compared bytewise)
 * @idx:  stack index of the Lua value handed to type->call (any value)
 *
 * Raises a Lua error when L is not a softirq set instance running its
 * body ("use --context softirq"), or past LUNATIK_HOOK_MAX.
 * Return: the position of the record (0-based).
 */
int lunatik_hook_record(lua_State *L, const struct lunatik_hook_type *type,
			const void *spec, int idx);

/**
 * lunatik_hook_run - the packet path: call @hook's instance on this CPU
 * @hook: the hook
 * @arg:  handed to type->call / type->done
 *
 * Any context but hardirq/NMI. Takes no lock shared between CPUs; the
 * instance lock is taken with trylock, so a re-entrant call (Lua causing a
 * packet that meets a hook of the same set on the same CPU) gets the
 * default verdict and counts "busy" instead of deadlocking. A shared set
 * (set->shared, for comparison) waits for other CPUs on its one lock, and
 * gives re-entry on the same CPU the same treatment.
 * Return: the verdict index.
 */
int lunatik_hook_run(struct lunatik_hook *hook, void *arg);

/*
 * lunatik_hook_control - run @hook's script for a rule's setup or teardown
 * (xtables checkentry and destroy), as lunatik_hook_run() does, but not
 * counted as a packet: only the script's errors, budget and memory hits.
 */
int lunatik_hook_control(struct lunatik_hook *hook, void *arg);

/* The network namespace @hook is registered in. */
struct net *lunatik_hook_net(const struct lunatik_hook *hook);

/* Sum the per-CPU counters of @hook into @sum (any context). */
void lunatik_hook_counters(const struct lunatik_hook *hook,
			   struct lunatik_hook_stats *sum);

#endif /* LUNATIK_HOOK_H */
