// A fake `nft` for the pipeline tests: tables, chains and tagged rules in
// memory, answering the commands the nft backend runs (list, -j list, add,
// delete) with nft's exit codes and, for -j, its JSON shape.
#pragma once

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "iptables.hpp"

namespace lunatik::loader::test {

struct FakeNft {
	struct Rule {
		std::string chain;	// "family table chain"
		std::string text;
		std::string comment;
		std::int64_t handle;
	};
	std::set<std::string> tables;		// "family table"
	std::map<std::string, std::string> chains;	// "family table chain" -> spec
	std::vector<Rule> rules;
	std::int64_t nextHandle = 2;
	// A rule whose text contains this is refused, as nft refuses a typo.
	std::string refuse = "nope";

	static std::string key(const std::vector<std::string> &a, std::size_t from, std::size_t n)
	{
		std::string k;
		for (std::size_t i = from; i < from + n && i < a.size(); i++)
			k += (k.empty() ? "" : " ") + a[i];
		return k;
	}

	CommandResult noSuch() const
	{
		return {1, "Error: No such file or directory\nlist chain inet x y\n^^^\n", {}};
	}

	CommandResult listJson(const std::vector<std::string> &a)
	{
		nlohmann::json objs = nlohmann::json::array({{{"metainfo", {{"json_schema_version", 1}}}}});
		if (a[3] == "chain") {
			std::string c = key(a, 4, 3);
			if (!chains.count(c))
				return noSuch();
			objs.push_back({{"chain", {{"name", a[6]}}}});
			for (const auto &r : rules)
				if (r.chain == c)
					objs.push_back({{"rule", {{"handle", r.handle}, {"comment", r.comment}}}});
		} else {
			std::string t = key(a, 4, 2);
			if (!tables.count(t))
				return noSuch();
			objs.push_back({{"table", {{"name", a[5]}}}});
			for (const auto &[c, spec] : chains)
				if (c.rfind(t + " ", 0) == 0)
					objs.push_back({{"chain", {{"name", c}}}});
			for (const auto &r : rules)
				if (r.chain.rfind(t + " ", 0) == 0)
					objs.push_back({{"rule", {{"handle", r.handle}}}});
		}
		return {0, "", nlohmann::json{{"nftables", objs}}.dump()};
	}

	CommandResult run(const std::vector<std::string> &a)
	{
		if (a.size() >= 6 && a[1] == "-j" && a[2] == "list")
			return listJson(a);
		if (a.size() < 5)
			return {1, "Error: syntax error\n", {}};
		const std::string &op = a[1], &what = a[2];
		if (op == "list" && what == "table")
			return tables.count(key(a, 3, 2)) ? CommandResult{} : noSuch();
		if (op == "list" && what == "chain")
			return chains.count(key(a, 3, 3)) ? CommandResult{} : noSuch();
		if (op == "add" && what == "table") {
			tables.insert(key(a, 3, 2));
			return {};
		}
		if (op == "add" && what == "chain") {
			if (!tables.count(key(a, 3, 2)))
				return noSuch();
			chains.emplace(key(a, 3, 3), a.size() > 6 ? a[6] : "");
			return {};
		}
		if (op == "add" && what == "rule" && a.size() == 9) {
			if (!chains.count(key(a, 3, 3)))
				return noSuch();
			if (a[6].find(refuse) != std::string::npos)
				return {1, "Error: syntax error, unexpected string\nadd rule ...\n     ^^^^\n",
					{}};
			std::string tag = a[8].substr(1, a[8].size() - 2);
			rules.push_back({key(a, 3, 3), a[6], tag, nextHandle++});
			return {};
		}
		if (op == "delete" && what == "rule" && a.size() == 8) {
			auto h = std::stoll(a[7]);
			auto it = std::find_if(rules.begin(), rules.end(),
					       [&](const Rule &r) { return r.handle == h; });
			if (it == rules.end())
				return noSuch();
			rules.erase(it);
			return {};
		}
		if (op == "delete" && what == "chain") {
			std::string c = key(a, 3, 3);
			bool used = std::any_of(rules.begin(), rules.end(),
						[&](const Rule &r) { return r.chain == c; });
			if (used)
				return {1, "Error: Could not process rule: Device or resource busy\n", {}};
			return chains.erase(c) ? CommandResult{} : noSuch();
		}
		if (op == "delete" && what == "table") {
			std::string t = key(a, 3, 2);
			if (!tables.erase(t))
				return noSuch();
			std::erase_if(chains, [&](const auto &kv) { return kv.first.rfind(t + " ", 0) == 0; });
			std::erase_if(rules, [&](const Rule &r) { return r.chain.rfind(t + " ", 0) == 0; });
			return {};
		}
		return {1, "Error: syntax error\n", {}};
	}
};

} // namespace lunatik::loader::test
