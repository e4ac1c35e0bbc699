#include "script_path.hpp"

#include <optional>
#include <system_error>
#include <vector>

#include <fmt/core.h>

extern "C" {
#include <linux/lunatik_pipeline.h>
}

namespace lunatik::loader {

namespace fs = std::filesystem;

namespace {

fs::path withoutTrailingSlash(fs::path p)
{
	if (!p.has_filename() && p.has_parent_path() && p != p.root_path())
		p = p.parent_path();
	return p;
}

std::optional<fs::path> relativeUnder(const fs::path &path, const fs::path &root)
{
	fs::path rel = path.lexically_relative(root);
	if (rel.empty() || rel == ".")
		return std::nullopt;
	if (*rel.begin() == "..")
		return std::nullopt;
	return rel;
}

std::string stripLua(fs::path p)
{
	if (p.extension() == ".lua")
		p.replace_extension();
	return p.generic_string();
}

// The script's location at three depths of symlink resolution.
std::vector<fs::path> scriptCandidates(const fs::path &path)
{
	std::error_code ec;
	std::vector<fs::path> out;
	fs::path lexical = fs::absolute(path, ec).lexically_normal();
	if (ec)
		return out;
	out.push_back(lexical);
	fs::path dir = fs::canonical(lexical.parent_path(), ec);
	if (!ec)
		out.push_back(dir / lexical.filename());
	fs::path full = fs::canonical(lexical, ec);
	if (!ec)
		out.push_back(full);
	return out;
}

std::vector<fs::path> rootCandidates(const fs::path &root)
{
	std::error_code ec;
	std::vector<fs::path> out;
	fs::path lexical = fs::absolute(root, ec).lexically_normal();
	if (ec)
		return out;
	out.push_back(withoutTrailingSlash(lexical));
	fs::path full = fs::canonical(lexical, ec);
	if (!ec)
		out.push_back(full);
	return out;
}

// The kernel bounds chunk names like set names, and takes one starting
// with '@' or '=' as already prefixed; Lua shows only the tail of a long
// name anyway ("...sni.lua:3:").
std::string chunkNameOf(const std::string &typed)
{
	std::string name = typed;
	if (!name.empty() && (name.front() == '@' || name.front() == '='))
		name.insert(0, "@");
	constexpr std::size_t kMax = LUNATIK_NAME_MAX - 1;
	if (name.size() > kMax)
		name = "..." + name.substr(name.size() - (kMax - 3));
	return name;
}

bool isRegularFile(const fs::path &p)
{
	std::error_code ec;
	return fs::is_regular_file(p, ec);
}

} // namespace

std::string deriveSetName(const fs::path &path, const fs::path &root)
{
	const auto roots = rootCandidates(root);
	for (const auto &candidate : scriptCandidates(path))
		for (const auto &r : roots)
			if (auto rel = relativeUnder(candidate, r))
				return stripLua(*rel);
	return stripLua(path.filename());
}

Result<ResolvedScript> resolveScript(std::string_view arg, const fs::path &root)
{
	if (arg.empty())
		return Error{ExitCode::kUsage, "empty script path"};

	fs::path given(arg);
	std::string chunkName(arg);
	fs::path found;
	if (isRegularFile(given)) {
		found = given;
	} else {
		std::error_code ec;
		bool exists = fs::exists(given, ec);
		fs::path byName = root / (chunkName + ".lua");
		if (!exists && given.is_relative() && isRegularFile(byName)) {
			found = byName;
			chunkName += ".lua";
		} else if (exists) {
			return Error{ExitCode::kScriptNotFound,
				     fmt::format("script is not a regular file: {}", arg)};
		} else if (given.is_relative()) {
			return Error{ExitCode::kScriptNotFound,
				     fmt::format("script not found: {} (nor {})", arg,
						 byName.string())};
		} else {
			return Error{ExitCode::kScriptNotFound,
				     fmt::format("script not found: {}", arg)};
		}
	}

	std::error_code ec;
	fs::path absolute = fs::canonical(found, ec);
	if (ec)
		return Error{ExitCode::kSystem,
			     fmt::format("cannot resolve {}: {}", found.string(), ec.message())};
	return ResolvedScript{
		.absolute = absolute,
		.chunkName = chunkNameOf(chunkName),
		.setName = deriveSetName(found, root),
	};
}

} // namespace lunatik::loader
