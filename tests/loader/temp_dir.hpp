// A fresh directory under the system temp dir, removed with its content.
#pragma once

#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>

namespace lunatik::loader::test {

class TempDir {
public:
	TempDir()
	{
		std::random_device rd;
		path_ = std::filesystem::temp_directory_path() /
			("loader_test_" + std::to_string(rd()) + std::to_string(rd()));
		std::filesystem::create_directories(path_);
	}
	TempDir(const TempDir &) = delete;
	TempDir &operator=(const TempDir &) = delete;
	~TempDir()
	{
		std::error_code ec;
		std::filesystem::remove_all(path_, ec);
	}

	const std::filesystem::path &path() const { return path_; }

	// Creates a file (and its parents) with the given content.
	std::filesystem::path write(const std::filesystem::path &rel, const std::string &content = "")
	{
		auto p = path_ / rel;
		std::filesystem::create_directories(p.parent_path());
		std::ofstream(p) << content;
		return p;
	}

	static std::string read(const std::filesystem::path &p)
	{
		std::ifstream in(p);
		return std::string(std::istreambuf_iterator<char>(in), {});
	}

private:
	std::filesystem::path path_;
};

// Changes the working directory for the lifetime of the object.
class ScopedCwd {
public:
	explicit ScopedCwd(const std::filesystem::path &dir) : old_(std::filesystem::current_path())
	{
		std::filesystem::current_path(dir);
	}
	ScopedCwd(const ScopedCwd &) = delete;
	ScopedCwd &operator=(const ScopedCwd &) = delete;
	~ScopedCwd() { std::filesystem::current_path(old_); }

private:
	std::filesystem::path old_;
};

} // namespace lunatik::loader::test
