#include "cli_options.hpp"

#include <charconv>

#include "size_parse.hpp"

namespace lunatik::loader {

namespace {

std::optional<std::uint32_t> parseU32(const std::string &text)
{
	std::uint32_t value;
	auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
	if (ec != std::errc() || ptr != text.data() + text.size() || text.empty())
		return std::nullopt;
	return value;
}

} // namespace

CLI::Option *addContextOption(CLI::App &app, std::optional<Context> &target)
{
	return app
		.add_option_function<std::string>(
			"--context",
			[&target](const std::string &v) { target = parseContext(v); },
			"execution context: process (one instance, may sleep) or softirq "
			"(one instance per CPU)")
		->check(CLI::IsMember({"process", "softirq"}))
		->type_name("CONTEXT");
}

CLI::Option *addSizeOption(CLI::App &app, const std::string &flag, const std::string &help,
			   std::optional<std::uint64_t> &target)
{
	return app
		.add_option_function<std::string>(
			flag, [&target](const std::string &v) { target = parseSize(v); }, help)
		->check(CLI::Validator(
			[](std::string &v) -> std::string {
				return parseSize(v) ? "" : "not a size (bytes, or with K/M/G suffix): " + v;
			},
			"SIZE"))
		->type_name("BYTES");
}

CLI::Option *addU32Option(CLI::App &app, const std::string &flag, const std::string &help,
			  std::optional<std::uint32_t> &target)
{
	return app
		.add_option_function<std::string>(
			flag, [&target](const std::string &v) { target = parseU32(v); }, help)
		->check(CLI::Validator(
			[](std::string &v) -> std::string {
				return parseU32(v) ? "" : "not an integer in 0..4294967295: " + v;
			},
			"U32"))
		->type_name("N");
}

} // namespace lunatik::loader
