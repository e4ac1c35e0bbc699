// SPDX-License-Identifier: GPL-2.0
// packet.hpp - frames built in code for BPF_PROG_TEST_RUN: Ethernet, VLAN
// tags, IPv4 (options, fragments), IPv6 (extension headers), TCP (options,
// seq), UDP, payload. Length fields are filled in; checksums are not (XDP
// programs under test never look at them).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <vector>

namespace bpftest {

using Bytes = std::vector<uint8_t>;

inline void put16(Bytes &b, uint16_t v)
{
	b.push_back(v >> 8);
	b.push_back(v & 0xff);
}

inline void put32(Bytes &b, uint32_t v)
{
	put16(b, v >> 16);
	put16(b, v & 0xffff);
}

inline void set16(Bytes &b, size_t off, uint16_t v)
{
	b.at(off) = v >> 8;
	b.at(off + 1) = v & 0xff;
}

struct Ipv6Ext {
	uint8_t type;		// 0 hop-by-hop, 43 routing, 44 fragment, 51 AH, 60 dstopts
	size_t len;		// bytes, a multiple of 8 (4 for AH)
	uint16_t fragOff = 0;	// fragment header: offset << 3 | M
};

struct Frame {
	std::vector<uint16_t> vlanTpids;	// outermost first
	int family = 4;
	size_t ipv4Options = 0;			// bytes, multiple of 4
	uint16_t ipv4FragOff = 0;		// flags/offset field (host order)
	std::vector<Ipv6Ext> ipv6Ext;
	uint8_t proto = 6;			// IPPROTO_TCP / IPPROTO_UDP
	uint16_t sport = 40000, dport = 443;
	uint32_t seq = 1000;
	uint8_t tcpFlags = 0x18;		// PSH|ACK
	size_t tcpOptions = 0;			// bytes, multiple of 4
	Bytes payload;
	size_t padTo = 0;			// Ethernet padding after the IP packet
	uint8_t padByte = 0;
	uint8_t srcLast = 1;			// last address byte, to tell flows apart
};

// Offsets of the headers in a frame built by build().
struct Layout {
	size_t l3, l4, payload, ipEnd;
};

inline Bytes build(const Frame &f, Layout *lay = nullptr)
{
	Bytes b = {0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1};
	for (uint16_t tpid : f.vlanTpids) {
		put16(b, tpid);
		put16(b, 0x0064);	// TCI: VLAN 100; the next type follows
	}
	put16(b, f.family == 4 ? 0x0800 : 0x86dd);
	size_t l3 = b.size();

	Bytes l4;
	if (f.proto == 6) {
		put16(l4, f.sport);
		put16(l4, f.dport);
		put32(l4, f.seq);
		put32(l4, 1);
		l4.push_back(uint8_t((5 + f.tcpOptions / 4) << 4));
		l4.push_back(f.tcpFlags);
		put16(l4, 65535);
		put32(l4, 0);	// checksum, urgent
		for (size_t i = 0; i < f.tcpOptions; i++)
			l4.push_back(i + 4 == f.tcpOptions ? 0 : 1);	// NOPs, EOL
	} else {
		put16(l4, f.sport);
		put16(l4, f.dport);
		put16(l4, uint16_t(8 + f.payload.size()));
		put16(l4, 0);
	}
	size_t l4hdr = l4.size();
	l4.insert(l4.end(), f.payload.begin(), f.payload.end());

	size_t l4off;
	if (f.family == 4) {
		size_t hlen = 20 + f.ipv4Options;
		b.push_back(0x40 | uint8_t(hlen / 4));
		b.push_back(0);
		put16(b, uint16_t(hlen + l4.size()));
		put16(b, 0x1234);
		put16(b, f.ipv4FragOff);
		b.push_back(64);
		b.push_back(f.proto);
		put16(b, 0);
		put32(b, 0x0a000000u | f.srcLast);
		put32(b, 0x0a000002u);
		for (size_t i = 0; i < f.ipv4Options; i++)
			b.push_back(1);	// NOP options
		l4off = b.size();
	} else {
		Bytes ext;
		uint8_t first = f.ipv6Ext.empty() ? f.proto : f.ipv6Ext[0].type;
		for (size_t i = 0; i < f.ipv6Ext.size(); i++) {
			const Ipv6Ext &e = f.ipv6Ext[i];
			uint8_t next = i + 1 < f.ipv6Ext.size() ? f.ipv6Ext[i + 1].type : f.proto;
			size_t at = ext.size();
			ext.resize(at + e.len, 0);
			ext[at] = next;
			if (e.type == 44) {
				ext[at + 2] = e.fragOff >> 8;
				ext[at + 3] = e.fragOff & 0xff;
			} else if (e.type == 51) {
				ext[at + 1] = uint8_t(e.len / 4 - 2);
			} else {
				ext[at + 1] = uint8_t(e.len / 8 - 1);
			}
		}
		put32(b, 0x60000000);
		put16(b, uint16_t(ext.size() + l4.size()));
		b.push_back(first);
		b.push_back(64);
		for (int i = 0; i < 15; i++)
			b.push_back(0xfd);
		b.push_back(f.srcLast);
		for (int i = 0; i < 15; i++)
			b.push_back(0xfd);
		b.push_back(2);
		b.insert(b.end(), ext.begin(), ext.end());
		l4off = b.size();
	}
	b.insert(b.end(), l4.begin(), l4.end());
	size_t ipEnd = b.size();
	while (b.size() < f.padTo)
		b.push_back(f.padByte);
	if (lay)
		*lay = {l3, l4off, l4off + l4hdr, ipEnd};
	return b;
}

// A TLS record header + handshake header + body of @bodyLen bytes; the
// record claims @recordLen bytes (default: what follows the header).
inline Bytes tlsRecord(uint8_t content, uint8_t major, uint8_t hsType,
		       size_t bodyLen, size_t recordLen = SIZE_MAX)
{
	Bytes b = {content, major, 0x01};
	if (recordLen == SIZE_MAX)
		recordLen = 4 + bodyLen;
	put16(b, uint16_t(recordLen));
	b.push_back(hsType);
	b.push_back(uint8_t((recordLen - 4) >> 16));
	put16(b, uint16_t(recordLen - 4));
	for (size_t i = 0; i < bodyLen; i++)
		b.push_back(uint8_t(i * 7 + 3));
	return b;
}

inline Bytes clientHello(size_t bodyLen = 200, size_t recordLen = SIZE_MAX)
{
	return tlsRecord(22, 3, 1, bodyLen, recordLen);
}

inline Bytes text(std::string_view s)
{
	return Bytes(s.begin(), s.end());
}

// A DNS query for example.com (12-byte header + question).
inline Bytes dnsQuery(uint16_t id = 0x1234)
{
	Bytes b;
	put16(b, id);
	put16(b, 0x0100);
	put16(b, 1);
	put16(b, 0);
	put16(b, 0);
	put16(b, 0);
	static const char qname[] = "\7example\3com";	// + the NUL root label
	b.insert(b.end(), qname, qname + sizeof(qname));
	put16(b, 1);
	put16(b, 1);
	return b;
}

}  // namespace bpftest
