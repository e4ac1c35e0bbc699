#include "cmd_run.hpp"

#include "cli_options.hpp"
#include "lunatik/pipeline/limits.hpp"
#include "command_support.hpp"
#include "script_path.hpp"

namespace lunatik::loader {

CLI::App *setupRun(CLI::App &app, RunOptions &opts)
{
	CLI::App *sub = app.add_subcommand("run", "create a runtime set from a script");
	sub->add_option("script", opts.script,
			"script path, or a name relative to the script root without .lua")
		->required()
		->type_name("SCRIPT");
	sub->add_option("--name", opts.name,
			"set name (default: path under the script root, or file name, without .lua)")
		->type_name("NAME");
	addContextOption(*sub, opts.context);
	addSizeOption(*sub, "--mem", "memory cap per instance, 64K..1G (bytes, K/M/G suffix)",
		      opts.memLimit, pipeline::kMemoryMin, pipeline::kMemoryMax);
	addU32Option(*sub, "--budget", "VM instructions per call (EXEC; a script body gets 10x)",
		     opts.budget, pipeline::kBudgetMin, pipeline::kBudgetMax);
	addU32Option(*sub, "--hook-budget",
		     "VM instructions per hook call (one packet; default 50000)",
		     opts.hookBudget, pipeline::kBudgetMin, pipeline::kBudgetMax);
	sub->add_option_function<std::string>(
		   "--default-verdict",
		   [&opts](const std::string &v) { opts.policy = parsePolicy(v); },
		   "what hooks return when a call fails (error, budget, busy): pass "
		   "(default: ACCEPT, XDP_PASS) or drop")
		->check(CLI::IsMember({"pass", "drop"}))
		->type_name("VERDICT");
	sub->add_flag("--shared", opts.shared,
		      "softirq only: one instance for all CPUs behind one lock (as "
		      "Lunatik 3.6 runs hooks), for comparison; default: one per CPU");
	return sub;
}

int runRun(const RunOptions &opts, Services &svc)
{
	// An explicit name is checked before anything touches the kernel.
	if (!opts.name.empty())
		if (auto valid = validateSetName(opts.name); !valid)
			return fail(svc, valid.error());
	// The script is found before connecting: a missing file is the
	// user's to fix whether or not the module is loaded.
	if (opts.shared && opts.context != Context::kSoftirq)
		return fail(svc, Error{ExitCode::kUsage,
				       "--shared needs --context softirq (a process set has one "
				       "instance already)"});
	auto script = resolveScript(opts.script, svc.module->scriptRoot());
	if (!script)
		return fail(svc, script.error());
	auto cp = svc.connect();
	if (!cp)
		return fail(svc, cp.error());
	std::string name = opts.name.empty() ? script->setName : opts.name;
	if (auto valid = validateSetName(name); !valid)
		return fail(svc, valid.error());

	auto set = (*cp)->createSet(CreateRequest{
		.name = name,
		.script = script->absolute.string(),
		.chunkName = script->chunkName,
		.context = opts.context,
		.memLimit = opts.memLimit,
		.budget = opts.budget,
		.hookBudget = opts.hookBudget,
		.policy = opts.policy,
		.shared = opts.shared,
	});
	if (!set)
		return fail(svc, set.error());
	*svc.out << set->name << '\n';
	return toInt(ExitCode::kOk);
}

} // namespace lunatik::loader
