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
// A size in [min, max] bytes, with the kernel's bounds (pipeline/limits.hpp).
CLI::Option *addSizeOption(CLI::App &app, const std::string &flag, const std::string &help,
			   std::optional<std::uint64_t> &target, std::uint64_t min,
			   std::uint64_t max);
// An integer in [min, max].
CLI::Option *addU32Option(CLI::App &app, const std::string &flag, const std::string &help,
			  std::optional<std::uint32_t> &target, std::uint32_t min,
			  std::uint32_t max);

} // namespace lunatik::loader
