// SPDX-License-Identifier: GPL-2.0
// tls_classifier_test.cpp - which frames bpf/tls_classifier.bpf.c would hand
// to Lua, and with which argument (record mode), over crafted frames.
#include <sys/stat.h>

#include <gtest/gtest.h>

#include "classifier.hpp"
#include "packet.hpp"

using namespace bpftest;

namespace {

constexpr uint8_t kPass = XDP_PASS;

class TlsClassifier : public testing::Test {
protected:
	void SetUp() override
	{
		cls_ = std::make_unique<Classifier>("tls_classifier", Classifier::Options{});
		ASSERT_EQ(cls_->loadError(), 0);
	}

	// Runs @f; expects it to reach Lua with payload at its TLS record.
	preclass_arg expectHit(const Frame &f)
	{
		Layout lay;
		Bytes b = build(f, &lay);
		RunResult r = cls_->run(b);
		EXPECT_EQ(r.action, kPass);
		EXPECT_TRUE(r.reached);
		if (!r.reached)
			return {};
		EXPECT_EQ(ntohs(r.arg.payload), lay.payload);
		EXPECT_EQ(ntohs(r.arg.l3), lay.l3);
		EXPECT_EQ(ntohs(r.arg.l4), lay.l4);
		EXPECT_EQ(ntohs(r.arg.len), lay.ipEnd - lay.payload);
		EXPECT_EQ(r.arg.family, f.family);
		EXPECT_EQ(r.arg.proto, 6);
		return r.arg;
	}

	void expectMiss(const Frame &f)
	{
		RunResult r = cls_->run(build(f));
		EXPECT_EQ(r.action, kPass);
		EXPECT_FALSE(r.reached);
	}

