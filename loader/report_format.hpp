// Stable, script-friendly renderings of sets and module statistics: an
// aligned table (header + one line per set, plain integers, bytes for
// memory) and JSON (nlohmann) with per-instance counters.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "control_plane.hpp"

namespace lunatik::loader {

std::string formatSetTable(const std::vector<SetInfo> &sets);
nlohmann::json setToJson(const SetInfo &set);
// One line per kernel hook of every set: counters and verdicts given.
std::string formatHookTable(const std::vector<SetInfo> &sets);
// {"sets": [ ... ]}
nlohmann::json setsToJson(const std::vector<SetInfo> &sets);

// "key value" lines: allocs, alloc_bytes, sets, runtimes.
std::string formatStats(const ModuleStats &stats);
nlohmann::json statsToJson(const ModuleStats &stats);

// {"result": text, "result_hex": bytes}: EXEC results are byte strings.
// "result" is the text with control bytes escaped by JSON (NUL is \u0000)
// and bytes that are not UTF-8 replaced by U+FFFD; "result_hex" is lossless.
nlohmann::json execResultToJson(const std::string &bytes);

} // namespace lunatik::loader
