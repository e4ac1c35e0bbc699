// Helpers shared by the subcommands: connecting, validating set names,
// reporting errors.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "control_plane.hpp"
#include "services.hpp"

namespace lunatik::loader {

// Prints the error on svc.err and returns its exit code.
int fail(Services &svc, const Error &error);

// Prints every message as an error line; the exit code of `code`.
int failAll(Services &svc, ExitCode code, const std::vector<std::string> &messages);

// Connects to the module and lists its runtime sets (list, hooks, module
// status).
Result<std::vector<SetInfo>> listAllSets(Services &svc);

// Set names are non-empty and shorter than LUNATIK_NAME_MAX (with NUL).
Result<void> validateSetName(const std::string &name);

} // namespace lunatik::loader
