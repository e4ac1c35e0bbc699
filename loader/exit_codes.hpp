// Exit codes of lunatik-pipeline: one per error class, so scripts can tell
// a Lua error from a missing module or a missing privilege. The same table
// is printed at the end of `lunatik-pipeline --help` and in README.md.
#pragma once

#include <array>
#include <string_view>

namespace lunatik::loader {

enum class ExitCode : int {
	kOk = 0,
	// The Lua code raised an error (syntax or runtime); the message is
	// printed verbatim, e.g. "script.lua:3: attempt to call a nil value".
	kLuaError = 1,
	// Bad command line: unknown option, invalid value, name too long.
	kUsage = 2,
	// The generic-netlink family "lunatik" does not exist.
	kModuleNotLoaded = 3,
	// The kernel refused the request with EPERM/EACCES.
	kPermission = 4,
	// The script file does not exist.
	kScriptNotFound = 5,
	// No runtime set of that name (the kernel answered ENOENT).
	kSetNotFound = 6,
	// The object already exists (a set of that name, a loaded module).
	kExists = 7,
	// Any other kernel rejection; its extack message is quoted.
	kKernelRejected = 8,
	// Local failure: socket, modprobe, malformed reply, I/O.
	kSystem = 9,
	// The script ran out of its set's memory cap or instruction budget
	// (the kernel answered ENOMEM or ETIME with the Lua message).
	kLimit = 10,
	// The pipeline spec is invalid (every problem is printed as
	// file:line:column: message), or asks for a stage `up` cannot apply.
	kInvalidSpec = 11,
	// No pipeline of that name has been brought up.
	kPipelineNotFound = 12,
};

struct ExitCodeDoc {
	ExitCode code;
	std::string_view meaning;
};

inline constexpr std::array kExitCodeDocs{
	ExitCodeDoc{ExitCode::kOk, "success"},
	ExitCodeDoc{ExitCode::kLuaError, "Lua error (message printed verbatim)"},
	ExitCodeDoc{ExitCode::kUsage, "invalid command line"},
	ExitCodeDoc{ExitCode::kModuleNotLoaded, "kernel module lunatik is not loaded"},
	ExitCodeDoc{ExitCode::kPermission, "permission denied (CAP_NET_ADMIN required)"},
	ExitCodeDoc{ExitCode::kScriptNotFound, "script not found"},
	ExitCodeDoc{ExitCode::kSetNotFound, "no runtime set of that name"},
	ExitCodeDoc{ExitCode::kExists, "already exists"},
	ExitCodeDoc{ExitCode::kKernelRejected, "request rejected by the kernel"},
	ExitCodeDoc{ExitCode::kSystem, "system error (socket, modprobe, I/O)"},
	ExitCodeDoc{ExitCode::kLimit, "the script hit its memory cap or instruction budget"},
	ExitCodeDoc{ExitCode::kInvalidSpec, "invalid pipeline spec"},
	ExitCodeDoc{ExitCode::kPipelineNotFound, "no pipeline of that name"},
};

constexpr int toInt(ExitCode code) { return static_cast<int>(code); }

} // namespace lunatik::loader
