#include "backend/genl_message.hpp"

#include <string>

#include <gtest/gtest.h>

extern "C" {
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
}

namespace lunatik::loader {
namespace {

TEST(GenlMessage, HeaderAndGenlHeader)
{
	GenlMessage msg(0x1234, 7, 1);
	const nlmsghdr *nlh = msg.header();
	EXPECT_EQ(nlh->nlmsg_type, 0x1234);
	EXPECT_EQ(msg.size(), MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(genlmsghdr)));
	auto *g = static_cast<const genlmsghdr *>(mnl_nlmsg_get_payload(nlh));
	EXPECT_EQ(g->cmd, 7);
	EXPECT_EQ(g->version, 1);
}

TEST(GenlMessage, AttributesAreWrittenInOrder)
{
	GenlMessage msg(20, 1, 1);
	msg.putString(1, "abc");
	msg.putU8(2, 9);
	msg.putU32(3, 0xdeadbeef);
	msg.putU64(4, 1ull << 40);
	msg.putBinary(5, std::string("a\0b", 3));

	std::vector<const nlattr *> attrs;
	mnl_attr_parse(msg.header(), sizeof(genlmsghdr), [](const nlattr *a, void *data) {
		static_cast<std::vector<const nlattr *> *>(data)->push_back(a);
		return MNL_CB_OK;
	}, &attrs);
	ASSERT_EQ(attrs.size(), 5u);
	EXPECT_EQ(mnl_attr_get_payload_len(attrs[0]), 4u);	// NUL included
	EXPECT_STREQ(mnl_attr_get_str(attrs[0]), "abc");
	EXPECT_EQ(mnl_attr_get_u8(attrs[1]), 9);
	EXPECT_EQ(mnl_attr_get_u32(attrs[2]), 0xdeadbeef);
	EXPECT_EQ(mnl_attr_get_u64(attrs[3]), 1ull << 40);
	EXPECT_EQ(std::string(static_cast<const char *>(mnl_attr_get_payload(attrs[4])),
			      mnl_attr_get_payload_len(attrs[4])),
		  std::string("a\0b", 3));
}

TEST(GenlMessage, GrowsForLargeAttributes)
{
	GenlMessage msg(20, 1, 1);
	std::string chunk(GenlMessage::kMaxAttrPayload, 'x');
	msg.putString(1, "name");
	msg.putBinary(2, chunk);
	msg.putString(3, "after");
	EXPECT_GE(msg.size(), chunk.size());
	int count = 0;
	mnl_attr_parse(msg.header(), sizeof(genlmsghdr), [](const nlattr *, void *data) {
		++*static_cast<int *>(data);
		return MNL_CB_OK;
	}, &count);
	EXPECT_EQ(count, 3);
}

TEST(GenlMessage, RefusesAttributesPastSixteenBitLength)
{
	GenlMessage msg(20, 1, 1);
	EXPECT_THROW(msg.putBinary(1, std::string(GenlMessage::kMaxAttrPayload + 1, 'x')),
		     std::length_error);
	EXPECT_THROW(msg.putString(1, std::string(GenlMessage::kMaxAttrPayload, 'x')),
		     std::length_error);	// + NUL
}

TEST(GenlMessage, NestSurvivesGrowth)
{
	GenlMessage msg(20, 1, 1);
	auto nest = msg.beginNest(10);
	msg.putBinary(1, std::string(8000, 'y'));	// forces a reallocation
	msg.putU32(2, 42);
	msg.endNest(nest);

	const nlattr *outer = nullptr;
	mnl_attr_parse(msg.header(), sizeof(genlmsghdr), [](const nlattr *a, void *data) {
		*static_cast<const nlattr **>(data) = a;
		return MNL_CB_OK;
	}, &outer);
	ASSERT_NE(outer, nullptr);
	EXPECT_EQ(mnl_attr_get_type(outer), 10);
	EXPECT_EQ(mnl_attr_get_len(outer), msg.size() - MNL_NLMSG_HDRLEN -
						   MNL_ALIGN(sizeof(genlmsghdr)));
}

} // namespace
} // namespace lunatik::loader
