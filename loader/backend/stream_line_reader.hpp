// LineReader over a plain stream: no prompt, no history (input is a pipe).
#pragma once

#include <istream>

#include "line_reader.hpp"

namespace lunatik::loader {

class StreamLineReader final : public LineReader {
public:
	explicit StreamLineReader(std::istream &in) : in_(in) {}

	std::optional<std::string> readLine(const std::string &prompt) override;
	void addHistory(const std::string &) override {}

private:
	std::istream &in_;
};

} // namespace lunatik::loader
