#include "cmd_list.hpp"

#include "command_support.hpp"
#include "report_format.hpp"

namespace lunatik::loader {

CLI::App *setupList(CLI::App &app, ListOptions &opts)
{
	CLI::App *sub = app.add_subcommand("list", "list runtime sets and their counters");
	sub->add_flag("--json", opts.json, "JSON with per-instance counters");
	return sub;
}

int runList(const ListOptions &opts, Services &svc)
{
	auto sets = listAllSets(svc);
	if (!sets)
		return fail(svc, sets.error());
	if (opts.json)
		*svc.out << setsToJson(*sets).dump(2) << '\n';
	else
		*svc.out << formatSetTable(*sets);
	return toInt(ExitCode::kOk);
}

} // namespace lunatik::loader
