/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hook_xdp.h - the XDP entry point (hook_xdp.c) and the xdp library
 * (lib/luaxdp.c) that fills its hook type.
 *
 * An XDP program calls the kfunc bpf_luaxdp_run(key, ..., ctx, arg, ...);
 * the key names a runtime set of the receiving device's network namespace
 * whose script called xdp.attach(callback). The lookup is RCU-only, in a
 * per-netns hash table of the sets' XDP hooks, and takes no reference.
 */
#ifndef LUNATIK_HOOK_XDP_H
#define LUNATIK_HOOK_XDP_H

#include <linux/types.h>

#include "hook.h"

/* What the kfunc hands to the hook's call/done (on its stack). */
struct lunatik_xdp_call {
	void *data;			/* frame: data .. data + len */
	size_t len;
	void *arg;			/* the program's argument */
	size_t arg_len;
	lunatik_object_t *frame_obj;	/* data objects reset by call ... */
	lunatik_object_t *arg_obj;	/* ... and cleared by done */
	bool no_callback;		/* xdp.detach() ran: kfunc returns < 0 */
};

/* Private part of an XDP hook (lunatik_hook_priv). */
struct lunatik_xdp_priv {
	struct hlist_node node;
	u32 hash;
};

/* attach/detach of the XDP hook type: enter/leave the netns table. */
int lunatik_xdp_attach(struct lunatik_hook *hook);
void lunatik_xdp_detach(struct lunatik_hook *hook);

/* module-wide: per-netns tables and the kfunc registration */
int lunatik_xdp_init(void);
void lunatik_xdp_exit(void);

#endif /* LUNATIK_HOOK_XDP_H */
