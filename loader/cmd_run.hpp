// `run SCRIPT [--name NAME] [--context process|softirq] [--mem BYTES]
// [--budget N] [--hook-budget N] [--default-verdict pass|drop]`: creates a runtime set and prints its name.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "control_plane.hpp"
#include "services.hpp"

namespace lunatik::loader {

struct RunOptions {
	std::string script;
	std::string name;	// empty: derived from the script path
	std::optional<Context> context;
	std::optional<std::uint64_t> memLimit;
	std::optional<std::uint32_t> budget;
	std::optional<std::uint32_t> hookBudget;
	std::optional<Policy> policy;
	bool shared = false;	// softirq: one instance for all CPUs
};

CLI::App *setupRun(CLI::App &app, RunOptions &opts);
int runRun(const RunOptions &opts, Services &svc);

} // namespace lunatik::loader
