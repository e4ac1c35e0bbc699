// The real Services: netlink, /sys + modprobe, readline, std streams.
#pragma once

#include <functional>
#include <memory>

#include "backend/kernel_module.hpp"
#include "services.hpp"

namespace lunatik::loader {

Services makeSystemServices();

// Connects only when the module is known to be loaded. Resolving the genl
// family of an absent module would make the kernel autoload it
// (MODULE_ALIAS_GENL_FAMILY) with the default script root, behind the
// user's back; the CLI says "not loaded" instead.
Result<std::unique_ptr<ControlPlane>> connectIfLoaded(
	const KernelModule &module,
	const std::function<Result<std::unique_ptr<ControlPlane>>()> &connect);

} // namespace lunatik::loader
