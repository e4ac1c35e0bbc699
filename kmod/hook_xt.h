/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hook_xt.h - xtables extensions as hooks of the shared core (hook.h), for
 * kmod/lib/luaxtable.c.
 *
 * A script body calls xtable.match{...} / xtable.target{...}; the library
 * records a struct lunatik_xt_spec with one of the two hook types below and,
 * as the recorded value, a table indexed by enum lunatik_xt_slot. When the
 * set goes live the core attaches the hook: hook_xt.c registers (or reuses)
 * the x_tables extension and binds it to the set in the set's network
 * namespace.
 */
#ifndef LUNATIK_HOOK_XT_H
#define LUNATIK_HOOK_XT_H

#include <linux/netfilter/x_tables.h>

#include "hook.h"

enum lunatik_xt_kind {
	LUNATIK_XT_MATCH,
	LUNATIK_XT_TARGET,
};

/* What identifies an extension; compared bytewise (zero it first). */
struct lunatik_xt_spec {
	char name[XT_EXTENSION_MAXNAMELEN];
	u8 kind;		/* enum lunatik_xt_kind */
	u8 revision;
	u16 family;		/* NFPROTO_*, < NFPROTO_NUMPROTO */
	u16 proto;		/* 0: any */
	u32 hooks;		/* bitmask of hook numbers, 0: any */
};

/* The recorded Lua value: a table with these integer keys. */
enum lunatik_xt_slot {
	LUNATIK_XT_SLOT_FN = 1,		/* match or target function */
	LUNATIK_XT_SLOT_DATA,		/* the packet data object */
	LUNATIK_XT_SLOT_CHECK,		/* checkentry(userargs) */
	LUNATIK_XT_SLOT_DESTROY,	/* destroy(userargs) */
};

extern const struct lunatik_hook_type lunatik_xt_match_type;
extern const struct lunatik_hook_type lunatik_xt_target_type;

/* Module exit (sets are stopped): free the extensions kept for rules. */
void lunatik_xt_exit(void);

#endif /* LUNATIK_HOOK_XT_H */
