// SPDX-License-Identifier: GPL-2.0
/*
 * probe.bpf.c - an XDP object written the way Lunatik's examples are: the
 * kfunc declared as a plain (not __weak) __ksym extern, so the object only
 * loads where the module is, and the runtime name as a char array in .data.
 * It hands TCP segments to port 7777 with a payload to Lua, with the 2-byte
 * big-endian payload offset as argument, and returns what Lua returns.
 * Built by the VM test (lunatik_style.sh), not by `make bpf`.
 */
#include <stddef.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/tcp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

extern int bpf_luaxdp_run(char *key, size_t key__sz, struct xdp_md *xdp_ctx,
			  void *arg, size_t arg__sz) __ksym;

/* .data: the verifier checks (key, key__sz) as writable memory */
static char runtime[] = "tests/vm/cases/xdp/lunatik_style/probe";

SEC("xdp")
int lunatik_probe(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip;
	struct tcphdr *tcp;
	__u16 off;
	__u8 arg[2];
	int ret;

	if ((void *)(eth + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > end || ip->protocol != IPPROTO_TCP || ip->ihl < 5)
		return XDP_PASS;
	tcp = (void *)ip + ip->ihl * 4;
	if ((void *)(tcp + 1) > end || tcp->dest != bpf_htons(7777) ||
	    tcp->doff < 5)
		return XDP_PASS;
	off = sizeof(*eth) + ip->ihl * 4 + tcp->doff * 4;
	if (data + off >= end)
		return XDP_PASS;	/* no payload */
	arg[0] = off >> 8;
	arg[1] = off & 0xff;
	ret = bpf_luaxdp_run(runtime, sizeof(runtime), ctx, arg, sizeof(arg));
	return ret < 0 ? XDP_PASS : ret;
}

char _license[] SEC("license") = "GPL";
