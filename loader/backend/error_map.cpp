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

Error classifyReplyError(const std::string &message, std::optional<std::uint32_t> errnum,
			 const Operation &what)
{
	int eno = errnum ? static_cast<int>(*errnum) : EINVAL;
	// A chunk run by exec that loops or allocates forever is the user's
	// Lua error; a script body doing so at load is a limit of the set.
	bool loading = what.op == "create" || what.op == "reload";
	if (!loading && (eno == ENOMEM || eno == ETIME))
		return Error{ExitCode::kLuaError, message};
	switch (eno) {
	case EINVAL:	// the script raised an error
	case ENOEXEC:	// syntax error
		return Error{ExitCode::kLuaError, message};
	case ENOMEM:
		return Error{ExitCode::kLimit,
			     fmt::format("{}: memory cap reached: {}", describe(what), message)};
	case ETIME:
		return Error{ExitCode::kLimit,
			     fmt::format("{}: instruction budget exhausted: {}", describe(what), message)};
	case EINTR:
		return Error{ExitCode::kSystem, fmt::format("{}: interrupted: {}", describe(what), message)};
	case ENXIO:
		return Error{ExitCode::kSetNotFound,
			     fmt::format("{}: the set stopped meanwhile: {}", describe(what), message)};
	case ENOENT:
		// The kernel could not open the script ("cannot read PATH").
		return Error{ExitCode::kScriptNotFound,
			     fmt::format("script not found by the kernel: {} ({})",
					 what.script.empty() ? message : std::string(what.script),
					 std::strerror(eno))};
	default:
		return Error{ExitCode::kKernelRejected,
			     fmt::format("{}: {}: {}", describe(what), message, std::strerror(eno))};
	}
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
