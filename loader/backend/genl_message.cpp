#include "backend/genl_message.hpp"

#include <stdexcept>
#include <string>

extern "C" {
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
}

namespace lunatik::loader {

namespace {
constexpr std::size_t kInitialSize = 1024;
}

GenlMessage::GenlMessage(std::uint16_t family, std::uint8_t cmd, std::uint8_t version)
	: buf_(kInitialSize, 0)
{
	nlmsghdr *nlh = mnl_nlmsg_put_header(buf_.data());
	nlh->nlmsg_type = family;
	auto *genl = static_cast<genlmsghdr *>(
		mnl_nlmsg_put_extra_header(nlh, sizeof(genlmsghdr)));
	genl->cmd = cmd;
	genl->version = version;
}

nlmsghdr *GenlMessage::header()
{
	return reinterpret_cast<nlmsghdr *>(buf_.data());
}

const nlmsghdr *GenlMessage::header() const
{
	return reinterpret_cast<const nlmsghdr *>(buf_.data());
}

std::size_t GenlMessage::size() const
{
	return header()->nlmsg_len;
}

void GenlMessage::reserveAttr(std::size_t payload)
{
	// nla_len is 16 bits: a longer attribute would silently wrap.
	if (payload > kMaxAttrPayload)
		throw std::length_error("netlink attribute larger than 65531 bytes");
	std::size_t need = size() + MNL_ATTR_HDRLEN + MNL_ALIGN(payload);
	if (need > buf_.size())
		buf_.resize(std::max(need, buf_.size() * 2), 0);
}

void GenlMessage::putString(std::uint16_t type, std::string_view value)
{
	std::string z(value);	// libmnl copies len bytes: the NUL must be there
	reserveAttr(z.size() + 1);
	mnl_attr_put(header(), type, z.size() + 1, z.c_str());
}

void GenlMessage::putBinary(std::uint16_t type, std::string_view bytes)
{
	reserveAttr(bytes.size());
	mnl_attr_put(header(), type, bytes.size(), bytes.data());
}

void GenlMessage::putU8(std::uint16_t type, std::uint8_t value)
{
	reserveAttr(sizeof(value));
	mnl_attr_put_u8(header(), type, value);
}

void GenlMessage::putU16(std::uint16_t type, std::uint16_t value)
{
	reserveAttr(sizeof(value));
	mnl_attr_put_u16(header(), type, value);
}

void GenlMessage::putU32(std::uint16_t type, std::uint32_t value)
{
	reserveAttr(sizeof(value));
	mnl_attr_put_u32(header(), type, value);
}

void GenlMessage::putU64(std::uint16_t type, std::uint64_t value)
{
	reserveAttr(sizeof(value));
	mnl_attr_put_u64(header(), type, value);
}

std::size_t GenlMessage::beginNest(std::uint16_t type)
{
	reserveAttr(0);
	std::size_t offset = size();
	mnl_attr_nest_start(header(), type);
	return offset;
}

void GenlMessage::endNest(std::size_t token)
{
	mnl_attr_nest_end(header(), reinterpret_cast<nlattr *>(buf_.data() + token));
}

} // namespace lunatik::loader
