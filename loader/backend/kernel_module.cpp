#include "backend/kernel_module.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>

#include <fmt/format.h>
#include <spawn.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#include "script_path.hpp"

extern char **environ;

namespace lunatik::loader {

namespace {

std::filesystem::path runningModulesDir()
{
	utsname u{};
	if (uname(&u) != 0)
		return {};
	return std::filesystem::path("/lib/modules") / u.release;
}

// A modules.dep line starts "path/name.ko[.xz|.zst|.gz]:".
bool listsLunatik(std::istream &dep)
{
	for (std::string line; std::getline(dep, line);) {
		std::string path = line.substr(0, line.find(':'));
		std::string file = std::filesystem::path(path).filename().string();
		if (file.rfind(std::string(KernelModule::kModuleName) + ".ko", 0) == 0)
			return true;
	}
	return false;
}

} // namespace

std::string moduleMissingReason(const std::filesystem::path &modulesDir)
{
	std::ifstream dep(modulesDir / "modules.dep");
	if (dep && listsLunatik(dep))
		return {};
	std::string release = modulesDir.filename().string();
	std::error_code ec;
	if (!std::filesystem::exists(modulesDir / "build" / "Makefile", ec))
		return fmt::format("no {0}.ko for kernel {1}, and no headers to build one: install "
				   "linux-headers-{1}, then build kmod/ against {2}/build and install "
				   "it",
				   KernelModule::kModuleName, release, modulesDir.string());
	return fmt::format("no {0}.ko for kernel {1}: build kmod/ against {2}/build (the headers "
			   "are there), install it under {2} and run depmod",
			   KernelModule::kModuleName, release, modulesDir.string());
}

KernelModule::KernelModule(std::filesystem::path sysfsDir, std::string modprobe,
			   std::filesystem::path modulesDir)
	: sysfsDir_(std::move(sysfsDir)), modprobe_(std::move(modprobe)),
	  modulesDir_(modulesDir.empty() ? runningModulesDir() : std::move(modulesDir))
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
	auto loaded = runModprobe(args);
	// modprobe ran and failed: its own message says "not found"; ours
	// says what to install or build.
	bool ran = loaded || loaded.error().message.rfind("cannot run ", 0) != 0;
	if (!loaded && ran && !modulesDir_.empty())
		if (std::string why = moduleMissingReason(modulesDir_); !why.empty())
			return Error{ExitCode::kSystem, why};
	return loaded;
}

Result<void> KernelModule::unload()
{
	return runModprobe({"-r", kModuleName});
}

} // namespace lunatik::loader
