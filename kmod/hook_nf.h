/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hook_nf.h - netfilter hooks over the hook core: the spec recorded by
 * netfilter.register{...} (kmod/lib/luanetfilter.c) and the hook type.
 */
#ifndef LUNATIK_HOOK_NF_H
#define LUNATIK_HOOK_NF_H

#include <linux/if.h>
#include <linux/types.h>

#include "hook.h"

/**
 * struct lunatik_nf_spec - one netfilter.register{...}
 * @pf:       NFPROTO_*
 * @hooknum:  hook of that family
 * @priority: hook priority
 * @dev:      device name (NFPROTO_NETDEV only, else all zero)
 */
struct lunatik_nf_spec {
	s32 pf;
	s32 hooknum;
	s32 priority;
	char dev[IFNAMSIZ];
};

extern const struct lunatik_hook_type lunatik_hook_nf;

/*
 * lunatik_nf_check - whether @spec names a hook the kernel has
 * Return: NULL or a message for a Lua error.
 */
const char *lunatik_nf_check(const struct lunatik_nf_spec *spec);

int lunatik_hook_nf_init(void);
void lunatik_hook_nf_exit(void);

#endif /* LUNATIK_HOOK_NF_H */
