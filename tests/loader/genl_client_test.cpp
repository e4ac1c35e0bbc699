#include "backend/genl_client.hpp"

#include <cerrno>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "backend/nl_attrs.hpp"
#include "netlink_builder.hpp"

namespace lunatik::loader {
namespace {

using test::NetlinkBuilder;

// The request a failed ack echoes: a genl message with one attribute.
struct Request {
	NetlinkBuilder b;
	const nlmsghdr *nlh;
	Request() : nlh(b.genl(42, 1, NLM_F_REQUEST | NLM_F_ACK))
	{
		b.str(1, "some-set-name");
	}
};

TEST(DecodeAck, PlainAck)
{
	Request req;
	NetlinkBuilder b;
	const nlmsghdr *ack = b.error(0, req.nlh, true);
	AckInfo info = decodeAck(ack);
	EXPECT_EQ(info.error, 0);
	EXPECT_EQ(info.extack, "");
	EXPECT_FALSE(info.badAttrOffset);
}

TEST(DecodeAck, ErrorWithoutTlvs)
{
	Request req;
	NetlinkBuilder b;
	const nlmsghdr *ack = b.error(-EPERM, req.nlh, false);
	AckInfo info = decodeAck(ack);
	EXPECT_EQ(info.error, -EPERM);
	EXPECT_EQ(info.extack, "");
}

TEST(DecodeAck, ExtackAfterCappedEcho)
{
	Request req;
	NetlinkBuilder b;
	b.error(-EINVAL, req.nlh, true, NLM_F_ACK_TLVS);
	b.str(NLMSGERR_ATTR_MSG, "unknown context");
	b.u32(NLMSGERR_ATTR_OFFS, 36);
	AckInfo info = decodeAck(b.header());
	EXPECT_EQ(info.error, -EINVAL);
	EXPECT_EQ(info.extack, "unknown context");
	EXPECT_EQ(info.badAttrOffset, 36u);
}

TEST(DecodeAck, ExtackAfterFullEcho)
{
	Request req;
	NetlinkBuilder b;
	b.error(-EEXIST, req.nlh, false, NLM_F_ACK_TLVS);
	b.str(NLMSGERR_ATTR_MSG, "set exists");
	AckInfo info = decodeAck(b.header());
	EXPECT_EQ(info.error, -EEXIST);
	EXPECT_EQ(info.extack, "set exists");
	EXPECT_FALSE(info.badAttrOffset);
}

TEST(DecodeAck, TruncatedThrows)
{
	NetlinkBuilder b;
	nlmsghdr *nlh = b.genl(NLMSG_ERROR, 0);	// payload: a genlmsghdr only
	EXPECT_THROW(decodeAck(nlh), DecodeError);
}

// The host kernel always has the generic-netlink controller "nlctrl":
// exercise the real socket path (send, ack, dump, error) against it.
TEST(GenlClientKernel, ResolvesTheController)
{
	auto client = GenlClient::open();
	ASSERT_TRUE(client.ok()) << client.error().context;
	auto family = client->resolveFamily("nlctrl");
	ASSERT_TRUE(family.ok()) << family.error().errnum;
	EXPECT_EQ(family->id, GENL_ID_CTRL);
	EXPECT_GE(family->version, 1u);
}

TEST(GenlClientKernel, MissingFamilyIsEnoent)
{
	auto client = GenlClient::open();
	ASSERT_TRUE(client.ok());
	auto family = client->resolveFamily("no-such-family");
	ASSERT_FALSE(family.ok());
	EXPECT_EQ(family.error().errnum, ENOENT);
	EXPECT_TRUE(family.error().context.empty());
	// The socket stays usable after an error.
	EXPECT_TRUE(client->resolveFamily("nlctrl").ok());
}

TEST(GenlClientKernel, DumpsAllFamilies)
{
	auto client = GenlClient::open();
	ASSERT_TRUE(client.ok());
	GenlMessage msg(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1);
	std::set<std::string> names;
	auto done = client->dump(msg, [&](const nlmsghdr *nlh) {
		NlAttrs a = NlAttrs::ofMessage(nlh, sizeof(genlmsghdr));
		if (auto name = a.string(CTRL_ATTR_FAMILY_NAME))
			names.insert(*name);
	});
	ASSERT_TRUE(done.ok()) << done.error().errnum;
	EXPECT_TRUE(names.count("nlctrl"));
	EXPECT_GT(names.size(), 1u);
}

TEST(GenlClientKernel, PolicyViolationCarriesExtack)
{
	auto client = GenlClient::open();
	ASSERT_TRUE(client.ok());
	// CTRL_ATTR_FAMILY_NAME is at most GENL_NAMSIZ - 1 characters.
	GenlMessage msg(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1);
	msg.putString(CTRL_ATTR_FAMILY_NAME, std::string(100, 'x'));
	auto done = client->request(msg, [](const nlmsghdr *) {});
	ASSERT_FALSE(done.ok());
	EXPECT_EQ(done.error().errnum, EINVAL);
	EXPECT_FALSE(done.error().extack.empty());
}

TEST(GenlClientKernel, HandlerExceptionPropagates)
{
	auto client = GenlClient::open();
	ASSERT_TRUE(client.ok());
	GenlMessage msg(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1);
	msg.putString(CTRL_ATTR_FAMILY_NAME, "nlctrl");
	EXPECT_THROW((void)client->request(msg, [](const nlmsghdr *) { throw DecodeError("bad"); }),
		     DecodeError);
	// The ACK was drained: the next exchange is not confused by it.
	EXPECT_TRUE(client->resolveFamily("nlctrl").ok());
}

} // namespace
} // namespace lunatik::loader
