// SPDX-License-Identifier: GPL-2.0
/*
 * Test-only module for tests/vm/cases/netfilter/reenter.sh: makes the stack
 * transmit while a set's instance is running on this CPU, the way a C
 * extension that emits packets (or a Lua socket library) would. No Lua API
 * of lunatik.ko transmits, so this is the only way to reach the re-entry
 * path of the hook core (kmod/hook.c) for real.
 *
 * Writing "SET ADDR PORT" to /sys/module/lunatik_selftest_reenter/parameters/xmit
 * calls lunatik_set_call() on the set SET of the writer's network namespace;
 * inside that call (instance lock held, BH off) it sends one IPv4/UDP
 * datagram to ADDR:PORT with ip_local_out(), so the set's own LOCAL_OUT hook
 * meets its busy instance on this CPU. The outcome is readable from the
 * "last" parameter: "<call> <xmit>", where <call> is what lunatik_set_call()
 * returned (0: the call ran, -1000: it did not) and <xmit> what
 * ip_local_out() returned (0: sent on, -EPERM (-1): a hook dropped it).
 */
#include <linux/inet.h>
#include <linux/ip.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/nsproxy.h>
#include <linux/sched.h>
#include <linux/skbuff.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/net_namespace.h>
#include <net/route.h>

/* From lunatik.ko (kmod/lunatik.h, exported GPL-only for C extensions). */
struct lua_State;
struct lunatik_set;
struct lunatik_set *lunatik_set_find(struct net *net, const char *name);
void lunatik_set_put(struct lunatik_set *set);
int lunatik_set_call(struct lunatik_set *set,
		     int (*fn)(struct lua_State *L, void *arg), void *arg,
		     int dflt);

#define REENTER_NOT_RUN		-1000
#define REENTER_PAYLOAD		"reenter"

struct reenter_arg {
	struct net *net;
	__be32 daddr;
	__be16 port;
	int xmit;
};

static char reenter_last[32] = "none";
module_param_string(last, reenter_last, sizeof(reenter_last), 0444);
MODULE_PARM_DESC(last, "outcome of the last xmit: \"<call> <ip_local_out>\"");

/* Runs inside the set's instance: lock held, BH off, this CPU's instance. */
static int reenter_xmit(struct lua_State *L, void *p)
{
	struct reenter_arg *a = p;
	size_t plen = sizeof(REENTER_PAYLOAD) - 1;
	struct flowi4 fl4 = {
		.daddr = a->daddr,
		.flowi4_proto = IPPROTO_UDP,
	};
	struct sk_buff *skb;
	struct udphdr *uh;
	struct iphdr *iph;
	struct rtable *rt;
	int hlen;

	rt = ip_route_output_key(a->net, &fl4);
	if (IS_ERR(rt)) {
		a->xmit = PTR_ERR(rt);
		return 0;
	}
	hlen = LL_RESERVED_SPACE(rt->dst.dev);
	skb = alloc_skb(hlen + sizeof(*iph) + sizeof(*uh) + plen, GFP_ATOMIC);
	if (!skb) {
		ip_rt_put(rt);
		a->xmit = -ENOMEM;
		return 0;
	}
	skb_reserve(skb, hlen);
	skb_reset_network_header(skb);
	iph = skb_put_zero(skb, sizeof(*iph));
	skb_set_transport_header(skb, sizeof(*iph));
	uh = skb_put_zero(skb, sizeof(*uh));
	skb_put_data(skb, REENTER_PAYLOAD, plen);

	uh->source = a->port;
	uh->dest = a->port;
	uh->len = htons(sizeof(*uh) + plen);
	uh->check = 0;		/* none: allowed for IPv4 */
	iph->version = 4;
	iph->ihl = sizeof(*iph) / 4;
	iph->ttl = 64;
	iph->protocol = IPPROTO_UDP;
	iph->saddr = fl4.saddr;
	iph->daddr = fl4.daddr;
	/* __ip_local_out() sets tot_len and the header checksum */
	skb->protocol = htons(ETH_P_IP);
	skb_dst_set(skb, &rt->dst);

	a->xmit = ip_local_out(a->net, NULL, skb);
	return 0;
}

static int reenter_set_xmit(const char *val, const struct kernel_param *kp)
{
	struct reenter_arg a = { .net = current->nsproxy->net_ns };
	char name[128], addr[INET_ADDRSTRLEN];
	struct lunatik_set *set;
	unsigned int port;
	int call;

	if (sscanf(val, "%127s %15s %u", name, addr, &port) != 3 ||
	    !port || port > 65535 || !in4_pton(addr, -1, (u8 *)&a.daddr, -1, NULL))
		return -EINVAL;
	a.port = htons(port);
	set = lunatik_set_find(a.net, name);
	if (!set)
		return -ENOENT;
	a.xmit = REENTER_NOT_RUN;
	call = lunatik_set_call(set, reenter_xmit, &a, REENTER_NOT_RUN);
	lunatik_set_put(set);
	snprintf(reenter_last, sizeof(reenter_last), "%d %d", call, a.xmit);
	return 0;
}

static const struct kernel_param_ops reenter_xmit_ops = {
	.set = reenter_set_xmit,
};
module_param_cb(xmit, &reenter_xmit_ops, NULL, 0200);
MODULE_PARM_DESC(xmit, "\"SET ADDR PORT\": send a UDP datagram from inside SET's instance");

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lunatik-pipeline VM test: transmit from inside a set instance (hook re-entry)");
