// Runs a program (PATH lookup) and collects its exit status, stderr and
// stdout. For the iptables and nft backends.
#pragma once

#include "iptables.hpp"

namespace lunatik::loader {

CommandResult runSystemCommand(const std::vector<std::string> &argv);

} // namespace lunatik::loader
