#include "backend/stream_line_reader.hpp"

#include <string>

namespace lunatik::loader {

std::optional<std::string> StreamLineReader::readLine(const std::string &)
{
	std::string line;
	if (!std::getline(in_, line))
		return std::nullopt;
	return line;
}

} // namespace lunatik::loader
