// YAML text -> Spec, with every problem of form (syntax, unknown keys, wrong
// types, values out of range) reported at its line and column. Checks that
// need the outside world (files, interfaces) are in validate.hpp.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "lunatik/pipeline/diagnostic.hpp"
#include "lunatik/pipeline/spec.hpp"

namespace lunatik::pipeline {

struct ReadResult {
	Spec spec;			// filled as far as the text allowed
	Diagnostics diagnostics;	// empty when the spec is well-formed
};

// `file` names the spec in messages; relative paths in the spec start from
// `dir` (the spec file's directory).
ReadResult readSpec(const std::string &text, const std::string &file,
		    const std::filesystem::path &dir);

// The keys each kind of mapping accepts, by section: "spec", "scripts",
// "set", "hook", "xdp", "xtables", "nft" (pipeline/spec.schema.json has
// the same sections; a test keeps them equal).
const std::map<std::string, std::vector<std::string>> &specKeys();

// Byte sizes: an integer, or digits with a K/M/G suffix (powers of 1024,
// optionally followed by B or iB). nullopt for anything else.
std::optional<std::uint64_t> parseSize(std::string_view text);

} // namespace lunatik::pipeline
