// `status [NAME] [--json]`: every applied pipeline (or the named one) with
// its sets' state and counters, the hooks its spec expects, and drift: a
// set stopped by hand, a script changed on disk since up.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "services.hpp"

namespace lunatik::loader {

struct StatusOptions {
	std::string name;	// empty: every pipeline
	bool json = false;
};

CLI::App *setupStatus(CLI::App &app, StatusOptions &opts);
int runStatus(const StatusOptions &opts, Services &svc);

} // namespace lunatik::loader
