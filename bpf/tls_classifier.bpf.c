// SPDX-License-Identifier: GPL-2.0
/*
 * tls_classifier.bpf.c - XDP pre-classifier for TLS ClientHellos.
 *
 * Hands to Lua only TCP segments to the configured ports (443 by default)
 * whose payload starts a TLS handshake record holding a ClientHello, and
 * the later segments of a ClientHello that did not fit in its first one
 * (today's browsers send 1.7-2 KB ClientHellos), so a script can decide
 * when the SNI has arrived. Everything else passes untouched.
 *
 * A connection is followed from its SYN: the ClientHello is the first
 * thing a TLS client sends, so its record starts right after the SYN's
 * sequence number, and a later segment that overtakes the first one (a
 * reordering network) reaches Lua too (PRECLASS_F_EARLY), with the record
 * start in the argument, so the script can hold it until the gap fills.
 * The first data segment ends the following when it is a whole ClientHello
 * or no ClientHello at all.
 */
#define PRECLASS_DEFAULT_KEY	"examples/filter/sni_filter"
#define PRECLASS_DEFAULT_PORT	443

#include "preclass_maps.h"
#include "preclass_helpers.h"

/* Connections from their SYN to the end of their ClientHello; LRU, so
 * stale ones (a SYN never followed by data) age out under pressure. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);	/* connections between SYN and hello */
	__type(key, struct preclass_flow_key);
	__type(value, struct preclass_flow);
} tls_flows SEC(".maps");

/*
 * A cheap "maybe tracked" filter in front of tls_flows, so data segments of
 * established connections (the bulk of port-443 traffic) skip the hash
 * lookup: slot = flow hash, value = entries inserted minus deleted. LRU
 * evictions are not subtracted; a stale count only costs a lookup.
 */
#define TLS_PENDING_SLOTS	1024
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, TLS_PENDING_SLOTS);
	__type(key, __u32);
	__type(value, __u32);
} tls_pending SEC(".maps");

/* The connection of @tcp, one direction, read from the frame. */
static __always_inline void tls_flow_key(struct preclass_flow_key *key,
					 struct preclass_l3 *l3,
					 struct tcphdr *tcp)
{
	struct ipv6hdr *ip6 = l3->hdr;
	struct iphdr *ip = l3->hdr;

	__builtin_memset(key, 0, sizeof(*key));
	if (l3->family == 4) {
		key->saddr[0] = ip->saddr;
		key->daddr[0] = ip->daddr;
	} else {
		__builtin_memcpy(key->saddr, &ip6->saddr, 16);
		__builtin_memcpy(key->daddr, &ip6->daddr, 16);
	}
	key->sport = tcp->source;
	key->dport = tcp->dest;
	key->family = l3->family;
}

static __always_inline __u32 *tls_pending_slot(struct preclass_flow_key *key)
{
	__u32 h, i;

	h = key->saddr[0] ^ key->saddr[1] ^ key->saddr[2] ^ key->saddr[3] ^
	    key->daddr[0] ^ key->daddr[1] ^ key->daddr[2] ^ key->daddr[3] ^
	    ((__u32)key->sport << 16 | key->dport);
	i = (h * 0x9E3779B1u) >> 22;	/* Fibonacci hashing to 10 bits */
	return bpf_map_lookup_elem(&tls_pending, &i);
}

static __always_inline void tls_track(struct preclass_flow_key *key,
				      struct preclass_flow *flow)
{
	__u32 *slot;

	if (bpf_map_update_elem(&tls_flows, key, flow, BPF_NOEXIST) == 0) {
		slot = tls_pending_slot(key);
		if (slot)
			__sync_fetch_and_add(slot, 1);
	} else {
		/* a retransmitted first segment */
		bpf_map_update_elem(&tls_flows, key, flow, BPF_ANY);
	}
}

static __always_inline void tls_untrack(struct preclass_flow_key *key,
					__u32 *slot)
{
	if (bpf_map_delete_elem(&tls_flows, key) == 0 && *slot)
		__sync_fetch_and_add(slot, -1);
}

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

