#include "file_ops.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <sys/stat.h>
#include <fmt/core.h>
#include <unistd.h>

namespace lunatik::loader {

namespace {

Error ioError(const std::string &what, const std::filesystem::path &path, int eno)
{
	return Error{ExitCode::kSystem, fmt::format("{} {}: {}", what, path.string(), std::strerror(eno))};
}

} // namespace

Result<std::string> readFile(const std::filesystem::path &path)
{
	std::ifstream in(path, std::ios::binary);
	if (!in)
		return ioError("cannot read", path, errno ? errno : ENOENT);
	std::ostringstream ss;
	ss << in.rdbuf();
	if (in.bad())
		return ioError("cannot read", path, EIO);
	return ss.str();
}

Result<void> writeAtomically(const std::filesystem::path &path, const std::string &content)
{
	std::error_code ec;
	std::filesystem::create_directories(path.parent_path(), ec);
	if (ec)
		return ioError("cannot create directory for", path, ec.value());
	std::string tmp = path.string() + ".tmp.XXXXXX";
	int fd = mkstemp(tmp.data());
	if (fd < 0)
		return ioError("cannot create a temporary file for", path, errno);
	const char *p = content.data();
	std::size_t left = content.size();
	int eno = 0;
	while (left > 0) {
		ssize_t n = write(fd, p, left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			eno = errno;
			break;
		}
		p += n;
		left -= static_cast<std::size_t>(n);
	}
	// Readable like any installed file, whatever mkstemp chose.
	if (!eno && fchmod(fd, 0644) < 0)
		eno = errno;
	if (!eno && fsync(fd) < 0)
		eno = errno;
	if (close(fd) < 0 && !eno)
		eno = errno;
	if (!eno && rename(tmp.c_str(), path.c_str()) < 0)
		eno = errno;
	if (eno) {
		unlink(tmp.c_str());
		return ioError("cannot write", path, eno);
	}
	return {};
}

Result<void> copyAtomically(const std::filesystem::path &from, const std::filesystem::path &to)
{
	auto content = readFile(from);
	if (!content)
		return content.error();
	return writeAtomically(to, *content);
}

Result<void> removeFile(const std::filesystem::path &path)
{
	if (unlink(path.c_str()) < 0 && errno != ENOENT)
		return ioError("cannot remove", path, errno);
	return {};
}

std::string hashText(const std::string &text)
{
	std::uint64_t h = 14695981039346656037ULL;
	for (unsigned char c : text) {
		h ^= c;
		h *= 1099511628211ULL;
	}
	return fmt::format("fnv1a64:{:016x}", h);
}

std::string hashFile(const std::filesystem::path &path)
{
	std::error_code ec;
	if (!std::filesystem::is_regular_file(path, ec))
		return "";
	auto content = readFile(path);
	return content ? hashText(*content) : "";
}

} // namespace lunatik::loader
