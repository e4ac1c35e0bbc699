// `up SPEC [--quiet]`: brings the pipeline to what the spec says, as one
// transaction (every step of this run undone if one fails). Also the
// pipeline half of `reload NAME`: re-reads the scripts of an applied
// pipeline and hot-swaps every set.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "services.hpp"

namespace lunatik::loader {

struct UpOptions {
	std::string spec;
	bool quiet = false;
};

CLI::App *setupUp(CLI::App &app, UpOptions &opts);
int runUp(const UpOptions &opts, Services &svc);

// True when NAME is an applied pipeline (it has a state file).
bool isPipeline(const std::string &name, const Services &svc);
int runPipelineReload(const std::string &name, bool quiet, Services &svc);

} // namespace lunatik::loader
