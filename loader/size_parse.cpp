#include "size_parse.hpp"

#include <cctype>
#include <charconv>
#include <limits>

namespace lunatik::loader {

namespace {

std::optional<unsigned> suffixShift(std::string_view suffix)
{
	if (suffix.empty())
		return 0;
	unsigned shift;
	switch (std::toupper(static_cast<unsigned char>(suffix.front()))) {
	case 'K': shift = 10; break;
	case 'M': shift = 20; break;
	case 'G': shift = 30; break;
	default: return std::nullopt;
	}
	suffix.remove_prefix(1);
	if (suffix.empty() || suffix == "B" || suffix == "iB")
		return shift;
	return std::nullopt;
}

} // namespace

std::optional<std::uint64_t> parseSize(std::string_view text)
{
	std::uint64_t value = 0;
	const char *end = text.data() + text.size();
	// from_chars accepts no sign and no leading space: exactly what we want.
	auto [ptr, ec] = std::from_chars(text.data(), end, value);
	if (ec != std::errc() || ptr == text.data())
		return std::nullopt;
	auto shift = suffixShift(std::string_view(ptr, end - ptr));
	if (!shift)
		return std::nullopt;
	if (value > (std::numeric_limits<std::uint64_t>::max() >> *shift))
		return std::nullopt;
	return value << *shift;
}

} // namespace lunatik::loader
