// The kernel's limits on what a runtime set may be given (kmod/genl_set.c
// policy: lunatik_mem_range, lunatik_budget_range; uapi LUNATIK_NAME_MAX),
// so a spec and the command line are refused locally with the same bounds.
#pragma once

#include <cstdint>

namespace lunatik::pipeline {

inline constexpr std::uint64_t kMemoryMin = 64ULL << 10;
inline constexpr std::uint64_t kMemoryMax = 1ULL << 30;
inline constexpr std::uint32_t kBudgetMin = 1000;
inline constexpr std::uint32_t kBudgetMax = UINT32_MAX;
inline constexpr std::size_t kNameMax = 127;	// bytes, without the NUL

} // namespace lunatik::pipeline
