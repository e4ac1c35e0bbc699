// Checks of a well-formed spec against itself (names defined once, sets
// referenced exist, hook names) and against the machine it is for (script
// files, BPF objects, interfaces). The machine is reached only through the
// Environment the caller passes, so the library stays free of syscalls.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "lunatik/pipeline/diagnostic.hpp"
#include "lunatik/pipeline/spec.hpp"
#include "lunatik/pipeline/spec_reader.hpp"

namespace lunatik::pipeline {

class Environment {
public:
	virtual ~Environment() = default;
	// A regular file that exists (after symlinks).
	virtual bool isFile(const std::filesystem::path &path) const = 0;
	// Network interfaces of the spec's namespace; nullopt when they cannot
	// be listed (then interfaces are not checked).
	virtual std::optional<std::vector<std::string>> interfaces() const = 0;
};

Diagnostics validateSpec(const Spec &spec, const Environment &env);

// The netfilter hooks a family has, in the names the spec uses; empty for
// an unknown family.
std::vector<std::string> hooksOf(const std::string &family);

// A script's path under the script root: its path relative to
// scripts.base; nullopt when it lies outside base.
std::optional<std::string> pathUnderBase(const Spec &spec, const std::string &relative);

} // namespace lunatik::pipeline

namespace lunatik::pipeline {

// readSpec then validateSpec: every diagnostic of both, by position.
ReadResult checkSpec(const std::string &text, const std::string &file,
		     const std::filesystem::path &dir, const Environment &env);

} // namespace lunatik::pipeline
