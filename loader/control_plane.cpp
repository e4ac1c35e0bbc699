#include "control_plane.hpp"

namespace lunatik::loader {

std::string_view contextName(Context context)
{
	return context == Context::kSoftirq ? "softirq" : "process";
}

std::optional<Context> parseContext(std::string_view text)
{
	if (text == "process")
		return Context::kProcess;
	if (text == "softirq")
		return Context::kSoftirq;
	return std::nullopt;
}

std::string_view policyName(Policy policy)
{
	return policy == Policy::kDrop ? "drop" : "pass";
}

std::optional<Policy> parsePolicy(std::string_view text)
{
	if (text == "pass")
		return Policy::kPass;
	if (text == "drop")
		return Policy::kDrop;
	return std::nullopt;
}

HookInfo SetInfo::hookTotals() const
{
	HookInfo sum;
	for (const auto &h : hooks) {
		sum.packets += h.packets;
		sum.errors += h.errors;
		sum.budgetHits += h.budgetHits;
		sum.memory += h.memory;
		sum.busy += h.busy;
		sum.badVerdict += h.badVerdict;
		sum.stopped += h.stopped;
		sum.fallback += h.fallback;
	}
	return sum;
}

InstanceInfo SetInfo::totals() const
{
	InstanceInfo sum;
	for (const auto &inst : instances) {
		sum.calls += inst.calls;
		sum.errors += inst.errors;
		sum.budgetHits += inst.budgetHits;
		sum.memUsed += inst.memUsed;
	}
	return sum;
}

} // namespace lunatik::loader
