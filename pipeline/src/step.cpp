#include "lunatik/pipeline/step.hpp"

#include <stdexcept>

#include <fmt/core.h>

namespace lunatik::pipeline {

namespace {

const std::vector<std::pair<StepKind, std::string_view>> kKindNames{
	{StepKind::kLoadModule, "load-module"}, {StepKind::kInstallFile, "install-file"},
	{StepKind::kCreateSet, "create-set"},   {StepKind::kReplaceSet, "replace-set"},
	{StepKind::kReloadSet, "reload-set"},   {StepKind::kStopSet, "stop-set"},
	{StepKind::kRemoveFile, "remove-file"}, {StepKind::kInsertRule, "insert-rule"},
	{StepKind::kDeleteRule, "delete-rule"},
	{StepKind::kAttachXdp, "attach-xdp"},   {StepKind::kDetachXdp, "detach-xdp"},
	{StepKind::kCreateNftChain, "create-nft-chain"},
	{StepKind::kDeleteNftChain, "delete-nft-chain"},
};

StepKind kindFrom(const std::string &name)
{
	for (const auto &[k, n] : kKindNames)
		if (n == name)
			return k;
	throw std::runtime_error("unknown step kind '" + name + "'");
}

std::string memory(std::uint64_t bytes)
{
	if (bytes % (1ULL << 20) == 0)
		return fmt::format("{} MiB", bytes >> 20);
	if (bytes % (1ULL << 10) == 0)
		return fmt::format("{} KiB", bytes >> 10);
	return fmt::format("{} bytes", bytes);
}

std::string config(const SetRecord &s)
{
	// Hook settings only when not the kernel's defaults: most sets keep them.
	std::string hooks;
	if (s.hookBudget != RuntimeSet::kDefaultHookBudget)
		hooks += fmt::format(", {} per packet", s.hookBudget);
	if (s.defaultVerdict != Verdict::kAccept)
		hooks += fmt::format(", default verdict {}", verdictName(s.defaultVerdict));
	return fmt::format("{}, {}, {} instructions per call{}", contextName(s.context),
			   memory(s.memory), s.budget, hooks);
}

std::string why(const std::string &reason)
{
	return reason.empty() ? std::string() : fmt::format(" [{}]", reason);
}

} // namespace

std::string_view stepKindName(StepKind kind)
{
	for (const auto &[k, n] : kKindNames)
		if (k == kind)
			return n;
	return "?";
}

std::string Step::describe() const
{
	switch (kind) {
	case StepKind::kLoadModule:
		return fmt::format("load module lunatik (script_root={})", scriptRoot);
	case StepKind::kInstallFile:
		return fmt::format("install {}{}", target, why(reason));
	case StepKind::kCreateSet:
		return fmt::format("create set {} from {} ({}){}", target, set->script, config(*set),
				   why(reason));
	case StepKind::kReplaceSet:
		return fmt::format("replace set {} ({} -> {}){}", target, config(*previous),
				   config(*set), why(reason));
	case StepKind::kReloadSet:
		return fmt::format("reload set {} from {}{}", target, set->script, why(reason));
	case StepKind::kStopSet:
		return fmt::format("stop set {}{}", target, why(reason));
	case StepKind::kRemoveFile:
		return fmt::format("remove {}{}", target, why(reason));
	case StepKind::kInsertRule:
		return fmt::format("insert rule {}{}", rule->describe(), why(reason));
	case StepKind::kDeleteRule:
		return fmt::format("delete rule {}{}", rule->describe(), why(reason));
	case StepKind::kAttachXdp:
		return fmt::format("attach xdp {}{}", xdp->describe(), why(reason));
	case StepKind::kDetachXdp:
		return fmt::format("detach xdp {} (prog id {}){}", xdp->describe(), xdp->progId,
				   why(reason));
	case StepKind::kCreateNftChain:
		if (chain->hook.empty())
			return fmt::format("note nft chain {}{}", chain->describe(), why(reason));
		return fmt::format("create nft chain {}{}", chain->describe(), why(reason));
	case StepKind::kDeleteNftChain:
		return fmt::format("delete nft chain {}{}", chain->describe(), why(reason));
	}
	return target;
}

nlohmann::json toJson(const Step &s)
{
	nlohmann::json j{{"kind", std::string(stepKindName(s.kind))},
			 {"target", s.target},
			 {"reason", s.reason}};
	if (s.set)
		j["set"] = toJson(*s.set);
	if (s.previous)
		j["previous"] = toJson(*s.previous);
	if (!s.source.empty())
		j["source"] = s.source;
	if (!s.hash.empty())
		j["hash"] = s.hash;
	if (!s.files.empty())
		j["files"] = s.files;
	if (!s.scriptRoot.empty())
		j["script_root"] = s.scriptRoot;
	if (s.rule)
		j["rule"] = toJson(*s.rule);
	if (s.xdp)
		j["xdp"] = toJson(*s.xdp);
	if (s.chain)
		j["nft_chain"] = toJson(*s.chain);
	return j;
}

Step stepFromJson(const nlohmann::json &j)
{
	try {
		Step s;
		s.kind = kindFrom(j.at("kind").get<std::string>());
		s.target = j.at("target").get<std::string>();
		s.reason = j.value("reason", "");
		if (j.contains("set"))
			s.set = setRecordFromJson(j.at("set"));
		if (j.contains("previous"))
			s.previous = setRecordFromJson(j.at("previous"));
		s.source = j.value("source", "");
		s.hash = j.value("hash", "");
		if (j.contains("files"))
			s.files = j.at("files").get<std::vector<std::string>>();
		s.scriptRoot = j.value("script_root", "");
		if (j.contains("rule"))
			s.rule = ruleRecordFromJson(j.at("rule"));
		if ((s.kind == StepKind::kInsertRule || s.kind == StepKind::kDeleteRule) && !s.rule)
			throw std::runtime_error("step '" + s.target + "' lacks its rule");
		if (j.contains("xdp"))
			s.xdp = xdpRecordFromJson(j.at("xdp"));
		if ((s.kind == StepKind::kAttachXdp || s.kind == StepKind::kDetachXdp) && !s.xdp)
			throw std::runtime_error("step '" + s.target + "' lacks its xdp stage");
		if (j.contains("nft_chain"))
			s.chain = nftChainRecordFromJson(j.at("nft_chain"));
		if ((s.kind == StepKind::kCreateNftChain || s.kind == StepKind::kDeleteNftChain) &&
		    !s.chain)
			throw std::runtime_error("step '" + s.target + "' lacks its nft chain");
		bool needsSet = s.kind == StepKind::kCreateSet || s.kind == StepKind::kReplaceSet ||
				s.kind == StepKind::kReloadSet;
		bool needsPrevious = s.kind == StepKind::kReplaceSet ||
				     s.kind == StepKind::kReloadSet || s.kind == StepKind::kStopSet;
		if ((needsSet && !s.set) || (needsPrevious && !s.previous))
			throw std::runtime_error("step '" + s.target + "' lacks its set");
		return s;
	} catch (const nlohmann::json::exception &e) {
		throw std::runtime_error(e.what());
	}
}

} // namespace lunatik::pipeline
