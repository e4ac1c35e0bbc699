#include "step_runner.hpp"

#include <fstream>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "file_ops.hpp"
#include "nft.hpp"

namespace lunatik::loader {

using pipeline::Step;
using pipeline::StepKind;

namespace {

Context toContext(pipeline::Context c)
{
	return c == pipeline::Context::kSoftirq ? Context::kSoftirq : Context::kProcess;
}

std::optional<pipeline::StepFailure> asFailure(const Result<void> &r)
{
	if (r)
		return std::nullopt;
	return pipeline::StepFailure{toInt(r.error().code), r.error().message};
}

bool present(const std::filesystem::path &p)
{
	std::error_code ec;
	return std::filesystem::exists(p, ec);
}

} // namespace

SystemStepRunner::SystemStepRunner(Connect connect, ModuleControl &module,
				   std::filesystem::path scriptRoot, std::filesystem::path backupDir,
				   RunCommand runCommand, XdpBackend *xdp)
	: connect_(std::move(connect)), module_(module), root_(std::move(scriptRoot)),
	  backups_(std::move(backupDir)), run_(std::move(runCommand)), xdp_(xdp)
{
}

// The prog id of an attach is known only once it is done: it is written
// beside the run's file backups at once, so the undo of a run killed
// after the attach (from the journal alone) finds the program.
std::filesystem::path SystemStepRunner::xdpMark(const std::string &interface) const
{
	return backups_ / ".xdp" / (interface + ".json");
}

Result<void> SystemStepRunner::attachXdp(const pipeline::XdpRecord &x)
{
	if (!xdp_)
		return Error{ExitCode::kSystem, "this lunatik-pipeline has no XDP backend"};
	auto made = xdp_->attach(x);
	if (!made)
		return made.error();
	attached_[x.interface] = *made;
	std::error_code ec;
	std::filesystem::create_directories(xdpMark(x.interface).parent_path(), ec);
	nlohmann::json mark{{"ifindex", made->ifindex}, {"prog_id", made->progId}};
	auto tmp = xdpMark(x.interface).string() + ".tmp";
	std::ofstream(tmp) << mark.dump();
	std::filesystem::rename(tmp, xdpMark(x.interface), ec);
	return {};
}

Result<void> SystemStepRunner::undoAttachXdp(const pipeline::XdpRecord &x)
{
	pipeline::XdpRecord made = x;
	if (auto it = attached_.find(x.interface); it != attached_.end()) {
		made.ifindex = it->second.ifindex;
		made.progId = it->second.progId;
	} else if (auto text = readFile(xdpMark(x.interface)); text) {
		auto j = nlohmann::json::parse(*text, nullptr, false);
		if (j.is_object()) {
			made.ifindex = j.value("ifindex", 0u);
			made.progId = j.value("prog_id", 0u);
		}
	}
	if (made.progId == 0)
		return {};	// the attach never completed
	if (!xdp_)
		return Error{ExitCode::kSystem, "this lunatik-pipeline has no XDP backend"};
	if (auto done = xdp_->detach(made); !done)
		return done;
	attached_.erase(x.interface);
	std::error_code ec;
	std::filesystem::remove(xdpMark(x.interface), ec);
	return {};
}

Result<void> SystemStepRunner::undoDetachXdp(const pipeline::XdpRecord &x)
{
	if (!xdp_)
		return Error{ExitCode::kSystem, "this lunatik-pipeline has no XDP backend"};
	if (xdp_->attached(x))
		return {};	// the detach never happened
	auto made = xdp_->attach(x);
	if (!made)
		return made.error();
	reattached_[x.progId] = *made;
	return {};
}

Result<ControlPlane *> SystemStepRunner::controlPlane()
{
	// Connected on first use: the module may be loaded by an earlier step.
	if (!cp_) {
		auto cp = connect_();
		if (!cp)
			return cp.error();
		cp_ = std::move(*cp);
	}
	return cp_.get();
}

CreateRequest SystemStepRunner::request(const pipeline::SetRecord &set) const
{
	return CreateRequest{
		.name = set.name,
		.script = (root_ / set.script).string(),
		.chunkName = set.script,
		.context = toContext(set.context),
		.memLimit = set.memory,
		.budget = set.budget,
		.hookBudget = set.hookBudget,
		.policy = set.defaultVerdict == pipeline::Verdict::kDrop ? Policy::kDrop : Policy::kPass,
	};
}

Result<void> SystemStepRunner::create(const pipeline::SetRecord &set, bool existingIsFine)
{
	auto cp = controlPlane();
	if (!cp)
		return cp.error();
	auto made = (*cp)->createSet(request(set));
	if (!made && !(existingIsFine && made.error().code == ExitCode::kExists))
		return made.error();
	return {};
}

Result<void> SystemStepRunner::stop(const std::string &name)
{
	auto cp = controlPlane();
	if (!cp)
		return cp.error();
	auto done = (*cp)->stopSet(name);
	if (!done && done.error().code != ExitCode::kSetNotFound)
		return done.error();
	return {};
}

Result<void> SystemStepRunner::reload(const pipeline::SetRecord &set)
{
	auto cp = controlPlane();
	if (!cp)
		return cp.error();
	auto done = (*cp)->reloadSet(ReloadRequest{
		.name = set.name,
		.script = (root_ / set.script).string(),
		.chunkName = set.script,
	});
	if (!done)
		return done.error();
	return {};
}

Result<void> SystemStepRunner::backup(const std::string &path)
{
	auto saved = backups_ / path;
	// The first backup of a run is the state before it; keep that one.
	if (present(saved) || !present(root_ / path))
		return {};
	return copyAtomically(root_ / path, saved);
}

Result<bool> SystemStepRunner::restore(const std::string &path)
{
	auto saved = backups_ / path;
	if (!present(saved))
		return false;
	if (auto done = copyAtomically(saved, root_ / path); !done)
		return done.error();
	return true;
}

Result<void> SystemStepRunner::applyStep(const Step &s)
{
	switch (s.kind) {
	case StepKind::kLoadModule:
		return module_.load(s.scriptRoot);
	case StepKind::kInstallFile:
		if (auto saved = backup(s.target); !saved)
			return saved;
		return copyAtomically(s.source, root_ / s.target);
	case StepKind::kCreateSet:
		return create(*s.set, false);
	case StepKind::kReplaceSet: {
		if (auto stopped = stop(s.target); !stopped)
			return stopped;
		auto made = create(*s.set, false);
		if (!made) {
			// Leave the set as it was before failing.
			(void)create(*s.previous, true);
			return made;
		}
		return {};
	}
	case StepKind::kReloadSet:
		return reload(*s.set);
	case StepKind::kStopSet:
		return stop(s.target);
	case StepKind::kRemoveFile:
		if (auto saved = backup(s.target); !saved)
			return saved;
		return removeFile(root_ / s.target);
	case StepKind::kInsertRule:
		return insertRule(run_, *s.rule);
	case StepKind::kDeleteRule:
		return deleteRule(run_, *s.rule);
	case StepKind::kAttachXdp:
		return attachXdp(*s.xdp);
	case StepKind::kDetachXdp:
		if (!xdp_)
			return Error{ExitCode::kSystem, "this lunatik-pipeline has no XDP backend"};
		return xdp_->detach(*s.xdp);
	case StepKind::kCreateNftChain:
		return nftCreateChain(run_, *s.chain);
	case StepKind::kDeleteNftChain:
		return nftDeleteChain(run_, *s.chain);
	}
	return {};
}

Result<void> SystemStepRunner::undoStep(const Step &s)
{
	switch (s.kind) {
	case StepKind::kLoadModule:
		if (!module_.loaded())
			return {};
		cp_.reset();	// our socket must not keep the family busy
		return module_.unload();
	case StepKind::kInstallFile: {
		auto restored = restore(s.target);
		if (!restored)
			return restored.error();
		if (!*restored)
			return removeFile(root_ / s.target);	// it was new
		return {};
	}
	case StepKind::kCreateSet:
		return stop(s.target);
	case StepKind::kReplaceSet:
		if (auto stopped = stop(s.target); !stopped)
			return stopped;
		return create(*s.previous, true);
	case StepKind::kReloadSet:
		// The files it followed get their old content first, so the
		// set swaps back to exactly what it ran.
		for (const auto &path : s.files)
			if (auto restored = restore(path); !restored)
				return restored.error();
		return reload(*s.previous);
	case StepKind::kStopSet:
		return create(*s.previous, true);
	case StepKind::kRemoveFile: {
		auto restored = restore(s.target);
		if (!restored)
			return restored.error();
		return {};
	}
	case StepKind::kInsertRule:
		return deleteRule(run_, *s.rule);
	case StepKind::kDeleteRule:
		if (rulePresent(run_, *s.rule))
			return {};
		return insertRule(run_, *s.rule);
	case StepKind::kAttachXdp:
		return undoAttachXdp(*s.xdp);
	case StepKind::kDetachXdp:
		return undoDetachXdp(*s.xdp);
	case StepKind::kCreateNftChain:
		return nftDeleteChain(run_, *s.chain);
	case StepKind::kDeleteNftChain:
		return nftCreateChain(run_, *s.chain);
	}
	return {};
}

std::optional<pipeline::StepFailure> SystemStepRunner::apply(const Step &step)
{
	return asFailure(applyStep(step));
}

std::optional<pipeline::StepFailure> SystemStepRunner::undo(const Step &step)
{
	return asFailure(undoStep(step));
}

} // namespace lunatik::loader
