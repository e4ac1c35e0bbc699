// An expected failure: the exit code of its class and a message for the
// user. Lua errors carry the kernel's message verbatim.
#pragma once

#include <ostream>
#include <string>

#include "exit_codes.hpp"

namespace lunatik::loader {

inline constexpr std::string_view kProgramName = "lunatik-pipeline";
inline constexpr std::string_view kModuleNotLoadedMessage =
	"kernel module lunatik is not loaded (run: lunatik-pipeline module load)";

struct Error {
	ExitCode code = ExitCode::kSystem;
	std::string message;
};

// Prints the error the way the CLI promises: a Lua error verbatim, every
// other class prefixed with the program name. Returns the exit code.
int report(std::ostream &err, const Error &error);

} // namespace lunatik::loader
