#include "backend/nl_attrs.hpp"

#include <cstring>

#include <fmt/core.h>

extern "C" {
#include <libmnl/libmnl.h>
}

namespace lunatik::loader {

namespace {

int collect(const nlattr *attr, void *data)
{
	static_cast<std::vector<const nlattr *> *>(data)->push_back(attr);
	return MNL_CB_OK;
}

void expectLen(const nlattr *attr, std::size_t len)
{
	if (mnl_attr_get_payload_len(attr) != len)
		throw DecodeError(fmt::format("attribute {} has {} bytes, expected {}",
					      mnl_attr_get_type(attr),
					      mnl_attr_get_payload_len(attr), len));
}

} // namespace

NlAttrs NlAttrs::ofMessage(const nlmsghdr *nlh, std::size_t headerLen)
{
	if (mnl_nlmsg_get_payload_len(nlh) < headerLen)
		throw DecodeError("message shorter than its header");
	NlAttrs out;
	mnl_attr_parse(nlh, headerLen, collect, &out.attrs_);
	return out;
}

NlAttrs NlAttrs::ofNest(const nlattr *nest)
{
	NlAttrs out;
	mnl_attr_parse_nested(nest, collect, &out.attrs_);
	return out;
}

NlAttrs NlAttrs::ofPayload(const void *payload, std::size_t len)
{
	NlAttrs out;
	mnl_attr_parse_payload(payload, len, collect, &out.attrs_);
	return out;
}

const nlattr *NlAttrs::find(std::uint16_t type) const
{
	for (const nlattr *attr : attrs_)
		if (mnl_attr_get_type(attr) == type)
			return attr;
	return nullptr;
}

std::vector<const nlattr *> NlAttrs::all(std::uint16_t type) const
{
	std::vector<const nlattr *> out;
	for (const nlattr *attr : attrs_)
		if (mnl_attr_get_type(attr) == type)
			out.push_back(attr);
	return out;
}

std::string nlattrString(const nlattr *attr)
{
	const char *s = static_cast<const char *>(mnl_attr_get_payload(attr));
	std::size_t len = mnl_attr_get_payload_len(attr);
	// The kernel's nla_put_string includes the NUL; stop there.
	return std::string(s, strnlen(s, len));
}

std::optional<std::string> NlAttrs::string(std::uint16_t type) const
{
	const nlattr *attr = find(type);
	if (!attr)
		return std::nullopt;
	return nlattrString(attr);
}

std::optional<std::string> NlAttrs::binary(std::uint16_t type) const
{
	const nlattr *attr = find(type);
	if (!attr)
		return std::nullopt;
	return std::string(static_cast<const char *>(mnl_attr_get_payload(attr)),
			   mnl_attr_get_payload_len(attr));
}

std::optional<std::uint8_t> NlAttrs::u8(std::uint16_t type) const
{
	const nlattr *attr = find(type);
	if (!attr)
		return std::nullopt;
	expectLen(attr, sizeof(std::uint8_t));
	return mnl_attr_get_u8(attr);
}

std::optional<std::uint16_t> NlAttrs::u16(std::uint16_t type) const
{
	const nlattr *attr = find(type);
	if (!attr)
		return std::nullopt;
	expectLen(attr, sizeof(std::uint16_t));
	return mnl_attr_get_u16(attr);
}

std::optional<std::uint32_t> NlAttrs::u32(std::uint16_t type) const
{
	const nlattr *attr = find(type);
	if (!attr)
		return std::nullopt;
	expectLen(attr, sizeof(std::uint32_t));
	return mnl_attr_get_u32(attr);
}

std::optional<std::uint64_t> NlAttrs::u64(std::uint16_t type) const
{
	const nlattr *attr = find(type);
	if (!attr)
		return std::nullopt;
	expectLen(attr, sizeof(std::uint64_t));
	// The kernel pads u64 attributes to 8 bytes but userspace buffers
	// need not be aligned: copy instead of dereferencing.
	std::uint64_t v;
	std::memcpy(&v, mnl_attr_get_payload(attr), sizeof(v));
	return v;
}

} // namespace lunatik::loader
