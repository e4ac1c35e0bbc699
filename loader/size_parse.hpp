// Byte sizes on the command line: plain bytes or a K/M/G suffix (powers of
// 1024, optionally followed by "B" or "iB": 16M, 16MiB, 512K, 1G).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace lunatik::loader {

// nullopt for anything else: empty, negative, unknown suffix, overflow.
std::optional<std::uint64_t> parseSize(std::string_view text);

} // namespace lunatik::loader
