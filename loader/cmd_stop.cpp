#include "cmd_stop.hpp"

#include "command_support.hpp"

namespace lunatik::loader {

CLI::App *setupStop(CLI::App &app, StopOptions &opts)
{
	CLI::App *sub = app.add_subcommand("stop", "stop a runtime set");
	sub->add_option("name", opts.name, "runtime set name")->required()->type_name("NAME");
	return sub;
}

int runStop(const StopOptions &opts, Services &svc)
{
	if (auto valid = validateSetName(opts.name); !valid)
		return fail(svc, valid.error());
	auto cp = svc.connect();
	if (!cp)
		return fail(svc, cp.error());
	if (auto done = (*cp)->stopSet(opts.name); !done)
		return fail(svc, done.error());
	return toInt(ExitCode::kOk);
}

} // namespace lunatik::loader
