// Generic-netlink client: the RAII owner of one NETLINK_GENERIC socket.
//
// Requests go out with NLM_F_ACK and extended acks enabled, so a failure
// comes back as an errno plus the kernel's extack message (quoted verbatim
// by the CLI). Replies are handed to a callback one message at a time;
// dumps run until NLMSG_DONE.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "backend/genl_message.hpp"
#include "result.hpp"

struct mnl_socket;
struct nlmsghdr;

namespace lunatik::loader {

struct NetlinkFailure {
	int errnum = 0;			// positive errno
	std::string extack;		// NLMSGERR_ATTR_MSG, may be empty
	std::optional<std::uint32_t> badAttrOffset;	// NLMSGERR_ATTR_OFFS
	std::string context;		// what failed locally, if not the kernel
};

// The content of an NLMSG_ERROR message (an ACK when error == 0).
struct AckInfo {
	int error = 0;			// negative errno, or 0
	std::string extack;
	std::optional<std::uint32_t> badAttrOffset;
};

// Decodes an NLMSG_ERROR message, including the extack TLVs. Throws
// DecodeError when the message is too short.
AckInfo decodeAck(const nlmsghdr *nlh);

struct FamilyInfo {
	std::uint16_t id = 0;
	std::uint32_t version = 0;
};

class GenlClient {
public:
	// Called for each reply message; may throw DecodeError.
	using ReplyHandler = std::function<void(const nlmsghdr *)>;

	static Result<GenlClient, NetlinkFailure> open();

	GenlClient(const GenlClient &) = delete;
	GenlClient &operator=(const GenlClient &) = delete;
	GenlClient(GenlClient &&) noexcept;
	GenlClient &operator=(GenlClient &&) noexcept;
	~GenlClient();

	// CTRL_CMD_GETFAMILY; ENOENT when no such family is registered.
	Result<FamilyInfo, NetlinkFailure> resolveFamily(std::string_view name);

	// A "do" request: waits for the kernel's ACK (or error).
	Result<void, NetlinkFailure> request(GenlMessage &msg, const ReplyHandler &onReply);
	// A dump request: waits for NLMSG_DONE (or error).
	Result<void, NetlinkFailure> dump(GenlMessage &msg, const ReplyHandler &onReply);

private:
	struct SocketDeleter {
		void operator()(mnl_socket *sock) const;
	};

	explicit GenlClient(std::unique_ptr<mnl_socket, SocketDeleter> sock);
	Result<void, NetlinkFailure> transact(GenlMessage &msg, std::uint16_t flags,
					      const ReplyHandler &onReply);
	// Receives one datagram, whatever its size.
	Result<std::size_t, NetlinkFailure> receive();

	std::unique_ptr<mnl_socket, SocketDeleter> sock_;
	std::uint32_t portid_ = 0;
	std::uint32_t seq_ = 0;
	std::vector<std::uint8_t> rxbuf_;
};

} // namespace lunatik::loader
