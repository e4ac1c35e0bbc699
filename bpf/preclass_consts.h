/* SPDX-License-Identifier: GPL-2.0 */
/*
 * preclass_consts.h - protocol numbers and parser bounds of the XDP
 * pre-classifiers.
 */
#ifndef PRECLASS_CONSTS_H
#define PRECLASS_CONSTS_H

#define ETH_HLEN_		14
#define ETH_P_IP_		0x0800
#define ETH_P_IPV6_		0x86DD
#define ETH_P_8021Q_		0x8100
#define ETH_P_8021AD_		0x88A8

#define PRECLASS_VLAN_MAX	2	/* 802.1Q, or 802.1ad + 802.1Q (QinQ) */
#define PRECLASS_IPV6_EXT_MAX	6	/* extension headers walked before giving up */

#define IPPROTO_HOPOPTS_	0
#define IPPROTO_ROUTING_	43
#define IPPROTO_FRAGMENT_	44
#define IPPROTO_AH_		51
#define IPPROTO_DSTOPTS_	60

/* preclass_parse_l3() results besides an L4 protocol number */
#define PRECLASS_NOT_IP		-1	/* not IP, malformed or truncated */
#define PRECLASS_FRAG		-2	/* a fragment: no L4 header to trust */

#define TLS_CONTENT_HANDSHAKE	22
#define TLS_MAJOR		3
#define TLS_HS_CLIENT_HELLO	1
#define TLS_RECORD_HDR		5
/* a ClientHello is followed across segments up to this many bytes */
#define TLS_HELLO_TRACK_MAX	16384

#define DNS_HDR_LEN		12
#define DNS_TCP_PREFIX		2	/* DNS over TCP: 16-bit message length */

#endif /* PRECLASS_CONSTS_H */
