// The pipeline spec as read from YAML: plain data with the position of every
// value a diagnostic may point at. Defaults live here, in-class.
// The format is described for users in pipeline/SPEC.md and, for editors,
// in pipeline/spec.schema.json.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "lunatik/pipeline/diagnostic.hpp"

namespace lunatik::pipeline {

inline constexpr int kSpecVersion = 1;

enum class Context { kProcess, kSoftirq };
enum class Verdict { kAccept, kDrop };
enum class XdpMode { kSkb, kNative };
enum class XtBackend { kIptablesNft, kIptablesLegacy };
enum class IpFamily { kIpv4, kIpv6 };

std::string_view contextName(Context c);
std::string_view verdictName(Verdict v);
std::string_view xdpModeName(XdpMode m);
std::string_view xtBackendName(XtBackend b);
std::string_view ipFamilyName(IpFamily f);

// A netfilter hook a set's script is expected to register (scripts register
// their own hooks with netfilter.register; the spec only states what status
// should find).
struct HookExpectation {
	std::string family;	// ipv4 ipv6 inet arp bridge netdev
	std::string hook;	// pre_routing local_in forward local_out post_routing ...
	std::optional<std::int64_t> priority;
	Position pos, familyPos, hookPos;
};

struct RuntimeSet {
	static constexpr std::uint64_t kDefaultMemory = 16ULL << 20;
	static constexpr std::uint32_t kDefaultBudget = 1000000;
	// The kernel's own default for one hook call (one packet).
	static constexpr std::uint32_t kDefaultHookBudget = 50000;

	std::string name;
	std::string script;	// as written: relative to the spec file
	// Packet hooks run in softirq, so that is a pipeline's default.
	Context context = Context::kSoftirq;
	std::uint64_t memory = kDefaultMemory;
	std::uint32_t budget = kDefaultBudget;
	std::uint32_t hookBudget = kDefaultHookBudget;
	Verdict defaultVerdict = Verdict::kAccept;
	std::vector<HookExpectation> hooks;
	Position pos, namePos, scriptPos, verdictPos;
};

struct XdpStage {
	std::string interface;
	std::string classifier;	// built-in: tls or dns (exclusive with object)
	std::string object;	// BPF object, relative to the spec file
	std::string program;	// program name in the object (optional)
	XdpMode mode = XdpMode::kSkb;
	std::string set;	// the runtime set the kfunc key names
	std::vector<std::uint16_t> ports;
	Position pos, interfacePos, classifierPos, objectPos, setPos;
};

struct XtRule {
	std::string set;	// the set whose script registers the extension
	XtBackend backend = XtBackend::kIptablesNft;
	IpFamily family = IpFamily::kIpv4;
	std::string table = "filter";
	std::string chain;
	std::string protocol;
	std::string match;	// -m MATCH (exclusive with target)
	std::string target;	// -j TARGET (a Lua xtables target)
	std::vector<std::string> args;	// options of the Lua extension
	std::string jump;	// -j after a match: ACCEPT, DROP, ...
	Position pos, setPos, tablePos, chainPos, matchPos;
};

struct NftRule {
	std::string family = "inet";
	std::string table;
	std::string chain;
	std::string rule;
	// With hook: the chain is a base chain that `up` creates (with its
	// table) when missing, and `down` removes if `up` created it.
	std::string type = "filter";	// filter | nat | route
	std::string hook;		// empty: the chain must exist already
	std::int64_t priority = 0;
	Position pos, familyPos, tablePos, chainPos, rulePos, typePos, hookPos;
};

struct Scripts {
	// The directory whose layout is mirrored into the module's script
	// root (relative to the spec file; default: the spec's directory).
	std::string base;
	// The module's script root, used when `up` loads the module (default:
	// the loaded module's, or /lib/modules/lua).
	std::string root;
	// More files to install beside the sets' scripts (require()d modules).
	std::vector<std::string> files;
	Position pos, basePos, rootPos;
	std::vector<Position> filePos;
};

struct Spec {
	std::string file;		// the path it was read from, for messages
	std::filesystem::path dir;	// the directory relative paths start from
	int version = 0;
	std::string name;
	std::string netns;		// `ip netns` name; empty: the caller's
	Scripts scripts;
	std::vector<RuntimeSet> sets;
	std::vector<XdpStage> xdp;
	std::vector<XtRule> xtables;
	std::vector<NftRule> nft;
	Position versionPos, namePos, netnsPos;

	const RuntimeSet *findSet(const std::string &name) const;
	// scripts.base resolved against dir (lexically normal, not canonical).
	std::filesystem::path baseDir() const;
	// A spec-relative path resolved against dir.
	std::filesystem::path resolve(const std::string &relative) const;
};

} // namespace lunatik::pipeline
