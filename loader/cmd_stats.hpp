// `stats [--json]`: module-wide allocation counters (leak accounting).
#pragma once

#include <CLI/CLI.hpp>

#include "services.hpp"

namespace lunatik::loader {

struct StatsOptions {
	bool json = false;
};

CLI::App *setupStats(CLI::App &app, StatsOptions &opts);
int runStats(const StatsOptions &opts, Services &svc);

} // namespace lunatik::loader
