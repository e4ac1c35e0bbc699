/* SPDX-License-Identifier: GPL-2.0 */
/*
 * preclass_structs.h - the parser's view of one frame.
 */
#ifndef PRECLASS_STRUCTS_H
#define PRECLASS_STRUCTS_H

#include <linux/types.h>

/* Parse position: every helper checks pos against end before reading. */
struct preclass_cursor {
	void *pos;
	void *end;
	void *start;
};

/* What preclass_parse_l3() found (addresses are read from @hdr when a
 * program needs them: most frames never do). */
struct preclass_l3 {
	void *hdr;		/* IPv4/IPv6 header, in the frame */
	__u32 l4len;		/* L4 bytes by the IP length fields */
	__u8 family;		/* 4 or 6 */
};

/* A TCP connection, one direction (LRU key of the ClientHello tracker). */
struct preclass_flow_key {
	__be32 saddr[4];
	__be32 daddr[4];
	__be16 sport;
	__be16 dport;
	__u8 family;
	__u8 pad[3];
};

/* Sequence range of a ClientHello being received in several segments. */
struct preclass_flow {
	__u32 start;		/* seq of the record's first byte */
	__u32 end;		/* seq just past the tracked bytes */
	__u32 early;		/* from the SYN: the record start not seen yet */
	__u32 pad;
};

#endif /* PRECLASS_STRUCTS_H */
