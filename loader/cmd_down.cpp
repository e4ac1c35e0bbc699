#include "cmd_down.hpp"

#include <fmt/core.h>

#include "command_support.hpp"
#include "file_ops.hpp"
#include "lunatik/pipeline/spec_reader.hpp"
#include "pipeline_session.hpp"

namespace lunatik::loader {

namespace {

bool looksLikeSpec(const std::string &arg)
{
	std::error_code ec;
	auto ext = std::filesystem::path(arg).extension();
	return ext == ".yaml" || ext == ".yml" || std::filesystem::is_regular_file(arg, ec);
}

// The pipeline a spec file names (only its name is needed: down works
// from the state, so a spec edited since up still takes down what up did).
Result<std::string> nameFromSpec(const std::string &arg)
{
	auto text = readFile(arg);
	if (!text)
		return Error{ExitCode::kInvalidSpec, fmt::format("cannot read spec {}", arg)};
	auto read = pipeline::readSpec(*text, arg, std::filesystem::path(arg).parent_path());
	if (read.spec.name.empty())
		return Error{ExitCode::kInvalidSpec, fmt::format("{}: the spec names no pipeline", arg)};
	return read.spec.name;
}

} // namespace

CLI::App *setupDown(CLI::App &app, DownOptions &opts)
{
	CLI::App *sub = app.add_subcommand(
		"down", "remove what a pipeline installed (its sets and script files), nothing else");
	sub->add_option("pipeline", opts.target, "pipeline name, or its spec file")
		->required()
		->type_name("NAME|SPEC");
	sub->add_flag("-q,--quiet", opts.quiet, "print nothing on success");
	return sub;
}

int runDown(const DownOptions &opts, Services &svc)
{
	std::string name = opts.target;
	if (looksLikeSpec(opts.target)) {
		auto fromSpec = nameFromSpec(opts.target);
		if (!fromSpec)
			return fail(svc, fromSpec.error());
		name = *fromSpec;
	}
	StateStore store(svc.stateDir);
	auto lock = store.lock(name, *svc.err);
	if (!lock)
		return fail(svc, lock.error());
	auto state = store.load(name);
	if (!state)
		return fail(svc, state.error());
	auto journal = store.readJournal(name);
	if (!journal)
		return fail(svc, journal.error());
	if (!*state && !*journal)
		return fail(svc, Error{ExitCode::kPipelineNotFound,
				       fmt::format("no pipeline named '{}'", name)});
	// A first `up` killed half way has no state yet: its journal knows
	// the namespace.
	std::string netns = *state ? (*state)->netns : (*journal)->netns;
	if (!netns.empty() && svc.enterNetns)
		if (auto entered = svc.enterNetns(netns); !entered)
			return fail(svc, entered.error());
	if (auto recovered = recoverInterrupted(svc, store, name, opts.quiet); !recovered)
		return fail(svc, recovered.error());

	state = store.load(name);
	if (!state)
		return fail(svc, state.error());
	if (!*state) {
		// Only an interrupted first `up` was there, and it is undone.
		(void)store.remove(name);
		return toInt(ExitCode::kOk);
	}
	std::string root = (*state)->scriptRoot;
	auto observed = observe(svc, store, name, root, {});
	if (!observed)
		return fail(svc, observed.error());
	auto plan = pipeline::planDown(*observed);
	auto applied = applyPlan(svc, store, name, root, (*state)->netns, plan.steps, std::nullopt,
				 "down", opts.quiet);
	if (!applied)
		return fail(svc, applied.error());
	if (!opts.quiet)
		*svc.out << "pipeline '" << name << "' is down\n";
	return toInt(ExitCode::kOk);
}

} // namespace lunatik::loader
