// Loading and inspecting the kernel module, behind an interface so the
// `module` command is unit-tested without modprobe.
#pragma once

#include <optional>
#include <string>

#include "result.hpp"

namespace lunatik::loader {

class ModuleControl {
public:
	virtual ~ModuleControl() = default;

	virtual bool loaded() const = 0;
	// The module's script_root parameter, or the default when unreadable.
	virtual std::string scriptRoot() const = 0;
	virtual Result<void> load(const std::optional<std::string> &scriptRoot) = 0;
	virtual Result<void> unload() = 0;
};

} // namespace lunatik::loader
