// `stop NAME`: stops a runtime set (freed after an RCU grace period).
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "services.hpp"

namespace lunatik::loader {

struct StopOptions {
	std::string name;
};

CLI::App *setupStop(CLI::App &app, StopOptions &opts);
int runStop(const StopOptions &opts, Services &svc);

} // namespace lunatik::loader
