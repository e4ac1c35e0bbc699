// Everything a command touches outside its own process: the kernel control
// plane, the module, the terminal, network namespaces and the standard
// streams (files under the script root and the state directory are used
// directly: tests point them at temporary directories). main() builds
// the real ones (backend/system_services.hpp); tests build fakes.
#pragma once

#include <filesystem>
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "control_plane.hpp"
#include "iptables.hpp"
#include "line_reader.hpp"
#include "module_control.hpp"
#include "xdp.hpp"
#include "result.hpp"

namespace lunatik::loader {

struct Services {
	std::function<Result<std::unique_ptr<ControlPlane>>()> connect;
	std::unique_ptr<ModuleControl> module;
	std::function<std::unique_ptr<LineReader>()> lineReader;
	// Pipelines (up/down/status/plan): where their state lives, the
	// network interfaces of the current netns (nullopt: cannot tell),
	// and moving this process into a named netns.
	std::filesystem::path stateDir = "/run/lunatik-pipeline";
	std::function<std::optional<std::vector<std::string>>()> listInterfaces;
	std::function<Result<void>(const std::string &)> enterNetns;
	// Runs iptables for the pipelines' xtables rules.
	RunCommand runCommand;
	// Attaches and detaches the pipelines' XDP stages (nullptr: this
	// build or test has none, and an xdp step fails saying so).
	std::unique_ptr<XdpBackend> xdp;
	std::istream *in = nullptr;
	std::ostream *out = nullptr;
	std::ostream *err = nullptr;
};

} // namespace lunatik::loader
