#include "cmd_up.hpp"

#include <fmt/core.h>

#include "command_support.hpp"
#include "file_ops.hpp"
#include "pipeline_session.hpp"
#include "xdp_objects.hpp"

namespace lunatik::loader {

namespace {

// The steps up applies for `spec`; with reloadAll, every set that is not
// created or replaced anyway is hot-swapped too.
int bringUp(const std::string &specArg, bool quiet, bool reloadAll, Services &svc)
{
	auto spec = loadSpec(specArg, svc, SpecUse::kApply);
	if (!spec)
		return fail(svc, spec.error());
	StateStore store(svc.stateDir);
	auto lock = store.lock(spec->name, *svc.err);
	if (!lock)
		return fail(svc, lock.error());
	if (auto recovered = recoverInterrupted(svc, store, spec->name, quiet); !recovered)
		return fail(svc, recovered.error());

	auto root = scriptRootFor(&*spec, svc);
	if (!root)
		return fail(svc, root.error());
	auto desired = pipeline::desiredFrom(*spec, hashFile, builtinXdpObject);
	std::vector<std::string> paths;
	for (const auto &f : desired.files)
		paths.push_back(f.path);
	auto observed = observe(svc, store, spec->name, *root, paths, desired.rules, desired.chains);
	if (!observed)
		return fail(svc, observed.error());
	auto plan = pipeline::planUp(desired, *observed);
	if (!plan.conflicts.empty())
		return failAll(svc, ExitCode::kExists, plan.conflicts);

	if (reloadAll) {
		for (const auto &want : desired.sets) {
			bool handled = false;
			for (const auto &s : plan.steps)
				handled |= s.target == want.name && s.kind != pipeline::StepKind::kInstallFile;
			if (!handled)
				plan.steps.push_back(pipeline::Step{.kind = pipeline::StepKind::kReloadSet,
								    .target = want.name,
								    .reason = "reload requested",
								    .set = want,
								    .previous = want});
		}
	}

	pipeline::PipelineState after = plan.after;
	after.specFile = std::filesystem::absolute(specArg).lexically_normal().string();
	after.specHash = hashFile(specArg);
	after.netns = spec->netns;
	auto applied = applyPlan(svc, store, spec->name, *root, spec->netns, plan.steps, after,
				 reloadAll ? "reload" : "up", quiet);
	if (!applied)
		return fail(svc, applied.error());
	if (!quiet) {
		if (plan.steps.empty())
			*svc.out << "pipeline '" << spec->name << "' is up to date\n";
		else
			*svc.out << fmt::format("pipeline '{}' is up ({} step{})\n", spec->name,
						plan.steps.size(), plan.steps.size() == 1 ? "" : "s");
	}
	return toInt(ExitCode::kOk);
}

} // namespace

CLI::App *setupUp(CLI::App &app, UpOptions &opts)
{
	CLI::App *sub = app.add_subcommand(
		"up", "apply a pipeline spec as one transaction (load the module, install scripts, "
		      "create or hot-swap sets)");
	sub->add_option("spec", opts.spec, "pipeline spec (YAML)")->required()->type_name("SPEC");
	sub->add_flag("-q,--quiet", opts.quiet, "print nothing on success");
	return sub;
}

int runUp(const UpOptions &opts, Services &svc)
{
	return bringUp(opts.spec, opts.quiet, false, svc);
}

bool isPipeline(const std::string &name, const Services &svc)
{
	StateStore store(svc.stateDir);
	auto st = store.load(name);
	return st && *st;
}

int runPipelineReload(const std::string &name, bool quiet, Services &svc)
{
	StateStore store(svc.stateDir);
	auto st = store.load(name);
	if (!st)
		return fail(svc, st.error());
	if (!*st)
		return fail(svc, Error{ExitCode::kPipelineNotFound,
				       fmt::format("no pipeline named '{}'", name)});
	return bringUp((*st)->specFile, quiet, true, svc);
}

} // namespace lunatik::loader
