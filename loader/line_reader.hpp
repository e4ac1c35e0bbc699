// Where the REPL reads its lines: readline on a terminal, a plain stream
// otherwise (pipes in tests), a fake in unit tests.
#pragma once

#include <optional>
#include <string>

namespace lunatik::loader {

class LineReader {
public:
	virtual ~LineReader() = default;

	// nullopt at end of input.
	virtual std::optional<std::string> readLine(const std::string &prompt) = 0;
	// A complete statement (possibly several lines) worth recalling.
	virtual void addHistory(const std::string &entry) = 0;
};

} // namespace lunatik::loader
