// `exec NAME CHUNK [--json]`: runs a Lua chunk in the set and prints the
// RESULT line (the returned values, tab separated) as raw bytes; results are
// byte strings and may hold NULs. --json prints {"result", "result_hex"}.
// CHUNK "-" reads it from stdin.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "services.hpp"

namespace lunatik::loader {

struct ExecOptions {
	std::string name;
	std::string chunk;
	bool json = false;
};

CLI::App *setupExec(CLI::App &app, ExecOptions &opts);
int runExec(const ExecOptions &opts, Services &svc);

// The largest chunk EXEC takes: LUNATIK_CHUNK_MAX, all one netlink
// attribute can carry.
extern const std::size_t kMaxChunk;

// Chunks larger than kMaxChunk are refused before sending.
Result<void> validateChunk(const std::string &chunk);

} // namespace lunatik::loader
