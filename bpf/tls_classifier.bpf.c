// SPDX-License-Identifier: GPL-2.0
/*
 * tls_classifier.bpf.c - XDP pre-classifier for TLS ClientHellos.
 *
 * Hands to Lua only TCP segments to the configured ports (443 by default)
 * whose payload starts a TLS handshake record holding a ClientHello, and
 * the later segments of a ClientHello that did not fit in its first one
 * (today's browsers send 1.7-2 KB ClientHellos), so a script can decide
 * when the SNI has arrived. Everything else passes untouched.
 */
#define PRECLASS_DEFAULT_KEY	"examples/filter/sni_filter"
#define PRECLASS_DEFAULT_PORT	443

#include "preclass_maps.h"
#include "preclass_helpers.h"

/* ClientHellos in progress; LRU, so stale ones age out under pressure. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, struct preclass_flow_key);
	__type(value, struct preclass_flow);
} tls_flows SEC(".maps");

/* serial number arithmetic (RFC 1982) on TCP sequence numbers */
static __always_inline int seq_before(__u32 a, __u32 b)
{
	return (__s32)(a - b) < 0;
}

/* Does @p start a handshake record of TLS 1.x carrying a ClientHello? */
static __always_inline int tls_is_hello(__u8 *p, void *end, __u32 len)
{
	if ((void *)(p + TLS_RECORD_HDR + 1) > end || len < TLS_RECORD_HDR + 1)
		return 0;
	return p[0] == TLS_CONTENT_HANDSHAKE && p[1] == TLS_MAJOR &&
	       p[5] == TLS_HS_CLIENT_HELLO;
}

SEC("xdp")
int tls_classifier(struct xdp_md *ctx)
{
	struct preclass_cursor c = {
		.pos = (void *)(long)ctx->data,
		.start = (void *)(long)ctx->data,
		.end = (void *)(long)ctx->data_end,
	};
	struct preclass_flow_key key = {};
	struct preclass_counters *st;
	struct preclass_l3 l3 = {};
	struct preclass_flow flow, *f;
	struct preclass_arg arg;
	__u32 doff, len, seq, hello;
	struct tcphdr *tcp;
	__u8 *payload;
	int proto;

	st = preclass_counters();
	if (!st)
		return XDP_PASS;
	st->c[PRECLASS_SEEN]++;

	proto = preclass_parse_l3(&c, &l3);
	if (proto == PRECLASS_FRAG)
		st->c[PRECLASS_FRAGMENT]++;
	if (proto != IPPROTO_TCP)
		return XDP_PASS;

	tcp = c.pos;
	if ((void *)(tcp + 1) > c.end)
		return XDP_PASS;
	if (!preclass_port_match(tcp->dest))
		return XDP_PASS;
	doff = tcp->doff * 4;
	if (doff < sizeof(*tcp) || doff > l3.l4len)
		return XDP_PASS;
	payload = (void *)tcp + doff;
	if ((void *)payload > c.end)
		return XDP_PASS;
	len = l3.l4len - doff;
	if (len == 0)
		return XDP_PASS;
	/* the IP length may claim more than the frame holds; Lua sees the frame */
	if ((void *)payload + len > c.end)
		len = c.end - (void *)payload;
	seq = bpf_ntohl(tcp->seq);

	__builtin_memcpy(key.saddr, l3.saddr, sizeof(key.saddr));
	__builtin_memcpy(key.daddr, l3.daddr, sizeof(key.daddr));
	key.sport = tcp->source;
	key.dport = tcp->dest;
	key.family = l3.family;

	if (tls_is_hello(payload, c.end, len)) {
		hello = TLS_RECORD_HDR + ((__u32)payload[3] << 8 | payload[4]);
		if (hello > TLS_HELLO_TRACK_MAX)
			hello = TLS_HELLO_TRACK_MAX;
		if (hello > len) {
			flow.start = seq;
			flow.end = seq + hello;
			bpf_map_update_elem(&tls_flows, &key, &flow, BPF_ANY);
		}
		preclass_fill_arg(&arg, &c, &l3, tcp, payload, len, IPPROTO_TCP,
				  PRECLASS_F_HELLO);
		return preclass_deliver(ctx, st, &arg);
	}

	f = bpf_map_lookup_elem(&tls_flows, &key);
	if (!f)
		return XDP_PASS;
	flow = *f;
	if (!seq_before(seq, flow.end)) {
		/* past the ClientHello: the connection is on its own now */
		bpf_map_delete_elem(&tls_flows, &key);
		return XDP_PASS;
	}
	if (!seq_before(flow.start, seq + len))
		return XDP_PASS;	/* entirely before the record */

	/* Any segment overlapping the record, in any order and as often as
	 * it is retransmitted: Lua reassembles. The entry stays until the
	 * connection sends past the record (or the LRU evicts it). */
	st->c[PRECLASS_CONT]++;
	preclass_fill_arg(&arg, &c, &l3, tcp, payload, len, IPPROTO_TCP,
			  PRECLASS_F_CONT);
	return preclass_deliver(ctx, st, &arg);
}

char _license[] SEC("license") = "GPL";
