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

} // namespace lunatik::loader
