#include "cmd_repl.hpp"

#include "cmd_exec.hpp"
#include "command_support.hpp"

namespace lunatik::loader {

namespace {
constexpr std::string_view kEofMark = "<eof>";
}

CLI::App *setupRepl(CLI::App &app, ReplOptions &opts)
{
	CLI::App *sub = app.add_subcommand("repl", "interactive Lua prompt on a runtime set");
	sub->add_option("name", opts.name, "runtime set name")->required()->type_name("NAME");
	return sub;
}

bool isIncomplete(const Error &error)
{
	return error.code == ExitCode::kLuaError &&
	       error.message.find(kEofMark) != std::string::npos;
}

int runRepl(const ReplOptions &opts, Services &svc)
{
	if (auto valid = validateSetName(opts.name); !valid)
		return fail(svc, valid.error());
	auto cp = svc.connect();
	if (!cp)
		return fail(svc, cp.error());
	// Fail at once on an unknown set rather than at the first line.
	if (auto set = (*cp)->getSet(opts.name); !set)
		return fail(svc, set.error());

	auto reader = svc.lineReader();
	std::string pending;	// an unfinished statement
	Error whyPending;	// the compile error that made it pending
	for (;;) {
		std::string prompt = opts.name + (pending.empty() ? "> " : ">> ");
		auto line = reader->readLine(prompt);
		if (!line)
			break;
		std::string chunk;
		if (pending.empty()) {
			if (line->find_first_not_of(" \t") == std::string::npos)
				continue;
			chunk = line->front() == '=' ? "return " + line->substr(1) : *line;
		} else {
			chunk = pending + '\n' + *line;
		}
		if (auto valid = validateChunk(chunk); !valid) {
			fail(svc, valid.error());
			pending.clear();
			continue;
		}

		auto result = (*cp)->exec(ExecRequest{.name = opts.name, .chunk = chunk,
						      .chunkName = "stdin"});
		if (!result && isIncomplete(result.error())) {
			pending = chunk;
			whyPending = result.error();
			continue;
		}
		pending.clear();
		reader->addHistory(chunk);
		if (result) {
			if (!result->empty())
				*svc.out << *result << '\n';
			svc.out->flush();
		} else if (result.error().code == ExitCode::kLuaError) {
			fail(svc, result.error());
		} else {
			// The set or the module went away, or we lost privilege.
			return fail(svc, result.error());
		}
	}
	// Input ended inside a statement: say why it was incomplete.
	if (!pending.empty())
		return fail(svc, whyPending);
	return toInt(ExitCode::kOk);
}

} // namespace lunatik::loader
