// `repl NAME`: an interactive Lua prompt on a runtime set. Each statement
// runs via EXEC; results go to stdout, Lua errors to stderr (the REPL goes
// on). As in lua.c, a statement that fails to compile because input ended
// early ("<eof>" in the message) continues on the next line, and a line
// starting with "=" means "return <rest>".
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "services.hpp"

namespace lunatik::loader {

struct ReplOptions {
	std::string name;
};

CLI::App *setupRepl(CLI::App &app, ReplOptions &opts);
int runRepl(const ReplOptions &opts, Services &svc);

// True when a Lua error means "the statement is not finished yet".
bool isIncomplete(const Error &error);

} // namespace lunatik::loader
