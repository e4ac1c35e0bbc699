#include "nft.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace lunatik::loader {

namespace {

using nlohmann::json;

const std::string kNft = "nft";

// nft prints the refused command and a caret line under its message: the
// first line is the reason.
Error failed(const std::vector<std::string> &argv, const CommandResult &res)
{
	std::string why = res.errors.substr(0, res.errors.find('\n'));
	if (res.status == 127)
		return Error{ExitCode::kSystem, fmt::format("cannot run {}: {}", argv[0], why)};
	return Error{ExitCode::kKernelRejected,
		     fmt::format("{} failed (exit {}): {}", fmt::join(argv, " "), res.status, why)};
}

Result<void> runOk(const RunCommand &run, const std::vector<std::string> &argv)
{
	auto res = run(argv);
	if (res.status != 0)
		return failed(argv, res);
	return {};
}

// The objects of `nft -j list ...`, each {"kind": {...}}; nullopt when the
// listing failed (no such table or chain) or is not nft's JSON.
std::optional<json> listing(const RunCommand &run, std::vector<std::string> what)
{
	std::vector<std::string> argv{kNft, "-j", "list"};
	argv.insert(argv.end(), what.begin(), what.end());
	auto res = run(argv);
	if (res.status != 0)
		return std::nullopt;
	json doc = json::parse(res.output, nullptr, false);
	if (doc.is_discarded() || !doc.is_object() || !doc.contains("nftables") ||
	    !doc["nftables"].is_array())
		return std::nullopt;
	return doc["nftables"];
}

std::string tagOf(const pipeline::RuleRecord &r)
{
	return r.args.size() == 3 ? r.args[2] : std::string();
}

// Handles of the chain's rules carrying the tag.
std::vector<std::int64_t> handles(const RunCommand &run, const pipeline::RuleRecord &r)
{
	std::vector<std::int64_t> out;
	auto objects = listing(run, {"chain", r.family, r.table, r.chain});
	if (!objects)
		return out;
	for (const auto &o : *objects) {
		if (!o.is_object() || !o.contains("rule"))
			continue;
		const json &rule = o["rule"];
		if (rule.value("comment", "") == tagOf(r) && rule.contains("handle") &&
		    rule["handle"].is_number_integer())
			out.push_back(rule["handle"].get<std::int64_t>());
	}
	return out;
}

// How many objects of the listed kinds the listing holds.
std::size_t count(const json &objects, std::initializer_list<const char *> kinds, bool invert)
{
	std::size_t n = 0;
	for (const auto &o : objects) {
		if (!o.is_object() || o.empty())
			continue;
		bool listed = false;
		for (const char *k : kinds)
			listed |= o.contains(k);
		n += listed != invert;
	}
	return n;
}

} // namespace

bool isNftRule(const pipeline::RuleRecord &rule)
{
	return rule.backend == "nft";
}

bool nftRulePresent(const RunCommand &run, const pipeline::RuleRecord &rule)
{
	return !handles(run, rule).empty();
}

Result<void> nftInsertRule(const RunCommand &run, const pipeline::RuleRecord &rule)
{
	if (rule.args.size() != 3)
		return Error{ExitCode::kSystem, "malformed nft rule record"};
	// nft joins its arguments into one command line: the tag is quoted
	// so its ':' stays inside one string.
	return runOk(run, {kNft, "add", "rule", rule.family, rule.table, rule.chain, rule.args[0],
			   "comment", "\"" + tagOf(rule) + "\""});
}

Result<void> nftDeleteRule(const RunCommand &run, const pipeline::RuleRecord &rule)
{
	for (auto handle : handles(run, rule))
		if (auto done = runOk(run, {kNft, "delete", "rule", rule.family, rule.table, rule.chain,
					    "handle", std::to_string(handle)});
		    !done)
			return done;
	return {};
}

bool nftTableExists(const RunCommand &run, const std::string &family, const std::string &table)
{
	return run({kNft, "list", "table", family, table}).status == 0;
}

bool nftChainExists(const RunCommand &run, const std::string &family, const std::string &table,
		    const std::string &chain)
{
	return run({kNft, "list", "chain", family, table, chain}).status == 0;
}

Result<void> nftCreateChain(const RunCommand &run, const pipeline::NftChainRecord &c)
{
	// A chain iptables-nft makes with the rule: nothing to do here.
	if (c.hook.empty())
		return {};
	if (c.ownTable)
		if (auto made = runOk(run, {kNft, "add", "table", c.family, c.table}); !made)
			return made;
	return runOk(run, {kNft, "add", "chain", c.family, c.table, c.chain,
			   fmt::format("{{ type {} hook {} priority {} ; }}", c.type, c.hook,
				       c.priority)});
}

Result<void> nftDeleteChain(const RunCommand &run, const pipeline::NftChainRecord &c)
{
	if (auto chain = listing(run, {"chain", c.family, c.table, c.chain});
	    chain && count(*chain, {"rule"}, false) == 0)
		if (auto done = runOk(run, {kNft, "delete", "chain", c.family, c.table, c.chain}); !done)
			return done;
	if (!c.ownTable)
		return {};
	// `delete table` takes everything in it along: only an empty one.
	auto table = listing(run, {"table", c.family, c.table});
	if (table && count(*table, {"metainfo", "table"}, true) == 0)
		return runOk(run, {kNft, "delete", "table", c.family, c.table});
	return {};
}

} // namespace lunatik::loader
