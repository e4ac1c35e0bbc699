#include "backend/netns.hpp"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <fmt/core.h>
#include <net/if.h>
#include <sched.h>
#include <unistd.h>

namespace lunatik::loader {

std::optional<std::vector<std::string>> systemInterfaces()
{
	struct if_nameindex *list = if_nameindex();
	if (!list)
		return std::nullopt;
	std::vector<std::string> names;
	for (auto *i = list; i->if_index != 0; i++)
		names.emplace_back(i->if_name);
	if_freenameindex(list);
	return names;
}

Result<void> enterNamedNetns(const std::string &name)
{
	std::string path = "/run/netns/" + name;
	int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return Error{errno == ENOENT ? ExitCode::kInvalidSpec : ExitCode::kSystem,
			     fmt::format("network namespace '{}': {} ({})", name, std::strerror(errno),
					 path)};
	int rc = setns(fd, CLONE_NEWNET);
	int eno = errno;
	close(fd);
	if (rc < 0)
		return Error{eno == EPERM ? ExitCode::kPermission : ExitCode::kSystem,
			     fmt::format("cannot enter network namespace '{}': {}", name,
					 std::strerror(eno))};
	return {};
}

} // namespace lunatik::loader
