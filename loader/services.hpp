// Everything a command touches outside its own process: the kernel control
// plane, the module, the terminal and the standard streams. main() builds
// the real ones (backend/system_services.hpp); tests build fakes.
#pragma once

#include <functional>
#include <iosfwd>
#include <memory>

#include "control_plane.hpp"
#include "line_reader.hpp"
#include "module_control.hpp"
#include "result.hpp"

namespace lunatik::loader {

struct Services {
	std::function<Result<std::unique_ptr<ControlPlane>>()> connect;
	std::unique_ptr<ModuleControl> module;
	std::function<std::unique_ptr<LineReader>()> lineReader;
	std::istream *in = nullptr;
	std::ostream *out = nullptr;
	std::ostream *err = nullptr;
};

} // namespace lunatik::loader
