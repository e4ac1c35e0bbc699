// `plan SPEC [--json]`: what `up SPEC` would change, in order; "nothing to
// do" when the pipeline is applied as the spec says.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "services.hpp"

namespace lunatik::loader {

struct PlanOptions {
	std::string spec;
	bool json = false;
};

CLI::App *setupPlan(CLI::App &app, PlanOptions &opts);
int runPlan(const PlanOptions &opts, Services &svc);

} // namespace lunatik::loader
