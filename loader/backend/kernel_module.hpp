// ModuleControl for the running kernel: /sys/module/lunatik for state,
// modprobe for loading and unloading (so dependencies and the modules
// tree's configuration apply as for any other module).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "module_control.hpp"

namespace lunatik::loader {

class KernelModule final : public ModuleControl {
public:
	static constexpr const char *kModuleName = "lunatik";

	// modulesDir: the running kernel's modules tree (default
	// /lib/modules/$(uname -r)), looked at when modprobe fails.
	explicit KernelModule(std::filesystem::path sysfsDir = "/sys/module/lunatik",
			      std::string modprobe = "modprobe", std::filesystem::path modulesDir = {});

	bool loaded() const override;
	// False when /sys/module itself is missing (sysfs not mounted): then
	// loaded() cannot tell, and callers should not trust it.
	bool canTell() const;
	std::string scriptRoot() const override;
	Result<void> load(const std::optional<std::string> &scriptRoot) override;
	Result<void> unload() override;

private:
	Result<void> runModprobe(const std::vector<std::string> &args) const;

	std::filesystem::path sysfsDir_;
	std::string modprobe_;
	std::filesystem::path modulesDir_;
};

// Why modprobe finds no lunatik module in modulesDir (a kernel's
// /lib/modules/<release>), naming what to install or build; "" when its
// modules.dep lists one.
std::string moduleMissingReason(const std::filesystem::path &modulesDir);

} // namespace lunatik::loader
