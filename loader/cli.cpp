#include "cli.hpp"

#include <functional>
#include <string>

#include <fmt/core.h>

extern "C" {
#include <linux/lunatik_pipeline.h>
}

#include "cmd_exec.hpp"
#include "cmd_hooks.hpp"
#include "cmd_list.hpp"
#include "cmd_module.hpp"
#include "cmd_reload.hpp"
#include "cmd_repl.hpp"
#include "cmd_run.hpp"
#include "cmd_stats.hpp"
#include "cmd_stop.hpp"
#include "exit_codes.hpp"

namespace lunatik::loader {

namespace {

constexpr std::string_view kVersion = "0.1";

std::string exitCodeFooter()
{
	std::string out = "Exit codes:\n";
	for (const auto &doc : kExitCodeDocs)
		out += fmt::format("  {:<3}{}\n", toInt(doc.code), doc.meaning);
	return out;
}

// Options of every subcommand; they must outlive parsing and dispatch.
struct AllOptions {
	RunOptions run;
	StopOptions stop;
	ReloadOptions reload;
	ListOptions list;
	HooksOptions hooks;
	ExecOptions exec;
	ReplOptions repl;
	StatsOptions stats;
	ModuleOptions module;
};

} // namespace

int runCli(int argc, const char *const *argv, Services &svc)
{
	CLI::App app("lunatik-pipeline: Lua 5.4 runtimes in the Linux kernel", "lunatik-pipeline");
	app.require_subcommand(1);
	app.footer(exitCodeFooter());
	app.set_version_flag("--version",
			     fmt::format("lunatik-pipeline {} (genl family {} v{})", kVersion,
					 LUNATIK_GENL_NAME, LUNATIK_GENL_VERSION));

	AllOptions o;
	std::function<int()> action;
	auto bind = [&action](CLI::App *sub, std::function<int()> run) {
		// CLI11 calls this only for the subcommand that was given.
		sub->final_callback([&action, run = std::move(run)] { action = run; });
	};
	bind(setupRun(app, o.run), [&] { return runRun(o.run, svc); });
	bind(setupStop(app, o.stop), [&] { return runStop(o.stop, svc); });
	bind(setupReload(app, o.reload), [&] { return runReload(o.reload, svc); });
	bind(setupList(app, o.list), [&] { return runList(o.list, svc); });
	bind(setupHooks(app, o.hooks), [&] { return runHooks(o.hooks, svc); });
	bind(setupExec(app, o.exec), [&] { return runExec(o.exec, svc); });
	bind(setupRepl(app, o.repl), [&] { return runRepl(o.repl, svc); });
	bind(setupStats(app, o.stats), [&] { return runStats(o.stats, svc); });
	bind(setupModule(app, o.module), [&] { return runModule(o.module, svc); });

	try {
		app.parse(argc, argv);
	} catch (const CLI::ParseError &e) {
		int rc = app.exit(e, *svc.out, *svc.err);
		// --help and --version are successes; every other parse error
		// is a usage error with our own exit code.
		return rc == 0 ? 0 : toInt(ExitCode::kUsage);
	}
	if (!action)
		return report(*svc.err, Error{ExitCode::kUsage, "no command given"});
	return action();
}

} // namespace lunatik::loader
