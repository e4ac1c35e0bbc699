#include "cli.hpp"

#include <algorithm>
#include <functional>
#include <string>

#include <fmt/core.h>

extern "C" {
#include <linux/lunatik_pipeline.h>
}

#include "cmd_down.hpp"
#include "cmd_exec.hpp"
#include "cmd_hooks.hpp"
#include "cmd_list.hpp"
#include "cmd_module.hpp"
#include "cmd_plan.hpp"
#include "cmd_reload.hpp"
#include "cmd_repl.hpp"
#include "cmd_run.hpp"
#include "cmd_stats.hpp"
#include "cmd_status.hpp"
#include "cmd_stop.hpp"
#include "cmd_up.hpp"
#include "cmd_validate.hpp"
#include "command_support.hpp"
#include "exit_codes.hpp"
#include "lunatik/pipeline/diagnostic.hpp"

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
	bool json = false;	// --json before the subcommand
	bool quiet = false;	// --quiet before the subcommand
	RunOptions run;
	StopOptions stop;
	ReloadOptions reload;
	ListOptions list;
	HooksOptions hooks;
	ExecOptions exec;
	ReplOptions repl;
	StatsOptions stats;
	ModuleOptions module;
	ValidateOptions validate;
	PlanOptions plan;
	UpOptions up;
	DownOptions down;
	StatusOptions status;
};

// CLI11 messages may span lines; ours are one line each.
std::string oneLine(std::string text)
{
	while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
		text.pop_back();
	std::replace(text.begin(), text.end(), '\n', ' ');
	return text;
}

// The first word that is not an option names the command: an unknown one
// is named back, with the closest command, before CLI11 sees it.
std::optional<Error> unknownCommand(int argc, const char *const *argv, const CLI::App &app)
{
	std::vector<std::string> names;
	for (const CLI::App *sub : app.get_subcommands({}))
		names.push_back(sub->get_name());
	for (int i = 1; i < argc; i++) {
		std::string word = argv[i];
		if (word.empty() || word[0] == '-')
			continue;
		if (std::find(names.begin(), names.end(), word) != names.end())
			return std::nullopt;
		std::string near = pipeline::closestMatch(word, names);
		return Error{ExitCode::kUsage,
			     near.empty() ? fmt::format("unknown command '{}' (see --help)", word)
					  : fmt::format("unknown command '{}' (did you mean '{}'?)", word,
							near)};
	}
	return std::nullopt;
}

} // namespace

int runCli(int argc, const char *const *argv, Services &svc)
{
	CLI::App app("lunatik-pipeline: Lua 5.4 runtimes in the Linux kernel", "lunatik-pipeline");
	app.require_subcommand(1);
	app.set_version_flag("--version",
			     fmt::format("lunatik-pipeline {} (genl family {} v{})", kVersion,
					 LUNATIK_GENL_NAME, LUNATIK_GENL_VERSION));

	AllOptions o;
	app.add_flag("--json", o.json, "JSON output (list, stats, module status, status, plan)");
	app.add_flag("-q,--quiet", o.quiet, "print nothing on success (up, down, reload)");

	std::function<int()> action;
	std::string chosen;
	auto bind = [&](CLI::App *sub, std::function<int()> run) {
		// CLI11 calls this only for the subcommand that was given.
		sub->final_callback([&action, &chosen, sub, run = std::move(run)] {
			action = run;
			chosen = sub->get_name();
		});
	};
	bind(setupRun(app, o.run), [&] { return runRun(o.run, svc); });
	bind(setupStop(app, o.stop), [&] { return runStop(o.stop, svc); });
	bind(setupReload(app, o.reload), [&] {
		o.reload.quiet |= o.quiet;
		return runReload(o.reload, svc);
	});
	bind(setupList(app, o.list), [&] {
		o.list.json |= o.json;
		return runList(o.list, svc);
	});
	bind(setupHooks(app, o.hooks), [&] {
		o.hooks.json |= o.json;
		return runHooks(o.hooks, svc);
	});
	bind(setupExec(app, o.exec), [&] { return runExec(o.exec, svc); });
	bind(setupRepl(app, o.repl), [&] { return runRepl(o.repl, svc); });
	bind(setupStats(app, o.stats), [&] {
		o.stats.json |= o.json;
		return runStats(o.stats, svc);
	});
	bind(setupModule(app, o.module), [&] {
		o.module.json |= o.json;
		return runModule(o.module, svc);
	});
	bind(setupValidate(app, o.validate), [&] { return runValidate(o.validate, svc); });
	bind(setupPlan(app, o.plan), [&] {
		o.plan.json |= o.json;
		return runPlan(o.plan, svc);
	});
	bind(setupUp(app, o.up), [&] {
		o.up.quiet |= o.quiet;
		return runUp(o.up, svc);
	});
	bind(setupDown(app, o.down), [&] {
		o.down.quiet |= o.quiet;
		return runDown(o.down, svc);
	});
	bind(setupStatus(app, o.status), [&] {
		o.status.json |= o.json;
		return runStatus(o.status, svc);
	});

	// Set after the subcommands exist, so they do not inherit it: the exit
	// codes are listed once (here and in README.md).
	app.footer(exitCodeFooter());

	if (auto unknown = unknownCommand(argc, argv, app))
		return fail(svc, *unknown);
	try {
		app.parse(argc, argv);
	} catch (const CLI::CallForHelp &e) {
		return app.exit(e, *svc.out, *svc.err);
	} catch (const CLI::CallForAllHelp &e) {
		return app.exit(e, *svc.out, *svc.err);
	} catch (const CLI::CallForVersion &e) {
		return app.exit(e, *svc.out, *svc.err);
	} catch (const CLI::ParseError &e) {
		// Every other parse error is a usage error, on one line.
		return fail(svc, Error{ExitCode::kUsage, oneLine(e.what())});
	}
	if (!action)
		return fail(svc, Error{ExitCode::kUsage, "no command given (see --help)"});
	const bool printsState = chosen == "list" || chosen == "stats" || chosen == "module" ||
				 chosen == "status" || chosen == "plan" || chosen == "hooks";
	if (o.json && !printsState)
		return fail(svc, Error{ExitCode::kUsage,
				       fmt::format("--json: '{}' prints no state", chosen)});
	return action();
}

} // namespace lunatik::loader
