#include "cmd_reload.hpp"

#include "cmd_up.hpp"
#include "command_support.hpp"
#include "script_path.hpp"

namespace lunatik::loader {

CLI::App *setupReload(CLI::App &app, ReloadOptions &opts)
{
	CLI::App *sub = app.add_subcommand(
		"reload", "reload a runtime set (atomic swap), or every set of a pipeline");
	sub->add_option("name", opts.name, "runtime set or pipeline name")->required()->type_name("NAME");
	sub->add_option("--script", opts.script,
			"new script of a set (path, or name under the script root); default: the "
			"current one")
		->type_name("SCRIPT");
	sub->add_flag("-q,--quiet", opts.quiet, "print nothing on success (pipeline reload)");
	return sub;
}

int runReload(const ReloadOptions &opts, Services &svc)
{
	// A pipeline's state names it: re-read its scripts, swap every set.
	if (opts.script.empty() && isPipeline(opts.name, svc))
		return runPipelineReload(opts.name, opts.quiet, svc);
	if (auto valid = validateSetName(opts.name); !valid)
		return fail(svc, valid.error());
	auto cp = svc.connect();
	if (!cp)
		return fail(svc, cp.error());

	ReloadRequest request{.name = opts.name};
	if (!opts.script.empty()) {
		auto script = resolveScript(opts.script, svc.module->scriptRoot());
		if (!script)
			return fail(svc, script.error());
		request.script = script->absolute.string();
		request.chunkName = script->chunkName;
	}
	auto set = (*cp)->reloadSet(request);
	if (!set)
		return fail(svc, set.error());
	*svc.out << set->name << " generation " << set->generation << '\n';
	return toInt(ExitCode::kOk);
}

} // namespace lunatik::loader
