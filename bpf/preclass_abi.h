/* SPDX-License-Identifier: GPL-2.0 */
/*
 * preclass_abi.h - what the XDP pre-classifiers share with userspace: the
 * argument handed to Lua, the counters, the run modes and the test record.
 * Included by the BPF programs and by the C++ loader and tests (which
 * static_assert the sizes); nothing here is duplicated elsewhere.
 */
#ifndef PRECLASS_ABI_H
#define PRECLASS_ABI_H

#include <linux/types.h>

/*
 * The argument passed to Lua. Its first two bytes are Lunatik's https.c
 * layout: the offset of the L4 payload from the start of the frame, big
 * endian, so scripts written for Lunatik (sni.lua reads getbyte(0) << 8 |
 * getbyte(1)) work unchanged. The rest lets a script find the headers
 * without parsing them again. All fields are big endian.
 */
struct preclass_arg {
	__be16 payload;		/* L4 payload (DNS: the DNS header) */
	__be16 l3;		/* IPv4/IPv6 header */
	__be16 l4;		/* TCP/UDP header */
	__be16 len;		/* bytes from @payload to the end of the IP packet */
	__u8 family;		/* 4 or 6 */
	__u8 proto;		/* IPPROTO_TCP or IPPROTO_UDP */
	__u8 flags;		/* PRECLASS_F_* */
	__u8 pad;
	__be32 start;		/* TLS: sequence number of the ClientHello
				 * record's first byte; 0 otherwise */
} __attribute__((packed));

#define PRECLASS_ARG_SIZE	16

/* preclass_arg.flags */
#define PRECLASS_F_HELLO	0x01	/* payload starts a TLS ClientHello record */
#define PRECLASS_F_CONT		0x02	/* later segment of a ClientHello in progress */
#define PRECLASS_F_DNS_TCP	0x04	/* DNS over TCP: @payload is past the length prefix */
#define PRECLASS_F_EARLY	0x08	/* with CONT: the record's first segment has
					 * not been seen yet (this one overtook it) */

/* const volatile preclass_mode, set by the loader before load */
enum preclass_mode {
	PRECLASS_MODE_OFF = 0,		/* classify and count, pass everything */
	PRECLASS_MODE_LUA = 1,		/* call bpf_luaxdp_run (needs the module) */
	PRECLASS_MODE_RECORD = 2,	/* test mode: record the argument, pass */
};

/* indexes into struct preclass_counters.c */
enum preclass_counter {
	PRECLASS_SEEN,			/* every frame */
	PRECLASS_MATCHED,		/* frames selected for Lua */
	PRECLASS_CONT,			/* ... of which continuation segments */
	PRECLASS_LUA_ABORTED,		/* verdicts, XDP action order */
	PRECLASS_LUA_DROP,
	PRECLASS_LUA_PASS,
	PRECLASS_LUA_TX,
	PRECLASS_LUA_REDIRECT,
	PRECLASS_LUA_INVALID,		/* an action out of range: passed */
	PRECLASS_LUA_ERROR,		/* negative: no such set or no callback */
	PRECLASS_SKIPPED,		/* selected, but mode is not LUA */
	PRECLASS_FRAGMENT,		/* IP fragments, never parsed past L3 */
	PRECLASS_COUNTERS,
};

/* value of the per-CPU array "preclass_stats", key 0 */
struct preclass_counters {
	__u64 c[PRECLASS_COUNTERS];
};

/* value of the array "preclass_record", key 0 (PRECLASS_MODE_RECORD) */
struct preclass_record {
	__u64 hits;			/* frames that would have reached Lua */
	struct preclass_arg last;	/* the argument of the last one */
};

#define PRECLASS_KEY_MAX	128	/* bytes of the set name buffer (.data) */
#define PRECLASS_MAX_PORTS	8	/* configurable ports per program */

#endif /* PRECLASS_ABI_H */
