// `module load [--script-root DIR] | unload | status`.
//   load    modprobe lunatik [script_root=DIR]; a no-op when already loaded
//           with the same root, an error (exit kExists) with another one.
//   unload  modprobe -r lunatik.
//   status  "loaded: yes|no", "script_root: DIR" and, when loaded, the set
//           table; exits kModuleNotLoaded when not loaded.
#pragma once

#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "services.hpp"

namespace lunatik::loader {

struct ModuleOptions {
	enum class Action { kNone, kLoad, kUnload, kStatus };
	Action action = Action::kNone;
	std::optional<std::string> scriptRoot;
	bool json = false;	// status
};

CLI::App *setupModule(CLI::App &app, ModuleOptions &opts);
int runModule(const ModuleOptions &opts, Services &svc);

} // namespace lunatik::loader
