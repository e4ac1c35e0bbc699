// `validate SPEC`: every problem of the spec at once, as
// file:line:column: message; exit 11 when there is any.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "services.hpp"

namespace lunatik::loader {

struct ValidateOptions {
	std::string spec;
};

CLI::App *setupValidate(CLI::App &app, ValidateOptions &opts);
int runValidate(const ValidateOptions &opts, Services &svc);

} // namespace lunatik::loader
