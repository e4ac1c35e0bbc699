// SPDX-License-Identifier: GPL-2.0
/*
 * hook_xdp.c - the kfunc bpf_luaxdp_run() and the per-netns table it looks
 * runtime sets up in.
 *
 * Per packet: hash the key, walk one RCU bucket of the receiving device's
 * netns, compare names, and run the hook (hook.c: this CPU's instance,
 * trylock, budget). No allocation, no reference taken: the hook stays
 * valid for the RCU read side the XDP program runs in, as detach removes
 * it from the table and waits for a grace period before the core frees it.
 *
 * kfunc registration differs by kernel: the set macros became
 * BTF_KFUNCS_START in 6.9 (6.12 refuses the old form with -EINVAL), and
 * __bpf_kfunc_start_defs() exists from 6.7 (__bpf_kfunc from 6.2). Without module BTF the kfunc
 * would register yet be refused at program load, so Kbuild stops the build
 * instead (see kmod/Kbuild).
 */
#include <linux/bpf.h>
#include <linux/btf.h>
#include <linux/btf_ids.h>
#include <linux/hashtable.h>
#include <linux/jhash.h>
#include <linux/netdevice.h>
#include <linux/rculist.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/version.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <net/xdp.h>

#include "lunatik_internal.h"
#include "hook_xdp.h"

#define LUNATIK_XDP_HASH_BITS	6

/* 6.1 predates the marker (6.2): keep the function and its BTF entry */
#ifndef __bpf_kfunc
#define __bpf_kfunc __used noinline
#endif

struct lunatik_xdp_net {
	spinlock_t lock;		/* writers (attach/detach) */
	DECLARE_HASHTABLE(hooks, LUNATIK_XDP_HASH_BITS);
};

static unsigned int lunatik_xdp_net_id __read_mostly;

static struct lunatik_xdp_net *lunatik_xdp_pernet(struct net *net)
{
	return net_generic(net, lunatik_xdp_net_id);
}

static u32 lunatik_xdp_hash(const char *name, size_t len)
{
	return jhash(name, len, 0);
}

static const char *lunatik_xdp_name(const struct lunatik_hook *hook)
{
	return hook->set->name;
}

static struct lunatik_hook *lunatik_xdp_hook(struct lunatik_xdp_priv *p)
{
	return (struct lunatik_hook *)((u8 *)p -
				       offsetof(struct lunatik_hook, priv));
}

/* Under rcu_read_lock(). */
static struct lunatik_hook *lunatik_xdp_find(struct net *net, const char *key,
					     size_t len)
{
	struct lunatik_xdp_net *xn = lunatik_xdp_pernet(net);
	u32 hash = lunatik_xdp_hash(key, len);
	struct lunatik_xdp_priv *p;

	hash_for_each_possible_rcu(xn->hooks, p, node, hash) {
		struct lunatik_hook *hook = lunatik_xdp_hook(p);
		const char *name = lunatik_xdp_name(hook);

		if (p->hash == hash && strncmp(name, key, len) == 0 &&
		    name[len] == '\0')
			return hook;
	}
	return NULL;
}

/**
 * lunatik_xdp_attach - make @hook findable by its set's name
 * @hook: an XDP hook of a set (one per set: xdp.attach refuses a second)
 *
 * Return: 0, or -EEXIST when a hook of that name is already in the table.
 */
int lunatik_xdp_attach(struct lunatik_hook *hook)
{
	struct lunatik_xdp_net *xn = lunatik_xdp_pernet(lunatik_hook_net(hook));
	struct lunatik_xdp_priv *p = lunatik_hook_priv(hook);
	const char *name = lunatik_xdp_name(hook);
	int ret = 0;

	p->hash = lunatik_xdp_hash(name, strlen(name));
	spin_lock_bh(&xn->lock);
	rcu_read_lock();
	if (lunatik_xdp_find(lunatik_hook_net(hook), name, strlen(name)))
		ret = -EEXIST;
	else
		hash_add_rcu(xn->hooks, &p->node, p->hash);
	rcu_read_unlock();
	spin_unlock_bh(&xn->lock);
	return ret;
}

/**
 * lunatik_xdp_detach - remove @hook; no kfunc call uses it on return
 * @hook: an attached XDP hook
 */
