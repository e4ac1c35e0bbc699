// `reload NAME [--script PATH]`: builds a new generation of the set and
// swaps it in; on failure the old generation keeps running. Prints the set
// name and its new generation. When NAME is an applied pipeline (and no
// --script is given) every set of the pipeline is reloaded (cmd_up.hpp).
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "services.hpp"

namespace lunatik::loader {

struct ReloadOptions {
	std::string name;
	std::string script;	// empty: reload the set's current script
	bool quiet = false;
};

CLI::App *setupReload(CLI::App &app, ReloadOptions &opts);
int runReload(const ReloadOptions &opts, Services &svc);

} // namespace lunatik::loader