	std::unique_ptr<Classifier> cls_;
};

Frame hello4()
{
	Frame f;
	f.payload = clientHello();
	return f;
}

Frame hello6()
{
	Frame f = hello4();
	f.family = 6;
	return f;
}

TEST_F(TlsClassifier, Ipv4ClientHelloReachesLuaWithLunatikArgument)
{
	Layout lay;
	Bytes b = build(hello4(), &lay);
	RunResult r = cls_->run(b);
	ASSERT_TRUE(r.reached);
	// Lunatik's https.c layout: the first two bytes are the payload offset,
	// big endian (sni.lua reads getbyte(0) << 8 | getbyte(1))
	auto *raw = reinterpret_cast<const uint8_t *>(&r.arg);
	EXPECT_EQ(raw[0] << 8 | raw[1], 54);
	EXPECT_EQ(lay.payload, 54u);
	EXPECT_EQ(r.arg.flags, PRECLASS_F_HELLO);
	EXPECT_EQ(ntohs(r.arg.l4), 34);
	EXPECT_EQ(cls_->counter(PRECLASS_MATCHED), 1u);
	EXPECT_EQ(cls_->counter(PRECLASS_SEEN), 1u);
}

TEST_F(TlsClassifier, Ipv4OptionsAndTcpOptions)
{
	Frame f = hello4();
	f.ipv4Options = 40;
	f.tcpOptions = 40;
	EXPECT_EQ(ntohs(expectHit(f).payload), 14 + 60 + 60);
	f.ipv4Options = 12;
	f.tcpOptions = 12;
	expectHit(f);
}

TEST_F(TlsClassifier, VlanAndQinQ)
{
	Frame f = hello4();
	f.vlanTpids = {0x8100};
	EXPECT_EQ(ntohs(expectHit(f).payload), 58);
	f.vlanTpids = {0x88a8, 0x8100};
	EXPECT_EQ(ntohs(expectHit(f).payload), 62);
	f.family = 6;
	expectHit(f);
	// a third tag is past the bound: not parsed, passed
	f.vlanTpids = {0x88a8, 0x8100, 0x8100};
	expectMiss(f);
}

TEST_F(TlsClassifier, Ipv6AndExtensionHeaders)
{
	Frame f = hello6();
	EXPECT_EQ(ntohs(expectHit(f).payload), 14 + 40 + 20);
	f.ipv6Ext = {{0, 8}, {60, 16}, {43, 24}, {44, 8}, {51, 16}};
	EXPECT_EQ(ntohs(expectHit(f).payload), 14 + 40 + 72 + 20);
	// six headers: the bound
	f.ipv6Ext = {{0, 8}, {60, 8}, {60, 8}, {60, 8}, {60, 8}, {60, 8}};
	expectHit(f);
	// seven: not walked
	f.ipv6Ext.push_back({60, 8});
	expectMiss(f);
	// an extension header longer than the payload length claims
	f.ipv6Ext = {{60, 8}};
	Layout lay;
	Bytes b = build(f, &lay);
	set16(b, lay.l3 + 4, 4);
	EXPECT_FALSE(cls_->run(b).reached);
}

TEST_F(TlsClassifier, FragmentsNeverReachLua)
{
	Frame f = hello4();
	f.ipv4FragOff = 0x2000;	// MF, first fragment
	expectMiss(f);
	f.ipv4FragOff = 0x0010;	// a later fragment
	expectMiss(f);
	f.ipv4FragOff = 0x4000;	// DF only: whole
	expectHit(f);

	Frame g = hello6();
	g.ipv6Ext = {{44, 8, 0x0001}};	// M
	expectMiss(g);
	g.ipv6Ext = {{44, 8, 0x0100}};	// offset 32
	expectMiss(g);
	g.ipv6Ext = {{44, 8, 0}};	// atomic fragment: whole
	expectHit(g);
	EXPECT_EQ(cls_->counter(PRECLASS_FRAGMENT), 4u);
}

TEST_F(TlsClassifier, OnlyClientHelloRecords)
{
	Frame f = hello4();
	f.payload = text("GET / HTTP/1.1\r\nHost: example.com\r\n\r\n");
	expectMiss(f);
	f.payload = tlsRecord(23, 3, 1, 100);	// application data
	expectMiss(f);
	f.payload = tlsRecord(22, 3, 2, 100);	// ServerHello
	expectMiss(f);
	f.payload = tlsRecord(22, 2, 1, 100);	// not TLS 1.x
	expectMiss(f);
	f.payload = tlsRecord(21, 3, 1, 100);	// alert
	expectMiss(f);
	f.payload = {};				// pure ACK
	expectMiss(f);
	f.payload = {22, 3, 1, 0, 200};		// record header only
	expectMiss(f);
}

TEST_F(TlsClassifier, PaddingIsNotPayload)
{
	// a pure ACK padded to the Ethernet minimum with bytes that look
	// like a ClientHello: the IP length says there is no payload
	Frame f = hello4();
	f.payload = {};
	f.padTo = 80;
	f.padByte = 22;
	Bytes b = build(f);
	b[54 + 1] = 3;
	b[54 + 5] = 1;
	EXPECT_FALSE(cls_->run(b).reached);
}

TEST_F(TlsClassifier, PortsAndDirection)
{
	Frame f = hello4();
	f.dport = 80;
	expectMiss(f);
	f.dport = 40000;
	f.sport = 443;	// server to client
	expectMiss(f);
	f = hello4();
	f.proto = 17;	// UDP to 443 (QUIC is not TLS records)
	expectMiss(f);
}

TEST(TlsClassifierPorts, ConfiguredPortsReplaceTheDefault)
{
	Classifier cls("tls_classifier", {.ports = {8443, 4433}});
	ASSERT_EQ(cls.loadError(), 0);
	Frame f = hello4();
	EXPECT_FALSE(cls.run(build(f)).reached);
	f.dport = 8443;
	EXPECT_TRUE(cls.run(build(f)).reached);
	f.dport = 4433;
	EXPECT_TRUE(cls.run(build(f)).reached);
}

TEST_F(TlsClassifier, TruncatedAtEveryLength)
{
	for (Frame f : {hello4(), hello6()}) {
		f.vlanTpids = {0x8100};
		f.tcpOptions = 12;
		Layout lay;
		Bytes full = build(f, &lay);
		// the kernel refuses test frames shorter than an Ethernet header
		for (size_t n = 14; n <= full.size(); n++) {
			Bytes b(full.begin(), full.begin() + n);
			RunResult r = cls_->run(b);
			EXPECT_EQ(r.action, kPass) << n;
			// the record header and the handshake type must be in the frame
			bool fits = n >= lay.payload + 6;
			ASSERT_EQ(r.reached, fits) << "family " << f.family << " length " << n;
			if (fits) {
				EXPECT_EQ(ntohs(r.arg.len), n - lay.payload) << n;
			}
		}
	}
}

TEST_F(TlsClassifier, HostileLengthFields)
{
	Frame f = hello4();
	Layout lay;
	Bytes b = build(f, &lay);
	Bytes c = b;
	c[lay.l3] = 0x44;		// IHL 4: below the minimum
	EXPECT_FALSE(cls_->run(c).reached);
	c = b;
	c[lay.l3] = 0x4f;		// IHL 15: options run into the TCP header
	EXPECT_FALSE(cls_->run(c).reached);
	c = b;
	set16(c, lay.l3 + 2, 20);	// total length shorter than the headers
	EXPECT_FALSE(cls_->run(c).reached);
	c = b;
	c[lay.l4 + 12] = 0x40;		// data offset 4 words
	EXPECT_FALSE(cls_->run(c).reached);
	c = b;
	c[lay.l4 + 12] = 0xf0;		// data offset 60: the payload would start inside the record
	EXPECT_FALSE(cls_->run(c).reached);
	c = b;
	c[lay.l3] = 0x65;		// version 6 in an IPv4 EtherType
	EXPECT_FALSE(cls_->run(c).reached);
}

// A ClientHello in three segments: the first is handed over because it
// starts the record, the others because they overlap it — in any order,
// retransmitted or not — until the connection sends past the record.
TEST_F(TlsClassifier, SplitClientHelloFollowsTheRecord)
{
	Bytes hello = clientHello(1500);	// 1509 bytes
	const uint32_t isn = 0xfffffe00;	// the record wraps the sequence space
	auto segment = [&](size_t from, size_t to, int family = 4, uint8_t src = 1) {
		Frame f;
		f.family = family;
		f.srcLast = src;
		f.seq = isn + uint32_t(from);
		f.payload.assign(hello.begin() + from, hello.begin() + to);
		return f;
	};
	EXPECT_EQ(expectHit(segment(0, 600)).flags, PRECLASS_F_HELLO);
	// another connection's continuation is not this one
	expectMiss(segment(600, 1200, 4, 9));
	expectMiss(segment(600, 1200, 6));
	// out of order: the last segment first
	EXPECT_EQ(expectHit(segment(1200, 1509)).flags, PRECLASS_F_CONT);
	EXPECT_EQ(expectHit(segment(600, 1200)).flags, PRECLASS_F_CONT);
	// retransmissions, also a coalesced one
	EXPECT_EQ(expectHit(segment(600, 1200)).flags, PRECLASS_F_CONT);
	EXPECT_EQ(expectHit(segment(0, 1509)).flags, PRECLASS_F_HELLO);
	EXPECT_EQ(cls_->counter(PRECLASS_CONT), 3u);
	// the first data after the record ends the tracking
	Frame after = segment(0, 0);
	after.seq = isn + 1509;
	after.payload = text("\x17\x03\x03\x00\x10 0123456789abcdef");
	expectMiss(after);
	expectMiss(segment(600, 1200));
}

// From the SYN on, a segment that overtakes the ClientHello's first one
// reaches Lua too, flagged early, with the record start (SYN seq + 1).
TEST_F(TlsClassifier, SegmentOvertakingTheFirstIsHandedOverAfterTheSyn)
{
	Bytes hello = clientHello(1500);
	const uint32_t isn = 0xfffffa00;
	auto segment = [&](size_t from, size_t to) {
		Frame f;
		f.seq = isn + uint32_t(from);
		f.payload.assign(hello.begin() + from, hello.begin() + to);
		return f;
	};
	// without the SYN: not followed
	expectMiss(segment(600, 1200));
	Frame syn;
	syn.seq = isn - 1;
	syn.tcpFlags = 0x02;
	expectMiss(syn);
	preclass_arg a = expectHit(segment(600, 1200));
	EXPECT_EQ(a.flags, PRECLASS_F_CONT | PRECLASS_F_EARLY);
	EXPECT_EQ(ntohl(a.start), isn);
	a = expectHit(segment(0, 600));
	EXPECT_EQ(a.flags, PRECLASS_F_HELLO);
	EXPECT_EQ(ntohl(a.start), isn);
	a = expectHit(segment(1200, 1509));
	EXPECT_EQ(a.flags, PRECLASS_F_CONT);
	EXPECT_EQ(ntohl(a.start), isn);
	Frame after = segment(0, 0);
	after.seq = isn + 1509;
	after.payload = text("\x17\x03\x03\x00\x10 0123456789abcdef");
	expectMiss(after);
	expectMiss(segment(600, 1200));
}

TEST_F(TlsClassifier, FollowingFromTheSynEndsAtTheFirstData)
{
	const uint32_t isn = 5000;
	Frame syn;
	syn.seq = isn - 1;
	syn.tcpFlags = 0x02;
	// a whole ClientHello: nothing follows it
	expectMiss(syn);
	Frame h = hello4();
	h.seq = isn;
	EXPECT_EQ(expectHit(h).flags, PRECLASS_F_HELLO);
	Frame next = hello4();
	next.seq = isn + uint32_t(h.payload.size());
	next.payload = text("0123456789");
	expectMiss(next);
	// not TLS at the start: the connection is left alone
	syn.sport = 40001;
	expectMiss(syn);
	Frame get = hello4();
	get.sport = 40001;
	get.seq = isn;
	get.payload = text("GET / HTTP/1.1\r\n\r\n");
	expectMiss(get);
	get.seq = isn + 100;
	expectMiss(get);
	// a SYN-ACK (from a server on the port) is not followed
	Frame synack;
	synack.tcpFlags = 0x12;
	synack.sport = 40002;
	synack.seq = isn - 1;
	expectMiss(synack);
	Frame late = hello4();
	late.sport = 40002;
	late.seq = isn + 100;
	late.payload = text("0123456789");
	expectMiss(late);
}

// A first segment too short to show a ClientHello, but the start of a
// handshake record: handed over (early), and what follows it
TEST_F(TlsClassifier, ShortHandshakeStartAfterTheSyn)
{
	Bytes hello = clientHello(600);
	const uint32_t isn = 7000;
	Frame syn;
	syn.seq = isn - 1;
	syn.tcpFlags = 0x02;
	expectMiss(syn);
	Frame a;
	a.seq = isn;
	a.payload.assign(hello.begin(), hello.begin() + 3);
	EXPECT_EQ(expectHit(a).flags, PRECLASS_F_CONT | PRECLASS_F_EARLY);
	Frame b;
	b.seq = isn + 3;
	b.payload.assign(hello.begin() + 3, hello.end());
	EXPECT_EQ(expectHit(b).flags, PRECLASS_F_CONT | PRECLASS_F_EARLY);
}

TEST_F(TlsClassifier, OneSegmentHelloIsNotTracked)
{
	EXPECT_TRUE(cls_->run(build(hello4())).reached);
	Frame next = hello4();
	next.seq += 10;
	next.payload = text("0123456789");
	expectMiss(next);
}

TEST(TlsClassifierModes, OffPassesAndCountsWithoutTheModule)
{
	Classifier cls("tls_classifier", {.mode = PRECLASS_MODE_OFF});
	ASSERT_EQ(cls.loadError(), 0);
	RunResult r = cls.run(build(hello4()));
	EXPECT_EQ(r.action, kPass);
	EXPECT_FALSE(r.reached);
	EXPECT_EQ(cls.counter(PRECLASS_MATCHED), 1u);
	EXPECT_EQ(cls.counter(PRECLASS_SKIPPED), 1u);
}

TEST(TlsClassifierModes, LuaModeNeedsTheModulesKfunc)
{
	struct stat st;
	if (stat("/sys/kernel/btf/lunatik", &st) == 0)
		GTEST_SKIP() << "the lunatik module is loaded here";
	// the default mode calls bpf_luaxdp_run: without the module the
	// verifier must refuse the object rather than run it
	Classifier cls("tls_classifier", {.mode = PRECLASS_MODE_LUA});
	EXPECT_NE(cls.loadError(), 0);
}

bool inSection(const btf *b, const char *sec, const std::string &name)
{
	int id = btf__find_by_name_kind(b, sec, BTF_KIND_DATASEC);
	if (id < 0)
		return false;
	const btf_type *t = btf__type_by_id(b, id);
	const btf_var_secinfo *v = btf_var_secinfos(t);
	for (unsigned i = 0; i < btf_vlen(t); i++, v++)
		if (btf__name_by_offset(b, btf__type_by_id(b, v->type)->name_off) == name)
			return true;
	return false;
}

// As compiled (libbpf rewrites extern entries at open, so read the ELF).
TEST(TlsClassifierObject, DeclaresTheKfuncAndAWritableKey)
{
	std::string path = objectDir() + "/tls_classifier.bpf.o";
	btf *b = btf__parse_elf(path.c_str(), nullptr);
	ASSERT_TRUE(b && !libbpf_get_error(b));
	int id = btf__find_by_name_kind(b, "bpf_luaxdp_run", BTF_KIND_FUNC);
	ASSERT_GT(id, 0);
	EXPECT_EQ(btf_vlen(btf__type_by_id(b, id)), BTF_FUNC_EXTERN);	// vlen: linkage
	// an extern: listed in .ksyms, resolved against kernel/module BTF
	EXPECT_TRUE(inSection(b, ".ksyms", "bpf_luaxdp_run"));
	// the key is in .data: the verifier checks (key, key__sz) as writable
	EXPECT_TRUE(inSection(b, ".data", "preclass_key"));
	EXPECT_FALSE(inSection(b, ".rodata", "preclass_key"));
	EXPECT_TRUE(inSection(b, ".rodata", "preclass_mode"));
	btf__free(b);
}

}  // namespace
