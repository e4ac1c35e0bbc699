// Encoding of lunatik-pipeline requests and decoding of their replies,
// following include/uapi/linux/lunatik_pipeline.h. Pure: no socket here,
// so the wire format is unit-tested on in-memory buffers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "backend/genl_message.hpp"
#include "control_plane.hpp"

struct nlattr;
struct nlmsghdr;

namespace lunatik::loader {

GenlMessage encodeCreate(std::uint16_t family, const CreateRequest &request);
GenlMessage encodeStop(std::uint16_t family, const std::string &name);
GenlMessage encodeReload(std::uint16_t family, const ReloadRequest &request);
// Without a name: a dump of every set in the caller's netns.
GenlMessage encodeList(std::uint16_t family, const std::optional<std::string> &name);
GenlMessage encodeExec(std::uint16_t family, const ExecRequest &request);
GenlMessage encodeStats(std::uint16_t family);

// Everything a lunatik reply can carry; a dump accumulates several.
struct LunatikReply {
	std::optional<std::string> error;	// LUNATIK_A_ERROR: a Lua error
	std::optional<std::uint32_t> errnum;	// LUNATIK_A_ERRNO
	std::optional<std::string> result;	// LUNATIK_A_RESULT
	std::vector<SetInfo> sets;		// LUNATIK_A_SET, in order
	std::optional<ModuleStats> stats;	// LUNATIK_A_STATS
};

// Adds the content of one reply message. Throws DecodeError.
void decodeReply(const nlmsghdr *nlh, LunatikReply &into);
SetInfo decodeSet(const nlattr *nest);
ModuleStats decodeStats(const nlattr *nest);

} // namespace lunatik::loader
