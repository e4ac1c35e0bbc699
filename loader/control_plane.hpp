// The typed control plane of the lunatik module: what the commands need,
// independent of how it reaches the kernel. The netlink implementation is
// backend/netlink_control_plane.hpp; tests use a gmock fake.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "result.hpp"

namespace lunatik::loader {

enum class Context : std::uint8_t { kProcess, kSoftirq };

std::string_view contextName(Context context);
std::optional<Context> parseContext(std::string_view text);

// What a set's hooks return when a call fails (error, budget, busy, ...).
enum class Policy : std::uint8_t { kPass, kDrop };

std::string_view policyName(Policy policy);
std::optional<Policy> parsePolicy(std::string_view text);

// The uapi reports a process set's single instance with this CPU number.
inline constexpr std::uint32_t kNoCpu = UINT32_MAX;

struct InstanceInfo {
	std::uint32_t cpu = kNoCpu;
	std::uint64_t calls = 0;
	std::uint64_t errors = 0;
	std::uint64_t budgetHits = 0;
	std::uint64_t memUsed = 0;
};

// One kernel hook of a set (netfilter, xtables, ...), counters over CPUs.
struct HookInfo {
	std::string type;
	std::string desc;
	std::uint64_t packets = 0;
	std::uint64_t errors = 0;
	std::uint64_t budgetHits = 0;
	std::uint64_t memory = 0;
	std::uint64_t busy = 0;
	std::uint64_t badVerdict = 0;
	std::uint64_t stopped = 0;
	std::uint64_t fallback = 0;
	std::vector<std::pair<std::string, std::uint64_t>> verdicts;
};

struct SetInfo {
	std::string name;
	std::string script;
	Context context = Context::kProcess;
	std::uint64_t memLimit = 0;
	std::uint32_t budget = 0;
	std::uint32_t generation = 0;
	std::uint32_t ninstances = 0;
	std::vector<InstanceInfo> instances;
	std::uint32_t hookBudget = 0;
	Policy policy = Policy::kPass;
	std::vector<HookInfo> hooks;

	// Counters summed over all instances (cpu is kNoCpu).
	InstanceInfo totals() const;
	// Counters summed over all hooks (type and desc empty).
	HookInfo hookTotals() const;
};

struct ModuleStats {
	std::uint64_t allocs = 0;
	std::uint64_t allocBytes = 0;
	std::uint32_t nsets = 0;
	std::uint32_t nruntimes = 0;
};

struct CreateRequest {
	std::string name;
	std::string script;	// absolute path
	std::string chunkName;	// the path as the user typed it
	std::optional<Context> context;
	std::optional<std::uint64_t> memLimit;
	std::optional<std::uint32_t> budget;
	std::optional<std::uint32_t> hookBudget;
	std::optional<Policy> policy;
	bool shared = false;	// LUNATIK_A_SHARED
};

struct ReloadRequest {
	std::string name;
	std::optional<std::string> script;
	std::optional<std::string> chunkName;
};

struct ExecRequest {
	std::string name;
	std::string chunk;
	std::string chunkName;
};

class ControlPlane {
public:
	virtual ~ControlPlane() = default;

	virtual Result<SetInfo> createSet(const CreateRequest &request) = 0;
	virtual Result<void> stopSet(const std::string &name) = 0;
	virtual Result<SetInfo> reloadSet(const ReloadRequest &request) = 0;
	virtual Result<SetInfo> getSet(const std::string &name) = 0;
	virtual Result<std::vector<SetInfo>> listSets() = 0;
	// The returned values, tostring()ed and tab separated.
	virtual Result<std::string> exec(const ExecRequest &request) = 0;
	virtual Result<ModuleStats> stats() = 0;
};

} // namespace lunatik::loader
