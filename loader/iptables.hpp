// iptables rules of a pipeline, through the iptables commands themselves
// (iptables-nft / iptables-legacy, ip6tables-* for ipv6), so the rules are
// exactly what `iptables -S` shows and Lua extensions load as for a user.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "lunatik/pipeline/state.hpp"
#include "result.hpp"

namespace lunatik::loader {

struct CommandResult {
	int status = 0;		// exit status; 127 when it could not be run
	std::string errors;	// what it printed on stderr
	std::string output;	// what it printed on stdout (nft -j listings)
};

using RunCommand = std::function<CommandResult(const std::vector<std::string> &argv)>;

// The command line for one operation (-A, -D, -C) on a rule.
std::vector<std::string> iptablesCommand(const pipeline::RuleRecord &rule, const std::string &op);

// Rules whose backend is "nft" go to the nft backend (nft.hpp).
bool rulePresent(const RunCommand &run, const pipeline::RuleRecord &rule);
Result<void> insertRule(const RunCommand &run, const pipeline::RuleRecord &rule);
// Deleting a rule that is not there succeeds.
Result<void> deleteRule(const RunCommand &run, const pipeline::RuleRecord &rule);

} // namespace lunatik::loader
