#include "cmd_module.hpp"

#include <fmt/core.h>

#include "command_support.hpp"
#include "report_format.hpp"

namespace lunatik::loader {

namespace {

const Error kNotLoaded{ExitCode::kModuleNotLoaded, "kernel module lunatik is not loaded"};

int load(const ModuleOptions &opts, Services &svc)
{
	if (svc.module->loaded()) {
		std::string current = svc.module->scriptRoot();
		if (opts.scriptRoot && *opts.scriptRoot != current)
			return fail(svc, Error{ExitCode::kExists,
					       fmt::format("module lunatik is already loaded with "
							   "script_root={} (unload it first)",
							   current)});
		return toInt(ExitCode::kOk);
	}
	if (auto done = svc.module->load(opts.scriptRoot); !done)
		return fail(svc, done.error());
	return toInt(ExitCode::kOk);
}

int unload(Services &svc)
{
	if (!svc.module->loaded())
		return fail(svc, kNotLoaded);
	if (auto done = svc.module->unload(); !done)
		return fail(svc, done.error());
	return toInt(ExitCode::kOk);
}

int status(const ModuleOptions &opts, Services &svc)
{
	if (!svc.module->loaded()) {
		if (opts.json)
			*svc.out << nlohmann::json{{"loaded", false}}.dump(2) << '\n';
		else
			*svc.out << "loaded: no\n";
		return toInt(ExitCode::kModuleNotLoaded);
	}
	auto sets = listAllSets(svc);
	if (!sets)
		return fail(svc, sets.error());
	if (opts.json) {
		auto doc = setsToJson(*sets);
		doc["loaded"] = true;
		doc["script_root"] = svc.module->scriptRoot();
		*svc.out << doc.dump(2) << '\n';
		return toInt(ExitCode::kOk);
	}
	*svc.out << "loaded: yes\n" << "script_root: " << svc.module->scriptRoot() << '\n';
	*svc.out << formatSetTable(*sets);
	return toInt(ExitCode::kOk);
}

} // namespace

CLI::App *setupModule(CLI::App &app, ModuleOptions &opts)
{
	CLI::App *sub = app.add_subcommand("module", "load, unload or inspect the kernel module");
	sub->require_subcommand(1);

	CLI::App *loadCmd = sub->add_subcommand("load", "modprobe lunatik");
	loadCmd->add_option_function<std::string>(
		"--script-root", [&opts](const std::string &v) { opts.scriptRoot = v; },
		"directory scripts and require() are resolved in (module parameter script_root)")
		->type_name("DIR");
	loadCmd->callback([&opts] { opts.action = ModuleOptions::Action::kLoad; });

	sub->add_subcommand("unload", "modprobe -r lunatik")->callback([&opts] {
		opts.action = ModuleOptions::Action::kUnload;
	});
	CLI::App *statusCmd =
		sub->add_subcommand("status", "is the module loaded, and its runtime sets");
	statusCmd->add_flag("--json", opts.json, "JSON output");
	statusCmd->callback([&opts] { opts.action = ModuleOptions::Action::kStatus; });
	return sub;
}

int runModule(const ModuleOptions &opts, Services &svc)
{
	switch (opts.action) {
	case ModuleOptions::Action::kLoad: return load(opts, svc);
	case ModuleOptions::Action::kUnload: return unload(svc);
	case ModuleOptions::Action::kStatus: return status(opts, svc);
	case ModuleOptions::Action::kNone: break;
	}
	return fail(svc, Error{ExitCode::kUsage, "module: expected load, unload or status"});
}

} // namespace lunatik::loader
