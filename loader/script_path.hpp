// Finding the script a command names and the runtime-set name it implies.
//
// SCRIPT may be a path (absolute or relative to the working directory) or,
// as with Lunatik, a name relative to the script root without ".lua":
// "examples/filter/sni" means <root>/examples/filter/sni.lua.
//
// Set names (issue 3, Lunatik-compatible keys for BPF objects): a script
// under the script root is named by its path relative to the root without
// ".lua"; any other script by its file name without ".lua".
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "result.hpp"

namespace lunatik::loader {

inline constexpr std::string_view kDefaultScriptRoot = "/lib/modules/lua";

struct ResolvedScript {
	std::filesystem::path absolute;	// realpath, sent as LUNATIK_A_SCRIPT
	// As typed, sent as LUNATIK_A_CHUNKNAME; cut to its last 124 bytes
	// after "..." when longer than the kernel's LUNATIK_NAME_MAX - 1.
	std::string chunkName;
	std::string setName;		// the default set name
};

Result<ResolvedScript> resolveScript(std::string_view arg,
				     const std::filesystem::path &root);

// The default set name of the script at `path` (as found, not resolved).
// "Under the root" is tested on the path as given, then with directory
// symlinks resolved, then fully resolved, against the root as given and
// resolved: a symlink inside the root keeps its own name, and a root that
// is itself a symlink still matches.
std::string deriveSetName(const std::filesystem::path &path,
			  const std::filesystem::path &root);

} // namespace lunatik::loader
