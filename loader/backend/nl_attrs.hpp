// Read-only view of a run of netlink attributes (a message body or a nest)
// with typed, length-checked getters. A malformed attribute throws
// DecodeError; the control plane turns it into a "malformed reply" error.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

struct nlattr;
struct nlmsghdr;

namespace lunatik::loader {

class DecodeError : public std::runtime_error {
public:
	using std::runtime_error::runtime_error;
};

class NlAttrs {
public:
	// The attributes of a message after `headerLen` bytes of payload
	// header (e.g. sizeof(genlmsghdr)).
	static NlAttrs ofMessage(const nlmsghdr *nlh, std::size_t headerLen);
	static NlAttrs ofNest(const nlattr *nest);
	static NlAttrs ofPayload(const void *payload, std::size_t len);

	const nlattr *find(std::uint16_t type) const;
	std::vector<const nlattr *> all(std::uint16_t type) const;
	bool has(std::uint16_t type) const { return find(type) != nullptr; }

	std::optional<std::string> string(std::uint16_t type) const;
	std::optional<std::string> binary(std::uint16_t type) const;
	std::optional<std::uint8_t> u8(std::uint16_t type) const;
	std::optional<std::uint16_t> u16(std::uint16_t type) const;
	std::optional<std::uint32_t> u32(std::uint16_t type) const;
	std::optional<std::uint64_t> u64(std::uint16_t type) const;

	std::size_t size() const { return attrs_.size(); }

private:
	std::vector<const nlattr *> attrs_;
};

// Typed access to a single attribute (for nests found with all()).
std::string nlattrString(const nlattr *attr);

} // namespace lunatik::loader
