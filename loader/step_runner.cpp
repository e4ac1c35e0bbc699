#include "step_runner.hpp"

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
				   RunCommand runCommand)
	: connect_(std::move(connect)), module_(module), root_(std::move(scriptRoot)),
	  backups_(std::move(backupDir)), run_(std::move(runCommand))
{
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
