// LineReader on a terminal: GNU readline line editing, with the history
// kept in a file across sessions (like lua.c built with readline).
#pragma once

#include <filesystem>
#include <optional>

#include "line_reader.hpp"

namespace lunatik::loader {

class ReadlineReader final : public LineReader {
public:
	// historyFile: loaded now, saved by the destructor (nullopt: none).
	explicit ReadlineReader(std::optional<std::filesystem::path> historyFile);
	ReadlineReader(const ReadlineReader &) = delete;
	ReadlineReader &operator=(const ReadlineReader &) = delete;
	~ReadlineReader() override;

	std::optional<std::string> readLine(const std::string &prompt) override;
	void addHistory(const std::string &entry) override;

	// $HOME/.lunatik_pipeline_history, or nullopt without HOME.
	static std::optional<std::filesystem::path> defaultHistoryFile();

private:
	std::optional<std::filesystem::path> historyFile_;
};

} // namespace lunatik::loader
