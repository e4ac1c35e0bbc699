#include "report_format.hpp"

#include <algorithm>
#include <array>

#include <fmt/core.h>

namespace lunatik::loader {

namespace {

constexpr std::array kColumns{"NAME",  "CONTEXT", "INSTANCES",   "GENERATION",
			      "CALLS", "ERRORS",  "BUDGET_HITS", "MEMORY"};
using Row = std::array<std::string, kColumns.size()>;

Row rowOf(const SetInfo &set)
{
	InstanceInfo sum = set.totals();
	return Row{set.name,
		   std::string(contextName(set.context)),
		   std::to_string(set.ninstances),
		   std::to_string(set.generation),
		   std::to_string(sum.calls),
		   std::to_string(sum.errors),
		   std::to_string(sum.budgetHits),
		   std::to_string(sum.memUsed)};
}

nlohmann::json countersToJson(const InstanceInfo &c)
{
	return {
		{"calls", c.calls},
		{"errors", c.errors},
		{"budget_hits", c.budgetHits},
		{"mem_used", c.memUsed},
	};
}

nlohmann::json hookCountersToJson(const HookInfo &h)
{
	return {
		{"packets", h.packets},	    {"errors", h.errors},
		{"budget_hits", h.budgetHits}, {"memory", h.memory},
		{"busy", h.busy},	    {"bad_verdict", h.badVerdict},
		{"stopped", h.stopped},	    {"fallback", h.fallback},
	};
}

nlohmann::json hookToJson(const HookInfo &h)
{
	nlohmann::json j = hookCountersToJson(h);
	nlohmann::json verdicts = nlohmann::json::object();
	for (const auto &[name, count] : h.verdicts)
		verdicts[name] = count;
	j["type"] = h.type;
	j["desc"] = h.desc;
	j["verdicts"] = std::move(verdicts);
	return j;
}

} // namespace

std::string formatHookTable(const std::vector<SetInfo> &sets)
{
	std::string out = fmt::format("{:<24} {:<10} {:<36} {:>10} {:>8} {:>8} {:>8} {:>8}  {}\n",
				      "SET", "TYPE", "HOOK", "PACKETS", "ERRORS", "BUDGET",
				      "BUSY", "FALLBACK", "VERDICTS");
	for (const auto &set : sets)
		for (const auto &h : set.hooks) {
			std::string verdicts;
			for (const auto &[name, count] : h.verdicts)
				if (count)
					verdicts += fmt::format("{}{}={}", verdicts.empty() ? "" : ",",
								name, count);
			out += fmt::format("{:<24} {:<10} {:<36} {:>10} {:>8} {:>8} {:>8} {:>8}  {}\n",
					   set.name, h.type, h.desc, h.packets, h.errors,
					   h.budgetHits, h.busy, h.fallback,
					   verdicts.empty() ? "-" : verdicts);
		}
	return out;
}

std::string formatSetTable(const std::vector<SetInfo> &sets)
{
	std::vector<Row> rows;
	Row header;
	std::copy(kColumns.begin(), kColumns.end(), header.begin());
	rows.push_back(header);
	for (const auto &set : sets)
		rows.push_back(rowOf(set));

	std::array<std::size_t, kColumns.size()> width{};
	for (const auto &row : rows)
		for (std::size_t i = 0; i < row.size(); i++)
			width[i] = std::max(width[i], row[i].size());

	std::string out;
	for (const auto &row : rows) {
		std::string line;
		for (std::size_t i = 0; i < row.size(); i++) {
			if (i + 1 == row.size())
				line += row[i];
			else
				line += fmt::format("{:<{}}  ", row[i], width[i]);
		}
		out += line + '\n';
	}
	return out;
}

nlohmann::json setToJson(const SetInfo &set)
{
	nlohmann::json instances = nlohmann::json::array();
	for (const auto &inst : set.instances) {
		nlohmann::json j = countersToJson(inst);
		// A process set's single instance belongs to no CPU.
		j["cpu"] = inst.cpu == kNoCpu ? nlohmann::json(nullptr) : nlohmann::json(inst.cpu);
		instances.push_back(std::move(j));
	}
	nlohmann::json hooks = nlohmann::json::array();
	for (const auto &h : set.hooks)
		hooks.push_back(hookToJson(h));
	return {
		{"name", set.name},
		{"script", set.script},
		{"context", contextName(set.context)},
		{"mem_limit", set.memLimit},
		{"budget", set.budget},
		{"generation", set.generation},
		{"ninstances", set.ninstances},
		{"totals", countersToJson(set.totals())},
		{"instances", std::move(instances)},
		{"hook_budget", set.hookBudget},
		{"default_verdict", policyName(set.policy)},
		{"hook_totals", hookCountersToJson(set.hookTotals())},
		{"hooks", std::move(hooks)},
	};
}

nlohmann::json setsToJson(const std::vector<SetInfo> &sets)
{
	nlohmann::json arr = nlohmann::json::array();
	for (const auto &set : sets)
		arr.push_back(setToJson(set));
	return {{"sets", std::move(arr)}};
}

std::string formatStats(const ModuleStats &s)
{
	return fmt::format("allocs {}\nalloc_bytes {}\nsets {}\nruntimes {}\n", s.allocs,
			   s.allocBytes, s.nsets, s.nruntimes);
}

nlohmann::json statsToJson(const ModuleStats &s)
{
	return {
		{"allocs", s.allocs},
		{"alloc_bytes", s.allocBytes},
		{"sets", s.nsets},
		{"runtimes", s.nruntimes},
	};
}

} // namespace lunatik::loader
