#include "iptables.hpp"

#include <fmt/format.h>

#include "nft.hpp"

namespace lunatik::loader {

namespace {

std::string binary(const pipeline::RuleRecord &r)
{
	std::string base = r.family == "ipv6" ? "ip6tables" : "iptables";
	return base + (r.backend == "iptables-legacy" ? "-legacy" : "-nft");
}

Error failed(const std::vector<std::string> &argv, const CommandResult &res)
{
	std::string why = res.errors;
	while (!why.empty() && (why.back() == '\n' || why.back() == ' '))
		why.pop_back();
	std::replace(why.begin(), why.end(), '\n', ' ');
	if (res.status == 127)
		return Error{ExitCode::kSystem, fmt::format("cannot run {}: {}", argv[0], why)};
	return Error{ExitCode::kKernelRejected,
		     fmt::format("{} failed (exit {}): {}", fmt::join(argv, " "), res.status, why)};
}

} // namespace

std::vector<std::string> iptablesCommand(const pipeline::RuleRecord &r, const std::string &op)
{
	// -w: wait for the xtables lock instead of failing beside another user.
	std::vector<std::string> argv{binary(r), "-w", "-t", r.table, op, r.chain};
	argv.insert(argv.end(), r.args.begin(), r.args.end());
	return argv;
}

bool rulePresent(const RunCommand &run, const pipeline::RuleRecord &rule)
{
	if (isNftRule(rule))
		return nftRulePresent(run, rule);
	return run(iptablesCommand(rule, "-C")).status == 0;
}

Result<void> insertRule(const RunCommand &run, const pipeline::RuleRecord &rule)
{
	if (isNftRule(rule))
		return nftInsertRule(run, rule);
	auto argv = iptablesCommand(rule, "-A");
	auto res = run(argv);
	if (res.status != 0)
		return failed(argv, res);
	return {};
}

Result<void> deleteRule(const RunCommand &run, const pipeline::RuleRecord &rule)
{
	if (isNftRule(rule))
		return nftDeleteRule(run, rule);
	if (!rulePresent(run, rule))
		return {};
	auto argv = iptablesCommand(rule, "-D");
	auto res = run(argv);
	if (res.status != 0)
		return failed(argv, res);
	return {};
}

} // namespace lunatik::loader
