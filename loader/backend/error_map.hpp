// Maps a failed netlink exchange to the CLI's error classes and messages.
// Pure, so the errno -> exit code table is unit-tested.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "backend/genl_client.hpp"
#include "error.hpp"

namespace lunatik::loader {

// What was being done, for the message: op is a verb ("create"), set the
// runtime set's name, script the script path (create/reload only).
struct Operation {
	std::string_view op;
	std::string_view set;
	std::string_view script;
};

Error classifyFailure(const NetlinkFailure &failure, const Operation &what);

// A request the kernel answered with LUNATIK_A_ERROR (+ LUNATIK_A_ERRNO):
// a Lua error stays verbatim (exit 1); the script hitting its memory cap or
// budget, an unreadable script and an interrupted wait get their own class,
// so the kernel's errno reaches the user.
Error classifyReplyError(const std::string &message, std::optional<std::uint32_t> errnum,
			 const Operation &what);

// A failure while opening the socket or resolving the family.
Error classifyConnectFailure(const NetlinkFailure &failure);

} // namespace lunatik::loader
