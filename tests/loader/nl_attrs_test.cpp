#include "backend/nl_attrs.hpp"

#include <gtest/gtest.h>

#include "netlink_builder.hpp"

namespace lunatik::loader {
namespace {

using test::NetlinkBuilder;

TEST(NlAttrs, TypedGetters)
{
	NetlinkBuilder b;
	b.genl(30, 1);
	b.str(1, "hello");
	b.u8(2, 7);
	b.u16(3, 300);
	b.u32(4, 70000);
	b.u64(5, 1ull << 50);
	NlAttrs a = NlAttrs::ofMessage(b.header(), sizeof(genlmsghdr));
	EXPECT_EQ(a.size(), 5u);
	EXPECT_EQ(a.string(1), "hello");
	EXPECT_EQ(a.u8(2), 7);
	EXPECT_EQ(a.u16(3), 300);
	EXPECT_EQ(a.u32(4), 70000u);
	EXPECT_EQ(a.u64(5), 1ull << 50);
	EXPECT_FALSE(a.has(6));
	EXPECT_EQ(a.u32(6), std::nullopt);
}

TEST(NlAttrs, WrongLengthThrows)
{
	NetlinkBuilder b;
	b.genl(30, 1);
	b.u8(1, 1);
	b.u64(2, 1);
	NlAttrs a = NlAttrs::ofMessage(b.header(), sizeof(genlmsghdr));
	EXPECT_THROW(a.u32(1), DecodeError);
	EXPECT_THROW(a.u32(2), DecodeError);
}

TEST(NlAttrs, StringWithoutNulIsBounded)
{
	NetlinkBuilder b;
	b.genl(30, 1);
	b.raw(1, "abcd", 4);	// no terminator: must not read past the payload
	NlAttrs a = NlAttrs::ofMessage(b.header(), sizeof(genlmsghdr));
	EXPECT_EQ(a.string(1), "abcd");
}

TEST(NlAttrs, NestsAndRepeatedAttributes)
{
	NetlinkBuilder b;
	b.genl(30, 1);
	nlattr *outer = b.nest(9);
	for (std::uint32_t i = 0; i < 3; i++) {
		nlattr *inner = b.nest(1);
		b.u32(1, i);
		b.end(inner);
	}
	b.end(outer);
	NlAttrs top = NlAttrs::ofMessage(b.header(), sizeof(genlmsghdr));
	ASSERT_TRUE(top.has(9));
	NlAttrs nest = NlAttrs::ofNest(top.find(9));
	auto inners = nest.all(1);
	ASSERT_EQ(inners.size(), 3u);
	for (std::uint32_t i = 0; i < 3; i++)
		EXPECT_EQ(NlAttrs::ofNest(inners[i]).u32(1), i);
}

TEST(NlAttrs, MessageShorterThanHeaderThrows)
{
	NetlinkBuilder b;
	nlmsghdr *nlh = b.genl(30, 1);
	EXPECT_THROW(NlAttrs::ofMessage(nlh, 64), DecodeError);
}

} // namespace
} // namespace lunatik::loader
