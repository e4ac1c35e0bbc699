#include "lunatik/pipeline/validate.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "lunatik/pipeline/limits.hpp"
#include "lunatik/pipeline/plan.hpp"

namespace lunatik::pipeline {

namespace {

const std::vector<std::string> kFamilies{"ipv4", "ipv6", "inet", "arp", "bridge", "netdev"};
const std::vector<std::string> kInetHooks{"pre_routing", "local_in", "forward", "local_out",
					  "post_routing"};

// Built-in chains per table (iptables(8)); rules go into these only.
const std::map<std::string, std::vector<std::string>> kChains{
	{"filter", {"INPUT", "FORWARD", "OUTPUT"}},
	{"mangle", {"PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"}},
	{"nat", {"PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"}},
	{"raw", {"PREROUTING", "OUTPUT"}},
	{"security", {"INPUT", "FORWARD", "OUTPUT"}},
};

bool plainName(const std::string &name)
{
	return !name.empty() && name != "." && name != ".." &&
	       std::all_of(name.begin(), name.end(), [](unsigned char c) {
		       return std::isalnum(c) || c == '_' || c == '-' || c == '.';
	       });
}

class Checker {
public:
	Checker(const Spec &spec, const Environment &env) : spec_(spec), env_(env) {}

	Diagnostics run()
	{
		names();
		scripts();
		sets();
		xdp();
		xtables();
		nft();
		sortByPosition(out_);
		return std::move(out_);
	}

private:
	void error(Position pos, std::string message)
	{
		out_.push_back(Diagnostic{spec_.file, pos, std::move(message)});
	}

	// "did you mean" for a word taken from a closed list.
	std::string suggestion(const std::string &word, const std::vector<std::string> &among)
	{
		std::string near = closestMatch(word, among);
		if (!near.empty())
			return fmt::format(" (did you mean '{}'?)", near);
		return fmt::format(" (expected one of: {})", fmt::join(among, ", "));
	}

	void names()
	{
		if (!spec_.name.empty() && (!plainName(spec_.name) || spec_.name.size() > kNameMax))
			error(spec_.namePos,
			      fmt::format("pipeline name '{}' may only contain letters, digits, '_', "
					  "'-' and '.' (at most {} bytes)",
					  spec_.name, kNameMax));
		if (!spec_.netns.empty() && !plainName(spec_.netns))
			error(spec_.netnsPos,
			      fmt::format("namespace '{}' is not a network namespace name", spec_.netns));
	}

	void file(const std::string &relative, Position pos, const std::string &what)
	{
		std::filesystem::path p = spec_.resolve(relative);
		if (!env_.isFile(p)) {
			error(pos, fmt::format("{} not found: {}", what, relative));
			return;
		}
		if (what == "script" && !pathUnderBase(spec_, relative))
			error(pos, fmt::format("script '{}' is outside scripts.base '{}', so it has no "
					       "place under the script root",
					       relative, spec_.baseDir().string()));
	}

	void scripts()
	{
		const Scripts &s = spec_.scripts;
		if (!s.root.empty() && !std::filesystem::path(s.root).is_absolute())
			error(s.rootPos, fmt::format("scripts.root must be an absolute path, not '{}'",
						     s.root));
		for (std::size_t i = 0; i < s.files.size(); i++)
			file(s.files[i], s.filePos[i], "script");
	}

	void sets()
	{
		std::map<std::string, Position> seen;
		for (const auto &set : spec_.sets) {
			if (set.name.empty())
				continue;
			if (auto [it, fresh] = seen.emplace(set.name, set.namePos); !fresh)
				error(set.namePos, fmt::format("duplicate set name '{}' (first at line {})",
							       set.name, it->second.line));
			if (set.name.size() > kNameMax)
				error(set.namePos, fmt::format("set name is {} bytes long, at most {}",
							       set.name.size(), kNameMax));
			if (!set.script.empty())
				file(set.script, set.scriptPos, "script");
			for (const auto &hook : set.hooks)
				checkHook(hook);
		}
	}

