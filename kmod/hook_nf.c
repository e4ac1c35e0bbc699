// SPDX-License-Identifier: GPL-2.0
/*
 * hook_nf.c - netfilter hooks over the hook core (hook.h).
 *
 * One nf_hook_ops per set and spec, registered in the set's network
 * namespace. Per packet the script gets the set's per-instance data object
 * over the packet: from the link-layer header when the packet has one
 * (ingress hooks: Ethernet first), else from the network header (LOCAL_OUT:
 * IP at 0), up to the end of the packet. The skb is made linear and
 * unshared first, so the whole packet is reachable and what the script
 * writes is what the stack sends on. The object is invalidated when the
 * call returns, also when it raised.
 *
 * Verdicts: the script's return is a netfilter verdict (0..NF_MAX_VERDICT).
 * The kernel frees nothing for verdicts other than ACCEPT, DROP and QUEUE,
 * so: STOLEN frees the packet here (nobody else holds it), STOP accepts (its
 * old meaning), REPEAT gets the hook's default verdict (a hook cannot ask to
 * be run again).
 *
 * NETDEV hooks name their device; when it goes away (unregistered, moved
 * to another netns) the hook is unregistered from the netdevice notifier
 * and stays inert until the set stops or reloads.
 */
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/netfilter_arp.h>
#include <linux/netfilter_bridge.h>
#include <linux/rtnetlink.h>
#include <linux/skbuff.h>

#include "lunatik.h"
#include "hook_nf.h"
#include "lib/luadata.h"

struct lunatik_nf_priv {
	struct nf_hook_ops ops;
	struct list_head dev_node;	/* NETDEV hooks, under RTNL */
};

struct lunatik_nf_arg {
	struct sk_buff *skb;
	lunatik_object_t *data;
};

/* NETDEV hooks whose device is still there (RTNL). */
static LIST_HEAD(lunatik_nf_devhooks);

static const char *const lunatik_nf_verdicts[] = {
	"DROP", "ACCEPT", "STOLEN", "QUEUE", "REPEAT", "STOP",
};

static unsigned int lunatik_nf_hookfn(void *priv, struct sk_buff *skb,
				      const struct nf_hook_state *state)
{
	struct lunatik_hook *hook = priv;
	struct lunatik_nf_arg a = { .skb = skb };
	int v = lunatik_hook_run(hook, &a);

	switch (v) {
	case NF_STOLEN:
		kfree_skb(skb);
		return NF_STOLEN;
	case NF_STOP:
		return NF_ACCEPT;
	case NF_REPEAT:
		return hook->dflt;
	default:
		return v;
	}
}

static int lunatik_nf_call(lua_State *L, struct lunatik_hook *hook, void *arg)
{
	struct lunatik_nf_arg *a = arg;
	struct sk_buff *skb = a->skb;
	lunatik_object_t *obj;
	unsigned char *base;
	lua_Integer v;
	int isnum;

	lua_rawgeti(L, -1, 1);	/* the hook function */
	lua_rawgeti(L, -2, 2);	/* the data object */
	obj = lunatik_toobject(L, -1);
	if (!obj)
		return luaL_error(L, "netfilter: packet object was closed");
	if (skb_linearize(skb) ||
	    (skb_cloned(skb) && pskb_expand_head(skb, 0, 0, GFP_ATOMIC)))
		return luaL_error(L, "netfilter: not enough memory for the packet");
	if (skb_mac_header_was_set(skb) && skb_mac_header(skb) < skb->data)
		base = skb_mac_header(skb);
	else
		base = skb->data;
	luadata_reset(obj, base, skb->len + (skb->data - base), LUADATA_RW);
	a->data = obj;
	lua_call(L, 1, 1);
	v = lua_tointegerx(L, -1, &isnum);
	if (!isnum || v < 0 || v > NF_MAX_VERDICT)
		return -1;
	return (int)v;
}

static void lunatik_nf_done(struct lunatik_hook *hook, void *arg)
{
	struct lunatik_nf_arg *a = arg;

	if (a->data)
		luadata_clear(a->data);
}

static int lunatik_nf_attach(struct lunatik_hook *hook)
{
	const struct lunatik_nf_spec *spec = lunatik_hook_spec(hook);
	struct lunatik_nf_priv *p = lunatik_hook_priv(hook);
	struct net *net = lunatik_hook_net(hook);
	struct net_device *dev;
	int ret;

	INIT_LIST_HEAD(&p->dev_node);
	p->ops.hook = lunatik_nf_hookfn;
	p->ops.priv = hook;
	p->ops.pf = spec->pf;
	p->ops.hooknum = spec->hooknum;
	p->ops.priority = spec->priority;
	if (spec->pf != NFPROTO_NETDEV)
		return nf_register_net_hook(net, &p->ops);

	rtnl_lock();
	dev = __dev_get_by_name(net, spec->dev);
	if (!dev) {
		ret = -ENODEV;
	} else {
		p->ops.dev = dev;
		ret = nf_register_net_hook(net, &p->ops);
		if (!ret)
			list_add(&p->dev_node, &lunatik_nf_devhooks);
	}
	rtnl_unlock();
	return ret;
}

static void lunatik_nf_detach(struct lunatik_hook *hook)
{
	struct lunatik_nf_priv *p = lunatik_hook_priv(hook);
	struct net *net = lunatik_hook_net(hook);

	if (p->ops.pf != NFPROTO_NETDEV) {
		nf_unregister_net_hook(net, &p->ops);
		return;
	}
	rtnl_lock();
	if (p->ops.dev) {
		nf_unregister_net_hook(net, &p->ops);
		p->ops.dev = NULL;
		list_del_init(&p->dev_node);
	}
	rtnl_unlock();
}

