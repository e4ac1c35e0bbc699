#include "cmd_stats.hpp"

#include "command_support.hpp"
#include "report_format.hpp"

namespace lunatik::loader {

CLI::App *setupStats(CLI::App &app, StatsOptions &opts)
{
	CLI::App *sub = app.add_subcommand("stats", "module-wide allocation counters");
	sub->add_flag("--json", opts.json, "JSON output");
	return sub;
}

int runStats(const StatsOptions &opts, Services &svc)
{
	auto cp = svc.connect();
	if (!cp)
		return fail(svc, cp.error());
	auto stats = (*cp)->stats();
	if (!stats)
		return fail(svc, stats.error());
	if (opts.json)
		*svc.out << statsToJson(*stats).dump(2) << '\n';
	else
		*svc.out << formatStats(*stats);
	return toInt(ExitCode::kOk);
}

} // namespace lunatik::loader
