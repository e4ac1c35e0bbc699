#include "backend/readline_reader.hpp"

#include <cstdio>
#include <cstdlib>
#include <memory>

extern "C" {
#include <readline/history.h>
#include <readline/readline.h>
}

namespace lunatik::loader {

namespace {
constexpr int kHistoryMax = 1000;

struct FreeDeleter {
	void operator()(char *p) const { std::free(p); }
};
} // namespace

ReadlineReader::ReadlineReader(std::optional<std::filesystem::path> historyFile)
	: historyFile_(std::move(historyFile))
{
	using_history();
	stifle_history(kHistoryMax);
	if (historyFile_)
		read_history(historyFile_->c_str());	// absent on first use: fine
}

ReadlineReader::~ReadlineReader()
{
	if (historyFile_)
		write_history(historyFile_->c_str());
}

std::optional<std::string> ReadlineReader::readLine(const std::string &prompt)
{
	std::unique_ptr<char, FreeDeleter> line(readline(prompt.c_str()));
	if (!line) {
		// Ctrl-D: end the prompt's line so the shell's starts clean.
		std::fputs("\n", rl_outstream ? rl_outstream : stdout);
		return std::nullopt;
	}
	return std::string(line.get());
}

void ReadlineReader::addHistory(const std::string &entry)
{
	add_history(entry.c_str());
}

std::optional<std::filesystem::path> ReadlineReader::defaultHistoryFile()
{
	const char *home = std::getenv("HOME");
	if (!home || !*home)
		return std::nullopt;
	return std::filesystem::path(home) / ".lunatik_pipeline_history";
}

} // namespace lunatik::loader
