// SPDX-License-Identifier: GPL-2.0
// dns_classifier_test.cpp - which frames bpf/dns_classifier.bpf.c would hand
// to Lua, and with which argument (record mode), over crafted frames.
#include <gtest/gtest.h>

#include "classifier.hpp"
#include "packet.hpp"

using namespace bpftest;

namespace {

class DnsClassifier : public testing::Test {
protected:
	void SetUp() override
	{
		cls_ = std::make_unique<Classifier>("dns_classifier", Classifier::Options{});
		ASSERT_EQ(cls_->loadError(), 0);
	}

	// Expects @f to reach Lua with the payload offset at its DNS header.
	preclass_arg expectHit(const Frame &f)
	{
		Layout lay;
		Bytes b = build(f, &lay);
		RunResult r = cls_->run(b);
		EXPECT_EQ(r.action, uint32_t(XDP_PASS));
		EXPECT_TRUE(r.reached);
		if (!r.reached)
			return {};
		size_t dns = lay.payload + (f.proto == 6 ? 2 : 0);
		EXPECT_EQ(ntohs(r.arg.payload), dns);
		EXPECT_EQ(ntohs(r.arg.l4), lay.l4);
		EXPECT_EQ(ntohs(r.arg.len), lay.ipEnd - dns);
		EXPECT_EQ(r.arg.proto, f.proto);
		EXPECT_EQ(r.arg.flags, f.proto == 6 ? PRECLASS_F_DNS_TCP : 0);
		return r.arg;
	}

	void expectMiss(const Frame &f)
	{
		RunResult r = cls_->run(build(f));
		EXPECT_EQ(r.action, uint32_t(XDP_PASS));
		EXPECT_FALSE(r.reached);
	}

	std::unique_ptr<Classifier> cls_;
};

Frame udpQuery(int family = 4)
{
	Frame f;
	f.family = family;
	f.proto = 17;
	f.sport = 33333;
	f.dport = 53;
	f.payload = dnsQuery();
	return f;
}

Frame tcpQuery(int family = 4)
{
	Frame f = udpQuery(family);
	f.proto = 6;
	Bytes msg = dnsQuery();
	f.payload = {uint8_t(msg.size() >> 8), uint8_t(msg.size())};
	f.payload.insert(f.payload.end(), msg.begin(), msg.end());
	return f;
}

TEST_F(DnsClassifier, UdpQueriesAndResponses)
{
	EXPECT_EQ(ntohs(expectHit(udpQuery()).payload), 42);
	Frame resp = udpQuery();
	std::swap(resp.sport, resp.dport);
	expectHit(resp);
	expectHit(udpQuery(6));
	Frame v = udpQuery(6);
	v.vlanTpids = {0x88a8, 0x8100};
	v.ipv6Ext = {{0, 8}, {60, 16}};
	expectHit(v);
	Frame o = udpQuery();
	o.ipv4Options = 8;
	EXPECT_EQ(ntohs(expectHit(o).payload), 50);
}

TEST_F(DnsClassifier, TcpMessagesPastTheLengthPrefix)
{
	EXPECT_EQ(ntohs(expectHit(tcpQuery()).payload), 56);
	Frame resp = tcpQuery(6);
	std::swap(resp.sport, resp.dport);
	resp.tcpOptions = 12;
	expectHit(resp);
	Frame ack = tcpQuery();
	ack.payload = {};
	expectMiss(ack);
	Frame shortmsg = tcpQuery();
	shortmsg.payload.resize(2 + 11);	// prefix + 11 bytes: no full header
	expectMiss(shortmsg);
}

TEST_F(DnsClassifier, OtherTrafficPasses)
{
	Frame f = udpQuery();
	f.dport = 5353;
	expectMiss(f);
	f = udpQuery();
	f.payload.resize(11);
	expectMiss(f);
	f = udpQuery();
	f.ipv4FragOff = 0x2000;
	expectMiss(f);
	f = udpQuery(6);
	f.ipv6Ext = {{44, 8, 0x0001}};
	expectMiss(f);
	f = udpQuery();
	f.proto = 47;	// GRE: neither UDP nor TCP
	f.payload = dnsQuery();
	expectMiss(f);
	EXPECT_EQ(cls_->counter(PRECLASS_FRAGMENT), 2u);
}

TEST_F(DnsClassifier, TruncatedAtEveryLength)
{
	for (Frame f : {udpQuery(), tcpQuery(6)}) {
		f.vlanTpids = {0x8100};
		Layout lay;
		Bytes full = build(f, &lay);
		size_t dns = lay.payload + (f.proto == 6 ? 2 : 0);
		// the kernel refuses test frames shorter than an Ethernet header
		for (size_t n = 14; n <= full.size(); n++) {
			Bytes b(full.begin(), full.begin() + n);
			RunResult r = cls_->run(b);
			bool fits = n >= dns + 12;
			ASSERT_EQ(r.reached, fits) << "proto " << int(f.proto) << " length " << n;
			if (fits) {
				EXPECT_EQ(ntohs(r.arg.len), n - dns);
			}
		}
	}
}

TEST_F(DnsClassifier, UdpLengthBelowHeader)
{
	Frame f = udpQuery();
	Layout lay;
	Bytes b = build(f, &lay);
	set16(b, lay.l3 + 2, 20 + 4);	// IP claims half a UDP header
	EXPECT_FALSE(cls_->run(b).reached);
}

TEST(DnsClassifierModes, OffPassesWithoutTheModule)
{
	Classifier cls("dns_classifier", {.mode = PRECLASS_MODE_OFF});
	ASSERT_EQ(cls.loadError(), 0);
	EXPECT_FALSE(cls.run(build(udpQuery())).reached);
	EXPECT_EQ(cls.counter(PRECLASS_SKIPPED), 1u);
	EXPECT_EQ(cls.counter(PRECLASS_SEEN), 1u);
}

}  // namespace
