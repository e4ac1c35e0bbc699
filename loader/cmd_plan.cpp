#include "cmd_plan.hpp"

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "command_support.hpp"
#include "file_ops.hpp"
#include "pipeline_session.hpp"
#include "xdp_objects.hpp"

namespace lunatik::loader {

CLI::App *setupPlan(CLI::App &app, PlanOptions &opts)
{
	CLI::App *sub = app.add_subcommand("plan", "show what up would change, in order");
	sub->add_option("spec", opts.spec, "pipeline spec (YAML)")->required()->type_name("SPEC");
	sub->add_flag("--json", opts.json, "the steps as JSON");
	return sub;
}

int runPlan(const PlanOptions &opts, Services &svc)
{
	auto spec = loadSpec(opts.spec, svc, SpecUse::kApply);
	if (!spec)
		return fail(svc, spec.error());
	auto root = scriptRootFor(&*spec, svc);
	if (!root)
		return fail(svc, root.error());
	auto desired = pipeline::desiredFrom(*spec, hashFile, builtinXdpObject);
	std::vector<std::string> paths;
	for (const auto &f : desired.files)
		paths.push_back(f.path);
	StateStore store(svc.stateDir);
	auto observed = observe(svc, store, spec->name, *root, paths, desired.rules, desired.chains);
	if (!observed)
		return fail(svc, observed.error());
	auto plan = pipeline::planUp(desired, *observed);
	auto journal = store.readJournal(spec->name);
	bool interrupted = journal && *journal;

	if (opts.json) {
		nlohmann::json steps = nlohmann::json::array();
		for (const auto &s : plan.steps) {
			auto j = pipeline::toJson(s);
			j["description"] = s.describe();
			steps.push_back(std::move(j));
		}
		*svc.out << nlohmann::json{{"pipeline", spec->name},
					   {"interrupted_run", interrupted},
					   {"steps", steps},
					   {"conflicts", plan.conflicts}}
				    .dump(2)
			 << '\n';
	} else {
		if (interrupted)
			*svc.out << "an interrupted run of pipeline '" << spec->name
				 << "' is undone first\n";
		if (plan.steps.empty() && plan.conflicts.empty())
			*svc.out << "pipeline '" << spec->name << "': nothing to do\n";
		else if (!plan.steps.empty())
			*svc.out << fmt::format("pipeline '{}': {} step{}\n", spec->name,
						plan.steps.size(), plan.steps.size() == 1 ? "" : "s");
		for (std::size_t i = 0; i < plan.steps.size(); i++)
			*svc.out << fmt::format("  {}. {}\n", i + 1, plan.steps[i].describe());
	}
	if (!plan.conflicts.empty())
		return failAll(svc, ExitCode::kExists, plan.conflicts);
	return toInt(ExitCode::kOk);
}

} // namespace lunatik::loader
