// A generic-netlink request under construction: nlmsghdr + genlmsghdr +
// attributes, in a buffer that grows as attributes are added (an EXEC chunk
// may be 64 KiB). Attributes are written with libmnl.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

struct nlmsghdr;

namespace lunatik::loader {

class GenlMessage {
public:
	// nla_len is a u16 that includes the 4-byte attribute header.
	static constexpr std::size_t kMaxAttrPayload = 0xffff - 4;

	GenlMessage(std::uint16_t family, std::uint8_t cmd, std::uint8_t version);

	// Each put throws std::length_error past kMaxAttrPayload bytes.
	void putString(std::uint16_t type, std::string_view value);	// NUL-terminated
	void putBinary(std::uint16_t type, std::string_view bytes);
	void putU8(std::uint16_t type, std::uint8_t value);
	void putU16(std::uint16_t type, std::uint16_t value);
	void putU32(std::uint16_t type, std::uint32_t value);
	void putU64(std::uint16_t type, std::uint64_t value);

	// A nest is closed by passing the token beginNest returned.
	std::size_t beginNest(std::uint16_t type);
	void endNest(std::size_t token);

	nlmsghdr *header();
	const nlmsghdr *header() const;
	const std::uint8_t *data() const { return buf_.data(); }
	std::size_t size() const;

private:
	// Makes room for one more attribute with `payload` bytes.
	void reserveAttr(std::size_t payload);

	std::vector<std::uint8_t> buf_;
};

} // namespace lunatik::loader
