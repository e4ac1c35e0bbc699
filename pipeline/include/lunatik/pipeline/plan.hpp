// Desired state (from a spec) against observed state (kernel, files, the
// state file) -> the ordered steps that take one to the other. Pure: the
// caller gathers the observations.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "lunatik/pipeline/spec.hpp"
#include "lunatik/pipeline/state.hpp"
#include "lunatik/pipeline/step.hpp"

namespace lunatik::pipeline {

struct DesiredFile {
	std::string path;	// under the script root
	std::string source;	// absolute path of the file to install
	std::string hash;
};

struct Desired {
	std::string name;
	std::vector<DesiredFile> files;	// sets' scripts first, then scripts.files
	std::vector<SetRecord> sets;
	std::vector<HookRecord> hooks;
	std::vector<RuleRecord> rules;	// xtables, then nft (backend "nft")
	std::vector<XdpRecord> xdp;	// ifindex and progId 0
	std::vector<NftChainRecord> chains;	// nft base chains the spec declares
};

// Where the object of a built-in classifier ("tls", "dns") is; empty when
// it cannot be found (attaching the stage then fails and says so).
using BuiltinObject = std::function<std::filesystem::path(const std::string &classifier)>;

// The spec must be valid (validateSpec). hashOf gives a source file's
// content hash.
Desired desiredFrom(const Spec &spec,
		    const std::function<std::string(const std::filesystem::path &)> &hashOf,
		    const BuiltinObject &builtinObject = {});

// A set as the kernel lists it.
struct KernelSet {
	std::string name;
	std::string script;	// absolute path it was loaded from
	Context context = Context::kProcess;
	std::uint64_t memory = 0;
	std::uint32_t budget = 0;
	std::uint32_t hookBudget = 0;
	Verdict defaultVerdict = Verdict::kAccept;
};

struct Observed {
	bool moduleLoaded = false;
	// The loaded module's script root, or the one `up` would load it with.
	std::string scriptRoot;
	std::vector<KernelSet> sets;
	// Content hash of root/<path> for the paths of interest; absent or ""
	// when there is no such file.
	std::map<std::string, std::string> rootHashes;
	std::optional<PipelineState> state;	// this pipeline's, if applied
	std::map<std::string, std::string> owners;	// set -> other pipeline
	// The pipeline's rules (desired and recorded) found in the kernel.
	std::vector<RuleRecord> rulesPresent;
	// Prog ids of the state's XDP programs found attached where recorded.
	std::vector<std::uint32_t> xdpAttached;
	// nft tables ("family table") and chains ("family table chain") that
	// exist, among those the desired and recorded chains name.
	std::set<std::string> nftTables;
	std::set<std::string> nftChains;
	// False when there is no nft command: the tables iptables-nft makes
	// cannot be seen, so they are not noted (each up would note them again).
	bool nftUsable = true;
};

// The tag every rule of a pipeline carries (iptables -m comment).
std::string ruleComment(const std::string &pipeline);
// An nft rule's comment: the pipeline's tag and a hash of where the rule
// goes and what it says, so `down` finds exactly its own rules by handle.
std::string nftRuleTag(const std::string &pipeline, const std::string &family,
		       const std::string &table, const std::string &chain, const std::string &rule);
std::string nftTableKey(const std::string &family, const std::string &table);
std::string nftChainKey(const std::string &family, const std::string &table,
			const std::string &chain);

struct Plan {
	std::vector<Step> steps;
	// Why the plan cannot be applied (a set owned by someone else...).
	std::vector<std::string> conflicts;
	// The state once every step is applied.
	PipelineState after;
};

Plan planUp(const Desired &desired, const Observed &observed);
// Everything the pipeline's state says it owns, removed.
Plan planDown(const Observed &observed);

} // namespace lunatik::pipeline
