// Applies and undoes pipeline steps on the running system: runtime sets over
// the control plane, script files under the module's script root, the
// module itself. Undo accepts a step that only half happened (a crash), so
// the journal of a killed run can be undone by the next one.
#pragma once

#include <filesystem>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>

#include "control_plane.hpp"
#include "iptables.hpp"
#include "lunatik/pipeline/transaction.hpp"
#include "module_control.hpp"
#include "xdp.hpp"

namespace lunatik::loader {

class SystemStepRunner final : public pipeline::StepRunner {
public:
	using Connect = std::function<Result<std::unique_ptr<ControlPlane>>()>;

	// backupDir keeps the previous content of files this run replaces or
	// removes, until the run is over.
	SystemStepRunner(Connect connect, ModuleControl &module, std::filesystem::path scriptRoot,
			 std::filesystem::path backupDir, RunCommand runCommand,
			 XdpBackend *xdp = nullptr);

	std::optional<pipeline::StepFailure> apply(const pipeline::Step &step) override;
	std::optional<pipeline::StepFailure> undo(const pipeline::Step &step) override;

	// XDP programs this run attached and still has, by interface: the
	// state records their prog ids.
	const std::map<std::string, XdpAttachment> &xdpAttached() const { return attached_; }
	// Programs a rollback attached again in place of a detached one, by
	// the old prog id: the kept state must name the new one.
	const std::map<std::uint32_t, XdpAttachment> &xdpReattached() const { return reattached_; }

private:
	Result<ControlPlane *> controlPlane();
	CreateRequest request(const pipeline::SetRecord &set) const;
	Result<void> create(const pipeline::SetRecord &set, bool existingIsFine);
	Result<void> stop(const std::string &name);
	Result<void> reload(const pipeline::SetRecord &set);
	Result<void> backup(const std::string &path);
	// Puts the backed-up content back; false when there is no backup.
	Result<bool> restore(const std::string &path);
	Result<void> attachXdp(const pipeline::XdpRecord &xdp);
	Result<void> undoAttachXdp(const pipeline::XdpRecord &xdp);
	Result<void> undoDetachXdp(const pipeline::XdpRecord &xdp);
	std::filesystem::path xdpMark(const std::string &interface) const;
	Result<void> applyStep(const pipeline::Step &step);
	Result<void> undoStep(const pipeline::Step &step);

	Connect connect_;
	std::unique_ptr<ControlPlane> cp_;
	ModuleControl &module_;
	std::filesystem::path root_;
	std::filesystem::path backups_;
	RunCommand run_;
	XdpBackend *xdp_;
	std::map<std::string, XdpAttachment> attached_;
	std::map<std::uint32_t, XdpAttachment> reattached_;
};

} // namespace lunatik::loader
