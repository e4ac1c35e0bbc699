/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lunatik_xdp.h - the kfunc the lunatik module exports to XDP programs.
 *
 * bpf_luaxdp_run() runs the xdp.attach() callback of the runtime set named
 * by @key (in the network namespace of the receiving device) on the
 * instance of the current CPU. The callback gets the frame (data..data_end)
 * and the @arg bytes as data objects. Returns an XDP action, or a negative
 * value when no set of that name has a callback.
 *
 * The verifier checks each (pointer, __sz) pair as writable memory: @key
 * must live in .data or on the stack, never in .rodata.
 *
 * Declared __weak so an object still loads without the module: the call
 * must then be dead code the verifier prunes, which a const volatile flag
 * set before load achieves (libbpf 1.1 cannot test a weak kfunc's address).
 */
#ifndef LUNATIK_XDP_H
#define LUNATIK_XDP_H

#include <stddef.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

extern int bpf_luaxdp_run(char *key, size_t key__sz, struct xdp_md *xdp_ctx,
			  void *arg, size_t arg__sz) __weak __ksym;

#endif /* LUNATIK_XDP_H */
