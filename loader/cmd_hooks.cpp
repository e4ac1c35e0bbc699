#include "cmd_hooks.hpp"

#include "command_support.hpp"
#include "report_format.hpp"

namespace lunatik::loader {

CLI::App *setupHooks(CLI::App &app, HooksOptions &opts)
{
	CLI::App *sub = app.add_subcommand("hooks", "list the kernel hooks of the runtime sets");
	sub->add_flag("--json", opts.json, "JSON: {\"sets\": [{name, hooks, hook_totals}]}");
	return sub;
}

int runHooks(const HooksOptions &opts, Services &svc)
{
	auto sets = listAllSets(svc);
	if (!sets)
		return fail(svc, sets.error());
	if (opts.json) {
		nlohmann::json all = setsToJson(*sets);
		for (auto &set : all["sets"]) {
			nlohmann::json slim = {{"name", set["name"]},
					       {"default_verdict", set["default_verdict"]},
					       {"hook_budget", set["hook_budget"]},
					       {"hook_totals", set["hook_totals"]},
					       {"hooks", set["hooks"]}};
			set = std::move(slim);
		}
		*svc.out << all.dump(2) << '\n';
	} else {
		*svc.out << formatHookTable(*sets);
	}
	return toInt(ExitCode::kOk);
}

} // namespace lunatik::loader