void lunatik_xdp_detach(struct lunatik_hook *hook)
{
	struct lunatik_xdp_net *xn = lunatik_xdp_pernet(lunatik_hook_net(hook));
	struct lunatik_xdp_priv *p = lunatik_hook_priv(hook);

	spin_lock_bh(&xn->lock);
	hash_del_rcu(&p->node);
	spin_unlock_bh(&xn->lock);
	/* XDP programs run under RCU: wait for calls that found it */
	synchronize_rcu();
}

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 7, 0)
__bpf_kfunc_start_defs();
#else
__diag_push();
__diag_ignore_all("-Wmissing-prototypes",
		  "kfuncs are global functions found through BTF");
#endif

/**
 * bpf_luaxdp_run - run a runtime set's xdp.attach() callback on a frame
 * @key:     set name (NUL-terminated or @key__sz bytes)
 * @key__sz: bytes of @key
 * @xdp_ctx: the program's context
 * @arg:     bytes handed to the callback as its second data object
 * @arg__sz: their number
 *
 * Return: an XDP action (the set's default one on error, budget, memory
 * cap or busy instance), or -ENOENT when no set of that name in the
 * device's netns has a callback.
 */
__bpf_kfunc int bpf_luaxdp_run(char *key, size_t key__sz,
			       struct xdp_md *xdp_ctx, void *arg,
			       size_t arg__sz)
{
	struct xdp_buff *xdp = (struct xdp_buff *)xdp_ctx;
	struct lunatik_xdp_call call = {
		.data = xdp->data,
		.len = xdp->data_end - xdp->data,
		.arg = arg,
		.arg_len = arg__sz,
	};
	struct lunatik_hook *hook;
	int ret = -ENOENT;

	rcu_read_lock();
	hook = lunatik_xdp_find(dev_net(xdp->rxq->dev), key,
				strnlen(key, key__sz));
	if (hook) {
		ret = lunatik_hook_run(hook, &call);
		if (call.no_callback)
			ret = -ENOENT;
	}
	rcu_read_unlock();
	return ret;
}

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 7, 0)
__bpf_kfunc_end_defs();
#else
__diag_pop();
#endif

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 9, 0)
BTF_KFUNCS_START(lunatik_xdp_kfuncs)
BTF_ID_FLAGS(func, bpf_luaxdp_run)
BTF_KFUNCS_END(lunatik_xdp_kfuncs)
#else
BTF_SET8_START(lunatik_xdp_kfuncs)
BTF_ID_FLAGS(func, bpf_luaxdp_run)
BTF_SET8_END(lunatik_xdp_kfuncs)
#endif

static const struct btf_kfunc_id_set lunatik_xdp_kfunc_set = {
	.owner = THIS_MODULE,
	.set = &lunatik_xdp_kfuncs,
};

static int __net_init lunatik_xdp_net_init(struct net *net)
{
	struct lunatik_xdp_net *xn = lunatik_xdp_pernet(net);

	spin_lock_init(&xn->lock);
	hash_init(xn->hooks);
	return 0;
}

static void __net_exit lunatik_xdp_net_exit(struct net *net)
{
	/* the sets of @net detached their hooks first (their pernet
	 * operations were registered later, so they exit earlier) */
	WARN_ON_ONCE(!hash_empty(lunatik_xdp_pernet(net)->hooks));
}

static struct pernet_operations lunatik_xdp_net_ops = {
	.init = lunatik_xdp_net_init,
	.exit = lunatik_xdp_net_exit,
	.id = &lunatik_xdp_net_id,
	.size = sizeof(struct lunatik_xdp_net),
};

int lunatik_xdp_init(void)
{
	int ret;

	ret = register_pernet_subsys(&lunatik_xdp_net_ops);
	if (ret)
		return ret;
	/* cannot be undone: the kfuncs go away with the module's BTF */
	ret = register_btf_kfunc_id_set(BPF_PROG_TYPE_XDP,
					&lunatik_xdp_kfunc_set);
	if (ret)
		goto out_pernet;
	return 0;

out_pernet:
	unregister_pernet_subsys(&lunatik_xdp_net_ops);
	return ret;
}

void lunatik_xdp_exit(void)
{
	unregister_pernet_subsys(&lunatik_xdp_net_ops);
}
