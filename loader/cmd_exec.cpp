#include "cmd_exec.hpp"

#include <algorithm>
#include <iterator>

#include <fmt/core.h>

extern "C" {
#include <linux/lunatik_pipeline.h>
}

#include "backend/genl_message.hpp"
#include "command_support.hpp"
#include "report_format.hpp"

namespace lunatik::loader {

static_assert(LUNATIK_CHUNK_MAX <= GenlMessage::kMaxAttrPayload,
	      "a chunk must fit one netlink attribute");
const std::size_t kMaxChunk = LUNATIK_CHUNK_MAX;

CLI::App *setupExec(CLI::App &app, ExecOptions &opts)
{
	CLI::App *sub = app.add_subcommand("exec", "run a Lua chunk in a runtime set");
	sub->add_option("name", opts.name, "runtime set name")->required()->type_name("NAME");
	sub->add_option("chunk", opts.chunk, "Lua source, or - to read it from stdin")
		->required()
		->type_name("CHUNK");
	sub->add_flag("--json", opts.json, "JSON: result as text and as hex bytes");
	return sub;
}

Result<void> validateChunk(const std::string &chunk)
{
	if (chunk.size() > kMaxChunk)
		return Error{ExitCode::kUsage,
			     fmt::format("chunk too large ({} bytes, at most {})", chunk.size(),
					 kMaxChunk)};
	return {};
}

int runExec(const ExecOptions &opts, Services &svc)
{
	if (auto valid = validateSetName(opts.name); !valid)
		return fail(svc, valid.error());
	std::string chunk = opts.chunk;
	std::string chunkName = "exec";
	if (chunk == "-") {
		chunk.assign(std::istreambuf_iterator<char>(*svc.in), {});
		chunkName = "stdin";
	}
	if (auto valid = validateChunk(chunk); !valid)
		return fail(svc, valid.error());

	auto cp = svc.connect();
	if (!cp)
		return fail(svc, cp.error());
	auto result = (*cp)->exec(ExecRequest{.name = opts.name, .chunk = chunk, .chunkName = chunkName});
	if (!result)
		return fail(svc, result.error());
	if (opts.json)
		*svc.out << execResultToJson(*result).dump() << '\n';
	else
		*svc.out << *result << '\n';	// raw bytes, NULs included
	return toInt(ExitCode::kOk);
}

} // namespace lunatik::loader
