// One change `up` or `down` makes, described fully enough to be applied,
// undone, shown to the user and written to the journal (so a run killed
// half way is undone by the next one from the journal alone).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "lunatik/pipeline/state.hpp"

namespace lunatik::pipeline {

enum class StepKind {
	kLoadModule,	// modprobe lunatik script_root=...; undo: unload
	kInstallFile,	// copy source to root/target atomically; undo: restore
	kCreateSet,	// undo: stop
	kReplaceSet,	// stop + create (context/memory/budget changed); undo: back
	kReloadSet,	// hot swap to the new script; undo: swap back
	kStopSet,	// undo: create again as it was
	kRemoveFile,	// undo: restore
	kInsertRule,	// iptables -A; undo: -D
	kDeleteRule,	// iptables -D; undo: -A
	kAttachXdp,	// load + attach through libxdp; undo: detach that program
	kDetachXdp,	// detach by prog id; undo: attach again
	kCreateNftChain,	// nft add table + chain; undo: delete what it added
	kDeleteNftChain,	// nft delete chain (+ table); undo: add them again
};

std::string_view stepKindName(StepKind kind);

struct Step {
	StepKind kind = StepKind::kCreateSet;
	std::string target;	// set name, or a file's path under the root
	std::string reason;	// why: "new", "script changed", ...
	std::optional<SetRecord> set;		// the set as it will be
	std::optional<SetRecord> previous;	// the set as it was
	std::string source;	// kInstallFile: the file copied in
	std::string hash;	// kInstallFile: its content hash
	// kReloadSet: installed files whose change this reload follows; its
	// undo restores them before swapping back.
	std::vector<std::string> files;
	std::string scriptRoot;	// kLoadModule
	std::optional<RuleRecord> rule;	// kInsertRule, kDeleteRule
	// kAttachXdp: the stage to attach; kDetachXdp: the attached one
	// (with its ifindex and prog id).
	std::optional<XdpRecord> xdp;
	std::optional<NftChainRecord> chain;	// kCreateNftChain, kDeleteNftChain

	// One line for `plan` and error messages: "create set dns (softirq,
	// 16 MiB, 1000000 instructions per call)".
	std::string describe() const;
	friend bool operator==(const Step &, const Step &) = default;
};

nlohmann::json toJson(const Step &step);
// Throws std::runtime_error on a malformed entry.
Step stepFromJson(const nlohmann::json &j);

} // namespace lunatik::pipeline
