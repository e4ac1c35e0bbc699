#include "lunatik/pipeline/state.hpp"

#include <filesystem>
#include <stdexcept>

namespace lunatik::pipeline {

namespace {

Context contextFrom(const std::string &s)
{
	if (s == "softirq")
		return Context::kSoftirq;
	if (s == "process")
		return Context::kProcess;
	throw std::runtime_error("bad context '" + s + "'");
}

Verdict verdictFrom(const std::string &s)
{
	if (s == "accept")
		return Verdict::kAccept;
	if (s == "drop")
		return Verdict::kDrop;
	throw std::runtime_error("bad default verdict '" + s + "'");
}

} // namespace

std::string RuleRecord::describe() const
{
	// nft rules: args are the rule text, "comment" and the tag.
	if (backend == "nft" && !args.empty())
		return "nft " + family + " " + table + " " + chain + ": " + args.front() +
		       (args.size() == 3 ? " (" + args[2] + ")" : "");
	std::string out = backend + " " + family + " -t " + table + " " + chain;
	for (const auto &a : args)
		out += " " + (a.find(' ') == std::string::npos && !a.empty() ? a : "'" + a + "'");
	return out;
}

nlohmann::json toJson(const RuleRecord &r)
{
	return {{"backend", r.backend}, {"family", r.family}, {"table", r.table},
		{"chain", r.chain},     {"args", r.args}};
}

RuleRecord ruleRecordFromJson(const nlohmann::json &j)
{
	return RuleRecord{
		.backend = j.at("backend").get<std::string>(),
		.family = j.at("family").get<std::string>(),
		.table = j.at("table").get<std::string>(),
		.chain = j.at("chain").get<std::string>(),
		.args = j.at("args").get<std::vector<std::string>>(),
	};
}

bool XdpRecord::sameStage(const XdpRecord &o) const
{
	return interface == o.interface && object == o.object && program == o.program &&
	       mode == o.mode && set == o.set && ports == o.ports && hash == o.hash;
}

std::string XdpRecord::describe() const
{
	std::string out = std::filesystem::path(object).filename().string();
	if (!program.empty())
		out += ":" + program;
	out += " on " + interface + " (" + mode + ", set " + set;
	if (!ports.empty()) {
		out += ports.size() == 1 ? ", port" : ", ports";
		for (std::size_t i = 0; i < ports.size(); i++)
			out += (i ? "," : " ") + std::to_string(ports[i]);
	}
	out += ")";
	return out;
}

nlohmann::json toJson(const XdpRecord &x)
{
	return {{"interface", x.interface}, {"object", x.object}, {"program", x.program},
		{"mode", x.mode},	    {"set", x.set},	  {"ports", x.ports},
		{"hash", x.hash},	    {"ifindex", x.ifindex}, {"prog_id", x.progId}};
}

static XdpRecord xdpRecordFrom(const nlohmann::json &j)
{
	XdpRecord x{
		.interface = j.at("interface").get<std::string>(),
		.object = j.at("object").get<std::string>(),
		.program = j.at("program").get<std::string>(),
		.mode = j.at("mode").get<std::string>(),
		.set = j.at("set").get<std::string>(),
		.hash = j.at("hash").get<std::string>(),
		.ifindex = j.at("ifindex").get<std::uint32_t>(),
		.progId = j.at("prog_id").get<std::uint32_t>(),
	};
	for (const auto &p : j.at("ports")) {
		if (!p.is_number_unsigned() || p.get<std::uint64_t>() > 65535)
			throw std::runtime_error("bad xdp port " + p.dump());
		x.ports.push_back(p.get<std::uint16_t>());
	}
	if (x.mode != "skb" && x.mode != "native")
		throw std::runtime_error("bad xdp mode '" + x.mode + "'");
	if (x.interface.empty())
		throw std::runtime_error("xdp stage without an interface");
	return x;
}

XdpRecord xdpRecordFromJson(const nlohmann::json &j)
{
	try {
		return xdpRecordFrom(j);
	} catch (const nlohmann::json::exception &e) {
		throw std::runtime_error(e.what());
	}
}

std::string NftChainRecord::describe() const
{
	std::string how = hook.empty() ? "made by iptables-nft"
				       : type + " hook " + hook + " priority " + std::to_string(priority);
	return family + " " + table + " " + chain + " (" + how +
	       (ownTable ? ", with its table" : "") + ")";
}

bool NftChainRecord::sameChain(const NftChainRecord &o) const
{
	return family == o.family && table == o.table && chain == o.chain;
}

nlohmann::json toJson(const NftChainRecord &c)
{
	return {{"family", c.family}, {"table", c.table},	{"chain", c.chain},
		{"type", c.type},     {"hook", c.hook},		{"priority", c.priority},
		{"own_table", c.ownTable}};
}

NftChainRecord nftChainRecordFromJson(const nlohmann::json &j)
{
	return NftChainRecord{
		.family = j.at("family").get<std::string>(),
		.table = j.at("table").get<std::string>(),
		.chain = j.at("chain").get<std::string>(),
		.type = j.at("type").get<std::string>(),
		.hook = j.at("hook").get<std::string>(),
		.priority = j.at("priority").get<std::int64_t>(),
		.ownTable = j.at("own_table").get<bool>(),
	};
}

bool SetRecord::sameConfig(const SetRecord &o) const
{
	return context == o.context && memory == o.memory && budget == o.budget &&
	       hookBudget == o.hookBudget && defaultVerdict == o.defaultVerdict;
}

const SetRecord *PipelineState::findSet(const std::string &wanted) const
{
	for (const auto &s : sets)
		if (s.name == wanted)
			return &s;
	return nullptr;
}

const FileRecord *PipelineState::findFile(const std::string &wanted) const
{
	for (const auto &f : files)
		if (f.path == wanted)
			return &f;
	return nullptr;
}

nlohmann::json toJson(const SetRecord &s)
{
	return {{"name", s.name},       {"script", s.script},
		{"hash", s.hash},       {"context", std::string(contextName(s.context))},
		{"memory", s.memory},   {"budget", s.budget},
		{"hook_budget", s.hookBudget},
		{"default_verdict", std::string(verdictName(s.defaultVerdict))}};
}

SetRecord setRecordFromJson(const nlohmann::json &j)
{
	return SetRecord{
		.name = j.at("name").get<std::string>(),
		.script = j.at("script").get<std::string>(),
		.hash = j.at("hash").get<std::string>(),
		.context = contextFrom(j.at("context").get<std::string>()),
		.memory = j.at("memory").get<std::uint64_t>(),
		.budget = j.at("budget").get<std::uint32_t>(),
		// Absent in states written before sets carried them: the
		// kernel's defaults, which is what those sets were made with.
		.hookBudget = j.value("hook_budget", RuntimeSet::kDefaultHookBudget),
		.defaultVerdict = verdictFrom(j.value("default_verdict", "accept")),
	};
}

nlohmann::json toJson(const PipelineState &st)
{
	nlohmann::json sets = nlohmann::json::array(), files = nlohmann::json::array(),
		       hooks = nlohmann::json::array();
	for (const auto &s : st.sets)
		sets.push_back(toJson(s));
	for (const auto &f : st.files)
		files.push_back({{"path", f.path}, {"hash", f.hash}, {"installed", f.installed}});
	for (const auto &h : st.hooks) {
		nlohmann::json j{{"set", h.set}, {"family", h.family}, {"hook", h.hook}};
		if (h.priority)
			j["priority"] = *h.priority;
		hooks.push_back(std::move(j));
	}
	nlohmann::json rules = nlohmann::json::array();
	for (const auto &r : st.rules)
		rules.push_back(toJson(r));
	nlohmann::json xdp = nlohmann::json::array();
	for (const auto &x : st.xdp)
		xdp.push_back(toJson(x));
	nlohmann::json chains = nlohmann::json::array();
	for (const auto &c : st.chains)
		chains.push_back(toJson(c));
	return {{"format", PipelineState::kFormat},
		{"xdp", xdp},
		{"rules", rules},
		{"nft_chains", chains},
		{"name", st.name},
		{"spec", st.specFile},
		{"spec_hash", st.specHash},
		{"namespace", st.netns},
		{"script_root", st.scriptRoot},
		{"sets", sets},
		{"files", files},
		{"hooks", hooks}};
}

PipelineState stateFromJson(const nlohmann::json &j)
{
	try {
		if (j.at("format").get<int>() != PipelineState::kFormat)
			throw std::runtime_error("unknown state format");
		PipelineState st;
		st.name = j.at("name").get<std::string>();
		st.specFile = j.at("spec").get<std::string>();
		st.specHash = j.at("spec_hash").get<std::string>();
		st.netns = j.at("namespace").get<std::string>();
		st.scriptRoot = j.at("script_root").get<std::string>();
		for (const auto &s : j.at("sets"))
			st.sets.push_back(setRecordFromJson(s));
		for (const auto &f : j.at("files"))
			st.files.push_back({f.at("path").get<std::string>(), f.at("hash").get<std::string>(),
					    f.at("installed").get<bool>()});
		for (const auto &h : j.at("hooks")) {
			HookRecord r{h.at("set").get<std::string>(), h.at("family").get<std::string>(),
				     h.at("hook").get<std::string>(), std::nullopt};
			if (h.contains("priority"))
				r.priority = h.at("priority").get<std::int64_t>();
			st.hooks.push_back(std::move(r));
		}
		if (j.contains("rules"))
			for (const auto &r : j.at("rules"))
				st.rules.push_back(ruleRecordFromJson(r));
		if (j.contains("xdp"))
			for (const auto &x : j.at("xdp"))
				st.xdp.push_back(xdpRecordFromJson(x));
		if (j.contains("nft_chains"))
			for (const auto &c : j.at("nft_chains"))
				st.chains.push_back(nftChainRecordFromJson(c));
		return st;
	} catch (const nlohmann::json::exception &e) {
		throw std::runtime_error(e.what());
	}
}

} // namespace lunatik::pipeline
