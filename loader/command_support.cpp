#include "command_support.hpp"

#include <fmt/core.h>

extern "C" {
#include <linux/lunatik_pipeline.h>
}

namespace lunatik::loader {

int fail(Services &svc, const Error &error)
{
	return report(*svc.err, error);
}

int failAll(Services &svc, ExitCode code, const std::vector<std::string> &messages)
{
	for (const auto &m : messages)
		*svc.err << kProgramName << ": " << m << '\n';
	return toInt(code);
}

Result<std::vector<SetInfo>> listAllSets(Services &svc)
{
	auto cp = svc.connect();
	if (!cp)
		return cp.error();
	return (*cp)->listSets();
}

Result<void> validateSetName(const std::string &name)
{
	if (name.empty())
		return Error{ExitCode::kUsage, "empty runtime set name"};
	if (name.size() >= LUNATIK_NAME_MAX)
		return Error{ExitCode::kUsage,
			     fmt::format("runtime set name too long ({} bytes, at most {}): {}",
					 name.size(), LUNATIK_NAME_MAX - 1, name)};
	if (name.find('\0') != std::string::npos)
		return Error{ExitCode::kUsage, "runtime set name contains a NUL byte"};
	return {};
}

} // namespace lunatik::loader
