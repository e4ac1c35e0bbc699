#include "cmd_validate.hpp"

#include "command_support.hpp"
#include "pipeline_session.hpp"

namespace lunatik::loader {

CLI::App *setupValidate(CLI::App &app, ValidateOptions &opts)
{
	CLI::App *sub = app.add_subcommand("validate", "check a pipeline spec and report every problem");
	sub->add_option("spec", opts.spec, "pipeline spec (YAML)")->required()->type_name("SPEC");
	return sub;
}

int runValidate(const ValidateOptions &opts, Services &svc)
{
	auto spec = loadSpec(opts.spec, svc, SpecUse::kCheck);
	if (!spec)
		return fail(svc, spec.error());
	*svc.out << opts.spec << ": pipeline '" << spec->name << "' is valid\n";
	return toInt(ExitCode::kOk);
}

} // namespace lunatik::loader
