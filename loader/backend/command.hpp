// Runs a program (PATH lookup) and collects its exit status and stderr;
// stdout goes to /dev/null. For the iptables backend.
#pragma once

#include "iptables.hpp"

namespace lunatik::loader {

CommandResult runSystemCommand(const std::vector<std::string> &argv);

} // namespace lunatik::loader
