/* SPDX-License-Identifier: GPL-2.0 */
/*
 * preclass_helpers.h - bounded L2/L3 parsing and the hand-off to Lua shared
 * by the pre-classifiers. Every parser checks bounds as `ptr + N > end`
 * (clang 14 emits `end - N` forms both verifiers reject) and returns the
 * next protocol, or a negative PRECLASS_* code for "pass, do not look".
 */
#ifndef PRECLASS_HELPERS_H
#define PRECLASS_HELPERS_H

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/in.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include "lunatik_xdp.h"
#include "preclass_abi.h"
#include "preclass_consts.h"
#include "preclass_structs.h"

struct vlan_hdr_ {
	__be16 tci;
	__be16 proto;
};

/* Ethernet and up to PRECLASS_VLAN_MAX tags: the inner EtherType, or -1. */
static __always_inline int preclass_parse_eth(struct preclass_cursor *c)
{
	struct ethhdr *eth = c->pos;
	struct vlan_hdr_ *vh;
	__u16 proto;
	int i;

	if ((void *)(eth + 1) > c->end)
		return PRECLASS_NOT_IP;
	proto = bpf_ntohs(eth->h_proto);
	c->pos = eth + 1;
#pragma unroll
	for (i = 0; i < PRECLASS_VLAN_MAX; i++) {
		if (proto != ETH_P_8021Q_ && proto != ETH_P_8021AD_)
			break;
		vh = c->pos;
		if ((void *)(vh + 1) > c->end)
			return PRECLASS_NOT_IP;
		proto = bpf_ntohs(vh->proto);
		c->pos = vh + 1;
	}
	return proto;
}

static __always_inline int preclass_parse_ipv4(struct preclass_cursor *c,
					       struct preclass_l3 *l3)
{
	struct iphdr *ip = c->pos;
	__u32 hlen, tot;

	if ((void *)(ip + 1) > c->end)
		return PRECLASS_NOT_IP;
	if (ip->version != 4 || ip->ihl < 5)
		return PRECLASS_NOT_IP;
	hlen = ip->ihl * 4;
	tot = bpf_ntohs(ip->tot_len);
	if (tot < hlen)
		return PRECLASS_NOT_IP;
	/* the options must be in the frame too */
	if (c->pos + hlen > c->end)
		return PRECLASS_NOT_IP;
	/* MF set or an offset: only the first fragment has the L4 header,
	 * and not necessarily all of what follows it */
	if (ip->frag_off & bpf_htons(0x3fff))
		return PRECLASS_FRAG;
	l3->hdr = ip;
	l3->family = 4;
	l3->l4len = tot - hlen;
	c->pos += hlen;
	return ip->protocol;
}

struct ipv6_opt_hdr_ {
	__u8 nexthdr;
	__u8 hdrlen;
};

struct ipv6_frag_hdr_ {
	__u8 nexthdr;
	__u8 reserved;
	__be16 frag_off;	/* offset << 3 | M */
	__be32 id;
};

/* IPv6 and up to PRECLASS_IPV6_EXT_MAX extension headers. */
static __always_inline int preclass_parse_ipv6(struct preclass_cursor *c,
					       struct preclass_l3 *l3)
{
	struct ipv6hdr *ip6 = c->pos;
	struct ipv6_opt_hdr_ *opt;
	struct ipv6_frag_hdr_ *fh;
	__u32 len, left;
	__u8 next;
	int i;

