#include "backend/kernel_module.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>

#include <fmt/format.h>
#include <spawn.h>
#include <sys/wait.h>

#include "script_path.hpp"

extern char **environ;

namespace lunatik::loader {

KernelModule::KernelModule(std::filesystem::path sysfsDir, std::string modprobe)
	: sysfsDir_(std::move(sysfsDir)), modprobe_(std::move(modprobe))
{
}

bool KernelModule::loaded() const
{
	std::error_code ec;
	return std::filesystem::is_directory(sysfsDir_, ec);
}

bool KernelModule::canTell() const
{
	std::error_code ec;
	return std::filesystem::is_directory(sysfsDir_.parent_path(), ec);
}

std::string KernelModule::scriptRoot() const
{
	std::ifstream in(sysfsDir_ / "parameters" / "script_root");
	std::string root;
	if (!in || !std::getline(in, root) || root.empty())
		return std::string(kDefaultScriptRoot);
	return root;
}

Result<void> KernelModule::runModprobe(const std::vector<std::string> &args) const
{
	std::vector<std::string> argv{modprobe_};
	argv.insert(argv.end(), args.begin(), args.end());
	std::vector<char *> cargv;
	for (auto &arg : argv)
		cargv.push_back(arg.data());
	cargv.push_back(nullptr);

	std::string cmdline = fmt::format("{}", fmt::join(argv, " "));
	pid_t pid;
	int rc = posix_spawnp(&pid, modprobe_.c_str(), nullptr, nullptr, cargv.data(), environ);
	if (rc != 0)
		return Error{ExitCode::kSystem,
			     fmt::format("cannot run {}: {}", modprobe_, std::strerror(rc))};
	int status;
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return Error{ExitCode::kSystem,
				     fmt::format("waiting for {}: {}", cmdline, std::strerror(errno))};
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return {};
	// modprobe has printed its own reason on our stderr already.
	if (WIFEXITED(status))
		return Error{ExitCode::kSystem,
			     fmt::format("{} failed with exit status {}", cmdline, WEXITSTATUS(status))};
	return Error{ExitCode::kSystem, fmt::format("{} was killed", cmdline)};
}

Result<void> KernelModule::load(const std::optional<std::string> &scriptRoot)
{
	std::vector<std::string> args{kModuleName};
	if (scriptRoot)
		args.push_back("script_root=" + *scriptRoot);
	return runModprobe(args);
}

Result<void> KernelModule::unload()
{
	return runModprobe({"-r", kModuleName});
}

} // namespace lunatik::loader
