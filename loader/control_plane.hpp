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

// The uapi reports a process set's single instance with this CPU number.
inline constexpr std::uint32_t kNoCpu = UINT32_MAX;

struct InstanceInfo {
	std::uint32_t cpu = kNoCpu;
	std::uint64_t calls = 0;
	std::uint64_t errors = 0;
	std::uint64_t budgetHits = 0;
	std::uint64_t memUsed = 0;
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

	// Counters summed over all instances (cpu is kNoCpu).
	InstanceInfo totals() const;
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
