// SPDX-License-Identifier: GPL-2.0
/*
 * progs.bpf.c - the programs bench/xdp_kfunc.sh times with
 * BPF_PROG_TEST_RUN in the guest. Built by that script (in the guest), one
 * object per variant (-DVARIANT=...):
 *   EMPTY  returns XDP_PASS
 *   MISS   calls bpf_luaxdp_run with a key naming no set (lookup only)
 *   LUA    calls it with the key of bench/xdp_kfunc/empty.lua's set, whose
 *          callback returns PASS: the whole glue plus an empty Lua call
 */
#include <stddef.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define EMPTY	0
#define MISS	1
#define LUA	2

#if VARIANT != EMPTY
extern int bpf_luaxdp_run(char *key, size_t key__sz, struct xdp_md *xdp_ctx,
			  void *arg, size_t arg__sz) __ksym;

#if VARIANT == LUA
char key[] = "bench/xdp_kfunc/empty";
#else
char key[] = "bench/xdp_kfunc/none";
#endif
#endif

SEC("xdp")
int bench(struct xdp_md *ctx)
{
#if VARIANT == EMPTY
	return XDP_PASS;
#else
	__u8 arg[2] = {0, 14};
	int ret = bpf_luaxdp_run(key, sizeof(key), ctx, arg, sizeof(arg));

	return ret < 0 ? XDP_ABORTED : ret;
#endif
}

char _license[] SEC("license") = "GPL";
