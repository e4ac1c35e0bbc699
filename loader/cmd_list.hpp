// `list [--json]`: the runtime sets of the caller's netns with counters.
#pragma once

#include <CLI/CLI.hpp>

#include "services.hpp"

namespace lunatik::loader {

struct ListOptions {
	bool json = false;
};

CLI::App *setupList(CLI::App &app, ListOptions &opts);
int runList(const ListOptions &opts, Services &svc);

} // namespace lunatik::loader
