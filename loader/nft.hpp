// nft rules and base chains of a pipeline, through the nft command itself
// (so what `nft list ruleset` shows is exactly what was asked for). A rule
// is found again by its comment, the tag pipeline::nftRuleTag gives it, and
// deleted by handle: nothing without that tag is ever touched. A chain or
// table is deleted only when empty, so rules someone else added keep them.
#pragma once

#include "iptables.hpp"

namespace lunatik::loader {

bool isNftRule(const pipeline::RuleRecord &rule);

bool nftRulePresent(const RunCommand &run, const pipeline::RuleRecord &rule);
Result<void> nftInsertRule(const RunCommand &run, const pipeline::RuleRecord &rule);
// Deletes every rule carrying the tag; none there is fine.
Result<void> nftDeleteRule(const RunCommand &run, const pipeline::RuleRecord &rule);

bool nftTableExists(const RunCommand &run, const std::string &family, const std::string &table);
bool nftChainExists(const RunCommand &run, const std::string &family, const std::string &table,
		    const std::string &chain);

// Adds the table (if the record owns it) and the base chain; both are
// idempotent, so a half-done earlier attempt is fine. A record without a
// hook (a chain iptables-nft makes) adds nothing.
Result<void> nftCreateChain(const RunCommand &run, const pipeline::NftChainRecord &chain);
// Deletes the chain if it has no rule, then the table if the record owns
// it and nothing is left in it. Gone already is fine.
Result<void> nftDeleteChain(const RunCommand &run, const pipeline::NftChainRecord &chain);

} // namespace lunatik::loader