	void checkHook(const HookExpectation &h)
	{
		if (h.family.empty() || h.hook.empty())
			return;
		std::vector<std::string> hooks = hooksOf(h.family);
		if (hooks.empty()) {
			error(h.familyPos, fmt::format("unknown netfilter family '{}'{}", h.family,
						       suggestion(h.family, kFamilies)));
			return;
		}
		if (std::find(hooks.begin(), hooks.end(), h.hook) == hooks.end())
			error(h.hookPos, fmt::format("family {} has no hook '{}'{}", h.family, h.hook,
						     suggestion(h.hook, hooks)));
	}

	void setReference(const std::string &name, Position pos)
	{
		if (name.empty() || spec_.findSet(name))
			return;
		std::vector<std::string> defined;
		for (const auto &s : spec_.sets)
			defined.push_back(s.name);
		std::string near = closestMatch(name, defined);
		if (!near.empty())
			error(pos, fmt::format("set '{}' is not defined in 'sets' (did you mean '{}'?)",
					       name, near));
		else if (defined.empty())
			error(pos, fmt::format("set '{}' is not defined in 'sets'", name));
		else
			error(pos, fmt::format("set '{}' is not defined in 'sets' (defined: {})", name,
					       fmt::join(defined, ", ")));
	}

	void xdp()
	{
		auto ifaces = env_.interfaces();
		std::map<std::string, Position> seen;
		for (const auto &x : spec_.xdp) {
			setReference(x.set, x.setPos);
			if (!x.object.empty())
				file(x.object, x.objectPos, "BPF object");
			if (x.interface.empty())
				continue;
			if (auto [it, fresh] = seen.emplace(x.interface, x.interfacePos); !fresh)
				error(x.interfacePos,
				      fmt::format("interface '{}' already has an xdp stage (line {})",
						  x.interface, it->second.line));
			if (ifaces && std::find(ifaces->begin(), ifaces->end(), x.interface) == ifaces->end())
				error(x.interfacePos,
				      fmt::format("unknown interface '{}'{}", x.interface,
						  spec_.netns.empty()
							  ? std::string()
							  : fmt::format(" in namespace {}", spec_.netns)));
		}
	}

	void xtables()
	{
		std::vector<std::string> tables;
		for (const auto &[t, chains] : kChains)
			tables.push_back(t);
		for (const auto &x : spec_.xtables) {
			setReference(x.set, x.setPos);
			auto table = kChains.find(x.table);
			if (table == kChains.end()) {
				error(x.tablePos, fmt::format("unknown table '{}'{}", x.table,
							      suggestion(x.table, tables)));
				continue;
			}
			const auto &chains = table->second;
			if (!x.chain.empty() &&
			    std::find(chains.begin(), chains.end(), x.chain) == chains.end())
				error(x.chainPos, fmt::format("table {} has no built-in chain '{}'{}",
							      x.table, x.chain,
							      suggestion(x.chain, chains)));
		}
	}

	// nft table and chain names go on nft's command line: identifiers only.
	void nftName(const std::string &name, Position pos, const char *what)
	{
		bool ok = !name.empty() && (std::isalpha(static_cast<unsigned char>(name[0])) ||
					    name[0] == '_');
		for (unsigned char c : name)
			ok = ok && (std::isalnum(c) || c == '_' || c == '-' || c == '.');
		if (!name.empty() && !ok)
			error(pos, fmt::format("nft {} name '{}' must start with a letter or '_' and hold "
					       "only letters, digits, '_', '-' and '.'",
					       what, name));
	}

	void nftRuleText(const NftRule &n)
	{
		// The rule is one command's tail: a ';' or newline would start
		// another command, a '#' would cut off the tag `down` finds it by.
		auto bad = n.rule.find_first_of(";#\n\r");
		if (bad != std::string::npos) {
			bool lineBreak = n.rule[bad] == '\n' || n.rule[bad] == '\r';
			error(n.rulePos, fmt::format("an nft rule is one rule: {} is not allowed in it",
						     lineBreak ? std::string("a line break")
							       : fmt::format("'{}'", n.rule[bad])));
			return;
		}
		std::size_t at = 0;
		while ((at = n.rule.find("comment", at)) != std::string::npos) {
			bool starts = at == 0 || std::isspace(static_cast<unsigned char>(n.rule[at - 1]));
			std::size_t end = at + 7;
			bool ends = end == n.rule.size() ||
				    std::isspace(static_cast<unsigned char>(n.rule[end]));
			if (starts && ends) {
				error(n.rulePos, "an nft rule may not carry its own comment: up tags it "
						 "'" + ruleComment(spec_.name) + ":...' to find it again");
				return;
			}
			at = end;
		}
	}

