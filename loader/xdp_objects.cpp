#include "xdp_objects.hpp"

#include <cstdlib>
#include <vector>

namespace lunatik::loader {

std::filesystem::path builtinXdpObject(const std::string &name)
{
	std::string file = name + "_classifier.bpf.o";
	std::vector<std::filesystem::path> dirs;
	if (const char *env = std::getenv("LUNATIK_PIPELINE_BPF_DIR"); env && *env)
		dirs.emplace_back(env);
	std::error_code ec;
	auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
	if (!ec) {
		auto bin = exe.parent_path();
		dirs.push_back(bin / "../../bpf");
		dirs.push_back(bin / "../lib/lunatik-pipeline/bpf");
	}
	dirs.emplace_back("/usr/local/lib/lunatik-pipeline/bpf");
	dirs.emplace_back("/usr/lib/lunatik-pipeline/bpf");
	for (const auto &d : dirs) {
		auto p = (d / file).lexically_normal();
		if (std::filesystem::is_regular_file(p, ec))
			return p;
	}
	// the first place looked in: the one the user named, else the build tree
	return (dirs.front() / file).lexically_normal();
}

} // namespace lunatik::loader
