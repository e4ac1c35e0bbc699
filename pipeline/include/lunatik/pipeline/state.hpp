// What an applied pipeline left on the machine and the kernel cannot tell:
// which sets and installed files it owns, the content hashes they were
// applied with, the spec they came from. Kept as JSON under
// /run/lunatik-pipeline/<name>.json by the CLI; (de)serialised here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "lunatik/pipeline/spec.hpp"

namespace lunatik::pipeline {

// A runtime set as the pipeline configures it. script is the path under the
// script root ("examples/filter/sni_filter.lua"), hash its content's.
struct SetRecord {
	std::string name;
	std::string script;
	std::string hash;
	Context context = Context::kSoftirq;
	std::uint64_t memory = RuntimeSet::kDefaultMemory;
	std::uint32_t budget = RuntimeSet::kDefaultBudget;
	std::uint32_t hookBudget = RuntimeSet::kDefaultHookBudget;
	Verdict defaultVerdict = Verdict::kAccept;

	// Same kernel configuration (what a reload cannot change).
	bool sameConfig(const SetRecord &other) const;
	friend bool operator==(const SetRecord &, const SetRecord &) = default;
};

// A script file of the pipeline under the script root: a set's script or
// a module it require()s. installed: the pipeline wrote it there (and
// `down` removes it); false when the file was in place already (the spec's
// scripts.base is the script root).
struct FileRecord {
	std::string path;	// under the script root
	std::string hash;
	bool installed = false;
	friend bool operator==(const FileRecord &, const FileRecord &) = default;
};

struct HookRecord {
	std::string set;
	std::string family;
	std::string hook;
	std::optional<std::int64_t> priority;
	friend bool operator==(const HookRecord &, const HookRecord &) = default;
};

// An iptables rule the pipeline inserted, as the iptables command line
// after the chain (it ends with the comment lunatik-pipeline:<name>, so
// rules are told apart from anyone else's).
struct RuleRecord {
	std::string backend;	// iptables-nft | iptables-legacy
	std::string family;	// ipv4 | ipv6
	std::string table;
	std::string chain;
	std::vector<std::string> args;

	// One line: "iptables-nft ipv4 -t filter INPUT -p udp ...".
	std::string describe() const;
	friend bool operator==(const RuleRecord &, const RuleRecord &) = default;
};

nlohmann::json toJson(const RuleRecord &rule);
RuleRecord ruleRecordFromJson(const nlohmann::json &j);

// An XDP stage: a pre-classifier program attached to an interface of the
// pipeline's netns, through libxdp's dispatcher. The first fields are the
// stage as the spec wants it; ifindex and progId are what the attach gave
// (0 until then), so `down` detaches this program and no one else's.
struct XdpRecord {
	std::string interface;
	std::string object;	// absolute path of the BPF object
	std::string program;	// program in the object ("": its first)
	std::string mode;	// skb | native
	std::string set;	// the set name written into preclass_key
	std::vector<std::uint16_t> ports;	// preclass_ports ([]: the object's default)
	std::string hash;	// the object file's content hash
	std::uint32_t ifindex = 0;
	std::uint32_t progId = 0;

	// Same stage as configured (what the attach made is not compared).
	bool sameStage(const XdpRecord &other) const;
	// One line: "tls_classifier.bpf.o on eth0 (skb, set x, ports 443)".
	std::string describe() const;
	friend bool operator==(const XdpRecord &, const XdpRecord &) = default;
};

nlohmann::json toJson(const XdpRecord &xdp);
// Throws std::runtime_error on a malformed record.
XdpRecord xdpRecordFromJson(const nlohmann::json &j);
// An nft base chain the pipeline created for its rules (chains and tables
// that were there before are the user's and are never recorded).
// ownTable: the pipeline created the table too, and removes it once empty.
// Without a hook, the chain is one iptables-nft makes with the pipeline's
// first rule in it: up leaves the making to iptables, down the same
// removal once empty.
struct NftChainRecord {
	std::string family;
	std::string table;
	std::string chain;
	std::string type = "filter";
	std::string hook;
	std::int64_t priority = 0;
	bool ownTable = false;

	// "inet lp input (filter hook input priority 0)"
	std::string describe() const;
	bool sameChain(const NftChainRecord &other) const;
	friend bool operator==(const NftChainRecord &, const NftChainRecord &) = default;
};

nlohmann::json toJson(const NftChainRecord &chain);
NftChainRecord nftChainRecordFromJson(const nlohmann::json &j);

struct PipelineState {
	static constexpr int kFormat = 1;

	std::string name;
	std::string specFile;	// absolute path
	std::string specHash;
	std::string netns;
	std::string scriptRoot;
	std::vector<SetRecord> sets;
	std::vector<FileRecord> files;
	std::vector<HookRecord> hooks;	// expected, from the spec, for status
	std::vector<RuleRecord> rules;
	std::vector<XdpRecord> xdp;
	std::vector<NftChainRecord> chains;	// nft chains it created

	const SetRecord *findSet(const std::string &name) const;
	const FileRecord *findFile(const std::string &path) const;
};

nlohmann::json toJson(const SetRecord &set);
SetRecord setRecordFromJson(const nlohmann::json &j);
nlohmann::json toJson(const PipelineState &state);
// Throws std::runtime_error (with what is wrong) on a malformed document.
PipelineState stateFromJson(const nlohmann::json &j);

} // namespace lunatik::pipeline