	if ((void *)(ip6 + 1) > c->end)
		return PRECLASS_NOT_IP;
	if (ip6->version != 6)
		return PRECLASS_NOT_IP;
	l3->hdr = ip6;
	l3->family = 6;
	left = bpf_ntohs(ip6->payload_len);
	next = ip6->nexthdr;
	c->pos = ip6 + 1;
#pragma unroll
	for (i = 0; i < PRECLASS_IPV6_EXT_MAX; i++) {
		switch (next) {
		case IPPROTO_HOPOPTS_:
		case IPPROTO_ROUTING_:
		case IPPROTO_DSTOPTS_:
			opt = c->pos;
			if ((void *)(opt + 1) > c->end)
				return PRECLASS_NOT_IP;
			len = (opt->hdrlen + 1) * 8;
			next = opt->nexthdr;
			break;
		case IPPROTO_AH_:
			opt = c->pos;
			if ((void *)(opt + 1) > c->end)
				return PRECLASS_NOT_IP;
			len = (opt->hdrlen + 2) * 4;
			next = opt->nexthdr;
			break;
		case IPPROTO_FRAGMENT_:
			fh = c->pos;
			if ((void *)(fh + 1) > c->end)
				return PRECLASS_NOT_IP;
			/* an atomic fragment (offset 0, no M) is whole */
			if (fh->frag_off & bpf_htons(0xfff9))
				return PRECLASS_FRAG;
			len = sizeof(*fh);
			next = fh->nexthdr;
			break;
		default:
			l3->l4len = left;
			return next;
		}
		if (len > left)
			return PRECLASS_NOT_IP;
		left -= len;
		if (c->pos + len > c->end)
			return PRECLASS_NOT_IP;
		c->pos += len;
	}
	switch (next) {
	case IPPROTO_HOPOPTS_:
	case IPPROTO_ROUTING_:
	case IPPROTO_DSTOPTS_:
	case IPPROTO_AH_:
	case IPPROTO_FRAGMENT_:
		/* still an extension header after the bound: not walked */
		return PRECLASS_NOT_IP;
	}
	l3->l4len = left;
	return next;
}

/* L2 and L3: the L4 protocol with c->pos on its header, or < 0. */
static __always_inline int preclass_parse_l3(struct preclass_cursor *c,
					     struct preclass_l3 *l3)
{
	switch (preclass_parse_eth(c)) {
	case ETH_P_IP_:
		return preclass_parse_ipv4(c, l3);
	case ETH_P_IPV6_:
		return preclass_parse_ipv6(c, l3);
	default:
		return PRECLASS_NOT_IP;
	}
}

/* Is @port (big endian) one of the configured ports? */
static __always_inline int preclass_port_match(__be16 port)
{
	int i;

#pragma unroll
	for (i = 0; i < PRECLASS_MAX_PORTS; i++)
		if (preclass_ports[i] && preclass_ports[i] == port)
			return 1;
	return 0;
}

static __always_inline struct preclass_counters *preclass_counters(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&preclass_stats, &zero);
}

static __always_inline void preclass_fill_arg(struct preclass_arg *arg,
					      struct preclass_cursor *c,
					      struct preclass_l3 *l3, void *l4,
					      void *payload, __u32 len,
					      __u8 proto, __u8 flags)
{
	arg->payload = bpf_htons((__u16)(payload - c->start));
	arg->l3 = bpf_htons((__u16)(l3->hdr - c->start));
	arg->l4 = bpf_htons((__u16)(l4 - c->start));
	arg->len = bpf_htons((__u16)len);
	arg->family = l3->family;
	arg->proto = proto;
	arg->flags = flags;
	arg->pad = 0;
	arg->start = 0;
}

/*
 * Hand a selected frame to Lua (or record it, or only count it, by mode)
 * and return the XDP action. A negative kfunc result (no set of that name,
 * or no callback) and an out-of-range action pass the frame.
 */
static __always_inline int preclass_deliver(struct xdp_md *ctx,
					    struct preclass_counters *st,
					    struct preclass_arg *arg)
{
	struct preclass_record *rec;
	__u32 zero = 0;
	int action;

	st->c[PRECLASS_MATCHED]++;
	if (preclass_mode == PRECLASS_MODE_RECORD) {
		rec = bpf_map_lookup_elem(&preclass_record, &zero);
		if (rec) {
			rec->hits++;
			rec->last = *arg;
		}
		return XDP_PASS;
	}
	if (preclass_mode != PRECLASS_MODE_LUA) {
		st->c[PRECLASS_SKIPPED]++;
		return XDP_PASS;
	}
	action = bpf_luaxdp_run(preclass_key, sizeof(preclass_key), ctx, arg,
				sizeof(*arg));
	if (action < 0) {
		st->c[PRECLASS_LUA_ERROR]++;
		return XDP_PASS;
	}
	if (action > XDP_REDIRECT) {
		st->c[PRECLASS_LUA_INVALID]++;
		return XDP_PASS;
	}
	st->c[PRECLASS_LUA_ABORTED + action]++;
	return action;
}

#endif /* PRECLASS_HELPERS_H */
