// `down NAME|SPEC [--quiet]`: removes what the pipeline installed (its sets
// and the script files it wrote) and nothing else.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "services.hpp"

namespace lunatik::loader {

struct DownOptions {
	std::string target;	// pipeline name, or its spec file
	bool quiet = false;
};

CLI::App *setupDown(CLI::App &app, DownOptions &opts);
int runDown(const DownOptions &opts, Services &svc);

} // namespace lunatik::loader
