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
