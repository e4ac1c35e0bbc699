// The machine's network namespaces and interfaces, for pipeline commands.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "result.hpp"

namespace lunatik::loader {

// Interface names of the current network namespace (if_nameindex).
std::optional<std::vector<std::string>> systemInterfaces();

// Moves the process into /run/netns/NAME (as `ip netns exec` does for the
// network part): later sockets, the kernel's sets and iptables all see
// that namespace.
Result<void> enterNamedNetns(const std::string &name);

} // namespace lunatik::loader
