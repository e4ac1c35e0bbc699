// An Environment over the real file system with a fixed list of
// interfaces, and helpers to read the corpus.
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "lunatik/pipeline/validate.hpp"

namespace lunatik::pipeline::test {

struct TestEnv : Environment {
	std::optional<std::vector<std::string>> ifaces = std::vector<std::string>{"lo", "eth0"};

	bool isFile(const std::filesystem::path &p) const override
	{
		std::error_code ec;
		return std::filesystem::is_regular_file(p, ec);
	}
	std::optional<std::vector<std::string>> interfaces() const override { return ifaces; }
};

inline std::string slurp(const std::filesystem::path &p)
{
	std::ifstream in(p);
	std::stringstream ss;
	ss << in.rdbuf();
	return ss.str();
}

inline const std::filesystem::path kCorpus = LUNATIK_TEST_CORPUS;

} // namespace lunatik::pipeline::test