	void nftHook(const NftRule &n)
	{
		if (n.hook.empty())
			return;
		if (n.family == "netdev") {
			error(n.hookPos, "a netdev base chain needs a device: create the chain yourself "
					 "and leave out 'hook'");
			return;
		}
		std::vector<std::string> hooks{"prerouting", "input", "forward", "output",
					       "postrouting"};
		if (n.family == "arp")
			hooks = {"input", "output"};
		if (std::find(hooks.begin(), hooks.end(), n.hook) == hooks.end())
			error(n.hookPos, fmt::format("nft family {} has no hook '{}'{}", n.family, n.hook,
						     suggestion(n.hook, hooks)));
	}

	void nft()
	{
		// The tag "lunatik-pipeline:<name>:<8 hex>" must fit nft's
		// 128-character comment.
		constexpr std::size_t kTagMax = 128;
		if (!spec_.nft.empty() && ruleComment(spec_.name).size() + 9 > kTagMax)
			error(spec_.namePos, fmt::format("a pipeline with nft rules may have a name of at "
							 "most {} bytes (nft comments are short)",
							 kTagMax - 9 - ruleComment("").size()));
		std::map<std::string, Position> rules;
		std::map<std::string, const NftRule *> chains;
		for (const auto &n : spec_.nft) {
			nftName(n.table, n.tablePos, "table");
			nftName(n.chain, n.chainPos, "chain");
			nftRuleText(n);
			nftHook(n);
			std::string where = n.family + " " + n.table + " " + n.chain;
			if (auto [it, fresh] = rules.emplace(where + " " + n.rule, n.rulePos); !fresh)
				error(n.rulePos, fmt::format("duplicate nft rule in {} (first at line {})",
							     where, it->second.line));
			if (n.hook.empty())
				continue;
			auto [it, fresh] = chains.emplace(where, &n);
			const NftRule &first = *it->second;
			if (!fresh && (first.type != n.type || first.hook != n.hook ||
				       first.priority != n.priority))
				error(n.hookPos, fmt::format("chain {} is declared twice with a different "
							     "type, hook or priority (first at line {})",
							     where, first.pos.line));
		}
	}

	const Spec &spec_;
	const Environment &env_;
	Diagnostics out_;
};

} // namespace

std::vector<std::string> hooksOf(const std::string &family)
{
	if (family == "ipv4" || family == "ipv6" || family == "inet")
		return kInetHooks;
	if (family == "bridge") {
		auto hooks = kInetHooks;
		hooks.push_back("brouting");
		return hooks;
	}
	if (family == "arp")
		return {"in", "out", "forward"};
	if (family == "netdev")
		return {"ingress", "egress"};
	return {};
}

std::optional<std::string> pathUnderBase(const Spec &spec, const std::string &relative)
{
	std::filesystem::path rel = spec.resolve(relative).lexically_relative(spec.baseDir());
	if (rel.empty() || *rel.begin() == "..")
		return std::nullopt;
	return rel.generic_string();
}

Diagnostics validateSpec(const Spec &spec, const Environment &env)
{
	return Checker(spec, env).run();
}

} // namespace lunatik::pipeline

namespace lunatik::pipeline {

ReadResult checkSpec(const std::string &text, const std::string &file,
		     const std::filesystem::path &dir, const Environment &env)
{
	ReadResult r = readSpec(text, file, dir);
	Diagnostics more = validateSpec(r.spec, env);
	r.diagnostics.insert(r.diagnostics.end(), more.begin(), more.end());
	sortByPosition(r.diagnostics);
	return r;
}

} // namespace lunatik::pipeline
