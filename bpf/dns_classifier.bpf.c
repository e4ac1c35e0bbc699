// SPDX-License-Identifier: GPL-2.0
/*
 * dns_classifier.bpf.c - XDP pre-classifier for DNS.
 *
 * Hands to Lua UDP datagrams and TCP segments from or to the configured
 * ports (53 by default) that hold at least a DNS header, queries and
 * responses alike. The argument's payload offset points at the DNS header:
 * for TCP that is past the 16-bit length prefix of the first message in
 * the segment (flag PRECLASS_F_DNS_TCP).
 */
#define PRECLASS_DEFAULT_KEY	"examples/dnsblock/dnsblock"
#define PRECLASS_DEFAULT_PORT	53

#include "preclass_maps.h"
#include "preclass_helpers.h"

SEC("xdp")
int dns_classifier(struct xdp_md *ctx)
{
	struct preclass_cursor c = {
		.pos = (void *)(long)ctx->data,
		.start = (void *)(long)ctx->data,
		.end = (void *)(long)ctx->data_end,
	};
	struct preclass_counters *st;
	struct preclass_l3 l3 = {};
	struct preclass_arg arg;
	struct tcphdr *tcp;
	struct udphdr *udp;
	void *payload;
	__u32 doff, len;
	__u8 flags = 0;
	int proto;

	st = preclass_counters();
	if (!st)
		return XDP_PASS;
	st->c[PRECLASS_SEEN]++;

	proto = preclass_parse_l3(&c, &l3);
	if (proto == PRECLASS_FRAG)
		st->c[PRECLASS_FRAGMENT]++;
	if (proto == IPPROTO_UDP) {
		udp = c.pos;
		if ((void *)(udp + 1) > c.end)
			return XDP_PASS;
		if (!preclass_port_match(udp->dest) &&
		    !preclass_port_match(udp->source))
			return XDP_PASS;
		if (l3.l4len < sizeof(*udp))
			return XDP_PASS;
		payload = udp + 1;
		len = l3.l4len - sizeof(*udp);
	} else if (proto == IPPROTO_TCP) {
		tcp = c.pos;
		if ((void *)(tcp + 1) > c.end)
			return XDP_PASS;
		if (!preclass_port_match(tcp->dest) &&
		    !preclass_port_match(tcp->source))
			return XDP_PASS;
		doff = tcp->doff * 4;
		if (doff < sizeof(*tcp) || doff + DNS_TCP_PREFIX > l3.l4len)
			return XDP_PASS;
		payload = (void *)tcp + doff + DNS_TCP_PREFIX;
		len = l3.l4len - doff - DNS_TCP_PREFIX;
		flags = PRECLASS_F_DNS_TCP;
	} else {
		return XDP_PASS;
	}
	if (len < DNS_HDR_LEN || payload + DNS_HDR_LEN > c.end)
		return XDP_PASS;
	if (payload + len > c.end)
		len = c.end - payload;

	preclass_fill_arg(&arg, &c, &l3, c.pos, payload, len, proto, flags);
	return preclass_deliver(ctx, st, &arg);
}

char _license[] SEC("license") = "GPL";