/*
 * Data at the record start that is not a ClientHello (tls_is_hello() said
 * no): not a handshake record, or long enough to have shown it is not a
 * ClientHello. A shorter start of a handshake record (a 1-5 byte first
 * segment) may still be one: Lua gets it, and what follows.
 */
static __always_inline int tls_not_hello(__u8 *p, void *end, __u32 len)
{
	if ((void *)(p + 1) > end)
		return 1;
	return p[0] != TLS_CONTENT_HANDSHAKE || len > TLS_RECORD_HDR;
}

SEC("xdp")
int tls_classifier(struct xdp_md *ctx)
{
	struct preclass_cursor c = {
		.pos = (void *)(long)ctx->data,
		.start = (void *)(long)ctx->data,
		.end = (void *)(long)ctx->data_end,
	};
	struct preclass_flow_key key;
	struct preclass_counters *st;
	struct preclass_l3 l3 = {};
	struct preclass_flow flow, *f;
	struct preclass_arg arg;
	__u32 doff, len, seq, hello, *slot;
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
	if (tcp->syn && !tcp->ack && !tcp->rst) {
		/* a new connection: its ClientHello record starts at seq + 1 */
		tls_flow_key(&key, &l3, tcp);
		flow.start = bpf_ntohl(tcp->seq) + 1;
		flow.end = flow.start + TLS_HELLO_TRACK_MAX;
		flow.early = 1;
		flow.pad = 0;
		tls_track(&key, &flow);
		return XDP_PASS;
	}
	if (len == 0)
		return XDP_PASS;
	/* the IP length may claim more than the frame holds; Lua sees the frame */
	if ((void *)payload + len > c.end)
		len = c.end - (void *)payload;
	seq = bpf_ntohl(tcp->seq);

	tls_flow_key(&key, &l3, tcp);
	if (tls_is_hello(payload, c.end, len)) {
		hello = TLS_RECORD_HDR + ((__u32)payload[3] << 8 | payload[4]);
		if (hello > TLS_HELLO_TRACK_MAX)
			hello = TLS_HELLO_TRACK_MAX;
		if (hello > len) {
			flow.start = seq;
			flow.end = seq + hello;
			flow.early = 0;
			flow.pad = 0;
			tls_track(&key, &flow);
		} else {
			/* whole: nothing follows (drop what the SYN began) */
			slot = tls_pending_slot(&key);
			if (slot && *slot)
				tls_untrack(&key, slot);
		}
		preclass_fill_arg(&arg, &c, &l3, tcp, payload, len, IPPROTO_TCP,
				  PRECLASS_F_HELLO);
		arg.start = bpf_htonl(seq);
		return preclass_deliver(ctx, st, &arg);
	}

	slot = tls_pending_slot(&key);
	if (!slot || !*slot)
		return XDP_PASS;
	f = bpf_map_lookup_elem(&tls_flows, &key);
	if (!f)
		return XDP_PASS;
	flow = *f;
	if (!seq_before(seq, flow.end) ||
	    (flow.early && seq == flow.start && tls_not_hello(payload, c.end, len))) {
		/* past the ClientHello, or data at its start that is not
		 * one: the connection is on its own now */
		tls_untrack(&key, slot);
		return XDP_PASS;
	}
	if (!seq_before(flow.start, seq + len))
		return XDP_PASS;	/* entirely before the record */

	/* Any segment overlapping the record, in any order and as often as
	 * it is retransmitted: Lua reassembles. The entry stays until the
	 * connection sends past the record (or the LRU evicts it). */
	st->c[PRECLASS_CONT]++;
	preclass_fill_arg(&arg, &c, &l3, tcp, payload, len, IPPROTO_TCP,
			  PRECLASS_F_CONT | (flow.early ? PRECLASS_F_EARLY : 0));
	arg.start = bpf_htonl(flow.start);
	return preclass_deliver(ctx, st, &arg);
}

char _license[] SEC("license") = "GPL";
