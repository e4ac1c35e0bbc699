#include "backend/error_map.hpp"

#include <cerrno>
#include <cstring>
#include <string>

#include <fmt/core.h>

namespace lunatik::loader {

namespace {

// The kernel's extack message, quoted verbatim after the errno text.
std::string withExtack(std::string message, const NetlinkFailure &f)
{
	if (!f.extack.empty())
		message += ": " + f.extack;
	return message;
}

std::string describe(const Operation &what)
{
	if (what.set.empty())
		return std::string(what.op);
	return fmt::format("{} '{}'", what.op, what.set);
}

} // namespace

Error classifyFailure(const NetlinkFailure &f, const Operation &what)
{
	if (!f.context.empty())
		return Error{ExitCode::kSystem,
			     fmt::format("{}: {}: {}", describe(what), f.context, std::strerror(f.errnum))};
	switch (f.errnum) {
	case EPERM:
	case EACCES:
		return Error{ExitCode::kPermission,
			     withExtack("permission denied (CAP_NET_ADMIN required)", f)};
	case ENOENT:
		// A create has no set to miss: the kernel could not open the file.
		if (what.op == "create" && !what.script.empty())
			return Error{ExitCode::kScriptNotFound,
				     withExtack(fmt::format("script not found: {}", what.script), f)};
		if (!what.set.empty())
			return Error{ExitCode::kSetNotFound,
				     withExtack(fmt::format("no runtime set named '{}'", what.set), f)};
		break;
	case EEXIST:
		return Error{ExitCode::kExists,
			     withExtack(fmt::format("runtime set '{}' already exists", what.set), f)};
	default:
		break;
	}
	return Error{ExitCode::kKernelRejected,
		     withExtack(fmt::format("{}: {}", describe(what), std::strerror(f.errnum)), f)};
}

Error classifyConnectFailure(const NetlinkFailure &f)
{
	if (f.context.empty() && f.errnum == ENOENT)
		return Error{ExitCode::kModuleNotLoaded, std::string(kModuleNotLoadedMessage)};
	if (f.context.empty() && (f.errnum == EPERM || f.errnum == EACCES))
		return Error{ExitCode::kPermission, withExtack("permission denied (CAP_NET_ADMIN required)", f)};
	std::string what = f.context.empty() ? "resolving generic netlink family lunatik" : f.context;
	return Error{ExitCode::kSystem,
		     withExtack(fmt::format("{}: {}", what, std::strerror(f.errnum)), f)};
}

} // namespace lunatik::loader
