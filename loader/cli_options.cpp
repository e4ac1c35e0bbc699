#include "cli_options.hpp"

#include <charconv>

#include <fmt/core.h>

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
			   std::optional<std::uint64_t> &target, std::uint64_t min,
			   std::uint64_t max)
{
	return app
		.add_option_function<std::string>(
			flag, [&target](const std::string &v) { target = parseSize(v); }, help)
		->check(CLI::Validator(
			[min, max](std::string &v) -> std::string {
				auto n = parseSize(v);
				if (!n)
					return "not a size (bytes, or with K/M/G suffix): " + v;
				if (*n < min || *n > max)
					return fmt::format("{} is outside {}..{} bytes (the kernel's limits)",
							   v, min, max);
				return "";
			},
			""))
		->type_name("BYTES");
}

CLI::Option *addU32Option(CLI::App &app, const std::string &flag, const std::string &help,
			  std::optional<std::uint32_t> &target, std::uint32_t min,
			  std::uint32_t max)
{
	return app
		.add_option_function<std::string>(
			flag, [&target](const std::string &v) { target = parseU32(v); }, help)
		->check(CLI::Validator(
			[min, max](std::string &v) -> std::string {
				auto n = parseU32(v);
				if (!n || *n < min || *n > max)
					return fmt::format("not an integer in {}..{}: {}", min, max, v);
				return "";
			},
			""))
		->type_name("N");
}

} // namespace lunatik::loader
