// The command line: builds the CLI11 app from the subcommands' setupX(),
// parses, and dispatches to the chosen runX(). main() only calls this.
#pragma once

#include "services.hpp"

namespace lunatik::loader {

// argv[0] is the program name. Returns the process exit code.
int runCli(int argc, const char *const *argv, Services &svc);

} // namespace lunatik::loader
