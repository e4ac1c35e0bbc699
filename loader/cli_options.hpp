// CLI11 option helpers shared by subcommands whose values need our own
// parsing (sizes with suffixes, contexts, u32 counts).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "control_plane.hpp"

namespace lunatik::loader {

CLI::Option *addContextOption(CLI::App &app, std::optional<Context> &target);
CLI::Option *addSizeOption(CLI::App &app, const std::string &flag, const std::string &help,
			   std::optional<std::uint64_t> &target);
CLI::Option *addU32Option(CLI::App &app, const std::string &flag, const std::string &help,
			  std::optional<std::uint32_t> &target);

} // namespace lunatik::loader
