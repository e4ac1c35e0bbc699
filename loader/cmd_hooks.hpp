// `hooks [--json]`: the kernel hooks of every set of the caller's netns,
// one line each with packets, errors, budget hits, busy, fallbacks and the
// verdicts given.
#pragma once

#include <CLI/CLI.hpp>

#include "services.hpp"

namespace lunatik::loader {

struct HooksOptions {
	bool json = false;
};

CLI::App *setupHooks(CLI::App &app, HooksOptions &opts);
int runHooks(const HooksOptions &opts, Services &svc);

} // namespace lunatik::loader
