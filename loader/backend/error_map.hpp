// Maps a failed netlink exchange to the CLI's error classes and messages.
// Pure, so the errno -> exit code table is unit-tested.
#pragma once

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

// A failure while opening the socket or resolving the family.
Error classifyConnectFailure(const NetlinkFailure &failure);

} // namespace lunatik::loader