static int lunatik_nf_netdev_event(struct notifier_block *nb,
				   unsigned long event, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct lunatik_nf_priv *p, *tmp;

	if (event != NETDEV_UNREGISTER)
		return NOTIFY_DONE;
	ASSERT_RTNL();
	list_for_each_entry_safe(p, tmp, &lunatik_nf_devhooks, dev_node) {
		if (p->ops.dev != dev)
			continue;
		nf_unregister_net_hook(dev_net(dev), &p->ops);
		p->ops.dev = NULL;
		list_del_init(&p->dev_node);
	}
	return NOTIFY_DONE;
}

static struct notifier_block lunatik_nf_notifier = {
	.notifier_call = lunatik_nf_netdev_event,
};

/* ------------------------------------------------------------ spec checks */

static const char *lunatik_nf_family_name(int pf)
{
	switch (pf) {
	case NFPROTO_INET: return "inet";
	case NFPROTO_IPV4: return "ipv4";
	case NFPROTO_IPV6: return "ipv6";
	case NFPROTO_ARP: return "arp";
	case NFPROTO_BRIDGE: return "bridge";
	case NFPROTO_NETDEV: return "netdev";
	default: return NULL;
	}
}

static int lunatik_nf_nhooks(int pf)
{
	switch (pf) {
	case NFPROTO_INET:
	case NFPROTO_IPV4:
	case NFPROTO_IPV6:
		return NF_INET_POST_ROUTING + 1;	/* INGRESS needs a device */
	case NFPROTO_ARP:
		return IS_ENABLED(CONFIG_NETFILTER_FAMILY_ARP) ? NF_ARP_NUMHOOKS : 0;
	case NFPROTO_BRIDGE:
		return IS_ENABLED(CONFIG_NETFILTER_FAMILY_BRIDGE) ? NF_BR_NUMHOOKS : 0;
	case NFPROTO_NETDEV:
		return IS_ENABLED(CONFIG_NETFILTER_EGRESS) ? NF_NETDEV_EGRESS + 1 :
		       NF_NETDEV_INGRESS + 1;
	default:
		return 0;
	}
}

const char *lunatik_nf_check(const struct lunatik_nf_spec *spec)
{
	int n = lunatik_nf_nhooks(spec->pf);

	if (!lunatik_nf_family_name(spec->pf))
		return "unsupported family (pf)";
	if (!n)
		return "family not available in this kernel";
	if (spec->hooknum < 0 || spec->hooknum >= n)
		return "hooknum out of range for this family";
	if (spec->pf == NFPROTO_NETDEV && !spec->dev[0])
		return "NETDEV hooks need a device name (dev = \"eth0\")";
	if (spec->pf != NFPROTO_NETDEV && spec->dev[0])
		return "only NETDEV hooks take a device";
	return NULL;
}

static void lunatik_nf_describe(const struct lunatik_hook *hook, char *buf,
				size_t len)
{
	static const char *const inet[] = {
		"PRE_ROUTING", "LOCAL_IN", "FORWARD", "LOCAL_OUT", "POST_ROUTING",
	};
	static const char *const bridge[] = {
		"PRE_ROUTING", "LOCAL_IN", "FORWARD", "LOCAL_OUT",
		"POST_ROUTING", "BROUTING",
	};
	static const char *const arp[] = { "IN", "OUT", "FORWARD" };
	static const char *const netdev[] = { "INGRESS", "EGRESS" };
	const struct lunatik_nf_spec *spec = lunatik_hook_spec(hook);
	const char *const *names;
	int n;

	switch (spec->pf) {
	case NFPROTO_ARP:
		names = arp;
		n = ARRAY_SIZE(arp);
		break;
	case NFPROTO_BRIDGE:
		names = bridge;
		n = ARRAY_SIZE(bridge);
		break;
	case NFPROTO_NETDEV:
		names = netdev;
		n = ARRAY_SIZE(netdev);
		break;
	default:
		names = inet;
		n = ARRAY_SIZE(inet);
	}
	snprintf(buf, len, "%s %s%s%s prio %d",
		 lunatik_nf_family_name(spec->pf) ?: "?",
		 spec->hooknum >= 0 && spec->hooknum < n ? names[spec->hooknum] : "?",
		 spec->dev[0] ? " dev " : "", spec->dev, spec->priority);
}

const struct lunatik_hook_type lunatik_hook_nf = {
	.name = "netfilter",
	.spec_size = sizeof(struct lunatik_nf_spec),
	.priv_size = sizeof(struct lunatik_nf_priv),
	.nverdicts = ARRAY_SIZE(lunatik_nf_verdicts),
	.verdicts = lunatik_nf_verdicts,
	.pass = NF_ACCEPT,
	.drop = NF_DROP,
	.attach = lunatik_nf_attach,
	.detach = lunatik_nf_detach,
	.call = lunatik_nf_call,
	.done = lunatik_nf_done,
	.describe = lunatik_nf_describe,
};

int lunatik_hook_nf_init(void)
{
	return register_netdevice_notifier(&lunatik_nf_notifier);
}

void lunatik_hook_nf_exit(void)
{
	unregister_netdevice_notifier(&lunatik_nf_notifier);
}
